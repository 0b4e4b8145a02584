"""Small builders for test data."""

from sqlalchemy import Engine

from storage.db import transaction
from storage.staff import Role, create_staff


def make_staff(
    db: Engine,
    *,
    role: Role = Role.ADMIN,
    name: str = "담당자",
    department: str = "",
    dongs: list[str] | None = None,
) -> tuple[int, str]:
    """A staff member's id and API token."""
    with transaction(db) as session:
        staff, token = create_staff(
            session, name=name, role=role, department=department, dongs=dongs
        )
        assert staff.id is not None
        return staff.id, token


def make_citizen(db: Engine, external_id: str = "c1") -> int:
    from storage.turns import load_turn

    with db.begin() as connection:
        return load_turn(
            connection, channel="telegram", external_id=external_id, chat_id=external_id
        ).citizen_id


def make_proposal(
    db: Engine,
    *,
    title: str = "매탄동 버스정류장 그늘막 설치",
    category: str = "transport",
    dong: str | None = None,
    author: int | None = None,
) -> int:
    from storage import proposals

    author = author or make_citizen(db, f"author-{title}")
    with db.begin() as connection:
        return proposals.submit(
            connection,
            author_id=author,
            title=title,
            body="여름에 너무 더워요",
            category=category,
            dong=dong,
        )


def make_case(db: Engine, *, dong: str = "매탄3동", phone: str = "010-1111-2222") -> int:
    """A care application from a new citizen, sealed with the tests' data key."""
    citizen = make_citizen(db, f"applicant-{dong}-{phone}")
    from storage import care
    from tests.auxil.service import sealer_for_tests

    with db.begin() as connection:
        return care.apply(
            connection,
            sealer=sealer_for_tests(),
            citizen_id=citizen,
            personal={
                "applicant_name": "김수원",
                "cared_name": None,
                "phone": phone,
                "address": "101동",
                "situation": "혼자 지내요",
                "screening": ["aged65", "alone"],
            },
            for_whom="me",
            relation=None,
            services=["meals", "housekeeping"],
            track="elderly_alone",
            priority="high",
            dong=dong,
            contact_time="any",
        )

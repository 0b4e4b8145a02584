"""Care sign-up end to end: a relative applies with the contact button, staff work the case
in their own dong only, the applicant hears every step, and the database holds no plaintext.
"""

import asyncio
from datetime import timedelta
from pathlib import Path

import httpx
from sqlalchemy import Engine, MetaData, func, select, text

from runtime.retention import CareRetention
from storage.models import CareApplication, utcnow
from storage.staff import Role
from tests.auxil.factories import make_staff
from tests.fake_telegram.server import FakeTelegram, SimCitizen

PHONE_FORMS = ("010-9876-5432", "01098765432", "9876-5432")


async def start(citizen: SimCitizen) -> None:
    await citizen.say("안녕하세요")
    await citizen.reply()
    for label in ("한국어", "보통으로", "동의하지 않습니다", "🤝 돌봄 신청"):
        await citizen.tap(label)
        await citizen.reply()


async def answer(citizen: SimCitizen, *steps: tuple[str, str]) -> dict:
    """(how, what) pairs: tap a button or say words; returns the bot's last reply."""
    reply: dict = {}
    for how, what in steps:
        await (citizen.tap(what) if how == "tap" else citizen.say(what))
        reply = await citizen.reply()
    return reply


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def raw_database(db: Engine, db_url: str) -> bytes:
    """Every byte the database keeps: the SQLite files, or every row of every table."""
    if db_url.startswith("sqlite"):
        path = Path(db_url.removeprefix("sqlite:///"))
        files = [path, path.with_name(path.name + "-wal")]
        return b"".join(f.read_bytes() for f in files if f.exists())
    tables = MetaData()
    tables.reflect(db)
    with db.connect() as connection:
        rows = [
            repr(tuple(row)).encode()
            for table in tables.sorted_tables
            for row in connection.execute(select(table))
        ]
    return b"\n".join(rows)


async def test_a_parent_is_signed_up_and_the_case_is_worked_in_its_dong_only(
    fake: FakeTelegram, api: httpx.AsyncClient, db: Engine, db_url: str
) -> None:
    daughter = fake.citizen(7101)
    await start(daughter)
    await answer(
        daughter,
        ("tap", "👪 가족"),
        ("tap", "부모님"),
        ("tap", "네, 동의하셨어요"),
        ("tap", "동의합니다"),
        ("tap", "동의합니다"),
        ("tap", "🍱 식사 지원"),
    )
    await answer(
        daughter,
        ("tap", "✔️ 완료 (1개 선택)"),
        ("say", "무릎 수술 후 장보기가 어려우세요"),
        ("tap", "✔️ 완료 (0개 선택)"),
        ("say", "김수원"),
        ("say", "이영희"),
    )
    await daughter.share_contact("+82 10-9876-5432")
    await daughter.reply()
    confirm = await answer(
        daughter,
        ("say", "매탄3동"),
        ("say", "매탄아파트 101동 1004호"),
        ("tap", "오전 (9~12시)"),
    )
    assert "[연락처] 010-9876-5432" in confirm["text"]
    await asyncio.gather(daughter.tap("✅ 신청하기"), daughter.tap("✅ 신청하기", message=confirm))
    received = await daughter.reply()
    assert "접수번호는 C-" in received["text"]
    assert await daughter.quiet(0.5)

    refuser = fake.citizen(7102)
    await start(refuser)
    await answer(refuser, ("tap", "🙋 나"), ("tap", "동의합니다"))
    refused = await answer(refuser, ("tap", "동의하지 않습니다"))
    assert "저장하지 않았어요" in refused["text"]
    with db.connect() as connection:
        cases = connection.execute(select(func.count()).select_from(CareApplication)).scalar()
    assert cases == 1

    raw = raw_database(db, db_url)
    for form in (*PHONE_FORMS, "김수원", "이영희", "매탄아파트", "무릎 수술"):
        assert form.encode() not in raw, f"{form} is stored in clear"

    _, admin = make_staff(db, role=Role.ADMIN, name="관리자")
    worker_id, worker = make_staff(db, role=Role.CARE_WORKER, name="매탄 담당")
    _, elsewhere = make_staff(db, role=Role.CARE_WORKER, name="인계 담당")
    _, clerk = make_staff(db, role=Role.STAFF, name="민원")
    with db.begin() as connection:
        connection.execute(
            text("UPDATE staff SET dongs = :d WHERE id = :i"), {"d": '["매탄3동"]', "i": worker_id}
        )
        connection.execute(
            text("UPDATE staff SET dongs = :d WHERE name = :n"),
            {"d": '["인계동"]', "n": "인계 담당"},
        )
    listed = (await api.get("/api/v1/care-applications", headers=bearer(worker))).json()
    assert listed["total"] == 1 and "personal" not in listed["items"][0]
    case_id = listed["items"][0]["id"]
    url = f"/api/v1/care-applications/{case_id}"
    detail = (await api.get(url, headers=bearer(worker))).json()
    assert detail["personal"]["phone"] == "010-9876-5432"
    assert detail["personal"]["cared_name"] == "이영희"
    assert (detail["for_whom"], detail["relation"], detail["services"]) == (
        "family",
        "parent",
        ["meals"],
    )

    assert (await api.get(url, headers=bearer(elsewhere))).status_code == 404
    moved = await api.post(
        f"{url}/status", json={"status": "reviewing"}, headers=bearer(elsewhere)
    )
    assert moved.status_code == 404
    assert (await api.get("/api/v1/care-applications", headers=bearer(elsewhere))).json()[
        "total"
    ] == 0
    assert (await api.get(url, headers=bearer(clerk))).status_code == 403

    steps = [
        {"status": "reviewing"},
        {"status": "assigned", "assign_to": worker_id},
        {"status": "in_progress"},
        {"status": "completed"},
    ]
    for step in steps:
        response = await api.post(f"{url}/status", json=step, headers=bearer(worker))
        assert response.status_code == 200, response.text
        heard = await daughter.reply(timeout=10)
        assert "진행 상황이" in heard["text"], heard["text"]
        assert daughter.buttons(heard) == ["🤝 내 신청 보기"]
    too_late = await api.post(
        f"{url}/status", json={"status": "reviewing"}, headers=bearer(worker)
    )
    assert too_late.status_code == 409
    history = (await api.get(url, headers=bearer(admin))).json()["history"]
    assert [h["status"] for h in history] == [
        "received",
        "reviewing",
        "assigned",
        "in_progress",
        "completed",
    ]

    log = (
        await api.get(f"/api/v1/care-access-log?application_id={case_id}", headers=bearer(admin))
    ).json()
    reads = [e for e in log if e["action"] == "read"]
    assert {e["staff_id"] for e in reads} >= {worker_id}
    assert {e["staff_name"] for e in reads} >= {"매탄 담당"}  # the person, by name
    assert sum(e["action"] == "status" for e in log) == 4
    assert (await api.get("/api/v1/care-access-log", headers=bearer(worker))).status_code == 403

    later = CareRetention(
        db, keep_days=30, access_log_days=730, clock=lambda: utcnow() + timedelta(days=31)
    )
    assert later.run() == (1, 0)
    gone = (await api.get(url, headers=bearer(admin))).json()
    assert gone["anonymised"] and gone["personal"]["phone"] is None
    assert gone["status"] == "completed" and gone["services"] == ["meals"]

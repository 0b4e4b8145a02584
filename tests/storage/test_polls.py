"""One response per citizen and survey, kept by the database; erasing a citizen keeps counts."""

import threading
from datetime import timedelta

from sqlalchemy import Engine, func, select

from storage import polls
from storage.citizens import erase_citizen
from storage.db import make_engine
from storage.models import PollAnswer, PollResponse, utcnow
from tests.auxil.factories import make_citizen
from tests.auxil.service import sealer_for_tests


def open_poll(db: Engine) -> int:
    with db.begin() as connection:
        poll_id = polls.create(
            connection,
            created_by=None,
            title="설문",
            questions=[{"kind": "multiple", "text": "언제?", "options": ["저녁", "밤", "새벽"]}],
            opens_at=utcnow(),
            closes_at=utcnow() + timedelta(days=1),
        )
        polls.move(connection, poll_id=poll_id, before=("draft",), after="open")
    return poll_id


def respond(db: Engine, poll_id: int, citizen_id: int) -> bool:
    with db.begin() as connection:
        return polls.respond(
            connection,
            poll_id=poll_id,
            citizen_id=citizen_id,
            answers={"q1": ["1", "2"]},
            gu="팔달구",
            dong="인계동",
            age_band="70plus",
            sealer=sealer_for_tests(),
        )


def counts(db: Engine) -> tuple[int, int]:
    with db.connect() as connection:
        responses = connection.execute(select(func.count()).select_from(PollResponse)).scalar()
        answers = connection.execute(select(func.count()).select_from(PollAnswer)).scalar()
    return responses, answers  # type: ignore[return-value]


def test_two_processes_submitting_at_once_store_one_response(db: Engine, db_url: str) -> None:
    poll_id = open_poll(db)
    citizen = make_citizen(db)
    engines = [db, make_engine(db_url)]
    stored: list[bool] = []
    barrier = threading.Barrier(2)

    def submit(engine: Engine) -> None:
        barrier.wait()
        stored.append(respond(engine, poll_id, citizen))

    threads = [threading.Thread(target=submit, args=(engine,)) for engine in engines]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    engines[1].dispose()
    assert sorted(stored) == [False, True]
    assert counts(db) == (1, 2)


def test_erasing_a_citizen_keeps_their_answers_only_as_anonymous_counts(db: Engine) -> None:
    poll_id = open_poll(db)
    citizen = make_citizen(db)
    respond(db, poll_id, citizen)
    with db.begin() as connection:
        erase_citizen(connection, citizen_id=citizen)
        assert polls.answered(connection, citizen_id=citizen, poll_ids=[poll_id]) == set()
        rows = connection.execute(select(PollResponse.citizen_id)).scalars().all()  # type: ignore[call-overload]
        grouped = polls.grouped_counts(connection, poll_id)
    assert rows == [None]
    assert sorted(grouped) == [
        ("q1", "1", "팔달구", "인계동", "70plus", 1, 1),
        ("q1", "2", "팔달구", "인계동", "70plus", 1, 0),
    ]


def test_free_text_answers_are_sealed_at_rest_and_read_back_for_export(db: Engine) -> None:
    citizen = make_citizen(db)
    with db.begin() as connection:
        poll_id = polls.create(
            connection,
            created_by=None,
            title="설문",
            questions=[{"kind": "text", "text": "하고 싶은 말?"}],
            opens_at=utcnow(),
            closes_at=utcnow() + timedelta(days=1),
        )
        polls.respond(
            connection,
            poll_id=poll_id,
            citizen_id=citizen,
            answers={"q1": {"text": "김영희 010-****-5678 연락 주세요"}},
            gu=None,
            dong=None,
            age_band=None,
            sealer=sealer_for_tests(),
        )
    with db.connect() as connection:
        stored = connection.execute(select(PollAnswer.sealed_text, PollAnswer.text)).one()
        exported = polls.anonymous_answers(connection, poll_id, sealer=sealer_for_tests())
    assert "김영희" not in stored.sealed_text and stored.text is None
    assert exported == [{"q1": ["김영희 010-****-5678 연락 주세요"]}]


def test_texts_kept_before_sealing_are_sealed_once_keys_are_at_hand(db: Engine) -> None:
    poll_id = open_poll(db)
    with db.begin() as connection:
        response = connection.execute(
            PollResponse.__table__.insert().values(poll_id=poll_id, submitted_at=utcnow())  # type: ignore[attr-defined]
        ).inserted_primary_key[0]
        connection.execute(
            PollAnswer.__table__.insert().values(  # type: ignore[attr-defined]
                poll_id=poll_id, response_id=response, question="q1", ordinal=0, text="옛 답"
            )
        )
        assert polls.seal_plain_texts(connection, sealer_for_tests()) == 1
    with db.connect() as connection:
        stored = connection.execute(select(PollAnswer.sealed_text, PollAnswer.text)).one()
        assert stored.text is None and "옛 답" not in stored.sealed_text
        assert polls.anonymous_answers(connection, poll_id, sealer=sealer_for_tests()) == [
            {"q1": ["옛 답"]}
        ]

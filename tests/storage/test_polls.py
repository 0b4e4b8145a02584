"""One response per citizen and survey, kept by the database; erasing a citizen keeps counts."""

import threading
from datetime import timedelta

from sqlalchemy import Engine, func, select

from storage import polls
from storage.citizens import erase_citizen
from storage.db import make_engine
from storage.models import PollAnswer, PollResponse, utcnow
from tests.auxil.factories import make_citizen


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

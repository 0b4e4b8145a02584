"""Surveys, their schedule and their responses.

Moves between statuses are conditional updates (`WHERE status = …`): the scheduler in every
process may fire the same opening, and only the one whose update changes the row acts on it.
A response is one row per (survey, citizen), so a double submit stores one.
"""

import random
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, and_, bindparam, case, func, insert, or_, select, update

from storage.db import AnyRow, insert_unless_present, table_of, update_if_status
from storage.models import Citizen, Poll, PollAnswer, PollResponse, utcnow
from storage.sealing import Sealer

POLL = table_of(Poll)
RESPONSE = table_of(PollResponse)
ANSWER = table_of(PollAnswer)
CITIZEN = table_of(Citizen)
EDITABLE = ("draft", "scheduled")
RECENTLY_CLOSED = timedelta(days=30)


def create(connection: Connection, *, created_by: int | None, **fields: Any) -> int:
    now = utcnow()
    made: int = connection.execute(
        insert(POLL)
        .values(status="draft", version=1, audience={}, created_by=created_by)
        .values(created_at=now, updated_at=now)
        .values(**fields)
        .returning(POLL.c.id)
    ).scalar_one()
    return made


def get(connection: Connection, poll_id: int) -> AnyRow | None:
    return connection.execute(select(POLL).where(POLL.c.id == poll_id)).first()


# Built once: every turn inside a survey reads it. Whether the citizen answered it, here or
# as the same person at the counter (the chat joined to it), comes with it.
_ANSWERED_HERE = (
    select(RESPONSE.c.id)
    .where(RESPONSE.c.poll_id == POLL.c.id, RESPONSE.c.citizen_id == bindparam("b_citizen"))
    .exists()
)
# The same person's other citizens (at the counter, or the chat joined to it).
_SAME_PERSON = (
    select(CITIZEN.c.person_key).where(CITIZEN.c.id == bindparam("b_citizen")).scalar_subquery()
)
_OTHERS = select(CITIZEN.c.id).where(
    CITIZEN.c.person_key == _SAME_PERSON, CITIZEN.c.id != bindparam("b_citizen")
)
_ANSWERED_ELSEWHERE = (
    select(RESPONSE.c.id)
    .where(RESPONSE.c.poll_id == POLL.c.id, RESPONSE.c.citizen_id.in_(_OTHERS))
    .exists()
)
_FOR_CITIZEN = select(
    POLL, _ANSWERED_HERE.label("answered"), _ANSWERED_ELSEWHERE.label("elsewhere")
).where(POLL.c.id == bindparam("b_poll"))


def get_for(connection: Connection, poll_id: int, *, citizen_id: int) -> AnyRow | None:
    """The survey with whether this citizen answered it (`answered`) or the same person did
    as another citizen (`elsewhere`), in one statement."""
    return connection.execute(_FOR_CITIZEN, {"b_poll": poll_id, "b_citizen": citizen_id}).first()


def listing(
    connection: Connection, *, status: str | None, limit: int, offset: int
) -> tuple[list[AnyRow], int]:
    where = [POLL.c.status == status] if status else []
    rows = connection.execute(
        select(POLL).where(*where).order_by(POLL.c.id.desc()).limit(limit).offset(offset)
    ).all()
    total = connection.execute(select(func.count()).select_from(POLL).where(*where)).scalar_one()
    return list(rows), total


def edit(connection: Connection, *, poll_id: int, **fields: Any) -> bool:
    """Changes a survey that is not open yet; False once it has opened."""
    return update_if_status(
        connection,
        POLL,
        poll_id,
        EDITABLE,
        **fields,
        version=POLL.c.version + 1,
        updated_at=utcnow(),
    )


def move(
    connection: Connection, *, poll_id: int, before: Sequence[str], after: str, **fields: Any
) -> bool:
    """Moves the survey on if it is in one of `before`; True only for the caller that did."""
    return update_if_status(
        connection, POLL, poll_id, before, status=after, updated_at=utcnow(), **fields
    )


def due(connection: Connection, *, now: datetime) -> list[tuple[int, str]]:
    """Surveys whose opening or closing time has come: (id, "open" or "close")."""
    opening = select(POLL.c.id).where(
        POLL.c.status == "scheduled", POLL.c.opens_at <= now, POLL.c.closes_at > now
    )
    closing = select(POLL.c.id).where(
        POLL.c.status.in_(("scheduled", "open")), POLL.c.closes_at <= now
    )
    return [(i, "open") for i in connection.execute(opening).scalars()] + [
        (i, "close") for i in connection.execute(closing).scalars()
    ]


def upcoming(connection: Connection) -> list[tuple[int, str, datetime]]:
    """Every opening and closing still to happen: (id, "open" or "close", when)."""
    rows = connection.execute(
        select(POLL.c.id, POLL.c.status, POLL.c.opens_at, POLL.c.closes_at).where(
            POLL.c.status.in_(("scheduled", "open"))
        )
    ).all()
    moves = []
    for row in rows:
        if row.status == "scheduled":
            moves.append((row.id, "open", row.opens_at))
        moves.append((row.id, "close", row.closes_at))
    return moves


def for_chat(connection: Connection, *, now: datetime) -> list[AnyRow]:
    """Surveys a citizen may be shown: open now, or closed in the last 30 days."""
    open_now = and_(POLL.c.status == "open", POLL.c.opens_at <= now, POLL.c.closes_at > now)
    closed = and_(
        POLL.c.status.in_(("open", "closed")),
        POLL.c.closes_at <= now,
        POLL.c.closes_at > now - RECENTLY_CLOSED,
    )
    return list(
        connection.execute(
            select(POLL).where(or_(open_now, closed)).order_by(POLL.c.closes_at)
        ).all()
    )


def answered(connection: Connection, *, citizen_id: int, poll_ids: Iterable[int]) -> set[int]:
    ids = list(poll_ids)
    if not ids:
        return set()
    found = connection.execute(
        select(RESPONSE.c.poll_id).where(
            RESPONSE.c.citizen_id == citizen_id, RESPONSE.c.poll_id.in_(ids)
        )
    )
    return set(found.scalars())


def answered_elsewhere(
    connection: Connection, *, citizen_id: int, poll_ids: Iterable[int]
) -> set[int]:
    """The polls the same person answered as another citizen (at the counter, or in the chat
    joined to it): one person answers once, whichever way they came."""
    ids = list(poll_ids)
    if not ids:
        return set()
    found = connection.execute(
        select(RESPONSE.c.poll_id).where(
            RESPONSE.c.poll_id.in_(ids), RESPONSE.c.citizen_id.in_(_OTHERS)
        ),
        {"b_citizen": citizen_id},
    )
    return set(found.scalars())


def respond(
    connection: Connection,
    *,
    poll_id: int,
    citizen_id: int,
    answers: Mapping[str, Any],
    gu: str | None,
    dong: str | None,
    age_band: str | None,
    sealer: Sealer,
) -> bool:
    """Stores the citizen's response with its answers; False if they had already responded.

    `answers` maps question keys to a value, a list of values, or (free text) `{"text": …}`,
    which is sealed.
    """
    group = {"gu": gu, "dong": dong, "age_band": age_band}
    response_id = connection.execute(
        insert_unless_present(connection, RESPONSE)
        .values(poll_id=poll_id, citizen_id=citizen_id, submitted_at=utcnow(), **group)
        .returning(RESPONSE.c.id)
    ).scalar()
    if response_id is None:
        return False
    rows = []
    for question, answer in answers.items():
        if isinstance(answer, dict):
            rows.append(
                {
                    "question": question,
                    "ordinal": 0,
                    "value": None,
                    "sealed_text": sealer.seal_text(answer["text"]),
                }
            )
            continue
        values = answer if isinstance(answer, list) else [answer]
        for ordinal, value in enumerate(values):
            rows.append(
                {
                    "question": question,
                    "ordinal": ordinal,
                    "value": str(value),
                    "sealed_text": None,
                }
            )
    if rows:
        connection.execute(
            insert(ANSWER),
            [{**row, "poll_id": poll_id, "response_id": response_id, **group} for row in rows],
        )
    return True


def choices_of(connection: Connection, *, poll_id: int, citizen_id: int) -> dict[str, list[str]]:
    """The citizen's own choices in her response (free text left out), to mark her answers
    on the results she sees later."""
    rows = connection.execute(
        select(ANSWER.c.question, ANSWER.c.value)
        .join(RESPONSE, RESPONSE.c.id == ANSWER.c.response_id)
        .where(
            RESPONSE.c.poll_id == poll_id,
            RESPONSE.c.citizen_id == citizen_id,
            ANSWER.c.value.is_not(None),
        )
        .order_by(ANSWER.c.question, ANSWER.c.ordinal)
    )
    chosen: dict[str, list[str]] = {}
    for question, value in rows:
        chosen.setdefault(question, []).append(value)
    return chosen


def grouped_counts(connection: Connection, poll_id: int) -> list[tuple[Any, ...]]:
    """(question, value, gu, dong, age band, answers, first answers) in one grouped scan.

    A response's first row of each answer has ordinal 0, so summing the last column over a
    question's values counts its respondents, each once even with several choices.
    """
    columns = (ANSWER.c.question, ANSWER.c.value, ANSWER.c.gu, ANSWER.c.dong, ANSWER.c.age_band)
    first = func.sum(case((ANSWER.c.ordinal == 0, 1), else_=0))
    rows = connection.execute(
        select(*columns, func.count(), first).where(ANSWER.c.poll_id == poll_id).group_by(*columns)
    )
    return [tuple(row) for row in rows]


def responses(connection: Connection, poll_id: int) -> int:
    return response_counts(connection, [poll_id]).get(poll_id, 0)


def response_counts(connection: Connection, poll_ids: Iterable[int]) -> dict[int, int]:
    """Responses per survey, for a page of surveys in one query."""
    rows = connection.execute(
        select(RESPONSE.c.poll_id, func.count())
        .where(RESPONSE.c.poll_id.in_(list(poll_ids)))
        .group_by(RESPONSE.c.poll_id)
    )
    return {poll_id: count for poll_id, count in rows}


def anonymous_answers(
    connection: Connection, poll_id: int, *, sealer: Sealer
) -> list[dict[str, list[str]]]:
    """Each response's answers by question, in a shuffled order that hides who answered when."""
    by_response: dict[int, dict[str, list[str]]] = {}
    rows = connection.execute(
        select(
            ANSWER.c.response_id,
            ANSWER.c.question,
            ANSWER.c.value,
            ANSWER.c.sealed_text,
            ANSWER.c.text,
        )
        .where(ANSWER.c.poll_id == poll_id)
        .order_by(ANSWER.c.id)
    )
    for row in rows:
        if row.value is not None:
            answer = row.value
        else:
            answer = row.text if row.sealed_text is None else sealer.open_text(row.sealed_text)
        by_response.setdefault(row.response_id, {}).setdefault(row.question, []).append(answer)
    shuffled = list(by_response.values())
    random.SystemRandom().shuffle(shuffled)
    return shuffled


def count(connection: Connection) -> dict[str, int]:
    published = POLL.c.status != "draft"
    return {
        "surveys": connection.execute(
            select(func.count()).select_from(POLL).where(published)
        ).scalar_one(),
        "responses": connection.execute(select(func.count()).select_from(RESPONSE)).scalar_one(),
    }


def forget_citizen(connection: Connection, *, citizen_id: int) -> None:
    """Keeps the citizen's answers as anonymous counts, without the link to them."""
    connection.execute(
        update(RESPONSE).where(RESPONSE.c.citizen_id == citizen_id).values(citizen_id=None)
    )


def seal_plain_texts(connection: Connection, sealer: Sealer) -> int:
    """Seals free-text answers kept before sealing existed; how many were sealed."""
    rows = connection.execute(
        select(ANSWER.c.id, ANSWER.c.text).where(ANSWER.c.text.is_not(None))
    ).all()
    for row in rows:
        connection.execute(
            update(ANSWER)
            .where(ANSWER.c.id == row.id)
            .values(sealed_text=sealer.seal_text(row.text), text=None)
        )
    return len(rows)


def text_answers(
    connection: Connection, poll_id: int, question: str, *, sealer: Sealer, limit: int = 100
) -> list[str]:
    """The latest `limit` free-text answers to one question (masked when they were given),
    shuffled so that their order says nothing of who answered when."""
    rows = connection.execute(
        select(ANSWER.c.sealed_text, ANSWER.c.text)
        .where(
            ANSWER.c.poll_id == poll_id,
            ANSWER.c.question == question,
            ANSWER.c.value.is_(None),
        )
        .order_by(ANSWER.c.id.desc())
        .limit(limit)
    )
    texts: list[str] = [
        str(row.text if row.sealed_text is None else sealer.open_text(row.sealed_text))
        for row in rows
        if row.text is not None or row.sealed_text is not None
    ]
    random.SystemRandom().shuffle(texts)
    return texts

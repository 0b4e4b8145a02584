"""The counter ("창구 접수"): an official's session for a resident, what was filed in it, the
slip's code, and joining those items to the resident's chat later.

The resident is the citizen (`channel` "counter") whose external id is the keyed hash of
their phone number, so a second visit is the same person and their survey answers count
once. A slip's code is eight digits (easy to type on any phone), kept as its SHA-256 to find
it and sealed to print the slip again; it is used once and expires.
"""

import hashlib
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, and_, delete, exists, func, insert, select, update

from storage import turns
from storage.db import AnyRow, aware, table_of
from storage.models import (
    CareApplication,
    Citizen,
    CounterFiling,
    CounterSession,
    OutboxMessage,
    PollResponse,
    Proposal,
    ProposalComment,
    ProposalSupport,
    Staff,
)
from storage.sealing import Sealer

CHANNEL = "counter"
CHAT = "counter"  # replies at the counter are shown in the page, never sent anywhere
CODE_DAYS = 90
CODE_DIGITS = 8
KINDS = ("proposal", "support", "comment", "survey", "care")
# The consents behind a filing: the privacy notice read to the resident when the session
# started; for care also the flow's two (personal data, health data) and, filing for someone
# else, that person's agreement.
PRIVACY = ("privacy",)
CARE_CONSENTS = ("care_personal", "care_sensitive")
HOW = ("in_person", "phone")

SESSION = table_of(CounterSession)
FILING = table_of(CounterFiling)
CITIZEN = table_of(Citizen)
STAFF = table_of(Staff)
PROPOSAL = table_of(Proposal)
SUPPORT = table_of(ProposalSupport)
COMMENT = table_of(ProposalComment)
RESPONSE = table_of(PollResponse)
CARE = table_of(CareApplication)
OUTBOX = table_of(OutboxMessage)


@dataclass(frozen=True)
class Filed:
    """What a turn filed: a kind of `KINDS`, the item's id (for a support, a comment or a
    survey answer: the proposal's or the survey's), and the consents it was given with."""

    kind: str
    item_id: int
    consents: tuple[str, ...] = ()


@dataclass(frozen=True)
class Mark:
    """How an item filed at the counter is shown: "창구 접수 · 김담당 · 매탄3동 행정복지센터"."""

    staff_name: str
    office_dong: str
    how: str
    at: datetime


@dataclass(frozen=True)
class Joined:
    """A slip's code typed in a chat: what became that chat's (kind, item id), or why not."""

    items: tuple[tuple[str, int], ...] = ()
    refused: str | None = None  # "unknown", "used", "expired", "other_person"


def start(
    connection: Connection,
    *,
    staff_id: int,
    office_dong: str,
    how: str,
    reason: str,
    person_key: str,
    now: datetime,
) -> int:
    """A new session for the resident `person_key` (made a counter citizen on first visit)."""
    record = turns.load_turn(connection, channel=CHANNEL, external_id=person_key, chat_id=CHAT)
    connection.execute(
        update(CITIZEN).where(CITIZEN.c.id == record.citizen_id).values(person_key=person_key)
    )
    made: int = connection.execute(
        insert(SESSION)
        .values(
            staff_id=staff_id,
            office_dong=office_dong,
            how=how,
            reason=reason,
            citizen_id=record.citizen_id,
            privacy_agreed_at=now,
            started_at=now,
            last_active_at=now,
        )
        .returning(SESSION.c.id)
    ).scalar_one()
    return made


def get(connection: Connection, session_id: int) -> AnyRow | None:
    """The session with its official's name and its resident's external id."""
    return connection.execute(
        select(SESSION, STAFF.c.name.label("staff_name"), CITIZEN.c.external_id)
        .join(STAFF, STAFF.c.id == SESSION.c.staff_id)
        .outerjoin(CITIZEN, CITIZEN.c.id == SESSION.c.citizen_id)
        .where(SESSION.c.id == session_id)
    ).first()


def open_ones(connection: Connection, *, staff_id: int) -> list[AnyRow]:
    """This official's sessions not ended yet, newest first."""
    return list(
        connection.execute(
            select(SESSION)
            .where(SESSION.c.staff_id == staff_id, SESSION.c.ended_at.is_(None))
            .order_by(SESSION.c.id.desc())
        )
    )


def touch(connection: Connection, *, session_id: int, now: datetime) -> None:
    connection.execute(
        update(SESSION).where(SESSION.c.id == session_id).values(last_active_at=now)
    )


def end(connection: Connection, *, session_id: int, why: str, now: datetime) -> bool:
    """Ends a session still open; False if it had ended already."""
    result = connection.execute(
        update(SESSION)
        .where(SESSION.c.id == session_id, SESSION.c.ended_at.is_(None))
        .values(ended_at=now, ended_why=why)
    )
    return bool(result.rowcount)


def idle_past(row: AnyRow, *, idle: timedelta, now: datetime) -> bool:
    """Whether an open session has waited longer than `idle` since its last step."""
    return row.ended_at is None and aware(row.last_active_at) + idle < now


def mark(
    connection: Connection, *, session_id: int, filed: Sequence[Filed], now: datetime
) -> None:
    """Records what a counter turn filed, in the turn's own transaction."""
    if filed:
        connection.execute(
            insert(FILING),
            [
                {
                    "session_id": session_id,
                    "kind": f.kind,
                    "item_id": f.item_id,
                    "consents": list(f.consents),
                    "at": now,
                }
                for f in filed
            ],
        )


def filings(connection: Connection, *, session_id: int, after: int = 0) -> list[AnyRow]:
    """What a session filed, in order; only those recorded after filing `after` if given."""
    return list(
        connection.execute(
            select(FILING)
            .where(FILING.c.session_id == session_id, FILING.c.id > after)
            .order_by(FILING.c.id)
        )
    )


def last_filing(connection: Connection, *, session_id: int) -> int:
    """The id of a session's latest filing (0: none yet)."""
    found = connection.execute(
        select(func.max(FILING.c.id)).where(FILING.c.session_id == session_id)
    ).scalar()
    return int(found or 0)


def marks(connection: Connection, *, kind: str, item_ids: Iterable[int]) -> dict[int, Mark]:
    """The counter's mark of each of these items that was filed at the counter."""
    ids = list(item_ids)
    if not ids:
        return {}
    rows = connection.execute(
        select(
            FILING.c.item_id,
            FILING.c.at,
            SESSION.c.office_dong,
            SESSION.c.how,
            STAFF.c.name,
        )
        .join(SESSION, SESSION.c.id == FILING.c.session_id)
        .join(STAFF, STAFF.c.id == SESSION.c.staff_id)
        .where(FILING.c.kind == kind, FILING.c.item_id.in_(ids))
        .order_by(FILING.c.id)
    )
    return {r.item_id: Mark(r.name, r.office_dong, r.how, r.at) for r in rows}


def issue_code(connection: Connection, *, session_id: int, sealer: Sealer, now: datetime) -> str:
    """The slip's code for this session: made on first asking, the same on a reprint."""
    row = connection.execute(
        select(SESSION.c.sealed_code).where(SESSION.c.id == session_id)
    ).scalar_one()
    if row is not None:
        return sealer.open_text(row) or ""
    code = "".join(secrets.choice("0123456789") for _ in range(CODE_DIGITS))
    connection.execute(
        update(SESSION)
        .where(SESSION.c.id == session_id)
        .values(
            code_hash=_hash(code),
            sealed_code=sealer.seal_text(code),
            code_expires_at=now + timedelta(days=CODE_DAYS),
        )
    )
    return code


def shown(code: str) -> str:
    """The code as the slip prints it and people read it out: 4827-1935."""
    return f"{code[:4]}-{code[4:]}"


def join(connection: Connection, *, code: str, citizen_id: int, now: datetime) -> Joined:
    """Makes the items of the session whose slip bears `code` the chat citizen's own: they
    list them, and staff news about them reaches that chat. The chat becomes the same person
    as the resident, so a survey they answered at the counter is not answered twice."""
    row = connection.execute(
        select(SESSION, CITIZEN.c.person_key)
        .join(CITIZEN, CITIZEN.c.id == SESSION.c.citizen_id)
        .where(SESSION.c.code_hash == _hash(code))
    ).first()
    if row is None:
        return Joined(refused="unknown")
    if row.joined_at is not None:
        return Joined(refused="used" if row.joined_citizen_id != citizen_id else None)
    if row.code_expires_at is None or aware(row.code_expires_at) < now:
        return Joined(refused="expired")
    own = connection.execute(
        select(CITIZEN.c.person_key).where(CITIZEN.c.id == citizen_id)
    ).scalar_one()
    if own is not None and own != row.person_key:
        return Joined(refused="other_person")
    connection.execute(
        update(CITIZEN).where(CITIZEN.c.id == citizen_id).values(person_key=row.person_key)
    )
    items = filings(connection, session_id=row.id)
    for item in items:
        _move(connection, item.kind, item.item_id, row.citizen_id, citizen_id)
    connection.execute(
        update(SESSION)
        .where(SESSION.c.id == row.id)
        .values(joined_citizen_id=citizen_id, joined_at=now)
    )
    return Joined(tuple((item.kind, item.item_id) for item in items))


def _move(connection: Connection, kind: str, item_id: int, old: int, new: int) -> None:
    """One filed item from the counter citizen to the chat's. A support the chat had given
    already stays the chat's: the person counts once. A survey answer stays where it was
    given; as the same person now, the chat is told it answered at the counter."""
    if kind == "proposal":
        connection.execute(
            update(PROPOSAL)
            .where(PROPOSAL.c.id == item_id, PROPOSAL.c.author_id == old)
            .values(author_id=new)
        )
    elif kind == "care":
        connection.execute(
            update(CARE)
            .where(CARE.c.id == item_id, CARE.c.citizen_id == old)
            .values(citizen_id=new)
        )
    elif kind == "comment":
        connection.execute(
            update(COMMENT)
            .where(COMMENT.c.proposal_id == item_id, COMMENT.c.author_id == old)
            .values(author_id=new)
        )
    elif kind == "support":
        _move_support(connection, item_id, old, new)


def _move_support(connection: Connection, proposal_id: int, old: int, new: int) -> None:
    had = connection.execute(
        select(func.count())
        .select_from(SUPPORT)
        .where(SUPPORT.c.proposal_id == proposal_id, SUPPORT.c.citizen_id == new)
    ).scalar_one()
    mine = (SUPPORT.c.proposal_id == proposal_id) & (SUPPORT.c.citizen_id == old)
    if not had:
        connection.execute(update(SUPPORT).where(mine).values(citizen_id=new))
        return
    removed = connection.execute(delete(SUPPORT).where(mine)).rowcount
    if removed:
        connection.execute(
            update(PROPOSAL)
            .where(PROPOSAL.c.id == proposal_id)
            .values(support_count=PROPOSAL.c.support_count - removed)
        )


def by_channel(
    connection: Connection, *, start: datetime | None = None, end: datetime | None = None
) -> dict[str, dict[str, int]]:
    """Participation by channel, as the city reports it: proposals, survey answers and care
    applications, each counted where it was filed (at the counter, though joined to a chat
    later), filed from `start` until `end`; citizens since erased count as "erased"."""
    figures: dict[str, dict[str, int]] = {}
    sources = (
        ("proposal", PROPOSAL, PROPOSAL.c.id, PROPOSAL.c.author_id, PROPOSAL.c.created_at),
        ("survey", RESPONSE, RESPONSE.c.poll_id, RESPONSE.c.citizen_id, RESPONSE.c.submitted_at),
        ("care", CARE, CARE.c.id, CARE.c.citizen_id, CARE.c.created_at),
    )
    for kind, table, item, owner, made in sources:
        filed_here = and_(FILING.c.kind == kind, FILING.c.item_id == item)
        if kind == "survey":  # the answer of that survey given in that session
            filed_here = and_(
                filed_here,
                exists().where(
                    SESSION.c.id == FILING.c.session_id,
                    (SESSION.c.citizen_id == owner) | (SESSION.c.joined_citizen_id == owner),
                ),
            )
        channel = select(CITIZEN.c.channel).where(CITIZEN.c.id == owner).scalar_subquery()
        at_counter = exists().where(filed_here)
        query = select(at_counter.label("at_counter"), channel.label("chat"), func.count())
        if start is not None:
            query = query.where(made >= start)
        if end is not None:
            query = query.where(made < end)
        rows = connection.execute(query.select_from(table).group_by("at_counter", "chat"))
        for counter, chat, count in rows:
            name = CHANNEL if counter else chat or "erased"
            figures.setdefault(name, {}).setdefault(kind, 0)
            figures[name][kind] += count
    return figures


def latest_replies(connection: Connection, *, citizen_id: int) -> list[AnyRow]:
    """The replies of the resident's latest turn at the counter (their sealed payloads), which
    the page shows until the next turn."""
    last = (
        select(func.max(OUTBOX.c.turn))
        .where(OUTBOX.c.citizen_id == citizen_id, OUTBOX.c.channel == CHANNEL)
        .scalar_subquery()
    )
    return list(
        connection.execute(
            select(OUTBOX.c.id, OUTBOX.c.payload)
            .where(
                OUTBOX.c.citizen_id == citizen_id,
                OUTBOX.c.channel == CHANNEL,
                OUTBOX.c.turn == last,
            )
            .order_by(OUTBOX.c.id)
        )
    )


def reseal(connection: Connection, sealer: Sealer) -> int:
    """Every slip's code sealed again with the first key (key rotation); how many."""
    rows = connection.execute(
        select(SESSION.c.id, SESSION.c.sealed_code).where(SESSION.c.sealed_code.is_not(None))
    ).all()
    for row in rows:
        connection.execute(
            update(SESSION)
            .where(SESSION.c.id == row.id)
            .values(sealed_code=sealer.reseal_text(row.sealed_code))
        )
    return len(rows)


def _hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()

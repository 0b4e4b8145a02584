"""Taking part for a resident at the counter: the use cases the console and the JSON API share.

An official of a dong (a care worker too) starts a session for a resident who is present or
on the phone, after reading them the privacy notice; the resident is known by the keyed hash
of their phone number. The official then walks the same conversations as the chat, in the
page (`console/counter.py`) or through the API; each turn goes through the same runtime as
Telegram's and KakaoTalk's, which marks what it files as the counter's. A session is the
official's alone, is scoped to their dongs, ends after an idle time, and every start, end
and filing is in the audit log with the official and the reason.
"""

import asyncio
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine
from sqlmodel import Session

from conversations.care import office_of
from conversations.care import receipt as care_receipt
from conversations.districts import suwon
from conversations.events import Event, Reply
from conversations.flows.propose import receipt as proposal_receipt
from conversations.phone import normalize_phone
from runtime.workers import Turns
from staff.refusals import Refused
from storage import audit, counter, polls, proposals, state
from storage.db import AnyRow, transaction, writer_lock
from storage.models import Staff, utcnow
from storage.sealing import Sealer
from storage.staff import Role

REASON_LETTERS = 200
# What a filing's audit row is about: a support or a comment is about its proposal.
TARGETS = {
    "proposal": "proposal",
    "support": "proposal",
    "comment": "proposal",
    "survey": "poll",
    "care": "care",
}


class CounterRefused(Refused):
    """Codes: `privacy` (the notice not read and agreed), `dong` (not one of the official's),
    `how`, `reason`, `phone`, `missing` (no such session, or someone else's), `ended`,
    `erased` (the resident had their data erased in it)."""


@dataclass(frozen=True)
class SlipItem:
    """One line of the slip: what was filed, with its receipt number where it has one."""

    kind: str
    receipt: str | None
    title: str | None


@dataclass(frozen=True)
class Slip:
    """What the resident takes home: what was filed, where to ask, the code for a chat."""

    session_id: int
    office: str
    phone: str | None
    code: str
    expires_at: datetime
    items: tuple[SlipItem, ...]
    staff_name: str
    at: datetime


def mark_words(mark: counter.Mark) -> str:
    """How an item filed at the counter is marked wherever staff see it, in the city's
    words: "창구 접수 · 김담당 · 매탄3동 행정복지센터"."""
    office = office_of(mark.office_dong)
    place = office.name if office else f"{mark.office_dong} 행정복지센터"
    return f"창구 접수 · {mark.staff_name} · {place}"


def marks_of(connection: Connection, kind: str, item_ids: Iterable[int]) -> dict[int, str]:
    """The counter's mark of each of these items filed there (kind "proposal" or "care")."""
    found = counter.marks(connection, kind=kind, item_ids=item_ids)
    return {item: mark_words(mark) for item, mark in found.items()}


def dongs_of(staff: Staff) -> list[str]:
    """The dongs this official may serve at the counter: their own; an admin, every dong."""
    if staff.role == Role.ADMIN:
        return list(suwon().dongs)
    return list(staff.dongs)


def start(
    session: Session,
    sealer: Sealer,
    *,
    staff: Staff,
    office_dong: str,
    how: str,
    reason: str,
    phone: str,
    privacy_read: bool,
    now: datetime,
) -> int:
    """A new session; refused (nothing stored) unless every part of the form holds."""
    if not privacy_read:
        raise CounterRefused("privacy")
    if office_dong not in dongs_of(staff):
        raise CounterRefused("dong")
    if how not in counter.HOW:
        raise CounterRefused("how")
    why = reason.strip()
    if not why or len(why) > REASON_LETTERS:
        raise CounterRefused("reason")
    number = normalize_phone(phone)
    if number is None:
        raise CounterRefused("phone")
    person = sealer.person_hash("".join(c for c in number if c.isdigit()))
    made = counter.start(
        session.connection(),
        staff_id=staff.key,
        office_dong=office_dong,
        how=how,
        reason=why,
        person_key=person,
        now=now,
    )
    audit.record(
        session,
        staff_id=staff.key,
        action="counter.start",
        target=f"counter:{made}",
        detail={"office": office_dong, "how": how, "reason": why, "privacy": "read_and_agreed"},
    )
    return made


def end_if_idle(session: Session, *, session_id: int, idle: timedelta, now: datetime) -> bool:
    """Ends a session left idle too long (in its own transaction, before it is used)."""
    row = counter.get(session.connection(), session_id)
    if row is None or not counter.idle_past(row, idle=idle, now=now):
        return False
    counter.end(session.connection(), session_id=session_id, why="idle", now=now)
    audit.record(
        session,
        staff_id=row.staff_id,
        action="counter.end",
        target=f"counter:{session_id}",
        detail={"why": "idle"},
    )
    return True


def current(
    session: Session, *, staff: Staff, session_id: int, idle: timedelta, now: datetime
) -> AnyRow:
    """The official's own open session (call `end_if_idle` first, in a transaction of its
    own, so an idle session's end is kept though this refuses it)."""
    row = counter.get(session.connection(), session_id)
    if row is None or row.staff_id != staff.key:
        raise CounterRefused("missing")
    if row.ended_at is not None or counter.idle_past(row, idle=idle, now=now):
        raise CounterRefused("ended")
    return row


def end(session: Session, *, staff: Staff, session_id: int, why: str, now: datetime) -> bool:
    """Ends the session (`why`: "done" or "idle"); the audit log says which."""
    row = counter.get(session.connection(), session_id)
    if row is None or row.staff_id != staff.key:
        raise CounterRefused("missing")
    ended = counter.end(session.connection(), session_id=session_id, why=why, now=now)
    if ended:
        audit.record(
            session,
            staff_id=staff.key,
            action="counter.end",
            target=f"counter:{session_id}",
            detail={"why": why},
        )
    return ended


def usable(db: Engine, *, staff: Staff, session_id: int, idle: timedelta) -> AnyRow:
    """The official's session, open and with its resident; one idle longer than `idle` is
    ended first."""
    with writer_lock(db), transaction(db) as session:
        end_if_idle(session, session_id=session_id, idle=idle, now=utcnow())
    with transaction(db) as session:
        row = current(session, staff=staff, session_id=session_id, idle=idle, now=utcnow())
    if row.external_id is None:
        raise CounterRefused("erased")
    return row


async def take_turn(
    db: Engine, turns: Turns, *, staff: Staff, session_id: int, idle: timedelta, event: Event
) -> list[Reply]:
    """One turn for the resident, through the service's turn runtime as the chats' turns go
    (so every flow, check and branch is the chat's). Its replies are shown, not sent: they
    are marked delivered; what it filed is in the audit log. Raises `CounterRefused`, or the
    runtime's `TurnFailed` (nothing stored)."""
    row = await asyncio.to_thread(usable, db, staff=staff, session_id=session_id, idle=idle)
    before = await asyncio.to_thread(_last_filing, db, row.id)
    outgoing = await turns.handle(
        channel=counter.CHANNEL,
        external_id=row.external_id,
        chat_id=counter.CHAT,
        event=event,
        counter_session=row.id,
    )
    await asyncio.to_thread(
        _after_turn, db, staff, row.id, before, [o.outbox_id for o in outgoing]
    )
    return [o.reply for o in outgoing]


def latest_replies(db: Engine, sealer: Sealer, *, row: AnyRow) -> list[Reply]:
    """The replies of the resident's latest turn, as the page or the API shows them."""
    with transaction(db) as session:
        stored = counter.latest_replies(session.connection(), citizen_id=row.citizen_id)
    return [Reply.from_dict(sealer.open_json(r.payload)) for r in stored]


def _last_filing(db: Engine, session_id: int) -> int:
    with transaction(db) as session:
        return counter.last_filing(session.connection(), session_id=session_id)


def _after_turn(db: Engine, staff: Staff, session_id: int, before: int, ids: list[Any]) -> None:
    with writer_lock(db), transaction(db) as session:
        state.mark_sent(session, message_ids=ids)
        record_filings(session, staff=staff, session_id=session_id, since_id=before)


def record_filings(session: Session, *, staff: Staff, session_id: int, since_id: int) -> None:
    """Each item a turn filed, as an audit row with the session's reason."""
    connection = session.connection()
    row = counter.get(connection, session_id)
    for filing in counter.filings(connection, session_id=session_id, after=since_id):
        audit.record(
            session,
            staff_id=staff.key,
            action="counter.file",
            target=f"{TARGETS[filing.kind]}:{filing.item_id}",
            detail={
                "kind": filing.kind,
                "counter": session_id,
                "office": row.office_dong if row else None,
                "how": row.how if row else None,
                "reason": row.reason if row else None,
                "consents": list(filing.consents),
            },
        )


def slip(
    session: Session, sealer: Sealer, *, row: AnyRow, help_phone: str | None, now: datetime
) -> Slip:
    """The slip of a session: issues its code the first time."""
    connection = session.connection()
    code = counter.issue_code(connection, session_id=row.id, sealer=sealer, now=now)
    fresh = counter.get(connection, row.id)
    assert fresh is not None and fresh.code_expires_at is not None, "a code was just issued"
    office = office_of(row.office_dong)
    items = filed_items(connection, session_id=row.id)
    return Slip(
        session_id=row.id,
        office=office.name if office else f"{row.office_dong} 행정복지센터",
        phone=(office.phone if office else None) or help_phone,
        code=counter.shown(code),
        expires_at=fresh.code_expires_at,
        items=items,
        staff_name=row.staff_name,
        at=row.started_at,
    )


def filed_items(connection: Connection, *, session_id: int) -> tuple[SlipItem, ...]:
    """What a session filed, as its slip lists it."""
    filed = counter.filings(connection, session_id=session_id)
    return tuple(_slip_item(connection, filing.kind, filing.item_id) for filing in filed)


def _slip_item(connection: Connection, kind: str, item_id: int) -> SlipItem:
    if kind in ("proposal", "support", "comment"):
        return SlipItem(kind, proposal_receipt(item_id), _proposal_title(connection, item_id))
    if kind == "care":
        return SlipItem(kind, care_receipt(item_id), None)
    poll = polls.get(connection, item_id)
    return SlipItem(kind, None, poll.title if poll is not None else None)


def _proposal_title(connection: Connection, proposal_id: int) -> str | None:
    found = proposals.cards(connection, [proposal_id])
    return found[0].title if found else None

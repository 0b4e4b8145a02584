"""Tailored notices: who they reach, the delivery queue, claiming rows to send, and reports.

The audience is one set-based query over citizens (so 1.2 million are queued in seconds, in
id-range batches). Senders claim due rows with a lease (`claimed_until`); on PostgreSQL the
claim uses `FOR UPDATE SKIP LOCKED`, so two processes never take the same row, and SQLite
serialises writers anyway. A row is marked sent right after Telegram accepts it.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    String,
    and_,
    case,
    cast,
    func,
    insert,
    literal,
    not_,
    or_,
    select,
    true,
    update,
)

from storage.counter import CHANNEL as COUNTER_CHANNEL
from storage.db import AnyRow, table_of, update_if_status
from storage.models import Citizen, Notice, NoticeDelivery, NoticeOptOut, utcnow

PUSHED_CHANNEL = "telegram"
HELD = "held"  # a delivery waiting for its citizen's next message
NOTICE = table_of(Notice)
DELIVERY = table_of(NoticeDelivery)
CITIZEN = table_of(Citizen)
OPT_OUT = table_of(NoticeOptOut)
BUDGET_WINDOW = timedelta(days=7)
QUEUE_BATCH = 100_000
EDITABLE = ("draft", "scheduled")


def create(connection: Connection, *, created_by: int | None, **fields: Any) -> int:
    now = utcnow()
    made: int = connection.execute(
        insert(NOTICE)
        .values(status="draft", topics=[], audience={}, created_by=created_by)
        .values(created_at=now, updated_at=now, **fields)
        .returning(NOTICE.c.id)
    ).scalar_one()
    return made


def get(connection: Connection, notice_id: int) -> AnyRow | None:
    return connection.execute(select(NOTICE).where(NOTICE.c.id == notice_id)).first()


def listing(connection: Connection, *, limit: int, offset: int) -> tuple[list[AnyRow], int]:
    rows = connection.execute(
        select(NOTICE).order_by(NOTICE.c.id.desc()).limit(limit).offset(offset)
    ).all()
    return list(rows), connection.execute(select(func.count()).select_from(NOTICE)).scalar_one()


def sending(connection: Connection) -> list[AnyRow]:
    """The notices on their way to citizens now, for the console's home page."""
    return list(connection.execute(select(NOTICE).where(NOTICE.c.status == "sending")).all())


def edit(connection: Connection, *, notice_id: int, **fields: Any) -> bool:
    return update_if_status(connection, NOTICE, notice_id, EDITABLE, **fields, updated_at=utcnow())


def move(
    connection: Connection, *, notice_id: int, before: Sequence[str], after: str, **fields: Any
) -> bool:
    return update_if_status(
        connection, NOTICE, notice_id, before, status=after, updated_at=utcnow(), **fields
    )


# -- the audience ----------------------------------------------------------------------------


def _contains(column: Any, value: str) -> Any:
    """A JSON list column holds `value` (text match on the JSON, the same on both databases)."""
    return cast(column, String).like(f'%"{value}"%')


@dataclass(frozen=True)
class Audience:
    """Who a notice is for: its filters (gus, dongs, age_bands, interests, languages; an empty
    one matches everybody), its topics (whoever muted one is left out), and the city's dongs
    per gu."""

    filters: Mapping[str, Sequence[str]]
    topics: Sequence[str]
    dongs_of: Mapping[str, list[str]]

    def where(self) -> Any:
        """Active citizens with notices on who match every listed filter."""
        return _matching(self.filters, self.topics, self.dongs_of)


def _matching(
    audience: Mapping[str, Sequence[str]], topics: Sequence[str], dongs_of: Mapping[str, list[str]]
) -> Any:
    # A resident served at the counter has no chat to tell: the counter's citizens are never
    # in a notice's audience (joined to a chat, that chat's citizen is).
    where = [
        CITIZEN.c.active,
        CITIZEN.c.notices_enabled,
        CITIZEN.c.channel != COUNTER_CHANNEL,
        audience_where(audience, dongs_of),
    ]
    if topics:
        where.append(not_(or_(*(_contains(CITIZEN.c.muted_topics, t) for t in topics))))
    return and_(*where)


def audience_where(
    audience: Mapping[str, Sequence[str]], dongs_of: Mapping[str, list[str]]
) -> Any:
    """Citizens matching every listed filter of an audience (gus, dongs, age bands, interests,
    languages; an empty one matches everybody) — a notice's or a survey's."""
    where: list[ColumnElement[bool]] = []
    dongs = list(audience.get("dongs") or [])
    for gu in audience.get("gus") or []:
        dongs += dongs_of.get(gu, [])
    if audience.get("gus") or audience.get("dongs"):
        where.append(CITIZEN.c.dong.in_(dongs))
    if audience.get("age_bands"):
        where.append(CITIZEN.c.age_band.in_(audience["age_bands"]))
    if audience.get("languages"):
        languages = list(audience["languages"])
        lang = CITIZEN.c.language
        where.append(
            or_(lang.in_(languages), lang.is_(None)) if "ko" in languages else lang.in_(languages)
        )
    if audience.get("interests"):
        where.append(or_(*(_contains(CITIZEN.c.interests, i) for i in audience["interests"])))
    return and_(true(), *where)


def _over_budget(now: datetime, budget: int) -> Any:
    """Citizens who already had `budget` non-urgent notices in the last seven days."""
    return (
        select(DELIVERY.c.citizen_id)
        .where(
            DELIVERY.c.status == "sent",
            DELIVERY.c.urgent.is_(False),
            DELIVERY.c.sent_at > now - BUDGET_WINDOW,
            DELIVERY.c.citizen_id.is_not(None),
        )
        .group_by(DELIVERY.c.citizen_id)
        .having(func.count() >= budget)
    )


def preview(
    connection: Connection, *, audience: Audience, urgent: bool, budget: int, now: datetime
) -> tuple[int, int]:
    """(matching citizens, of whom over this week's budget); urgent notices have no budget."""
    matching = audience.where()
    total = connection.execute(
        select(func.count()).select_from(CITIZEN).where(matching)
    ).scalar_one()
    if urgent:
        return total, 0
    over = connection.execute(
        select(func.count())
        .select_from(CITIZEN)
        .where(matching, CITIZEN.c.id.in_(_over_budget(now, budget)))
    ).scalar_one()
    return total, over


def reach_by_channel(connection: Connection, *, audience: Audience) -> dict[str, int]:
    """Matching citizens per channel (Telegram's are sent to; others' wait for their next
    message)."""
    rows = connection.execute(
        select(CITIZEN.c.channel, func.count()).where(audience.where()).group_by(CITIZEN.c.channel)
    )
    return {channel: count for channel, count in rows}


def queue(
    connection: Connection,
    *,
    notice_id: int,
    audience: Audience,
    urgent: bool,
    budget: int,
    now: datetime,
) -> int:
    """Queues every matching citizen within budget, in id-range batches; rows written."""
    low, high = connection.execute(select(func.min(CITIZEN.c.id), func.max(CITIZEN.c.id))).one()
    if low is None:
        return 0
    where = [audience.where()]
    if not urgent:
        where.append(CITIZEN.c.id.not_in(_over_budget(now, budget)))
    for start in range(low, high + 1, QUEUE_BATCH):
        chosen = select(
            literal(notice_id),
            CITIZEN.c.id,
            CITIZEN.c.chat_id,
            CITIZEN.c.language,
            literal(urgent),
            # Only Telegram lets the city speak first; a citizen of another channel (KakaoTalk
            # without its paid Event API) gets the notice with their next message.
            case((CITIZEN.c.channel == PUSHED_CHANNEL, "queued"), else_=HELD),
            literal(0),
            literal(now),
        ).where(*where, CITIZEN.c.id >= start, CITIZEN.c.id < start + QUEUE_BATCH)
        connection.execute(
            insert(DELIVERY).from_select(
                [
                    "notice_id",
                    "citizen_id",
                    "chat_id",
                    "language",
                    "urgent",
                    "status",
                    "attempts",
                    "not_before",
                ],
                chosen,
            )
        )
    return connection.execute(
        select(func.count()).where(DELIVERY.c.notice_id == notice_id)
    ).scalar_one()


def queue_test_copy(
    connection: Connection, *, notice_id: int, chat_id: str, language: str | None
) -> int:
    """A copy for a staff member's chat: urgent (no quiet hours, no budget), not counted."""
    made: int = connection.execute(
        insert(DELIVERY)
        .values(
            notice_id=notice_id,
            citizen_id=None,
            chat_id=chat_id,
            language=language,
            urgent=True,
            status="queued",
            attempts=0,
            not_before=utcnow(),
        )
        .returning(DELIVERY.c.id)
    ).scalar_one()
    return made


# -- sending -----------------------------------------------------------------------------------


def claim(
    connection: Connection, *, now: datetime, limit: int, lease: timedelta, quiet: bool
) -> list[AnyRow]:
    """Due rows for this sender, leased until `now + lease`; urgent ones only in quiet hours."""
    due = [
        DELIVERY.c.status == "queued",
        DELIVERY.c.not_before <= now,
        or_(DELIVERY.c.claimed_until.is_(None), DELIVERY.c.claimed_until < now),
    ]
    if quiet:
        due.append(DELIVERY.c.urgent.is_(True))
    pick = (
        select(DELIVERY.c.id)
        .where(*due)
        .order_by(DELIVERY.c.urgent.desc(), DELIVERY.c.id)
        .limit(limit)
    )
    if connection.dialect.name == "postgresql":
        pick = pick.with_for_update(skip_locked=True)
    ids = list(connection.execute(pick).scalars())
    if not ids:
        return []
    connection.execute(
        update(DELIVERY)
        .where(DELIVERY.c.id.in_(ids))
        .values(claimed_until=now + lease, attempts=DELIVERY.c.attempts + 1)
    )
    return list(
        connection.execute(
            select(
                DELIVERY.c.id,
                DELIVERY.c.notice_id,
                DELIVERY.c.citizen_id,
                DELIVERY.c.chat_id,
                DELIVERY.c.language,
                DELIVERY.c.attempts,
            )
            .where(DELIVERY.c.id.in_(ids))
            .order_by(DELIVERY.c.id)
        ).all()
    )


def renew(connection: Connection, *, ids: Iterable[int], until: datetime) -> None:
    """Extends a sender's lease on rows it still holds (only while they are unsent)."""
    connection.execute(
        update(DELIVERY)
        .where(DELIVERY.c.id.in_(list(ids)), DELIVERY.c.status == "queued")
        .values(claimed_until=until)
    )


def settle(
    connection: Connection,
    *,
    sent: Iterable[int] = (),
    blocked: Iterable[int] = (),
    failed: Iterable[int] = (),
    retry: Mapping[int, datetime] | None = None,
    now: datetime,
) -> None:
    """Records what happened to claimed rows; blocked chats also make the citizen inactive."""
    if ids := list(sent):
        connection.execute(
            update(DELIVERY).where(DELIVERY.c.id.in_(ids)).values(status="sent", sent_at=now)
        )
    if ids := list(failed):
        connection.execute(update(DELIVERY).where(DELIVERY.c.id.in_(ids)).values(status="failed"))
    if ids := list(blocked):
        connection.execute(update(DELIVERY).where(DELIVERY.c.id.in_(ids)).values(status="blocked"))
        citizens = select(DELIVERY.c.citizen_id).where(DELIVERY.c.id.in_(ids))
        connection.execute(
            update(CITIZEN).where(CITIZEN.c.id.in_(citizens)).values(active=False, updated_at=now)
        )
    for delivery_id, when in (retry or {}).items():
        connection.execute(
            update(DELIVERY)
            .where(DELIVERY.c.id == delivery_id)
            .values(not_before=when, claimed_until=None)
        )


def finish_sent(connection: Connection, *, now: datetime) -> list[int]:
    """Notices whose every row is done are marked sent; their ids."""
    sending = list(
        connection.execute(select(NOTICE.c.id).where(NOTICE.c.status == "sending")).scalars()
    )
    finished = []
    for notice_id in sending:
        left = connection.execute(
            select(DELIVERY.c.id)
            .where(DELIVERY.c.notice_id == notice_id, DELIVERY.c.status == "queued")
            .limit(1)
        ).first()
        if left is None and move(
            connection, notice_id=notice_id, before=("sending",), after="sent", finished_at=now
        ):
            finished.append(notice_id)
    return finished


def cancel(connection: Connection, *, notice_id: int) -> int:
    """Stops a notice: rows not yet sent are cancelled; how many."""
    move(
        connection,
        notice_id=notice_id,
        before=("draft", "scheduled", "sending"),
        after="cancelled",
    )
    return connection.execute(
        update(DELIVERY)
        .where(DELIVERY.c.notice_id == notice_id, DELIVERY.c.status == "queued")
        .values(status="cancelled")
    ).rowcount


def report(connection: Connection, notice_id: int) -> dict[str, int]:
    """Rows per status for the citizens' copies (test copies are not counted)."""
    rows = connection.execute(
        select(DELIVERY.c.status, func.count())
        .where(DELIVERY.c.notice_id == notice_id, DELIVERY.c.citizen_id.is_not(None))
        .group_by(DELIVERY.c.status)
    )
    return {status: count for status, count in rows}


def cancelled_among(connection: Connection, notice_ids: Iterable[int]) -> set[int]:
    rows = connection.execute(
        select(NOTICE.c.id).where(
            NOTICE.c.id.in_(list(notice_ids)), NOTICE.c.status == "cancelled"
        )
    )
    return set(rows.scalars())


def due_scheduled(connection: Connection, *, now: datetime) -> list[AnyRow]:
    return list(
        connection.execute(
            select(NOTICE).where(NOTICE.c.status == "scheduled", NOTICE.c.send_at <= now)
        ).all()
    )


def scheduled(connection: Connection) -> list[tuple[int, datetime]]:
    rows = connection.execute(
        select(NOTICE.c.id, NOTICE.c.send_at).where(NOTICE.c.status == "scheduled")
    )
    return [(row.id, row.send_at) for row in rows]


def texts(connection: Connection, notice_ids: Iterable[int]) -> dict[int, AnyRow]:
    rows = connection.execute(select(NOTICE).where(NOTICE.c.id.in_(list(notice_ids))))
    return {row.id: row for row in rows}


@dataclass(frozen=True)
class Held:
    """A notice held for a citizen's next message, with what its buttons need."""

    delivery_id: int
    text: str
    topics: tuple[str, ...]
    apply_flow: str | None
    link_url: str | None
    link_label: str | None
    language: str | None


def hold_again(connection: Connection, *, delivery_ids: Iterable[int]) -> None:
    """Holds notices again that an answer the citizen never saw had marked shown."""
    if ids := list(delivery_ids):
        connection.execute(
            update(DELIVERY)
            .where(DELIVERY.c.id.in_(ids), DELIVERY.c.status == "sent")
            .values(status=HELD, sent_at=None)
        )


def held_for(connection: Connection, *, channel: str, chat_id: str) -> list[Held]:
    """The notices held for this citizen (see `queue`), oldest first, to show with the
    answer to their message (with their buttons: fewer like this, apply, link). They stay
    held until `settle` marks them sent with the answer that showed them."""
    rows = connection.execute(
        select(
            DELIVERY.c.id,
            NOTICE.c.text,
            NOTICE.c.topics,
            NOTICE.c.apply_flow,
            NOTICE.c.link_url,
            NOTICE.c.link_label,
            CITIZEN.c.language,
        )
        .join(NOTICE, NOTICE.c.id == DELIVERY.c.notice_id)
        .join(CITIZEN, CITIZEN.c.id == DELIVERY.c.citizen_id)
        .where(
            DELIVERY.c.status == HELD,
            DELIVERY.c.chat_id == chat_id,
            CITIZEN.c.channel == channel,
            NOTICE.c.status.in_(("sending", "sent")),
        )
        .order_by(DELIVERY.c.id)
    ).all()
    return [
        Held(
            row.id,
            row.text,
            tuple(row.topics or ()),
            row.apply_flow,
            row.link_url,
            row.link_label,
            row.language,
        )
        for row in rows
    ]


def for_citizen(connection: Connection, *, citizen_id: int, limit: int) -> list[AnyRow]:
    return list(
        connection.execute(
            select(NOTICE.c.id, NOTICE.c.text, NOTICE.c.apply_flow, DELIVERY.c.sent_at)
            .join(DELIVERY, DELIVERY.c.notice_id == NOTICE.c.id)
            .where(DELIVERY.c.citizen_id == citizen_id, DELIVERY.c.status == "sent")
            .order_by(DELIVERY.c.sent_at.desc())
            .limit(limit)
        ).all()
    )


def sent_since(connection: Connection, notice_id: int, since: datetime) -> int:
    return connection.execute(
        select(func.count()).where(
            DELIVERY.c.notice_id == notice_id,
            DELIVERY.c.status == "sent",
            DELIVERY.c.sent_at >= since,
        )
    ).scalar_one()


def undelivered(connection: Connection, notice_id: int, *, limit: int = 200) -> list[AnyRow]:
    """The citizens' copies that failed or were blocked: which citizen (by id, to be shown
    masked), their dong, the status and the attempts; never the chat id."""
    return list(
        connection.execute(
            select(DELIVERY.c.citizen_id, CITIZEN.c.dong, DELIVERY.c.status, DELIVERY.c.attempts)
            .join(CITIZEN, CITIZEN.c.id == DELIVERY.c.citizen_id)
            .where(DELIVERY.c.notice_id == notice_id, DELIVERY.c.status.in_(("failed", "blocked")))
            .order_by(DELIVERY.c.id)
            .limit(limit)
        ).all()
    )


def record_opt_outs(
    connection: Connection, *, before: Mapping[str, Any], after: Mapping[str, Any]
) -> None:
    """Counts a citizen's turn that switched notices off or muted a topic (no citizen kept),
    for the dashboard's opt-outs; any way of doing it counts (a notice's "fewer like this"
    button, the settings, onboarding)."""
    rows: list[dict[str, Any]] = []
    if before.get("notices_enabled") and after.get("notices_enabled") is False:
        rows.append({"kind": "off", "topic": None})
    muted = set(before.get("muted_topics") or ())
    rows += [
        {"kind": "mute", "topic": topic}
        for topic in after.get("muted_topics") or ()
        if topic not in muted
    ]
    if rows:
        now = utcnow()
        connection.execute(insert(OPT_OUT), [{**row, "created_at": now} for row in rows])

"""A citizen turn, start to finish: the engine's answer and its storage in one transaction.

    event → (lock: version check) load citizen + state → engine.resume → one transaction:
    state (version + 1), profile, outbox rows, seen update id → the channel sends the outbox.

A re-delivered update finds its id and does nothing. A crash after commit is repaired by
sending what the outbox still holds. Two processes racing on one citizen: the loser's
version check fails, it reloads and runs the turn again on the winner's state.
"""

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from typing import Any, Protocol

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import IntegrityError, OperationalError

from conversations.desk import CareTerms, ProposalRules
from conversations.districts import CITY_ZONE
from conversations.engine import Engine as ConversationEngine
from conversations.engine import Turn
from conversations.events import EraseCitizen, Event, Reply
from conversations.model import Profile
from conversations.session import Session
from runtime.desk import ProposalIndex, StorageDesk
from runtime.errors import LastingFailure, PassingFailure, TurnFailed
from runtime.logs import REQUEST_ID, request_id
from storage import audit, citizens, counter, groups, notices, staff_links, state, turns
from storage.db import transaction, writer_lock
from storage.models import utcnow
from storage.sealing import Sealer, SealingError

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 8
CLAIM_SECONDS = 60


@dataclass(frozen=True)
class Outgoing:
    """A stored reply, claimed by this process for sending."""

    outbox_id: int
    chat_id: str
    reply: Reply
    reply_to_message: str | None = None


class AroundTurn(Protocol):
    """A channel's own storage work, done in the turn's transaction so a call costs one (a
    channel that answers in the same request: noting the call before, keeping the answer
    after). Handed to the process that runs turns and back, so it is picklable and keeps
    what it found on itself. The turn's replies go out in that answer, so they are stored
    as sent; `after_turn` gives back any that the answer will not show."""

    def before_turn(self, runtime: "Runtime", connection: Connection, now: datetime) -> bool:
        """Work before the turn; False: no turn (what was done is kept)."""
        ...

    def after_turn(
        self,
        runtime: "Runtime",
        connection: Connection,
        outgoing: list[Outgoing],
        now: datetime,
        *,
        erased: bool,
    ) -> None:
        """Work after the turn, on its replies, before the commit; `erased`: the turn
        erased the citizen."""
        ...


Answer = list[Outgoing] | TurnFailed
"""A turn's replies, or why it failed (`Runtime.handle_together`)."""


class StateConflict(Exception):
    """Someone else advanced this citizen since we read the state."""


class Runtime:
    def __init__(
        self,
        db: Engine,
        conversations: ConversationEngine,
        *,
        sealer: Sealer,
        clock: Callable[[], datetime] = utcnow,
        rules: ProposalRules | None = None,
        care_terms: CareTerms | None = None,
        zone: tzinfo = CITY_ZONE,
    ) -> None:
        self.db = db
        self.zone = zone
        self.conversations = conversations
        self.sealer = sealer
        self.care_terms = care_terms or CareTerms(retention_days=365, phone=None)
        self.clock = clock
        self.rules = rules or ProposalRules()
        self.proposals = ProposalIndex()

    def handle(
        self,
        *,
        channel: str,
        external_id: str,
        chat_id: str,
        event: Event,
        update_id: int | None = None,
        message_ref: str | None = None,
        counter_session: int | None = None,
        around: AroundTurn | None = None,
    ) -> list[Outgoing]:
        """Runs one turn and returns the replies to send; empty for a re-delivered update
        (or when `around` decided against a turn).

        A turn taken at the counter names its session: what it files is marked as the
        counter's in the same transaction. `around` is a channel's work before and after the
        turn, in the same transaction (retried with it). Raises a `TurnFailed` whose `action`
        tells the channel what to do; nothing of a failed turn is stored.
        """
        with request_id(_request_id(channel, update_id)):
            for attempt in range(MAX_ATTEMPTS):
                try:
                    with writer_lock(self.db), self.db.begin() as connection:
                        return self._turn(
                            connection, channel=channel, external_id=external_id,
                            chat_id=chat_id, event=event, update_id=update_id,
                            message_ref=message_ref, counter_session=counter_session,
                            around=around,
                        )  # fmt: skip
                except (StateConflict, IntegrityError, OperationalError) as error:
                    log.info(
                        "turn retried after %s (attempt %d)", type(error).__name__, attempt + 1
                    )
                except SealingError as error:
                    raise LastingFailure("the citizen's sealed state does not open") from error
                except TurnFailed:
                    raise
                except Exception as error:
                    raise LastingFailure(f"the turn failed: {type(error).__name__}") from error
            raise PassingFailure("the citizen's turn kept conflicting")

    def handle_together(self, requests: Iterable[dict[str, Any]]) -> list[Answer]:
        """Several citizens' turns (each `handle`'s arguments) in one transaction, so they
        wait for the disk once instead of once each; each one's replies, or its failure, in
        order.

        `requests` is read one at a time while the transaction is open, so a caller can hand
        over what arrives meanwhile. If any of them conflicts or fails, none of them is kept:
        each is taken again on its own by `handle`, with its own retries and its own failure,
        and what was not read yet stays unread.
        """
        taken: list[dict[str, Any]] = []
        answers: list[Answer] = []
        try:
            with (
                self.proposals.tentative(),
                writer_lock(self.db),
                self.db.begin() as connection,
            ):
                for request in requests:
                    taken.append(request)
                    with request_id(_request_id(request["channel"], request.get("update_id"))):
                        answers.append(self._turn(connection, **request))
            return answers
        except Exception as error:  # every kind is handled again, one by one, below
            log.info("%d turns taken together failed (%s)", len(taken), type(error).__name__)
        return [self._answer(request) for request in taken]

    def _answer(self, request: dict[str, Any]) -> Answer:
        try:
            return self.handle(**request)
        except TurnFailed as failure:
            return failure

    def _turn(
        self,
        connection: Connection,
        *,
        channel: str,
        external_id: str,
        chat_id: str,
        event: Event,
        update_id: int | None = None,
        message_ref: str | None = None,
        counter_session: int | None = None,
        around: AroundTurn | None = None,
    ) -> list[Outgoing]:
        """Load, resume, store, queue, in the caller's transaction: a turn is kept whole or
        not at all."""
        now = self.clock()
        if around is not None and not around.before_turn(self, connection, now):
            return []
        record = turns.load_turn(
            connection, channel=channel, external_id=external_id, chat_id=chat_id
        )
        if record.has_seen(update_id):
            return []
        turn, filed = self._resume(connection, record, event, now)
        citizen_id = self._store(connection, record, turn, update_id)
        if counter_session is not None:
            counter.mark(connection, session_id=counter_session, filed=filed, now=now)
            counter.touch(connection, session_id=counter_session, now=now)
        ids = state.enqueue(
            connection,
            citizen_id=citizen_id,
            channel=channel,
            chat_id=chat_id,
            payloads=[self.sealer.seal_json(reply.to_dict()) for reply in turn.replies],
            claimed_until=None if around else now + timedelta(seconds=CLAIM_SECONDS),
            sent_at=now if around else None,
            reply_to_message=message_ref,
            turn=(record.version or 0) + 1,
        )
        outgoing = [
            Outgoing(outbox_id, chat_id, reply, message_ref)
            for outbox_id, reply in zip(ids, turn.replies, strict=True)
        ]
        if around is not None:
            around.after_turn(self, connection, outgoing, now, erased=citizen_id is None)
        return outgoing

    def _resume(
        self, connection: Connection, record: turns.TurnRecord, event: Event, now: datetime
    ) -> tuple[Turn, list[counter.Filed]]:
        """The engine's answer, with a desk bound to this citizen and this transaction, and
        what the desk filed in it."""
        desk = StorageDesk(
            connection,
            record.citizen_id,
            self.proposals,
            self.rules,
            sealer=self.sealer,
            care_terms=self.care_terms,
            gu_of=self.conversations.districts.gu_of,
            now=now,
            zone=self.zone,
        )
        session = Session.from_dict(self.sealer.open_json(record.state))
        profile = Profile.from_fields(record.profile)
        return self.conversations.resume(session, profile, event, now, desk), desk.filed

    def _store(
        self,
        connection: Connection,
        record: turns.TurnRecord,
        turn: Turn,
        update_id: int | None,
    ) -> int | None:
        """Erases the citizen, or saves what changed (version-checked); the citizen's id left."""
        erase = next((e for e in turn.effects if isinstance(e, EraseCitizen)), None)
        if erase is not None:
            citizens.erase_citizen(
                connection,
                citizen_id=record.citizen_id,
                remove_posts=erase.remove_posts,
                withdraw_care=erase.withdraw_care,
            )
            return None
        profile = turn.profile.to_fields()
        changes = {k: v for k, v in profile.items() if record.profile[k] != v}
        turns.save_profile(connection, citizen_id=record.citizen_id, changes=changes)
        if changes:
            notices.record_opt_outs(connection, before=record.profile, after=profile)
        saved = turns.save_state(
            connection,
            citizen_id=record.citizen_id,
            data=self.sealer.seal_json(turn.session.to_dict()),
            recent_updates=record.remember(update_id),
            version=record.version,
        )
        if not saved:
            raise StateConflict
        return record.citizen_id

    def confirm(self, *, sent: Sequence[int] = (), failed: Sequence[int] = ()) -> None:
        with writer_lock(self.db), transaction(self.db) as session:
            state.mark_sent(session, message_ids=sent)
            state.mark_failed(session, message_ids=failed)

    def release(self, *, outbox_ids: Sequence[int]) -> None:
        with writer_lock(self.db), transaction(self.db) as session:
            state.release(session, message_ids=outbox_ids)

    def unsent(self, *, channel: str, older_than: timedelta, news: bool = False) -> list[Outgoing]:
        """Replies a crash or an outage left unsent, claimed for this process; with `news`,
        instead, what staff have just queued for citizens (answers, merges, case moves)."""
        now = self.clock()
        with transaction(self.db) as session:
            rows = state.claim_unsent(
                session,
                channel=channel,
                now=now,
                created_before=now + timedelta(seconds=1) if news else now - older_than,
                claim_until=now + timedelta(seconds=CLAIM_SECONDS),
                news=news,
            )
        return [
            Outgoing(
                row.id,
                row.chat_id,
                Reply.from_dict(self.sealer.open_json(row.payload)),
                row.reply_to_message,
            )
            for row in rows
            if row.id is not None  # claimed rows are stored rows: always numbered
        ]

    def set_reachable(self, *, channel: str, external_id: str, reachable: bool) -> None:
        """The citizen blocked (or unblocked) the bot."""
        with transaction(self.db) as session:
            citizens.set_active(
                session, channel=channel, external_id=external_id, active=reachable
            )

    def first_time_in_group(self, *, channel: str, chat_id: str) -> bool:
        """Whether the bot has not yet spoken in this group chat (and now will have)."""
        with writer_lock(self.db), transaction(self.db) as session:
            return groups.first_time(session.connection(), chat_id=f"{channel}:{chat_id}")

    def link_staff(self, *, chat_id: str, code: str) -> bool:
        """A staff member links this Telegram chat to her account (`/staff CODE`); audited.
        False for a wrong, used or expired code."""
        with writer_lock(self.db), transaction(self.db) as session:
            staff = staff_links.link(session, code=code, chat_id=chat_id, now=self.clock())
            if staff is None:
                return False
            audit.record(
                session,
                staff_id=staff.id,
                action="staff.telegram_link",
                target=f"staff:{staff.id}",
            )
            return True

    def chat_blocked(self, *, channel: str, chat_id: str) -> None:
        with transaction(self.db) as session:
            citizens.deactivate_chat(session, channel=channel, chat_id=chat_id)

    def prune(self, *, keep_sent: timedelta, keep_news: timedelta) -> None:
        """Forgets delivered replies, kept a while only to help support staff, and staff
        news, kept longer so a proposal's or case's page can say who was told."""
        now = self.clock()
        with transaction(self.db) as session:
            state.prune(session, sent_before=now - keep_sent, news_before=now - keep_news)


def _request_id(channel: str, update_id: int | None) -> str:
    """The id a turn's log lines carry: its update's, or the caller's when it has none."""
    return f"{channel}-{update_id}" if update_id is not None else REQUEST_ID.get()

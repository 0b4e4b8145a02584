"""A citizen turn, start to finish: the engine's answer and its storage in one transaction.

    event → (lock: version check) load citizen + state → engine.resume → one transaction:
    state (version + 1), profile, outbox rows, seen update id → the channel sends the outbox.

A re-delivered update finds its id and does nothing. A crash after commit is repaired by
sending what the outbox still holds. Two processes racing on one citizen: the loser's
version check fails, it reloads and runs the turn again on the winner's state.
"""

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError, OperationalError

from conversations.desk import CareTerms, ProposalRules
from conversations.engine import Engine as ConversationEngine
from conversations.events import EraseCitizen, Event, Reply
from conversations.model import Profile
from conversations.session import Session
from runtime.desk import ProposalIndex, StorageDesk
from storage import citizens, state, turns
from storage.db import transaction, writer_lock
from storage.models import utcnow
from storage.sealing import Sealer

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
    ) -> None:
        self.db = db
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
    ) -> list[Outgoing]:
        """Runs one turn and returns the replies to send; empty for a re-delivered update."""
        for attempt in range(MAX_ATTEMPTS):
            try:
                return self._turn(channel, external_id, chat_id, event, update_id, message_ref)
            except (StateConflict, IntegrityError, OperationalError) as error:
                log.info("turn retried after %s (attempt %d)", type(error).__name__, attempt + 1)
        raise RuntimeError("citizen turn kept conflicting; giving up")

    def _turn(
        self,
        channel: str,
        external_id: str,
        chat_id: str,
        event: Event,
        update_id: int | None,
        message_ref: str | None,
    ) -> list[Outgoing]:
        now = self.clock()
        with writer_lock(self.db), self.db.begin() as connection:
            record = turns.load_turn(
                connection, channel=channel, external_id=external_id, chat_id=chat_id
            )
            if record.has_seen(update_id):
                return []
            desk = StorageDesk(
                connection,
                record.citizen_id,
                self.proposals,
                self.rules,
                sealer=self.sealer,
                care_terms=self.care_terms,
                gu_of=self.conversations.districts.gu_of,
                now=now,
            )
            turn = self.conversations.resume(
                Session.from_dict(self.sealer.open_json(record.state)),
                profile_from(record.profile),
                event,
                now,
                desk,
            )
            citizen_id: int | None = record.citizen_id
            if any(isinstance(effect, EraseCitizen) for effect in turn.effects):
                citizens.erase_citizen(connection, citizen_id=record.citizen_id)
                citizen_id = None
            else:
                profile = profile_fields(turn.profile)
                changes = {k: v for k, v in profile.items() if record.profile[k] != v}
                turns.save_profile(connection, citizen_id=record.citizen_id, changes=changes)
                if not turns.save_state(
                    connection,
                    citizen_id=record.citizen_id,
                    data=self.sealer.seal_json(turn.session.to_dict()),
                    recent_updates=record.remember(update_id),
                    version=record.version,
                ):
                    raise StateConflict
            ids = state.enqueue(
                connection,
                citizen_id=citizen_id,
                channel=channel,
                chat_id=chat_id,
                payloads=[self.sealer.seal_json(reply.to_dict()) for reply in turn.replies],
                claimed_until=now + timedelta(seconds=CLAIM_SECONDS),
                reply_to_message=message_ref,
            )
        return [
            Outgoing(outbox_id, chat_id, reply, message_ref)
            for outbox_id, reply in zip(ids, turn.replies, strict=True)
        ]

    def confirm(self, *, sent: Sequence[int] = (), failed: Sequence[int] = ()) -> None:
        with writer_lock(self.db), transaction(self.db) as session:
            state.mark_sent(session, message_ids=sent)
            state.mark_failed(session, message_ids=failed)

    def release(self, *, outbox_ids: Sequence[int]) -> None:
        with writer_lock(self.db), transaction(self.db) as session:
            state.release(session, message_ids=outbox_ids)

    def unsent(self, *, channel: str, older_than: timedelta) -> list[Outgoing]:
        """Replies a crash or an outage left unsent, claimed for this process."""
        now = self.clock()
        with transaction(self.db) as session:
            rows = state.claim_unsent(
                session,
                channel=channel,
                now=now,
                created_before=now - older_than,
                claim_until=now + timedelta(seconds=CLAIM_SECONDS),
            )
        return [
            Outgoing(
                row.id,
                row.chat_id,
                Reply.from_dict(self.sealer.open_json(row.payload)),
                row.reply_to_message,
            )
            for row in rows
        ]

    def set_reachable(self, *, channel: str, external_id: str, reachable: bool) -> None:
        """The citizen blocked (or unblocked) the bot."""
        with transaction(self.db) as session:
            citizens.set_active(
                session, channel=channel, external_id=external_id, active=reachable
            )

    def chat_blocked(self, *, channel: str, chat_id: str) -> None:
        with transaction(self.db) as session:
            citizens.deactivate_chat(session, channel=channel, chat_id=chat_id)

    def prune(self, *, keep_sent: timedelta) -> None:
        """Forgets delivered replies; they are kept a while only to help support staff."""
        with transaction(self.db) as session:
            state.prune(session, sent_before=self.clock() - keep_sent)


LISTS = ("interests", "muted_topics")


def profile_from(fields: dict[str, Any]) -> Profile:
    return Profile(**{**fields, **{name: tuple(fields[name] or ()) for name in LISTS}})


def profile_fields(profile: Profile) -> dict[str, Any]:
    return {**vars(profile), **{name: list(getattr(profile, name)) for name in LISTS}}

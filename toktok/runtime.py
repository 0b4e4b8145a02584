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

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError, OperationalError

from conversations.engine import Engine as ConversationEngine
from conversations.events import EraseCitizen, Event, Reply
from conversations.model import Profile
from conversations.session import Session
from storage import citizens, state
from storage.db import transaction
from storage.models import Citizen, utcnow

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
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.db = db
        self.conversations = conversations
        self.clock = clock

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
        claim = now + timedelta(seconds=CLAIM_SECONDS)
        with transaction(self.db) as session:
            if update_id is not None and not state.mark_update_seen(
                session, channel=channel, update_id=update_id
            ):
                return []
            citizen = citizens.get_or_create_citizen(
                session, channel=channel, external_id=external_id, chat_id=chat_id
            )
            assert citizen.id is not None
            data, version = state.load_state(session, citizen_id=citizen.id)
            turn = self.conversations.resume(
                Session.from_dict(data), profile_of(citizen), event, now
            )
            payloads = [reply.to_dict() for reply in turn.replies]
            if any(isinstance(effect, EraseCitizen) for effect in turn.effects):
                citizens.erase_citizen(session, citizen_id=citizen.id)
                citizen_id = None
            else:
                apply_profile(citizen, turn.profile)
                citizens.save_citizen(session, citizen)
                if not state.save_state(
                    session,
                    citizen_id=citizen.id,
                    data=turn.session.to_dict(),
                    expected_version=version,
                ):
                    raise StateConflict
                citizen_id = citizen.id
            rows = state.enqueue_replies(
                session,
                citizen_id=citizen_id,
                channel=channel,
                chat_id=chat_id,
                payloads=payloads,
                claimed_until=claim,
                reply_to_message=message_ref,
            )
        return [_outgoing(row) for row in rows]

    def confirm(self, *, sent: Sequence[int] = (), failed: Sequence[int] = ()) -> None:
        with transaction(self.db) as session:
            state.mark_sent(session, message_ids=sent)
            state.mark_failed(session, message_ids=failed)

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
        return [_outgoing(row) for row in rows]

    def set_reachable(self, *, channel: str, external_id: str, reachable: bool) -> None:
        """The citizen blocked (or unblocked) the bot."""
        with transaction(self.db) as session:
            citizens.set_active(
                session, channel=channel, external_id=external_id, active=reachable
            )

    def chat_blocked(self, *, channel: str, chat_id: str) -> None:
        with transaction(self.db) as session:
            citizens.deactivate_chat(session, channel=channel, chat_id=chat_id)

    def prune(self, *, keep_seen: timedelta, keep_sent: timedelta) -> None:
        now = self.clock()
        with transaction(self.db) as session:
            state.prune(session, seen_before=now - keep_seen, sent_before=now - keep_sent)


def _outgoing(row) -> Outgoing:  # type: ignore[no-untyped-def]
    return Outgoing(row.id, row.chat_id, Reply.from_dict(row.payload), row.reply_to_message)


def profile_of(citizen: Citizen) -> Profile:
    return Profile(
        language=citizen.language,
        privacy_consent=citizen.privacy_consent,
        dong=citizen.dong,
        age_band=citizen.age_band,
        interests=tuple(citizen.interests or ()),
        easy_mode=citizen.easy_mode,
        notices_enabled=citizen.notices_enabled,
        onboarded=citizen.onboarded,
    )


def apply_profile(citizen: Citizen, profile: Profile) -> None:
    """Copies only what changed, so an unchanged profile costs no write."""
    values = {**profile.__dict__, "interests": list(profile.interests)}
    for name, value in values.items():
        if getattr(citizen, name) != value:
            setattr(citizen, name, value)

"""The storage side of one citizen turn, in as few statements as the databases allow.

Every citizen message runs these, so they use SQLAlchemy Core on one connection: a joined
read of the citizen and their state, then the versioned state write, any profile change and
the replies, all committed together by the caller's transaction.
"""

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, bindparam, insert, select, update

from storage.db import table_of
from storage.models import Citizen, ConversationState, utcnow

CITIZEN = table_of(Citizen)
STATE = table_of(ConversationState)
RECENT_UPDATES_KEPT = 20
PROFILE_FIELDS = (
    "language",
    "privacy_consent",
    "dong",
    "age_band",
    "interests",
    "muted_topics",
    "easy_mode",
    "notices_enabled",
    "onboarded",
)
NEW_PROFILE: dict[str, Any] = {
    "language": None,
    "privacy_consent": None,
    "dong": None,
    "age_band": None,
    "interests": [],
    "muted_topics": [],
    "easy_mode": False,
    "notices_enabled": True,
    "onboarded": False,
}


# Built once: constructing statements cost more than running them on every message.
_LOAD = (
    select(
        CITIZEN.c.id,
        CITIZEN.c.chat_id,
        CITIZEN.c.active,
        *(CITIZEN.c[name] for name in PROFILE_FIELDS),
        STATE.c.data,
        STATE.c.recent_updates,
        STATE.c.version,
    )
    .select_from(CITIZEN.outerjoin(STATE, STATE.c.citizen_id == CITIZEN.c.id))
    .where(CITIZEN.c.channel == bindparam("b_channel"), CITIZEN.c.external_id == bindparam("b_id"))
)
# The same read on PostgreSQL, holding the citizen's row: a second turn of the same citizen
# waits here until the first commits. After the wait PostgreSQL re-reads only the locked row,
# so the state it hands back may be the one from before the wait; the versioned write then
# finds it stale, and the turn is taken again with what the first one left (a wait seldom
# happens: each channel hands one citizen's messages over one at a time). SQLite needs no
# lock: BEGIN IMMEDIATE already lets one writer in at a time.
_LOAD_LOCKED = _LOAD.with_for_update(of=CITIZEN)
_UPDATE_STATE = (
    update(STATE)
    .where(STATE.c.citizen_id == bindparam("b_citizen"), STATE.c.version == bindparam("b_version"))
    .values(
        data=bindparam("b_data"),
        recent_updates=bindparam("b_recent"),
        version=bindparam("b_next"),
        updated_at=bindparam("b_now"),
    )
)
_INSERT_STATE = insert(STATE)


@dataclass(frozen=True)
class TurnRecord:
    """What a turn starts from: the citizen's profile, state and the state's version."""

    citizen_id: int
    profile: dict[str, Any]
    state: dict[str, Any]
    recent_updates: list[int]
    version: int | None

    def has_seen(self, update_id: int | None) -> bool:
        return update_id is not None and update_id in self.recent_updates

    def remember(self, update_id: int | None) -> list[int]:
        if update_id is None:
            return self.recent_updates
        return [*self.recent_updates, update_id][-RECENT_UPDATES_KEPT:]


def load_turn(
    connection: Connection, *, channel: str, external_id: str, chat_id: str
) -> TurnRecord:
    """The citizen with their state, created on first contact; a returning citizen is reachable."""
    key = {"b_channel": channel, "b_id": external_id}
    locked = connection.dialect.name == "postgresql"
    row = connection.execute(_LOAD_LOCKED if locked else _LOAD, key).first()
    if row is None:
        now = utcnow()
        citizen_id = connection.execute(
            insert(CITIZEN)
            .values(
                channel=channel,
                external_id=external_id,
                chat_id=chat_id,
                active=True,
                created_at=now,
                updated_at=now,
                **NEW_PROFILE,
            )
            .returning(CITIZEN.c.id)
        ).scalar_one()
        return TurnRecord(citizen_id, dict(NEW_PROFILE), {}, [], None)
    if not row.active:
        # The stored chat is never moved by a turn: a channel hands us the citizen's own
        # private chat, and an update claiming another one is refused before it gets here.
        connection.execute(
            update(CITIZEN).where(CITIZEN.c.id == row.id).values(active=True, updated_at=utcnow())
        )
    profile = {name: getattr(row, name) for name in PROFILE_FIELDS}
    return TurnRecord(
        row.id, profile, dict(row.data or {}), list(row.recent_updates or []), row.version
    )


def save_profile(connection: Connection, *, citizen_id: int, changes: dict[str, Any]) -> None:
    if changes:
        connection.execute(
            update(CITIZEN)
            .where(CITIZEN.c.id == citizen_id)
            .values(**changes, updated_at=utcnow())
        )


def save_state(
    connection: Connection,
    *,
    citizen_id: int,
    data: dict[str, Any],
    recent_updates: list[int],
    version: int | None,
) -> bool:
    """Writes the state if nobody else did since `version` was read; False: reload and retry.

    A first state races through the primary key instead: the loser gets an IntegrityError.
    """
    now = utcnow()
    if version is None:
        row = {
            "citizen_id": citizen_id,
            "data": data,
            "recent_updates": recent_updates,
            "version": 1,
            "updated_at": now,
        }
        connection.execute(_INSERT_STATE, row)
        return True
    result = connection.execute(
        _UPDATE_STATE,
        {
            "b_citizen": citizen_id,
            "b_version": version,
            "b_data": data,
            "b_recent": recent_updates,
            "b_next": version + 1,
            "b_now": now,
        },
    )
    return result.rowcount == 1

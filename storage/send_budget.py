"""One Telegram sending budget for every process on one PostgreSQL.

Telegram allows a bot so many messages a second, whichever process sends them. Each process
books its next messages' moments on one row (`send_budget.next_slot`) and waits until then:
one conditional `UPDATE … RETURNING` per booking, timed by the server's clock
(`clock_timestamp()`), so processes on different machines need no clock agreement and two
processes can never book the same moment (the row lock orders them).

Replies to chatting citizens always book the next moment. A broadcast books a few moments at
once (one round trip for several messages), and only when no more than `lookahead` seconds
are already booked, so a reply waits behind at most that much broadcast traffic plus one
booking, whichever process holds it. A 429 from Telegram pushes the next moment past its
`retry_after`, pausing every process.
"""

from dataclasses import dataclass

from sqlalchemy import Connection, text

BUDGET_ID = 1

_BOOK = text(
    """
    UPDATE send_budget
       SET next_slot = GREATEST(next_slot, clock_timestamp() + make_interval(secs => :lead))
                       + make_interval(secs => :interval * :slots)
     WHERE id = :id
       AND (:reply OR next_slot <= clock_timestamp() + make_interval(secs => :lookahead))
    RETURNING EXTRACT(EPOCH FROM (next_slot - clock_timestamp()))::float8
              - :interval * :slots
    """
)
_BOOKED_AHEAD = text(
    "SELECT EXTRACT(EPOCH FROM (next_slot - clock_timestamp()))::float8 "
    "FROM send_budget WHERE id = :id"
)
_PAUSE = text(
    """
    UPDATE send_budget
       SET next_slot = GREATEST(next_slot, clock_timestamp() + make_interval(secs => :seconds))
     WHERE id = :id
    """
)
_SEED = text(
    "INSERT INTO send_budget (id, next_slot) VALUES (:id, clock_timestamp()) "
    "ON CONFLICT (id) DO NOTHING"
)


@dataclass(frozen=True)
class Booking:
    """`granted`: wait `wait` seconds, then send. Refused (a broadcast while replies hold the
    budget): try again after `wait` seconds."""

    granted: bool
    wait: float


def _prepare(connection: Connection) -> None:
    """Makes the budget's row if there is none yet."""
    connection.execute(_SEED, {"id": BUDGET_ID})


def book(
    connection: Connection,
    *,
    interval: float,
    reply: bool,
    lookahead: float,
    slots: int = 1,
    lead: float = 0.0,
) -> Booking:
    """Books the next `slots` moments, `interval` apart and none sooner than `lead` seconds
    from now, to send as many messages; `wait` is until the first (see the module's
    docstring)."""
    params = {
        "id": BUDGET_ID,
        "interval": interval,
        "reply": reply,
        "lookahead": lookahead,
        "slots": slots,
        "lead": lead,
    }
    wait = connection.execute(_BOOK, params).scalar()
    if wait is not None:
        return Booking(True, max(0.0, float(wait)))
    ahead = connection.execute(_BOOKED_AHEAD, {"id": BUDGET_ID}).scalar()
    if ahead is None:  # no row yet: the first booking makes it
        _prepare(connection)
        return book(
            connection, interval=interval, reply=reply, lookahead=lookahead, slots=slots, lead=lead
        )
    return Booking(False, max(interval, float(ahead) - lookahead))


def pause(connection: Connection, *, seconds: float) -> None:
    """Nothing is sent by any process for `seconds` (Telegram said 429 `retry_after`)."""
    connection.execute(_PAUSE, {"id": BUDGET_ID, "seconds": seconds})

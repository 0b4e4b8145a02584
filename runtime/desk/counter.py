"""The desk's counter part: a slip's code typed in a chat joins the counter's items to it."""

from collections import Counter
from datetime import timedelta

from sqlmodel import Session

from conversations.desk import CounterJoin
from runtime.desk.bound import BoundDesk
from storage import counter, throttle

# Wrong codes a chat may type before it must wait: eight digits are 10^8 codes, so a few
# guesses an hour find none.
WRONG_CODES = throttle.Rule(limit=5, window=timedelta(hours=1), lock=timedelta(hours=1))


class CounterAtDesk(BoundDesk):
    """Joining, in the turn's transaction (the throttle's count included)."""

    def join_counter(self, code: str) -> CounterJoin:
        key = f"slip:{self.citizen_id}"
        with Session(bind=self.connection) as session:
            if throttle.locked_until(session, key=key, now=self.now):
                return CounterJoin(refused="locked")
            joined = counter.join(
                self.connection, code=code, citizen_id=self.citizen_id, now=self.now
            )
            if joined.refused == "unknown":
                throttle.failed(session, key=key, now=self.now, rule=WRONG_CODES)
            elif joined.refused is None:
                throttle.succeeded(session, key=key)
            session.flush()
        counts = Counter(kind for kind, _ in joined.items)
        return CounterJoin(
            tuple((kind, counts[kind]) for kind in counter.KINDS if counts[kind]), joined.refused
        )

"""Quiet hours: the local hours when ordinary notices wait for morning (urgent ones do not).

One definition for the sender that holds notices and the console that tells staff so.
"""

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class QuietHours:
    """Hours (local time) when non-urgent notices wait; start > end spans midnight."""

    start: int
    end: int
    zone: ZoneInfo

    def active(self, now: datetime) -> bool:
        hour = now.astimezone(self.zone).hour
        if self.start > self.end:
            return hour >= self.start or hour < self.end
        return self.start <= hour < self.end

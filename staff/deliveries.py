"""What became of the messages staff actions sent about one record: per recipient, queued,
sent or failed; for the record's page and the API alike.

A recipient is shown by number and channel, never by chat id: staff need to know whether
people were told, not how to reach them.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy import Connection

from storage import state


@dataclass(frozen=True)
class Delivery:
    citizen: int | None
    channel: str
    queued_at: datetime
    state: Literal["queued", "sent", "failed"]
    sent_at: datetime | None


def deliveries(connection: Connection, about: str) -> list[Delivery]:
    """Newest first; `about` names the record ("proposal:12", "care:3", "citizen:5")."""
    return [
        Delivery(
            row.citizen_id,
            row.channel,
            row.created_at,
            "failed" if row.failed else ("sent" if row.sent_at else "queued"),
            row.sent_at,
        )
        for row in state.deliveries(connection, about=about)
    ]

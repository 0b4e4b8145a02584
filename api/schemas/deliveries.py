"""What became of the messages staff actions sent about a record, per recipient."""

from typing import Literal

from pydantic import BaseModel

from staff.deliveries import Delivery
from staff.types import Timestamp


class DeliveryPublic(BaseModel):
    citizen: int | None
    channel: str
    state: Literal["queued", "sent", "failed"]
    queued_at: Timestamp
    sent_at: Timestamp | None


def public(delivery: Delivery) -> DeliveryPublic:
    return DeliveryPublic(
        citizen=delivery.citizen,
        channel=delivery.channel,
        state=delivery.state,
        queued_at=delivery.queued_at,
        sent_at=delivery.sent_at,
    )

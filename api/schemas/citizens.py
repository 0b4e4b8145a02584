"""Citizens as staff act on them: blocking from posting, and lifting it."""

from pydantic import BaseModel, ConfigDict, Field

from staff.types import Timestamp


class Block(BaseModel):
    reason: str = Field(
        min_length=1, max_length=200, description="Told to the citizen, in the audit log."
    )


class CitizenPublic(BaseModel):
    """What staff see of a citizen: a number, the channel and dong; never who they are."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    channel: str
    dong: str | None
    blocked_at: Timestamp | None
    blocked_reason: str | None

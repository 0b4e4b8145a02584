"""Reported content: what the API takes and gives."""

from typing import Literal

from pydantic import BaseModel, Field

from staff.types import Timestamp

Kind = Literal["proposal", "comment"]


class ReportedItem(BaseModel):
    kind: Kind
    item_id: int
    proposal_id: int = Field(description="The proposal itself, or the one commented on.")
    text: str = Field(description="The proposal's title or the comment's words.")
    hidden: bool
    reports: int = Field(description="How many different citizens reported it.")
    reasons: dict[str, int] = Field(
        description="Citizens per reason: abuse, personal, advert, false, other."
    )
    last: Timestamp = Field(description="When it was last reported.")


class Dismissed(BaseModel):
    dismissed: int = Field(description="How many reports were cleared.")

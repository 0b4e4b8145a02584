"""The moderation queue: reported proposals and comments with how many citizens reported
each and why; dismissing unfounded reports. Hiding is `/proposals/{id}/hide` and
`/comments/{id}/hide`."""

from typing import Literal

from fastapi import APIRouter, HTTPException, status
from pydantic import BaseModel, Field

from api.answering import dismiss
from api.deps import Authorised, SessionDep
from api.types import ItemId, Timestamp
from storage import proposals

router = APIRouter(prefix="/api/v1/reports", tags=["proposals"])
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


@router.get("")
def queue(session: SessionDep, staff: Authorised) -> list[ReportedItem]:
    """The most recently reported first (at most 100)."""
    return [ReportedItem(**item) for item in proposals.reported(session.connection())]


@router.post("/{kind}/{item_id}/dismiss")
def dismiss_reports(
    session: SessionDep, staff: Authorised, kind: Kind, item_id: ItemId
) -> Dismissed:
    """The reports were unfounded: they are cleared and the item is shown again."""
    assert staff.id is not None
    cleared = dismiss(session, staff_id=staff.id, kind=kind, item_id=item_id)
    if not cleared:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no reports on {kind} {item_id}")
    return Dismissed(dismissed=cleared)

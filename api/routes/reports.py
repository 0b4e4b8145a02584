"""The moderation queue: reported proposals and comments with how many citizens reported
each and why; dismissing unfounded reports. Hiding is `/proposals/{id}/hide` and
`/comments/{id}/hide`."""

from fastapi import APIRouter, HTTPException, status

from api.deps import Authorised, SessionDep
from api.schemas.reports import Dismissed, Kind, ReportedItem
from api.types import ItemId
from staff.answering import dismiss
from storage import proposals

router = APIRouter(prefix="/api/v1/reports", tags=["proposals"])


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

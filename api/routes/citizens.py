"""Citizens who abuse the channel: blocked from posting with a reason, and let back."""

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request, status

from api.deps import Authorised, SessionDep
from api.schemas.citizens import Block, CitizenPublic
from api.types import ItemId
from staff.blocking import BlockRefused, block_citizen, unblock_citizen
from storage import citizens

router = APIRouter(prefix="/api/v1/citizens", tags=["citizens"])

REFUSALS = {
    "missing": (status.HTTP_404_NOT_FOUND, "no such citizen"),
    "reason": (status.HTTP_400_BAD_REQUEST, "give a reason of 1 to 200 characters"),
}


@router.get("/blocked")
def blocked(
    session: SessionDep,
    staff: Authorised,
    limit: Annotated[int, Query(ge=1, le=500)] = 200,
) -> list[CitizenPublic]:
    """Citizens blocked from posting, latest first."""
    rows = citizens.blocked_list(session.connection(), limit=limit)
    return [CitizenPublic.model_validate(row) for row in rows]


@router.post("/{citizen_id}/block")
def block(
    request: Request, session: SessionDep, staff: Authorised, citizen_id: ItemId, body: Block
) -> CitizenPublic:
    """Stops the citizen's new proposals and comments; they are told why, kindly."""
    return _change(request, session, staff.key, citizen_id, body.reason)


@router.post("/{citizen_id}/unblock")
def unblock(
    request: Request, session: SessionDep, staff: Authorised, citizen_id: ItemId
) -> CitizenPublic:
    """Lets the citizen post again; they are told."""
    return _change(request, session, staff.key, citizen_id, None)


def _change(
    request: Request, session: SessionDep, staff_id: int, citizen_id: int, reason: str | None
) -> CitizenPublic:
    telling = request.app.state.telling
    try:
        if reason is None:
            unblock_citizen(session, telling, staff_id=staff_id, citizen_id=citizen_id)
        else:
            block_citizen(
                session, telling, staff_id=staff_id, citizen_id=citizen_id, reason=reason
            )
    except BlockRefused as refused:
        if refused.code == "unchanged":
            word = "already blocked" if reason else "not blocked"
            raise HTTPException(status.HTTP_409_CONFLICT, f"the citizen is {word}") from None
        code, why = REFUSALS[refused.code]
        raise HTTPException(code, why) from None
    return CitizenPublic.model_validate(citizens.get(session.connection(), citizen_id))

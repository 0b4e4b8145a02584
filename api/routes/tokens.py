"""API tokens, one person's each: create (shown once, with an expiry), list, revoke."""

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, status

from api.deps import Authorised, SessionDep
from api.schemas.tokens import TokenCreate, TokenCreated, TokenPublic
from api.types import MAX_ID, ItemId
from storage import audit
from storage.staff import Role, issue_token, revoke_token, token_with_owner, tokens_of

router = APIRouter(prefix="/api/v1/tokens", tags=["staff"])


def _public(token, staff) -> TokenPublic:
    return TokenPublic(
        id=token.id,
        name=token.name,
        staff_id=staff.id,
        staff_name=staff.name,
        created_at=token.created_at,
        expires_at=token.expires_at,
        last_used_at=token.last_used_at,
        revoked_at=token.revoked_at,
    )


@router.get("")
def list_tokens(
    session: SessionDep,
    staff: Authorised,
    staff_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
) -> list[TokenPublic]:
    """Your tokens; an admin may ask for anybody's (`staff_id`)."""
    if staff_id is not None and staff_id != staff.id and staff.role != Role.ADMIN:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "only admins see others' tokens")
    owner = staff_id if staff_id is not None else staff.id
    return [_public(t, s) for t, s in tokens_of(session, staff_id=owner)]


@router.post("", status_code=status.HTTP_201_CREATED)
def create_token(session: SessionDep, staff: Authorised, body: TokenCreate) -> TokenCreated:
    assert staff.id is not None
    row, token = issue_token(session, staff_id=staff.id, name=body.name, days=body.days)
    audit.record(
        session,
        staff_id=staff.id,
        action="token.create",
        target=f"token:{row.id}",
        detail={"expires_at": row.expires_at.isoformat()},
    )
    return TokenCreated(**_public(row, staff).model_dump(), token=token)


@router.post("/{token_id}/revoke")
def revoke(session: SessionDep, staff: Authorised, token_id: ItemId) -> TokenPublic:
    """Your own token, or anybody's for an admin: it stops working at once."""
    found = token_with_owner(session, token_id)
    if found is None or (found[1].id != staff.id and staff.role != Role.ADMIN):
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no token {token_id}")
    row = revoke_token(session, token_id=token_id)
    assert row is not None
    audit.record(session, staff_id=staff.id, action="token.revoke", target=f"token:{token_id}")
    return _public(row, found[1])

"""Staff accounts: admins add colleagues; everyone can see who they are."""

from fastapi import APIRouter, HTTPException, status
from pydantic import BaseModel, Field

from api.deps import Authorised, SessionDep
from api.types import Timestamp
from conversations.districts import suwon
from storage import audit
from storage.staff import Role, create_staff, list_staff

router = APIRouter(prefix="/api/v1/staff", tags=["staff"])


class StaffPublic(BaseModel):
    id: int
    name: str
    role: Role
    dongs: list[str]
    active: bool
    created_at: Timestamp


class StaffCreate(BaseModel):
    name: str = Field(min_length=1, max_length=100)
    role: Role
    dongs: list[str] = Field(default_factory=list, max_length=44)


class StaffCreated(StaffPublic):
    token: str = Field(description="Shown once; only its hash is stored.")


@router.get("/me")
def me(staff: Authorised) -> StaffPublic:
    return StaffPublic.model_validate(staff, from_attributes=True)


@router.get("")
def all_staff(session: SessionDep, admin: Authorised) -> list[StaffPublic]:
    return [StaffPublic.model_validate(s, from_attributes=True) for s in list_staff(session)]


@router.post("", status_code=status.HTTP_201_CREATED)
def add_staff(body: StaffCreate, session: SessionDep, admin: Authorised) -> StaffCreated:
    unknown = suwon().unknown(body.dongs)
    if unknown:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, f"unknown dong: {', '.join(unknown)}")
    staff, token = create_staff(session, name=body.name, role=body.role, dongs=body.dongs)
    audit.record(
        session,
        staff_id=admin.id,
        action="staff.create",
        target=f"staff:{staff.id}",
        detail={"role": body.role.value, "dongs": body.dongs},
    )
    public = StaffPublic.model_validate(staff, from_attributes=True)
    return StaffCreated(**public.model_dump(), token=token)

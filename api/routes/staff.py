"""Staff accounts: admins add, change, deactivate and reset colleagues; everyone sees themself."""

from fastapi import APIRouter, HTTPException, status
from fastapi.responses import JSONResponse
from sqlmodel import Session

from api.deps import Authorised, SessionDep
from api.schemas.staff import (
    PasswordChange,
    PasswordReset,
    StaffChange,
    StaffCreate,
    StaffCreated,
    StaffPublic,
    TelegramCode,
    TelegramLink,
)
from api.types import ItemId
from conversations.districts import suwon
from staff import telegram_links
from staff.people import ChangeRefused, change_person
from storage import audit, sessions, throttle
from storage.models import Staff, utcnow
from storage.staff import (
    by_login,
    change_password,
    create_staff,
    list_staff,
    new_password,
    set_password,
)

router = APIRouter(prefix="/api/v1/staff", tags=["staff"])


def _public(staff: Staff) -> StaffPublic:
    return StaffPublic.model_validate(staff, from_attributes=True)


def _known_dongs(dongs: list[str] | None) -> None:
    unknown = suwon().unknown(dongs or [])
    if unknown:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, f"unknown dong: {', '.join(unknown)}")


def _free_login(session: Session, login: str | None, staff_id: int | None = None) -> None:
    taken = by_login(session, login) if login else None
    if taken is not None and taken.id != staff_id:
        raise HTTPException(status.HTTP_409_CONFLICT, f"the login {login!r} is taken")


def _found(session: Session, staff_id: int) -> Staff:
    staff = session.get(Staff, staff_id)
    if staff is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no staff member {staff_id}")
    return staff


@router.get("/me")
def me(staff: Authorised) -> StaffPublic:
    return _public(staff)


@router.get("/me/telegram")
def my_telegram(session: SessionDep, staff: Authorised) -> TelegramLink:
    """Whether your own Telegram chat is linked (test copies of notices go only there)."""
    return TelegramLink(linked=_found(session, staff.key).telegram_chat_id is not None)


@router.post("/me/telegram", status_code=status.HTTP_201_CREATED)
def link_my_telegram(session: SessionDep, staff: Authorised) -> TelegramCode:
    """A one-time code (10 minutes): send `/staff CODE` to the bot to link that chat."""
    link = telegram_links.start(session, staff)
    return TelegramCode(code=link.code, expires_at=link.expires_at)


@router.delete("/me/telegram")
def unlink_my_telegram(session: SessionDep, staff: Authorised) -> TelegramLink:
    telegram_links.end(session, staff)
    return TelegramLink(linked=False)


@router.post("/me/password", response_model=StaffPublic)
def change_my_password(
    session: SessionDep, staff: Authorised, body: PasswordChange
) -> StaffPublic | JSONResponse:
    """Replaces one's own password (a first password must be replaced before anything else
    in the console). Five wrong current passwords in a minute lock this for 15 minutes."""
    me = _found(session, staff.key)
    key, now = f"password:{me.id}", utcnow()
    if throttle.locked_until(session, key=key, now=now):
        raise HTTPException(status.HTTP_429_TOO_MANY_REQUESTS, "too many wrong passwords")
    refused = change_password(me, current=body.current, new=body.new)
    if refused == "wrong_current":
        throttle.failed(session, key=key, now=now)
        # Answered, not raised: the route's transaction commits, so the failure counts.
        return JSONResponse(
            {"error": "bad_request", "reason": "the current password is not right"},
            status_code=status.HTTP_400_BAD_REQUEST,
        )
    if refused is not None:
        raise HTTPException(
            status.HTTP_400_BAD_REQUEST, "choose a new password, not the old one or the login"
        )
    throttle.succeeded(session, key=key)
    audit.record(session, staff_id=me.id, action="staff.password_change", target=f"staff:{me.id}")
    return _public(me)


@router.get("")
def all_staff(session: SessionDep, admin: Authorised) -> list[StaffPublic]:
    return [_public(s) for s in list_staff(session)]


@router.post("", status_code=status.HTTP_201_CREATED)
def add_staff(body: StaffCreate, session: SessionDep, admin: Authorised) -> StaffCreated:
    _known_dongs(body.dongs)
    _free_login(session, body.login)
    staff, token = create_staff(
        session,
        name=body.name,
        role=body.role,
        dongs=body.dongs,
        login=body.login,
        department=body.department.strip(),
    )
    password = new_password()
    set_password(staff, password, temporary=True)
    audit.record(
        session,
        staff_id=admin.id,
        action="staff.create",
        target=f"staff:{staff.id}",
        detail={"role": body.role.value, "dongs": body.dongs, "login": staff.login},
    )
    return StaffCreated(**_public(staff).model_dump(), token=token, password=password)


@router.patch("/{staff_id}")
def change_staff(
    session: SessionDep, admin: Authorised, staff_id: ItemId, body: StaffChange
) -> StaffPublic:
    staff = _found(session, staff_id)
    try:
        change_person(
            session, admin=admin, person=staff, changes=body.model_dump(exclude_none=True)
        )
    except ChangeRefused as refused:
        if refused.code == "dongs":
            raise HTTPException(
                status.HTTP_400_BAD_REQUEST, f"unknown dong: {', '.join(refused.unknown)}"
            ) from None
        reason = {
            "login_taken": f"the login {body.login!r} is taken",
            "self_lockout": "admins cannot lock themselves out",
        }[refused.code]
        raise HTTPException(status.HTTP_409_CONFLICT, reason) from None
    return _public(staff)


@router.post("/{staff_id}/password")
def reset_password(session: SessionDep, admin: Authorised, staff_id: ItemId) -> PasswordReset:
    """A new first password for someone who forgot theirs; they change it at sign-in."""
    staff = _found(session, staff_id)
    password = new_password()
    set_password(staff, password, temporary=True)
    sessions.end_all(session, staff_id=staff_id)
    audit.record(
        session, staff_id=admin.id, action="staff.password_reset", target=f"staff:{staff_id}"
    )
    return PasswordReset(password=password)

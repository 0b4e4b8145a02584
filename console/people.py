"""Staff accounts and the logs, for admins: add, change, deactivate, new first passwords; the
audit log and the care access log narrowed by person, action and day."""

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import Form
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import Engine

from console.context import Page, PageContext, section_router
from console.language import (
    N_,
    _,
    named,
)
from console.sections import PEOPLE
from conversations.districts import suwon
from staff.people import ChangeRefused, change_person
from storage import audit, care, sessions
from storage.db import transaction, writer_lock
from storage.models import Staff
from storage.staff import (
    Role,
    by_login,
    create_staff,
    list_staff,
    new_password,
    set_password,
)

router = section_router(PEOPLE)
KOREA = ZoneInfo("Asia/Seoul")


ROLE_NAMES = {"admin": N_("관리자"), "staff": N_("제안·설문 담당"), "care_worker": N_("돌봄 담당")}


@dataclass(frozen=True)
class LogFilter:
    """The logs narrowed to one person, one action and one day (a day in Korea, where the
    city's staff work, whatever the server's clock zone)."""

    person: int | None = None
    action: str = ""
    day: str = ""
    since: datetime | None = None
    day_error: str | None = None

    @classmethod
    def asked(cls, person: int | None, action: str, day: str) -> "LogFilter":
        if not day:
            return cls(person, action)
        try:
            since = datetime.combine(date.fromisoformat(day), time(), KOREA)
        except ValueError:
            return cls(person, action, day, day_error=N_("날짜는 2026-11-26처럼 적어 주세요."))
        return cls(person, action, day, since)

    @property
    def until(self) -> datetime | None:
        return self.since + timedelta(days=1) if self.since else None


def _staff_page(
    ctx: PageContext,
    *,
    shown: str | None = None,
    error: str | None = None,
    wanted: LogFilter | None = None,
) -> HTMLResponse:
    wanted = wanted or LogFilter()
    with transaction(ctx.db) as session:
        people = list_staff(session)
        recent = audit.recent(
            session,
            limit=50,
            offset=0,
            staff_id=wanted.person,
            action=wanted.action or None,
            since=wanted.since,
            until=wanted.until,
        )
        access = care.access_log(
            session.connection(),
            application_id=None,
            staff_id=wanted.person,
            action=wanted.action or None,
            since=wanted.since,
            until=wanted.until,
            limit=50,
            offset=0,
        )
    return ctx.page(
        "staff.html",
        400 if error or wanted.day_error else 200,
        people=people,
        names={person.id: person.name for person in people},
        roles=named(ROLE_NAMES),
        audit=recent,
        access=access,
        wanted=wanted,
        shown=shown,
        error=error,
    )


@router.get("/staff")
def staff_page(
    ctx: Page,
    person: str = "",
    action: str = "",
    day: str = "",
) -> Response:
    """People, the audit log and the care access log (narrowed as asked), for admins."""
    chosen = int(person) if person.isdecimal() and int(person) < 2**31 else None
    wanted = LogFilter.asked(chosen, action.strip()[:64], day.strip()[:40])
    return _staff_page(ctx, wanted=wanted)


@router.post("/staff")
def staff_add(
    ctx: Page,
    name: Annotated[str, Form(min_length=1, max_length=100)],
    login: Annotated[str, Form(max_length=40)],
    role: Annotated[str, Form(max_length=16)],
    dongs: Annotated[str, Form(max_length=2000)] = "",
    department: Annotated[str, Form(max_length=60)] = "",
) -> Response:
    """Adds a person; their first password is shown once, on this page."""
    admin = ctx.staff
    ctx.require("POST", "/api/v1/staff", N_("직원 관리는 관리자만 할 수 있어요."))
    places = [d.strip() for d in dongs.split(",") if d.strip()]
    login = login.strip().lower()
    error = None
    if role not in ROLE_NAMES:
        error = N_("역할을 목록에서 골라 주세요.")
    elif not re.fullmatch(r"[a-z0-9][a-z0-9._-]{2,39}", login):
        error = N_("아이디는 영문 소문자와 숫자로 3자 이상 적어 주세요.")
    elif unknown := suwon().unknown(places):
        error = _("수원시의 동이 아니에요: {dongs}", dongs=", ".join(unknown))
    if error:
        return _staff_page(ctx, error=error)
    with writer_lock(ctx.db), transaction(ctx.db) as session:
        if by_login(session, login) is not None:
            taken = True
        else:
            taken = False
            person, _token = create_staff(
                session,
                name=name.strip(),
                role=Role(role),
                dongs=places,
                login=login,
                department=department.strip(),
            )
            password = new_password()
            set_password(person, password, temporary=True)
            audit.record(
                session,
                staff_id=admin.id,
                action="staff.create",
                target=f"staff:{person.id}",
                detail={"role": role, "dongs": places, "login": login},
            )
    if taken:
        return _staff_page(ctx, error=_("그 아이디는 이미 쓰이고 있어요: {login}", login=login))
    shown = _(
        "{name}({login})님을 더했어요. 처음 비밀번호: {password} — 지금만 보여요.",
        name=name.strip(),
        login=login,
        password=password,
    )
    return _staff_page(ctx, shown=shown)


STAFF_EDIT = ("PATCH", "/api/v1/staff/{staff_id}")
CHANGE_REASONS = {
    "login_taken": N_("그 아이디는 이미 쓰이고 있어요."),
    "self_lockout": N_("자기 자신의 역할은 바꿀 수 없어요."),
}


def _person(db: Engine, person_id: int) -> Staff | None:
    with transaction(db) as session:
        return session.get(Staff, person_id) if 0 < person_id < 2**31 else None


@router.get("/staff/{person_id}")
def staff_edit(ctx: Page, person_id: int) -> Response:
    """One person's account to change: name, sign-in name, role, dongs, department."""
    ctx.require(*STAFF_EDIT, N_("직원 관리는 관리자만 할 수 있어요."))
    person = _person(ctx.db, person_id)
    if person is None:
        return ctx.refused(N_("없는 직원이에요."))
    form = {**person.model_dump(), "dongs": ", ".join(person.dongs)}
    return ctx.page(
        "staff_edit.html",
        form=form,
        roles=named(ROLE_NAMES),
    )


@router.post("/staff/{person_id}")
def staff_save(
    ctx: Page,
    person_id: int,
    name: Annotated[str, Form(max_length=100)] = "",
    login: Annotated[str, Form(max_length=40)] = "",
    role: Annotated[str, Form(max_length=16)] = "",
    dongs: Annotated[str, Form(max_length=2000)] = "",
    department: Annotated[str, Form(max_length=60)] = "",
) -> Response:
    """Saves the changes (the same `change_person` as the API); a wrong field is said
    beside it and nothing changes."""
    ctx.require(*STAFF_EDIT, N_("직원 관리는 관리자만 할 수 있어요."))
    places = [d.strip() for d in dongs.split(",") if d.strip()]
    login = login.strip().lower()
    form = {"id": person_id, "name": name, "login": login, "role": role, "dongs": dongs}
    form["department"] = department
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = N_("이름을 적어 주세요.")
    if not re.fullmatch(r"[a-z0-9][a-z0-9._-]{2,39}", login):
        errors["login"] = N_("아이디는 영문 소문자와 숫자로 3자 이상 적어 주세요.")
    if role not in ROLE_NAMES:
        errors["role"] = N_("역할을 목록에서 골라 주세요.")
    person = None
    if not errors:
        changes = {"name": name.strip(), "login": login, "role": Role(role), "dongs": places}
        changes["department"] = department
        try:
            with writer_lock(ctx.db), transaction(ctx.db) as session:
                person = session.get(Staff, person_id) if 0 < person_id < 2**31 else None
                if person is not None:
                    change_person(session, admin=ctx.staff, person=person, changes=changes)
        except ChangeRefused as refusal:
            if refusal.code == "dongs":
                errors["dongs"] = _(
                    "수원시의 동이 아니에요: {dongs}", dongs=", ".join(refusal.unknown)
                )
            else:
                field = "login" if refusal.code == "login_taken" else "role"
                errors[field] = CHANGE_REASONS[refusal.code]
        if not errors and person is None:
            return ctx.refused(N_("없는 직원이에요."))
    if errors:
        return ctx.page(
            "staff_edit.html",
            400,
            form=form,
            roles=named(ROLE_NAMES),
            errors=errors,
        )
    return _staff_page(ctx, shown=_("{name}님의 정보를 바꿨어요.", name=name.strip()))


@router.post("/staff/{person_id}/{action}")
def staff_change(
    ctx: Page,
    person_id: int,
    action: str,
) -> Response:
    """Deactivates or reactivates a person, or makes them a new first password."""
    admin = ctx.staff
    ctx.require("PATCH", "/api/v1/staff/{staff_id}", N_("직원 관리는 관리자만 할 수 있어요."))
    if action not in ("deactivate", "reactivate", "password") or person_id == admin.id:
        return ctx.refused(N_("할 수 없는 처리예요."))
    shown = None
    with writer_lock(ctx.db), transaction(ctx.db) as session:
        person = session.get(Staff, person_id) if 0 < person_id < 2**31 else None
        if person is not None and action == "password":
            password = new_password()
            set_password(person, password, temporary=True)
            sessions.end_all(session, staff_id=person_id)
            shown = _(
                "{name}님의 새 처음 비밀번호: {password} — 지금만 보여요.",
                name=person.name,
                password=password,
            )
            audit.record(
                session,
                staff_id=admin.id,
                action="staff.password_reset",
                target=f"staff:{person_id}",
            )
        elif person is not None:
            person.active = action == "reactivate"
            if not person.active:
                sessions.end_all(session, staff_id=person_id)
            shown = (
                _("{name}님을 다시 사용하게 했어요.", name=person.name)
                if person.active
                else _("{name}님을 사용 중지 했어요.", name=person.name)
            )
            audit.record(
                session,
                staff_id=admin.id,
                action="staff.change",
                target=f"staff:{person_id}",
                detail={"active": person.active},
            )
    if person is None:
        return ctx.refused(N_("없는 직원이에요."))
    return _staff_page(ctx, shown=shown)

"""Care cases of my dongs: the list, one case (every read in the access log), its moves and
notes, and the dong office's spreadsheet — by the same rules as the API (`staff/casework.py`)."""

import re
from typing import Annotated, Any

from fastapi import Form
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from console.context import FLASHES, Page, PageContext, section_router
from console.downloads import download
from console.language import (
    N_,
    _,
    named,
)
from console.sections import CARE
from conversations.care import NEXT
from conversations.care import receipt as care_receipt
from conversations.districts import suwon
from staff.case_words import case_words, words
from staff.casework import (
    CaseRefused,
    case_for,
    dong_sheet,
    move_case,
    note_case,
    read_case,
    scope_of,
)
from staff.deliveries import deliveries
from storage import care, counter
from storage.db import aware, transaction, writer_lock
from storage.models import Staff
from storage.staff import (
    care_workers_for,
)

router = section_router(CARE)


CARE_STATUS_NAMES = {
    "received": N_("접수"),
    "reviewing": N_("검토 중"),
    "assigned": N_("담당 배정"),
    "in_progress": N_("진행 중"),
    "completed": N_("완료"),
    "declined": N_("어려움"),
    "withdrawn": N_("신청 취소"),
}


@router.get("/care")
def care_list(ctx: Page) -> Response:
    """The cases of my dongs (every case for an admin), without personal data."""
    staff = ctx.staff
    ctx.require(
        "GET", "/api/v1/care-applications", N_("돌봄 신청은 돌봄 담당과 관리자만 볼 수 있어요.")
    )
    with transaction(ctx.db) as session:
        rows, total = care.search(session.connection(), dongs=scope_of(staff), limit=100)
        marks = counter.marks(session.connection(), kind="care", item_ids=[r.id for r in rows])
    items = [
        {
            "receipt": care_receipt(r.id),
            "dong": r.dong,
            "status": r.status,
            "services": words(ctx.state.catalog, ctx.language, "care.service", r.services),
            "created": aware(r.created_at).astimezone(ctx.state.city_zone).date().isoformat(),
            "counter": marks.get(r.id),
        }
        for r in rows
    ]
    return ctx.page(
        "care_list.html",
        items=items,
        total=total,
        dongs=scope_of(staff),
        sheet_dongs=_sheet_dongs(staff),
        statuses=named(CARE_STATUS_NAMES),
    )


def _sheet_dongs(staff: Staff) -> list[str]:
    """The dongs this person may download: her own, or every dong for an admin."""
    scope = scope_of(staff)
    if scope is not None:
        return scope
    return [name for names in suwon().dongs_by_gu().values() for name in names]


@router.get("/care.csv")
def care_sheet(ctx: Page, dong: str = "") -> Response:
    """One dong's cases with contact details, for the dong office: the API's own file, and
    like it every case goes into the access log."""
    staff = ctx.staff
    ctx.require(
        "GET",
        "/api/v1/care-applications/export.csv",
        N_("돌봄 신청은 돌봄 담당과 관리자만 볼 수 있어요."),
    )
    with writer_lock(ctx.db), transaction(ctx.db) as session:
        sealer = ctx.state.telling.sealer
        sheet = dong_sheet(
            session.connection(),
            sealer,
            staff,
            dong.strip(),
            None,
            ctx.state.city_zone,
            ctx.state.catalog,
        )
    if sheet is None:
        return ctx.page(
            "message.html",
            404,
            heading=N_("받을 수 있는 신청이 없어요"),
            message=N_("담당하는 동을 골라 주세요."),
        )
    return download(sheet)


@router.get("/care/{ref}")
def care_case(
    ctx: Page,
    ref: str,
    done: str = "",
) -> Response:
    """One case with its personal data: the read is in the access log, as in the API."""
    staff = ctx.staff
    ctx.require(
        "GET",
        "/api/v1/care-applications/{application_id}",
        N_("돌봄 신청은 돌봄 담당과 관리자만 볼 수 있어요."),
    )
    number = _care_number(ref)
    with writer_lock(ctx.db), transaction(ctx.db) as session:
        connection = session.connection()
        row = case_for(connection, staff, number) if number else None
        read = read_case(connection, ctx.state.telling.sealer, staff, row) if row else None
    if row is None or read is None:
        return ctx.page(
            "message.html",
            404,
            heading=N_("찾는 돌봄 신청이 없어요"),
            message=_("{ref}: 담당 동의 신청이 아니거나 없는 접수번호예요.", ref=ref),
        )
    return _case_page(ctx, row, read, done=done)


def _case_page(
    ctx: PageContext,
    row: Any,
    read: dict[str, Any],
    *,
    done: str = "",
    error: str | None = None,
) -> HTMLResponse:
    with transaction(ctx.db) as session:
        workers = care_workers_for(session, row.dong)
        sent = deliveries(session.connection(), f"care:{row.id}")
        filed_at = counter.marks(session.connection(), kind="care", item_ids=[row.id])
    return ctx.page(
        "care_case.html",
        400 if error else 200,
        counter_mark=filed_at.get(row.id),
        receipt=care_receipt(row.id),
        row=row,
        statuses=named(CARE_STATUS_NAMES),
        moves=NEXT.get(row.status, ()),
        workers=workers,
        error=error,
        flash=FLASHES.get(done),
        told=case_words(ctx.state.catalog, ctx.language, row, read["personal"]),
        deliveries=sent,
        **read,
    )


CASE_PROBLEMS = {
    "reason_needed": N_("어려움으로 바꿀 때는 신청인께 전할 말을 꼭 적어 주세요."),
    "assignee_needed": N_("담당 배정에는 맡을 돌봄 담당을 골라 주세요."),
    "wrong_move": N_("지금 상태에서는 그렇게 바꿀 수 없어요."),
    "not_a_worker": N_("고른 분은 돌봄 담당이 아니에요."),
    "not_their_dong": N_("고른 분은 이 동을 맡고 있지 않아요."),
}
FLASHES["case"] = N_("저장했어요. 신청인께 보내는 중이에요.")
FLASHES["note"] = N_("메모를 저장했어요.")


@router.post("/care/{ref}/status")
def care_move(
    ctx: Page,
    ref: str,
    status: Annotated[str, Form(max_length=16)],
    assign_to: Annotated[str, Form(max_length=12)] = "",
    reason: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    """Moves the case (and tells the applicant), by the same rule as the API."""
    staff = ctx.staff
    ctx.require(
        "POST",
        "/api/v1/care-applications/{application_id}/status",
        N_("돌봄 신청은 돌봄 담당과 관리자만 다룰 수 있어요."),
    )
    number = _care_number(ref)
    worker = int(assign_to) if assign_to.isdecimal() and int(assign_to) < 2**31 else None
    with writer_lock(ctx.db), transaction(ctx.db) as session:
        row = case_for(session.connection(), staff, number) if number else None
        problem = None
        if row is not None:
            try:
                move_case(
                    session,
                    ctx.state.telling,
                    staff=staff,
                    row=row,
                    status=status,
                    reason=reason.strip() or None,
                    assign_to=worker,
                )
            except CaseRefused as refusal:  # refused before anything was written
                problem = CASE_PROBLEMS.get(refusal.code, refusal.reason)
    if row is None:
        return ctx.refused(_("{ref}: 담당 동의 신청이 아니거나 없는 접수번호예요.", ref=ref))
    if problem:
        with writer_lock(ctx.db), transaction(ctx.db) as session:
            read = read_case(session.connection(), ctx.state.telling.sealer, staff, row)
        return _case_page(ctx, row, read, error=problem)
    return RedirectResponse(f"/console/care/{care_receipt(row.id)}?done=case", status_code=303)


@router.post("/care/{ref}/notes")
def care_note(
    ctx: Page,
    ref: str,
    body: Annotated[str, Form(min_length=1, max_length=2000)],
) -> Response:
    staff = ctx.staff
    ctx.require(
        "POST",
        "/api/v1/care-applications/{application_id}/notes",
        N_("돌봄 신청은 돌봄 담당과 관리자만 다룰 수 있어요."),
    )
    number = _care_number(ref)
    with writer_lock(ctx.db), transaction(ctx.db) as session:
        connection = session.connection()
        row = case_for(connection, staff, number) if number else None
        if row is not None:
            sealer = ctx.state.telling.sealer
            note_case(connection, sealer, staff=staff, row=row, body=body.strip())
    if row is None:
        return ctx.refused(_("{ref}: 담당 동의 신청이 아니거나 없는 접수번호예요.", ref=ref))
    return RedirectResponse(f"/console/care/{care_receipt(row.id)}?done=note", status_code=303)


def _care_number(ref: str) -> int | None:
    found = re.fullmatch(r"(?:[Cc]-?)?0*(\d{1,10})", ref.strip())
    number = int(found.group(1)) if found else 0
    return number if 0 < number <= 2**31 - 1 else None

"""Work on a proposal beside answering it: its department and due day, and staff's private
notes; by the same use cases as the JSON API (`staff/assignment.py`, `staff/proposal_notes.py`),
each action checked against the API route it mirrors."""

from datetime import date, datetime
from typing import Annotated

from fastapi import Form
from fastapi.responses import RedirectResponse, Response

from console.context import FLASHES, Page, section_router
from console.language import N_, _
from console.proposals import find_proposal, proposal_view
from console.sections import PROPOSALS
from staff.assignment import AssignRefused, assign_proposal
from staff.proposal_notes import NoteRefused, note_proposal
from storage import proposals
from storage.db import transaction, writer_lock

router = section_router(PROPOSALS)
FLASHES["assigned"] = N_("담당 부서를 정했어요. 부서 대기열에 올라갔어요.")
FLASHES["unassigned"] = N_("담당 부서 지정을 풀었어요.")
FLASHES["noted"] = N_("메모를 남겼어요. 직원만 볼 수 있어요.")
ASSIGN_REFUSALS = {
    "department": N_("목록에 있는 부서를 골라 주세요."),
    "due_past": N_("답변 기한은 오늘이나 그 뒤의 날로 정해 주세요."),
    "date": N_("답변 기한을 2026-12-31처럼 날짜로 적어 주세요."),
}
NOTE_REFUSALS = {
    "empty": N_("메모 내용을 적어 주세요."),
    "long": N_("메모는 2,000자까지 적을 수 있어요."),
}


@router.post("/proposals/{ref}/assign")
def proposal_assign(
    ctx: Page,
    ref: str,
    department: Annotated[str, Form(max_length=60)] = "",
    due_on: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    ctx.require(
        "POST",
        "/api/v1/proposals/{proposal_id}/assign",
        N_("담당 부서는 제안 담당과 관리자만 정할 수 있어요."),
    )
    found = find_proposal(ctx, ref)
    if found is None:
        return ctx.refused(_("{ref}: 찾는 제안이 없어요.", ref=ref))
    try:
        day = date.fromisoformat(due_on.strip()) if due_on.strip() else None
    except ValueError:
        return proposal_view(ctx, found, 400, assign_error=ASSIGN_REFUSALS["date"])
    try:
        with writer_lock(ctx.db), transaction(ctx.db) as session:
            assign_proposal(
                session,
                staff_id=ctx.staff.key,
                proposal=proposals.get(session.connection(), found["id"]),
                department=department,
                due_on=day,
                today=datetime.now(ctx.state.city_zone).date(),
            )
    except AssignRefused as refused:
        return proposal_view(ctx, found, 400, assign_error=ASSIGN_REFUSALS[refused.code])
    done = "assigned" if department.strip() else "unassigned"
    return RedirectResponse(f"/console/proposals/{found['receipt']}?done={done}", status_code=303)


@router.post("/proposals/{ref}/notes")
def proposal_note(
    ctx: Page, ref: str, text: Annotated[str, Form(max_length=4000)] = ""
) -> Response:
    ctx.require(
        "POST",
        "/api/v1/proposals/{proposal_id}/notes",
        N_("메모는 제안 담당과 관리자만 남길 수 있어요."),
    )
    found = find_proposal(ctx, ref)
    if found is None:
        return ctx.refused(_("{ref}: 찾는 제안이 없어요.", ref=ref))
    try:
        with writer_lock(ctx.db), transaction(ctx.db) as session:
            note_proposal(
                session,
                ctx.state.telling.sealer,
                staff_id=ctx.staff.key,
                proposal_id=found["id"],
                text=text,
            )
    except NoteRefused as refused:
        return proposal_view(ctx, found, 400, note_error=NOTE_REFUSALS[refused.code])
    return RedirectResponse(
        f"/console/proposals/{found['receipt']}?done=noted#notes-heading", status_code=303
    )

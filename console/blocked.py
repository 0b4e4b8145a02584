"""Citizens blocked from posting: the list, blocking (after a confirmation) and lifting it;
by the same use cases as the JSON API (`staff/blocking.py`)."""

import re
from typing import Annotated

from fastapi import Form
from fastapi.responses import RedirectResponse, Response

from console.context import FLASHES, Page, PageContext, section_router
from console.language import N_, _
from console.sections import BLOCKED
from staff.blocking import BlockRefused, block_citizen, unblock_citizen
from storage import citizens
from storage.db import transaction, writer_lock

router = section_router(BLOCKED)
FLASHES["blocked"] = N_("글쓰기를 제한했어요. 시민에게 이유를 보내는 중이에요.")
FLASHES["unblocked"] = N_("제한을 풀었어요. 시민에게 알리는 중이에요.")
REFUSALS = {
    "missing": N_("찾는 시민이 없어요."),
    "reason": N_("제한하는 이유를 200자 안으로 적어 주세요. 시민에게 그대로 알려요."),
    "unchanged": N_("이미 그렇게 되어 있어요."),
}
BACK = re.compile(r"/console/proposals/P-\d{6,10}")


@router.get("/blocked")
def blocked_list(ctx: Page, done: str = "") -> Response:
    with transaction(ctx.db) as session:
        rows = citizens.blocked_list(session.connection())
    return ctx.page("blocked.html", items=rows, flash=FLASHES.get(done))


@router.post("/blocked/{citizen_id}/block")
def block(
    ctx: Page,
    citizen_id: int,
    reason: Annotated[str, Form(max_length=400)] = "",
    back: Annotated[str, Form(max_length=40)] = "",
    confirmed: Annotated[str, Form(max_length=1)] = "",
) -> Response:
    """Asks first, saying what the citizen will be told; then blocks."""
    ctx.require(
        "POST",
        "/api/v1/citizens/{citizen_id}/block",
        N_("글쓰기 제한은 제안 담당과 관리자만 할 수 있어요."),
    )
    why = reason.strip()
    if not why or len(why) > 200:
        return ctx.refused(REFUSALS["reason"], status=400)
    if not confirmed:
        return ctx.page(
            "confirm.html",
            question=_(
                "시민 {number}의 제안·의견 쓰기를 제한할까요? 시민에게 알릴 이유: {reason}",
                number=citizen_id,
                reason=why,
            ),
            yes=N_("글쓰기 제한"),
            action=f"/console/blocked/{citizen_id}/block",
            fields={"reason": why, "back": back},
            back=_back(back),
        )
    return _change(ctx, citizen_id, why, back)


@router.post("/blocked/{citizen_id}/unblock")
def unblock(
    ctx: Page, citizen_id: int, back: Annotated[str, Form(max_length=40)] = ""
) -> Response:
    ctx.require(
        "POST",
        "/api/v1/citizens/{citizen_id}/unblock",
        N_("글쓰기 제한은 제안 담당과 관리자만 풀 수 있어요."),
    )
    return _change(ctx, citizen_id, None, back)


def _back(back: str) -> str:
    return back if BACK.fullmatch(back) else "/console/blocked"


def _change(ctx: PageContext, citizen_id: int, reason: str | None, back: str) -> Response:
    if not 0 < citizen_id < 2**31:
        return ctx.refused(REFUSALS["missing"], status=404)
    try:
        with writer_lock(ctx.db), transaction(ctx.db) as session:
            if reason is None:
                unblock_citizen(
                    session, ctx.state.telling, staff_id=ctx.staff.key, citizen_id=citizen_id
                )
            else:
                block_citizen(
                    session,
                    ctx.state.telling,
                    staff_id=ctx.staff.key,
                    citizen_id=citizen_id,
                    reason=reason,
                )
    except BlockRefused as refused:
        return ctx.refused(
            REFUSALS[refused.code], status=404 if refused.code == "missing" else 409
        )
    done = "blocked" if reason else "unblocked"
    return RedirectResponse(f"{_back(back)}?done={done}", status_code=303)

"""Reported proposals and comments: hide, restore or dismiss, one by one or several at once."""

import re
from typing import Annotated

from fastapi import Form
from fastapi.responses import RedirectResponse, Response

from console.context import FLASHES, Page, PageContext, section_router
from console.language import (
    N_,
    _,
)
from console.language import current as current_language
from console.sections import MODERATION
from conversations.flows.choices import REPORT_REASONS
from staff.answering import (
    dismiss,
    moderate,
)
from storage import proposals
from storage.db import transaction, writer_lock

router = section_router(MODERATION)
FLASHES["moderated"] = N_("처리했어요.")


@router.get("/moderation")
def moderation(ctx: Page, done: str = "") -> Response:
    """Reported proposals and comments, newest report first, with how many citizens reported
    each and why (the reasons worded as the citizens chose them)."""
    with transaction(ctx.db) as session:
        items = proposals.reported(session.connection())
    catalog = ctx.state.catalog
    return ctx.page(
        "moderation.html",
        items=items,
        reasons={o.value: catalog.text(current_language(), o.label) for o in REPORT_REASONS},
        flash=FLASHES.get(done),
    )


@router.post("/moderation/{kind}/{item_id}/{action}")
def moderate_one(
    ctx: Page,
    kind: str,
    item_id: int,
    action: str,
    back: Annotated[str, Form(max_length=40)] = "",
) -> Response:
    """Hides, restores or dismisses one item; back to the queue, or to the proposal's page
    when the form was there."""
    known = kind in ("proposal", "comment") and action in ("hide", "restore", "dismiss")
    if not known or not 0 < item_id < 2**31:
        return ctx.refused(N_("알 수 없는 처리예요."))
    _apply(ctx, [(kind, item_id)], action)
    page_of = (
        back if re.fullmatch(r"/console/proposals/P-\d{6,10}", back) else "/console/moderation"
    )
    return RedirectResponse(f"{page_of}?done=moderated", status_code=303)


@router.post("/moderation/bulk")
def moderate_many(
    ctx: Page,
    items: Annotated[list[str], Form()] = [],  # noqa: B006  (FastAPI reads the default)
    confirmed: Annotated[str, Form(max_length=1)] = "",
) -> Response:
    """Hides the chosen items, after a confirmation that says how many."""
    chosen = [_item(value) for value in items[:200]]
    picked = [item for item in chosen if item is not None]
    if not picked:
        return RedirectResponse("/console/moderation", status_code=303)
    if not confirmed:
        return ctx.page(
            "confirm.html",
            question=_("{n}건을 숨길까요?", n=len(picked)),
            yes=_("{n}건 숨기기", n=len(picked)),
            action="/console/moderation/bulk",
            items=[f"{kind}:{item_id}" for kind, item_id in picked],
            back="/console/moderation",
        )
    _apply(ctx, picked, "hide")
    return RedirectResponse("/console/moderation?done=moderated", status_code=303)


def _item(value: str) -> tuple[str, int] | None:
    kind, _sep, number = value.partition(":")
    if kind in ("proposal", "comment") and number.isdecimal() and 0 < int(number) < 2**31:
        return kind, int(number)
    return None


def _apply(ctx: PageContext, items: list[tuple[str, int]], action: str) -> None:
    staff, telling = ctx.staff, ctx.state.telling
    with writer_lock(ctx.db), transaction(ctx.db) as session:
        for kind, item_id in items:
            if action == "dismiss":
                dismiss(session, staff_id=staff.key, kind=kind, item_id=item_id)
            else:
                hidden = action == "hide"
                moderate(
                    session,
                    telling,
                    staff_id=staff.key,
                    kind=kind,
                    item_id=item_id,
                    hidden=hidden,
                )

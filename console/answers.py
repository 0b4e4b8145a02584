"""Console: a department's saved answers to proposals — listed, added, rewritten, removed.

The same rules as `/api/v1/answer-templates` (`staff/answer_templates.py`): staff keep their
own department's, admins any. A proposal's page offers them to fill its answer form.
"""

from typing import Annotated

from fastapi import Form
from fastapi.responses import RedirectResponse, Response

from console.context import FLASHES, Page, PageContext, section_router
from console.language import N_, _, named
from console.proposals import STATUS_NAMES
from console.sections import ANSWERS
from staff.answer_templates import (
    TEMPLATE_STATUSES,
    TemplateRefused,
    TemplateWords,
    drop,
    keep,
    seen_by,
    usable,
)
from storage.db import transaction, writer_lock

router = section_router(ANSWERS)
CHANGE = ("PUT", "/api/v1/answer-templates/{template_id}")
REASONS = {
    "no_department": N_("부서가 정해지지 않았어요. 관리자에게 부서를 정해 달라고 해 주세요."),
    "not_yours": N_("다른 부서의 답변 양식은 고칠 수 없어요."),
    "title": N_("제목은 1~60자로 적어 주세요."),
    "status": N_("진행 상황을 목록에서 골라 주세요."),
    "body": N_("답변은 1~2000자로 적어 주세요."),
}
FLASHES["template_saved"] = N_("답변 양식을 저장했어요.")
FLASHES["template_removed"] = N_("답변 양식을 지웠어요.")
NOT_DESK = ANSWERS.refusal


def _answers_page(
    ctx: PageContext,
    status_code: int = 200,
    **extra: object,
) -> Response:
    with transaction(ctx.db) as session:
        rows = seen_by(session, ctx.staff)
    return ctx.page(
        "answers.html",
        status_code,
        templates=rows,
        statuses=named({s: STATUS_NAMES[s] for s in TEMPLATE_STATUSES}),
        **extra,
    )


@router.get("/answers")
def answers(ctx: Page, done: str = "") -> Response:
    """The saved answers this person may use, and a form to add one."""
    return _answers_page(ctx, flash=FLASHES.get(done))


@router.post("/answers")
def answer_save(
    ctx: Page,
    title: Annotated[str, Form(max_length=200)] = "",
    status: Annotated[str, Form(max_length=24)] = "",
    body: Annotated[str, Form(max_length=4000)] = "",
    department: Annotated[str, Form(max_length=200)] = "",
    template: Annotated[str, Form(max_length=12)] = "",
) -> Response:
    """Adds a saved answer, or rewrites `template`; a wrong field is said beside it."""
    ctx.require(*CHANGE, NOT_DESK)
    words = TemplateWords(title, status, body)
    try:
        with writer_lock(ctx.db), transaction(ctx.db) as session:
            row = None
            if template:
                number = int(template) if template.isdecimal() else 0
                row = usable(session, ctx.staff, number) if 0 < number < 2**31 else None
                if row is None:
                    raise TemplateRefused("not_yours")
            keep(session, ctx.staff, words, row=row, department=department)
    except TemplateRefused as error:
        draft = {"title": title, "status": status, "body": body, "department": department}
        return _answers_page(
            ctx,
            400,
            error=REASONS[error.code],
            field=error.code,
            draft=draft,
            editing=template,
        )
    return RedirectResponse("/console/answers?done=template_saved", status_code=303)


@router.post("/answers/{template_id}/remove")
def answer_remove(
    ctx: Page,
    template_id: int,
    confirmed: Annotated[str, Form(max_length=1)] = "",
) -> Response:
    """Removes a saved answer after a confirmation that names it."""
    ctx.require("DELETE", "/api/v1/answer-templates/{template_id}", NOT_DESK)
    with writer_lock(ctx.db), transaction(ctx.db) as session:
        row = usable(session, ctx.staff, template_id) if 0 < template_id < 2**31 else None
        title = row.title if row else ""
        if row is not None and confirmed:
            drop(session, ctx.staff, row)
    if row is None:
        return ctx.refused(N_("없는 답변 양식이에요."))
    if not confirmed:
        return ctx.page(
            "confirm.html",
            question=_("답변 양식 {title:'을} 지울까요?", title=title),
            yes=N_("지우기"),
            action=f"/console/answers/{template_id}/remove",
            back="/console/answers",
        )
    return RedirectResponse("/console/answers?done=template_removed", status_code=303)

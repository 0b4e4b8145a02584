"""Proposals: find, read, answer, merge, hide — by the same rules as the JSON API
(`staff/answering.py`), each action also checked against the API route it mirrors."""

from datetime import datetime, timedelta
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import Connection

from console.context import FLASHES, Page, PageContext, section_router
from console.downloads import download
from console.language import N_, _, named
from console.language import current as current_language
from console.sections import DESK_ONLY, PROPOSALS
from conversations.districts import suwon
from conversations.flows.choices import INTERESTS
from conversations.flows.propose import receipt, receipt_number
from staff.answer_templates import seen_by
from staff.answering import (
    ANSWERED,
    STATUSES,
    MergeRefused,
    answer_proposal,
    check_merge,
    merge_proposals,
    moderate,
)
from staff.assignment import departments
from staff.counter import marks_of
from staff.deliveries import deliveries
from staff.proposal_export import proposals_sheet
from staff.proposal_notes import notes_of
from storage import audit, citizens, counter, proposals
from storage.db import transaction, writer_lock
from storage.models import utcnow

router = section_router(PROPOSALS)
STATUS_NAMES = {
    "submitted": N_("접수"),
    "under_review": N_("검토 중"),
    "accepted": N_("수용"),
    "partly_accepted": N_("부분 수용"),
    "not_accepted": N_("불수용"),
}


def _row(row: Any) -> dict[str, Any]:
    return {**row._mapping, "receipt": receipt(row.id)}


def categories(request: Request) -> dict[str, str]:
    """The policy areas citizens choose from, worded as the citizen saw them."""
    catalog = request.app.state.catalog
    return {option.value: catalog.text(current_language(), option.label) for option in INTERESTS}


ProposalFilters = tuple[dict[str, Any], dict[str, str]]


def proposal_filters(
    request: Request,
    q: str = "",
    status: str = "",
    category: str = "",
    dong: str = "",
    over_threshold: bool = False,
    overdue: bool = False,
) -> ProposalFilters:
    """What `proposals.search` is asked, and the choices as the form shows them again.

    A value not on offer (an edited address) filters nothing rather than finding nothing.
    """
    words = q.strip()[:100] or None
    dongs = suwon().dongs_by_gu()
    chosen = {
        "q": q,
        "status": status if status in STATUS_NAMES else "",
        "category": category if category in categories(request) else "",
        "dong": dong if any(dong in names for names in dongs.values()) else "",
    }
    rules = request.app.state.rules
    asked: dict[str, Any] = {
        "text": words,
        "number": receipt_number(words) if words else None,
        "status": chosen["status"] or None,
        "category": chosen["category"] or None,
        "dong": chosen["dong"] or None,
        "over_threshold": over_threshold,
        "due_before": utcnow() - timedelta(days=rules.answer_days) if overdue else None,
    }
    return asked, chosen


Filters = Annotated[ProposalFilters, Depends(proposal_filters)]


@router.get("/proposals")
def proposal_list(ctx: Page, filters: Filters) -> Response:
    asked, chosen = filters
    with transaction(ctx.db) as session:
        rows, total = proposals.search(session.connection(), limit=50, **asked)
        marks = counter.marks(session.connection(), kind="proposal", item_ids=[r.id for r in rows])
    return ctx.page(
        "proposals.html",
        chosen=chosen,
        items=[{**_row(r), "counter": marks.get(r.id)} for r in rows],
        total=total,
        statuses=named(STATUS_NAMES),
        categories=categories(ctx.request),
        dongs=suwon().dongs_by_gu(),
        csv_query=urlencode({k: v for k, v in chosen.items() if v}),
    )


@router.get("/proposals.csv")
def proposal_csv(ctx: Page, filters: Filters) -> Response:
    """The listed proposals as a spreadsheet: the same file as the API's export."""
    ctx.require("GET", "/api/v1/proposals/export.csv", DESK_ONLY)
    asked, _chosen = filters
    with transaction(ctx.db) as session:
        rows, _total = proposals.search(session.connection(), limit=100_000, **asked)
        marks = marks_of(session.connection(), "proposal", [r.id for r in rows])
    return download(proposals_sheet(rows, ctx.state.city_zone, ctx.state.catalog, marks))


@router.get("/proposals/{ref}")
def proposal_page(ctx: Page, ref: str, done: str = "", template: str = "") -> Response:
    """A proposal; `template` (a saved answer's number) fills the answer form with it."""
    ctx.require("GET", "/api/v1/proposals/{proposal_id}", DESK_ONLY)
    found = find_proposal(ctx, ref)
    if found is None:
        return ctx.missing(
            N_("찾는 제안이 없어요"), _("{ref}: 접수번호를 확인해 주세요.", ref=ref)
        )
    chosen = int(template) if template.isdecimal() and int(template) < 2**31 else 0
    return proposal_view(ctx, found, flash=FLASHES.get(done), chosen=chosen)


def proposal_view(
    ctx: PageContext, found: dict[str, Any], status_code: int = 200, **extra: Any
) -> Response:
    """A proposal with its comments, look-alikes and history; `extra` adds an error or a flash."""
    with transaction(ctx.db) as session:
        connection = session.connection()
        comments = proposals.latest_comments(connection, found["id"], limit=50)
        reports = proposals.report_counts(
            connection, kind="comment", item_ids=[c.id for c in comments]
        )
        history = audit.recent(session, limit=50, offset=0, target=f"proposal:{found['id']}")
        alike = proposals.cards(connection, _look_alikes(ctx, connection, found))
        saved = seen_by(session, ctx.staff)
        notes = notes_of(session, ctx.state.telling.sealer, proposal_id=found["id"])
        sent = deliveries(connection, f"proposal:{found['id']}")
        people = (found["author_id"], *(c.author_id for c in comments))
        writers = citizens.get_many(connection, (i for i in people if i is not None))
        author = writers.get(found["author_id"])
        offices = departments(session)
        filed_at = counter.marks(connection, kind="proposal", item_ids=[found["id"]])
    wanted = extra.pop("chosen", 0)
    chosen = next((t for t in saved if t.id == wanted), None)
    return ctx.page(
        "proposal.html",
        status_code,
        p=found,
        counter_mark=filed_at.get(found["id"]),
        comments=comments,
        reports=reports,
        history=history,
        alike=[_row(r) for r in alike],
        statuses=named(STATUS_NAMES),
        categories=categories(ctx.request),
        saved=saved,
        draft={"status": chosen.status, "answer": chosen.body}
        if chosen
        else extra.pop("draft", None),
        chosen=chosen,
        notes=notes,
        deliveries=sent,
        author=author,
        writers=writers,
        departments=offices,
        today=datetime.now(ctx.state.city_zone).date(),
        **extra,
    )


def _look_alikes(ctx: PageContext, connection: Connection, found: dict[str, Any]) -> list[int]:
    """Visible proposals whose titles read like this one's, so staff answer them together;
    the process's index, caught up with the database, as the chat uses it."""
    index = ctx.state.look_alikes
    return [i for i in index.search(connection, found["title"], limit=4) if i != found["id"]][:3]


def find_proposal(ctx: PageContext, ref: str) -> dict[str, Any] | None:
    number = receipt_number(ref)
    if number is None or number > 2**31 - 1:
        return None
    with transaction(ctx.db) as session:
        row = proposals.get(session.connection(), number)
    return _row(row) if row is not None else None


@router.post("/proposals/{ref}/answer")
def proposal_answer(
    ctx: Page,
    ref: str,
    status: Annotated[str, Form(max_length=24)],
    answer: Annotated[str, Form(max_length=4000)] = "",
) -> Response:
    ctx.require(
        "POST",
        "/api/v1/proposals/{proposal_id}/status",
        N_("답변은 제안 담당과 관리자만 할 수 있어요."),
    )
    found = find_proposal(ctx, ref)
    if found is None:
        return ctx.refused(_("{ref}: 찾는 제안이 없어요.", ref=ref))
    text = answer.strip() or None
    error = None
    if status not in STATUSES:
        error = N_("진행 상황을 목록에서 골라 주세요.")
    elif status in ANSWERED and not text:
        error = N_("수용·부분 수용·불수용에는 시의 답변을 꼭 적어 주세요.")
    if error:
        draft = {"status": status, "answer": answer}
        return proposal_view(ctx, found, 400, error=error, draft=draft)
    with writer_lock(ctx.db), transaction(ctx.db) as session:
        before = proposals.get(session.connection(), found["id"])
        answer_proposal(
            session,
            ctx.state.telling,
            staff_id=ctx.staff.key,
            before=before,
            status=status,
            answer=text,
        )
    return RedirectResponse(f"/console/proposals/{found['receipt']}?done=answer", status_code=303)


MERGE_REFUSALS = {
    "same": N_("같은 제안으로는 합칠 수 없어요. 다른 접수번호를 적어 주세요."),
    "hidden": N_("숨긴 제안은 합칠 수 없어요. 먼저 다시 보이게 해 주세요."),
}


@router.post("/proposals/{ref}/merge")
def proposal_merge(
    ctx: Page,
    ref: str,
    into: Annotated[str, Form(max_length=20)] = "",
    confirmed: Annotated[str, Form(max_length=1)] = "",
) -> Response:
    """Folds this proposal into another chosen by receipt number, after a confirmation."""
    ctx.require(
        "POST",
        "/api/v1/proposals/{proposal_id}/merge",
        N_("제안 합치기는 제안 담당과 관리자만 할 수 있어요."),
    )
    found = find_proposal(ctx, ref)
    if found is None:
        return ctx.refused(_("{ref}: 찾는 제안이 없어요.", ref=ref))
    target = find_proposal(ctx, into.strip()) if into.strip() else None
    if target is None:
        error = N_("합칠 제안의 접수번호를 확인해 주세요 (예: P-000123).")
        return proposal_view(ctx, found, 400, merge_error=error, into=into)
    refusal: str | None = None
    with writer_lock(ctx.db), transaction(ctx.db) as session:
        source = proposals.get(session.connection(), found["id"])
        kept = proposals.get(session.connection(), target["id"])
        try:
            if not confirmed:
                check_merge(source, kept)
            else:
                merge_proposals(
                    session,
                    ctx.state.telling,
                    staff_id=ctx.staff.key,
                    source=source,
                    target=kept,
                )
        except MergeRefused as why:
            refusal = MERGE_REFUSALS[why.code]
    if refusal:
        return proposal_view(ctx, found, 400, merge_error=refusal, into=into)
    if not confirmed:
        return ctx.page(
            "confirm.html",
            question=_(
                "{receipt} {title} 제안을 {target} {target_title} 제안으로 합칠까요?",
                receipt=found["receipt"],
                title=found["title"],
                target=target["receipt"],
                target_title=target["title"],
            ),
            yes=N_("합치기"),
            action=f"/console/proposals/{found['receipt']}/merge",
            fields={"into": target["receipt"]},
            back=f"/console/proposals/{found['receipt']}",
        )
    return RedirectResponse(f"/console/proposals/{target['receipt']}?done=merged", status_code=303)


@router.post("/proposals/{ref}/hide")
def proposal_hide(ctx: Page, ref: str) -> Response:
    """Hides a proposal from citizens; the same `moderate` as the API."""
    return _shown(ctx, ref, "hide")


@router.post("/proposals/{ref}/restore")
def proposal_restore(ctx: Page, ref: str) -> Response:
    return _shown(ctx, ref, "restore")


def _shown(ctx: PageContext, ref: str, action: str) -> Response:
    ctx.require(
        "POST",
        f"/api/v1/proposals/{{proposal_id}}/{action}",
        N_("제안은 제안 담당과 관리자만 숨길 수 있어요."),
    )
    found = find_proposal(ctx, ref)
    if found is None:
        return ctx.refused(_("{ref}: 찾는 제안이 없어요.", ref=ref))
    with writer_lock(ctx.db), transaction(ctx.db) as session:
        moderate(
            session,
            ctx.state.telling,
            staff_id=ctx.staff.key,
            kind="proposal",
            item_id=found["id"],
            hidden=action == "hide",
        )
    return RedirectResponse(
        f"/console/proposals/{found['receipt']}?done={action}", status_code=303
    )

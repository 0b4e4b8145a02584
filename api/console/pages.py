"""Console pages: sign-in, password, what needs me now, proposals (find, read, answer).

Pages are thin: each reads the form, calls the same storage and domain functions as the JSON
API (`api/answering.py`, `storage/sessions.py`), checks the role against the same table
(`api/roles.py`, by the API route the page mirrors), and renders a template. Forms carry a
per-session token (CSRF: the synchronizer-token pattern, the token kept with the session in
the database; before sign-in a double-submit cookie), compared in constant time.
"""

import re
import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy import Connection, Engine

from api.answer_templates import seen_by
from api.answering import (
    ANSWERED,
    STATUSES,
    MergeRefused,
    answer_proposal,
    check_merge,
    dismiss,
    merge_proposals,
    moderate,
)
from api.casework import (
    CaseRefused,
    case_for,
    dong_sheet,
    move_case,
    note_case,
    read_case,
    scope_of,
)
from api.console.language import (
    LANGUAGE_COOKIE,
    LANGUAGES,
    N_,
    _,
    named,
    template_gettext,
    template_ngettext,
)
from api.console.language import current as current_language
from api.deps import get_db
from api.people import ChangeRefused, change_person
from api.roles import may
from api.routes.proposals import proposals_csv
from conversations.care import NEXT
from conversations.care import receipt as care_receipt
from conversations.districts import suwon
from conversations.flows.choices import INTERESTS, REPORT_REASONS
from conversations.flows.propose import receipt, receipt_number
from storage import audit, care, notices, proposals, sessions
from storage.db import aware, transaction, writer_lock
from storage.models import Staff, StaffSession, utcnow
from storage.staff import (
    Role,
    by_login,
    care_workers_for,
    change_password,
    create_staff,
    issue_token,
    list_staff,
    new_password,
    revoke_token,
    set_password,
    token_with_owner,
    tokens_of,
)

router = APIRouter(prefix="/console", include_in_schema=False)
KOREA = ZoneInfo("Asia/Seoul")
TEMPLATES = Jinja2Templates(
    env=Environment(
        loader=FileSystemLoader(Path(__file__).parent / "templates"),
        autoescape=select_autoescape(),
        extensions=["jinja2.ext.i18n"],
    )
)
TEMPLATES.env.install_gettext_callables(  # type: ignore[attr-defined]
    template_gettext, template_ngettext, newstyle=True
)
TEMPLATES.env.globals["console_language"] = current_language
SESSION_COOKIE = "toktok_session"
FORM_COOKIE = "toktok_form"
STATUS_NAMES = {
    "submitted": N_("접수"),
    "under_review": N_("검토 중"),
    "accepted": N_("수용"),
    "partly_accepted": N_("부분 수용"),
    "not_accepted": N_("불수용"),
}


class SignInNeeded(Exception):
    """No live session: the page answers with the way to the sign-in form."""


def signed_in(
    request: Request, db: Annotated[Engine, Depends(get_db)]
) -> tuple[Staff, StaffSession]:
    token = request.cookies.get(SESSION_COOKIE, "")
    idle = timedelta(minutes=request.app.state.console_idle_minutes)
    lifetime = timedelta(hours=request.app.state.console_session_hours)
    with writer_lock(db), transaction(db) as session:
        found = (
            sessions.current(session, token=token, now=utcnow(), idle=idle, lifetime=lifetime)
            if token
            else None
        )
    if found is None:
        raise SignInNeeded
    return found


Console = Annotated[tuple[Staff, StaffSession], Depends(signed_in)]


# What pages say in words made in Python: translated here, once, for every page.
MESSAGES = ("flash", "error", "heading", "message", "shown", "question", "yes", "merge_error")


def page(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    """Renders a template; messages handed in Korean are said in the reader's language."""
    for key in MESSAGES:
        if isinstance(context.get(key), str):
            context[key] = _(context[key])
    if isinstance(context.get("errors"), dict):
        context["errors"] = {field: _(text) for field, text in context["errors"].items()}
    return TEMPLATES.TemplateResponse(request, name, context, status_code=status)


def _same(given: str, expected: str) -> bool:
    return bool(expected) and secrets.compare_digest(given.encode(), expected.encode())


STALE = N_("양식이 만료되었어요. 화면을 새로 열어 주세요.")


def stale_form(
    request: Request, who: tuple[Staff, StaffSession], csrf: str
) -> HTMLResponse | None:
    """The refusal of a form posted without this session's token (CSRF), or None."""
    return None if _same(csrf, who[1].csrf) else refused(request, who, STALE)


def refused(request: Request, who: tuple[Staff, StaffSession] | None, reason: str) -> HTMLResponse:
    staff, row = who if who else (None, None)
    return page(
        request,
        "message.html",
        403,
        staff=staff,
        csrf=row.csrf if row else "",
        heading=N_("할 수 없는 일이에요"),
        message=reason,
    )


@router.get("/sign-in")
def sign_in_form(request: Request) -> HTMLResponse:
    token = request.cookies.get(FORM_COOKIE) or secrets.token_urlsafe(32)
    response = page(request, "sign_in.html", csrf=token)
    response.set_cookie(
        FORM_COOKIE,
        token,
        httponly=True,
        samesite="strict",
        secure=request.app.state.https_only,
        path="/console",
    )
    return response


@router.get("/language")
def language(request: Request, to: str = "ko", back: str = "/console") -> Response:
    """Switches the console's language (a cookie, a year) and returns to the page."""
    safe = back.startswith("/console") and not back.startswith("//") and "\\" not in back
    response = RedirectResponse(back if safe else "/console", status_code=303)
    response.set_cookie(
        LANGUAGE_COOKIE,
        to if to in LANGUAGES else "ko",
        max_age=365 * 24 * 3600,
        httponly=True,
        samesite="lax",
        secure=request.app.state.https_only,
        path="/console",
    )
    return response


@router.post("/sign-in")
def sign_in(
    request: Request,
    db: Annotated[Engine, Depends(get_db)],
    login: Annotated[str, Form(max_length=40)],
    password: Annotated[str, Form(max_length=200)],
    csrf: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    if not _same(csrf, request.cookies.get(FORM_COOKIE, "")):
        return refused(request, None, N_("양식이 만료되었어요. 로그인 화면을 새로 열어 주세요."))
    address = request.client.host if request.client else "unknown"
    now = utcnow()
    with writer_lock(db), transaction(db) as session:
        result = sessions.sign_in(
            session, login=login.strip(), password=password, address=address, now=now
        )
    if result.token is None or result.staff is None:
        if result.refused == "locked" and result.retry_at:
            minutes = max(1, round((result.retry_at - now).total_seconds() / 60))
            error = _("로그인이 잠겼어요. {minutes}분 뒤에 다시 시도해 주세요.", minutes=minutes)
            return page(request, "sign_in.html", 429, csrf=csrf, login=login, error=error)
        error = N_("아이디나 비밀번호가 맞지 않아요.")
        return page(request, "sign_in.html", 401, csrf=csrf, login=login, error=error)
    target = "/console/password" if result.staff.must_change_password else "/console"
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        result.token,
        httponly=True,
        samesite="lax",
        secure=request.app.state.https_only,
        path="/console",
    )
    return response


@router.post("/sign-out")
def sign_out(
    request: Request,
    who: Console,
    db: Annotated[Engine, Depends(get_db)],
    csrf: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    if refusal := stale_form(request, who, csrf):
        return refusal
    with writer_lock(db), transaction(db) as session:
        sessions.sign_out(session, token=request.cookies.get(SESSION_COOKIE, ""))
    response = RedirectResponse("/console/sign-in", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/console")
    return response


@router.get("/password")
def password_form(request: Request, who: Console) -> HTMLResponse:
    return page(request, "password.html", staff=who[0], csrf=who[1].csrf, errors={})


@router.post("/password")
def password_change(
    request: Request,
    who: Console,
    db: Annotated[Engine, Depends(get_db)],
    current: Annotated[str, Form(max_length=200)],
    new: Annotated[str, Form(max_length=200)],
    csrf: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    staff, row = who
    if refusal := stale_form(request, who, csrf):
        return refusal
    with writer_lock(db), transaction(db) as session:
        me = session.get(Staff, staff.id)
        problem = change_password(me, current=current, new=new) if me else "wrong_current"
    errors = {
        "wrong_current": {"current": N_("지금 비밀번호가 맞지 않아요.")},
        "too_short": {"new": N_("새 비밀번호는 10자 이상이어야 해요.")},
        "same": {"new": N_("지금 비밀번호나 아이디와 다른 것으로 정해 주세요.")},
    }.get(problem or "", {})
    if errors:
        return page(request, "password.html", 400, staff=staff, csrf=row.csrf, errors=errors)
    return RedirectResponse("/console?done=password", status_code=303)


def _first_things_first(who: tuple[Staff, StaffSession]) -> Response | None:
    """A first password is replaced before any other page opens."""
    if who[0].must_change_password:
        return RedirectResponse("/console/password", status_code=303)
    return None


def allowed(
    request: Request, who: tuple[Staff, StaffSession], method: str, path: str, refusal: str
) -> Response | None:
    """None when the page may open: the first password replaced, and the role let into the
    API's `method` `path` (the same table); else the redirect or `refusal`."""
    if redirect := _first_things_first(who):
        return redirect
    if not may(who[0].role, method, path):
        return refused(request, who, refusal)
    return None


FLASHES = {
    "password": N_("비밀번호를 바꿨어요."),
    "answer": N_("답변을 저장했어요. 공감한 분들께 알렸어요."),
    "hide": N_("제안을 숨겼어요. 시민에게 보이지 않아요."),
    "restore": N_("제안을 다시 보이게 했어요."),
    "merged": N_("제안을 합쳤어요. 공감한 분들께 알렸어요."),
}


@router.get("")
def home(
    request: Request,
    who: Console,
    db: Annotated[Engine, Depends(get_db)],
    done: str = "",
) -> Response:
    """What needs me now: proposals past the support threshold without an answer, overdue ones,
    new care cases of my dongs, reported content still shown, notices going out now."""
    if redirect := _first_things_first(who):
        return redirect
    rules = request.app.state.rules
    due_before = utcnow() - timedelta(days=rules.answer_days)
    staff = who[0]
    waiting = overdue = new_cases = reports = None
    on_the_way: list[Any] = []
    with transaction(db) as session:
        connection = session.connection()
        if may(staff.role, "GET", "/api/v1/proposals"):
            _rows, waiting = proposals.search(
                connection, over_threshold=True, status="submitted", limit=1
            )
            _rows, overdue = proposals.search(connection, due_before=due_before, limit=1)
        if may(staff.role, *MODERATION):
            reports = sum(not item["hidden"] for item in proposals.reported(connection))
        if may(staff.role, "GET", "/api/v1/notices"):
            on_the_way = notices.sending(connection)
        if may(staff.role, "GET", "/api/v1/care-applications"):
            _rows, new_cases = care.search(
                connection, dongs=scope_of(staff), status="received", limit=1
            )
    return page(
        request,
        "home.html",
        staff=staff,
        csrf=who[1].csrf,
        flash=FLASHES.get(done),
        waiting=waiting,
        overdue=overdue,
        new_cases=new_cases,
        reports=reports,
        sending=on_the_way,
    )


def _row(row: Any) -> dict[str, Any]:
    return {**row._mapping, "receipt": receipt(row.id)}


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
        "category": category if category in _categories(request) else "",
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


@router.get("/proposals")
def proposal_list(
    request: Request,
    who: Console,
    db: Annotated[Engine, Depends(get_db)],
    filters: Annotated[ProposalFilters, Depends(proposal_filters)],
) -> Response:
    if redirect := _first_things_first(who):
        return redirect
    if not may(who[0].role, "GET", "/api/v1/proposals"):
        return refused(request, who, N_("제안은 제안 담당과 관리자만 볼 수 있어요."))
    asked, chosen = filters
    with transaction(db) as session:
        rows, total = proposals.search(session.connection(), limit=50, **asked)
    items = [_row(r) for r in rows]
    return page(
        request,
        "proposals.html",
        staff=who[0],
        csrf=who[1].csrf,
        chosen=chosen,
        items=items,
        total=total,
        statuses=named(STATUS_NAMES),
        categories=_categories(request),
        dongs=suwon().dongs_by_gu(),
        csv_query=urlencode({k: v for k, v in chosen.items() if v}),
    )


@router.get("/proposals.csv")
def proposal_csv(
    request: Request,
    who: Console,
    db: Annotated[Engine, Depends(get_db)],
    filters: Annotated[ProposalFilters, Depends(proposal_filters)],
) -> Response:
    """The listed proposals as a spreadsheet: the same file as the API's export."""
    if redirect := _first_things_first(who):
        return redirect
    if not may(who[0].role, "GET", "/api/v1/proposals/export.csv"):
        return refused(request, who, N_("제안은 제안 담당과 관리자만 볼 수 있어요."))
    asked, _chosen = filters
    with transaction(db) as session:
        rows, _total = proposals.search(session.connection(), limit=100_000, **asked)
    return proposals_csv(rows)


def _categories(request: Request) -> dict[str, str]:
    """The policy areas citizens choose from, worded as the citizen saw them."""
    catalog = request.app.state.catalog
    return {option.value: catalog.text(current_language(), option.label) for option in INTERESTS}


@router.get("/proposals/{ref}")
def proposal_page(
    request: Request,
    who: Console,
    db: Annotated[Engine, Depends(get_db)],
    ref: str,
    done: str = "",
    template: str = "",
) -> Response:
    """A proposal; `template` (a saved answer's number) fills the answer form with it."""
    if redirect := _first_things_first(who):
        return redirect
    if not may(who[0].role, "GET", "/api/v1/proposals/{proposal_id}"):
        return refused(request, who, N_("제안은 제안 담당과 관리자만 볼 수 있어요."))
    found = _proposal(db, ref)
    if found is None:
        return page(
            request,
            "message.html",
            404,
            staff=who[0],
            csrf=who[1].csrf,
            heading=N_("찾는 제안이 없어요"),
            message=_("{ref}: 접수번호를 확인해 주세요.", ref=ref),
        )
    chosen = int(template) if template.isdecimal() and int(template) < 2**31 else 0
    return _proposal_view(request, who, db, found, flash=FLASHES.get(done), chosen=chosen)


def _proposal_view(
    request: Request,
    who: tuple[Staff, StaffSession],
    db: Engine,
    found: dict[str, Any],
    status_code: int = 200,
    **extra: Any,
) -> Response:
    """A proposal with its comments, look-alikes and history; `extra` adds an error or a flash."""
    with transaction(db) as session:
        connection = session.connection()
        comments = proposals.latest_comments(connection, found["id"], limit=50)
        reports = proposals.report_counts(
            connection, kind="comment", item_ids=[c.id for c in comments]
        )
        history = audit.recent(session, limit=50, offset=0, target=f"proposal:{found['id']}")
        alike = proposals.cards(connection, _look_alikes(request, connection, found))
        saved = seen_by(session, who[0])
    wanted = extra.pop("chosen", 0)
    chosen = next((t for t in saved if t.id == wanted), None)
    return page(
        request,
        "proposal.html",
        status_code,
        staff=who[0],
        csrf=who[1].csrf,
        p=found,
        comments=comments,
        reports=reports,
        history=history,
        alike=[_row(r) for r in alike],
        statuses=named(STATUS_NAMES),
        categories=_categories(request),
        saved=saved,
        draft={"status": chosen.status, "answer": chosen.body}
        if chosen
        else extra.pop("draft", None),
        chosen=chosen,
        **extra,
    )


def _look_alikes(request: Request, connection: Connection, found: dict[str, Any]) -> list[int]:
    """Visible proposals whose titles read like this one's, so staff answer them together;
    the process's index, caught up with the database, as the chat uses it."""
    index = request.app.state.look_alikes
    return [i for i in index.search(connection, found["title"], limit=4) if i != found["id"]][:3]


def _proposal(db: Engine, ref: str) -> dict[str, Any] | None:
    number = receipt_number(ref)
    if number is None or number > 2**31 - 1:
        return None
    with transaction(db) as session:
        row = proposals.get(session.connection(), number)
    return _row(row) if row is not None else None


@router.post("/proposals/{ref}/answer")
def proposal_answer(
    request: Request,
    who: Console,
    db: Annotated[Engine, Depends(get_db)],
    ref: str,
    status: Annotated[str, Form(max_length=24)],
    answer: Annotated[str, Form(max_length=4000)] = "",
    csrf: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    staff = who[0]
    if refusal := stale_form(request, who, csrf):
        return refusal
    if not may(staff.role, "POST", "/api/v1/proposals/{proposal_id}/status"):
        return refused(request, who, N_("답변은 제안 담당과 관리자만 할 수 있어요."))
    found = _proposal(db, ref)
    if found is None:
        return refused(request, who, _("{ref}: 찾는 제안이 없어요.", ref=ref))
    text = answer.strip() or None
    error = None
    if status not in STATUSES:
        error = N_("진행 상황을 목록에서 골라 주세요.")
    elif status in ANSWERED and not text:
        error = N_("수용·부분 수용·불수용에는 시의 답변을 꼭 적어 주세요.")
    if error:
        draft = {"status": status, "answer": answer}
        return _proposal_view(request, who, db, found, 400, error=error, draft=draft)
    with writer_lock(db), transaction(db) as session:
        before = proposals.get(session.connection(), found["id"])
        answer_proposal(
            session,
            request.app.state.telling,
            staff_id=staff.id,  # type: ignore[arg-type]
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
    request: Request,
    who: Console,
    db: Annotated[Engine, Depends(get_db)],
    ref: str,
    into: Annotated[str, Form(max_length=20)] = "",
    confirmed: Annotated[str, Form(max_length=1)] = "",
    csrf: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    """Folds this proposal into another chosen by receipt number, after a confirmation."""
    staff, row = who
    if refusal := stale_form(request, who, csrf):
        return refusal
    if not may(staff.role, "POST", "/api/v1/proposals/{proposal_id}/merge"):
        return refused(request, who, N_("제안 합치기는 제안 담당과 관리자만 할 수 있어요."))
    found = _proposal(db, ref)
    if found is None:
        return refused(request, who, _("{ref}: 찾는 제안이 없어요.", ref=ref))
    target = _proposal(db, into.strip()) if into.strip() else None
    if target is None:
        error = N_("합칠 제안의 접수번호를 확인해 주세요 (예: P-000123).")
        return _proposal_view(request, who, db, found, 400, merge_error=error, into=into)
    error = None
    with writer_lock(db), transaction(db) as session:
        source = proposals.get(session.connection(), found["id"])
        kept = proposals.get(session.connection(), target["id"])
        try:
            if not confirmed:
                check_merge(source, kept)
            else:
                merge_proposals(
                    session,
                    request.app.state.telling,
                    staff_id=staff.id,  # type: ignore[arg-type]
                    source=source,
                    target=kept,
                )
        except MergeRefused as why:
            error = MERGE_REFUSALS[why.code]
    if error:
        return _proposal_view(request, who, db, found, 400, merge_error=error, into=into)
    if not confirmed:
        return page(
            request,
            "confirm.html",
            staff=staff,
            csrf=row.csrf,
            question=(
                _(
                    "{receipt} {title} 제안을 {target} {target_title} 제안으로 합칠까요?",
                    receipt=found["receipt"],
                    title=found["title"],
                    target=target["receipt"],
                    target_title=target["title"],
                )
            ),
            yes=N_("합치기"),
            action=f"/console/proposals/{found['receipt']}/merge",
            fields={"into": target["receipt"]},
            back=f"/console/proposals/{found['receipt']}",
        )
    return RedirectResponse(f"/console/proposals/{target['receipt']}?done=merged", status_code=303)


@router.post("/proposals/{ref}/{action}")
def proposal_shown(
    request: Request,
    who: Console,
    db: Annotated[Engine, Depends(get_db)],
    ref: str,
    action: str,
    csrf: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    """Hides a proposal from citizens, or shows it again; the same `moderate` as the API."""
    staff = who[0]
    if refusal := stale_form(request, who, csrf):
        return refusal
    if action not in ("hide", "restore"):
        return refused(request, who, N_("알 수 없는 처리예요."))
    if not may(staff.role, "POST", f"/api/v1/proposals/{{proposal_id}}/{action}"):
        return refused(request, who, N_("제안은 제안 담당과 관리자만 숨길 수 있어요."))
    found = _proposal(db, ref)
    if found is None:
        return refused(request, who, _("{ref}: 찾는 제안이 없어요.", ref=ref))
    with writer_lock(db), transaction(db) as session:
        moderate(
            session,
            staff_id=staff.id,  # type: ignore[arg-type]
            kind="proposal",
            item_id=found["id"],
            hidden=action == "hide",
        )
    return RedirectResponse(
        f"/console/proposals/{found['receipt']}?done={action}", status_code=303
    )


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
def care_list(request: Request, who: Console, db: Annotated[Engine, Depends(get_db)]) -> Response:
    """The cases of my dongs (every case for an admin), without personal data."""
    if redirect := _first_things_first(who):
        return redirect
    staff = who[0]
    if not may(staff.role, "GET", "/api/v1/care-applications"):
        return refused(request, who, N_("돌봄 신청은 돌봄 담당과 관리자만 볼 수 있어요."))
    with transaction(db) as session:
        rows, total = care.search(session.connection(), dongs=scope_of(staff), limit=100)
    items = [
        {
            "receipt": care_receipt(r.id),
            "dong": r.dong,
            "status": r.status,
            "services": r.services,
            "created": aware(r.created_at).date().isoformat(),
        }
        for r in rows
    ]
    return page(
        request,
        "care_list.html",
        staff=staff,
        csrf=who[1].csrf,
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
def care_sheet(
    request: Request, who: Console, db: Annotated[Engine, Depends(get_db)], dong: str = ""
) -> Response:
    """One dong's cases with contact details, for the dong office: the API's own file, and
    like it every case goes into the access log."""
    if redirect := _first_things_first(who):
        return redirect
    staff = who[0]
    if not may(staff.role, "GET", "/api/v1/care-applications/export.csv"):
        return refused(request, who, N_("돌봄 신청은 돌봄 담당과 관리자만 볼 수 있어요."))
    with writer_lock(db), transaction(db) as session:
        sealer = request.app.state.telling.sealer
        sheet = dong_sheet(session.connection(), sealer, staff, dong.strip(), None)
    if sheet is None:
        return page(
            request,
            "message.html",
            404,
            staff=staff,
            csrf=who[1].csrf,
            heading=N_("받을 수 있는 신청이 없어요"),
            message=N_("담당하는 동을 골라 주세요."),
        )
    return sheet


@router.get("/care/{ref}")
def care_case(
    request: Request,
    who: Console,
    db: Annotated[Engine, Depends(get_db)],
    ref: str,
    done: str = "",
) -> Response:
    """One case with its personal data: the read is in the access log, as in the API."""
    if redirect := _first_things_first(who):
        return redirect
    staff = who[0]
    if not may(staff.role, "GET", "/api/v1/care-applications/{application_id}"):
        return refused(request, who, N_("돌봄 신청은 돌봄 담당과 관리자만 볼 수 있어요."))
    number = _care_number(ref)
    with writer_lock(db), transaction(db) as session:
        connection = session.connection()
        row = case_for(connection, staff, number) if number else None
        read = read_case(connection, request.app.state.telling.sealer, staff, row) if row else None
    if row is None or read is None:
        return page(
            request,
            "message.html",
            404,
            staff=staff,
            csrf=who[1].csrf,
            heading=N_("찾는 돌봄 신청이 없어요"),
            message=_("{ref}: 담당 동의 신청이 아니거나 없는 접수번호예요.", ref=ref),
        )
    return _case_page(request, who, db, row, read, done=done)


def _case_page(
    request: Request,
    who: tuple[Staff, StaffSession],
    db: Engine,
    row: Any,
    read: dict[str, Any],
    *,
    done: str = "",
    error: str | None = None,
) -> HTMLResponse:
    with transaction(db) as session:
        workers = care_workers_for(session, row.dong)
    return page(
        request,
        "care_case.html",
        400 if error else 200,
        staff=who[0],
        csrf=who[1].csrf,
        receipt=care_receipt(row.id),
        row=row,
        statuses=named(CARE_STATUS_NAMES),
        moves=NEXT.get(row.status, ()),
        workers=workers,
        error=error,
        flash=FLASHES.get(done),
        **read,
    )


CASE_PROBLEMS = {
    "reason_needed": N_("어려움으로 바꿀 때는 신청인께 전할 말을 꼭 적어 주세요."),
    "assignee_needed": N_("담당 배정에는 맡을 돌봄 담당을 골라 주세요."),
    "wrong_move": N_("지금 상태에서는 그렇게 바꿀 수 없어요."),
    "not_a_worker": N_("고른 분은 돌봄 담당이 아니에요."),
    "not_their_dong": N_("고른 분은 이 동을 맡고 있지 않아요."),
}
FLASHES["case"] = N_("저장했어요. 신청인께 알렸어요.")
FLASHES["note"] = N_("메모를 저장했어요.")


@router.post("/care/{ref}/status")
def care_move(
    request: Request,
    who: Console,
    db: Annotated[Engine, Depends(get_db)],
    ref: str,
    status: Annotated[str, Form(max_length=16)],
    assign_to: Annotated[str, Form(max_length=12)] = "",
    reason: Annotated[str, Form(max_length=500)] = "",
    csrf: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    """Moves the case (and tells the applicant), by the same rule as the API."""
    staff = who[0]
    if refusal := stale_form(request, who, csrf):
        return refusal
    if not may(staff.role, "POST", "/api/v1/care-applications/{application_id}/status"):
        return refused(request, who, N_("돌봄 신청은 돌봄 담당과 관리자만 다룰 수 있어요."))
    number = _care_number(ref)
    worker = int(assign_to) if assign_to.isdecimal() and int(assign_to) < 2**31 else None
    with writer_lock(db), transaction(db) as session:
        row = case_for(session.connection(), staff, number) if number else None
        problem = None
        if row is not None:
            try:
                move_case(
                    session,
                    request.app.state.telling,
                    staff=staff,
                    row=row,
                    status=status,
                    reason=reason.strip() or None,
                    assign_to=worker,
                )
            except CaseRefused as refusal:  # refused before anything was written
                problem = CASE_PROBLEMS.get(refusal.code, refusal.reason)
    if row is None:
        return refused(
            request, who, _("{ref}: 담당 동의 신청이 아니거나 없는 접수번호예요.", ref=ref)
        )
    if problem:
        with writer_lock(db), transaction(db) as session:
            read = read_case(session.connection(), request.app.state.telling.sealer, staff, row)
        return _case_page(request, who, db, row, read, error=problem)
    return RedirectResponse(f"/console/care/{care_receipt(row.id)}?done=case", status_code=303)


@router.post("/care/{ref}/notes")
def care_note(
    request: Request,
    who: Console,
    db: Annotated[Engine, Depends(get_db)],
    ref: str,
    body: Annotated[str, Form(min_length=1, max_length=2000)],
    csrf: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    staff = who[0]
    if refusal := stale_form(request, who, csrf):
        return refusal
    if not may(staff.role, "POST", "/api/v1/care-applications/{application_id}/notes"):
        return refused(request, who, N_("돌봄 신청은 돌봄 담당과 관리자만 다룰 수 있어요."))
    number = _care_number(ref)
    with writer_lock(db), transaction(db) as session:
        connection = session.connection()
        row = case_for(connection, staff, number) if number else None
        if row is not None:
            sealer = request.app.state.telling.sealer
            note_case(connection, sealer, staff=staff, row=row, body=body.strip())
    if row is None:
        return refused(
            request, who, _("{ref}: 담당 동의 신청이 아니거나 없는 접수번호예요.", ref=ref)
        )
    return RedirectResponse(f"/console/care/{care_receipt(row.id)}?done=note", status_code=303)


def _care_number(ref: str) -> int | None:
    found = re.fullmatch(r"(?:[Cc]-?)?0*(\d{1,10})", ref.strip())
    number = int(found.group(1)) if found else 0
    return number if 0 < number <= 2**31 - 1 else None


MODERATION = ("POST", "/api/v1/comments/{comment_id}/hide")
FLASHES["moderated"] = N_("처리했어요.")


@router.get("/moderation")
def moderation(
    request: Request, who: Console, db: Annotated[Engine, Depends(get_db)], done: str = ""
) -> Response:
    """Reported proposals and comments, newest report first, with how many citizens reported
    each and why (the reasons worded as the citizens chose them)."""
    if redirect := _first_things_first(who):
        return redirect
    if not may(who[0].role, *MODERATION):
        return refused(request, who, N_("신고 처리는 제안 담당과 관리자만 할 수 있어요."))
    with transaction(db) as session:
        items = proposals.reported(session.connection())
    catalog = request.app.state.catalog
    return page(
        request,
        "moderation.html",
        staff=who[0],
        csrf=who[1].csrf,
        items=items,
        reasons={o.value: catalog.text(current_language(), o.label) for o in REPORT_REASONS},
        flash=FLASHES.get(done),
    )


@router.post("/moderation/{kind}/{item_id}/{action}")
def moderate_one(
    request: Request,
    who: Console,
    db: Annotated[Engine, Depends(get_db)],
    kind: str,
    item_id: int,
    action: str,
    back: Annotated[str, Form(max_length=40)] = "",
    csrf: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    """Hides, restores or dismisses one item; back to the queue, or to the proposal's page
    when the form was there."""
    if refusal := stale_form(request, who, csrf):
        return refusal
    if not may(who[0].role, *MODERATION):
        return refused(request, who, N_("신고 처리는 제안 담당과 관리자만 할 수 있어요."))
    known = kind in ("proposal", "comment") and action in ("hide", "restore", "dismiss")
    if not known or not 0 < item_id < 2**31:
        return refused(request, who, N_("알 수 없는 처리예요."))
    _apply(db, who[0], [(kind, item_id)], action)
    page_of = (
        back if re.fullmatch(r"/console/proposals/P-\d{6,10}", back) else "/console/moderation"
    )
    return RedirectResponse(f"{page_of}?done=moderated", status_code=303)


@router.post("/moderation/bulk")
def moderate_many(
    request: Request,
    who: Console,
    db: Annotated[Engine, Depends(get_db)],
    items: Annotated[list[str], Form()] = [],  # noqa: B006  (FastAPI reads the default)
    confirmed: Annotated[str, Form(max_length=1)] = "",
    csrf: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    """Hides the chosen items, after a confirmation that says how many."""
    if refusal := stale_form(request, who, csrf):
        return refusal
    if not may(who[0].role, *MODERATION):
        return refused(request, who, N_("신고 처리는 제안 담당과 관리자만 할 수 있어요."))
    chosen = [_item(value) for value in items[:200]]
    picked = [item for item in chosen if item is not None]
    if not picked:
        return RedirectResponse("/console/moderation", status_code=303)
    if not confirmed:
        return page(
            request,
            "confirm.html",
            staff=who[0],
            csrf=who[1].csrf,
            question=_("{n}건을 숨길까요?", n=len(picked)),
            yes=_("{n}건 숨기기", n=len(picked)),
            action="/console/moderation/bulk",
            items=[f"{kind}:{item_id}" for kind, item_id in picked],
            back="/console/moderation",
        )
    _apply(db, who[0], picked, "hide")
    return RedirectResponse("/console/moderation?done=moderated", status_code=303)


def _item(value: str) -> tuple[str, int] | None:
    kind, _sep, number = value.partition(":")
    if kind in ("proposal", "comment") and number.isdecimal() and 0 < int(number) < 2**31:
        return kind, int(number)
    return None


def _apply(db: Engine, staff: Staff, items: list[tuple[str, int]], action: str) -> None:
    with writer_lock(db), transaction(db) as session:
        for kind, item_id in items:
            if action == "dismiss":
                dismiss(session, staff_id=staff.id, kind=kind, item_id=item_id)  # type: ignore[arg-type]
            else:
                hidden = action == "hide"
                moderate(session, staff_id=staff.id, kind=kind, item_id=item_id, hidden=hidden)  # type: ignore[arg-type]


ROLE_NAMES = {"admin": N_("관리자"), "staff": N_("제안·설문 담당"), "care_worker": N_("돌봄 담당")}
ADMIN_PAGE = ("GET", "/api/v1/staff")


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
    request: Request,
    who: tuple[Staff, StaffSession],
    db: Engine,
    *,
    shown: str | None = None,
    error: str | None = None,
    wanted: LogFilter | None = None,
) -> HTMLResponse:
    wanted = wanted or LogFilter()
    with transaction(db) as session:
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
    return page(
        request,
        "staff.html",
        400 if error or wanted.day_error else 200,
        staff=who[0],
        csrf=who[1].csrf,
        people=people,
        roles=named(ROLE_NAMES),
        audit=recent,
        access=access,
        wanted=wanted,
        shown=shown,
        error=error,
    )


@router.get("/staff")
def staff_page(
    request: Request,
    who: Console,
    db: Annotated[Engine, Depends(get_db)],
    person: str = "",
    action: str = "",
    day: str = "",
) -> Response:
    """People, the audit log and the care access log (narrowed as asked), for admins."""
    if redirect := _first_things_first(who):
        return redirect
    if not may(who[0].role, *ADMIN_PAGE):
        return refused(request, who, N_("직원 관리는 관리자만 할 수 있어요."))
    chosen = int(person) if person.isdecimal() and int(person) < 2**31 else None
    wanted = LogFilter.asked(chosen, action.strip()[:64], day.strip()[:40])
    return _staff_page(request, who, db, wanted=wanted)


@router.post("/staff")
def staff_add(
    request: Request,
    who: Console,
    db: Annotated[Engine, Depends(get_db)],
    name: Annotated[str, Form(min_length=1, max_length=100)],
    login: Annotated[str, Form(max_length=40)],
    role: Annotated[str, Form(max_length=16)],
    dongs: Annotated[str, Form(max_length=2000)] = "",
    department: Annotated[str, Form(max_length=60)] = "",
    csrf: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    """Adds a person; their first password is shown once, on this page."""
    admin = who[0]
    if refusal := stale_form(request, who, csrf):
        return refusal
    if not may(admin.role, "POST", "/api/v1/staff"):
        return refused(request, who, N_("직원 관리는 관리자만 할 수 있어요."))
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
        return _staff_page(request, who, db, error=error)
    with writer_lock(db), transaction(db) as session:
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
        return _staff_page(
            request, who, db, error=_("그 아이디는 이미 쓰이고 있어요: {login}", login=login)
        )
    shown = _(
        "{name}({login})님을 더했어요. 처음 비밀번호: {password} — 지금만 보여요.",
        name=name.strip(),
        login=login,
        password=password,
    )
    return _staff_page(request, who, db, shown=shown)


STAFF_EDIT = ("PATCH", "/api/v1/staff/{staff_id}")
CHANGE_REASONS = {
    "login_taken": N_("그 아이디는 이미 쓰이고 있어요."),
    "self_lockout": N_("자기 자신의 역할은 바꿀 수 없어요."),
}


def _person(db: Engine, person_id: int) -> Staff | None:
    with transaction(db) as session:
        return session.get(Staff, person_id) if 0 < person_id < 2**31 else None


@router.get("/staff/{person_id}")
def staff_edit(
    request: Request, who: Console, db: Annotated[Engine, Depends(get_db)], person_id: int
) -> Response:
    """One person's account to change: name, sign-in name, role, dongs, department."""
    if redirect := _first_things_first(who):
        return redirect
    if not may(who[0].role, *STAFF_EDIT):
        return refused(request, who, N_("직원 관리는 관리자만 할 수 있어요."))
    person = _person(db, person_id)
    if person is None:
        return refused(request, who, N_("없는 직원이에요."))
    form = {**person.model_dump(), "dongs": ", ".join(person.dongs)}
    return page(
        request,
        "staff_edit.html",
        staff=who[0],
        csrf=who[1].csrf,
        form=form,
        roles=named(ROLE_NAMES),
    )


@router.post("/staff/{person_id}")
def staff_save(
    request: Request,
    who: Console,
    db: Annotated[Engine, Depends(get_db)],
    person_id: int,
    name: Annotated[str, Form(max_length=100)] = "",
    login: Annotated[str, Form(max_length=40)] = "",
    role: Annotated[str, Form(max_length=16)] = "",
    dongs: Annotated[str, Form(max_length=2000)] = "",
    department: Annotated[str, Form(max_length=60)] = "",
    csrf: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    """Saves the changes (the same `change_person` as the API); a wrong field is said
    beside it and nothing changes."""
    if refusal := stale_form(request, who, csrf):
        return refusal
    if not may(who[0].role, *STAFF_EDIT):
        return refused(request, who, N_("직원 관리는 관리자만 할 수 있어요."))
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
            with writer_lock(db), transaction(db) as session:
                person = session.get(Staff, person_id) if 0 < person_id < 2**31 else None
                if person is not None:
                    change_person(session, admin=who[0], person=person, changes=changes)
        except ChangeRefused as refusal:
            if refusal.code == "dongs":
                errors["dongs"] = _(
                    "수원시의 동이 아니에요: {dongs}", dongs=", ".join(refusal.unknown)
                )
            else:
                field = "login" if refusal.code == "login_taken" else "role"
                errors[field] = CHANGE_REASONS[refusal.code]
        if not errors and person is None:
            return refused(request, who, N_("없는 직원이에요."))
    if errors:
        return page(
            request,
            "staff_edit.html",
            400,
            staff=who[0],
            csrf=who[1].csrf,
            form=form,
            roles=named(ROLE_NAMES),
            errors=errors,
        )
    return _staff_page(request, who, db, shown=_("{name}님의 정보를 바꿨어요.", name=name.strip()))


@router.post("/staff/{person_id}/{action}")
def staff_change(
    request: Request,
    who: Console,
    db: Annotated[Engine, Depends(get_db)],
    person_id: int,
    action: str,
    csrf: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    """Deactivates or reactivates a person, or makes them a new first password."""
    admin = who[0]
    if refusal := stale_form(request, who, csrf):
        return refusal
    if not may(admin.role, "PATCH", "/api/v1/staff/{staff_id}"):
        return refused(request, who, N_("직원 관리는 관리자만 할 수 있어요."))
    if action not in ("deactivate", "reactivate", "password") or person_id == admin.id:
        return refused(request, who, N_("할 수 없는 처리예요."))
    shown = None
    with writer_lock(db), transaction(db) as session:
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
        return refused(request, who, N_("없는 직원이에요."))
    return _staff_page(request, who, db, shown=shown)


def _tokens_page(
    request: Request, who: tuple[Staff, StaffSession], db: Engine, shown: str | None = None
) -> HTMLResponse:
    with transaction(db) as session:
        tokens = tokens_of(session, staff_id=who[0].id)
    return page(request, "tokens.html", staff=who[0], csrf=who[1].csrf, tokens=tokens, shown=shown)


@router.get("/tokens")
def tokens_page(
    request: Request, who: Console, db: Annotated[Engine, Depends(get_db)]
) -> Response:
    """My API tokens: made (shown once), listed, revoked — as `/api/v1/tokens` does."""
    if redirect := _first_things_first(who):
        return redirect
    return _tokens_page(request, who, db)


@router.post("/tokens")
def token_make(
    request: Request,
    who: Console,
    db: Annotated[Engine, Depends(get_db)],
    name: Annotated[str, Form(min_length=1, max_length=60)],
    days: Annotated[int, Form(ge=1, le=365)] = 90,
    csrf: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    staff = who[0]
    if refusal := stale_form(request, who, csrf):
        return refusal
    with writer_lock(db), transaction(db) as session:
        row, token = issue_token(session, staff_id=staff.id, name=name.strip(), days=days)  # type: ignore[arg-type]
        audit.record(session, staff_id=staff.id, action="token.create", target=f"token:{row.id}")
    return _tokens_page(request, who, db, shown=_("새 토큰(지금만 보여요): {token}", token=token))


@router.post("/tokens/{token_id}/revoke")
def token_revoke(
    request: Request,
    who: Console,
    db: Annotated[Engine, Depends(get_db)],
    token_id: int,
    csrf: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    staff = who[0]
    if refusal := stale_form(request, who, csrf):
        return refusal
    with writer_lock(db), transaction(db) as session:
        found = token_with_owner(session, token_id) if 0 < token_id < 2**31 else None
        mine = found is not None and found[1].id == staff.id
        if mine:
            revoke_token(session, token_id=token_id)
            audit.record(
                session, staff_id=staff.id, action="token.revoke", target=f"token:{token_id}"
            )
    if not mine:
        return refused(request, who, N_("없는 토큰이거나 내 토큰이 아니에요."))
    return _tokens_page(request, who, db, shown=N_("토큰을 폐기했어요. 이제 쓸 수 없어요."))

"""Signing in and out, the first password, and the console's language.

Before sign-in nobody is known, so the sign-in form carries a double-submit token (a cookie
and a field that must match); after it, the session's own token (`console/context.py`).
"""

import secrets
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from console.context import FORM_COOKIE, SESSION_COOKIE, Account, Refused, render, same
from console.language import LANGUAGE_COOKIE, LANGUAGES, N_, _
from storage import sessions
from storage.db import transaction, writer_lock
from storage.models import Staff, utcnow
from storage.staff import change_password

router = APIRouter(prefix="/console", include_in_schema=False)


@router.get("/sign-in")
def sign_in_form(request: Request) -> HTMLResponse:
    token = request.cookies.get(FORM_COOKIE) or secrets.token_urlsafe(32)
    response = render(request, "sign_in.html", csrf=token)
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
    login: Annotated[str, Form(max_length=40)],
    password: Annotated[str, Form(max_length=200)],
    csrf: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    if not same(csrf, request.cookies.get(FORM_COOKIE, "")):
        raise Refused(N_("양식이 만료되었어요. 로그인 화면을 새로 열어 주세요."))
    db = request.app.state.db
    address = request.client.host if request.client else "unknown"
    now = utcnow()
    with writer_lock(db), transaction(db) as session:
        result = sessions.sign_in(
            session, login=login.strip(), password=password, address=address, now=now
        )
    if result.token is None or result.staff is None:
        if result.refused == "locked" and result.retry_at:
            seconds = max(1, round((result.retry_at - now).total_seconds()))
            minutes = max(1, round(seconds / 60))
            error = _("로그인이 잠겼어요. {minutes}분 뒤에 다시 시도해 주세요.", minutes=minutes)
            locked = render(request, "sign_in.html", 429, csrf=csrf, login=login, error=error)
            locked.headers["Retry-After"] = str(seconds)
            return locked
        error = N_("아이디나 비밀번호가 맞지 않아요.")
        return render(request, "sign_in.html", 401, csrf=csrf, login=login, error=error)
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
def sign_out(ctx: Account) -> Response:
    with writer_lock(ctx.db), transaction(ctx.db) as session:
        sessions.sign_out(session, token=ctx.request.cookies.get(SESSION_COOKIE, ""))
    response = RedirectResponse("/console/sign-in", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/console")
    return response


@router.get("/password")
def password_form(ctx: Account) -> HTMLResponse:
    return ctx.page("password.html", errors={})


@router.post("/password")
def password_change(
    ctx: Account,
    current: Annotated[str, Form(max_length=200)],
    new: Annotated[str, Form(max_length=200)],
) -> Response:
    with writer_lock(ctx.db), transaction(ctx.db) as session:
        me = session.get(Staff, ctx.staff.id)
        problem = change_password(me, current=current, new=new) if me else "wrong_current"
    errors = {
        "wrong_current": {"current": N_("지금 비밀번호가 맞지 않아요.")},
        "too_short": {"new": N_("새 비밀번호는 10자 이상이어야 해요.")},
        "same": {"new": N_("지금 비밀번호나 아이디와 다른 것으로 정해 주세요.")},
    }.get(problem or "", {})
    if errors:
        return ctx.page("password.html", 400, errors=errors)
    return RedirectResponse("/console?done=password", status_code=303)

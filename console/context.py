"""What every console page is given: one typed context from one dependency.

`Page` is the signed-in person, their session, the language, the form token and what their
role may do. Asking for it also does what every page must: it sends a person without a live
session to the sign-in form, a person with a first password to the password form, and it
checks the form token (CSRF: the synchronizer-token pattern, the token kept with the session
in the database) of every state-changing request, compared in constant time — in one place,
so no handler can forget it. Refusals are exceptions turned into the refusal page.
"""

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, pass_context, select_autoescape
from jinja2.runtime import Context
from sqlalchemy import Engine
from starlette.datastructures import State

from console.language import N_, _, template_gettext, template_ngettext
from console.language import current as current_language
from console.log_words import (
    action_words,
    channel_words,
    delivery_words,
    read_words,
    target_words,
)
from console.sections import Section, menu_for
from conversations.care import receipt as care_receipt
from staff.roles import may
from storage import sessions
from storage.db import aware, transaction, writer_lock
from storage.models import Staff, StaffSession, utcnow

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
TEMPLATES.env.globals.update(
    action_words=action_words,
    read_words=read_words,
    target_words=target_words,
    care_receipt=care_receipt,
    channel_words=channel_words,
    delivery_words=delivery_words,
)


@pass_context
def _local(context: Context, moment: datetime | None, pattern: str = "%Y-%m-%d %H:%M") -> str:
    """A stored time as the city reads it (the `TIMEZONE` setting; stored times are UTC)."""
    if moment is None:
        return "-"
    zone = context["request"].app.state.city_zone
    return aware(moment).astimezone(zone).strftime(pattern)


TEMPLATES.env.filters["local"] = _local
TEMPLATES.env.filters["local_day"] = pass_context(
    lambda context, moment: _local(context, moment, "%Y-%m-%d")
)
SESSION_COOKIE = "toktok_session"
FORM_COOKIE = "toktok_form"
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
STALE = N_("양식이 만료되었어요. 화면을 새로 열어 주세요.")

# What a page says after a change that sent it there (`?done=...`); sections add theirs.
FLASHES = {
    "password": N_("비밀번호를 바꿨어요."),
    "answer": N_("답변을 저장했어요. 공감한 분들께 보내는 중이에요."),
    "hide": N_("제안을 숨겼어요. 시민에게 보이지 않아요."),
    "restore": N_("제안을 다시 보이게 했어요."),
    "merged": N_("제안을 합쳤어요. 공감한 분들께 보내는 중이에요."),
}

# What pages say in words made in Python: translated here, once, for every page.
MESSAGES = ("flash", "error", "heading", "message", "shown", "question", "yes", "merge_error")


class SignInNeeded(Exception):
    """No live session: the page answers with the way to the sign-in form."""


class PasswordFirst(Exception):
    """A first password is replaced before any other page opens."""


class Refused(Exception):
    """The page may not do this for this person: the refusal page, with `reason` (and the
    menu, when who asked is known)."""

    def __init__(self, reason: str, who: "PageContext | None" = None, status: int = 403) -> None:
        super().__init__(reason)
        self.reason = reason
        self.who = who
        self.status = status


def render(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    """Renders a template; messages handed in Korean are said in the reader's language."""
    for key in MESSAGES:
        if isinstance(context.get(key), str):
            context[key] = _(context[key])
    if isinstance(context.get("errors"), dict):
        context["errors"] = {field: _(text) for field, text in context["errors"].items()}
    return TEMPLATES.TemplateResponse(request, name, context, status_code=status)


def same(given: str, expected: str) -> bool:
    """Whether a form's token is the expected one (constant time; an empty one never is)."""
    return bool(expected) and secrets.compare_digest(given.encode(), expected.encode())


@dataclass(frozen=True)
class PageContext:
    """The signed-in person at a console page, and what the page needs around them."""

    request: Request
    staff: Staff
    session: StaffSession

    @property
    def db(self) -> Engine:
        engine: Engine = self.request.app.state.db
        return engine

    @property
    def state(self) -> State:
        """The application's shared parts: catalogue, rules, telling, look-alike index."""
        return self.request.app.state

    @property
    def csrf(self) -> str:
        return self.session.csrf

    @property
    def language(self) -> str:
        return current_language()

    def may(self, method: str, path: str) -> bool:
        """Whether this person's role may call the API route `method path`."""
        return may(self.staff.role, method, path)

    def require(self, method: str, path: str, refusal: str) -> None:
        """Refuses the page with `refusal` unless the role may call `method path`."""
        if not self.may(method, path):
            raise Refused(refusal, self)

    def page(self, name: str, status: int = 200, **context: Any) -> HTMLResponse:
        """The template with who is signed in, the form token and their menu."""
        return render(
            self.request,
            name,
            status,
            staff=self.staff,
            csrf=self.csrf,
            menu=menu_for(self.staff.role),
            **context,
        )

    def refused(self, reason: str, status: int = 403) -> HTMLResponse:
        return self.page("message.html", status, heading=N_("할 수 없는 일이에요"), message=reason)

    def missing(self, heading: str, message: str) -> HTMLResponse:
        """The 404 page: what was not found, and what to check."""
        return self.page("message.html", 404, heading=heading, message=message)


def signed_in(request: Request) -> tuple[Staff, StaffSession]:
    """The live session of the request's cookie (idle and lifetime limits applied)."""
    db: Engine = request.app.state.db
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


async def account_context(
    request: Request, who: Annotated[tuple[Staff, StaffSession], Depends(signed_in)]
) -> PageContext:
    """The context for every page, the password form included; a state-changing request
    without this session's form token is refused before its handler runs."""
    ctx = PageContext(request, *who)
    if request.method in UNSAFE:
        form = await request.form()
        given = form.get("csrf")
        if not same(given if isinstance(given, str) else "", who[1].csrf):
            raise Refused(STALE, ctx)
    return ctx


def page_context(ctx: Annotated[PageContext, Depends(account_context)]) -> PageContext:
    """The context for every page but the password form: a first password goes first."""
    if ctx.staff.must_change_password:
        raise PasswordFirst
    return ctx


Account = Annotated[PageContext, Depends(account_context)]
Page = Annotated[PageContext, Depends(page_context)]


def section_router(section: Section) -> APIRouter:
    """The routes of one section: each opens only for the roles its table row allows."""

    def open_to_role(ctx: Page) -> None:
        if not section.open_to(ctx.staff.role):
            raise Refused(section.refusal, ctx)

    return APIRouter(
        prefix="/console", include_in_schema=False, dependencies=[Depends(open_to_role)]
    )


def install_refusals(app: FastAPI) -> None:
    """Turns the context's exceptions into the pages a person is shown."""

    @app.exception_handler(SignInNeeded)
    async def to_sign_in(request: Request, error: SignInNeeded) -> RedirectResponse:
        return RedirectResponse("/console/sign-in", status_code=303)

    @app.exception_handler(PasswordFirst)
    async def to_password(request: Request, error: PasswordFirst) -> RedirectResponse:
        return RedirectResponse("/console/password", status_code=303)

    @app.exception_handler(Refused)
    async def refusal(request: Request, error: Refused) -> HTMLResponse:
        if error.who is not None:
            return error.who.refused(error.reason, error.status)
        heading = N_("할 수 없는 일이에요")
        return render(request, "message.html", error.status, heading=heading, message=error.reason)

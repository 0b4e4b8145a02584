"""Console: linking one's own Telegram chat, where test copies of notices go.

The same rules as `/api/v1/staff/me/telegram` (`api/telegram_links.py`): a one-time code,
shown once, sent to the bot as `/staff CODE`; unlinking voids it.
"""

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response
from sqlalchemy import Engine

from api import telegram_links
from api.console.language import N_
from api.console.pages import Console, _first_things_first, page, stale_form
from api.deps import get_db
from storage.db import transaction, writer_lock
from storage.models import Staff, StaffSession
from storage.staff_links import CODE_MINUTES

router = APIRouter(prefix="/console", include_in_schema=False)


def _telegram_page(
    request: Request, who: tuple[Staff, StaffSession], db: Engine, **extra: object
) -> Response:
    with transaction(db) as session:
        me = session.get(Staff, who[0].id)
        linked = me is not None and me.telegram_chat_id is not None
    return page(request, "telegram.html", staff=who[0], csrf=who[1].csrf, linked=linked, **extra)


@router.get("/telegram")
def telegram_page(
    request: Request, who: Console, db: Annotated[Engine, Depends(get_db)]
) -> Response:
    """Whether my Telegram is linked, and a button for a code."""
    if redirect := _first_things_first(who):
        return redirect
    return _telegram_page(request, who, db)


@router.post("/telegram")
def telegram_code(
    request: Request,
    who: Console,
    db: Annotated[Engine, Depends(get_db)],
    csrf: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    if refusal := stale_form(request, who, csrf):
        return refusal
    with writer_lock(db), transaction(db) as session:
        link = telegram_links.start(session, who[0])
    return _telegram_page(request, who, db, code=link.code, minutes=CODE_MINUTES)


@router.post("/telegram/unlink")
def telegram_unlink(
    request: Request,
    who: Console,
    db: Annotated[Engine, Depends(get_db)],
    csrf: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    if refusal := stale_form(request, who, csrf):
        return refusal
    with writer_lock(db), transaction(db) as session:
        telegram_links.end(session, who[0])
    return _telegram_page(request, who, db, shown=N_("텔레그램 연결을 끊었어요."))

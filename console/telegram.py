"""Console: linking one's own Telegram chat, where test copies of notices go.

The same rules as `/api/v1/staff/me/telegram` (`api/telegram_links.py`): a one-time code,
shown once, sent to the bot as `/staff CODE`; unlinking voids it.
"""

from typing import Any

from fastapi.responses import Response

from console.context import Page, PageContext, section_router
from console.language import N_
from console.sections import TELEGRAM
from staff import telegram_links
from storage.db import transaction, writer_lock
from storage.models import Staff
from storage.staff_links import CODE_MINUTES

router = section_router(TELEGRAM)


def _telegram_page(ctx: PageContext, **extra: Any) -> Response:
    with transaction(ctx.db) as session:
        me = session.get(Staff, ctx.staff.id)
        linked = me is not None and me.telegram_chat_id is not None
    return ctx.page("telegram.html", linked=linked, **extra)


@router.get("/telegram")
def telegram_page(ctx: Page) -> Response:
    """Whether my Telegram is linked, and a button for a code."""
    return _telegram_page(ctx)


@router.post("/telegram")
def telegram_code(
    ctx: Page,
) -> Response:
    with writer_lock(ctx.db), transaction(ctx.db) as session:
        link = telegram_links.start(session, ctx.staff)
    return _telegram_page(ctx, code=link.code, minutes=CODE_MINUTES)


@router.post("/telegram/unlink")
def telegram_unlink(
    ctx: Page,
) -> Response:
    with writer_lock(ctx.db), transaction(ctx.db) as session:
        telegram_links.end(session, ctx.staff)
    return _telegram_page(ctx, shown=N_("텔레그램 연결을 끊었어요."))

"""Webhook mode: Telegram posts updates to the API server, which checks the secret header.

The update is handled before the 200 goes back, so an update that fails is delivered again
by Telegram rather than lost; the runtime's seen-update check makes the redelivery harmless.
"""

import logging
import secrets

from fastapi import APIRouter, HTTPException, Request, status
from telegram import Update
from telegram.ext import Application

log = logging.getLogger(__name__)
WEBHOOK_PATH = "/telegram/webhook"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


def _update_from(data: object, application: Application) -> Update | None:
    """The update, or None for a body Telegram would never send (so no turn is attempted)."""
    if not isinstance(data, dict) or type(data.get("update_id")) is not int:
        return None
    try:
        return Update.de_json(data, application.bot)
    except (KeyError, TypeError, ValueError, AttributeError):
        return None


def webhook_router(application: Application, secret: str) -> APIRouter:
    router = APIRouter(include_in_schema=False)

    @router.post(WEBHOOK_PATH)
    async def receive(request: Request) -> dict[str, bool]:
        given = request.headers.get(SECRET_HEADER, "")
        if not secrets.compare_digest(given.encode(), secret.encode()):
            raise HTTPException(status.HTTP_403_FORBIDDEN, "wrong secret token")
        try:
            data = await request.json()
        except ValueError as error:
            raise HTTPException(status.HTTP_400_BAD_REQUEST, "body is not JSON") from error
        update = _update_from(data, application)
        if update is None:
            log.warning("webhook body refused: not a Telegram update")
            raise HTTPException(status.HTTP_400_BAD_REQUEST, "body is not a Telegram update")
        # Through the bot's update processor, as in polling: one citizen's updates in order.
        await application.update_processor.process_update(
            update, application.process_update(update)
        )
        return {"ok": True}

    return router

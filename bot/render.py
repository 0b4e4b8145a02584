"""Engine replies as Telegram keyboards: big one-per-row buttons in easy mode."""

from collections.abc import Sequence
from typing import TypeVar

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)

from bot.inbound import callback_data
from conversations.events import Button, Reply

T = TypeVar("T")
Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove | None
WIDE_LABEL = 12


def markup_for(reply: Reply) -> Markup:
    if reply.remove_keyboard:
        return ReplyKeyboardRemove()
    if not reply.choices and not reply.request_contact:
        return None
    columns = 1 if reply.one_per_row or _has_wide(reply.buttons) else 2
    nav_columns = 2 if reply.one_per_row else 4
    if reply.inline:

        def inline(button: Button) -> InlineKeyboardButton:
            return InlineKeyboardButton(
                button.text, callback_data=callback_data(reply.prompt_id, button.value)
            )

        return InlineKeyboardMarkup(
            _rows([inline(b) for b in reply.buttons], columns)
            + _rows([inline(b) for b in reply.nav], nav_columns)
        )
    rows: list[list[KeyboardButton]] = []
    if reply.request_contact:
        rows.append([KeyboardButton(reply.request_contact, request_contact=True)])
    rows += _rows([KeyboardButton(b.text) for b in reply.buttons], columns)
    rows += _rows([KeyboardButton(b.text) for b in reply.nav], nav_columns)
    return ReplyKeyboardMarkup(rows, resize_keyboard=True, one_time_keyboard=True)


def _has_wide(buttons: Sequence[Button]) -> bool:
    return any(len(b.text) > WIDE_LABEL for b in buttons)


def _rows(items: list[T], columns: int) -> list[list[T]]:
    return [items[i : i + columns] for i in range(0, len(items), columns)]

"""Engine replies as Telegram keyboards: big one-per-row buttons in easy mode."""

from collections.abc import Sequence
from functools import lru_cache
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
    layout = (reply.buttons, reply.nav, reply.one_per_row)
    if reply.inline:
        return _inline_markup(*layout, reply.prompt_id)
    return _keyboard_markup(*layout, reply.request_contact)


def markup_json(reply: Reply) -> str | None:
    """`markup_for`'s keyboard as the Bot API's JSON, made once per distinct keyboard: the
    send path passes it as it is, with no object to serialise for every message."""
    markup = markup_for(reply)
    return None if markup is None else _json(markup)


@lru_cache(maxsize=1024)
def _json(markup: InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove) -> str:
    return markup.to_json()


# PTB markups are immutable and the same menus recur all day: build each one once.
@lru_cache(maxsize=1024)
def _inline_markup(
    buttons: tuple[Button, ...], nav: tuple[Button, ...], one_per_row: bool, prompt_id: int | None
) -> InlineKeyboardMarkup:
    def inline(button: Button) -> InlineKeyboardButton:
        return InlineKeyboardButton(
            button.text, callback_data=callback_data(prompt_id, button.value)
        )

    columns, nav_columns = _columns(buttons, one_per_row)
    return InlineKeyboardMarkup(
        _rows([inline(b) for b in buttons], columns) + _rows([inline(b) for b in nav], nav_columns)
    )


@lru_cache(maxsize=1024)
def _keyboard_markup(
    buttons: tuple[Button, ...], nav: tuple[Button, ...], one_per_row: bool, contact: str | None
) -> ReplyKeyboardMarkup:
    columns, nav_columns = _columns(buttons, one_per_row)
    rows: list[list[KeyboardButton]] = []
    if contact:
        rows.append([KeyboardButton(contact, request_contact=True)])
    rows += _rows([KeyboardButton(b.text) for b in buttons], columns)
    rows += _rows([KeyboardButton(b.text) for b in nav], nav_columns)
    return ReplyKeyboardMarkup(rows, resize_keyboard=True, one_time_keyboard=True)


def _columns(buttons: Sequence[Button], one_per_row: bool) -> tuple[int, int]:
    """Big buttons get a row each; long labels too, so nothing is cut off."""
    if one_per_row:
        return 1, 2
    return (1 if _has_wide(buttons) else 2), 4


def _has_wide(buttons: Sequence[Button]) -> bool:
    return any(len(b.text) > WIDE_LABEL for b in buttons)


def _rows(items: list[T], columns: int) -> list[list[T]]:
    return [items[i : i + columns] for i in range(0, len(items), columns)]

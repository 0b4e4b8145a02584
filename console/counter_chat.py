"""The counter as a channel: the engine's replies as a page shows them, and the page's form as
the engine's events. It knows no flow: like `bot/` and `kakao/`, it only translates.

A button under a message (inline) is a press of that prompt's value; a button of a reply
keyboard sends its words, as Telegram's do; what the official types for the resident is
words; a phone number asked with the messenger's contact button is a field of its own. The
chat's menu commands are buttons of their own.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from conversations.events import Command, Contact, Event, Press, Reply, Text

COMMANDS = ("menu", "me", "help", "stop", "delete", "start")
MAX_WORDS = 4000


@dataclass(frozen=True)
class ShownButton:
    """A submit button: `name` is "press" (with the reply's prompt) or "say"."""

    label: str
    name: str
    value: str


@dataclass(frozen=True)
class ShownReply:
    """One reply as the page shows it."""

    text: str
    buttons: tuple[ShownButton, ...] = ()
    prompt_id: int | None = None
    contact_label: str | None = None
    chart_title: str = ""
    chart: tuple[tuple[str, int, int, bool], ...] = ()  # label, count, percent, the resident's


def shown(replies: Sequence[Reply]) -> list[ShownReply]:
    """The replies of a turn as the page shows them."""
    return [
        ShownReply(
            text=reply.text,
            buttons=tuple(
                ShownButton(b.text, "press", b.value)
                if reply.inline
                else ShownButton(b.text, "say", b.text)
                for b in reply.choices
            ),
            prompt_id=reply.prompt_id,
            contact_label=reply.request_contact,
            chart_title=reply.chart_title,
            chart=tuple(
                (label, count, percent, n in reply.chart_mine)
                for n, (label, count, percent) in enumerate(reply.chart)
            ),
        )
        for reply in replies
    ]


def event_from(form: Mapping[str, str]) -> Event | None:
    """The event a submitted form means; None when it means nothing (an empty field)."""
    if form.get("press") is not None:
        prompt = form.get("prompt", "")
        return Press(int(prompt), form["press"]) if prompt.isdecimal() else None
    if form.get("say") is not None:
        return Text(form["say"])
    if form.get("command") in COMMANDS:
        return Command(form["command"])
    if form.get("contact"):
        return Contact(form["contact"][:40], own=True)
    words = form.get("text")
    return Text(words[:MAX_WORDS]) if words else None

"""`toktok chat`: one citizen in a terminal, on the same engine and database as the bot.

Buttons appear as numbered lines; typing the number (or the words) picks one.
"""

from collections.abc import Iterable
from typing import TextIO

from conversations.events import Command, Event, Reply, Text
from runtime.turn import Runtime

CHANNEL = "cli"


def render(reply: Reply) -> str:
    lines = [reply.text]
    for number, button in enumerate(reply.choices, start=1):
        lines.append(f"  {number}) {button.text}")
    if reply.request_contact:
        lines.append(f"  [{reply.request_contact}: type the number]")
    return "\n".join(lines)


def event_from_line(line: str) -> Event:
    if line.startswith("/") and len(line) > 1:
        return Command(line[1:].split(maxsplit=1)[0].lower())
    return Text(line)


def chat(runtime: Runtime, *, user: str, lines: Iterable[str], out: TextIO) -> None:
    """Plays each typed line as the citizen's message and prints the bot's replies."""
    out.write("toktok chat — type a message (e.g. 안녕하세요); /quit to leave.\n")
    out.flush()
    for raw in lines:
        line = raw.rstrip("\r\n")
        if line in ("/quit", "/exit"):
            break
        if not line.strip():
            continue
        outgoing = runtime.handle(
            channel=CHANNEL, external_id=user, chat_id=user, event=event_from_line(line)
        )
        for item in outgoing:
            out.write("\n" + render(item.reply) + "\n")
        out.write("\n> " if outgoing else "")
        out.flush()
        runtime.confirm(sent=[item.outbox_id for item in outgoing])

"""Golden transcripts: a citizen's inputs and the bot's whole replies, one file per story.

    > 안녕                 the citizen types
    > (tap) 동의합니다      taps the button with that label on the bot's last message
    > (press 1) agree      presses a button of prompt 1 (an old message), by value
    > (sticker)            sends something the bot cannot read
    > (contact) 010...     shares a phone number
    > (wait 45)            45 minutes pass
    > (spaces)             types only spaces
    > (quick) 네           types a second after the last message (a double tap, say)
    < 사시는 동을 ...      the replies to that input, every line of every reply, in order:
    < [buttons] a | b      its buttons (navigation included): [buttons] a keyboard, [inline]
    <                      under the message; [contact], [chart], [edit], [remove keyboard]
    < ---                  between two replies;  < (nothing)  when the bot stays silent
    <~ 접수번호 P-*         a line that may vary: `*` stands for any text (use it rarely)
    = proposal 12 제목      an existing proposal with 12 supports, in the in-memory desk
    = survey {...}         a published survey (JSON as staff send it), in the in-memory desk
    = close survey 1       survey 1 closes
    = notice care 글       a notice the citizen received (with an apply button for care; - none)
    = responses 1 7        survey 1 gets 7 responses from others, each taking the first answer

The replies of an input must equal its `<` lines exactly. After a deliberate change,
`pytest tests/conversations --update-transcripts` writes the replies the engine gives now
into the files (keeping `<~` lines that still match); review the change in the diff.

Before every turn the session and profile go through JSON and back, as through the database,
so every transcript also proves the flow survives a restart between any two turns.
"""

import difflib
import fnmatch
import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Protocol

from conversations.desk import NoticeCard
from conversations.engine import Engine
from conversations.events import Command, Contact, Event, Press, Reply, Text, Unsupported
from conversations.model import Profile
from conversations.session import Session
from tests.auxil.memory_desk import MemoryDesk

TRANSCRIPTS = Path(__file__).parents[1] / "transcripts"


class Channel(Protocol):
    """A channel adapter the transcript is played through: it makes the input's event as
    its own page or message would, and shows the replies as its people see them."""

    def event(self, text: str, last: Reply | None, session: Session, where: str) -> Event: ...

    def lines(self, replies: list[Reply]) -> list[str]: ...

    def expected(self, lines: list[str]) -> list[str]:
        """The file's `<` lines as this channel shows them (what it has no way to show left
        out)."""
        ...


def run_transcript(
    engine: Engine, path: Path, *, update: bool = False, channel: Channel | None = None
) -> None:
    """Plays the file back; with `update`, writes the replies given now instead of checking.
    With a `channel`, the inputs and replies go through that adapter (never updated)."""
    session_data: dict = {}
    profile_data: dict = Profile().to_fields()
    now = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
    last_with_buttons: Reply | None = None
    desk = MemoryDesk()
    lines = path.read_text(encoding="utf-8").splitlines()
    written: list[str] = []
    number = 0
    while number < len(lines):
        line = lines[number].rstrip()
        number += 1
        where = f"{path.name}:{number}"
        written.append(line)
        if not line or line.startswith("#"):
            continue
        if line.startswith("="):
            _arrange(desk, line)
            continue
        if line.startswith("> (wait "):
            now += timedelta(minutes=int(line[8:-1]))
            continue
        assert line.startswith("> "), f"{where}: expected an input, a setup or a comment"
        if line.startswith("> (quick) "):  # a second after the last message, not five
            now -= timedelta(seconds=4)
            line = "> " + line.removeprefix("> (quick) ")
        session = Session.from_dict(json.loads(json.dumps(session_data)))
        profile = Profile.from_fields(json.loads(json.dumps(profile_data)))
        make = channel.event if channel is not None else _event
        event = make(line[2:], last_with_buttons, session, where)
        turn = engine.resume(session, profile, event, now, desk)
        session_data, profile_data = turn.session.to_dict(), turn.profile.to_fields()
        with_buttons = [r for r in turn.replies if r.choices]
        last_with_buttons = with_buttons[-1] if with_buttons else last_with_buttons
        now += timedelta(seconds=5)
        expected = []
        while number < len(lines) and lines[number].startswith("<"):
            expected.append(lines[number].rstrip())
            number += 1
        shown = channel.lines(turn.replies) if channel is not None else rendered(turn.replies)
        actual = [f"< {text}".rstrip() for text in shown]
        if channel is not None:
            expected = channel.expected(expected)
        if update and channel is None:
            written += [_keep(e, a) for e, a in zip(expected, actual, strict=False)]
            written += actual[len(expected) :]
        else:
            _compare(expected, actual, where)
    if update:
        path.write_text("\n".join(written) + "\n", encoding="utf-8")


def rendered(replies: list[Reply]) -> list[str]:
    """Every line of every reply, as a transcript shows them."""
    if not replies:
        return ["(nothing)"]
    lines: list[str] = []
    for n, reply in enumerate(replies):
        if n:
            lines.append("---")
        lines += reply.text.split("\n") if reply.text else []
        if reply.chart:
            bars = [
                f"{label}: {count} ({percent}%)" + (" [mine]" if n in reply.chart_mine else "")
                for n, (label, count, percent) in enumerate(reply.chart)
            ]
            lines.append("[chart] " + " | ".join(bars))
        if reply.request_contact:
            lines.append(f"[contact] {reply.request_contact} · {reply.contact_hint}")
        if reply.choices:
            kind = "[inline]" if reply.inline else "[buttons]"
            lines.append(f"{kind} " + " | ".join(b.text for b in reply.choices))
        if reply.edit:
            lines.append("[edit]")
        if reply.remove_keyboard:
            lines.append("[remove keyboard]")
    return lines


def _compare(expected: list[str], actual: list[str], where: str) -> None:
    matches = len(expected) == len(actual) and all(map(_matches, expected, actual))
    assert matches, (
        f"{where}: the replies differ from the transcript"
        " (run pytest --update-transcripts after a deliberate change)\n"
        + "\n".join(difflib.unified_diff(expected, actual, "transcript", "engine", lineterm=""))
    )


def _matches(expected: str, actual: str) -> bool:
    if expected.startswith("<~ "):
        return fnmatch.fnmatchcase(actual[2:], expected[3:])
    return expected == actual


def _keep(expected: str, actual: str) -> str:
    """An updated line: a varying line's pattern stays while it still matches."""
    return expected if expected.startswith("<~ ") and _matches(expected, actual) else actual


def _arrange(desk: MemoryDesk, line: str) -> None:
    """Sets up the city's records in the in-memory desk."""
    if line.startswith("= proposal "):
        supports, title = line[11:].split(" ", 1)
        desk.seed(title, int(supports))
    elif line.startswith("= survey "):
        desk.seed_survey(json.loads(line[9:]))
    elif line.startswith("= notice "):
        flow, text = line[9:].split(" ", 1)
        day = date(2026, 11, 20)
        desk.notices.append(
            NoticeCard(len(desk.notices) + 1, day, text, None if flow == "-" else flow)
        )
    elif line.startswith("= close survey "):
        desk.surveys[int(line[15:])]["closed"] = True
    elif line.startswith("= responses "):
        survey_id, count = map(int, line[12:].split())
        for n in range(count):
            questions = desk.survey(survey_id).questions  # type: ignore[union-attr]
            answers = {q.key: q.values[0] if q.values else "-" for q in questions}
            desk.responses[survey_id][f"other{n}"] = {"answers": answers}
    else:
        raise AssertionError(f"unknown setup line {line!r}")


def _event(text: str, last: Reply | None, session: Session, where: str) -> Event:
    if text.startswith("(tap) "):
        label = text[6:]
        assert last is not None, f"{where}: nothing to tap"
        button = next((b for b in last.choices if b.text == label), None)
        assert button is not None, f"{where}: no {label!r} in {[b.text for b in last.choices]}"
        return Press(last.prompt_id or 0, button.value) if last.inline else Text(button.text)
    if text.startswith("(press "):
        prompt, value = text[7:].split(") ", 1)
        return Press(int(prompt), value)
    if text == "(spaces)":
        return Text("   ")
    if text.startswith("(contact) "):
        return Contact(text[10:], own=True)
    if text.startswith("(") and text.endswith(")"):
        return Unsupported(text[1:-1])
    if text.startswith("/"):
        return Command(text[1:])
    return Text(text)

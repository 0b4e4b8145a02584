"""Golden transcripts: a citizen's inputs and what the bot must say, one file per story.

    > 안녕                 the citizen types
    > (tap) 동의합니다      taps the button with that label on the bot's last message
    > (press 1) agree      presses a button of prompt 1 (an old message), by value
    > (sticker)            sends something the bot cannot read
    > (contact) 010...     shares a phone number
    > (wait 45)            45 minutes pass
    > (spaces)             types only spaces
    < 사시는 동            the bot's replies for that input contain this text
    < buttons: a | b       the last reply offers exactly these buttons (navigation included)
    < nothing              the bot stays silent
    = proposal 12 제목      an existing proposal with 12 supports, in the in-memory desk
    = survey {...}         a published survey (JSON as staff send it), in the in-memory desk
    = close survey 1       survey 1 closes
    = notice care 글       a notice the citizen received (with an apply button for care; - none)
    = responses 1 7        survey 1 gets 7 responses from others, each taking the first answer

Before every turn the session and profile go through JSON and back, as through the database,
so every transcript also proves the flow survives a restart between any two turns.
"""

import json
from dataclasses import asdict
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from conversations.desk import NoticeCard
from conversations.engine import Engine
from conversations.events import Command, Contact, Event, Press, Reply, Text, Unsupported
from conversations.model import Profile
from conversations.session import Session
from tests.auxil.memory_desk import MemoryDesk

TRANSCRIPTS = Path(__file__).parents[1] / "transcripts"


def run_transcript(engine: Engine, path: Path) -> None:
    session_data: dict = {}
    profile_data: dict = asdict(Profile())
    now = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
    replies: list[Reply] = []
    last_with_buttons: Reply | None = None
    desk = MemoryDesk()
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.rstrip()
        where = f"{path.name}:{number}"
        if not line or line.startswith("#"):
            continue
        if line.startswith("= proposal "):
            supports, title = line[11:].split(" ", 1)
            desk.seed(title, int(supports))
            continue
        if line.startswith("= survey "):
            desk.seed_survey(json.loads(line[9:]))
            continue
        if line.startswith("= notice "):
            flow, text = line[9:].split(" ", 1)
            day = date(2026, 11, 20)
            desk.notices.append(
                NoticeCard(len(desk.notices) + 1, day, text, None if flow == "-" else flow)
            )
            continue
        if line.startswith("= close survey "):
            desk.surveys[int(line[15:])]["closed"] = True
            continue
        if line.startswith("= responses "):
            survey_id, count = map(int, line[12:].split())
            for n in range(count):
                questions = desk.survey(survey_id).questions  # type: ignore[union-attr]
                answers = {q.key: q.values[0] if q.values else "-" for q in questions}
                desk.responses[survey_id][f"other{n}"] = {"answers": answers}
            continue
        if line.startswith("> (wait "):
            now += timedelta(minutes=int(line[8:-1]))
            continue
        if line.startswith("> "):
            session = Session.from_dict(json.loads(json.dumps(session_data)))
            profile_dict = json.loads(json.dumps(profile_data))
            lists = {k: tuple(profile_dict[k]) for k in ("interests", "muted_topics")}
            profile = Profile(**{**profile_dict, **lists})
            event = _event(line[2:], last_with_buttons, session, where)
            turn = engine.resume(session, profile, event, now, desk)
            session_data, profile_data = turn.session.to_dict(), asdict(turn.profile)
            replies = turn.replies
            with_buttons = [r for r in replies if r.choices]
            last_with_buttons = with_buttons[-1] if with_buttons else last_with_buttons
            now += timedelta(seconds=5)
            continue
        expected = line.removeprefix("< ")
        said = "\n".join(r.text + " " + " ".join(b.text for b in r.choices) for r in replies)
        if expected == "nothing":
            assert not replies, f"{where}: expected silence, got {said!r}"
        elif expected.startswith("buttons: "):
            labels = [b.text for b in replies[-1].choices] if replies else []
            assert labels == expected[9:].split(" | "), f"{where}: buttons were {labels}"
        else:
            assert expected in said, f"{where}: {expected!r} not in {said!r}"


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

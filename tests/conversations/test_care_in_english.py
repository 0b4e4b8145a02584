"""An English-speaking citizen reaches the care consent, whose notice states the retention
in days ("365 days"): the number must reach the catalogue as a number, which the English
plural needs (a random walk of the KakaoTalk tests found it passed as text)."""

from datetime import UTC, datetime

from conversations.engine import Engine
from conversations.events import Press
from conversations.model import Profile
from conversations.session import Session
from tests.auxil.memory_desk import MemoryDesk

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


def test_the_care_consent_states_the_retention_in_english_days(engine: Engine) -> None:
    profile = Profile(language="en", onboarded=True)
    turn = engine.resume(Session(prompt_id=1), profile, Press(1, "flow:care"), NOW, MemoryDesk())
    for _ in range(3):  # for whom: me; then the personal-data consent
        asking = next(r for r in reversed(turn.replies) if r.buttons)
        turn = engine.resume(
            turn.session, turn.profile, Press(asking.prompt_id or 0, asking.buttons[0].value),
            NOW, MemoryDesk(),
        )  # fmt: skip
        said = "\n".join(r.text for r in turn.replies)
        if "days" in said:
            break
    assert "365 days" in said, said

"""Erasing oneself in the chat: what goes and what stays is said first; the questions about
published posts and a care application in progress come only where they apply; nothing is
erased before the last answer, and then as chosen."""

from datetime import UTC, datetime

from conversations.desk import CareRequest
from conversations.engine import Engine, Turn
from conversations.events import Command, EraseCitizen, Event, Text
from conversations.model import Profile
from conversations.session import Session
from tests.auxil.memory_desk import MemoryDesk

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
PROFILE = Profile(language="ko", onboarded=True, privacy_consent=True)
CARE = CareRequest("self", None, ("meals",), "혼자 지내요", (), "김수원", None, "010-4821-7355",
                   "인계동", "인계동 1", "any")  # fmt: skip


def play(engine: Engine, desk: MemoryDesk, *events: Event) -> Turn:
    session, profile = Session(prompt_id=1), PROFILE
    turn = None
    for event in events:
        turn = engine.resume(session, profile, event, NOW, desk)
        session, profile = turn.session, turn.profile
    assert turn is not None
    return turn


def test_with_nothing_published_and_no_case_yes_erases_at_once(engine: Engine) -> None:
    asked = play(engine, MemoryDesk(), Command("delete"))
    assert "지워지는 것" in asked.replies[-1].text and "남는 것" in asked.replies[-1].text
    done = play(engine, MemoryDesk(), Command("delete"), Text("네"))
    assert done.effects == [EraseCitizen(remove_posts=False, withdraw_care=True)]


def test_posts_and_a_case_in_progress_are_asked_about_before_anything_is_erased(
    engine: Engine,
) -> None:
    desk = MemoryDesk()
    desk.submit_proposal(
        title="분수대 고쳐 주세요", body="아이들이 다쳐요", category="safety", dong=None
    )
    desk.apply_for_care(CARE)
    posts = play(engine, desk, Command("delete"), Text("네"))
    assert posts.effects == [] and "제안 1건과 의견 0건" in posts.replies[-1].text
    care = play(engine, desk, Command("delete"), Text("네"), Text("글도 지우기"))
    assert care.effects == [] and "돌봄 신청이 1건" in care.replies[-1].text
    done = play(
        engine, desk, Command("delete"), Text("네"), Text("글도 지우기"), Text("담당자에게 맡기기")
    )
    assert done.effects == [EraseCitizen(remove_posts=True, withdraw_care=False)]


def test_no_at_the_first_question_erases_nothing(engine: Engine) -> None:
    kept = play(engine, MemoryDesk(), Command("delete"), Text("아니요"))
    assert kept.effects == [] and kept.session.step == "summary"

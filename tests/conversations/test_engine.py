"""Engine behaviour that transcripts do not show well: versions, drafts, history, purity."""

from dataclasses import replace
from datetime import UTC, datetime

from conversations.engine import Engine
from conversations.events import Command, Press, Text
from conversations.model import Profile
from conversations.session import HISTORY_LIMIT, Draft, Session

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
ONBOARDED = Profile(language="ko", onboarded=True, privacy_consent=True)


def test_resume_does_not_change_its_inputs(engine: Engine) -> None:
    session = Session()
    before = session.to_dict()
    engine.resume(session, Profile(), Text("안녕"), NOW)
    assert session.to_dict() == before


def test_a_flow_whose_version_changed_ends_cleanly_at_the_menu(engine: Engine) -> None:
    session = Session(flow="onboarding", flow_version=0, step="dong", prompt_id=4)
    turn = engine.resume(session, ONBOARDED, Text("매탄3동"), NOW)
    assert "메뉴가 바뀌어서" in turn.replies[0].text
    assert turn.session.flow is None and turn.profile.dong is None


def test_a_step_that_no_longer_exists_ends_cleanly(engine: Engine) -> None:
    session = Session(flow="profile", flow_version=1, step="gone", prompt_id=4)
    turn = engine.resume(session, ONBOARDED, Press(4, "x"), NOW)
    assert "메뉴가 바뀌어서" in turn.replies[0].text and turn.session.flow is None


def test_a_draft_of_a_changed_flow_is_not_continued(engine: Engine) -> None:
    draft = Draft("profile", 99, "summary", {}, ["summary"])
    turn = engine.resume(Session(draft=draft), ONBOARDED, Text("이어서"), NOW)
    assert "메뉴가 바뀌어서" in turn.replies[0].text and turn.session.draft is None


def test_history_for_back_is_bounded(engine: Engine) -> None:
    session = Session()
    profile = ONBOARDED
    turn = engine.resume(session, profile, Command("me"), NOW)
    for _ in range(HISTORY_LIMIT + 5):
        turn = engine.resume(turn.session, turn.profile, Text("버튼 크기"), NOW)
        turn = engine.resume(turn.session, turn.profile, Text("보통으로"), NOW)
    assert len(turn.session.history) <= HISTORY_LIMIT


def test_each_prompt_gets_a_new_id_so_older_buttons_go_stale(engine: Engine) -> None:
    first = engine.resume(Session(), Profile(), Text("안녕"), NOW)
    second = engine.resume(first.session, first.profile, Text("한국어"), NOW)
    assert second.replies[-1].prompt_id == (first.replies[-1].prompt_id or 0) + 1


def test_multi_choice_toggles_edit_the_same_message(engine: Engine) -> None:
    session = Session(
        flow="profile", flow_version=1, step="interests", prompt_id=7, history=["summary"]
    )
    turn = engine.resume(session, ONBOARDED, Press(7, "safety"), NOW)
    reply = turn.replies[0]
    assert reply.edit and reply.inline and reply.prompt_id == 7
    assert "✅ 안전" in [b.text for b in reply.buttons]
    again = engine.resume(turn.session, turn.profile, Press(7, "safety"), NOW)
    assert "✅ 안전" not in [b.text for b in again.replies[0].buttons]


def test_easy_mode_asks_for_one_button_per_row(engine: Engine) -> None:
    turn = engine.resume(Session(), replace(ONBOARDED, easy_mode=True), Command("menu"), NOW)
    assert turn.replies[0].one_per_row

"""Engine behaviour that transcripts do not show well: versions, drafts, history, purity."""

from dataclasses import replace
from datetime import UTC, datetime

from conversations.districts import suwon
from conversations.engine import Engine
from conversations.events import Command, Press, Text
from conversations.flows import ALL_FLOWS
from conversations.inputs import ChooseMany
from conversations.messages import default_catalog
from conversations.model import Flow, Option, Outcome, Profile, Step
from conversations.session import HISTORY_LIMIT, Draft, Session, Status
from conversations.values import DONE
from tests.auxil.memory_desk import MemoryDesk

ASKING = Status.ASKING

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
ONBOARDED = Profile(language="ko", onboarded=True, privacy_consent=True)


def test_resume_does_not_change_its_inputs(engine: Engine) -> None:
    session = Session()
    before = session.to_dict()
    engine.resume(session, Profile(), Text("안녕"), NOW)
    assert session.to_dict() == before


def test_a_flow_whose_version_changed_ends_cleanly_at_the_menu(engine: Engine) -> None:
    session = Session(flow="onboarding", flow_version=0, step="dong", prompt_id=4, status=ASKING)
    turn = engine.resume(session, ONBOARDED, Text("매탄3동"), NOW)
    assert "메뉴가 바뀌어서" in turn.replies[0].text
    assert turn.session.flow is None and turn.profile.dong is None


def test_a_step_that_no_longer_exists_ends_cleanly(engine: Engine) -> None:
    session = Session(flow="profile", flow_version=1, step="gone", prompt_id=4, status=ASKING)
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
        flow="profile",
        flow_version=1,
        step="interests",
        prompt_id=7,
        history=["summary"],
        status=ASKING,
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


def test_an_option_valued_done_is_toggled_not_taken_as_finished() -> None:
    done_too = ChooseMany((Option("done", "choice.yes"), Option("other", "choice.no")))
    flow = Flow(
        "chores",
        "flow.profile",
        (Step("which", "help.step", done_too),),
        finish=_saved,
        in_menu=False,
    )
    engine = Engine([*ALL_FLOWS, flow], default_catalog(), suwon())
    session = Session(flow="chores", flow_version=1, step="which", prompt_id=2, status=ASKING)
    turn = engine.resume(session, ONBOARDED, Press(2, "done"), NOW)
    assert turn.session.step == "which" and turn.session.answers["which"] == ["done"]
    finished = engine.resume(turn.session, turn.profile, Press(2, DONE), NOW)
    assert finished.session.flow is None


def test_a_survey_that_cannot_be_walked_is_never_offered(engine: Engine) -> None:
    desk = MemoryDesk()
    twins = [{"kind": "single", "text": "?", "options": ["예", "예"]}]
    desk.seed_survey({"title": "쌍둥이", "questions": twins})
    midway = Session(flow="survey:1", flow_version=1, step="q1", prompt_id=3, status=ASKING)
    turn = engine.resume(midway, ONBOARDED, Text("예"), NOW, desk)
    assert turn.session.flow is None
    assert turn.replies[0].text.startswith("그동안 메뉴가 바뀌어서")
    kept = Session(draft=Draft("survey:1", 1, "q1", {}, ["q1"]))
    menu = engine.resume(kept, ONBOARDED, Command("menu"), NOW, desk)
    assert not any(b.value == "menu:continue" for b in menu.replies[-1].buttons)


def _saved(ctx: object) -> Outcome:
    return Outcome("profile.saved")


def test_the_name_the_messenger_shows_is_offered_and_can_be_taken(engine: Engine) -> None:
    answers = {"for_whom": "me", "services": ["meals"], "situation": "혼자 지내요"}
    at_name = Session(
        flow="care",
        flow_version=engine.flows["care"].version,
        step="screening",
        answers=answers,
        history=["for_whom"],
        prompt_id=4,
        status=ASKING,
    )
    asked = engine.resume(at_name, ONBOARDED, Press(4, DONE, sender="홍길동"), NOW)
    assert [b.text for b in asked.replies[-1].buttons] == ["🙋 홍길동"]
    prompt = asked.replies[-1].prompt_id or 0
    taken = engine.resume(asked.session, asked.profile, Press(prompt, "suggested", "홍길동"), NOW)
    assert taken.session.answers["applicant_name"] == "홍길동"

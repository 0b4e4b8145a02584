"""Free text, phone and number inputs, on a small flow declared here for the purpose."""

from datetime import UTC, datetime

import pytest

from conversations.districts import suwon
from conversations.engine import Engine, Turn
from conversations.events import Contact, Event, Text
from conversations.flows import ALL_FLOWS
from conversations.inputs import FreeText, Number, PhoneNumber, yes_no
from conversations.messages import default_catalog
from conversations.model import Flow, Outcome, Profile, Step
from conversations.session import Session, Status

ASKING = Status.ASKING

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
SAMPLE = Flow(
    id="sample",
    title="flow.profile",
    in_menu=False,
    steps=(
        Step("name", "help.step", FreeText(min_length=2, max_length=10), next="phone"),
        Step("phone", "help.step", PhoneNumber(), next="count"),
        Step("count", "help.step", Number(1, 5), next="sure"),
        Step("sure", "help.step", yes_no()),
    ),
    finish=lambda ctx: Outcome("profile.saved"),
)
PROFILE = Profile(language="ko", onboarded=True)


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine([*ALL_FLOWS, SAMPLE], default_catalog(), suwon())


def at(step: str, history: list[str]) -> Session:
    return Session(
        flow="sample", flow_version=1, step=step, history=history, prompt_id=5, status=ASKING
    )


def send(engine: Engine, session: Session, event: Event) -> Turn:
    return engine.resume(session, PROFILE, event, NOW)


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("   ", "비어 있어요"),
        ("가", "2자 이상"),
        ("가" * 11, "10자보다 길어요"),
        ("🙂🙂", "비어 있어요"),
    ],
)
def test_free_text_outside_its_limits_is_refused_with_the_reason(
    engine: Engine, typed: str, problem: str
) -> None:
    turn = send(engine, at("name", []), Text(typed))
    assert problem in turn.replies[0].text and turn.session.step == "name"


def test_free_text_is_stored_as_typed_but_trimmed(engine: Engine) -> None:
    turn = send(engine, at("name", []), Text("  <b>길동</b> "))
    assert turn.session.answers["name"] == "<b>길동</b>" and turn.session.step == "phone"


def test_a_number_typed_on_a_free_text_step_is_an_answer_not_a_button(engine: Engine) -> None:
    turn = send(engine, at("name", []), Text("12"))
    assert turn.session.answers["name"] == "12" and turn.session.step == "phone"


def test_an_exact_navigation_word_still_navigates_on_free_text_steps(engine: Engine) -> None:
    turn = send(engine, at("phone", ["name"]), Text("이전"))
    assert turn.session.step == "name"


def test_the_phone_step_offers_the_contact_button_and_takes_a_shared_contact(
    engine: Engine,
) -> None:
    asked = send(engine, at("name", []), Text("홍길동"))
    assert asked.replies[0].request_contact == "📱 내 전화번호 보내기"
    turn = send(engine, asked.session, Contact("821012345678", own=True))
    assert turn.session.answers["phone"] == "010-1234-5678" and turn.session.step == "count"


def test_a_typed_phone_number_is_normalized_and_a_bad_one_explained(engine: Engine) -> None:
    good = send(engine, at("phone", ["name"]), Text("+82 10 9876 5432"))
    assert good.session.answers["phone"] == "010-9876-5432"
    bad = send(engine, at("phone", ["name"]), Text("내 번호는 비밀"))
    assert "전화번호를 알아보지 못했어요" in bad.replies[0].text and bad.session.step == "phone"


def test_numbers_must_be_in_range(engine: Engine) -> None:
    assert send(engine, at("count", ["phone"]), Text("3")).session.answers["count"] == 3
    for typed in ("9", "0", "삼", "-1"):
        turn = send(engine, at("count", ["phone"]), Text(typed))
        assert "1부터 5까지" in turn.replies[0].text and turn.session.step == "count"


def test_yes_no_is_inline_and_finishing_returns_to_the_menu(engine: Engine) -> None:
    asked = send(engine, at("count", ["phone"]), Text("2"))
    assert asked.replies[0].inline
    done = send(engine, asked.session, Text("네"))
    assert "저장했어요" in done.replies[0].text and done.session.flow is None

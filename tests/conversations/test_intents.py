"""Words of one's own: the intent corpus on its held-out half, the intents' data, and what
the engine does with a reading (go, ask, keep the words, never act without a button)."""

from datetime import UTC, datetime
from pathlib import Path

import pytest

from conversations.engine import Engine, Turn
from conversations.events import Press, Text
from conversations.intents import ANSWERS, Confidence, IntentModel, load, model
from conversations.messages import default_catalog
from conversations.model import Profile
from conversations.session import Session, Status
from conversations.values import INTENT
from kakao.models import MAX_LABEL
from tests.auxil.memory_desk import MemoryDesk
from tests.conversations.intent_corpus import rows, score

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
ONBOARDED = Profile(language="ko", onboarded=True, privacy_consent=True)


def test_held_out_messages_reach_their_service_and_almost_never_the_wrong_one() -> None:
    """Tuned on the other half only; `python bench/intents.py` prints both with a table."""
    held = [row for row in rows() if row.held_out]
    result = score(model(), held)
    print(f"held out: {result.share(result.reached):.1%} reached, {result.wrong} wrong")
    assert len(held) >= 150
    assert result.share(result.reached) >= 0.90, result.misses
    assert result.share(result.wrong) <= 0.02, result.misses


def test_the_corpus_is_large_and_kept_apart_from_the_examples() -> None:
    examples = {example for intent in load() for example in intent.examples}
    typed = [row.typed for row in rows()]
    assert len(typed) >= 300
    assert not examples & set(typed)


def test_every_intent_leads_somewhere_real_and_has_a_button(engine: Engine) -> None:
    korean, english = (default_catalog().messages[lang] for lang in ("ko", "en"))
    for intent in load():
        assert intent.go in ANSWERS or intent.go in engine.flows, intent.name
        assert f"intent.{intent.name}" in korean and f"intent.{intent.name}" in english
        assert len(intent.examples) >= 5, intent.name
        flow = engine.flows.get(intent.go)
        for step_id, value in intent.choose.items():
            assert flow is not None and step_id == flow.first_step, intent.name
            step = flow.step(step_id)
            assert step is not None and value in step.input.values(), intent.name


def test_an_intent_without_a_destination_is_refused_with_its_name(tmp_path: Path) -> None:
    (tmp_path / "x.toml").write_text('[lost]\nexamples = ["어디로"]\n', encoding="utf-8")
    with pytest.raises(ValueError, match="'lost'"):
        load(tmp_path)


def test_what_follows_malgo_is_wanted_and_what_precedes_it_is_not() -> None:
    assert model().read("제안 말고 투표할래요").best == "surveys"
    assert model().read("투표 말고 제안할래요").best == "propose"


def test_a_question_about_ones_own_proposal_is_not_a_new_one() -> None:
    reading = model().read("제 제안 어떻게 됐어요")
    assert reading.confidence is Confidence.SURE and reading.best == "my_proposals"


def test_a_long_message_that_names_nothing_is_offered_as_a_proposal() -> None:
    intents = IntentModel(load())
    assert intents.read("동네 놀이터 모래가 너무 오래돼서 바꿔야 할 것 같아요").intents[-1:] == (
        "report",
    )
    assert intents.read("ㅋㅋ").confidence is Confidence.LOST


def turn(engine: Engine, session: Session, text: str, desk: MemoryDesk) -> Turn:
    return engine.resume(session, ONBOARDED, Text(text), NOW, desk)


def test_stopping_notices_from_words_waits_for_the_button(engine: Engine) -> None:
    desk = MemoryDesk()
    asked = turn(engine, Session(prompt_id=1), "알림 그만 보내세요", desk)
    assert asked.profile.notices_enabled is True
    assert asked.session.status is Status.SUGGESTING
    value = asked.replies[-1].buttons[0].value
    assert value == INTENT("notices_stop:yes")
    done = engine.resume(
        asked.session, asked.profile, Press(asked.session.prompt_id, value), NOW, desk
    )
    assert done.profile.notices_enabled is False
    assert done.session.status is Status.IDLE


def test_erasing_from_words_asks_the_profiles_own_question(engine: Engine) -> None:
    asked = turn(engine, Session(prompt_id=1), "탈퇴하고 싶어요 정보 다 지워 주세요", MemoryDesk())
    assert asked.effects == []
    assert (asked.session.flow, asked.session.step) == ("profile", "delete_confirm")
    assert asked.session.history == ["summary"]
    kept = turn(engine, asked.session, "아니요", MemoryDesk())
    assert kept.effects == [] and kept.session.step == "summary"


def test_a_wish_for_another_service_on_a_choice_step_keeps_the_step(engine: Engine) -> None:
    at_category = Session(
        flow="propose",
        flow_version=engine.flows["propose"].version,
        step="category",
        answers={"title": "정류장 그늘막", "body": "여름에 너무 더워요"},
        history=["title", "body"],
        prompt_id=4,
        status=Status.ASKING,
        last_seen=NOW.timestamp(),
    )
    asked = turn(engine, at_category, "돌봄 신청하고 싶어요", MemoryDesk())
    assert asked.session.status is Status.SUGGESTING
    labels = [b.text for b in (*asked.replies[-1].buttons, *asked.replies[-1].nav)]
    assert labels[:2] == ["🤝 돌봄 신청", "↩ 하던 질문으로"]
    back = turn(engine, asked.session, "하던 질문으로", MemoryDesk())
    assert (back.session.status, back.session.step) == (Status.ASKING, "category")
    assert back.session.answers["title"] == "정류장 그늘막"


def test_words_that_answer_no_suggestion_are_read_afresh(engine: Engine) -> None:
    asked = turn(engine, Session(prompt_id=1), "알림 좀 줄여 줄 수 있나", MemoryDesk())
    assert asked.session.status is Status.SUGGESTING
    again = turn(engine, asked.session, "투표할래요", MemoryDesk())
    assert again.session.flow == "surveys" or "설문" in again.replies[-1].text


def test_the_service_numbers_stay_when_a_draft_is_kept(engine: Engine) -> None:
    drafted = turn(engine, Session(prompt_id=1), "1", MemoryDesk())
    drafted = turn(engine, drafted.session, "공원 벤치 설치해 주세요", MemoryDesk())
    home = turn(engine, drafted.session, "처음으로", MemoryDesk())
    assert home.session.draft is not None
    menu = [b.text for b in home.replies[-1].buttons]
    assert menu[0] == "📝 정책 제안하기" and menu[6].startswith("▶ 하던 일 이어서")
    assert turn(engine, home.session, "2", MemoryDesk()).session.flow == "browse"


def test_looking_through_proposals_leaves_no_draft(engine: Engine) -> None:
    browsing = turn(engine, Session(prompt_id=1), "2", MemoryDesk())
    listed = turn(engine, browsing.session, "최신순", MemoryDesk())
    home = turn(engine, listed.session, "처음으로", MemoryDesk())
    assert home.session.draft is None
    assert "저장" not in home.replies[-1].text


def test_every_button_of_words_of_ones_own_fits_kakaos_labels_uncut() -> None:
    catalog = default_catalog()
    keys = [f"intent.{intent.name}" for intent in load()]
    keys += ["intent.report_yes", "intent.stop_yes", "intent.no", "intent.stay"]
    keys += ["propose.keep_writing"]
    for language in ("ko", "en"):
        for key in keys:
            assert len(catalog.messages[language][key]) <= MAX_LABEL, (language, key)

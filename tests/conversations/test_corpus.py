"""What citizens type (tests/conversations/corpus.tsv) against the real engine, step by step.

Each row puts a citizen at a kind of step, sends the typed words, and reads what the engine
made of them. The share understood per category is printed (run with -s); overall it must be
at least 95 %, and every "must_not" row must be refused (asked again, nothing taken).
"""

import csv
from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from conversations.desk import NoticeCard
from conversations.engine import Engine, Turn
from conversations.events import Text
from conversations.flows import ALL_FLOWS
from conversations.intents import model
from conversations.model import Profile
from conversations.session import Session, Status
from conversations.values import INTENT
from tests.auxil.memory_desk import MemoryDesk

CORPUS = Path(__file__).parent / "corpus.tsv"
NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
PROFILE = Profile(language="ko", onboarded=True, privacy_consent=True)
VERSIONS = {flow.id: flow.version for flow in ALL_FLOWS}
YES_NO = {"agree": "yes", "refuse": "no"}
# where: (flow, step, step before it, answers so far)
PLACES = {
    "yes_no": ("onboarding", "privacy", "easy_mode", {"language": "ko", "easy_mode": "off"}),
    "choice": ("profile", "summary", None, {}),
    "age": ("onboarding", "age_band", "dong", {"language": "ko", "dong": "인계동"}),
    "phone": (
        "care",
        "phone",
        "applicant_name",
        {"for_whom": "self", "services": ["meals"], "applicant_name": "김수원"},
    ),
    "text": ("propose", "body", "title", {"title": "정류장 그늘막"}),
    "services": ("care", "services", "consent_sensitive", {"for_whom": "me"}),
    "dong": ("onboarding", "dong", "privacy", {"language": "ko", "privacy": "agree"}),
}


def desk() -> MemoryDesk:
    """The city's records as the chat sees them: one open survey, one notice received."""
    records = MemoryDesk()
    records.seed_survey({"title": "공원 조명", "questions": [{"kind": "yes_no", "text": "찬성?"}]})
    records.notices.append(NoticeCard(1, date(2026, 11, 20), "독감 예방접종 안내", None))
    return records


def rows() -> list[tuple[str, str, str, str]]:
    with CORPUS.open(encoding="utf-8") as handle:
        lines = [line for line in handle if line.strip() and not line.startswith("#")]
    return [tuple(row) for row in csv.reader(lines, delimiter="\t")]  # type: ignore[misc]


def session_at(where: str) -> Session:
    if where == "menu":
        return Session(prompt_id=3)
    flow, step, before, answers = PLACES[where]
    history = [before] if before else []
    return Session(
        flow=flow,
        flow_version=VERSIONS[flow],
        step=step,
        answers=dict(answers),
        history=history,
        prompt_id=3,
        status=Status.ASKING,
        last_seen=NOW.timestamp(),
    )


def meaning(engine: Engine, where: str, typed: str, turn: Turn) -> str:
    """What the engine made of the words: a value, a navigation, "answer" or "none"."""
    session = turn.session
    said = "\n".join(reply.text for reply in turn.replies)
    if said.startswith("담당 직원과 직접 이야기하실 수 있어요"):
        return "person"
    if where == "menu":
        if session.flow:
            return session.flow
        if session.status is Status.SUGGESTING and session.suggested:
            # asked "이런 뜻인가요?": nothing is taken; the first button reaches it in one tap
            name = INTENT.payload(session.suggested[0]) or ""
            return "offer:" + model().intents[name.partition(":")[0]].go
        return "help" if said.startswith("아래 버튼 중 하나를 누르세요") else "none"
    flow, step, before, _ = PLACES[where]
    if session.status is Status.LEAVING:
        return "leave"  # asked once whether to keep what was typed
    if session.flow is None:
        if where == "yes_no" and turn.profile.privacy_consent is False:
            return "no"
        return "home" if session.draft or not session.history else "leave"
    if session.flow != flow:
        return "none"
    if step in session.answers:
        value = session.answers[step]
        if where == "text":
            return "answer" if value == typed.strip() else str(value)
        return YES_NO.get(value, value) if where == "yes_no" else str(value)
    if session.step == before and before is not None:
        return "back"
    help_text = engine.catalog.text("ko", engine.flows[flow].step(step).help)  # type: ignore[union-attr]
    if session.step == step and said.startswith(help_text):
        return "help"
    return "none"


def understood(engine: Engine) -> list[tuple[str, bool, str]]:
    results = []
    for category, where, typed, expected in rows():
        turn = engine.resume(session_at(where), PROFILE, Text(typed), NOW, desk())
        got = meaning(engine, where, typed, turn)
        if got == "home" and where != "menu" and expected == "leave":
            got = "home" if turn.session.draft else "leave"
        offered = got.removeprefix("offer:") if got.startswith("offer:") else None
        ok = got == expected or offered == expected or (offered and expected == "none")
        results.append((category, bool(ok), f"{where} {typed!r}: {got} != {expected}"))
    return results


def test_citizens_are_understood_the_way_they_talk(engine: Engine) -> None:
    results = understood(engine)
    totals, good = Counter(c for c, _, _ in results), Counter(c for c, ok, _ in results if ok)
    for category in totals:
        share = good[category] / totals[category]
        print(f"{category:<12} {good[category]:>3}/{totals[category]:<3} {share:6.1%}")
    overall = sum(good.values()) / sum(totals.values())
    print(f"{'overall':<12} {sum(good.values()):>3}/{sum(totals.values()):<3} {overall:6.1%}")
    missed = [why for _, ok, why in results if not ok]
    print("\n".join(missed))
    assert overall >= 0.95, missed
    assert [why for c, ok, why in results if c == "must_not" and not ok] == []


@pytest.mark.parametrize("where", sorted(PLACES))
def test_every_place_in_the_corpus_is_a_real_step(engine: Engine, where: str) -> None:
    flow, step, _, _ = PLACES[where]
    assert engine.flows[flow].step(step) is not None

"""Every prompt of every flow, in both languages, rendered with sample answers and kept as a
reviewed snapshot (`tests/prompts/<lang>.txt`): a wording change shows in review
as a diff of what citizens read. `pytest --update-transcripts` writes the current ones.

The same rendering checks each button's words fit KakaoTalk's quick-reply label uncut (the
Telegram keyboard never cuts a label); every dong's name, in both languages, is checked too.
Buttons that name a record (its number first) are left out: their words are the citizens'.
"""

import re
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from conversations.desk import CareRequest, NoticeCard
from conversations.districts import suwon
from conversations.engine import Engine
from conversations.events import Command, Reply
from conversations.flows import ALL_FLOWS
from conversations.flows.surveys import survey_flow
from conversations.messages import LANGUAGES, default_catalog
from conversations.model import Profile
from conversations.session import Session
from kakao.models import MAX_LABEL
from kakao.render import short
from tests.auxil.memory_desk import MemoryDesk

SNAPSHOTS = Path(__file__).parents[1] / "prompts"
# A button naming a record (a proposal's title, a comment, a care case) leads with its number
# or receipt, which is what tells them apart when KakaoTalk cuts the rest; the words above
# the buttons list each in full. A survey's title is staff's words, not the catalogue's.
RECORD_BUTTON = re.compile(r"^(\d+\. |[PC]-\d{6})|광교 도서관|Gwanggyo Library")
NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
PROPOSAL = {
    "title": "정류장 그늘막 설치",
    "body": "여름에 기다리기 너무 더워요",
    "category": "transport",
    "dong": "인계동",
}
CARE = {
    "mine": "app:1",
    "services": ["meals", "housekeeping"],
    "situation": "무릎 수술 후 장보기가 어려워요",
    "screening": ["aged65"],
    "applicant_name": "김수원",
    "cared_name": "이영희",
    "phone": "010-4821-7355",
    "dong": "인계동",
    "address": "인계아파트 101동",
    "contact_time": "morning",
    "consent_personal": "agree",
    "consent_sensitive": "agree",
}
SURVEY = {
    "title": "광교 도서관", "intro": "도서관 이용을 여쭤봐요.", "outro": "고맙습니다.",
    "english": {"title": "Gwanggyo Library", "intro": "About the library."},
    "questions": [
        {"kind": "single", "text": "얼마나 자주 가시나요?", "options": ["매주", "매달"],
         "en": {"text": "How often do you go?", "options": ["Weekly", "Monthly"]}},
        {"kind": "multiple", "text": "무엇을 하세요?", "options": ["책", "공부", "모임"],
         "max_choices": 2},
        {"kind": "scale", "text": "만족하시나요?", "scale_labels": ["불만", "만족"]},
        {"kind": "yes_no", "text": "밤에도 열면 좋을까요?"},
        {"kind": "text", "text": "바라는 점", "optional": True},
    ],
}  # fmt: skip
# Each flow with the answers its later prompts quote; care twice, for oneself and a parent.
SAMPLES: list[tuple[str, str, dict[str, Any]]] = [
    ("onboarding", "onboarding", {}),
    ("propose", "propose", PROPOSAL),
    ("browse", "browse", {"sort": "newest", "list": "p:1", "detail": "comment"}),
    ("surveys", "surveys", {}),
    ("care for oneself", "care", {**CARE, "for_whom": "me", "cared_name": None}),
    (
        "care for a parent",
        "care",
        {**CARE, "for_whom": "family", "relation": "parent", "proxy_agreed": "yes"},
    ),
    ("notices", "notices", {}),
    ("profile", "profile", {}),
]


SURVEY_ANSWERS = {"q1": "1", "q2": ["1", "2"], "q3": "4", "q4": "yes"}


def desk() -> MemoryDesk:
    records = MemoryDesk()
    records.seed("매탄동 버스정류장 그늘막 설치", supports=12)
    records.comment_on_proposal(1, "저도 매일 거기서 기다려요")
    records.seed_survey(SURVEY)
    records.apply_for_care(
        CareRequest(
            "self",
            None,
            ("meals",),
            "혼자 지내요",
            (),
            "김수원",
            None,
            "010-4821-7355",
            "인계동",
            "인계동 1",
            "any",
        )
    )
    records.notices.append(NoticeCard(1, date(2026, 11, 30), "독감 예방접종 안내", None))
    return records


def rendered(engine: Engine, language: str) -> list[tuple[str, str, Reply]]:
    profile = Profile(language=language, onboarded=True, privacy_consent=True, dong="인계동")
    menu = engine.resume(Session(prompt_id=1), profile, Command("start"), NOW, desk())
    found = [("menu", "menu", reply) for reply in menu.replies]
    flows = {flow.id: flow for flow in ALL_FLOWS}
    records = desk()
    survey = records.survey(1)
    assert survey is not None
    flows["survey"] = survey_flow(survey)
    for name, flow_id, answers in [*SAMPLES, ("a survey", "survey", SURVEY_ANSWERS)]:
        flow = flows[flow_id]
        replies = engine.preview(flow, profile, NOW, answers, desk())
        steps = [step.id for step in flow.steps]
        found += [(name, steps[min(n, len(steps) - 1)], r) for n, r in enumerate(replies)]
    return found


def snapshot(engine: Engine, language: str) -> str:
    lines = []
    for name, _step, reply in rendered(engine, language):
        lines.append(f"## {name}")
        lines += reply.text.splitlines()
        words = [button.text for button in (*reply.buttons, *reply.nav)]
        if words:
            lines.append("[buttons] " + " | ".join(words))
        lines.append("")
    return "\n".join(lines)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_prompt_reads_as_reviewed(
    engine: Engine, language: str, request: pytest.FixtureRequest
) -> None:
    path = SNAPSHOTS / f"{language}.txt"
    now = snapshot(engine, language)
    if request.config.getoption("--update-transcripts"):
        path.write_text(now, encoding="utf-8")
    assert path.read_text(encoding="utf-8") == now, (
        f"{path.name} differs from the prompts as rendered now "
        "(run pytest --update-transcripts after a deliberate change, and review the diff)"
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_button_fits_a_kakaotalk_label_uncut(engine: Engine, language: str) -> None:
    words = {
        button.text
        for _name, _step, reply in rendered(engine, language)
        for button in (*reply.buttons, *reply.nav)
    }
    districts = suwon()
    words |= {districts.label(dong, language) for dong in districts.dongs}
    words |= {districts.label(gu, language) for gu in districts.gus}
    ours = {word for word in words if not RECORD_BUTTON.search(word)}
    cut = sorted(word for word in ours if short(word).endswith("…"))
    assert cut == [], f"over {MAX_LABEL} characters even when compacted"


# A quoted label and what one does with it: "'✔️ 완료'를 눌러", "tap '◀ Back'".
QUOTED = {
    "ko": re.compile(
        r"'([^'\n{}]{1,30})'(?:을|를|이|가|은|는|로|으로|에서)?\s*(?:버튼을\s*)?(?:눌러|누르|고르)"
    ),
    "en": re.compile(r"(?i:tap|press|choose|then|or)\s+'([^'\n{}]{1,30})'"),
}
# Buttons of the messenger itself, not ours: Telegram's own "Send Message" on a profile.
MESSENGER = {"메시지 보내기", "Send message"}
# Labels shown only in some moments (a draft to continue, look-alikes found, a long list, a
# KakaoTalk answer still on its way, news waiting), by their catalogue keys.
MOMENTARY = ("menu.continue", "propose.submit_anyway", "browse.next_page",
             "channel.see_answer", "channel.news_button", "intent.report_yes")  # fmt: skip


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_hint_that_quotes_a_button_quotes_its_real_words(engine: Engine, language: str) -> None:
    shown = {
        button.text
        for _name, _step, reply in rendered(engine, language)
        for button in (*reply.buttons, *reply.nav)
    }
    # A label with a count or an aside is quoted by its words: '✔️ 완료' of '✔️ 완료 (2개 선택)'.
    catalog = default_catalog().messages[language]
    shown |= {catalog[key] for key in MOMENTARY}
    shown |= {label.split("{", 1)[0].rstrip(" :") for label in shown if "{" in label}
    known = shown | {re.sub(r"\s*\([^()]*\)$", "", label) for label in shown} | MESSENGER
    wrong = sorted(
        {
            (key, found.group(1))
            for key, text in catalog.items()
            for found in QUOTED[language].finditer(text)
            if found.group(1) not in known and not found.group(1).isdecimal()
        }
    )
    assert wrong == []

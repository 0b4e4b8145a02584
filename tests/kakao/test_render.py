"""Every answer the adapter can give stays within Kakao's limits: checked on thousands of
replies the real engine makes on random walks through every flow (taps, typed words, back
and home), every page of each, not on hand-picked screens."""

import copy
import random
import re
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from conversations.desk import NoticeCard
from conversations.districts import suwon
from conversations.engine import Engine, Turn
from conversations.events import Button, Press, Reply, Text
from conversations.flows import ALL_FLOWS, FLOW_FAMILIES
from conversations.messages import default_catalog
from conversations.model import Profile
from conversations.session import Session
from kakao.models import MAX_LABEL, MAX_TEXT, SkillAnswer
from kakao.render import FIRST, Page, bubbles, render
from tests.auxil.memory_desk import MemoryDesk

CATALOG = default_catalog()
WORDS = ("네", "아니요", "뒤로", "처음으로", "도움말", "일번", "72살", "매탄3동", "모르겠어요",
         "공원 벤치를 더 놓아 주세요 부탁드립니다", "010-1234-5678", "ㅁㄴㅇㄹ")  # fmt: skip


# What citizens type where a step wants words: names, a phone, an address, a proposal.
TYPED = ("김수원", "이영희", "010-1234-5678", "매탄아파트 101동 1004호", "매탄3동",
         "무릎 수술 후 혼자 지내세요", "공원 벤치를 더 놓아 주세요",
         "저녁에 공원이 어두워서 벤치 주변에 조명도 있으면 좋겠어요.")  # fmt: skip


def every_page(replies: list[Reply]) -> list[SkillAnswer]:
    """The first page of the answer, then every page its "더 보기" and "다음 ▶" lead to."""
    seen, pages, waiting = set(), [], [FIRST]
    while waiting:
        page = waiting.pop()
        if page in seen:
            continue
        seen.add(page)
        answer = SkillAnswer.model_validate(render(replies, CATALOG, "ko", page).to_json())
        pages.append(answer)
        for quick in answer.template.quickReplies:
            turned = Page.from_extra(quick.extra)
            if turned is not None:
                waiting.append(turned)
    return pages


def desk() -> MemoryDesk:
    records = MemoryDesk()
    for n in range(12):
        records.seed(f"우리 동네 공원 {n}번 벤치를 늘려 주세요", supports=n)
    records.seed_survey({"title": "공원 조명", "questions": [{"kind": "yes_no", "text": "찬성?"}]})
    records.notices.append(NoticeCard(1, date(2026, 11, 20), "독감 예방접종 안내", None))
    return records


def walk(
    engine: Engine,
    seed: int,
    turns: int,
    seen: set[tuple[str, str]],
    *,
    language: str | None = None,
    shown: list[Button] | None = None,
    asked: "list[tuple[Session, Profile, Reply, MemoryDesk]] | None" = None,
) -> None:
    """One citizen's random walk, every answer's every page checked; steps noted in `seen`,
    every button offered in `shown`; `language`: the citizen keeps to it throughout."""
    pick = random.Random(seed)
    records = desk()
    session, profile = Session(), Profile(language=language)
    now = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
    event = Text("안녕하세요")
    for _ in range(turns):
        turn = engine.resume(session, profile, event, now, records)
        session, profile = turn.session, turn.profile
        if language is not None and profile.language != language:
            profile = replace(profile, language=language)
        if session.flow and session.step:
            seen.add((session.flow, session.step))
        if shown is not None:
            shown.extend(b for reply in turn.replies for b in reply.choices)
        asking_now = next((r for r in reversed(turn.replies) if r.choices), None)
        if asked is not None and asking_now is not None:
            asked.append((session, profile, asking_now, copy.deepcopy(records)))
        for answer in every_page(turn.replies):
            assert all(len(q.label) <= MAX_LABEL for q in answer.template.quickReplies)
        asking = next((r for r in reversed(turn.replies) if r.choices), None)
        if asking is not None and asking.buttons and pick.random() < 0.85:
            # Mostly forward (an option), sometimes back, home, help or leave.
            options = asking.buttons if pick.random() < 0.9 else asking.choices
            event = Press(asking.prompt_id or 0, pick.choice(options).value)
        elif asking is not None and not asking.buttons and pick.random() < 0.9:
            event = Text(pick.choice(TYPED))  # a step that wants words: plausible ones
        elif asking is not None and pick.random() < 0.8:
            event = Press(asking.prompt_id or 0, pick.choice(asking.choices).value)
        else:
            event = Text(pick.choice(WORDS))
        now += timedelta(seconds=pick.choice((5, 30, 3600)))


def test_random_walks_reach_every_step_of_every_flow_within_kakaos_limits() -> None:
    engine = Engine(ALL_FLOWS, CATALOG, suwon(), families=FLOW_FAMILIES)
    seen: set[tuple[str, str]] = set()
    for seed in range(100):
        walk(engine, seed, 300, seen)
    every_step = {(flow.id, step.id) for flow in ALL_FLOWS for step in flow.steps}
    assert every_step - seen == set()


def test_long_texts_split_at_line_ends_within_the_limit() -> None:
    text = "\n".join(f"{n}번째 줄입니다. " * 8 for n in range(40))
    pieces = bubbles(text)
    assert all(len(piece) <= MAX_TEXT for piece in pieces)
    assert "\n".join(pieces) == text
    assert bubbles("가" * 2500) == ["가" * 1000, "가" * 1000, "가" * 500]


def test_a_long_answer_pages_its_bubbles_with_more() -> None:
    replies = [Reply("안내 " * 400) for _ in range(4)]  # 8 bubbles
    pages = every_page(replies)
    assert len(pages) == 3
    first = pages[0].template
    assert len(first.outputs) == 3 and [q.label for q in first.quickReplies] == ["더 보기"]


def test_many_choices_page_and_keep_the_way_back_and_home() -> None:
    buttons = tuple(Button(f"d{n}", f"{n}번째로 아주 긴 이름의 동") for n in range(44))
    nav = (Button("nav:back", "◀ 이전"), Button("nav:home", "🏠 처음으로"),
           Button("nav:help", "❓ 도움말"), Button("nav:cancel", "✖ 그만하기"))  # fmt: skip
    pages = every_page([Reply("동을 골라 주세요", buttons=buttons, nav=nav, prompt_id=4)])
    offered = [
        q.messageText
        for p in pages
        for q in p.template.quickReplies
        if q.extra and "value" in q.extra and q.extra["value"].startswith("d")
    ]
    assert sorted(offered) == sorted(b.text for b in buttons)  # every dong on some page
    for page in pages:
        labels = [q.label for q in page.template.quickReplies]
        assert "◀ 이전" in labels and "🏠 처음으로" in labels and len(labels) <= 10
    shortened = pages[0].template.quickReplies[0]
    assert (
        shortened.label == "0번째로 아주 긴 이름의…"
        and shortened.messageText == "0번째로 아주 긴 이름의 동"
    )


def test_the_engine_knows_nothing_of_kakao() -> None:
    """The channel is an adapter: no word of it in the engine, the runtime or storage's
    conversation code (its answers table aside)."""
    from pathlib import Path

    root = Path(__file__).parents[2]
    for package in ("conversations", "runtime", "bot"):
        for path in (root / package).rglob("*.py"):
            assert "kakao" not in path.read_text(encoding="utf-8").lower(), path
        for path in (root / package).rglob("*.po"):
            assert "kakao" not in path.read_text(encoding="utf-8").lower(), path


def test_a_results_chart_is_a_signed_expiring_picture_before_its_figures() -> None:
    from datetime import UTC, datetime, timedelta

    from kakao.charts import ChartSigner, Picture

    now = [datetime(2026, 11, 26, tzinfo=UTC)]
    signer = ChartSigner("kakao-skill-secret-0123456789", "https://toktok.example", lambda: now[0])
    bars = (("효원", 6, 60), ("만석", 4, 40))
    reply = Reply(
        "1. 효원 60% (6명)\n2. 만석 40% (4명)",
        chart=bars,
        chart_title="공원 이름\n응답 10명",
        chart_mine=(1,),
    )
    answer = render([reply], CATALOG, "ko", FIRST, signer.url).template
    image = answer.outputs[0].simpleImage
    assert image is not None and image.imageUrl.startswith("https://toktok.example/kakao/chart/")
    assert answer.outputs[1].simpleText is not None
    token = image.imageUrl.rsplit("/", 1)[1].removesuffix(".png")
    assert signer.picture(token) == Picture(list(bars), "공원 이름\n응답 10명", (1,))
    middle = len(token) // 2
    edited = token[:middle] + ("A" if token[middle] != "A" else "B") + token[middle + 1 :]
    assert signer.picture(edited) is None  # edited
    assert ChartSigner("another-secret-0123456789", "https://x").picture(token) is None
    now[0] += timedelta(days=1, seconds=1)
    assert signer.picture(token) is None  # expired
    assert render([reply], CATALOG, "ko").template.outputs[0].simpleText is not None


def static_labels() -> set[str]:
    """Every text of the catalogue that can be a button as it stands: no placeholder, or
    only a number ({n}, {count}); texts with a title, a name or a dong in them are data."""
    found = set()
    for table in CATALOG.messages.values():
        for text in table.values():
            names = set(re.findall(r"{(\w+)", text))
            if (
                names <= {"n", "count"}
                and "\n" not in text
                and ":" not in "".join(re.findall(r"{[^}]*}", text))
            ):
                found |= {text.format(n=n, count=n) for n in range(10)} if names else {text}
    return found


def test_every_label_the_engine_shows_fits_kakao_uncut_in_both_languages() -> None:
    """Labels are written for 14 characters, the selected mark included: cutting one to
    "📝 Propose a p…" shows the resident half a word."""
    engine = Engine(ALL_FLOWS, CATALOG, suwon(), families=FLOW_FAMILIES)
    static = static_labels()
    too_long: set[str] = set()
    for language in ("ko", "en"):
        for seed in range(40):
            shown: list[Button] = []
            walk(engine, seed, 200, set(), language=language, shown=shown)
            for button in shown:
                bare = button.text.removeprefix("✅ ")
                if bare in static and len(button.text) > MAX_LABEL:
                    too_long.add(button.text)
    assert sorted(too_long) == []


def test_every_button_sent_back_as_its_words_does_what_pressing_it_does() -> None:
    """A channel whose buttons bring no data back sends the label's words: at every step
    of random walks, in both languages, typing a button's label ends where pressing it
    does (counts and emoji included: "✔️ 완료 (2개 선택)", "✅ 교통")."""
    engine = Engine(ALL_FLOWS, CATALOG, suwon(), families=FLOW_FAMILIES)
    differ: set[tuple[str, str | None, str]] = set()
    now = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
    for language in ("ko", "en"):
        for seed in range(10):
            states: list[tuple[Session, Profile, Reply, MemoryDesk]] = []
            walk(engine, seed, 100, set(), language=language, asked=states)
            for session, profile, asking, records in states:
                for button in asking.choices:
                    press = Press(asking.prompt_id or 0, button.value)
                    pressed = engine.resume(session, profile, press, now, copy.deepcopy(records))
                    text = Text(button.text, once=True)
                    typed = engine.resume(session, profile, text, now, copy.deepcopy(records))
                    if where(pressed) != where(typed):
                        differ.add((language, session.step, button.text))
    assert sorted(differ) == []


def where(turn: Turn) -> tuple[object, ...]:
    session = turn.session
    return (session.flow, session.step, session.status, str(session.answers), turn.profile)


def test_a_long_label_loses_its_aside_and_dong_ending_before_being_cut() -> None:
    from kakao.render import short

    assert short("📍 Ingye-dong (my area)") == "📍 Ingye-dong"
    assert short("Yeongtong 1-dong") == "Yeongtong 1"  # not "Yeongtong 1-d…" for all three
    assert short("📍 인계동 (내 동네)") == "📍 인계동 (내 동네)"  # fits already
    assert short("0번째로 아주 긴 이름의 동") == "0번째로 아주 긴 이름의…"

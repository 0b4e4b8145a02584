"""A survey for one gu, end to end: staff create it over HTTP, citizens answer in Telegram.

The service's own scheduler closes it on time; a double submit stores one response; the
results picture is a real PNG; breakdowns withhold groups of fewer than five.
"""

import asyncio
from datetime import timedelta

import httpx
from sqlalchemy import Engine, func, select

from storage import polls
from storage.models import PollAnswer, PollResponse, utcnow
from storage.staff import Role
from tests.auxil.factories import make_citizen, make_staff
from tests.auxil.service import sealer_for_tests
from tests.fake_telegram.server import FakeTelegram, SimCitizen

OPEN_FOR = 8


async def onboard(citizen: SimCitizen, dong: str) -> None:
    await citizen.say("안녕하세요")
    await citizen.reply()
    for label in ("한국어", "보통으로", "동의합니다"):
        await citizen.tap(label)
        await citizen.reply()
    await citizen.say(dong)
    await citizen.reply()
    await citizen.tap("70대 이상")
    await citizen.reply()
    await citizen.tap("✔️ 완료 (0개 선택)")
    assert "설정을 마쳤어요" in (await citizen.reply())["text"]


async def open_surveys(citizen: SimCitizen) -> dict:
    await citizen.tap("🗳 설문·투표")
    return await citizen.reply()


async def test_a_gu_survey_is_answered_once_closes_on_time_and_reports_safely(
    fake: FakeTelegram, api: httpx.AsyncClient, db: Engine
) -> None:
    headers = {"Authorization": f"Bearer {make_staff(db, role=Role.STAFF)[1]}"}
    now = utcnow()
    survey = {
        "title": "팔달구 공원 조명",
        "intro": "저녁 산책길 조명을 늘릴지 여쭤요.",
        "questions": [
            {"kind": "yes_no", "text": "조명을 늘리는 데 찬성하시나요?"},
            {
                "kind": "multiple",
                "text": "언제 산책하시나요?",
                "options": ["저녁", "밤", "새벽"],
                "max_choices": 2,
            },
        ],
        "audience": {"gus": ["팔달구"]},
        "opens_at": (now - timedelta(minutes=1)).isoformat(),
        "closes_at": (now + timedelta(seconds=OPEN_FOR)).isoformat(),
        "results_shown": "after_answer",
    }
    poll_id = (await api.post("/api/v1/polls", json=survey, headers=headers)).json()["id"]
    published = await api.post(f"/api/v1/polls/{poll_id}/schedule", headers=headers)
    assert published.json()["status"] == "open"

    inside, outside, late = fake.citizen(7001), fake.citizen(7002), fake.citizen(7003)
    await asyncio.gather(
        onboard(inside, "인계동"), onboard(outside, "매탄1동"), onboard(late, "행궁동")
    )

    listed = await open_surveys(outside)
    assert "지금 참여할 수 있는 설문이 없어요" in listed["text"]

    listed = await open_surveys(inside)
    assert "📋 팔달구 공원 조명" in inside.buttons(listed)
    await inside.tap("📋 팔달구 공원 조명")
    first = await inside.reply()
    assert "저녁 산책길 조명을 늘릴지 여쭤요." in first["text"] and "1/2" in first["text"]
    await inside.tap("네")
    await inside.reply()
    await inside.say("저녁, 밤")
    chosen = await inside.reply()
    assert "✅ 저녁" in inside.buttons(chosen) and "✅ 밤" in inside.buttons(chosen)
    await inside.tap("✔️ 완료 (2개 선택)", message=chosen)
    summary = await inside.reply()
    assert "→ 저녁, 밤" in summary["text"]
    await asyncio.gather(inside.tap("✅ 제출하기"), inside.tap("✅ 제출하기", message=summary))
    # One respondent: no figures, by the small-group rule (pictures: tests/bot/test_chart.py).
    thanks = await inside.reply()
    assert "답변이 저장되었어요" in thanks["text"] and "5명 이상" in thanks["text"]
    assert thanks["kind"] == "send"
    assert await inside.quiet(0.5)

    await open_surveys(late)
    await late.tap("📋 팔달구 공원 조명")
    question = await late.reply()
    assert "1/2" in question["text"]

    with db.connect() as connection:
        responses = connection.execute(select(func.count()).select_from(PollResponse)).scalar()
        answers = connection.execute(select(func.count()).select_from(PollAnswer)).scalar()
    assert (responses, answers) == (1, 3)

    closes_at = now + timedelta(seconds=OPEN_FOR)
    await asyncio.sleep((closes_at - utcnow()).total_seconds() + 1.5)
    status = (await api.get(f"/api/v1/polls/{poll_id}", headers=headers)).json()["status"]
    assert status == "closed"
    await late.tap("아니요", message=question)
    assert "이 설문은 마감되었어요" in (await late.reply())["text"]

    results = (await api.get(f"/api/v1/polls/{poll_id}/results", headers=headers)).json()
    q1, q2 = results["questions"]
    assert results["responses"] == 1
    assert q1["total"]["counts"] == {"yes": 1, "no": 0}
    assert q2["total"] == {"respondents": 1, "counts": {"1": 1, "2": 1, "3": 0}}
    assert q1["breakdowns"]["dong"]["인계동"]["suppressed"] is True
    assert q1["breakdowns"]["age_band"]["70plus"]["suppressed"] is True


async def test_the_fifth_answer_brings_the_results_picture(
    fake: FakeTelegram, api: httpx.AsyncClient, db: Engine
) -> None:
    headers = {"Authorization": f"Bearer {make_staff(db, role=Role.STAFF)[1]}"}
    now = utcnow()
    survey = {
        "title": "동네 쉼터",
        "questions": [{"kind": "yes_no", "text": "쉼터가 더 필요하세요?"}],
        "opens_at": (now - timedelta(minutes=1)).isoformat(),
        "closes_at": (now + timedelta(days=1)).isoformat(),
        "results_shown": "after_answer",
    }
    poll_id = (await api.post("/api/v1/polls", json=survey, headers=headers)).json()["id"]
    await api.post(f"/api/v1/polls/{poll_id}/open", headers=headers)
    earlier = [make_citizen(db, f"earlier-{n}") for n in range(4)]
    with db.begin() as connection:
        for citizen_id in earlier:
            polls.respond(
                connection,
                poll_id=poll_id,
                citizen_id=citizen_id,
                answers={"q1": "yes"},
                gu=None,
                dong=None,
                age_band=None,
                sealer=sealer_for_tests(),
            )
    fifth = fake.citizen(7010)
    await onboard(fifth, "인계동")
    await open_surveys(fifth)
    await fifth.tap("📋 동네 쉼터")
    await fifth.reply()
    await fifth.tap("네")
    await fifth.reply()
    await fifth.tap("✅ 제출하기")
    picture = await fifth.reply()
    assert picture["kind"] == "photo" and "▓▓▓▓▓▓▓▓ 100% (5)" in picture["caption"]
    assert fake.photos[(fifth.id, picture["message_id"])].startswith(b"\x89PNG")
    assert "답변이 저장되었어요" in (await fifth.reply())["text"]

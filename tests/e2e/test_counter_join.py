"""What was filed at the counter joins a resident's Telegram chat with the slip's code, and
staff news reaches that chat from then on; one person answers a survey once, whichever way
they came."""

from datetime import timedelta

import httpx
from sqlalchemy import Engine, func, select

from storage.models import PollResponse, Proposal, utcnow
from storage.staff import Role
from tests.api.test_polls_api import survey
from tests.auxil.counter_api import CounterOfficial
from tests.auxil.factories import make_staff
from tests.fake_telegram.server import FakeTelegram


async def file_a_proposal(official: CounterOfficial) -> int:
    await official.start()
    await official.onboard_without_profile()
    await official.press("📝 정책 제안하기")
    await official.say("경로당 앞 횡단보도 신호를 늘려 주세요")
    await official.say("어르신들이 건너시기에 초록불이 너무 짧아요.")
    for label in ("교통", "건너뛰기", "✅ 제출하기"):
        await official.press(label)
    assert "제안을 접수했어요" in official.text()
    filed = official.session["filed"]
    assert [item["kind"] for item in filed] == ["proposal"]
    return int(filed[0]["receipt"].removeprefix("P-"))


async def test_the_slips_code_joins_the_proposal_to_a_telegram_chat_and_news_follows(
    fake: FakeTelegram, api: httpx.AsyncClient, db: Engine
) -> None:
    official = CounterOfficial(api, db)
    proposal_id = await file_a_proposal(official)
    code = (await official.slip())["code"]
    assert len(code) == 9 and code[4] == "-"

    stranger = fake.citizen(7009)
    await stranger.say("연결 1111-2222")
    assert "찾지 못했어요" in (await stranger.reply())["text"]

    daughter = fake.citizen(7001)
    await daughter.say(f"연결 {code}")
    joined = await daughter.reply()
    assert "제안 1건" in joined["text"] and "연결했어요" in joined["text"]
    with db.begin() as connection:
        author = connection.execute(
            select(Proposal.author_id).where(Proposal.id == proposal_id)  # type: ignore[arg-type]
        ).scalar_one()
    assert author is not None

    again = fake.citizen(7002)
    await again.say(f"연결 {code}")
    assert "이미 다른 대화방에 연결" in (await again.reply())["text"]

    _, token = make_staff(db, role=Role.STAFF)
    answered = await api.post(
        f"/api/v1/proposals/{proposal_id}/status",
        json={"status": "accepted", "answer": "신호 시간을 늘리겠습니다."},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert answered.status_code == 200
    news = await daughter.reply(timeout=10)
    assert "'수용'으로 바뀌었어요" in news["text"] and "신호 시간을 늘리겠습니다" in news["text"]


async def test_a_survey_answered_at_the_counter_is_not_answered_again_in_the_chat(
    fake: FakeTelegram, api: httpx.AsyncClient, db: Engine
) -> None:
    _, token = make_staff(db, role=Role.STAFF)
    headers = {"Authorization": f"Bearer {token}"}
    now = utcnow()
    definition = survey(
        audience={},
        opens_at=(now - timedelta(minutes=5)).isoformat(),
        title="경로당 프로그램",
    )
    poll_id = (await api.post("/api/v1/polls", json=definition, headers=headers)).json()["id"]
    opened = await api.post(f"/api/v1/polls/{poll_id}/schedule", headers=headers)
    assert opened.json()["status"] == "open"

    official = CounterOfficial(api, db)
    await official.start()
    await official.onboard_without_profile()
    await official.press("🗳 설문·투표")
    await official.press("📋 경로당 프로그램")
    await official.press("만석")
    await official.press("✅ 제출하기")
    code = (await official.slip())["code"]
    assert [item["kind"] for item in official.session["filed"]] == ["survey"]

    resident = fake.citizen(7101)
    await resident.say(f"연결 {code}")
    await resident.reply()  # joined (the chat then asks its own first question)
    for label in ("한국어", "보통으로", "동의하지 않습니다"):
        await resident.tap(label)
        await resident.reply()
    await resident.tap("🗳 설문·투표")
    await resident.reply()
    await resident.tap("✅ 경로당 프로그램 (참여함)")
    told = await resident.reply()
    assert "이미 답하셨어요" in told["text"]

    # The other way round: a survey the person answered in the chat (joined above) is not
    # answered again at their next visit to the counter; the official is told.
    later = survey(
        audience={}, opens_at=(now - timedelta(minutes=1)).isoformat(), title="공원 운동기구"
    )
    later_id = (await api.post("/api/v1/polls", json=later, headers=headers)).json()["id"]
    await api.post(f"/api/v1/polls/{later_id}/schedule", headers=headers)
    await resident.say("설문")
    await resident.reply()
    await resident.tap("📋 공원 운동기구")
    await resident.reply()
    for label in ("만석", "✅ 제출하기"):
        await resident.tap(label)
        await resident.reply()
    second = CounterOfficial(api, db)
    await second.start()
    await second.press("🗳 설문·투표")
    await second.press("✅ 공원 운동기구 (참여함)")
    assert "이미 답하셨어요" in second.text()
    with db.begin() as connection:
        counts = connection.execute(
            select(PollResponse.poll_id, func.count()).group_by(PollResponse.poll_id)  # type: ignore[arg-type]
        ).all()
    assert sorted(tuple(row) for row in counts) == [(poll_id, 1), (later_id, 1)]

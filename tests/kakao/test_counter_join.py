"""A care application filed at the counter joins a resident's KakaoTalk chat with the slip's
code; the case's news comes with their next message there, as any Kakao citizen's does."""

import httpx
from sqlalchemy import Engine

from storage.staff import Role
from tests.auxil.counter_api import CounterOfficial
from tests.fake_kakao import KakaoCitizen
from tests.kakao.test_skill import URL, api  # noqa: F401  (the service fixture)


async def test_a_counter_care_application_joins_a_kakao_chat_and_its_news_follows(
    api: httpx.AsyncClient,  # noqa: F811
    db: Engine,
) -> None:
    worker = CounterOfficial(api, db, role=Role.CARE_WORKER)
    await worker.start()
    await worker.onboard_without_profile()
    await worker.apply_for_care_for_a_parent()
    filed = worker.session["filed"]
    assert [item["kind"] for item in filed] == ["care"]
    code = (await worker.slip())["code"]

    son = KakaoCitizen(api, URL, "kakao-son")
    await son.say(code.replace("-", " "))  # bare digits, in a chat not set up yet: a greeting
    assert "언어를 골라 주세요" in son.text()
    await son.say(f"연결 {code}")
    assert "돌봄 신청 1건" in son.text() and "연결했어요" in son.text()

    case_id = int(filed[0]["receipt"].removeprefix("C-"))
    moved = await api.post(
        f"/api/v1/care-applications/{case_id}/status",
        json={"status": "reviewing"},
        headers=worker.headers,
    )
    assert moved.status_code == 200, moved.text
    await son.say("처음 화면")
    assert "새 소식이 1건" in son.text()
    await son.tap("📬 새 소식 1건")
    assert "검토" in son.text()

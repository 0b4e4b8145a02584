"""The KakaoTalk channel over real HTTP: a citizen onboards and files a proposal by quick
replies alone; long choice lists page; a retried call gets the same answer and no second
turn; what staff said meanwhile comes first in the next answer; the secret is enforced."""

import asyncio
import base64
import contextlib
import json
import sqlite3
from collections.abc import AsyncIterator, Iterator

import httpx
import psycopg
import pytest
from sqlalchemy import Engine, func, select

from conversations.events import Reply
from storage.db import make_engine, transaction
from storage.models import KakaoAnswer, OutboxMessage, Staff
from storage.staff import Role
from tests.api.test_polls_api import respond
from tests.auxil.factories import make_staff
from tests.auxil.service import running_service, service_settings
from tests.fake_kakao import KakaoCitizen, skill_request

SECRET = "kakao-skill-secret-0123456789"
URL = f"/kakao/skill/{SECRET}"


@pytest.fixture
async def api(db_url: str) -> AsyncIterator[httpx.AsyncClient]:
    settings = service_settings(db_url, api_port=0, kakao_skill_secret=SECRET)
    async with running_service(settings) as url, httpx.AsyncClient(base_url=url) as client:
        yield client


async def onboard(citizen: KakaoCitizen) -> None:
    """Onboarding with a profile, by quick replies alone (the dong's page turned once)."""
    await citizen.say("안녕하세요")
    assert "언어를 골라 주세요" in citizen.text()
    for label in ("한국어", "보통으로", "동의합니다", "팔달구"):
        await citizen.tap(label)
    assert len(citizen.labels()) <= 10 and "다음 ▶" in citizen.labels()
    await citizen.tap("다음 ▶")
    assert "◀ 앞" in citizen.labels() and "🏠 처음으로" in citizen.labels()
    await citizen.tap("인계동")
    for label in ("40대", "교통", "✔️ 완료 (1개 선택)"):
        await citizen.tap(label)
    assert "무엇을 도와드릴까요" in citizen.text()
    assert "내 정보 지우기" not in citizen.labels()  # under 내 정보, not among the services


async def propose(citizen: KakaoCitizen, title: str) -> None:
    await citizen.tap("📝 정책 제안하기")
    await citizen.say(title)
    await citizen.say("공원 한쪽에 울타리를 친 반려견 놀이터가 있으면 좋겠어요.")
    for label in ("환경", "건너뛰기", "✅ 제출하기"):
        await citizen.tap(label)
    assert "제안을 접수했어요" in citizen.text()


async def test_a_citizen_onboards_and_proposes_by_quick_replies(api: httpx.AsyncClient) -> None:
    citizen = KakaoCitizen(api, URL, "kakao-user-1")
    await onboard(citizen)
    await propose(citizen, "반려견 놀이터를 만들어 주세요")
    # A look-alike is offered right after the title, as in Telegram, in other words too.
    neighbour = KakaoCitizen(api, URL, "kakao-user-9")
    await onboard(neighbour)
    await neighbour.tap("📝 정책 제안하기")
    await neighbour.say("강아지 뛰어놀 곳 만들어 주세요")
    assert "비슷한 제안이 이미 있어요" in neighbour.text()
    await neighbour.tap("👍 1번에 공감")
    assert "공감했어요" in neighbour.text()


async def test_a_problem_typed_at_the_menu_is_filed_in_the_residents_words(
    api: httpx.AsyncClient,
) -> None:
    """KakaoTalk residents type more than they tap: the words reach the right place."""
    citizen = KakaoCitizen(api, URL, "kakao-user-words")
    await onboard(citizen)
    await citizen.say("고마워요")
    assert "천만에요" in citizen.text()
    await citizen.say("우리 동네 가로등이 고장났어요")
    assert "적어 주신 내용으로 제안을 쓸까요?" in citizen.text()
    await citizen.say("네")
    await citizen.tap("안전")
    await citizen.tap("건너뛰기")
    assert "[제목] 우리 동네 가로등이 고장났어요" in citizen.text()
    await citizen.say("제출하기")
    assert "제안을 접수했어요" in citizen.text()
    await citizen.say("알림 그만 보내세요")
    assert "그만 받으시겠어요" in citizen.text()
    # Typed "네" again here would be taken for a resend of the first "네" (the retry key is
    # the user and the words; the KakaoTalk-turns issue changes it), so the button's words.
    await citizen.say("🔕 네, 그만 받기")
    assert "앞으로 안내를 보내지 않을게요" in citizen.text()


async def test_a_client_that_sends_no_button_data_does_everything_by_the_labels_words(
    api: httpx.AsyncClient, db: Engine
) -> None:
    """Every tap arrives as the label's words alone (no `clientExtra`): onboarding with
    skips and a multiple choice, a proposal, a survey's multiple choice, a care application,
    with the same words ("건너뛰기", "동의합니다") at consecutive questions."""
    from datetime import timedelta

    from storage.models import utcnow

    _, token = make_staff(db, role=Role.STAFF)
    headers = {"Authorization": f"Bearer {token}"}
    survey = {
        "title": "공원 시설",
        "questions": [
            {"kind": "multiple", "text": "어떤 시설이 더 필요하세요?",
             "options": ["벤치", "화장실", "운동기구"], "max_choices": 2},
        ],
        "opens_at": (utcnow() + timedelta(hours=1)).isoformat(),
        "closes_at": (utcnow() + timedelta(days=7)).isoformat(),
    }  # fmt: skip
    made = await api.post("/api/v1/polls", json=survey, headers=headers)
    assert made.status_code == 201, made.text
    opened = await api.post(f"/api/v1/polls/{made.json()['id']}/open", headers=headers)
    assert opened.status_code == 200, opened.text

    citizen = KakaoCitizen(api, URL, "kakao-words-only", extras=False)
    await citizen.say("안녕하세요")
    for label in ("한국어", "보통으로", "동의합니다", "건너뛰기", "건너뛰기", "교통", "환경"):
        await citizen.tap(label)
    await citizen.tap("✔️ 완료 (2개 선택)")
    assert "무엇을 도와드릴까요" in citizen.text()

    await citizen.tap("📝 정책 제안하기")
    await citizen.say("공원 벤치를 더 놓아 주세요")
    await citizen.say("어르신들이 쉬어 갈 곳이 없어요.")
    for label in ("환경", "건너뛰기", "✅ 제출하기"):
        await citizen.tap(label)
    assert "제안을 접수했어요" in citizen.text()

    for label in ("🗳 설문·투표", "📋 공원 시설", "벤치", "화장실"):
        await citizen.tap(label)
    await citizen.tap("✔️ 완료 (2개 선택)")
    await citizen.tap("✅ 제출하기")
    assert "답변이 저장되었어요" in citizen.text()

    for label in ("🤝 돌봄 신청", "👪 가족", "부모님", "네, 동의하셨어요", "동의합니다",
                  "동의합니다", "🍱 식사 지원", "✔️ 완료 (1개 선택)"):  # fmt: skip
        await citizen.tap(label)
    await citizen.say("무릎 수술 후 혼자 지내세요")
    await citizen.tap("✔️ 완료 (0개 선택)")
    await citizen.say("김수원")
    await citizen.say("이영희")
    assert "전화번호" in citizen.text() and "보내기" not in citizen.text()  # no such button
    await citizen.say("제 번호는 010 1234 5678 이에요")
    await citizen.tap("영통구")
    await citizen.tap("매탄3동")
    await citizen.say("매탄아파트 101동 1004호")
    await citizen.tap("오전 (9~12시)")
    await citizen.tap("✅ 신청하기")
    assert "접수번호는 C-" in citizen.text()


async def test_a_resend_while_the_first_is_answered_gets_the_same_answer_and_no_second_turn(
    api: httpx.AsyncClient, db: Engine
) -> None:
    """A double tap, or Kakao's retry: the same call from the same place, both in flight."""
    body = skill_request("kakao-user-2", "안녕하세요")
    first, again = await asyncio.gather(api.post(URL, json=body), api.post(URL, json=body))
    assert again.json() == first.json()
    with db.connect() as connection:
        calls = connection.execute(select(func.count()).select_from(OutboxMessage)).scalar()
    assert calls == 1  # one turn, one reply


async def test_the_same_words_at_the_next_question_are_a_new_turn(api: httpx.AsyncClient) -> None:
    """ "건너뛰기" at the age and then at the interests: two questions, two answers."""
    citizen = KakaoCitizen(api, URL, "kakao-same-words")
    await citizen.say("안녕하세요")
    for words in ("한국어", "보통으로", "동의합니다", "건너뛰기"):
        await citizen.say(words)
    assert "나이대" in citizen.text()
    await citizen.say("건너뛰기")
    assert "관심 있는 분야" in citizen.text()
    await citizen.say("건너뛰기")
    assert "무엇을 도와드릴까요" in citizen.text()


async def test_what_staff_said_meanwhile_comes_first_in_the_next_answer(
    api: httpx.AsyncClient, db: Engine
) -> None:
    citizen = KakaoCitizen(api, URL, "kakao-user-3")
    await onboard(citizen)
    await propose(citizen, "놀이터 바닥을 고쳐 주세요")
    _, token = make_staff(db, role=Role.STAFF)
    headers = {"Authorization": f"Bearer {token}"}
    filed = (await api.get("/api/v1/proposals", headers=headers)).json()["items"][0]["id"]
    answered = await api.post(
        f"/api/v1/proposals/{filed}/status",
        json={"status": "accepted", "answer": "올해 안에 하겠습니다."},
        headers=headers,
    )
    assert answered.status_code == 200, answered.text
    await citizen.say("처음으로")
    assert citizen.text().startswith("무엇을 도와드릴까요")  # the answer she asked for first
    assert "새 소식이 1건" in citizen.text() and citizen.labels()[0] == "📬 새 소식 1건"
    await citizen.tap("📬 새 소식 1건")
    assert "올해 안에 하겠습니다" in citizen.text()
    await citizen.tap("↩ 하던 대화로")
    assert citizen.text().startswith("무엇을 도와드릴까요")
    await citizen.say("처음 화면")
    assert "새 소식" not in citizen.text()  # told once


async def test_a_wrong_secret_is_not_found_and_a_bad_body_is_refused(
    api: httpx.AsyncClient,
) -> None:
    wrong = await api.post("/kakao/skill/not-the-secret", json=skill_request("u", "안녕"))
    assert wrong.status_code == 404
    bad = await api.post(URL, json={"userRequest": {}})
    assert bad.status_code == 400 and bad.json()["reason"] == "not a Kakao skill request"


async def test_without_a_secret_the_route_is_off(db_url: str) -> None:
    settings = service_settings(db_url, api_port=0)
    async with running_service(settings) as url, httpx.AsyncClient(base_url=url) as client:
        answered = await client.post(URL, json=skill_request("u", "안녕"))
    assert answered.status_code == 404


async def test_with_the_database_locked_the_answer_does_not_wait_for_it(db_url: str) -> None:
    """Another process holds the write lock: the skill answers "잠시만요" while it is still
    held (the answer counts from the request's arrival, database waits included); once it
    is free, the late answer comes with the next call, marked as late, and the words of
    that call are not applied to the question she had not seen."""
    settings = service_settings(
        db_url, api_port=0, kakao_skill_secret=SECRET, kakao_answer_seconds=0.5
    )
    async with running_service(settings) as url, httpx.AsyncClient(base_url=url) as client:
        citizen = KakaoCitizen(client, URL, "kakao-locked")
        with write_locked(db_url):
            await asyncio.wait_for(citizen.say("안녕하세요"), timeout=60)
            assert "잠시만요" in citizen.text()  # answered while the lock is still held
            assert citizen.labels() == ["⏳ 답 보기", "🏠 처음으로"]
        await until_answered(db_url, "kakao-locked")
        await citizen.say("English")  # an answer to the language question she never saw
        assert "늦게 도착했어요" in citizen.text() and "언어를 골라 주세요" in citizen.text()
        await citizen.say("English")  # now she has seen it
        assert "Please choose" not in citizen.text() and "button" in citizen.text().lower()


@contextlib.contextmanager
def write_locked(db_url: str) -> Iterator[None]:
    """Holds the database's write lock from another connection, as another process would."""
    if db_url.startswith("sqlite"):
        holder = sqlite3.connect(db_url.removeprefix("sqlite:///"), isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
    else:
        holder = psycopg.connect(db_url.replace("postgresql+psycopg://", "postgresql://"))
        holder.execute("LOCK TABLE kakao_answer IN EXCLUSIVE MODE")
    try:
        yield
    finally:
        holder.rollback()
        holder.close()


async def until_answered(db_url: str, user: str) -> None:
    """Waits (bounded) until a call of `user` is kept: a call is kept with its answer."""
    engine = make_engine(db_url)
    try:
        for _ in range(600):
            with engine.connect() as connection:
                calls = connection.execute(
                    select(func.count())
                    .select_from(KakaoAnswer)
                    .where(KakaoAnswer.user_key == user)
                ).scalar()
            if calls:
                return
            await asyncio.sleep(0.05)
        raise AssertionError(f"{user}'s call was never answered")
    finally:
        engine.dispose()


async def test_a_long_pasted_complaint_is_answered_kindly(api: httpx.AsyncClient) -> None:
    citizen = KakaoCitizen(api, URL, "kakao-long")
    await onboard(citizen)
    await citizen.say("가로등이 고장나서 밤길이 너무 어두워요. " * 120)  # over 2,000 characters
    assert "적어 주신 내용으로 제안을 쓸까요?" in citizen.text()
    await citizen.say("네")
    assert "1000자" in citizen.text()  # the text is kept; its start can be used


async def test_answers_older_than_a_day_are_forgotten(api: httpx.AsyncClient, db: Engine) -> None:
    from datetime import timedelta

    from kakao.skill import forget_old_answers
    from storage.models import KakaoAnswer, utcnow

    await KakaoCitizen(api, URL, "kakao-old").say("안녕하세요")
    assert forget_old_answers(db, now=utcnow()) == 0
    assert forget_old_answers(db, now=utcnow() + timedelta(days=1, minutes=1)) == 1
    with db.connect() as connection:
        assert connection.execute(select(func.count()).select_from(KakaoAnswer)).scalar() == 0


async def test_a_notice_waits_for_the_kakao_citizens_next_message(
    api: httpx.AsyncClient, db: Engine
) -> None:
    citizen = KakaoCitizen(api, URL, "kakao-notice")
    await onboard(citizen)
    _, token = make_staff(db, role=Role.STAFF)
    headers = {"Authorization": f"Bearer {token}"}
    notice = {"text": "<b>버스 노선</b> 개편 설명회 &amp; 의견 듣기", "topics": ["transport"],
              "audience": {"gus": ["팔달구"]}}  # fmt: skip
    notice_id = (await api.post("/api/v1/notices", json=notice, headers=headers)).json()["id"]
    await api.post(f"/api/v1/notices/{notice_id}/send", json={}, headers=headers)
    url = f"/api/v1/notices/{notice_id}/report"
    for _ in range(100):
        report = (await api.get(url, headers=headers)).json()
        if report["held"]:
            break
        await asyncio.sleep(0.05)
    assert (report["held"], report["queued"], report["sent"]) == (1, 0, 0), report
    await citizen.say("처음 화면")
    assert citizen.text().startswith("무엇을 도와드릴까요")  # what she asked for, on page 1
    await citizen.tap("📬 새 소식 1건")
    assert "버스 노선 개편 설명회 & 의견 듣기" in citizen.text()  # plain text, no tags
    report = (await api.get(url, headers=headers)).json()
    assert (report["held"], report["sent"]) == (0, 1)
    await citizen.tap("🔕 이런 알림 줄이기")
    assert "'교통' 알림은 더 보내지 않을게요" in citizen.text()


async def test_a_signed_chart_address_serves_the_picture(db_url: str) -> None:
    from kakao.charts import ChartSigner

    settings = service_settings(
        db_url,
        api_port=0,
        kakao_skill_secret=SECRET,
        public_base_url="https://toktok.example",
    )
    signer = ChartSigner(SECRET, "https://toktok.example")
    chart = Reply("1. 네 75%\n2. 아니요 25%", chart=(("네", 3, 75), ("아니요", 1, 25)))
    path = signer.url(chart).removeprefix("https://toktok.example")
    async with running_service(settings) as url, httpx.AsyncClient(base_url=url) as client:
        picture = await client.get(path)
        assert picture.status_code == 200 and picture.content.startswith(b"\x89PNG")
        middle = len(path) // 2
        flipped = "A" if path[middle] != "A" else "B"
        forged = await client.get(path[:middle] + flipped + path[middle + 1 :])
        assert forged.status_code == 404
    # The address reads as nothing: not the question, not the figures, not her answer.
    token = path.rsplit("/", 1)[1].removesuffix(".png")
    padded = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    assert "네".encode() not in padded and b"75" not in padded


async def test_a_survey_is_answered_by_quick_replies_and_its_results_pictured(
    db_url: str, db: Engine
) -> None:
    from datetime import timedelta

    from storage.models import utcnow

    settings = service_settings(
        db_url, api_port=0, kakao_skill_secret=SECRET, public_base_url="https://toktok.example"
    )
    _, token = make_staff(db, role=Role.STAFF)
    headers = {"Authorization": f"Bearer {token}"}
    survey = {
        "title": "인계동 공원 조명",
        "questions": [
            {"kind": "yes_no", "text": "조명을 늘리는 데 찬성하시나요?"},
            {"kind": "scale", "text": "지금 조명에 얼마나 만족하시나요?"},
        ],
        "audience": {"dongs": ["인계동"]},
        "results_shown": "after_answer",
        "opens_at": (utcnow() + timedelta(hours=1)).isoformat(),
        "closes_at": (utcnow() + timedelta(days=7)).isoformat(),
    }
    async with running_service(settings) as url, httpx.AsyncClient(base_url=url) as client:
        made = await client.post("/api/v1/polls", json=survey, headers=headers)
        assert made.status_code == 201, made.text
        poll_id = made.json()["id"]
        opened = await client.post(f"/api/v1/polls/{poll_id}/open", headers=headers)
        assert opened.status_code == 200, opened.text
        respond(
            db, poll_id, 5, value="yes", dong="인계동", gu="팔달구"
        )  # past the small-group rule
        citizen = KakaoCitizen(client, URL, "kakao-survey")
        await onboard(citizen)
        for label in ("🗳 설문·투표", "📋 인계동 공원 조명", "네", "4", "✅ 제출하기"):
            await citizen.tap(label)
        outputs = citizen.last["template"]["outputs"]
        pictures = [o["simpleImage"]["imageUrl"] for o in outputs if "simpleImage" in o]
        assert pictures, citizen.last
        assert pictures[0].startswith("https://toktok.example/kakao/chart/")
        drawn = await client.get(pictures[0].removeprefix("https://toktok.example"))
        assert drawn.status_code == 200 and drawn.headers["content-type"] == "image/png"


async def test_a_care_application_is_made_on_kakao_and_its_news_told_at_the_next_message(
    api: httpx.AsyncClient, db: Engine
) -> None:
    citizen = KakaoCitizen(api, URL, "kakao-care")
    await onboard(citizen)
    for label in ("🤝 돌봄 신청", "👪 가족", "부모님", "네, 동의하셨어요", "동의합니다",
                  "동의합니다", "🍱 식사 지원", "✔️ 완료 (1개 선택)"):  # fmt: skip
        await citizen.tap(label)
    await citizen.say("무릎 수술 후 혼자 지내세요")
    await citizen.tap("✔️ 완료 (0개 선택)")
    for words in ("김수원", "이영희", "010-1234-5678"):  # no contact button on KakaoTalk
        await citizen.say(words)
    await citizen.tap("영통구")
    await citizen.say("매탄3동")
    await citizen.say("매탄아파트 101동 1004호")
    await citizen.tap("오전 (9~12시)")
    assert "[연락처] 010-1234-5678" in citizen.text()
    await citizen.tap("✅ 신청하기")
    assert "접수번호는 C-" in citizen.text()

    worker_id, worker = make_staff(db, role=Role.CARE_WORKER, name="매탄 담당")
    with transaction(db) as session:
        staff = session.get(Staff, worker_id)
        assert staff is not None
        staff.dongs = ["매탄3동"]
    headers = {"Authorization": f"Bearer {worker}"}
    case = (await api.get("/api/v1/care-applications", headers=headers)).json()["items"][0]
    moved = await api.post(
        f"/api/v1/care-applications/{case['id']}/status",
        json={"status": "reviewing"},
        headers=headers,
    )
    assert moved.status_code == 200, moved.text
    await citizen.say("처음 화면")
    assert "새 소식이 1건" in citizen.text()
    await citizen.tap("📬 새 소식 1건")
    assert "검토" in citizen.text()


async def test_with_the_event_api_the_citizen_is_told_once_and_kakao_calls_for_the_news(
    db_url: str, db: Engine
) -> None:
    import uvicorn
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    from tests.auxil.service import free_port

    calls: list[dict] = []

    async def talk(request: Request) -> JSONResponse:
        assert request.headers["authorization"] == "KakaoAK event-key-for-loopback"
        calls.append({"bot": request.path_params["bot"], **(await request.json())})
        return JSONResponse({"taskId": str(len(calls)), "status": "SUCCESS"})

    port = free_port()
    fake_kakao = uvicorn.Server(
        uvicorn.Config(
            Starlette(routes=[Route("/v2/bots/{bot}/talk", talk, methods=["POST"])]),
            port=port,
            log_level="warning",
            lifespan="off",
        )
    )
    serving = asyncio.create_task(fake_kakao.serve())
    settings = service_settings(
        db_url,
        api_port=0,
        kakao_skill_secret=SECRET,
        kakao_event_api_key="event-key-for-loopback",
        kakao_bot_id="toktok-bot",
        kakao_event_api_url=f"http://127.0.0.1:{port}",
    )
    try:
        async with running_service(settings) as url, httpx.AsyncClient(base_url=url) as client:
            citizen = KakaoCitizen(client, URL, "kakao-evented")
            await onboard(citizen)
            await propose(citizen, "벤치를 더 놓아 주세요")
            _, token = make_staff(db, role=Role.STAFF)
            staff = {"Authorization": f"Bearer {token}"}
            filed = (await client.get("/api/v1/proposals", headers=staff)).json()["items"][0]
            await client.post(
                f"/api/v1/proposals/{filed['id']}/status",
                json={"status": "under_review"},
                headers=staff,
            )
            for _ in range(100):
                if calls:
                    break
                await asyncio.sleep(0.05)
            assert calls and calls[0]["bot"] == "toktok-bot"
            assert calls[0]["event"] == {"name": "toktok_news"}
            assert calls[0]["user"] == [{"type": "botUserKey", "id": "kakao-evented"}]
            # Kakao runs the event block, which calls the skill with toktok=news.
            event_call = skill_request("kakao-evented", "")
            event_call["action"]["params"] = {"toktok": "news"}
            news = await client.post(URL, json=event_call)
            text = json.dumps(news.json(), ensure_ascii=False)
            assert "📬 새 소식 1건이에요." in text and "검토" in text
            await asyncio.sleep(1.5)
            assert len(calls) == 1  # told once
    finally:
        fake_kakao.should_exit = True
        await serving


async def test_a_slow_turn_answers_through_kakaos_callback_where_it_is_on(db_url: str) -> None:
    import uvicorn
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    from kakao.models import SkillAnswer
    from tests.auxil.service import free_port

    arrived: asyncio.Queue[dict] = asyncio.Queue()

    async def callback(request: Request) -> JSONResponse:
        await arrived.put(await request.json())
        return JSONResponse({"taskId": "1", "status": "SUCCESS"})

    port = free_port()
    receiver = uvicorn.Server(
        uvicorn.Config(
            Starlette(routes=[Route("/callback/{one}", callback, methods=["POST"])]),
            port=port,
            log_level="warning",
            lifespan="off",
        )
    )
    serving = asyncio.create_task(receiver.serve())
    settings = service_settings(
        db_url, api_port=0, kakao_skill_secret=SECRET, kakao_answer_seconds=0.001
    )
    try:
        async with running_service(settings) as url, httpx.AsyncClient(base_url=url) as client:
            call = skill_request("kakao-callback", "안녕하세요")
            call["userRequest"]["callbackUrl"] = f"http://127.0.0.1:{port}/callback/once"
            first = await client.post(URL, json=call)
            assert first.json()["useCallback"] is True
            assert "잠시만요" in first.json()["data"]["text"]  # shown while she waits
            delivered = await asyncio.wait_for(arrived.get(), timeout=30)
            SkillAnswer.model_validate(delivered)
            assert "언어를 골라 주세요" in json.dumps(delivered, ensure_ascii=False)
    finally:
        receiver.should_exit = True
        await serving


async def test_erasing_my_data_under_my_profile_forgets_the_kept_answers(
    api: httpx.AsyncClient, db: Engine
) -> None:
    citizen = KakaoCitizen(api, URL, "kakao-erase")
    await onboard(citizen)
    await citizen.tap("⚙️ 내 정보·알림 설정")
    await citizen.tap("내 정보 모두 지우기")
    assert "정말 내 정보를 모두 지울까요?" in citizen.text()
    await citizen.tap("네, 모두 지워 주세요")
    assert "지웠어요" in citizen.text()
    with db.connect() as connection:  # the answers kept for retries and paging go too
        kept = connection.execute(
            select(func.count())
            .select_from(KakaoAnswer)
            .where(KakaoAnswer.user_key == "kakao-erase")
        ).scalar()
        queued = connection.execute(  # and the goodbye, shown: nothing waits to be sent
            select(func.count())
            .select_from(OutboxMessage)
            .where(OutboxMessage.chat_id == "kakao-erase")
        ).scalar()
    assert (kept, queued) == (0, 0)


async def test_news_kept_for_one_citizen_never_open_for_another(
    api: httpx.AsyncClient, db: Engine
) -> None:
    """The "📬 새 소식" button names a call; another user naming it gets nothing of it."""
    citizen = KakaoCitizen(api, URL, "kakao-news-owner")
    await onboard(citizen)
    await propose(citizen, "놀이터 바닥을 고쳐 주세요")
    _, token = make_staff(db, role=Role.STAFF)
    headers = {"Authorization": f"Bearer {token}"}
    filed = (await api.get("/api/v1/proposals", headers=headers)).json()["items"][0]["id"]
    await api.post(
        f"/api/v1/proposals/{filed}/status",
        json={"status": "accepted", "answer": "올해 안에 고치겠습니다."},
        headers=headers,
    )
    await citizen.say("처음으로")
    news = next(q for q in citizen.quick_replies() if q["label"].startswith("📬"))
    stranger = KakaoCitizen(api, URL, "kakao-news-stranger")
    await stranger.send(news["messageText"], news["extra"])
    assert "올해 안에 고치겠습니다" not in stranger.text()

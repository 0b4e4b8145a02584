"""Tailored notices end to end: the right citizens once each, at the rate Telegram allows,
blocked chats marked, quiet hours kept, two senders never doubling, a crash resumed."""

import asyncio
import signal
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest
from sqlalchemy import Engine, select, update
from telegram.ext import ExtBot

from bot.broadcast import Broadcaster
from bot.ratelimit import PriorityRateLimiter
from conversations.messages import default_catalog
from runtime.quiet_hours import QuietHours
from storage import notices
from storage.db import make_engine
from storage.models import AuditLog, Citizen, NoticeDelivery, NoticeOptOut
from storage.staff import Role
from tests.auxil.factories import make_citizen, make_staff
from tests.auxil.service import bot_settings, running_service
from tests.e2e.test_restart import service_process, wait_ready
from tests.fake_telegram.server import FakeTelegram, SimCitizen

SEOUL = ZoneInfo("Asia/Seoul")
NEVER_QUIET = QuietHours(0, 0, SEOUL)
QUEUED_AT = datetime(2026, 11, 24, 0, 0, tzinfo=UTC)


def citizens(db: Engine, first: int, count: int, **profile: object) -> list[int]:
    """Citizens whose Telegram chat ids are first, first + 1, …; returns the chat ids."""
    chats = list(range(first, first + count))
    for chat in chats:
        citizen_id = make_citizen(db, str(chat))
        with db.begin() as connection:
            connection.execute(
                update(Citizen).where(Citizen.id == citizen_id).values(onboarded=True, **profile)
            )
    return chats


def received(fake: FakeTelegram, chat: int, words: str) -> int:
    return sum(words in m.get("text", "") for m in fake.outbox[chat])


async def finished(api: httpx.AsyncClient, notice_id: int, headers: dict[str, str]) -> dict:
    for _ in range(600):
        report = (await api.get(f"/api/v1/notices/{notice_id}/report", headers=headers)).json()
        if report["status"] in ("sent", "cancelled"):
            return report
        await asyncio.sleep(0.05)
    raise AssertionError(f"notice {notice_id} did not finish: {report}")


async def send_urgent(
    api: httpx.AsyncClient, db: Engine, notice_id: int, headers: dict[str, str]
) -> None:
    """An urgent notice goes out once a colleague approves it (four eyes)."""
    asked = await api.post(f"/api/v1/notices/{notice_id}/send", json={}, headers=headers)
    assert asked.json()["status"] == "for_approval"
    colleague = {"Authorization": f"Bearer {make_staff(db, role=Role.STAFF)[1]}"}
    approved = await api.post(f"/api/v1/notices/{notice_id}/approve", headers=colleague)
    assert approved.status_code == 200, approved.text


async def link_own_telegram(
    api: httpx.AsyncClient, headers: dict[str, str], phone: SimCitizen
) -> None:
    """The staff member asks for a code and sends `/staff CODE` from her own Telegram."""
    code = (await api.post("/api/v1/staff/me/telegram", headers=headers)).json()["code"]
    await phone.say(f"/staff {code.lower()}")
    assert "연결되었어요" in (await phone.reply())["text"]


async def test_a_notice_reaches_the_matching_active_unmuted_citizens_once(
    fake: FakeTelegram, db: Engine, db_url: str
) -> None:
    fake.rate_limit = 20
    matching = citizens(db, 8001, 10, dong="인계동", interests=["welfare"])
    citizens(db, 8100, 1, dong="매탄3동", interests=["welfare"])
    stopped = citizens(db, 8200, 1, dong="인계동", notices_enabled=False)
    muted = citizens(db, 8300, 1, dong="인계동", muted_topics=["welfare"])
    blocked = citizens(db, 8400, 1, dong="지동")
    fake.block(blocked[0])
    headers = {"Authorization": f"Bearer {make_staff(db, role=Role.STAFF)[1]}"}
    settings = bot_settings(
        db_url, fake, telegram_max_rate=20, quiet_hours_start=0, quiet_hours_end=0
    )
    async with running_service(settings) as url, httpx.AsyncClient(base_url=url) as api:
        notice = {
            "text": "<b>어르신 독감 예방접종</b> 안내: 가까운 보건소로 오세요",
            "link_url": "https://example.org/flu",
            "link_label": "자세히 보기",
            "apply_flow": "care",
            "topics": ["welfare"],
            "audience": {"gus": ["팔달구"]},
        }
        created = await api.post("/api/v1/notices", json=notice, headers=headers)
        assert created.status_code == 201, created.text
        notice_id = created.json()["id"]
        preview = (await api.get(f"/api/v1/notices/{notice_id}/preview", headers=headers)).json()
        assert preview == {
            "recipients": 11,
            "over_budget": 0,
            "will_receive": 11,
            "by_channel": {"telegram": 11},
        }
        await link_own_telegram(api, headers, fake.citizen(9999))
        test = await api.post(f"/api/v1/notices/{notice_id}/test", json={}, headers=headers)
        assert test.status_code == 202
        sent = await api.post(f"/api/v1/notices/{notice_id}/send", json={}, headers=headers)
        assert sent.json()["status"] == "scheduled"
        report = await finished(api, notice_id, headers)

    assert (report["sent"], report["blocked"], report["queued"], report["progress"]) == (
        10,
        1,
        0,
        1.0,
    )
    assert all(received(fake, chat, "독감 예방접종") == 1 for chat in matching)
    assert all(received(fake, chat, "독감") == 0 for chat in (8100, *stopped, *muted))
    assert received(fake, 9999, "[테스트 발송]") == 1
    assert fake.rate_limited == 0
    with db.connect() as connection:
        active = connection.execute(
            select(Citizen.active).where(Citizen.chat_id == str(blocked[0]))  # type: ignore[call-overload]
        ).scalar()
    assert active is False
    message = next(m for m in fake.outbox[matching[0]] if "독감" in m.get("text", ""))
    labels = [b["text"] for row in message["reply_markup"]["inline_keyboard"] for b in row]
    assert labels == ["자세히 보기", "📝 신청하기", "🔕 이런 알림 줄이기"]


async def test_fewer_like_this_mutes_the_topic_and_apply_opens_the_service(
    fake: FakeTelegram, api: httpx.AsyncClient, db: Engine
) -> None:
    [chat] = citizens(db, 8501, 1, dong="인계동", interests=["welfare"], language="ko")
    headers = {"Authorization": f"Bearer {make_staff(db, role=Role.STAFF)[1]}"}
    body = {"text": "복지 소식", "topics": ["welfare"], "apply_flow": "care", "urgent": True}
    notice_id = (await api.post("/api/v1/notices", json=body, headers=headers)).json()["id"]
    await send_urgent(api, db, notice_id, headers)
    await finished(api, notice_id, headers)
    person = fake.citizen(chat)
    notice = await person.reply()
    await person.tap("🔕 이런 알림 줄이기", message=notice)
    assert "'복지' 알림은 더 보내지 않을게요" in (await person.reply())["text"]
    with db.connect() as connection:
        row = connection.execute(select(Citizen).where(Citizen.chat_id == str(chat))).one()
    assert row.muted_topics == ["welfare"] and row.interests == []
    with db.connect() as connection:  # counted for the dashboard, without the citizen
        opt_outs = connection.execute(select(NoticeOptOut.kind, NoticeOptOut.topic)).all()
    assert [tuple(r) for r in opt_outs] == [("mute", "welfare")]
    await person.tap("📝 신청하기", message=notice)
    assert "누구를 위한 신청인가요?" in (await person.reply())["text"]
    await person.say("/menu")
    await person.reply()
    await person.tap("📢 나에게 온 알림")
    assert "복지 소식" in (await person.reply())["text"]


async def test_cancelling_during_sending_stops_the_rest(
    fake: FakeTelegram, db: Engine, db_url: str
) -> None:
    """Waits on what happened, never on the clock: the fake holds Telegram still while the
    notice is cancelled, then lets go; nothing that was not out by then goes out."""
    chats = citizens(db, 8701, 60)
    headers = {"Authorization": f"Bearer {make_staff(db, role=Role.STAFF)[1]}"}
    settings = bot_settings(db_url, fake, telegram_max_rate=10)
    async with running_service(settings) as url, httpx.AsyncClient(base_url=url) as api:
        body = {"text": "행사 취소 전 안내", "topics": ["culture"], "urgent": True}
        notice_id = (await api.post("/api/v1/notices", json=body, headers=headers)).json()["id"]
        await send_urgent(api, db, notice_id, headers)
        while sum(received(fake, chat, "행사") for chat in chats) < 10:
            await asyncio.sleep(0.05)
        fake.hold()  # from here on, no copy reaches anybody until release
        reached = sum(received(fake, chat, "행사") for chat in chats)
        cancelled = await api.post(f"/api/v1/notices/{notice_id}/cancel", headers=headers)
        assert cancelled.json()["status"] == "cancelled"
        fake.release()  # the copies held in flight fail, as when Telegram hangs
    # The service has stopped: whatever could still go out has gone.
    assert sum(received(fake, chat, "행사") for chat in chats) == reached < 60
    with db.connect() as connection:
        report = notices.report(connection, notice_id)
    assert report == {"sent": reached, "cancelled": 60 - reached}


async def sender(
    fake: FakeTelegram, db: Engine, *, rate: float, quiet: QuietHours = NEVER_QUIET, clock=None
) -> tuple[Broadcaster, ExtBot]:  # type: ignore[no-untyped-def]
    bot = ExtBot(fake.token, base_url=fake.base_url, rate_limiter=PriorityRateLimiter(rate))
    await bot.initialize()
    options = {"clock": clock} if clock else {}
    return Broadcaster(db, default_catalog(), bot, quiet=quiet, **options), bot


def queue_notice(db: Engine, *, urgent: bool = False, text: str = "알림") -> int:
    with db.begin() as connection:
        notice_id = notices.create(connection, created_by=None, text=text, urgent=urgent)
        notices.move(connection, notice_id=notice_id, before=("draft",), after="sending")
        notices.queue(
            connection,
            notice_id=notice_id,
            audience=notices.Audience({}, [], {}),
            urgent=urgent,
            budget=3,
            now=QUEUED_AT,
        )
    return notice_id


async def test_quiet_hours_hold_ordinary_notices_until_morning_but_not_urgent_ones(
    fake: FakeTelegram, db: Engine
) -> None:
    [chat] = citizens(db, 8601, 1)
    queue_notice(db, text="동네 축제 안내")
    queue_notice(db, urgent=True, text="폭염 경보")
    night = datetime(2026, 11, 24, 22, 30, tzinfo=SEOUL).astimezone(UTC)
    broadcaster, bot = await sender(
        fake, db, rate=50, quiet=QuietHours(21, 8, SEOUL), clock=lambda: night
    )
    await broadcaster.send_batch()
    assert received(fake, chat, "폭염 경보") == 1 and received(fake, chat, "축제") == 0
    broadcaster.clock = lambda: datetime(2026, 11, 25, 8, 0, tzinfo=SEOUL).astimezone(UTC)
    await broadcaster.send_batch()
    assert received(fake, chat, "축제") == 1
    await bot.shutdown()


async def test_two_senders_on_one_queue_never_send_a_row_twice(
    fake: FakeTelegram, db: Engine, db_url: str
) -> None:
    chats = citizens(db, 9001, 120)
    queue_notice(db, text="공동 발송")
    other_process = make_engine(db_url)
    (first, first_bot), (second, second_bot) = (
        await sender(fake, db, rate=0),
        await sender(fake, other_process, rate=0),
    )
    first.batch = second.batch = 10
    while sum(await asyncio.gather(first.send_batch(), second.send_batch())):
        pass
    await first_bot.shutdown()
    await second_bot.shutdown()
    other_process.dispose()
    assert [received(fake, chat, "공동 발송") for chat in chats] == [1] * len(chats)


@pytest.mark.parametrize("stop", [signal.SIGKILL, signal.SIGTERM], ids=["killed", "stopped"])
async def test_a_stopped_sender_is_resumed_without_duplicates_or_gaps(
    fake: FakeTelegram, db: Engine, db_url: str, tmp_path: Path, stop: signal.Signals
) -> None:
    """Killed: messages Telegram never answered are sent again. Stopped: it finishes what is
    under way and hands the rest back."""
    fake.rate_limit = 10
    chats = citizens(db, 9501, 40)
    headers = {"Authorization": f"Bearer {make_staff(db, role=Role.STAFF)[1]}"}
    settings = {"TELEGRAM_MAX_RATE": "10", "BROADCAST_LEASE_SECONDS": "2"}
    with service_process(fake, db_url, tmp_path / "first.log", **settings) as first:
        await wait_ready(first)
        base = f"http://127.0.0.1:{first.port}"  # type: ignore[attr-defined]
        async with httpx.AsyncClient(base_url=base) as api:
            body = {"text": "단수 안내", "topics": ["safety"], "urgent": True}
            notice_id = (await api.post("/api/v1/notices", json=body, headers=headers)).json()[
                "id"
            ]
            await send_urgent(api, db, notice_id, headers)
        while sum(received(fake, chat, "단수 안내") for chat in chats) < 12:
            await asyncio.sleep(0.05)
        if stop == signal.SIGKILL:
            fake.hold()
            await asyncio.sleep(0.5)
        first.send_signal(stop)
        await asyncio.to_thread(first.wait, 20)
    with db.connect() as connection:
        left = connection.execute(
            select(NoticeDelivery.id).where(NoticeDelivery.status == "queued")  # type: ignore[call-overload]
        ).all()
    assert left, "the kill came after the end; nothing was left to resume"
    with service_process(fake, db_url, tmp_path / "second.log", **settings) as second:
        await wait_ready(second)
        fake.release()
        base = f"http://127.0.0.1:{second.port}"  # type: ignore[attr-defined]
        async with httpx.AsyncClient(base_url=base) as api:
            report = await finished(api, notice_id, headers)
    assert report["sent"] == 40
    assert [received(fake, chat, "단수 안내") for chat in chats] == [1] * len(chats)


async def test_test_copies_go_only_to_the_callers_own_linked_telegram(
    fake: FakeTelegram, api: httpx.AsyncClient, db: Engine
) -> None:
    staff_id, token = make_staff(db, role=Role.STAFF)
    headers = {"Authorization": f"Bearer {token}"}
    body = {"text": "시험 알림", "topics": ["welfare"]}
    notice_id = (await api.post("/api/v1/notices", json=body, headers=headers)).json()["id"]
    test = f"/api/v1/notices/{notice_id}/test"

    named = await api.post(test, json={"chat_id": "8700"}, headers=headers)
    assert named.status_code == 422  # no chat can be named, not even one's own
    unlinked = await api.post(test, json={}, headers=headers)
    assert unlinked.status_code == 409 and "/staff CODE" in unlinked.json()["reason"]

    stranger, phone = fake.citizen(8701), fake.citizen(8702)
    await stranger.say("/staff ABCD2345")
    assert "코드가 맞지 않거나" in (await stranger.reply())["text"]
    await link_own_telegram(api, headers, phone)
    linked = await api.get("/api/v1/staff/me/telegram", headers=headers)
    assert linked.json() == {"linked": True}
    assert (await api.post(test, json={"language": "ko"}, headers=headers)).status_code == 202
    copy = await phone.reply()
    assert "[테스트 발송]" in copy["text"] and "시험 알림" in copy["text"]
    assert fake.outbox[8701][-1]["text"].startswith("연결 코드가")  # nothing more for 8701

    await api.delete("/api/v1/staff/me/telegram", headers=headers)
    assert (await api.post(test, json={}, headers=headers)).status_code == 409
    with db.connect() as connection:
        logged = connection.execute(
            select(AuditLog.action, AuditLog.detail)  # type: ignore[call-overload]
            .where(AuditLog.staff_id == staff_id)
            .order_by(AuditLog.id)
        ).all()
    assert [
        (action, detail) for action, detail in logged if "telegram" in action or "test" in action
    ] == [
        ("staff.telegram_code", {}),
        ("staff.telegram_link", {}),
        ("notice.test", {"to": f"staff:{staff_id}"}),
        ("staff.telegram_unlink", {}),
    ]

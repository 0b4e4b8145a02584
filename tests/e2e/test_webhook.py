"""Webhook mode: Telegram posts to the API server, which checks the secret token header."""

from collections.abc import AsyncIterator

import httpx
import pytest

from bot.webhook import WEBHOOK_PATH
from tests.auxil.service import bot_settings, free_port, running_service
from tests.fake_telegram.server import FakeTelegram

SECRET = "loopback-test-secret-0123456789"


@pytest.fixture
async def webhook_service(fake: FakeTelegram, db_url: str) -> AsyncIterator[str]:
    port = free_port()
    settings = bot_settings(
        db_url, fake, webhook_url=f"http://127.0.0.1:{port}", webhook_secret=SECRET, api_port=port
    )
    async with running_service(settings) as url:
        yield url


async def test_webhook_is_registered_with_the_secret(
    fake: FakeTelegram, webhook_service: str
) -> None:
    assert fake.webhook_url == webhook_service + WEBHOOK_PATH
    assert fake.webhook_secret == SECRET


async def test_updates_through_the_webhook_reach_the_citizen(
    fake: FakeTelegram, webhook_service: str
) -> None:
    nam = fake.citizen(3001)
    await nam.say("안녕하세요")
    assert "언어" in (await nam.reply())["text"]
    await nam.tap("English (영어)")
    assert "big buttons" in (await nam.reply())["text"]


async def test_a_wrong_secret_is_refused_and_changes_nothing(
    fake: FakeTelegram, webhook_service: str
) -> None:
    update = fake.new_update(
        message={
            "message_id": 1,
            "date": 0,
            "text": "hi",
            "chat": {"id": 3002, "type": "private"},
            "from": {"id": 3002, "is_bot": False, "first_name": "X"},
        }
    )
    async with httpx.AsyncClient() as client:
        wrong = await client.post(
            fake.webhook_url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "nope"}
        )
        missing = await client.post(fake.webhook_url, json=update)
        garbage = await client.post(
            fake.webhook_url,
            content=b"{not json",
            headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
        )
    assert (wrong.status_code, missing.status_code) == (403, 403)
    assert wrong.json()["error"] == "forbidden"
    assert garbage.status_code == 400
    assert fake.outbox[3002] == []


async def test_a_redelivered_update_is_handled_once(
    fake: FakeTelegram, webhook_service: str
) -> None:
    go = fake.citizen(3003)
    update = await go.say("안녕")
    await go.reply()
    response = await fake.deliver(update)
    assert response is not None and response.status_code == 200
    assert await go.quiet(0.5)


@pytest.mark.parametrize(
    "body",
    [
        {"update_id": "abc"},
        {"update_id": 7, "message": [1, 2]},
        {"update_id": 8, "message": {"message_id": 1, "text": "hi"}},
        {"update_id": 9, "message": {"message_id": 1, "text": "hi", "chat": {"id": 1}}},
        {"update_id": 10, "callback_query": {"id": "1"}},
        [1, 2, 3],
    ],
    ids=[
        "update id not a number",
        "message a list",
        "no chat nor date",
        "no date",
        "bad button",
        "a list",
    ],
)
async def test_a_malformed_body_is_a_400_with_one_log_line(
    webhook_service: str, body: object, caplog: pytest.LogCaptureFixture
) -> None:
    async with httpx.AsyncClient(base_url=webhook_service) as client:
        response = await client.post(
            WEBHOOK_PATH, json=body, headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}
        )
    assert response.status_code == 400
    assert response.json()["reason"] == "body is not a Telegram update"
    refused = [r for r in caplog.records if r.levelname in ("WARNING", "ERROR")]
    assert [r.getMessage() for r in refused] == ["webhook body refused: not a Telegram update"]

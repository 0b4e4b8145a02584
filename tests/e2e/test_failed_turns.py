"""A turn that fails is never acknowledged in silence: the citizen hears an apology."""

import logging

import httpx
import pytest

from storage.sealing import Sealer
from tests.auxil.service import bot_settings, running_service
from tests.fake_telegram.server import FakeTelegram


@pytest.mark.parametrize("workers", [0, 1], ids=["thread", "worker process"])
async def test_a_turn_whose_state_does_not_open_is_answered_with_an_apology(
    fake: FakeTelegram, db_url: str, workers: int, caplog: pytest.LogCaptureFixture
) -> None:
    lee = fake.citizen(4101)
    async with running_service(bot_settings(db_url, fake, turn_workers=workers)):
        await lee.say("안녕하세요")
        assert "언어를 골라 주세요" in (await lee.reply())["text"]
    # The service comes back with another (well-formed) data key: the stored state is sealed
    # with a key it no longer has, so the turn cannot succeed however often it is tried.
    other_key = Sealer.new_key()
    settings = bot_settings(db_url, fake, turn_workers=workers, data_keys=other_key)
    with caplog.at_level(logging.ERROR, logger="bot.app"):
        async with running_service(settings) as url:
            update = await lee.say("한국어")
            assert "처리하지 못했어요" in (await lee.reply())["text"]
            async with httpx.AsyncClient(base_url=url) as client:
                ready = await client.get("/readyz")
                metrics = (await client.get("/metrics")).text
    assert 'toktok_turns_failed_total{action="apologise"}' in metrics
    assert ready.status_code == 503
    assert ready.json()["reason"] == "the data keys do not open the stored data"
    failures = [r.getMessage() for r in caplog.records if "failed" in r.getMessage()]
    assert failures == [
        f"update {update['update_id']} failed (apologise): LastingFailure "
        "the citizen's sealed state does not open"
    ]

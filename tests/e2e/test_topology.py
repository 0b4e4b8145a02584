"""A city's topology on one PostgreSQL: three web processes taking Telegram's webhook (each
citizen's updates spread over them at random), two senders and two schedulers.

Every citizen's conversation is what one process gives; every notice recipient gets the
notice once; a survey opens once; and the two senders together keep the one sending budget
(the fake Bot API answers 429 above it: none is seen).
"""

import asyncio
import re
import subprocess
from contextlib import ExitStack
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine

from storage.models import utcnow
from storage.staff import Role
from tests.api.test_polls_api import survey as a_survey
from tests.auxil.factories import make_staff
from tests.auxil.processes import toktok_process
from tests.e2e.test_notices import citizens, finished, received
from tests.e2e.test_restart import wait_ready
from tests.fake_telegram.server import FakeTelegram

RATE = 20
ONBOARDING = (
    ("say", "안녕하세요", "언어를 골라 주세요"),
    ("tap", "한국어", "버튼을 크게"),
    ("tap", "보통으로", "개인정보 수집·이용 안내"),
    ("tap", "동의하지 않습니다", "무엇을 도와드릴까요"),
)


async def onboard(fake: FakeTelegram, user: int) -> list[str]:
    citizen = fake.citizen(user)
    heard = []
    for how, what, expected in ONBOARDING:
        await (citizen.say(what) if how == "say" else citizen.tap(what))
        reply = await citizen.reply(timeout=30)
        assert expected in reply["text"], (user, what, reply["text"])
        heard.append(reply["text"])
    return heard


def most_in_one_second(times: list[float]) -> int:
    times = sorted(times)
    return max(sum(1 for t in times[i:] if t - start < 1.0) for i, start in enumerate(times))


async def test_three_web_two_senders_two_schedulers_on_one_postgresql(
    fake: FakeTelegram, db: Engine, db_url: str, tmp_path: Path
) -> None:
    if not db_url.startswith("postgresql"):
        pytest.skip("several processes need PostgreSQL (the PostgreSQL run covers this)")
    # Half a budget more than allowed in any second: a busy machine may bunch a few messages
    # (a process waking late), never send a second budget's worth — two senders each with
    # their own budget would, and meet 429s here.
    fake.rate_limit = RATE + RATE // 2
    recipients = citizens(db, 9000, 60, dong="인계동", interests=["welfare"])
    headers = {"Authorization": f"Bearer {make_staff(db, role=Role.STAFF)[1]}"}

    with ExitStack() as stack:

        def role(name: str, n: int) -> subprocess.Popen:
            log = tmp_path / f"{name}{n}.log"
            return stack.enter_context(
                toktok_process(fake, db_url, log, f"--{name}", TELEGRAM_MAX_RATE=str(RATE))
            )

        webs = [role("web", n) for n in range(3)]
        senders = [role("sender", n) for n in range(2)]
        schedulers = [role("scheduler", n) for n in range(2)]
        await asyncio.gather(*(wait_ready(p) for p in (*webs, *senders, *schedulers)))
        fake.webhook_targets = [w.webhook for w in webs]  # type: ignore[attr-defined]

        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{webs[0].port}") as api:
            notice = {"text": "인계동 주민 설명회 안내", "topics": ["welfare"],
                      "audience": {"gus": ["팔달구"]}}  # fmt: skip
            notice_id = (await api.post("/api/v1/notices", json=notice, headers=headers)).json()[
                "id"
            ]
            await api.post(f"/api/v1/notices/{notice_id}/send", json={}, headers=headers)
            soon = (utcnow() + timedelta(seconds=2)).isoformat()
            survey = a_survey(opens_at=soon)
            poll = await api.post("/api/v1/polls", json=survey, headers=headers)
            assert poll.status_code == 201, poll.text
            poll_id = poll.json()["id"]
            scheduled = await api.post(f"/api/v1/polls/{poll_id}/schedule", headers=headers)
            assert scheduled.json()["status"] == "scheduled"

            # Citizens talk while the notice goes out: their replies share the budget.
            conversations = await asyncio.gather(*(onboard(fake, 7000 + n) for n in range(12)))
            report = await finished(api, notice_id, headers)
            for _ in range(200):
                opened = await api.get(f"/api/v1/polls/{poll_id}", headers=headers)
                if opened.json()["status"] == "open":
                    break
                await asyncio.sleep(0.05)
            assert opened.json()["status"] == "open"

    assert all(heard == conversations[0] for heard in conversations)
    assert all(len(fake.outbox[7000 + n]) == len(ONBOARDING) for n in range(12))
    assert report["sent"] == len(recipients)
    assert all(received(fake, chat, "주민 설명회") == 1 for chat in recipients)
    sends = [m["received_at"] for chat in recipients for m in fake.outbox[chat]]
    sends += [m["received_at"] for n in range(12) for m in fake.outbox[7000 + n]]
    assert fake.rate_limited == 0
    assert most_in_one_second(sends) <= RATE + RATE // 2
    # Over the whole notice, the two senders together kept the one rate.
    notice_sends = sorted(m["received_at"] for chat in recipients for m in fake.outbox[chat])
    span = notice_sends[-1] - notice_sends[0]
    assert (len(notice_sends) - 1) / span <= RATE * 1.1
    opened_by = [
        len(re.findall(rf"poll {poll_id}: open", p.log.read_text()))  # type: ignore[attr-defined]
        for p in schedulers
    ]
    assert sum(opened_by) == 1, opened_by
    assert all("starting as sender" in s.log.read_text() for s in senders)  # type: ignore[attr-defined]

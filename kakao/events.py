"""Telling KakaoTalk citizens that news is waiting, through Kakao's Event API (paid: each
message costs the city, `KAKAO_EVENT_WON`), where the city has it.

A bot cannot speak first on KakaoTalk. With the Event API, the sender process posts an
event for each citizen who has news they were not yet told of (answers, care status,
notices); Kakao runs the event's block, whose skill call carries the parameter
`toktok=news`, and the skill answers with the news (`kakao/skill.py`). Each citizen is told
once per news (`kakao_poke`), at most `rate` requests a second, a hundred citizens each.
"""

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import datetime

import httpx
from prometheus_client import Counter
from sqlalchemy import Engine

from storage import kakao_pokes
from storage.db import transaction, writer_lock
from storage.models import utcnow

log = logging.getLogger(__name__)
CHANNEL = "kakao"
EVENT_PARAMETER = ("toktok", "news")  # set on the event block's skill call
PER_REQUEST = 100
EVENTS = Counter(
    "toktok_kakao_events_total",
    "Citizens told through Kakao's Event API that news is waiting (each one is paid for).",
)


class EventSender:
    def __init__(
        self,
        db: Engine,
        *,
        api_url: str,
        bot_id: str,
        api_key: str,
        event_name: str,
        rate: float,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.db = db
        self.url = f"{api_url.rstrip('/')}/v2/bots/{bot_id}/talk"
        self.headers = {"Authorization": f"KakaoAK {api_key}"}
        self.event_name = event_name
        self.interval = 1.0 / rate
        self.clock = clock
        self._stopping = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self.run(), name="kakao-events")

    async def stop(self) -> None:
        self._stopping.set()
        if self._task is not None:
            await self._task

    async def run(self) -> None:
        async with httpx.AsyncClient(timeout=10) as client:
            while not self._stopping.is_set():
                try:
                    await self.tell_untold(client)
                except Exception:  # the database or Kakao briefly down: the next round retries
                    log.exception("telling Kakao citizens of their news failed")
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stopping.wait(), 1.0)

    async def tell_untold(self, client: httpx.AsyncClient) -> int:
        """One round: every citizen with untold news, told; how many."""
        chats = await asyncio.to_thread(self._untold)
        told = 0
        for start in range(0, len(chats), PER_REQUEST):
            batch = chats[start : start + PER_REQUEST]
            body = {
                "event": {"name": self.event_name},
                "user": [{"type": "botUserKey", "id": chat} for chat in batch],
            }
            answered = await client.post(self.url, json=body, headers=self.headers)
            if answered.status_code >= 300:
                log.warning(
                    "Kakao's Event API refused %d citizens: %s", len(batch), answered.status_code
                )
                break
            await asyncio.to_thread(self._told, batch)
            EVENTS.inc(len(batch))
            told += len(batch)
            await asyncio.sleep(self.interval)
        return told

    def _untold(self) -> list[str]:
        with transaction(self.db) as session:
            return kakao_pokes.untold(session.connection(), channel=CHANNEL)

    def _told(self, chats: list[str]) -> None:
        with writer_lock(self.db), transaction(self.db) as session:
            kakao_pokes.told(session.connection(), chat_ids=chats, now=self.clock())

"""`POST /kakao/skill/{secret}`: Kakao i Open Builder calls it for every utterance (a
fallback block that calls the skill), and waits up to five seconds for the answer.

One call is one turn through the same runtime as Telegram (channel `kakao`; the citizen is
Kakao's user key). Kakao sends no request id, so a call is known by a hash of the user, the
words and the pressed button's extra: the same call again within `RETRY_WITHIN` of the first
one's start (Kakao's retry after its five seconds, or a double tap) gets the first one's
replies (kept sealed in `kakao_answer`; waited for while its turn still runs), never a
second turn.
A bot cannot speak first on Kakao without the paid Event API, so what staff told the
citizen meanwhile (answers, care status) waits in the outbox and comes first in the next
answer ("새 소식 N건이 있어요"). Paging ("더 보기", "다음 ▶") redraws the latest answer
without a turn.
"""

import asyncio
import hashlib
import hmac
import html
import json
import logging
import re
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from fastapi import APIRouter, HTTPException, Request, status
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from sqlalchemy import Engine

from conversations.events import Reply
from conversations.messages import Catalog
from kakao.inbound import event_from
from kakao.models import SkillRequest
from kakao.render import FIRST, Page, render
from runtime.logs import request_id
from runtime.turn import Outgoing, Runtime
from runtime.workers import Turns
from storage import kakao_answers, notices
from storage.db import transaction, writer_lock
from storage.models import utcnow

log = logging.getLogger(__name__)
CHANNEL = "kakao"
RETRY_WITHIN = timedelta(seconds=8)
# A retry that arrives while the first call's turn is still running waits for its answer.
WAIT_FOR_FIRST = 4.0
# Kakao waits five seconds: a turn not done by then is answered "잠시만요", and its replies
# come first in the citizen's next answer.
ANSWER_WITHIN = 4.0


def request_key(user: str, utterance: str, extra: dict[str, Any] | None) -> str:
    said = json.dumps([user, utterance, extra or {}], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(said.encode()).hexdigest()


def skill_router(
    *,
    secret: str,
    runtime: Runtime,
    turns: Turns,
    catalog: Catalog,
    clock: Callable[[], datetime] = utcnow,
    answer_within: float = ANSWER_WITHIN,
) -> APIRouter:
    router = APIRouter(include_in_schema=False)
    db: Engine = runtime.db
    finishing: set[asyncio.Future[None]] = set()  # turns that outlasted their answer

    def opened(sealed: dict[str, Any]) -> list[Reply]:
        return [Reply.from_dict(reply) for reply in runtime.sealer.open_json(sealed)]

    def latest(user: str) -> list[Reply] | None:
        with transaction(db) as session:
            sealed = kakao_answers.latest(session.connection(), user_key=user)
        return opened(sealed) if sealed is not None else None

    def earlier(key: str) -> tuple[int, list[Reply] | None] | None:
        """The same call made a moment ago: its id and replies (None while it runs)."""
        with transaction(db) as session:
            found = kakao_answers.recent(
                session.connection(), request_key=key, since=clock() - RETRY_WITHIN
            )
        if found is None:
            return None
        return found[0], opened(found[1]) if found[1] is not None else None

    def held_notices(user: str) -> list[str]:
        with writer_lock(db), transaction(db) as session:
            return notices.held_for(
                session.connection(), channel=CHANNEL, chat_id=user, now=clock()
            )

    def answer_of(call_id: int) -> list[Reply] | None:
        with transaction(db) as session:
            sealed = kakao_answers.replies_of(session.connection(), call_id=call_id)
        return opened(sealed) if sealed is not None else None

    def start(user: str, key: str) -> int:
        with writer_lock(db), transaction(db) as session:
            return kakao_answers.started(
                session.connection(), user_key=user, request_key=key, now=clock()
            )

    def keep(call_id: int, replies: list[Reply]) -> None:
        sealed = runtime.sealer.seal_json([reply.to_dict() for reply in replies])
        with writer_lock(db), transaction(db) as session:
            kakao_answers.answered(session.connection(), call_id=call_id, sealed=sealed)

    def answer(replies: list[Reply], page: Page = FIRST) -> JSONResponse:
        return JSONResponse(render(replies, catalog, catalog.default_language, page).to_json())

    @router.post("/kakao/skill/{given}")
    async def skill(given: str, request: Request) -> JSONResponse:
        if not hmac.compare_digest(given.encode(), secret.encode()):
            raise HTTPException(status.HTTP_404_NOT_FOUND, "not found")
        try:
            asked = SkillRequest.model_validate(await request.json())
        except (ValidationError, ValueError):
            raise HTTPException(status.HTTP_400_BAD_REQUEST, "not a Kakao skill request") from None
        user = asked.userRequest.user.id
        extra = asked.action.clientExtra
        page = Page.from_extra(extra)
        if page is not None:
            shown = await asyncio.to_thread(latest, user)
            if shown:
                return answer(shown, page)
            extra = None  # nothing kept to page through: the words are taken as typed
        key = request_key(user, asked.userRequest.utterance, extra)
        with request_id(f"{CHANNEL}-{key[:12]}"):
            found = await asyncio.to_thread(earlier, key)
            if found is not None:
                return await _repeat(*found)
            call_id = await asyncio.to_thread(start, user, key)
            return await _turn(user, asked.userRequest.utterance, extra, call_id)

    async def _turn(
        user: str, utterance: str, extra: dict[str, Any] | None, call_id: int
    ) -> JSONResponse:
        news = await asyncio.to_thread(
            runtime.unsent, channel=CHANNEL, older_than=timedelta(0), chat_id=user
        )
        news_replies = [item.reply for item in news] + [
            Reply(plain(text)) for text in await asyncio.to_thread(held_notices, user)
        ]
        turn = asyncio.ensure_future(
            turns.handle(
                channel=CHANNEL,
                external_id=user,
                chat_id=user,
                event=event_from(utterance, extra, catalog),
                update_id=None,
                message_ref=None,
            )
        )
        try:
            outgoing: list[Outgoing] = await asyncio.wait_for(asyncio.shield(turn), answer_within)
        except TimeoutError:
            # The turn goes on; its replies stay in the outbox for the next answer.
            finishing.add(asyncio.ensure_future(_leave_for_next_call(turn)))
            waiting = [
                *_with_news(news_replies, catalog),
                Reply(catalog.text(None, "channel.wait")),
            ]
            await asyncio.to_thread(keep, call_id, waiting)
            await asyncio.to_thread(runtime.confirm, sent=[item.outbox_id for item in news])
            log.info(
                "a Kakao turn outlasted %.3f s; its replies wait for the next call", answer_within
            )
            return answer(waiting)
        replies = _with_news(news_replies, catalog) + [item.reply for item in outgoing]
        await asyncio.to_thread(keep, call_id, replies)
        sent = [item.outbox_id for item in (*news, *outgoing)]
        await asyncio.to_thread(runtime.confirm, sent=sent)
        return answer(replies)

    async def _leave_for_next_call(turn: "asyncio.Future[list[Outgoing]]") -> None:
        try:
            outgoing = await turn
            await asyncio.to_thread(runtime.release, outbox_ids=[o.outbox_id for o in outgoing])
        except Exception:  # the turn failed: nothing was stored, the citizen will ask again
            log.exception("a Kakao turn that outlasted its answer failed")
        finally:
            finishing.discard(asyncio.current_task())  # type: ignore[arg-type]

    async def _repeat(call_id: int, replies: list[Reply] | None) -> JSONResponse:
        """The answer of the same call made a moment ago, once its turn has ended."""
        for _ in range(int(WAIT_FOR_FIRST / 0.1)):
            if replies is not None:
                return answer(replies)
            await asyncio.sleep(0.1)
            replies = await asyncio.to_thread(answer_of, call_id)
        log.warning("a repeated Kakao call found no answer to repeat")
        return answer([Reply(catalog.text(None, "channel.wait"))])

    return router


def _with_news(news: list[Reply], catalog: Catalog) -> list[Reply]:
    """What the city told the citizen since their last message, under one heading."""
    if not news:
        return []
    heading = Reply(catalog.text(None, "channel.news", count=len(news)))
    return [heading, *(Reply(reply.text) for reply in news)]


def plain(html_text: str) -> str:
    """A notice's words without Telegram's formatting tags (KakaoTalk shows plain text)."""
    return html.unescape(re.sub(r"<[^>]+>", "", html_text))


ANSWERS_KEPT = timedelta(days=1)


def forget_old_answers(db: Engine, *, now: datetime | None = None) -> int:
    """Forgets skill answers older than a day (they only serve retries and paging)."""
    with writer_lock(db), transaction(db) as session:
        return kakao_answers.forget_before(
            session.connection(), moment=(now or utcnow()) - ANSWERS_KEPT
        )

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
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import httpx
from fastapi import APIRouter, HTTPException, Request, status
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from sqlalchemy import Engine

from conversations.events import Reply
from conversations.messages import Catalog
from kakao.charts import ChartSigner
from kakao.events import EVENT_PARAMETER
from kakao.inbound import event_from
from kakao.models import CALL_BACK, SkillRequest
from kakao.render import FIRST, Page, render
from runtime.logs import request_id
from runtime.turn import Outgoing, Runtime
from runtime.workers import Turns
from storage import kakao_answers, notices, state
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
CLAIM = timedelta(minutes=1)


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
    pictures: ChartSigner | None = None,
) -> APIRouter:
    """The skill route; `pictures` serves results charts (without it, their figures only)."""
    router = APIRouter(include_in_schema=False)
    db: Engine = runtime.db
    finishing: set[asyncio.Future[None]] = set()  # work going on after its answer

    def opened(sealed: dict[str, Any]) -> list[Reply]:
        return [Reply.from_dict(reply) for reply in runtime.sealer.open_json(sealed)]

    def latest(user: str) -> list[Reply] | None:
        with transaction(db) as session:
            sealed = kakao_answers.latest(session.connection(), user_key=user)
        return opened(sealed) if sealed is not None else None

    def answer_of(call_id: int) -> list[Reply] | None:
        with transaction(db) as session:
            sealed = kakao_answers.replies_of(session.connection(), call_id=call_id)
        return opened(sealed) if sealed is not None else None

    def before_turn(user: str, key: str) -> Before:
        """One transaction before the turn: the same call made a moment ago, or this call
        noted, with what the city said meanwhile (claimed replies of staff, held notices)."""
        now = clock()
        with writer_lock(db), transaction(db) as session:
            connection = session.connection()
            found = kakao_answers.recent(connection, request_key=key, since=now - RETRY_WITHIN)
            if found is not None:
                call_id, sealed = found
                replies = opened(sealed) if sealed is not None else None
                return Before(call_id, replies, [], [], fresh=False)
            call_id = kakao_answers.started(connection, user_key=user, request_key=key, now=now)
            rows = state.claim_unsent(
                session,
                channel=CHANNEL,
                now=now,
                created_before=now,
                claim_until=now + CLAIM,
                chat_id=user,
            )
            held = notices.held_for(connection, channel=CHANNEL, chat_id=user, now=now)
        news = [Reply.from_dict(runtime.sealer.open_json(row.payload)) for row in rows]
        news += [Reply(plain(text)) for text in held]
        return Before(call_id, None, news, [row.id for row in rows if row.id is not None])

    def after_turn(call_id: int, replies: list[Reply], sent: list[int]) -> None:
        """One transaction after it: the answer kept, what was shown marked sent."""
        sealed = runtime.sealer.seal_json([reply.to_dict() for reply in replies])
        with writer_lock(db), transaction(db) as session:
            kakao_answers.answered(session.connection(), call_id=call_id, sealed=sealed)
            state.mark_sent(session, message_ids=sent)

    def answer_body(replies: list[Reply], page: Page = FIRST) -> dict[str, Any]:
        picture = pictures.url if pictures is not None else None
        return render(replies, catalog, catalog.default_language, page, picture).to_json()

    def answer(replies: list[Reply], page: Page = FIRST) -> JSONResponse:
        return JSONResponse(answer_body(replies, page))

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
        if _is_event(asked):
            return await _news_only(user, request_key(user, "", {"event": True}))
        with request_id(f"{CHANNEL}-{key[:12]}"):
            before = await asyncio.to_thread(before_turn, user, key)
            if before.repeated is not None or not before.fresh:
                return await _repeat(before.call_id, before.repeated)
            return await _turn(
                user, asked.userRequest.utterance, extra, before, asked.userRequest.callbackUrl
            )

    async def _turn(
        user: str,
        utterance: str,
        extra: dict[str, Any] | None,
        before: "Before",
        callback: str | None,
    ) -> JSONResponse:
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
        news = _with_news(before.news, catalog)
        try:
            outgoing: list[Outgoing] = await asyncio.wait_for(asyncio.shield(turn), answer_within)
        except TimeoutError:
            if callback is not None:  # Kakao takes the answer at callbackUrl when it is ready
                _later(_call_back(callback, turn, news, before))
                return JSONResponse(CALL_BACK)
            # The turn goes on; its replies stay in the outbox for the next answer.
            _later(_leave_for_next_call(turn))
            waiting = [*news, Reply(catalog.text(None, "channel.wait"))]
            await asyncio.to_thread(after_turn, before.call_id, waiting, before.news_ids)
            log.info(
                "a Kakao turn outlasted %.3f s; its replies wait for the next call", answer_within
            )
            return answer(waiting)
        replies = news + [item.reply for item in outgoing]
        sent = before.news_ids + [item.outbox_id for item in outgoing]
        # Kept before answering: "다음 ▶" on this answer pages through what is kept.
        await asyncio.to_thread(after_turn, before.call_id, replies, sent)
        return answer(replies)

    async def _news_only(user: str, key: str) -> JSONResponse:
        """The Event API's call: the waiting news, with the choices the citizen had (no turn:
        the conversation stays where it was)."""
        before = await asyncio.to_thread(before_turn, user, key)
        if not before.fresh:
            return await _repeat(before.call_id, before.repeated)
        last = await asyncio.to_thread(latest, user) or []
        asking = [reply for reply in last if reply.choices][-1:]
        replies = _with_news(before.news, catalog) + asking
        replies = replies or [Reply(catalog.text(None, "channel.nothing_new"))]
        await asyncio.to_thread(after_turn, before.call_id, replies, before.news_ids)
        return answer(replies)

    async def _call_back(
        url: str, turn: "asyncio.Future[list[Outgoing]]", news: list[Reply], before: "Before"
    ) -> None:
        """Posts the turn's answer to Kakao's one-time callback address; if that fails, the
        replies come with the citizen's next answer instead."""
        outgoing: list[Outgoing] = []
        try:
            outgoing = await turn
            replies = news + [item.reply for item in outgoing]
            async with httpx.AsyncClient(timeout=10) as client:
                posted = await client.post(url, json=answer_body(replies))
            posted.raise_for_status()
        except Exception:
            log.warning("the Kakao callback failed; the replies wait for the next call")
            ids = [item.outbox_id for item in outgoing] + before.news_ids
            await asyncio.to_thread(runtime.release, outbox_ids=ids)
            return
        sent = before.news_ids + [item.outbox_id for item in outgoing]
        await asyncio.to_thread(after_turn, before.call_id, replies, sent)

    def _later(work: Awaitable[None]) -> None:
        task = asyncio.ensure_future(work)
        finishing.add(task)
        task.add_done_callback(finishing.discard)

    async def _leave_for_next_call(turn: "asyncio.Future[list[Outgoing]]") -> None:
        try:
            outgoing = await turn
            await asyncio.to_thread(runtime.release, outbox_ids=[o.outbox_id for o in outgoing])
        except Exception:  # the turn failed: nothing was stored, the citizen will ask again
            log.exception("a Kakao turn that outlasted its answer failed")

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


def _is_event(asked: SkillRequest) -> bool:
    """A call from the block Kakao runs for our Event API event (`kakao/events.py`)."""
    name, value = EVENT_PARAMETER
    return str(asked.action.params.get(name, "")) == value


@dataclass(frozen=True)
class Before:
    """What `before_turn` found: a repeated call (`repeated`: its replies, None while its
    turn runs, `fresh` False), or a new one with the news to show first."""

    call_id: int
    repeated: list[Reply] | None
    news: list[Reply]
    news_ids: list[int]
    fresh: bool = True


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

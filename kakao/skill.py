"""`POST /kakao/skill/{secret}`: Kakao i Open Builder calls it for every utterance (a
fallback block that calls the skill), and waits five seconds for the answer.

One call is one turn through the same runtime as Telegram (channel `kakao`; the citizen is
Kakao's user key). Kakao sends no request id, so a call is known by a hash of the user, the
words, the pressed button's extra and where the conversation stood: the latest answer the
citizen saw. The same call again within `RETRY_WITHIN` from the same place (Kakao's retry,
a double tap) gets the first one's replies (kept sealed in `kakao_answer`, with the call, in
its turn's transaction: a resend arriving meanwhile waits for it), never a second turn; the
same words after a new answer are a new turn.

The five seconds count from the request's arrival, database waits included: whatever is
not done `answer_within` seconds after it (3.5 by default, leaving Kakao's network its
margin) is answered "잠시만요" with a button to see the answer, and goes on; its replies
wait for the citizen's next call, which shows them as what they are (a late answer) and
does not apply her new words to a question she has not seen. With a callback address the
answer goes there instead, the waiting words shown meanwhile.

A bot cannot speak first on Kakao without the paid Event API, so what the city told the
citizen meanwhile (answers, care status, notices) waits and comes after the answer she
asked for, as one line and a quick reply ("📬 새 소식 2건") that opens it, each notice with
its own buttons (fewer like this, apply) and its link. Paging ("더 보기", "다음 ▶") redraws
the latest answer without a turn.
"""

import asyncio
import hmac
import logging
import time
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
from kakao.call import (
    CHANNEL,
    CHECK,
    EVENT,
    Before,
    Kept,
    SkillCall,
    keep_answer,
    keep_waiting,
    request_key,
)
from kakao.charts import ChartSigner
from kakao.events import EVENT_PARAMETER
from kakao.inbound import event_from
from kakao.models import (
    CALL_BACK,
    Output,
    QuickReply,
    SimpleText,
    SkillAnswer,
    SkillRequest,
    Template,
)
from kakao.render import FIRST, Page, render, short
from runtime.logs import request_id
from runtime.turn import Outgoing, Runtime
from runtime.workers import Turns
from storage import kakao_answers
from storage.db import transaction, writer_lock
from storage.models import utcnow

log = logging.getLogger(__name__)
# Seconds from a request's arrival to its answer: Kakao waits five for the whole round trip.
ANSWER_WITHIN = 3.5
# The part of the answer time left for handing a kept answer back from the turn's process.
HAND_BACK = 0.25
NEWS = "news"  # {"news": call id}: the news kept with that call's answer


@dataclass
class Progress:
    """Shared by a call's answer and its work: once `late`, the citizen was told to wait,
    and the work gives its answer to the callback address or leaves it for the next call."""

    late: bool = False


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
    finishing: set[asyncio.Future[Any]] = set()  # work going on after its answer

    def opened(sealed: dict[str, Any]) -> Kept:
        return Kept.opened(runtime.sealer, sealed)

    def latest(user: str) -> tuple[int, Kept] | None:
        """The citizen's latest answered call: its id and what it was answered with."""
        with transaction(db) as session:
            found = kakao_answers.latest(session.connection(), user_key=user)
        return (found[0], opened(found[1])) if found is not None else None

    def kept_of(call_id: int, user: str) -> Kept | None:
        """What this citizen's call `call_id` was answered with (None: not theirs, or not yet)."""
        with transaction(db) as session:
            connection = session.connection()
            sealed = kakao_answers.replies_of(connection, call_id=call_id, user_key=user)
        return opened(sealed) if sealed is not None else None

    def called_back(user: str, before: Before, kept: Kept, sent: list[int], erased: bool) -> None:
        """The answer reached the citizen through the callback address after all."""
        with writer_lock(db), transaction(db) as session:
            keep_answer(
                session.connection(),
                sealer=runtime.sealer,
                user=user,
                before=before,
                kept=kept,
                sent=sent,
                shown=True,
                now=clock(),
                erased=erased,
            )

    def waited(user: str, before: Before, sent: list[int]) -> None:
        """The citizen was told to wait: that is the call's answer; the rest waits for her."""
        with writer_lock(db), transaction(db) as session:
            keep_waiting(
                session.connection(),
                sealer=runtime.sealer,
                catalog=catalog,
                user=user,
                before=before,
                sent=sent,
                now=clock(),
            )

    def answer_body(kept: Kept, call_id: int | None, page: Page = FIRST) -> dict[str, Any]:
        """The answer drawn; its news opens from the kept call (none kept: an erased
        citizen's goodbye)."""
        picture = pictures.url if pictures is not None else None
        pinned = [news_button(kept, call_id)] if kept.news and call_id is not None else []
        replies = [*kept.replies, *news_line(kept)]
        return render(replies, catalog, kept.language, page, picture, pinned).to_json()

    def news_button(kept: Kept, call_id: int) -> QuickReply:
        label = catalog.text(kept.language, "channel.news_button", count=len(kept.news))
        return QuickReply(label=short(label), messageText=label, extra={NEWS: call_id})

    def news_line(kept: Kept) -> list[Reply]:
        if not kept.news:
            return []
        return [Reply(catalog.text(kept.language, "channel.news", count=len(kept.news)))]

    def news_body(kept: Kept) -> dict[str, Any]:
        """The news kept with an answer, each with its buttons, and the way back to it."""
        back = catalog.text(kept.language, "channel.back_to_answer")
        buttons = [b for reply in kept.news for b in reply.buttons]
        news = [Reply(reply.text) for reply in kept.news]  # their buttons, together, last
        news[-1] = Reply(news[-1].text, buttons=tuple(dict.fromkeys(buttons)))
        way_back = QuickReply(label=short(back), messageText=back, extra=FIRST.extra())
        return render(news, catalog, kept.language, FIRST, None, [way_back]).to_json()

    def waiting_body(language: str | None) -> dict[str, Any]:
        """ "잠시만요", with a button to see the answer when it is ready and the way home:
        drawn without the database, which may be what is slow."""
        see = catalog.text(language, "channel.see_answer")
        home = catalog.text(language, "nav.home")
        waiting = Output(simpleText=SimpleText(text=catalog.text(language, "channel.wait")))
        quick = [
            QuickReply(label=short(see), messageText=see, extra=CHECK),
            QuickReply(label=short(home), messageText=home),
        ]
        return SkillAnswer(template=Template(outputs=[waiting], quickReplies=quick)).to_json()

    @router.post("/kakao/skill/{given}")
    async def skill(given: str, request: Request) -> JSONResponse:
        arrived, arrived_at = time.monotonic(), clock()
        if not hmac.compare_digest(given.encode(), secret.encode()):
            raise HTTPException(status.HTTP_404_NOT_FOUND, "not found")
        try:
            asked = SkillRequest.model_validate(await request.json())
        except (ValidationError, ValueError):
            raise HTTPException(status.HTTP_400_BAD_REQUEST, "not a Kakao skill request") from None
        user = asked.userRequest.user.id
        utterance = asked.userRequest.utterance
        extra = asked.action.clientExtra
        callback = asked.userRequest.callbackUrl
        progress = Progress()
        with request_id(f"{CHANNEL}-{request_key(user, utterance, extra)[:12]}"):
            work = asyncio.ensure_future(
                _work(user, asked, extra, progress, callback, arrived, arrived_at)
            )
        try:
            left = answer_within - (time.monotonic() - arrived)
            body = await asyncio.wait_for(asyncio.shield(work), max(left, 0.0))
        except TimeoutError:
            progress.late = True
            _later(work)
            log.info("a Kakao call outlasted %.3f s; its answer comes later", answer_within)
            if callback is not None:
                said = catalog.text(None, "channel.wait_callback")
                return JSONResponse(CALL_BACK | {"data": {"text": said}})
            return JSONResponse(waiting_body(None))
        return JSONResponse(body)

    async def _work(
        user: str,
        asked: SkillRequest,
        extra: dict[str, Any] | None,
        progress: Progress,
        callback: str | None,
        arrived: float,
        arrived_at: datetime,
    ) -> dict[str, Any]:
        """The whole call: paging and news need no turn; a repeat gets the first answer; what
        came late comes first; else the turn. Goes on after a late answer."""
        page = Page.from_extra(extra)
        opening = (extra or {}).get(NEWS)
        if page is not None:
            found = await asyncio.to_thread(latest, user)
            if found is not None:
                return answer_body(found[1], found[0], page)
            extra = None  # nothing kept to page through: the words are taken as typed
        elif isinstance(opening, int) and not isinstance(opening, bool):
            kept = await asyncio.to_thread(kept_of, opening, user)
            if kept is not None and kept.news:
                return news_body(kept)
            extra = None
        event = _is_event(asked)
        utterance = "" if event else asked.userRequest.utterance
        extra = EVENT if event else extra
        call = SkillCall(
            user,
            utterance,
            extra,
            arrived=arrived_at,
            answer_by=arrived + answer_within - min(HAND_BACK, answer_within / 4),
        )
        outgoing, done = await turns.around(
            call,
            channel=CHANNEL,
            external_id=user,
            chat_id=user,
            event=event_from(utterance, extra, catalog),
            update_id=None,
            message_ref=None,
        )
        assert isinstance(done, SkillCall) and done.before is not None
        before = done.before
        if not before.fresh:
            return _repeat(before)
        return await _answered(user, done, outgoing, progress, callback)

    async def _answered(
        user: str,
        done: SkillCall,
        outgoing: list[Outgoing],
        progress: Progress,
        callback: str | None,
    ) -> dict[str, Any]:
        """The answer, kept in the turn's transaction; if the citizen was told to wait
        meanwhile, given to the callback address or left for her next call."""
        assert done.before is not None and done.kept is not None
        before = done.before
        body = answer_body(done.kept, before.call_id)
        if not progress.late:
            return waiting_body(before.language) if done.late else body
        sent = done.sent(outgoing)
        if callback is not None and await _called_back(callback, body):
            await asyncio.to_thread(called_back, user, before, done.kept, sent, done.erased)
        elif not done.late:  # kept as shown, yet handed back after the answer time
            await asyncio.to_thread(waited, user, before, sent)
        return {}

    async def _called_back(url: str, body: dict[str, Any]) -> bool:
        """Posts the answer to Kakao's one-time callback address; False if that failed."""
        try:
            async with httpx.AsyncClient(timeout=10) as client:
                posted = await client.post(url, json=body)
            posted.raise_for_status()
        except Exception:
            log.warning("the Kakao callback failed; the replies wait for the next call")
            return False
        return True

    def _later(work: Awaitable[Any]) -> None:
        task = asyncio.ensure_future(work)
        finishing.add(task)
        task.add_done_callback(_done)

    def _done(task: "asyncio.Future[Any]") -> None:
        finishing.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("a Kakao call that was answered late failed", exc_info=task.exception())

    def _repeat(before: Before) -> dict[str, Any]:
        """The answer of the same call made a moment ago."""
        assert before.repeated is not None
        return answer_body(before.repeated, before.call_id)

    return router


def _is_event(asked: SkillRequest) -> bool:
    """A call from the block Kakao runs for our Event API event (`kakao/events.py`)."""
    name, value = EVENT_PARAMETER
    return str(asked.action.params.get(name, "")) == value


ANSWERS_KEPT = timedelta(days=1)


def forget_old_answers(db: Engine, *, now: datetime | None = None) -> int:
    """Forgets skill answers older than a day (they only serve retries and paging)."""
    with writer_lock(db), transaction(db) as session:
        return kakao_answers.forget_before(
            session.connection(), moment=(now or utcnow()) - ANSWERS_KEPT
        )

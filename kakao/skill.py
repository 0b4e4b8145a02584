"""`POST /kakao/skill/{secret}`: Kakao i Open Builder calls it for every utterance (a
fallback block that calls the skill), and waits five seconds for the answer.

One call is one turn through the same runtime as Telegram (channel `kakao`; the citizen is
Kakao's user key). Kakao sends no request id, so a call is known by a hash of the user, the
words, the pressed button's extra and where the conversation stood: the latest answer the
citizen saw. The same call again within `RETRY_WITHIN` from the same place (Kakao's retry,
a double tap) gets the first one's replies (kept sealed in `kakao_answer`; waited for while
its turn runs), never a second turn; the same words after a new answer are a new turn.

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
import hashlib
import hmac
import html
import json
import logging
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

import httpx
from fastapi import APIRouter, HTTPException, Request, status
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from sqlalchemy import Engine

from conversations.events import Button, Reply, notice_action
from conversations.messages import Catalog
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
from storage import kakao_answers, notices, state
from storage.db import transaction, writer_lock
from storage.models import utcnow

log = logging.getLogger(__name__)
CHANNEL = "kakao"
RETRY_WITHIN = timedelta(seconds=8)
# Seconds from a request's arrival to its answer: Kakao waits five for the whole round trip.
ANSWER_WITHIN = 3.5
# An answer kept within this many seconds of its call's arrival reached the citizen.
SHOWN_WITHIN = 4.5
CLAIM = timedelta(minutes=1)
# How long a repeated call waits for the first one's answer (past the answer time, in the
# background: the citizen is told to wait meanwhile).
REPEAT_WAIT = 10.0
CHECK = {"check": True}  # "⏳ 답 보기": what came late, or the latest answer; never a turn
NEWS = "news"  # {"news": call id}: the news kept with that call's answer


def request_key(user: str, utterance: str, extra: dict[str, Any] | None, seen: int) -> str:
    """A call's identity: who, what, which button, and after which answer (`seen`)."""
    said = json.dumps([user, utterance, extra or {}, seen], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(said.encode()).hexdigest()


@dataclass(frozen=True)
class Kept:
    """What a call was answered with: the replies, the news shown beside them, the language."""

    replies: list[Reply]
    news: list[Reply] = field(default_factory=list)
    language: str | None = None


@dataclass(frozen=True)
class Before:
    """What `before_turn` found: a repeated call (`repeated`: its answer, None while its turn
    runs; `fresh` False), or a new one with the replies that came late for the citizen's
    last call, and the news to show after the answer."""

    call_id: int
    repeated: Kept | None
    language: str | None = None
    late: list[Reply] = field(default_factory=list)
    news: list[Reply] = field(default_factory=list)
    sent: list[int] = field(default_factory=list)  # outbox rows shown with this answer
    held: list[int] = field(default_factory=list)  # notice deliveries shown with it
    pending: bool = False  # an earlier call's turn still runs
    fresh: bool = True


@dataclass
class Progress:
    """Shared by a call's answer and its work: once `late`, the work keeps its replies for
    the next call; once `answering`, the answer is being kept and comes in a moment."""

    late: bool = False
    answering: bool = False


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
        data = runtime.sealer.open_json(sealed)
        if isinstance(data, list):  # kept before news and language were
            return Kept([Reply.from_dict(reply) for reply in data])
        return Kept(
            [Reply.from_dict(reply) for reply in data["replies"]],
            [Reply.from_dict(reply) for reply in data["news"]],
            data.get("language"),
        )

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

    def before_turn(user: str, utterance: str, extra: dict[str, Any] | None) -> Before:
        """One transaction before the turn: the same call made a moment ago from the same
        place, or this call noted, with what came late and what the city said meanwhile."""
        now = clock()
        with writer_lock(db), transaction(db) as session:
            connection = session.connection()
            kakao_answers.one_at_a_time(connection, user_key=user)
            seen = kakao_answers.last_shown(connection, user_key=user)
            key = request_key(user, utterance, extra, seen)
            found = kakao_answers.recent(connection, request_key=key, since=now - RETRY_WITHIN)
            if found is not None:
                call_id, sealed = found
                return Before(call_id, opened(sealed) if sealed else None, fresh=False)
            asking = extra == CHECK  # only "⏳ 답 보기" needs to know of a turn still running
            pending = asking and kakao_answers.pending(
                connection, user_key=user, since=now - CLAIM
            )
            call_id = kakao_answers.started(connection, user_key=user, request_key=key, now=now)
            language = kakao_answers.language_of(connection, user_key=user)
            rows = state.claim_unsent(
                session,
                channel=CHANNEL,
                now=now,
                created_before=now,
                claim_until=now + CLAIM,
                chat_id=user,
            )
            held = notices.held_for(connection, channel=CHANNEL, chat_id=user)
        late = [row for row in rows if row.turn is not None]  # her own turn's, answered late
        told = [row for row in rows if row.turn is None]  # staff's: answers, care status
        return Before(
            call_id,
            None,
            language,
            late=[Reply.from_dict(runtime.sealer.open_json(row.payload)) for row in late],
            news=[Reply.from_dict(runtime.sealer.open_json(row.payload)) for row in told]
            + [notice_reply(notice, catalog) for notice in held],
            sent=[row.id for row in rows if row.id is not None],
            held=[notice.delivery_id for notice in held],
            pending=pending,
        )

    def after_turn(user: str, before: Before, kept: Kept, sent: list[int], shown: bool) -> None:
        """One transaction after it: the answer kept (and whether it was shown in time),
        what was shown marked sent; nothing kept of a citizen the turn erased."""
        data = {
            "replies": [reply.to_dict() for reply in kept.replies],
            "news": [reply.to_dict() for reply in kept.news],
            "language": kept.language,
        }
        with writer_lock(db), transaction(db) as session:
            connection = session.connection()
            kakao_answers.answered(
                connection,
                call_id=before.call_id,
                sealed=runtime.sealer.seal_json(data),
                shown=shown,
            )
            state.mark_sent(session, message_ids=sent)
            notices.settle(connection, sent=before.held, now=clock())
            kakao_answers.forget_if_erased(connection, user_key=user)

    def answer_body(kept: Kept, call_id: int, page: Page = FIRST) -> dict[str, Any]:
        picture = pictures.url if pictures is not None else None
        pinned = [news_button(kept, call_id)] if kept.news else []
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
        arrived = time.monotonic()
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
        with request_id(f"{CHANNEL}-{request_key(user, utterance, extra, 0)[:12]}"):
            work = asyncio.ensure_future(_work(user, asked, extra, progress, callback, arrived))
        try:
            left = answer_within - (time.monotonic() - arrived)
            body = await asyncio.wait_for(asyncio.shield(work), max(left, 0.0))
        except TimeoutError:
            if progress.answering:  # the answer is being kept: it comes in a moment
                body = await work
            else:
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
        extra = {"event": True} if event else extra
        before = await asyncio.to_thread(before_turn, user, utterance, extra)
        if not before.fresh:
            return await _repeat(user, before)
        if before.late or event or extra == CHECK:
            return await _without_turn(user, before, event, progress, callback, arrived)
        turn = turns.handle(
            channel=CHANNEL,
            external_id=user,
            chat_id=user,
            event=event_from(utterance, extra, catalog),
            update_id=None,
            message_ref=None,
        )
        outgoing: list[Outgoing] = await turn
        replies = [item.reply for item in outgoing]
        sent = before.sent + [item.outbox_id for item in outgoing]
        return await _finish(user, before, replies, sent, progress, callback, arrived)

    async def _without_turn(
        user: str,
        before: Before,
        event: bool,
        progress: Progress,
        callback: str | None,
        arrived: float,
    ) -> dict[str, Any]:
        """What came late for her last call, shown as late, her new words not applied to a
        question she never saw; the Event API's call: the news, with the question she was
        asked; "⏳ 답 보기" with nothing late: that question again (or still "잠시만요")."""
        if before.late:
            heading = Reply(catalog.text(before.language, "channel.late"))
            replies = [heading, *before.late]
        elif before.pending:
            replies = [Reply(catalog.text(before.language, "channel.wait"))]
        else:
            found = await asyncio.to_thread(latest, user)
            last = found[1].replies if found else []
            replies = [reply for reply in last if reply.choices][-1:]
        if event and before.news:  # the push is the news: in full, then her question
            count = len(before.news)
            heading = Reply(catalog.text(before.language, "channel.news_heading", count=count))
            replies = [heading, *(Reply(reply.text) for reply in before.news), *replies]
            before = replace(before, news=[])
        if not replies and not before.news:
            replies = [Reply(catalog.text(before.language, "channel.nothing_new"))]
        return await _finish(user, before, replies, before.sent, progress, callback, arrived)

    async def _finish(
        user: str,
        before: Before,
        replies: list[Reply],
        sent: list[int],
        progress: Progress,
        callback: str | None,
        arrived: float,
    ) -> dict[str, Any]:
        """Keeps the answer and returns it; if the citizen was already told to wait, gives
        it to the callback address or leaves its replies for her next call."""
        shown_words = replies or [Reply(catalog.text(before.language, "channel.wait"))]
        kept = Kept(shown_words, before.news, before.language)
        if not progress.late:
            progress.answering = True
            shown = time.monotonic() - arrived <= SHOWN_WITHIN
            await asyncio.to_thread(after_turn, user, before, kept, sent, shown)
            return answer_body(kept, before.call_id)
        body = answer_body(kept, before.call_id)
        if callback is not None and await _called_back(callback, body):
            await asyncio.to_thread(after_turn, user, before, kept, sent, True)
            return {}
        waited = Kept([Reply(catalog.text(before.language, "channel.wait"))], [], before.language)
        no_news = Before(before.call_id, None, before.language)
        await asyncio.to_thread(runtime.release, outbox_ids=sent)
        await asyncio.to_thread(after_turn, user, no_news, waited, [], True)
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

    async def _repeat(user: str, before: Before) -> dict[str, Any]:
        """The answer of the same call made a moment ago, once its work has ended."""
        kept = before.repeated
        for _ in range(int(REPEAT_WAIT / 0.1)):
            if kept is not None:
                return answer_body(kept, before.call_id)
            await asyncio.sleep(0.1)
            kept = await asyncio.to_thread(kept_of, before.call_id, user)
        log.warning("a repeated Kakao call found no answer to repeat")
        return waiting_body(None)

    return router


def _is_event(asked: SkillRequest) -> bool:
    """A call from the block Kakao runs for our Event API event (`kakao/events.py`)."""
    name, value = EVENT_PARAMETER
    return str(asked.action.params.get(name, "")) == value


def notice_reply(notice: notices.Held, catalog: Catalog) -> Reply:
    """A held notice as the chat shows it: plain words, its link written out, its buttons."""
    text = plain(notice.text)
    if notice.link_url:
        text += f"\n\n🔗 {notice.link_label or notice.link_url}: {notice.link_url}"
    buttons = []
    if notice.apply_flow:
        label = catalog.text(notice.language, "notice.apply_button")
        buttons.append(Button(notice_action("open", notice.apply_flow), label))
    if notice.topics:
        label = catalog.text(notice.language, "notice.fewer_button")
        buttons.append(Button(notice_action("mute", notice.topics[0]), label))
    return Reply(text, buttons=tuple(buttons))


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

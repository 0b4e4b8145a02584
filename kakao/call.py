"""One Kakao skill call's storage work, done inside its turn's own transaction.

A call is noted (or found to be a repeat), what came late and what the city said meanwhile
claimed, the turn taken, and the answer kept with what it showed marked sent: all in the one
transaction of the turn, in the process that runs turns. The service's process then only
draws the answer. Three transactions (before, turn, after) from two processes queued on
SQLite's one writer and on the service's GIL; one keeps KakaoTalk at Telegram's pace.

Whether the answer is in time is decided just before the commit, against the moment the
service must answer (`answer_by`, on the machine's monotonic clock, which all its processes
share): an answer past it is kept as "잠시만요" with its replies left for the next call, in
the same transaction, so what the database says and what the citizen saw agree.
"""

import hashlib
import html
import json
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection
from sqlmodel import Session

from conversations.events import Button, Reply, notice_action
from conversations.messages import Catalog
from storage import kakao_answers, notices, state
from storage.models import OutboxMessage
from storage.sealing import Sealer

if TYPE_CHECKING:
    from runtime.turn import Outgoing, Runtime

CHANNEL = "kakao"
RETRY_WITHIN = timedelta(seconds=8)
CLAIM = timedelta(minutes=1)
CHECK = {"check": True}  # "⏳ 답 보기": what came late, or the latest answer; never a turn
EVENT = {"event": True}  # the Event API's call: the news, never a turn


def request_key(user: str, utterance: str, extra: dict[str, Any] | None) -> str:
    """A call's words: who, what, which button (with the answer she had seen, its identity)."""
    said = json.dumps([user, utterance, extra or {}], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(said.encode()).hexdigest()


@dataclass(frozen=True)
class Kept:
    """What a call was answered with: the replies, the news shown beside them, the language."""

    replies: list[Reply]
    news: list[Reply] = field(default_factory=list)
    language: str | None = None

    def sealed(self, sealer: Sealer) -> dict[str, Any]:
        return sealer.seal_json(
            {
                "replies": [reply.to_dict() for reply in self.replies],
                "news": [reply.to_dict() for reply in self.news],
                "language": self.language,
            }
        )

    @classmethod
    def opened(cls, sealer: Sealer, sealed: dict[str, Any]) -> "Kept":
        data = sealer.open_json(sealed)
        if isinstance(data, list):  # kept before news and language were
            return cls([Reply.from_dict(reply) for reply in data])
        return cls(
            [Reply.from_dict(reply) for reply in data["replies"]],
            [Reply.from_dict(reply) for reply in data["news"]],
            data.get("language"),
        )


@dataclass(frozen=True)
class Before:
    """What a call found before its turn: a repeated call (`repeated`: its answer, `call_id`
    its id; `fresh` False), or a new one (its `call_id` once kept) with the replies that
    came late for the citizen's last call, and the news to show after the answer."""

    call_id: int | None
    repeated: Kept | None
    request_key: str = ""
    seen: int = 0  # the latest answer she had seen
    language: str | None = None
    late: list[Reply] = field(default_factory=list)
    news: list[Reply] = field(default_factory=list)
    sent: list[int] = field(default_factory=list)  # outbox rows shown with this answer
    held: list[int] = field(default_factory=list)  # notice deliveries shown with it
    fresh: bool = True


def note_call(
    connection: Connection,
    *,
    sealer: Sealer,
    catalog: Catalog,
    user: str,
    utterance: str,
    extra: dict[str, Any] | None,
    arrived: datetime,
    now: datetime,
) -> Before:
    """The same call made a moment ago from the same place, or this call, with what came
    late and what the city said meanwhile (claimed for this answer). Where the call was
    made from is what the citizen had seen when it `arrived`: a resend that waited behind
    its first call's turn is still a resend. The call itself is kept with its answer.

    A call that takes a turn needs no lock of its own: a resend beside its first call waits
    at the citizen's row, finds the state changed, and is taken again, as a repeat. A call
    that claims what waits, or answers without a turn, is one at a time per citizen."""
    key = request_key(user, utterance, extra)

    def standing() -> kakao_answers.Standing:
        return kakao_answers.standing(
            connection, user_key=user, request_key=key, arrived=arrived, since=now - RETRY_WITHIN
        )

    alone = extra in (CHECK, EVENT)
    if alone:
        kakao_answers.one_at_a_time(connection, user_key=user)
    stands = standing()
    if stands.waiting and not alone:  # read again once alone: what an earlier call left
        kakao_answers.one_at_a_time(connection, user_key=user)
        stands = standing()
    if stands.repeat is not None:
        sealed = kakao_answers.replies_of(connection, call_id=stands.repeat, user_key=user)
        assert sealed is not None  # a repeat is found by its answer
        return Before(stands.repeat, Kept.opened(sealer, sealed), fresh=False)
    rows: list[OutboxMessage] = []
    held: list[notices.Held] = []
    if stands.waiting:  # most calls find nothing waiting: two queries saved
        with Session(bind=connection) as session:
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
        None,
        None,
        key,
        stands.seen,
        stands.language,
        late=[Reply.from_dict(sealer.open_json(row.payload)) for row in late],
        news=[Reply.from_dict(sealer.open_json(row.payload)) for row in told]
        + [notice_reply(notice, catalog) for notice in held],
        sent=[row.id for row in rows if row.id is not None],
        held=[notice.delivery_id for notice in held],
    )


def _answered(
    connection: Connection,
    *,
    user: str,
    before: Before,
    sealed: dict[str, Any],
    shown: bool,
    now: datetime,
) -> int:
    """Keeps a new call with its answer, or answers a kept one again; the call's id."""
    if before.call_id is None:
        return kakao_answers.keep(
            connection,
            user_key=user,
            request_key=before.request_key,
            seen=before.seen,
            sealed=sealed,
            shown=shown,
            now=now,
        )
    kakao_answers.answered(connection, call_id=before.call_id, sealed=sealed, shown=shown, now=now)
    return before.call_id


def keep_answer(
    connection: Connection,
    *,
    sealer: Sealer,
    user: str,
    before: Before,
    kept: Kept,
    sent: list[int],
    shown: bool,
    now: datetime,
    erased: bool = False,
) -> int | None:
    """The answer kept (and whether it was shown in time), what it showed marked sent;
    nothing kept of a citizen the turn `erased`. The call's id (None: erased)."""
    state.mark_sent(connection, message_ids=sent)
    notices.settle(connection, sent=before.held, now=now)
    if erased:
        kakao_answers.forget_user(connection, user_key=user)
        return None
    return _answered(
        connection, user=user, before=before, sealed=kept.sealed(sealer), shown=shown, now=now
    )


def keep_waiting(
    connection: Connection,
    *,
    sealer: Sealer,
    catalog: Catalog,
    user: str,
    before: Before,
    sent: list[int],
    now: datetime,
) -> int:
    """The citizen was told "잠시만요": that is her answer; the replies and the news wait
    for her next call (given back, and the notices held again, if already marked shown).
    The call's id."""
    state.unsend(connection, message_ids=sent)
    notices.hold_again(connection, delivery_ids=before.held)
    waited = Kept([Reply(catalog.text(before.language, "channel.wait"))], [], before.language)
    return _answered(
        connection, user=user, before=before, sealed=waited.sealed(sealer), shown=True, now=now
    )


@dataclass
class SkillCall:
    """A call handed to the turn runner, done around the turn in its transaction (see
    `runtime.turn.AroundTurn`) and handed back with what was found and kept: a repeat
    (`before.fresh` False, nothing kept), or the answer, with or without a turn."""

    user: str
    utterance: str
    extra: dict[str, Any] | None
    arrived: datetime  # on the service's clock
    answer_by: float  # time.monotonic() by which the answer must be kept to be shown
    before: Before | None = None
    kept: Kept | None = None  # the answer
    late: bool = False  # kept as "잠시만요" instead: past `answer_by`
    erased: bool = False  # the turn erased the citizen: nothing of the call is kept

    def before_turn(self, runtime: "Runtime", connection: Connection, now: datetime) -> bool:
        """Notes the call; whether it takes a turn: not a repeat, nothing late to show
        first, not a call that only asks for the news or the answer (answered here)."""
        self.kept, self.late, self.erased = None, False, False  # a retry starts afresh
        before = self.before = note_call(
            connection,
            sealer=runtime.sealer,
            catalog=runtime.conversations.catalog,
            user=self.user,
            utterance=self.utterance,
            extra=self.extra,
            arrived=self.arrived,
            now=now,
        )
        if not before.fresh:
            return False
        if not before.late and self.extra not in (CHECK, EVENT):
            return True
        replies, news = self._without_turn(
            connection, runtime.sealer, runtime.conversations.catalog
        )
        self._keep(runtime, connection, replies, news, claimed=before.sent)
        return False

    def after_turn(
        self,
        runtime: "Runtime",
        connection: Connection,
        outgoing: "list[Outgoing]",
        now: datetime,
        *,
        erased: bool,
    ) -> None:
        assert self.before is not None
        self.erased = erased
        replies = [item.reply for item in outgoing]
        stored = [item.outbox_id for item in outgoing]  # stored as sent by the turn
        self._keep(
            runtime, connection, replies, self.before.news, claimed=self.before.sent, stored=stored
        )

    def sent(self, outgoing: "list[Outgoing]") -> list[int]:
        """The outbox rows this answer shows: what came before it, then the turn's."""
        assert self.before is not None
        return self.before.sent + [item.outbox_id for item in outgoing]

    def _without_turn(
        self, connection: Connection, sealer: Sealer, catalog: Catalog
    ) -> tuple[list[Reply], list[Reply]]:
        """What came late for her last call, shown as late, her new words not applied to a
        question she never saw; the Event API's call: the news, with the question she was
        asked; "⏳ 답 보기" with nothing late: that question again (or still "잠시만요")."""
        assert self.before is not None
        before = self.before
        news = before.news
        if before.late:
            heading = Reply(catalog.text(before.language, "channel.late"))
            replies = [heading, *before.late]
        else:
            found = kakao_answers.latest(connection, user_key=self.user)
            last = Kept.opened(sealer, found[1]).replies if found else []
            replies = [reply for reply in last if reply.choices][-1:]
        if self.extra == EVENT and news:  # the push is the news: in full, then her question
            heading = Reply(catalog.text(before.language, "channel.news_heading", count=len(news)))
            replies = [heading, *(Reply(reply.text) for reply in news), *replies]
            news = []
        if not replies and not news:
            replies = [Reply(catalog.text(before.language, "channel.nothing_new"))]
        return replies, news

    def _keep(
        self,
        runtime: "Runtime",
        connection: Connection,
        replies: list[Reply],
        news: list[Reply],
        *,
        claimed: list[int],
        stored: Sequence[int] = (),
    ) -> None:
        """Keeps the answer as shown, or, past `answer_by`, "잠시만요" as the answer. What
        came late (`claimed`) is marked sent with it, or given back with the turn's replies
        (`stored`, as sent); an erased citizen's goodbye is marked sent, so it goes."""
        assert self.before is not None
        catalog = runtime.conversations.catalog
        language = self.before.language
        shown = replies or [Reply(catalog.text(language, "channel.wait"))]
        self.kept = Kept(shown, news, language)
        call_id = keep_answer(
            connection,
            sealer=runtime.sealer,
            user=self.user,
            before=self.before,
            kept=self.kept,
            sent=[*claimed, *stored] if self.erased else claimed,
            shown=True,
            now=runtime.clock(),  # the turn took a while since the transaction began
            erased=self.erased,
        )
        self.before = replace(self.before, call_id=call_id)
        # Checked once the answer is written, since writing may wait for the database.
        self.late = time.monotonic() > self.answer_by and not self.erased
        if self.late:
            keep_waiting(
                connection,
                sealer=runtime.sealer,
                catalog=catalog,
                user=self.user,
                before=self.before,
                sent=[*claimed, *stored],
                now=runtime.clock(),
            )


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

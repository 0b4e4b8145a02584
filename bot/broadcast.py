"""Sends queued notices through the bot, within the bot's one sending budget.

Claimed rows are sent by a few workers (so Telegram's latency does not lower the rate) with
`rate_limit_args=BROADCAST`, which lets replies to chatting citizens go first. What Telegram
answered is written for many rows at once, a tenth of a second at most after the answer
(one transaction per message held the workers up on a busy machine): sent; blocked (403, the
citizen becomes inactive); retried later (429 beyond the limiter's retries, network trouble)
with backoff; or failed. A crash leaves claimed rows to be claimed again when their lease
ends (a row sent in the last tenth of a second before it goes out twice).
"""

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import Engine
from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, RetryAfter, TelegramError

from bot.inbound import callback_data
from bot.ratelimit import BROADCAST, Withdrawn
from conversations.events import notice_action
from conversations.messages import Catalog
from runtime.metrics import SENT
from runtime.quiet_hours import QuietHours
from storage import notices
from storage.db import transaction, writer_lock
from storage.models import utcnow

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 5
LEASE = timedelta(minutes=2)
IDLE_SECONDS = 0.5
CANCEL_CHECK_SECONDS = 1.0
OUTCOME_SECONDS = 0.1  # outcomes wait at most this long to be written...
OUTCOME_ROWS = 50  # ...or until this many are waiting


@dataclass
class Outcomes:
    """What Telegram answered for sent rows, not yet written."""

    sent: list[int] = field(default_factory=list)
    blocked: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    retry: dict[int, datetime] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.sent) + len(self.blocked) + len(self.failed) + len(self.retry)

    def add(self, other: "Outcomes") -> None:
        self.sent += other.sent
        self.blocked += other.blocked
        self.failed += other.failed
        self.retry.update(other.retry)


class Broadcaster:
    def __init__(
        self,
        db: Engine,
        catalog: Catalog,
        bot,
        *,
        quiet: QuietHours,
        workers: int = 8,
        batch: int = 200,
        paid: bool = False,
        lease: timedelta = LEASE,
        rate: float = 0.0,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.db = db
        self.catalog = catalog
        self.bot = bot
        self.quiet = quiet
        self.workers = workers
        # Claimed rows must all go out well within their lease, or another sender (or this
        # one) would take them again: at most a quarter of a lease's worth at the rate.
        if rate > 0:
            batch = max(1, min(batch, int(rate * lease.total_seconds() / 4)))
        self.batch = batch
        self.paid = paid
        self.lease = lease
        self.clock = clock
        self._held: set[int] = set()
        self._in_hand: set[int] = set()
        self._cancelled: set[int] = set()
        self._stopping = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._outcomes = Outcomes()
        self._many_outcomes = asyncio.Event()

    def start(self) -> None:
        self._task = asyncio.create_task(self.run(), name="broadcast")

    async def stop(self) -> None:
        """Finishes the messages under way, hands the rest back to the queue, and stops."""
        self._stopping.set()
        if self._task is not None:
            await self._task

    async def run(self) -> None:
        """Keeps the workers fed: the next batch is claimed while the last one is sending."""
        queue: asyncio.Queue = asyncio.Queue()
        workers = [asyncio.create_task(self._work(queue)) for _ in range(self.workers)]
        watchers = [
            asyncio.create_task(self._every(self.lease.total_seconds() / 3, self._keep_leases)),
            asyncio.create_task(self._every(CANCEL_CHECK_SECONDS, self._watch_cancels)),
            asyncio.create_task(self._keep_writing()),
        ]
        try:
            while not self._stopping.is_set():
                if queue.qsize() >= self.batch // 2:
                    await asyncio.sleep(0.02)
                    continue
                try:
                    claimed = await self._feed(queue)
                except Exception:  # keep sending after a database hiccup; it is logged
                    log.exception("claiming notice rows failed")
                    claimed = 0
                if not claimed:
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self._stopping.wait(), IDLE_SECONDS)
            await self._hand_back(queue)
            await queue.join()
            await self._write_outcomes()
        finally:
            self._stopping.set()
            # Watchers end at their next wake-up, never inside a query; the workers are idle.
            await asyncio.gather(*watchers)
            for worker in workers:
                worker.cancel()

    async def _every(self, seconds: float, work: Callable[[], Awaitable[None]]) -> None:
        """Runs `work` every `seconds` until the sender stops."""
        while not self._stopping.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), seconds)
            if self._stopping.is_set():
                return
            try:
                await work()
            except Exception:  # a database hiccup; the next round tries again
                log.exception("broadcast upkeep failed")

    async def _keep_writing(self) -> None:
        """Writes outcomes every `OUTCOME_SECONDS`, or sooner when `OUTCOME_ROWS` wait."""
        while not self._stopping.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._many_outcomes.wait(), OUTCOME_SECONDS)
            try:
                await self._write_outcomes()
            except Exception:  # a database hiccup: they are kept for the next round
                log.exception("writing notice outcomes failed")

    async def _write_outcomes(self) -> None:
        taken, self._outcomes = self._outcomes, Outcomes()
        self._many_outcomes.clear()
        if not taken:
            return
        try:
            await asyncio.to_thread(
                self._settle,
                sent=taken.sent,
                blocked=taken.blocked,
                failed=taken.failed,
                retry=taken.retry,
            )
        except BaseException:
            self._outcomes.add(taken)
            raise

    def _outcome(self, outcome: Outcomes) -> None:
        self._outcomes.add(outcome)
        if len(self._outcomes) >= OUTCOME_ROWS:
            self._many_outcomes.set()

    def cancelled(self, notice_id: int) -> None:
        """A notice cancelled in this process: no copy of it in hand starts going out now."""
        self._cancelled.add(notice_id)

    async def _watch_cancels(self) -> None:
        """Notices cancelled elsewhere while their rows are in hand stop within a second."""
        if not self._held:
            self._in_hand.clear()
            self._cancelled.clear()
        if self._in_hand:
            self._cancelled |= await asyncio.to_thread(self._cancelled_of, set(self._in_hand))

    def _cancelled_of(self, notice_ids: set[int]) -> set[int]:
        with transaction(self.db) as session:
            return notices.cancelled_among(session.connection(), notice_ids)

    async def _keep_leases(self) -> None:
        """Renews the lease of every row still in hand, so none is taken over while a 429
        pause or a slow network holds it here; a dead process stops renewing."""
        if self._held:
            await asyncio.to_thread(self._renew, set(self._held))

    def _renew(self, ids: set[int]) -> None:
        with writer_lock(self.db), transaction(self.db) as session:
            notices.renew(session.connection(), ids=ids, until=self.clock() + self.lease)

    async def _hand_back(self, queue: asyncio.Queue) -> None:
        """On stopping, rows not started are released for the next sender at once."""
        unsent = {}
        while not queue.empty():
            row, _ = queue.get_nowait()
            unsent[row.id] = self.clock()
            self._held.discard(row.id)
            queue.task_done()
        if unsent:
            await asyncio.to_thread(self._settle, retry=unsent)

    async def send_batch(self) -> int:
        """Claims one batch of due rows and sends it; how many were claimed."""
        queue: asyncio.Queue = asyncio.Queue()
        claimed = await self._feed(queue)
        workers = [asyncio.create_task(self._work(queue)) for _ in range(self.workers)]
        await queue.join()
        for worker in workers:
            worker.cancel()
        await self._write_outcomes()
        return claimed

    async def _feed(self, queue: asyncio.Queue) -> int:
        rows = await asyncio.to_thread(self._claim)
        if not rows:
            await asyncio.to_thread(self._finish)
            return 0
        texts = await asyncio.to_thread(self._notices, {row.notice_id for row in rows})
        self._in_hand |= {row.notice_id for row in rows}
        for row in rows:
            self._held.add(row.id)
            queue.put_nowait((row, texts[row.notice_id]))
        return len(rows)

    async def _work(self, queue: asyncio.Queue) -> None:
        while True:
            row, notice = await queue.get()
            try:
                await self._send(row, notice)
            except Exception:  # one bad row must not stop the sender; it is logged
                log.exception("sending notice row %d failed", row.id)
            finally:
                self._held.discard(row.id)
                queue.task_done()

    def _claim(self):
        now = self.clock()
        with writer_lock(self.db), transaction(self.db) as session:
            return notices.claim(
                session.connection(),
                now=now,
                limit=self.batch,
                lease=self.lease,
                quiet=self.quiet.active(now),
            )

    def _notices(self, ids: set[int]):
        with transaction(self.db) as session:
            return notices.texts(session.connection(), ids)

    def _finish(self) -> None:
        with writer_lock(self.db), transaction(self.db) as session:
            notices.finish_sent(session.connection(), now=self.clock())

    def _settle(self, **outcome) -> None:
        with writer_lock(self.db), transaction(self.db) as session:
            notices.settle(session.connection(), now=self.clock(), **outcome)

    async def _send(self, row, notice) -> None:
        def wanted(notice_id: int) -> bool:
            return notice_id not in self._cancelled

        if notice.status == "cancelled" or not wanted(notice.id):
            return
        outcome: Outcomes
        try:
            await self.bot.send_message(
                row.chat_id,
                self._text(notice, row),
                parse_mode=ParseMode.HTML,
                reply_markup=self._buttons(notice, row.language),
                allow_paid_broadcast=self.paid or None,
                rate_limit_args={**BROADCAST, "still_wanted": lambda: wanted(notice.id)},
            )
            outcome = Outcomes(sent=[row.id])
            SENT.labels("notice").inc()
        except Withdrawn:  # cancelled while waiting for its slot: the row says so already
            return
        except Forbidden:
            outcome = Outcomes(blocked=[row.id])
        except BadRequest as error:
            log.warning("notice row %d refused: %s", row.id, error.message)
            outcome = Outcomes(failed=[row.id])
        except RetryAfter as error:
            outcome = Outcomes(retry={row.id: self.clock() + _seconds(error.retry_after)})
        except TelegramError as error:
            if row.attempts >= MAX_ATTEMPTS:
                outcome = Outcomes(failed=[row.id])
            else:
                backoff = timedelta(seconds=2**row.attempts)
                log.info("notice row %d retried later: %s", row.id, type(error).__name__)
                outcome = Outcomes(retry={row.id: self.clock() + backoff})
        self._outcome(outcome)

    def _text(self, notice, row) -> str:
        if row.citizen_id is None:
            return self.catalog.text(row.language, "notice.test_prefix") + notice.text
        return notice.text

    def _buttons(self, notice, language: str | None) -> InlineKeyboardMarkup | None:
        rows = []
        if notice.link_url:
            rows.append(
                [InlineKeyboardButton(notice.link_label or notice.link_url, url=notice.link_url)]
            )
        if notice.apply_flow:
            label = self.catalog.text(language, "notice.apply_button")
            rows.append(
                [
                    InlineKeyboardButton(
                        label,
                        callback_data=callback_data(0, notice_action("open", notice.apply_flow)),
                    )
                ]
            )
        if notice.topics:
            label = self.catalog.text(language, "notice.fewer_button")
            value = notice_action("mute", notice.topics[0])
            rows.append([InlineKeyboardButton(label, callback_data=callback_data(0, value))])
        return InlineKeyboardMarkup(rows) if rows else None


def _seconds(retry_after: object) -> timedelta:
    if isinstance(retry_after, timedelta):
        return retry_after
    return timedelta(seconds=float(retry_after))  # type: ignore[arg-type]

"""The composition root: a process with some or all of the three roles (`Roles`).

- web: the staff API, the console and the bot's inbound side (Telegram's webhook, or long
  polling, which one process at a time may do: `ProcessLock`), replying to citizens;
- sender: notices (`Broadcaster`) and the outbox's retries;
- scheduler: timed jobs (surveys opening and closing, notices queued at their time, pruning,
  care data retention).

Any number of each may run on one PostgreSQL: their work is conditional updates and row
claims (see the README's table), and the Telegram sending budget is booked on the database
(`DatabaseBudget`). Every process serves `/healthz`, `/readyz` and `/metrics`.
"""

import asyncio
import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from apscheduler.events import EVENT_JOB_SUBMITTED, JobSubmissionEvent
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from fastapi import FastAPI
from pydantic import ValidationError
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from telegram.ext import Application

from api.main import create_app
from bot.app import ALLOWED_UPDATES, TelegramChannel, build_application
from bot.broadcast import Broadcaster
from bot.budget import DatabaseBudget
from bot.flood import FloodGuard
from bot.polling import CHECK_SECONDS, PollingWatch
from bot.webhook import WEBHOOK_PATH, webhook_router
from console.app import install_console
from kakao.charts import ChartSigner, chart_router
from kakao.events import EventSender
from kakao.skill import forget_old_answers, skill_router
from runtime.heap import release_heap, settle_heap
from runtime.logs import configure as configure_logging
from runtime.metrics import SCHEDULER_LAG
from runtime.notice_schedule import NoticeSchedule
from runtime.poll_schedule import PollSchedule
from runtime.quiet_hours import QuietHours
from runtime.retention import CareRetention
from runtime.workers import ProcessTurns, ThreadTurns, Turns
from staff.participation import FiguresCache
from storage import polls
from storage.db import make_engine, transaction, writer_lock
from storage.locks import ProcessLock
from storage.models import utcnow
from storage.rotation import keys_open
from storage.sealing import Sealer
from toktok.assembly import runtime_recipe
from toktok.settings import Settings, refused

log = logging.getLogger("toktok")
SENT_REPLIES_KEPT = timedelta(days=1)
NEWS_KEPT = timedelta(days=365)


@dataclass(frozen=True)
class Roles:
    """What this process does; `toktok run` with no role flags does all three."""

    web: bool = True
    sender: bool = True
    scheduler: bool = True

    def __str__(self) -> str:
        return "+".join(name for name in ("web", "sender", "scheduler") if getattr(self, name))


ROLES_VARIABLE = "TOKTOK_ROLES"


def roles_from(text: str) -> Roles:
    """`web,sender` → Roles(web=True, sender=True, scheduler=False)."""
    named = {part.strip() for part in text.split(",") if part.strip()}
    return Roles(**{role: role in named for role in ("web", "sender", "scheduler")})


def service_from_environment() -> FastAPI:
    """What each uvicorn worker process builds (`toktok run --workers N`)."""
    try:
        settings = Settings()
    except ValidationError as error:
        raise SystemExit(refused(error)) from None
    configure_logging(json_lines=settings.json_logs, zone=settings.timezone)
    return create_service(settings, roles_from(os.environ.get(ROLES_VARIABLE, "web")))


class PollingTaken(RuntimeError):
    """Another process already polls Telegram for this bot."""


def create_service(settings: Settings, roles: Roles | None = None) -> FastAPI:
    roles = roles or Roles()
    db = make_engine(settings.database_url)
    recipe = runtime_recipe(settings)
    runtime, catalog = recipe.build(db)
    quiet = QuietHours(
        settings.quiet_hours_start, settings.quiet_hours_end, ZoneInfo(settings.timezone)
    )
    scheduler = AsyncIOScheduler(timezone=settings.timezone)
    scheduler.add_listener(_count_lag, EVENT_JOB_SUBMITTED)
    sweep = settings.scheduler_sweep_seconds
    poll_schedule = PollSchedule(db, scheduler, sweep_seconds=sweep)
    notice_schedule = NoticeSchedule(
        db,
        scheduler,
        runtime.conversations.districts,
        weekly_budget=settings.notice_weekly_budget,
        sweep_seconds=sweep,
    )
    if roles.scheduler:
        _plan_timed_jobs(scheduler, runtime, settings, db)
    # Turn workers serve the web role's citizens; a sender or scheduler process takes none.
    turns: Turns = (
        ProcessTurns(recipe, settings.turn_workers)
        if settings.turn_workers and roles.web
        else ThreadTurns(runtime)
    )
    channel = TelegramChannel(runtime, turns, catalog)
    application: Application | None = None
    routers = []
    # On PostgreSQL any number of processes may send: they book one budget on the database.
    budget = (
        DatabaseBudget(db, rate=settings.sending_rate)
        if db.dialect.name == "postgresql" and settings.sending_rate > 0
        else None
    )
    if settings.bot_enabled and (roles.web or roles.sender):
        application = build_application(
            token=settings.telegram_bot_token.get_secret_value(),
            base_url=settings.telegram_api_base_url,
            channel=channel,
            webhook=settings.webhook_enabled or not roles.web,
            max_rate=settings.sending_rate,
            guard=FloodGuard(
                burst=settings.citizen_burst, per_minute=settings.citizen_messages_per_minute
            ),
            shared_budget=budget,
        )
        if settings.webhook_enabled and roles.web:
            routers.append(webhook_router(application, settings.webhook_secret.get_secret_value()))
    if settings.kakao_enabled and roles.web:
        kakao_secret = settings.kakao_skill_secret.get_secret_value()
        pictures = (
            ChartSigner(kakao_secret, settings.public_base_url)
            if settings.public_base_url
            else None
        )
        routers.append(
            skill_router(
                secret=kakao_secret,
                runtime=runtime,
                turns=turns,
                catalog=catalog,
                answer_within=settings.kakao_answer_seconds,
                pictures=pictures,
            )
        )
        if pictures is not None:
            routers.append(chart_router(pictures))
    polling = ProcessLock(db, "telegram-polling")

    senders: list[Broadcaster] = []  # this process's notice sender, once the bot is on

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        log.info("starting as %s", roles)
        await asyncio.to_thread(_check_stored_data, db, runtime.sealer)
        polls = application is not None and roles.web and not settings.webhook_enabled
        if polls and not await asyncio.to_thread(polling.acquire):
            db.dispose()
            raise PollingTaken(
                "another process already polls Telegram for this bot (long polling allows "
                "one): run this one with --sender and/or --scheduler only, or set WEBHOOK_URL "
                "so that any number of web processes take updates"
            )
        scheduler.start()
        if roles.scheduler:
            await asyncio.to_thread(poll_schedule.start)
            await asyncio.to_thread(notice_schedule.start)
        broadcaster: Broadcaster | None = None
        kakao_events: EventSender | None = None
        if roles.web:  # Telegram's and Kakao's turns; look-alikes read before any is asked
            indexes = [app.state.look_alikes]  # the console's
            if isinstance(turns, ThreadTurns):  # turn workers warm their own as they start
                indexes.append(runtime.proposals)
            await asyncio.gather(*(asyncio.to_thread(index.warm, db) for index in indexes))
            _count_dashboard_ahead(scheduler, app.state.figures, db, settings)
            await channel.turns.start()
        if application is None:
            log.warning(
                "Telegram bot is off: set TELEGRAM_BOT_TOKEN in .env (see .env.example) to "
                "turn it on; `toktok chat` talks to the same conversations in a terminal"
            )
        else:
            await _start_bot(
                application,
                channel,
                scheduler,
                settings,
                inbound=roles.web,
                outbox=roles.sender,
            )
            if polls:  # it keeps polling only while it holds the lock
                assert application.updater is not None
                app.state.polling = PollingWatch(polling, application.updater)
                scheduler.add_job(
                    app.state.polling.check,
                    "interval",
                    seconds=CHECK_SECONDS,
                    id="polling-lock",
                    max_instances=1,
                    coalesce=True,
                )
        if settings.kakao_enabled and settings.kakao_events_enabled and roles.sender:
            kakao_events = EventSender(
                db,
                api_url=settings.kakao_event_api_url,
                bot_id=settings.kakao_bot_id,
                api_key=settings.kakao_event_api_key.get_secret_value(),
                event_name=settings.kakao_event_name,
                rate=settings.kakao_event_rate,
            )
            kakao_events.start()
        if application is not None and roles.sender:
            broadcaster = Broadcaster(
                db,
                catalog,
                application.bot,
                quiet=quiet,
                workers=settings.broadcast_workers,
                paid=settings.telegram_paid_broadcast,
                lease=timedelta(seconds=settings.broadcast_lease_seconds),
                rate=settings.sending_rate,
            )
            broadcaster.start()
            senders.append(broadcaster)
        settle_heap()
        try:
            yield
        finally:
            release_heap()
            try:
                scheduler.shutdown(wait=False)
                try:
                    if kakao_events is not None:
                        await kakao_events.stop()
                    if broadcaster is not None:
                        await broadcaster.stop()
                    if application is not None:
                        await _stop_bot(application)
                finally:
                    await channel.turns.stop()
                    await channel.receipts.stop()
            finally:
                polling.release()
                db.dispose()

    # Only a process that runs the scheduler plans surveys' and notices' times itself.
    scheduling: dict[str, Any] = (
        {"polls_changed": poll_schedule.plan, "notice_planned": notice_schedule.plan}
        if roles.scheduler
        else {}
    )

    def cancelled(notice_id: int) -> None:
        for sender in senders:
            sender.cancelled(notice_id)

    app = create_app(
        db,
        catalog,
        runtime.rules,
        lifespan=lifespan,
        routers=routers,
        sealer=runtime.sealer,
        staff_pages=roles.web,
        **scheduling,
        notice_cancelled=cancelled,
        notice_budget=settings.notice_weekly_budget,
        notice_approval_threshold=settings.notice_approval_threshold,
        quiet_hours=quiet,
        city_zone=ZoneInfo(settings.timezone),
        dashboard_refresh_seconds=settings.dashboard_refresh_seconds,
        care_help_phone=settings.care_help_phone or None,
        counter_idle_minutes=settings.counter_idle_minutes,
        docs=settings.docs_enabled,
        https_only=settings.environment == "production",
    )
    if roles.web:
        install_console(
            app,
            idle_minutes=settings.console_idle_minutes,
            session_hours=settings.console_session_hours,
        )
    app.state.turns = turns
    return app


def _count_lag(event: JobSubmissionEvent) -> None:
    """How late each job starts (a busy or stalled scheduler shows here first)."""
    if event.scheduled_run_times:
        late = utcnow() - max(event.scheduled_run_times)
        SCHEDULER_LAG.observe(max(0.0, late.total_seconds()))


def _plan_timed_jobs(scheduler: AsyncIOScheduler, runtime, settings: Settings, db: Engine) -> None:
    """The scheduler role's repeating jobs (surveys and notices plan their own at start)."""
    scheduler.add_job(
        runtime.prune,
        "interval",
        hours=1,
        kwargs={"keep_sent": SENT_REPLIES_KEPT, "keep_news": NEWS_KEPT},
        id="prune",
    )
    scheduler.add_job(
        forget_old_answers, "interval", hours=1, args=[db], id="kakao-answers", max_instances=1
    )
    retention = CareRetention(
        db,
        keep_days=settings.care_retention_days,
        access_log_days=settings.care_access_log_days,
    )
    scheduler.add_job(
        retention.run,
        "interval",
        hours=24,
        id="care-retention",
        max_instances=1,
        next_run_time=utcnow() + timedelta(minutes=1),
    )


def _check_stored_data(db: Engine, sealer: Sealer) -> None:
    """Checks that the data keys open what is stored; seals survey texts kept before sealing.

    A wrong key is reported at once (and by /readyz) rather than by each failing turn.
    """
    try:
        with writer_lock(db), transaction(db) as session:
            connection = session.connection()
            if not keys_open(connection, sealer):
                log.error("DATA_KEYS do not open the stored data; /readyz fails until they do")
                return
            sealed = polls.seal_plain_texts(connection, sealer)
    except SQLAlchemyError as error:
        log.warning("stored data not checked yet: %s", type(error).__name__)
        return
    if sealed:
        log.info("sealed %d survey answers kept before sealing", sealed)


async def _start_bot(
    application: Application,
    channel: TelegramChannel,
    scheduler: AsyncIOScheduler,
    settings: Settings,
    *,
    inbound: bool,
    outbox: bool,
) -> None:
    """Starts the bot; `inbound` (the web role) also takes updates — by webhook, or by long
    polling — and `outbox` (the sender role) retries what the outbox still holds (claimed
    rows, so several senders never send one reply twice)."""
    await application.initialize()
    await application.start()
    channel.receipts.start()
    if inbound:
        await channel.register_commands(application)
        if settings.webhook_enabled:
            await application.bot.set_webhook(
                settings.webhook_url.rstrip("/") + WEBHOOK_PATH,
                secret_token=settings.webhook_secret.get_secret_value(),
                allowed_updates=ALLOWED_UPDATES,
            )
            log.info("Telegram bot is on (webhook)")
        else:
            assert application.updater is not None
            await application.bot.delete_webhook()
            await application.updater.start_polling(allowed_updates=ALLOWED_UPDATES)
            log.info("Telegram bot is on (long polling)")
    if outbox:
        retry_after = timedelta(seconds=settings.outbox_retry_seconds)
        scheduler.add_job(
            channel.resend_unsent,
            "interval",
            seconds=settings.outbox_retry_seconds,
            args=[application.bot, retry_after],
            id="resend_unsent",
            max_instances=1,
            coalesce=True,
        )
        # Staff news (answers, merges, case moves) looked for every second: the citizen has
        # it within two seconds, whichever process the official's request reached.
        scheduler.add_job(
            channel.send_news,
            "interval",
            seconds=settings.news_seconds,
            args=[application.bot],
            id="send_news",
            # A second run returns at once while the first still delivers (see send_news), so
            # the scheduler never has to skip one and say so in the log.
            max_instances=2,
            coalesce=True,
        )


async def _stop_bot(application: Application) -> None:
    if application.updater is not None and application.updater.running:
        await application.updater.stop()
    if application.running:
        await application.stop()
    await application.shutdown()


def _count_dashboard_ahead(
    scheduler: AsyncIOScheduler, figures: FiguresCache, db: Engine, settings: Settings
) -> None:
    """Counts the dashboard's default figures now and then every refresh, off the event
    loop, so a staff member opening it never waits for a count of the whole city."""
    if not settings.dashboard_refresh_seconds:
        return

    async def count() -> None:
        await asyncio.to_thread(figures.refresh, db, now=utcnow())

    scheduler.add_job(
        count,
        "interval",
        seconds=settings.dashboard_refresh_seconds,
        next_run_time=utcnow(),
        id="dashboard-figures",
        max_instances=1,
        coalesce=True,
        misfire_grace_time=None,  # the first count runs even if the loop starts it late
    )

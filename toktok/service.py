"""The composition root: one process with the staff API, scheduler and (with a token) bot."""

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from zoneinfo import ZoneInfo

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from fastapi import FastAPI
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from telegram.ext import Application

from api.main import create_app
from bot.app import ALLOWED_UPDATES, TelegramChannel, build_application
from bot.broadcast import Broadcaster, QuietHours
from bot.flood import FloodGuard
from bot.webhook import WEBHOOK_PATH, webhook_router
from runtime.heap import release_heap, settle_heap
from runtime.notice_schedule import NoticeSchedule
from runtime.poll_schedule import PollSchedule
from runtime.retention import CareRetention
from runtime.workers import ProcessTurns, ThreadTurns, Turns
from storage import polls
from storage.db import make_engine, transaction, writer_lock
from storage.models import utcnow
from storage.rotation import keys_open
from storage.sealing import Sealer
from toktok.assembly import runtime_recipe
from toktok.settings import Settings

log = logging.getLogger("toktok")
SENT_REPLIES_KEPT = timedelta(days=1)


def create_service(settings: Settings) -> FastAPI:
    db = make_engine(settings.database_url)
    recipe = runtime_recipe(settings)
    runtime, catalog = recipe.build(db)
    scheduler = AsyncIOScheduler(timezone=settings.timezone)
    scheduler.add_job(
        runtime.prune,
        "interval",
        hours=1,
        kwargs={"keep_sent": SENT_REPLIES_KEPT},
        id="prune",
    )
    poll_schedule = PollSchedule(db, scheduler)
    notice_schedule = NoticeSchedule(
        db, scheduler, runtime.conversations.districts, weekly_budget=settings.notice_weekly_budget
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
    turns: Turns = (
        ProcessTurns(recipe, settings.turn_workers)
        if settings.turn_workers
        else ThreadTurns(runtime)
    )
    channel = TelegramChannel(runtime, turns, catalog)
    application: Application | None = None
    routers = []
    if settings.bot_enabled:
        application = build_application(
            token=settings.telegram_bot_token.get_secret_value(),
            base_url=settings.telegram_api_base_url,
            channel=channel,
            webhook=settings.webhook_enabled,
            max_rate=settings.sending_rate,
            guard=FloodGuard(
                burst=settings.citizen_burst, per_minute=settings.citizen_messages_per_minute
            ),
        )
        if settings.webhook_enabled:
            routers.append(webhook_router(application, settings.webhook_secret.get_secret_value()))

    senders: list[Broadcaster] = []  # this process's notice sender, once the bot is on

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await asyncio.to_thread(_check_stored_data, db, runtime.sealer)
        scheduler.start()
        await asyncio.to_thread(poll_schedule.start)
        await asyncio.to_thread(notice_schedule.start)
        broadcaster: Broadcaster | None = None
        if application is None:
            log.warning(
                "Telegram bot is off: set TELEGRAM_BOT_TOKEN in .env (see .env.example) to "
                "turn it on; `toktok chat` talks to the same conversations in a terminal"
            )
        else:
            await _start_bot(application, channel, scheduler, settings)
            broadcaster = Broadcaster(
                db,
                catalog,
                application.bot,
                quiet=QuietHours(
                    settings.quiet_hours_start,
                    settings.quiet_hours_end,
                    ZoneInfo(settings.timezone),
                ),
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
                if application is not None:
                    try:
                        if broadcaster is not None:
                            await broadcaster.stop()
                        await _stop_bot(application)
                    finally:
                        await channel.turns.stop()
                        await channel.receipts.stop()
            finally:
                db.dispose()

    app = create_app(
        db,
        catalog,
        runtime.rules,
        lifespan=lifespan,
        routers=routers,
        sealer=runtime.sealer,
        polls_changed=poll_schedule.plan,
        notice_planned=notice_schedule.plan,
        notice_cancelled=lambda notice_id: [sender.cancelled(notice_id) for sender in senders],
        notice_budget=settings.notice_weekly_budget,
        docs=settings.docs_enabled,
        console_idle_minutes=settings.console_idle_minutes,
        https_only=settings.environment == "production",
    )
    app.state.turns = turns
    return app


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
) -> None:
    await channel.turns.start()
    await application.initialize()
    await channel.register_commands(application)
    await application.start()
    channel.receipts.start()
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


async def _stop_bot(application: Application) -> None:
    if application.updater is not None and application.updater.running:
        await application.updater.stop()
    if application.running:
        await application.stop()
    await application.shutdown()

"""The bot: one PTB `Application`, one handler that hands every update to the turn runner.

A citizen's updates are handled one after another in arrival order (`bot.ordering`); other
citizens' updates go on meanwhile, as many as the turn runner can keep busy. Across
processes the runtime's version check keeps turns apart.
"""

import asyncio
import contextlib
import logging
import warnings
from collections.abc import Sequence
from datetime import timedelta

from telegram import BotCommand, BotCommandScopeDefault, ChatMemberUpdated, Update
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import Application, ApplicationBuilder, ContextTypes, TypeHandler
from telegram.warnings import PTBUserWarning

from bot.flood import FloodGuard
from bot.inbound import event_from_update
from bot.ordering import CitizenOrder
from bot.ratelimit import PriorityRateLimiter, SharedBudget
from bot.receipts import SentReceipts
from bot.render import markup_json
from conversations.events import Reply
from conversations.messages import Catalog
from runtime.chart import bar_chart
from runtime.errors import TurnFailed
from runtime.logs import request_id
from runtime.metrics import FAILED_TURNS, SENT, TURN_SECONDS
from runtime.turn import Outgoing, Runtime
from runtime.workers import Turns

log = logging.getLogger(__name__)
# Replies go out as raw requests on purpose (see `TelegramChannel._send`); PTB's advice to
# use its typed methods instead is known.
warnings.filterwarnings("ignore", message="Please use 'Bot.", category=PTBUserWarning)
CHANNEL = "telegram"
COMMANDS = ("start", "menu", "me", "help", "stop", "delete")
ALLOWED_UPDATES = ["message", "callback_query", "my_chat_member"]
CAPTION_LIMIT = 1024


class TelegramChannel:
    """Translates between Telegram and the runtime; holds no conversation state."""

    def __init__(self, runtime: Runtime, turns: Turns, catalog: Catalog) -> None:
        self.runtime = runtime
        self.turns = turns
        self.catalog = catalog
        self.receipts = SentReceipts(runtime)
        self._sending_news = False

    async def on_update(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Runs the citizen's turn and sends its replies."""
        chat, user = update.effective_chat, update.effective_user
        if chat is None or user is None:
            return
        if chat.type != "private":
            await self._in_group(context.bot, update)
            return
        if update.my_chat_member is not None:
            await self._membership(update.my_chat_member)
            return
        if chat.id != user.id:
            # In a private chat the chat is the person; anything else is forged or broken,
            # and must not move a citizen's replies to another chat.
            log.warning("update %s refused: private chat and sender differ", update.update_id)
            return
        code = _staff_code(update)
        if code is not None:
            await self._link_staff(context.bot, update, code)
            return
        event = event_from_update(update)
        if event is None:
            return
        query = update.callback_query
        if query is not None:
            await query.answer()
        message_ref = str(query.message.message_id) if query and query.message else None
        with request_id(f"{CHANNEL}-{update.update_id}"), TURN_SECONDS.time():
            outgoing = await self.turns.handle(
                channel=CHANNEL,
                external_id=str(user.id),
                chat_id=str(chat.id),
                event=event,
                update_id=update.update_id,
                message_ref=message_ref,
            )
            await self.deliver(context.bot, outgoing)

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Logs a failed update once (no personal data) and apologises for a failed turn.

        A failure that may pass was already retried where it happened (the runtime retries
        conflicts, a lost worker is asked again); what reaches here gets the apology, except
        what was never a citizen's turn.
        """
        error = context.error
        action = error.action if isinstance(error, TurnFailed) else "apologise"
        update_id = update.update_id if isinstance(update, Update) else None
        FAILED_TURNS.labels(action).inc()
        log.error("update %s failed (%s): %s %s", update_id, action, type(error).__name__, error)
        if action == "drop" or not isinstance(update, Update):
            return
        chat, user = update.effective_chat, update.effective_user
        if chat is None or chat.type != "private":
            return
        language = "en" if user and (user.language_code or "").startswith("en") else None
        with contextlib.suppress(TelegramError):
            await context.bot.send_message(
                chat.id, self.catalog.text(language, "error.turn_failed")
            )

    async def _link_staff(self, bot, update: Update, code: str) -> None:
        """`/staff CODE`: an official links this chat to her console account. Not a turn:
        no citizen's state is touched, and the code never reaches the logs."""
        chat, user = update.effective_chat, update.effective_user
        assert chat is not None and user is not None
        linked = await asyncio.to_thread(self.runtime.link_staff, chat_id=str(chat.id), code=code)
        language = "en" if (user.language_code or "").startswith("en") else None
        key = "staff.linked" if linked else "staff.link_refused"
        with contextlib.suppress(TelegramError):
            await bot.send_message(chat.id, self.catalog.text(language, key))

    async def _in_group(self, bot, update: Update) -> None:
        """In a group the bot says once where to find it, and touches no citizen's data."""
        chat = update.effective_chat
        assert chat is not None
        if update.my_chat_member is not None and update.my_chat_member.new_chat_member.status in (
            "left",
            "kicked",
        ):
            return
        if chat.type == "channel" or not await asyncio.to_thread(
            self.runtime.first_time_in_group, channel=CHANNEL, chat_id=str(chat.id)
        ):
            return
        text = self.catalog.text(None, "group.private_only", bot=bot.username or "")
        with contextlib.suppress(TelegramError):
            await bot.send_message(chat.id, text)

    async def on_flood(self, update: object) -> None:
        """Answers the first message of a flood once; the rest of it is dropped unread."""
        if not isinstance(update, Update) or update.effective_chat is None:
            return
        chat, user = update.effective_chat, update.effective_user
        if chat.type != "private":
            return
        language = "en" if user and (user.language_code or "").startswith("en") else None
        with contextlib.suppress(TelegramError):
            await update.get_bot().send_message(
                chat.id, self.catalog.text(language, "input.slow_down")
            )

    async def _membership(self, change: ChatMemberUpdated) -> None:
        status = change.new_chat_member.status
        if status in ("kicked", "member"):
            await asyncio.to_thread(
                self.runtime.set_reachable,
                channel=CHANNEL,
                external_id=str(change.from_user.id),
                reachable=status == "member",
            )

    async def deliver(self, bot, outgoing: Sequence[Outgoing]) -> None:
        """Sends stored replies in order; what fails for a passing reason is retried later."""
        sent: list[int] = []
        failed: list[int] = []
        for index, item in enumerate(outgoing):
            try:
                await self._send(bot, item)
                sent.append(item.outbox_id)
                SENT.labels("reply").inc()
            except Forbidden:
                failed.append(item.outbox_id)
                await asyncio.to_thread(
                    self.runtime.chat_blocked, channel=CHANNEL, chat_id=item.chat_id
                )
            except BadRequest as error:
                log.warning("reply %d refused by Telegram: %s", item.outbox_id, error.message)
                failed.append(item.outbox_id)
            except TelegramError as error:
                log.warning("reply %d not sent yet: %s", item.outbox_id, type(error).__name__)
                later = [i.outbox_id for i in outgoing[index:]]
                await asyncio.to_thread(self.runtime.release, outbox_ids=later)
                break
        self.receipts.add(sent)
        if failed:
            await asyncio.to_thread(self.runtime.confirm, failed=failed)

    async def _send(self, bot, item: Outgoing) -> None:
        reply = item.reply
        if reply.chart:
            await self._send_chart(bot, item.chat_id, reply)
            return
        # Raw Bot API requests: PTB would turn each answer into a `Message` nobody reads.
        text = f"{reply.text}\n{reply.contact_hint}" if reply.contact_hint else reply.text
        params: dict[str, object] = {"chat_id": item.chat_id, "text": text}
        markup = markup_json(reply)
        if markup is not None:
            params["reply_markup"] = markup
        if reply.edit and item.reply_to_message:
            try:
                edit = {**params, "message_id": int(item.reply_to_message)}
                await bot.do_api_request("editMessageText", api_kwargs=edit)
                return
            except BadRequest as error:
                if "not modified" in error.message:
                    return
                # The message is gone or too old to edit: send the prompt afresh.
        await bot.do_api_request("sendMessage", api_kwargs=params)

    async def _send_chart(self, bot, chat_id: str, reply: Reply) -> None:
        """The chart as a picture, captioned with its figures (as a text after, if long)."""
        picture = await asyncio.to_thread(
            bar_chart, reply.chart, title=reply.chart_title, mine=reply.chart_mine
        )
        fits = len(reply.text) <= CAPTION_LIMIT
        await bot.send_photo(chat_id, picture, caption=reply.text if fits else None)
        if not fits:
            await bot.send_message(chat_id, reply.text)

    async def resend_unsent(self, bot, older_than: timedelta) -> None:
        """Sends what a crash or an outage left in the outbox."""
        while outgoing := await asyncio.to_thread(
            self.runtime.unsent, channel=CHANNEL, older_than=older_than
        ):
            await self.deliver(bot, outgoing)

    async def send_news(self, bot) -> None:
        """Sends, at once, what staff have queued for citizens in any process of the service
        (the staff's page says it is on its way). Called every second: a call that finds the
        last one still delivering leaves it to that one, so runs never pile up."""
        if self._sending_news:
            return
        self._sending_news = True
        try:
            while outgoing := await asyncio.to_thread(
                self.runtime.unsent, channel=CHANNEL, older_than=timedelta(0), news=True
            ):
                await self.deliver(bot, outgoing)
        finally:
            self._sending_news = False

    async def register_commands(self, application: Application) -> None:
        """Publishes the command list in Korean (default) and English."""
        for language in ("ko", "en"):
            commands = [
                BotCommand(name, self.catalog.text(language, f"botcommand.{name}"))
                for name in COMMANDS
            ]
            await application.bot.set_my_commands(
                commands,
                scope=BotCommandScopeDefault(),
                language_code=None if language == "ko" else language,
            )


def _staff_code(update: Update) -> str | None:
    """The code of a `/staff CODE` message ("" when none was given), else None."""
    message = update.message
    if message is None or not message.text:
        return None
    command, _, rest = message.text.strip().partition(" ")
    if command.split("@", 1)[0].casefold() != "/staff":
        return None
    return rest.strip()


def build_application(
    *,
    token: str,
    base_url: str,
    channel: TelegramChannel,
    webhook: bool,
    max_rate: float,
    guard: FloodGuard,
    shared_budget: SharedBudget | None = None,
) -> Application:
    """The PTB application; the caller starts it beside the API server (one loop).
    `shared_budget` books every request on a budget shared with other processes."""
    order = CitizenOrder(channel.turns.concurrency, guard=guard, on_flood=channel.on_flood)
    builder = (
        ApplicationBuilder()
        .token(token)
        .base_url(base_url)
        .rate_limiter(PriorityRateLimiter(max_rate, max_retries=3, shared=shared_budget))
        .concurrent_updates(order)
    )
    if webhook:
        builder = builder.updater(None)
    application = builder.build()
    application.add_handler(TypeHandler(Update, channel.on_update))
    application.add_error_handler(channel.on_error)
    return application

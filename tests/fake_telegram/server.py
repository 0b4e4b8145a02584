"""A Telegram Bot API emulator on loopback, for end-to-end tests with a real PTB Application.

It speaks the methods the bot uses (getMe, getUpdates with long polling, sendMessage, sendPhoto,
editMessageText, answerCallbackQuery, setWebhook, deleteWebhook, setMyCommands), delivers
citizens' updates by polling or by webhook with the secret header, and can answer 429
`retry_after`, 403 "bot was blocked by the user", and a per-second rate limit.
"""

import asyncio
import itertools
import json
import random
import socket
import time
from collections import defaultdict, deque
from email.parser import BytesParser
from email.policy import default
from typing import Any
from urllib.parse import parse_qsl

import httpx
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

BOT_ID = 7000000001
JSON_FIELDS = {
    "reply_markup",
    "allowed_updates",
    "commands",
    "scope",
    "entities",
    "link_preview_options",
    "reply_parameters",
}


class FakeTelegram:
    def __init__(self, token: str = "7000000001:TEST-token-for-loopback-only") -> None:
        self.token = token
        self.updates: list[dict[str, Any]] = []
        self.outbox: dict[int, list[dict[str, Any]]] = defaultdict(list)
        self.messages: dict[tuple[int, int], dict[str, Any]] = {}
        self.photos: dict[tuple[int, int], bytes] = {}
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.blocked: set[int] = set()
        self.webhook_url = ""
        self.webhook_secret = ""
        # Web processes to spread updates over at random, as a load balancer would; empty:
        # the webhook Telegram was told last.
        self.webhook_targets: list[str] = []
        self._spread = random.Random(7)
        self.commands: dict[str, list[dict[str, Any]]] = {}
        self.rate_limit: float | None = None
        self._held = asyncio.Event()
        self._held.set()
        self._hold_generation = 0
        self.rate_limited = 0
        self._forced_429: deque[int] = deque()
        self._failures = 0
        self._sends: deque[float] = deque()
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1)
        self._changed = asyncio.Condition()  # updates arrived (getUpdates waits on it)
        # One condition per chat for the bot's outputs: a reply wakes only its citizen, so
        # hundreds of waiting citizens do not all wake for every message.
        self._outputs: defaultdict[int, asyncio.Condition] = defaultdict(asyncio.Condition)
        self._closing = False
        self._server: uvicorn.Server | None = None
        self._task: asyncio.Task[None] | None = None
        self.port = 0

    # -- server lifecycle ------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    async def start(self) -> None:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        # Without it small responses wait for a delayed ACK (~40 ms) on a pre-bound socket.
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        app = Starlette(
            routes=[Route("/bot{token}/{method}", self._endpoint, methods=["GET", "POST"])]
        )
        config = uvicorn.Config(
            app, log_level="warning", lifespan="off", timeout_graceful_shutdown=1
        )
        self._server = uvicorn.Server(config)
        self._task = asyncio.create_task(self._server.serve(sockets=[sock]))
        while not self._server.started:
            await asyncio.sleep(0.01)

    async def stop(self) -> None:
        async with self._changed:
            self._closing = True
            self._changed.notify_all()
        if self._server is not None and self._task is not None:
            self._server.should_exit = True
            await asyncio.wait_for(self._task, timeout=10)

    # -- fault injection -------------------------------------------------------------------

    def answer_429_next(self, retry_after: int = 1, times: int = 1) -> None:
        self._forced_429.extend([retry_after] * times)

    def fail_next(self, times: int = 1) -> None:
        """The next sends fail as Telegram does when it is briefly down (502 Bad Gateway)."""
        self._failures += times

    def hold(self) -> None:
        """Sends wait unanswered, as if Telegram hung; `release` drops them unrecorded."""
        self._held.clear()

    def release(self) -> None:
        self._hold_generation += 1
        self._held.set()

    def block(self, chat_id: int) -> None:
        self.blocked.add(chat_id)

    # -- the citizen's side ----------------------------------------------------------------

    def citizen(self, user_id: int, language_code: str = "ko") -> "SimCitizen":
        return SimCitizen(self, user_id, language_code)

    async def deliver(self, update: dict[str, Any]) -> httpx.Response | None:
        """Hands an update to the bot: to its webhook if one is set, else to getUpdates."""
        if self.webhook_url or self.webhook_targets:
            target = (
                self._spread.choice(self.webhook_targets)
                if self.webhook_targets
                else self.webhook_url
            )
            async with httpx.AsyncClient(timeout=30) as client:
                return await client.post(
                    target,
                    json=update,
                    headers={"X-Telegram-Bot-Api-Secret-Token": self.webhook_secret},
                )
        async with self._changed:
            self.updates.append(update)
            self._changed.notify_all()
        return None

    def new_update(self, **content: Any) -> dict[str, Any]:
        return {"update_id": next(self._update_ids), **content}

    async def wait_for(
        self, chat_id: int, count: int, timeout: float = 10.0
    ) -> list[dict[str, Any]]:
        """Waits until the bot has produced `count` outputs (sends or edits) in this chat."""
        deadline = time.monotonic() + timeout
        changed = self._outputs[chat_id]
        async with changed:
            while len(self.outbox[chat_id]) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    texts = [m.get("text") for m in self.outbox[chat_id]]
                    raise TimeoutError(f"chat {chat_id}: expected {count} outputs, got {texts}")
                try:
                    await asyncio.wait_for(changed.wait(), timeout=left)
                except TimeoutError:
                    continue
        return self.outbox[chat_id]

    # -- the Bot API -------------------------------------------------------------------------

    async def _endpoint(self, request: Request) -> JSONResponse:
        if request.path_params["token"] != self.token:
            return _error(401, "Unauthorized")
        params = await _params(request)
        method = request.path_params["method"]
        self.calls.append((method, params))
        handler = getattr(self, "_api_" + method, None)
        if handler is None:
            return _error(404, f"Not Found: method {method} is not emulated")
        return await handler(params)

    async def _api_getMe(self, params: dict[str, Any]) -> JSONResponse:
        return _ok(_bot_user())

    async def _api_setMyCommands(self, params: dict[str, Any]) -> JSONResponse:
        self.commands[params.get("language_code") or ""] = params["commands"]
        return _ok(True)

    async def _api_deleteWebhook(self, params: dict[str, Any]) -> JSONResponse:
        self.webhook_url = self.webhook_secret = ""
        return _ok(True)

    async def _api_setWebhook(self, params: dict[str, Any]) -> JSONResponse:
        self.webhook_url = params["url"]
        self.webhook_secret = params.get("secret_token", "")
        return _ok(True)

    async def _api_getUpdates(self, params: dict[str, Any]) -> JSONResponse:
        if self.webhook_url:
            return _error(409, "Conflict: can't use getUpdates method while webhook is active")
        offset = int(params.get("offset") or 0)
        timeout = float(params.get("timeout") or 0)
        deadline = time.monotonic() + timeout
        async with self._changed:
            self.updates = [u for u in self.updates if u["update_id"] >= offset]
            while not self.updates and time.monotonic() < deadline and not self._closing:
                try:
                    await asyncio.wait_for(self._changed.wait(), deadline - time.monotonic())
                except TimeoutError:
                    break
                self.updates = [u for u in self.updates if u["update_id"] >= offset]
            return _ok(list(self.updates[: int(params.get("limit") or 100)]))

    async def _api_answerCallbackQuery(self, params: dict[str, Any]) -> JSONResponse:
        return _ok(True)

    async def _api_sendMessage(self, params: dict[str, Any]) -> JSONResponse:
        if not self._held.is_set():
            generation = self._hold_generation
            await self._held.wait()
            if generation != self._hold_generation:
                return _error(502, "Bad Gateway")
        refused = self._refuse(int(params["chat_id"]))
        if refused is not None:
            return refused
        chat_id = int(params["chat_id"])
        message = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private"},
            "from": _bot_user(),
            "text": params["text"],
        }
        markup = params.get("reply_markup")
        if markup:
            message["reply_markup"] = markup
        self.messages[(chat_id, message["message_id"])] = message
        await self._record(chat_id, {**message, "kind": "send"})
        reply = {k: v for k, v in message.items() if k != "reply_markup" or "inline_keyboard" in v}
        return _ok(reply)

    async def _api_sendPhoto(self, params: dict[str, Any]) -> JSONResponse:
        refused = self._refuse(int(params["chat_id"]))
        if refused is not None:
            return refused
        chat_id = int(params["chat_id"])
        photo = params["photo"]
        message = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private"},
            "from": _bot_user(),
            "photo": [
                {
                    "file_id": f"photo-{len(photo)}",
                    "file_unique_id": "p",
                    "width": 720,
                    "height": 360,
                    "file_size": len(photo),
                }
            ],
            "caption": params.get("caption", ""),
        }
        self.photos[(chat_id, message["message_id"])] = photo
        await self._record(chat_id, {**message, "kind": "photo"})
        return _ok(message)

    async def _api_editMessageText(self, params: dict[str, Any]) -> JSONResponse:
        refused = self._refuse(int(params["chat_id"]))
        if refused is not None:
            return refused
        chat_id, message_id = int(params["chat_id"]), int(params["message_id"])
        message = self.messages.get((chat_id, message_id))
        if message is None:
            return _error(400, "Bad Request: message to edit not found")
        markup = params.get("reply_markup")
        if message["text"] == params["text"] and message.get("reply_markup") == markup:
            return _error(400, "Bad Request: message is not modified")
        message.update(text=params["text"], edit_date=int(time.time()))
        message.pop("reply_markup", None)
        if markup:
            message["reply_markup"] = markup
        await self._record(chat_id, {**message, "kind": "edit"})
        return _ok(message)

    def _refuse(self, chat_id: int) -> JSONResponse | None:
        if self._failures:
            self._failures -= 1
            return _error(502, "Bad Gateway")
        if self._forced_429:
            self.rate_limited += 1
            return _too_many(self._forced_429.popleft())
        if self.rate_limit is not None:
            now = time.monotonic()
            while self._sends and now - self._sends[0] >= 1.0:
                self._sends.popleft()
            if len(self._sends) >= self.rate_limit:
                self.rate_limited += 1
                return _too_many(1)
            self._sends.append(now)
        if chat_id in self.blocked:
            return _error(403, "Forbidden: bot was blocked by the user")
        return None

    async def _record(self, chat_id: int, output: dict[str, Any]) -> None:
        changed = self._outputs[chat_id]
        async with changed:
            self.outbox[chat_id].append({**output, "received_at": time.monotonic()})
            changed.notify_all()


class SimCitizen:
    """One person chatting with the bot through the fake Telegram."""

    def __init__(self, fake: FakeTelegram, user_id: int, language_code: str) -> None:
        self.fake = fake
        self.id = user_id
        self.user = {
            "id": user_id,
            "is_bot": False,
            "first_name": "Citizen",
            "language_code": language_code,
        }
        self.seen = 0

    @property
    def chat(self) -> dict[str, Any]:
        return {"id": self.id, "type": "private", "first_name": "Citizen"}

    def _message(self, **content: Any) -> dict[str, Any]:
        return {
            "message_id": next(self.fake._message_ids),
            "date": int(time.time()),
            "chat": self.chat,
            "from": self.user,
            **content,
        }

    async def say(self, text: str) -> dict[str, Any]:
        content: dict[str, Any] = {"text": text}
        if text.startswith("/"):
            content["entities"] = [
                {"type": "bot_command", "offset": 0, "length": len(text.split()[0])}
            ]
        return await self.send(message=self._message(**content))

    async def send(self, **content: Any) -> dict[str, Any]:
        update = self.fake.new_update(**content)
        await self.fake.deliver(update)
        return update

    async def sticker(self) -> dict[str, Any]:
        sticker = {
            "file_id": "s1",
            "file_unique_id": "u1",
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
        }
        return await self.send(message=self._message(sticker=sticker))

    async def photo(self) -> dict[str, Any]:
        photo = [{"file_id": "p1", "file_unique_id": "pu1", "width": 90, "height": 90}]
        return await self.send(message=self._message(photo=photo, caption="사진"))

    async def share_contact(self, phone: str) -> dict[str, Any]:
        contact = {"phone_number": phone, "first_name": "Citizen", "user_id": self.id}
        return await self.send(message=self._message(contact=contact))

    async def leave(self) -> dict[str, Any]:
        """Blocks the bot, as Telegram reports it."""
        self.fake.block(self.id)
        change = {
            "chat": self.chat,
            "from": self.user,
            "date": int(time.time()),
            "old_chat_member": {"status": "member", "user": _bot_user()},
            "new_chat_member": {"status": "kicked", "user": _bot_user(), "until_date": 0},
        }
        return await self.send(my_chat_member=change)

    async def tap(self, label: str, message: dict[str, Any] | None = None) -> dict[str, Any]:
        """Taps a button of the bot's last message (or of `message`): inline or keyboard."""
        message = message or self.last
        markup = message.get("reply_markup") or {}
        for row in markup.get("inline_keyboard", []):
            for button in row:
                if button["text"] == label:
                    query = {
                        "id": str(next(self.fake._message_ids)),
                        "from": self.user,
                        "chat_instance": str(self.id),
                        "data": button["callback_data"],
                        "message": {
                            k: v for k, v in message.items() if k not in ("kind", "received_at")
                        },
                    }
                    return await self.send(callback_query=query)
        for row in markup.get("keyboard", []):
            for button in row:
                if button["text"] == label:
                    return await self.say(label)
        raise AssertionError(f"no button {label!r} in {self.buttons(message)}")

    @property
    def last(self) -> dict[str, Any]:
        return self.fake.outbox[self.id][-1]

    def buttons(self, message: dict[str, Any] | None = None) -> list[str]:
        markup = (message or self.last).get("reply_markup") or {}
        rows = markup.get("inline_keyboard") or markup.get("keyboard") or []
        return [button["text"] for row in rows for button in row]

    async def replies(self, count: int = 1, timeout: float = 10.0) -> list[dict[str, Any]]:
        """The next `count` outputs of the bot in this chat, waiting for them."""
        outputs = await self.fake.wait_for(self.id, self.seen + count, timeout)
        new = outputs[self.seen : self.seen + count]
        self.seen += count
        return new

    async def reply(self, timeout: float = 10.0) -> dict[str, Any]:
        return (await self.replies(1, timeout))[0]

    async def quiet(self, seconds: float = 0.5) -> bool:
        """True if the bot says nothing more within `seconds`."""
        await asyncio.sleep(seconds)
        return len(self.fake.outbox[self.id]) == self.seen


def _bot_user() -> dict[str, Any]:
    return {
        "id": BOT_ID,
        "is_bot": True,
        "first_name": "toktok",
        "username": "toktok_test_bot",
        "can_join_groups": False,
        "can_read_all_group_messages": False,
        "supports_inline_queries": False,
    }


async def _params(request: Request) -> dict[str, Any]:
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("application/json"):
        body = await request.body()
        return json.loads(body) if body else {}
    if content_type.startswith("multipart/form-data"):
        return _multipart(content_type, await request.body())
    form = parse_qsl((await request.body()).decode(), keep_blank_values=True)
    params: dict[str, Any] = dict(request.query_params)
    for key, value in form:
        params[key] = json.loads(value) if key in JSON_FIELDS else value
    return params


def _multipart(content_type: str, body: bytes) -> dict[str, Any]:
    """Form fields as text, uploaded files as bytes (PTB uploads pictures this way)."""
    message = BytesParser(policy=default).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + body
    )
    params: dict[str, Any] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        data = part.get_payload(decode=True) or b""
        if part.get_filename() is not None:
            params[name] = data
        else:
            text = data.decode()
            params[name] = json.loads(text) if name in JSON_FIELDS else text
    return params


def _ok(result: Any) -> JSONResponse:
    return JSONResponse({"ok": True, "result": result})


def _error(code: int, description: str) -> JSONResponse:
    return JSONResponse(
        {"ok": False, "error_code": code, "description": description}, status_code=code
    )


def _too_many(retry_after: int) -> JSONResponse:
    return JSONResponse(
        {
            "ok": False,
            "error_code": 429,
            "description": f"Too Many Requests: retry after {retry_after}",
            "parameters": {"retry_after": retry_after},
        },
        status_code=429,
    )

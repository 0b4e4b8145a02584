"""Every HTTP request gets an id: the caller's `X-Request-ID` when it is a plain token (a
reverse proxy's, say), else a new one. Every log line of the request carries it, and the
response says it, so an operator can find one request's lines."""

import re
import secrets

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from runtime.logs import request_id

HEADER = "x-request-id"
_PLAIN = re.compile(r"[A-Za-z0-9._-]{1,64}")


class RequestIds:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = dict(scope["headers"]).get(HEADER.encode(), b"").decode("latin-1")
        value = given if _PLAIN.fullmatch(given) else f"req-{secrets.token_hex(6)}"

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message)[HEADER] = value
            await send(message)

        with request_id(value):
            await self.app(scope, receive, send_with_id)

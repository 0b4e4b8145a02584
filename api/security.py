"""Headers every response carries: no sniffing, no referrer, no caching of personal data.

Written here rather than taken from a package: it is one fixed set of four headers, added
where the response starts (a plain ASGI middleware, so streaming responses pass untouched).
"""

from starlette.types import ASGIApp, Message, Receive, Scope, Send

# HTML pages may run only files this server sends: no inline script or style, no frame. A
# page that needs an inline script (the API docs) sends its own policy with a nonce.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
)
HSTS = "max-age=31536000; includeSubDomains"


class SecurityHeaders:
    def __init__(self, app: ASGIApp, *, https_only: bool) -> None:
        self.app = app
        self.https_only = https_only

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                given = {name.lower() for name, _ in headers}
                extra = [
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"no-referrer"),
                ]
                if self.https_only:
                    extra.append((b"strict-transport-security", HSTS.encode()))
                if b"cache-control" not in given:
                    # Staff answers carry personal data; nothing is worth a stale copy.
                    extra.append((b"cache-control", b"no-store"))
                content_type = dict(headers).get(b"content-type", b"")
                if (
                    content_type.startswith(b"text/html")
                    and b"content-security-policy" not in given
                ):
                    extra.append((b"content-security-policy", CONTENT_SECURITY_POLICY.encode()))
                message["headers"] = headers + extra
            await send(message)

        await self.app(scope, receive, with_headers)

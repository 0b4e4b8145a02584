"""Survey results pictures for KakaoTalk: `simpleImage` needs an HTTPS address, so the
chart is served by the API server at a signed, expiring URL.

The URL carries the chart itself (the question, option labels, counts, percents, which bars
are the citizen's own answers) sealed with a key derived from `KAKAO_SKILL_SECRET` (Fernet:
AES with an HMAC and a timestamp), so the address reads as nothing — not her answer — to
anyone who sees it; nothing is stored, any process can draw it, and an edited or expired
address is a 404.
"""

import base64
import hashlib
import hmac
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from cryptography.fernet import Fernet, InvalidToken
from fastapi import APIRouter, HTTPException, status
from fastapi.responses import Response

from conversations.events import Reply
from runtime.chart import bar_chart
from storage.models import utcnow

Bars = Sequence[tuple[str, int, int]]


@dataclass(frozen=True)
class Picture:
    bars: Bars
    title: str
    mine: tuple[int, ...]


LIFETIME = timedelta(days=1)
PATH = "/kakao/chart"


class ChartSigner:
    def __init__(self, secret: str, base_url: str, clock: Callable[[], datetime] = utcnow) -> None:
        key = hmac.new(secret.encode(), b"toktok kakao charts", hashlib.sha256).digest()
        self.fernet = Fernet(base64.urlsafe_b64encode(key))
        self.base_url = base_url.rstrip("/")
        self.clock = clock

    def url(self, reply: Reply) -> str:
        chart: dict[str, object] = {
            "b": [list(bar) for bar in reply.chart],
            "t": reply.chart_title,
            "m": list(reply.chart_mine),
        }
        data = json.dumps(chart, ensure_ascii=False).encode()
        token = self.fernet.encrypt_at_time(data, int(self.clock().timestamp())).decode()
        return f"{self.base_url}{PATH}/{token}.png"

    def picture(self, token: str) -> Picture | None:
        """The chart of a token this signer made and that has not expired; else None."""
        now = int(self.clock().timestamp())
        try:
            raw = self.fernet.decrypt_at_time(token, int(LIFETIME.total_seconds()), now)
            data = json.loads(raw)
            bars = [(str(label), int(count), int(percent)) for label, count, percent in data["b"]]
            return Picture(bars, str(data["t"]), tuple(int(n) for n in data["m"]))
        except (InvalidToken, ValueError, KeyError, TypeError):
            return None


def chart_router(signer: ChartSigner) -> APIRouter:
    router = APIRouter(include_in_schema=False)

    @router.get(PATH + "/{token}.png")
    def chart(token: str) -> Response:
        found = signer.picture(token) if len(token) < 6000 else None
        if found is None or not found.bars:
            raise HTTPException(status.HTTP_404_NOT_FOUND, "no such picture")
        return Response(
            bar_chart(found.bars, title=found.title, mine=found.mine),
            media_type="image/png",
            headers={"Cache-Control": "private, max-age=3600"},
        )

    return router

"""A Kakao i Open Builder stand-in: sends skill requests shaped like Kakao's (as its
documentation shows them) to the real API server, as a citizen typing or tapping quick
replies would, and checks every answer against Kakao's limits."""

from typing import Any

import httpx

from kakao.models import SkillAnswer


def skill_request(user: str, utterance: str, extra: dict[str, Any] | None = None) -> dict:
    return {
        "intent": {"id": "fallback-block", "name": "폴백 블록"},
        "userRequest": {
            "timezone": "Asia/Seoul",
            "params": {"ignoreMe": "true"},
            "block": {"id": "fallback-block", "name": "폴백 블록"},
            "utterance": utterance,
            "lang": "ko",
            "user": {"id": user, "type": "botUserKey", "properties": {"botUserKey": user}},
        },
        "bot": {"id": "toktok-bot", "name": "톡톡"},
        "action": {
            "name": "toktok",
            "clientExtra": extra if extra is not None else "null",
            "params": {},
            "id": "skill",
            "detailParams": {},
        },
        "contexts": [],
    }


class KakaoCitizen:
    def __init__(
        self, client: httpx.AsyncClient, url: str, user: str, *, extras: bool = True
    ) -> None:
        """`extras` False: a client whose quick replies bring no `clientExtra` back, so
        every tap arrives as the label's words alone."""
        self.client = client
        self.url = url
        self.user = user
        self.extras = extras
        self.last: dict = {}

    async def send(self, utterance: str, extra: dict | None = None) -> dict:
        answered = await self.client.post(
            self.url, json=skill_request(self.user, utterance, extra)
        )
        assert answered.status_code == 200, answered.text
        body = answered.json()
        SkillAnswer.model_validate(body)  # within every limit, or this raises
        self.last = body
        return body

    async def say(self, words: str) -> dict:
        return await self.send(words)

    async def tap(self, label: str) -> dict:
        """Taps the quick reply whose label (or full words) is `label`."""
        for quick in self.quick_replies():
            if label in (quick["label"], quick["messageText"]):
                extra = quick.get("extra") if self.extras else None
                return await self.send(quick["messageText"], extra)
        raise AssertionError(f"no quick reply {label!r} in {self.labels()}")

    def quick_replies(self) -> list[dict]:
        return self.last.get("template", {}).get("quickReplies", [])

    def labels(self) -> list[str]:
        return [quick["label"] for quick in self.quick_replies()]

    def text(self) -> str:
        outputs = self.last["template"]["outputs"]
        return "\n".join(o["simpleText"]["text"] for o in outputs if "simpleText" in o)

"""An official at the counter through the JSON API: starts a session for a resident, presses
the buttons of the engine's replies by their words, types the resident's words."""

from typing import Any

import httpx
from sqlalchemy import Engine

from storage.staff import Role
from tests.auxil.factories import make_staff

RESIDENT_PHONE = "010-2345-6789"


class CounterOfficial:
    def __init__(
        self,
        api: httpx.AsyncClient,
        db: Engine,
        dongs: list[str] | None = None,
        role: Role = Role.STAFF,
    ) -> None:
        _, token = make_staff(db, role=role, name="김담당", dongs=dongs or ["매탄3동"])
        self.api = api
        self.headers = {"Authorization": f"Bearer {token}"}
        self.session: dict[str, Any] = {}

    async def start(self, phone: str = RESIDENT_PHONE, office: str = "매탄3동") -> dict[str, Any]:
        started = await self.api.post(
            "/api/v1/counter/sessions",
            json={
                "office_dong": office,
                "how": "in_person",
                "reason": "스마트폰이 없으심",
                "phone": phone,
                "privacy_read": True,
            },
            headers=self.headers,
        )
        assert started.status_code == 201, started.text
        self.session = started.json()
        return self.session

    def text(self) -> str:
        return "\n".join(reply["text"] for reply in self.session["replies"])

    async def turn(self, body: dict[str, Any]) -> dict[str, Any]:
        answered = await self.api.post(
            f"/api/v1/counter/sessions/{self.session['id']}/turns", json=body, headers=self.headers
        )
        assert answered.status_code == 200, answered.text
        self.session = answered.json()
        return self.session

    async def press(self, label: str) -> dict[str, Any]:
        for reply in reversed(self.session["replies"]):
            for button in reply["buttons"]:
                if button["text"] == label:
                    if button["press"]:
                        return await self.turn(
                            {"press": button["value"], "prompt_id": reply["prompt_id"]}
                        )
                    return await self.turn({"say": button["text"]})
        raise AssertionError(f"no {label!r} in {self.session['replies']}")

    async def say(self, words: str) -> dict[str, Any]:
        return await self.turn({"text": words})

    async def onboard_without_profile(self) -> None:
        for label in ("한국어", "보통으로", "동의하지 않습니다"):
            await self.press(label)
        assert "무엇을 도와드릴까요" in self.text()

    async def apply_for_care_for_a_parent(self) -> None:
        """A care application for the resident's mother, both consents and hers given."""
        for label in ("🤝 돌봄 신청", "👪 가족", "부모님", "네, 동의하셨어요", "동의합니다",
                      "동의합니다", "🍱 식사 지원", "✔️ 완료 (1개 선택)"):  # fmt: skip
            await self.press(label)
        await self.say("무릎 수술 후 혼자 지내세요")
        await self.press("✔️ 완료 (0개 선택)")
        for words in ("김수원", "이영희", "010-1234-5678"):
            await self.say(words)
        await self.press("영통구")
        await self.say("매탄3동")
        await self.say("매탄아파트 101동 1004호")
        await self.press("오전 (9~12시)")
        await self.press("✅ 신청하기")
        assert "접수번호는 C-" in self.text()

    async def slip(self) -> dict[str, Any]:
        answered = await self.api.get(
            f"/api/v1/counter/sessions/{self.session['id']}/slip", headers=self.headers
        )
        assert answered.status_code == 200, answered.text
        slip: dict[str, Any] = answered.json()
        return slip

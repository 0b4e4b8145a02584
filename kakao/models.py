"""Kakao i Open Builder's skill request and answer, with the limits this adapter relies on.

Limits, from Kakao's skill documentation ("응답 타입별 JSON 포맷",
https://kakaobusiness.gitbook.io/main/tool/chatbot/skill_guide/answer_json_format, formerly
https://i.kakao.com/docs/skill-response-format) and the SDKs built on it:
- `template.outputs`: 1 to 3 outputs per answer;
- `template.quickReplies`: at most 10, each `label` at most 14 characters, `action`
  "message" (sends `messageText`) or "block" (`blockId`), with an optional `extra` object
  that comes back as `action.clientExtra`;
- `simpleText.text`: at most 1,000 characters (longer texts are cut by KakaoTalk with a
  "more" link, so the adapter splits them itself);
- `basicCard`: title at most 50, description at most 230 characters, at most 3 buttons;
- `listCard`: at most 5 items; `carousel`: at most 10 cards of one type.
The request carries `userRequest.utterance`, `userRequest.user.id` (a key per bot and
person), `action.clientExtra` and `bot.id`; everything else is ignored.
"""

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

MAX_OUTPUTS = 3
MAX_QUICK_REPLIES = 10
MAX_LABEL = 14
MAX_TEXT = 1000


class _Loose(BaseModel):
    model_config = ConfigDict(extra="ignore")


class KakaoUser(_Loose):
    id: str = Field(min_length=1, max_length=200)


class UserRequest(_Loose):
    # Kakao lets a message run long; the engine answers an over-long one kindly.
    utterance: str = Field(default="", max_length=20_000)
    user: KakaoUser
    # Present where the block has Kakao's callback on (an "AI chatbot"): valid for a minute,
    # once (https://kakaobusiness.gitbook.io/main/tool/chatbot/skill_guide/ai_chatbot_callback_guide).
    callbackUrl: str | None = Field(default=None, max_length=2000, pattern=r"^https?://")


class Action(_Loose):
    params: dict[str, Any] = Field(default_factory=dict)
    clientExtra: dict[str, Any] | None = None

    @field_validator("clientExtra", mode="before")
    @classmethod
    def _nothing_is_none(cls, value: Any) -> Any:
        """Kakao sends `"null"` or `{}` when a button had no extra."""
        return value if isinstance(value, dict) and value else None


class Bot(_Loose):
    id: str = ""


class SkillRequest(_Loose):
    userRequest: UserRequest
    action: Action = Field(default_factory=Action)
    bot: Bot = Field(default_factory=Bot)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SimpleText(_Strict):
    text: str = Field(min_length=1, max_length=MAX_TEXT)


class SimpleImage(_Strict):
    imageUrl: str = Field(pattern=r"^https://")
    altText: str = Field(min_length=1, max_length=1000)


class Output(_Strict):
    simpleText: SimpleText | None = None
    simpleImage: SimpleImage | None = None


class QuickReply(_Strict):
    label: str = Field(min_length=1, max_length=MAX_LABEL)
    action: Literal["message", "block"] = "message"
    messageText: str = Field(min_length=1, max_length=1000)
    extra: dict[str, Any] | None = None


class Template(_Strict):
    outputs: list[Output] = Field(min_length=1, max_length=MAX_OUTPUTS)
    quickReplies: list[QuickReply] = Field(default_factory=list, max_length=MAX_QUICK_REPLIES)


CALL_BACK = {"version": "2.0", "useCallback": True}  # the answer comes to callbackUrl


class SkillAnswer(_Strict):
    version: Literal["2.0"] = "2.0"
    template: Template

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json", exclude_none=True)

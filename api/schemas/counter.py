"""The counter through the API: a session for a resident, its turns, its slip."""

from typing import Literal

from pydantic import BaseModel, Field, model_validator

from staff.types import Timestamp


class SessionIn(BaseModel):
    office_dong: str = Field(max_length=32, description="One of the official's dongs.")
    how: Literal["in_person", "phone"]
    reason: str = Field(min_length=1, max_length=200, description="Kept in the audit log.")
    phone: str = Field(
        max_length=40, description="The resident's; only its keyed hash is kept (one vote)."
    )
    privacy_read: bool = Field(
        description="The privacy notice was read to the resident and they agreed."
    )


class ButtonOut(BaseModel):
    text: str
    value: str
    press: bool = Field(description="Send back as `press` (with the prompt) or, if not, `say`.")


class ReplyOut(BaseModel):
    """One of the engine's replies, as a chat would show it."""

    text: str
    prompt_id: int | None
    buttons: list[ButtonOut]
    asks_phone: str | None = Field(description="A phone number is asked: send it as `contact`.")
    chart: list[tuple[str, int, int]] = Field(description="(answer, count, percent) bars.")


class FiledOut(BaseModel):
    kind: Literal["proposal", "support", "comment", "survey", "care"]
    receipt: str | None
    title: str | None


class SessionOut(BaseModel):
    id: int
    office_dong: str
    how: str
    reason: str
    started_at: Timestamp
    ended_at: Timestamp | None
    replies: list[ReplyOut] = Field(description="The latest turn's replies.")
    filed: list[FiledOut]


class TurnIn(BaseModel):
    """Exactly one of: a button pressed (`press`, with `prompt_id`), a keyboard button's
    words (`say`), the resident's words (`text`), a phone number (`contact`), or a menu
    command (`command`)."""

    press: str | None = Field(default=None, max_length=64)
    prompt_id: int | None = Field(default=None, ge=0, le=2**31 - 1)
    say: str | None = Field(default=None, max_length=200)
    text: str | None = Field(default=None, min_length=1, max_length=4000)
    contact: str | None = Field(default=None, max_length=40)
    command: Literal["menu", "me", "help", "stop", "delete", "start"] | None = None

    @model_validator(mode="after")
    def _one(self) -> "TurnIn":
        given = [f for f in ("press", "say", "text", "contact", "command") if getattr(self, f)]
        if len(given) != 1:
            raise ValueError("give exactly one of press, say, text, contact, command")
        if self.press is not None and self.prompt_id is None:
            raise ValueError("a press needs the prompt_id of the reply it belongs to")
        return self


class SlipOut(BaseModel):
    session_id: int
    office: str
    phone: str | None
    code: str = Field(description="Typed in Telegram or KakaoTalk to join the items there.")
    expires_at: Timestamp
    staff_name: str
    items: list[FiledOut]

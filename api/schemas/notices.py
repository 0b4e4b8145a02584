"""Notices: what the API gives back (what it takes is the staff floor's `NoticeIn`)."""

from typing import Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
)

from staff.notice_input import (
    NoticeAudience,
    NoticeIn,
    Topic,
)
from staff.types import Timestamp


class NoticePublic(NoticeIn):
    id: int
    status: Literal["draft", "for_approval", "scheduled", "sending", "sent", "cancelled"]
    send_at: Timestamp | None
    created_by: int | None
    requested_by: int | None = Field(description="Who asked to send it, if it needed approval.")
    approved_by: int | None = Field(description="Who approved it (four eyes), if it needed to.")
    created_at: Timestamp
    queued_at: Timestamp | None
    finished_at: Timestamp | None


class NoticePage(BaseModel):
    items: list[NoticePublic]
    total: int
    limit: int
    offset: int


class Preview(BaseModel):
    recipients: int = Field(description="Citizens the audience matches (active, notices on).")
    over_budget: int = Field(description="Of those, already at this week's notice budget.")
    will_receive: int
    by_channel: dict[str, int] = Field(
        default_factory=dict,
        description="Matching citizens per channel: telegram's are sent to; kakao's get the "
        "notice with their next message.",
    )


class AudienceQuestion(BaseModel):
    audience: NoticeAudience = Field(default_factory=NoticeAudience)
    topics: list[Topic] = Field(default_factory=list, max_length=5)
    urgent: bool = False


class SendOrder(BaseModel):
    send_at: Timestamp | None = Field(default=None, description="Now if left out.")


class TestCopy(BaseModel):
    """A test copy goes to the caller's own linked Telegram chat, never to a chat named in
    the request (`chat_id` is refused)."""

    model_config = ConfigDict(extra="forbid")

    language: Literal["ko", "en"] = "ko"


class Report(BaseModel):
    notice_id: int
    status: str
    total: int
    queued: int
    sent: int
    failed: int
    blocked: int
    cancelled: int
    held: int = Field(
        description="Waiting for the citizen's next message: channels the city cannot send "
        "to first (KakaoTalk without its Event API)."
    )
    progress: float = Field(description="Share of recipients done, 0–1.")
    rate_per_second: float = Field(description="Sent in the last 10 seconds, per second.")
    eta_seconds: float | None

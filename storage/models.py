"""Tables: citizens by (channel, external id); conversation state as one versioned row."""

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import JSON, Column, DateTime, Index, Text, UniqueConstraint, false
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    return datetime.now(UTC)


def _timestamp(**kwargs: Any) -> Any:
    return Field(default_factory=utcnow, sa_type=DateTime(timezone=True), **kwargs)


class Citizen(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("channel", "external_id"),)

    id: int | None = Field(default=None, primary_key=True)
    channel: str = Field(max_length=16)
    external_id: str = Field(max_length=64)
    chat_id: str = Field(max_length=64)
    language: str | None = Field(default=None, max_length=8)
    privacy_consent: bool | None = None
    dong: str | None = Field(default=None, max_length=32, index=True)
    age_band: str | None = Field(default=None, max_length=16)
    interests: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    muted_topics: list[str] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False, server_default="[]")
    )
    easy_mode: bool = False
    notices_enabled: bool = True
    onboarded: bool = False
    active: bool = True
    # Set by staff when a citizen abuses the channel: they may read and answer surveys but
    # not post proposals or comments, until staff lift it. The reason is told to them.
    blocked_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    blocked_reason: str | None = Field(default=None, max_length=200)
    # One resident across channels: a keyed hash of their phone number, set when an official
    # takes part for them at the counter and when a chat is joined to that with the slip's
    # code. Citizens sharing it are one person, who answers a survey once.
    person_key: str | None = Field(default=None, max_length=64, index=True)
    created_at: datetime = _timestamp(index=True)  # the dashboard's growth, per day
    updated_at: datetime = _timestamp()


class ConversationState(SQLModel, table=True):
    """Where a citizen is; `version` turns a concurrent second write into a retry.

    `recent_updates` holds the citizen's last update ids: a re-delivered update is always a
    recent one of the same citizen, so it is recognised here, in the row the turn writes anyway.
    """

    __tablename__ = "conversation_state"

    citizen_id: int = Field(foreign_key="citizen.id", primary_key=True, ondelete="CASCADE")
    data: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    recent_updates: list[int] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False, server_default="[]")
    )
    version: int = 0
    updated_at: datetime = _timestamp()


class OutboxMessage(SQLModel, table=True):
    """A reply written in the same transaction as the state that produced it."""

    __tablename__ = "outbox_message"

    id: int | None = Field(default=None, primary_key=True)
    citizen_id: int | None = Field(default=None, foreign_key="citizen.id", ondelete="SET NULL")
    channel: str = Field(max_length=16)
    chat_id: str = Field(max_length=64)
    payload: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    reply_to_message: str | None = Field(default=None, max_length=32)
    # The state version the turn that wrote this reply saved; empty for staff messages. An
    # unsent reply of an older turn than the citizen's latest is a stale prompt, never sent.
    turn: int | None = None
    created_at: datetime = _timestamp()
    claimed_until: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    sent_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True), index=True)
    failed: bool = False
    attempts: int = 0
    # What a staff message is about ("proposal:12", "care:3", "citizen:5"), so the record's
    # page shows, per recipient, whether it was sent; empty for the citizen's own replies.
    about: str | None = Field(default=None, max_length=40, index=True)


class Staff(SQLModel, table=True):
    """A city official. Signs in with `login` and a password (argon2 hash); calls the API with
    tokens of their own (`ApiToken`). Deactivating stops both at once."""

    id: int | None = Field(default=None, primary_key=True)
    login: str = Field(max_length=40, unique=True)
    name: str = Field(max_length=100)
    role: str = Field(max_length=16)
    dongs: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    department: str = Field(default="", max_length=60)
    active: bool = True
    password_hash: str | None = Field(default=None, max_length=200)
    must_change_password: bool = True
    # Their own Telegram chat, linked by sending `/staff CODE` to the bot: test copies of
    # notices go there and nowhere else.
    telegram_chat_id: str | None = Field(default=None, max_length=32, index=True)
    link_code_hash: str | None = Field(default=None, max_length=64, index=True)
    link_code_expires_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    created_at: datetime = _timestamp()

    @property
    def key(self) -> int:
        """The stored id: every account read from the database or signed in has one."""
        if self.id is None:
            raise ValueError("this staff account is not stored yet")
        return self.id


class AnswerTemplate(SQLModel, table=True):
    """A department's saved answer to proposals: a status and its text, picked when answering
    so that similar proposals get the department's considered answer, not a retyped one."""

    __tablename__ = "answer_template"

    id: int | None = Field(default=None, primary_key=True)
    department: str = Field(max_length=60, index=True)
    title: str = Field(max_length=60)
    status: str = Field(max_length=24)
    body: str = Field(max_length=2000)
    author_id: int = Field(foreign_key="staff.id")
    updated_at: datetime = _timestamp()


class ApiToken(SQLModel, table=True):
    """A staff member's API token: only its SHA-256 is kept; it expires and can be revoked."""

    __tablename__ = "api_token"

    id: int | None = Field(default=None, primary_key=True)
    staff_id: int = Field(foreign_key="staff.id", index=True)
    name: str = Field(max_length=60)
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = _timestamp()
    expires_at: datetime = Field(sa_type=DateTime(timezone=True))
    last_used_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    revoked_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))


class Throttle(SQLModel, table=True):
    """Failed attempts per key (an address, an account): too many in a minute lock it a while."""

    key: str = Field(primary_key=True, max_length=160)
    failures: int = 0
    window_started_at: datetime = _timestamp()
    locked_until: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))


class SendBudget(SQLModel, table=True):
    """The bot's one Telegram sending budget, shared by every process on one PostgreSQL: the
    next free moment to send (see `storage/send_budget.py`)."""

    __tablename__ = "send_budget"

    id: int = Field(primary_key=True)
    next_slot: datetime = Field(sa_type=DateTime(timezone=True))


class AuditLog(SQLModel, table=True):
    __tablename__ = "audit_log"

    id: int | None = Field(default=None, primary_key=True)
    staff_id: int | None = Field(default=None, foreign_key="staff.id")
    action: str = Field(max_length=64)
    target: str = Field(max_length=128)
    detail: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    at: datetime = _timestamp(index=True)


class Proposal(SQLModel, table=True):
    """A citizen's policy proposal; `support_count` is kept in step with `proposal_support`."""

    # The citizens' "👍 공감 많은 순" list reads these indexes backwards, a page at a time: all
    # proposals, one area's, one dong's.
    __table_args__ = (
        Index("ix_proposal_popular", "support_count", "id"),
        Index("ix_proposal_popular_category", "category", "support_count", "id"),
        Index("ix_proposal_popular_dong", "dong", "support_count", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    author_id: int | None = Field(default=None, foreign_key="citizen.id", ondelete="SET NULL")
    title: str = Field(max_length=60)
    body: str = Field(max_length=1000)
    category: str = Field(max_length=32, index=True)
    dong: str | None = Field(default=None, max_length=32, index=True)
    status: str = Field(default="submitted", max_length=24, index=True)
    support_count: int = 0
    hidden: bool = False
    answer: str | None = Field(default=None, max_length=4000)
    answered_by: int | None = Field(default=None, foreign_key="staff.id")
    answered_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    threshold_reached_at: datetime | None = Field(
        default=None, sa_type=DateTime(timezone=True), index=True
    )
    # The department that owes the answer, and by when (a day in the city's calendar).
    department: str | None = Field(default=None, max_length=60, index=True)
    due_on: date | None = None
    created_at: datetime = _timestamp(index=True)
    updated_at: datetime = _timestamp(index=True)


class ProposalNote(SQLModel, table=True):
    """Staff's private note on a proposal, never shown to citizens; sealed, since a note may
    name the people it is about."""

    __tablename__ = "proposal_note"

    id: int | None = Field(default=None, primary_key=True)
    proposal_id: int = Field(foreign_key="proposal.id", index=True, ondelete="CASCADE")
    staff_id: int | None = Field(default=None, foreign_key="staff.id")
    sealed_body: str | None = Field(default=None, sa_type=Text)
    at: datetime = _timestamp()


class ProposalSupport(SQLModel, table=True):
    """One row per citizen and proposal: the primary key makes a second support impossible."""

    __tablename__ = "proposal_support"

    proposal_id: int = Field(foreign_key="proposal.id", primary_key=True, ondelete="CASCADE")
    citizen_id: int = Field(foreign_key="citizen.id", primary_key=True, ondelete="CASCADE")
    created_at: datetime = _timestamp()


class ProposalComment(SQLModel, table=True):
    __tablename__ = "proposal_comment"

    id: int | None = Field(default=None, primary_key=True)
    proposal_id: int = Field(foreign_key="proposal.id", index=True, ondelete="CASCADE")
    author_id: int | None = Field(default=None, foreign_key="citizen.id", ondelete="SET NULL")
    body: str = Field(max_length=500)
    hidden: bool = False
    created_at: datetime = _timestamp()


class ProposalReport(SQLModel, table=True):
    """One report per citizen and item; three different citizens hide the item for review."""

    __tablename__ = "proposal_report"
    __table_args__ = (UniqueConstraint("kind", "item_id", "citizen_id"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=16)
    item_id: int = Field(index=True)
    citizen_id: int = Field(foreign_key="citizen.id", ondelete="CASCADE")
    reason: str | None = Field(default=None, max_length=16)
    created_at: datetime = _timestamp()


class ProposalMute(SQLModel, table=True):
    """A citizen who asked not to hear about this proposal any more."""

    __tablename__ = "proposal_mute"

    proposal_id: int = Field(foreign_key="proposal.id", primary_key=True, ondelete="CASCADE")
    citizen_id: int = Field(foreign_key="citizen.id", primary_key=True, ondelete="CASCADE")


class Poll(SQLModel, table=True):
    """A staff-made survey: its questions and audience as JSON, its schedule and status.

    `status` moves draft → scheduled → open → closed; the scheduler's moves are conditional
    updates, so when two processes fire the same job only one of them moves it.
    """

    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=100)
    intro: str = Field(default="", max_length=1000)
    # What citizens read after answering, and the survey's own words for those who chose
    # English ({"title", "intro", "outro"}; what is left out reads as the Korean).
    outro: str = Field(default="", max_length=500, sa_column_kwargs={"server_default": ""})
    english: dict[str, str] = Field(
        default_factory=dict, sa_column=Column(JSON, nullable=False, server_default="{}")
    )
    questions: list[dict[str, Any]] = Field(sa_column=Column(JSON, nullable=False))
    audience: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    results_shown: str = Field(default="after_close", max_length=16)
    status: str = Field(default="draft", max_length=16, index=True)
    opens_at: datetime = Field(sa_type=DateTime(timezone=True))
    closes_at: datetime = Field(sa_type=DateTime(timezone=True))
    version: int = 1
    created_by: int | None = Field(default=None, foreign_key="staff.id")
    created_at: datetime = _timestamp()
    updated_at: datetime = _timestamp()


class PollResponse(SQLModel, table=True):
    """One citizen's response; the unique key is the one-person-one-vote rule.

    Where the citizen lived and their age band are copied at the time of answering, so
    breakdowns stay put when a profile changes or is erased (the link to the citizen is then
    cleared and only the anonymous answer stays).
    """

    __tablename__ = "poll_response"
    __table_args__ = (UniqueConstraint("poll_id", "citizen_id"),)

    id: int | None = Field(default=None, primary_key=True)
    poll_id: int = Field(foreign_key="poll.id", ondelete="CASCADE")
    citizen_id: int | None = Field(default=None, foreign_key="citizen.id", ondelete="SET NULL")
    gu: str | None = Field(default=None, max_length=16)
    dong: str | None = Field(default=None, max_length=32)
    age_band: str | None = Field(default=None, max_length=16)
    submitted_at: datetime = _timestamp()


class PollAnswer(SQLModel, table=True):
    """One chosen value (a multiple choice gives several rows) or one free-text answer.

    The respondent's gu, dong and age band are repeated here, and `ordinal` is 0 on the first
    row of each answer, so results (counts and respondents) are one grouped scan of this
    table, without a join or a distinct count.
    """

    __tablename__ = "poll_answer"

    id: int | None = Field(default=None, primary_key=True)
    poll_id: int = Field(foreign_key="poll.id", index=True, ondelete="CASCADE")
    response_id: int = Field(foreign_key="poll_response.id", ondelete="CASCADE")
    question: str = Field(max_length=8)
    ordinal: int = 0
    value: str | None = Field(default=None, max_length=8)
    # A free-text answer, sealed: people write names and numbers into "anything else?".
    sealed_text: str | None = Field(default=None, sa_type=Text)
    # Free text kept before sealing existed; sealed into `sealed_text` at start-up.
    text: str | None = Field(default=None, max_length=1000)
    gu: str | None = Field(default=None, max_length=16)
    dong: str | None = Field(default=None, max_length=32)
    age_band: str | None = Field(default=None, max_length=16)


class CareApplication(SQLModel, table=True):
    """An integrated-care application. Personal and health data are sealed (Fernet tokens).

    Only what staff filter on stays readable: dong, services, track, status and dates.
    Anonymising clears the sealed columns and the link to the citizen, keeping the counts.
    """

    __tablename__ = "care_application"

    id: int | None = Field(default=None, primary_key=True)
    citizen_id: int | None = Field(
        default=None, foreign_key="citizen.id", ondelete="SET NULL", index=True
    )
    for_whom: str = Field(max_length=16)
    relation: str | None = Field(default=None, max_length=16)
    services: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    track: str = Field(max_length=24, index=True)
    priority: str = Field(max_length=8)
    dong: str = Field(max_length=32, index=True)
    contact_time: str = Field(max_length=16)
    status: str = Field(default="received", max_length=16, index=True)
    assigned_to: int | None = Field(default=None, foreign_key="staff.id")
    sealed_applicant_name: str | None = Field(default=None, sa_type=Text)
    sealed_cared_name: str | None = Field(default=None, sa_type=Text)
    sealed_phone: str | None = Field(default=None, sa_type=Text)
    sealed_address: str | None = Field(default=None, sa_type=Text)
    sealed_situation: str | None = Field(default=None, sa_type=Text)
    sealed_screening: str | None = Field(default=None, sa_type=Text)
    created_at: datetime = _timestamp(index=True)
    updated_at: datetime = _timestamp()
    closed_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True), index=True)
    anonymised_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))


class CareStatusChange(SQLModel, table=True):
    """Each status a case has had; the reason is what the applicant is told."""

    __tablename__ = "care_status_change"

    id: int | None = Field(default=None, primary_key=True)
    application_id: int = Field(foreign_key="care_application.id", index=True, ondelete="CASCADE")
    status: str = Field(max_length=16)
    reason: str | None = Field(default=None, max_length=500)
    staff_id: int | None = Field(default=None, foreign_key="staff.id")
    at: datetime = _timestamp()


class CareNote(SQLModel, table=True):
    """A case worker's note; sealed, since notes about a person are personal data."""

    __tablename__ = "care_note"

    id: int | None = Field(default=None, primary_key=True)
    application_id: int = Field(foreign_key="care_application.id", index=True, ondelete="CASCADE")
    staff_id: int | None = Field(default=None, foreign_key="staff.id")
    sealed_body: str | None = Field(default=None, sa_type=Text)
    at: datetime = _timestamp()


class CareAccess(SQLModel, table=True):
    """Who read or changed which case, when: kept at least two years (a setting)."""

    __tablename__ = "care_access"

    id: int | None = Field(default=None, primary_key=True)
    staff_id: int | None = Field(default=None, foreign_key="staff.id")
    application_id: int | None = Field(default=None, index=True)
    action: str = Field(max_length=24)
    at: datetime = _timestamp(index=True)


class Notice(SQLModel, table=True):
    """A tailored notice: its text, buttons, topics and audience, and where its sending is.

    `status` moves draft → scheduled → sending → sent, or to cancelled; the move to sending
    (which queues the recipients) is a conditional update, so it happens once. A notice that
    needs a second person's approval waits in for_approval between draft and scheduled.
    """

    id: int | None = Field(default=None, primary_key=True)
    text: str = Field(max_length=4000)
    link_url: str | None = Field(default=None, max_length=500)
    link_label: str | None = Field(default=None, max_length=40)
    apply_flow: str | None = Field(default=None, max_length=32)
    topics: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    audience: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    urgent: bool = False
    status: str = Field(default="draft", max_length=16, index=True)
    send_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    created_by: int | None = Field(default=None, foreign_key="staff.id")
    # Four eyes: who asked to send a notice that needs approval, and who approved it.
    requested_by: int | None = Field(default=None, foreign_key="staff.id")
    approved_by: int | None = Field(default=None, foreign_key="staff.id")
    approved_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    created_at: datetime = _timestamp()
    updated_at: datetime = _timestamp()
    queued_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    finished_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))


class NoticeDelivery(SQLModel, table=True):
    """One recipient of one notice; claimed by one sender at a time, sent at most once.

    `citizen_id` is empty for a staff member's test copy.
    """

    __tablename__ = "notice_delivery"
    __table_args__ = (
        UniqueConstraint("notice_id", "citizen_id"),
        Index("ix_notice_delivery_due", "status", "not_before"),
        Index("ix_notice_delivery_notice_status", "notice_id", "status"),
        Index("ix_notice_delivery_citizen_sent", "citizen_id", "sent_at"),
        # What is held for one chat: read at every KakaoTalk call.
        Index("ix_notice_delivery_chat_status", "chat_id", "status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    notice_id: int = Field(foreign_key="notice.id", ondelete="CASCADE")
    citizen_id: int | None = Field(default=None, foreign_key="citizen.id", ondelete="CASCADE")
    chat_id: str = Field(max_length=64)
    language: str | None = Field(default=None, max_length=8)
    urgent: bool = False
    status: str = Field(default="queued", max_length=12)
    attempts: int = 0
    not_before: datetime = _timestamp()
    claimed_until: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    sent_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))


class NoticeOptOut(SQLModel, table=True):
    """A citizen turned notices off or asked for fewer on a topic: counted for the dashboard,
    with no citizen kept (a count of moments, not a list of people)."""

    __tablename__ = "notice_opt_out"

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=8)  # "off" or "mute"
    topic: str | None = Field(default=None, max_length=32)
    created_at: datetime = _timestamp(index=True)


class GroupChat(SQLModel, table=True):
    """A group the bot was added to and has told, once, to talk to it in private instead."""

    __tablename__ = "group_chat"

    chat_id: str = Field(primary_key=True, max_length=64)
    told_at: datetime = _timestamp()


class StaffSession(SQLModel, table=True):
    """A signed-in console session: only the SHA-256 of its cookie is kept, with the form token
    (CSRF) its pages carry; idle sessions end (`CONSOLE_IDLE_MINUTES`)."""

    __tablename__ = "staff_session"

    id: str = Field(primary_key=True, max_length=64)
    staff_id: int = Field(foreign_key="staff.id", index=True)
    csrf: str = Field(max_length=64)
    created_at: datetime = _timestamp()
    last_seen_at: datetime = _timestamp()


class KakaoAnswer(SQLModel, table=True):
    """A Kakao skill call and the replies it was answered with (sealed; kept together with
    the call): a retry of the same call gets the same answer, and "더 보기" / "다음 ▶" page
    through the latest without a turn."""

    __tablename__ = "kakao_answer"
    # Every call reads the citizen's latest answer: walked back from her newest call.
    __table_args__ = (Index("ix_kakao_answer_user_call", "user_key", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    user_key: str = Field(max_length=200)
    request_key: str = Field(max_length=64, index=True)
    replies: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    created_at: datetime = _timestamp()
    # Answered within Kakao's wait, so the citizen saw it: the next call starts from here,
    # and the same words again are a new turn, not a retry of this one.
    shown: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    # When the answer was kept: a call that arrived before it did not start from it (a
    # resend waiting behind its first call's turn is still a resend).
    answered_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    # The latest answer the citizen had seen when the call came (0: none): the same words
    # from the same place again are a retry; after another answer, a new call.
    seen: int | None = None


class KakaoPoke(SQLModel, table=True):
    """When a Kakao citizen was last told through the Event API that news is waiting, so
    they are told once per news, not every second."""

    __tablename__ = "kakao_poke"

    chat_id: str = Field(primary_key=True, max_length=200)
    poked_at: datetime = _timestamp()


class CounterSession(SQLModel, table=True):
    """An official taking part for a resident at the counter ("창구 접수"): who acts, where,
    how (in person or by phone) and why; when the privacy notice was read to the resident and
    they agreed; the slip's code (its SHA-256 to find it, sealed to print it again) and the
    chat it was later joined to."""

    __tablename__ = "counter_session"

    id: int | None = Field(default=None, primary_key=True)
    staff_id: int = Field(foreign_key="staff.id", index=True)
    office_dong: str = Field(max_length=32, index=True)
    how: str = Field(max_length=16)
    reason: str = Field(max_length=200)
    citizen_id: int | None = Field(default=None, foreign_key="citizen.id", ondelete="SET NULL")
    privacy_agreed_at: datetime = _timestamp()
    started_at: datetime = _timestamp()
    last_active_at: datetime = _timestamp()
    ended_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    ended_why: str | None = Field(default=None, max_length=16)
    code_hash: str | None = Field(default=None, max_length=64, index=True)
    sealed_code: str | None = Field(default=None, sa_type=Text)
    code_expires_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    joined_citizen_id: int | None = Field(
        default=None, foreign_key="citizen.id", ondelete="SET NULL"
    )
    joined_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))


class CounterFiling(SQLModel, table=True):
    """One thing filed at the counter (a proposal, a support, a survey answer, a care
    application, a comment) and the consents given for it; the item keeps this mark after it
    is joined to a chat, so the city counts it as the counter's."""

    __tablename__ = "counter_filing"
    __table_args__ = (Index("ix_counter_filing_item", "kind", "item_id"),)

    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="counter_session.id", index=True)
    kind: str = Field(max_length=16)
    item_id: int
    consents: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    at: datetime = _timestamp()

"""What flows may ask of the city's records during a turn, without knowing how they are kept.

The runtime hands the engine a desk bound to the citizen and to the turn's transaction, so
what a flow reads and writes commits (or rolls back) together with the conversation state.
Tests pass an in-memory desk.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, NamedTuple, Protocol

from conversations.polls import QuestionResult, Survey


class ProposalCard(NamedTuple):
    id: int
    title: str
    supports: int
    status: str


@dataclass(frozen=True)
class ProposalRules:
    """The escalation ladder and moderation thresholds, from the settings."""

    answer_threshold: int = 50
    answer_days: int = 30
    hide_after_reports: int = 3

    def answer_due(self, threshold_reached_at: datetime | None) -> date | None:
        if threshold_reached_at is None:
            return None
        return (threshold_reached_at + timedelta(days=self.answer_days)).date()


class ProposalView(NamedTuple):
    """A proposal as a citizen sees it: no author, only visible comments."""

    id: int
    title: str
    body: str
    status: str
    supports: int
    answer: str | None
    answer_due: date | None
    comments: tuple[tuple[int, str], ...]
    supported_by_me: bool
    muted_by_me: bool


class SurveyCard(NamedTuple):
    """A survey in the citizen's list: still open, or closed with results to show."""

    id: int
    title: str
    answerable: bool
    answered: bool


class CareCard(NamedTuple):
    id: int
    status: str
    created: date


class CareTerms(NamedTuple):
    """What the consent notice promises: how long data is kept, and where else to apply."""

    retention_days: int
    phone: str | None


class CareView(NamedTuple):
    """A citizen's own application as they see it: what was asked, and each status so far."""

    id: int
    status: str
    services: tuple[str, ...]
    history: tuple[tuple[str, date, str | None], ...]


@dataclass(frozen=True)
class CareRequest:
    """A care application as the citizen confirmed it (the desk seals the personal parts)."""

    for_whom: str
    relation: str | None
    services: tuple[str, ...]
    situation: str
    screening: tuple[str, ...]
    applicant_name: str
    cared_name: str | None
    phone: str
    dong: str
    address: str
    contact_time: str


class NoticeCard(NamedTuple):
    """A notice the citizen received: when, its words, and the service it invites to."""

    id: int
    sent: date
    text: str
    apply_flow: str | None


class Desk(Protocol):
    def similar_proposals(self, text: str) -> list[ProposalCard]:
        """Up to three open proposals that look like `text`, best first."""
        ...

    def submit_proposal(self, *, title: str, body: str, category: str, dong: str | None) -> int:
        """Files the citizen's proposal; its id."""
        ...

    def support_proposal(self, proposal_id: int) -> bool:
        """Adds the citizen's support; False if they already support it or it is gone."""
        ...

    def comment_on_proposal(self, proposal_id: int, body: str) -> bool:
        """Adds the citizen's comment; False if the proposal is gone."""
        ...

    def browse_proposals(
        self, *, order: str, mine: bool, category: str | None, dong: str | None, page: int
    ) -> tuple[list[ProposalCard], bool]:
        """A page of proposals ("newest" or "popular" first) and whether more follow."""
        ...

    def view_proposal(self, proposal_id: int) -> ProposalView | None:
        """The proposal with its latest comments; None if it is hidden or gone."""
        ...

    def withdraw_support(self, proposal_id: int) -> bool: ...

    def report(self, kind: str, item_id: int, reason: str) -> bool:
        """Reports a proposal or comment once per citizen, with the reason chosen (one of
        `REPORT_REASONS`); False for a repeat."""
        ...

    def mute_proposal(self, proposal_id: int, muted: bool) -> None:
        """Stops (or resumes) this citizen's messages about the proposal."""
        ...

    def surveys_for(
        self,
        *,
        dong: str | None,
        age_band: str | None,
        interests: Iterable[str],
        language: str | None = None,
    ) -> list[SurveyCard]:
        """Open surveys whose audience includes the citizen, then recently closed ones."""
        ...

    def survey(self, survey_id: int) -> Survey | None:
        """The survey as published; None for a draft or a missing one."""
        ...

    def submit_survey(
        self,
        survey_id: int,
        *,
        version: int,
        answers: Mapping[str, Any],
        dong: str | None,
        age_band: str | None,
    ) -> str:
        """Stores the citizen's one response: "stored", "duplicate" or "closed"."""
        ...

    def survey_results(self, survey_id: int) -> list[QuestionResult] | None:
        """Totals the citizen may see now; None while they are not shown."""
        ...

    def care_terms(self) -> CareTerms: ...

    def my_care_applications(self) -> list[CareCard]:
        """The citizen's applications, newest first."""
        ...

    def my_posts(self) -> tuple[int, int]:
        """How many proposals and comments the citizen has published."""
        ...

    def care_application(self, application_id: int) -> CareView | None:
        """One of the citizen's own applications; None for anybody else's."""
        ...

    def apply_for_care(self, request: CareRequest) -> int:
        """Files the application; its id."""
        ...

    def withdraw_care(self, application_id: int) -> bool:
        """Withdraws the citizen's open application; False if it is closed or not theirs."""
        ...

    def notices_for_me(self, limit: int) -> list[NoticeCard]:
        """The latest notices sent to the citizen, newest first."""
        ...

"""The city's figures as the API gives them."""

from pydantic import BaseModel, Field

from staff.types import Timestamp


class CitizenCounts(BaseModel):
    total: int
    active: int
    onboarded: int
    with_profile: int
    notices_enabled: int


class ServiceItems(BaseModel):
    """Items per citizen service, as in the yearly table; each service adds its own counts."""

    proposals: int
    proposal_comments: int
    surveys: int = Field(description="Surveys and votes published (not drafts).")
    survey_responses: int
    care_applications: int


class ServiceRow(BaseModel):
    items: int
    participants: int | None = Field(
        description="People who took part; null when fewer than five (withheld)."
    )


class Participation(BaseModel):
    """The yearly table for `from_month` to `to_month` (both included, the city's months):
    proposals filed / people who filed, commented or supported; surveys opened / people who
    answered; care applications / applicants; notices whose sending began / people reached."""

    from_month: str
    to_month: str
    proposals: ServiceRow
    surveys: ServiceRow
    care: ServiceRow
    notices: ServiceRow


class Breakdowns(BaseModel):
    """Citizens now (active, onboarded) by gu, dong and age band — null where fewer than five
    (withheld) — and the period's proposals by area and by status."""

    citizens_by_gu: dict[str, int | None]
    citizens_by_dong: dict[str, int | None]
    citizens_by_age_band: dict[str, int | None]
    proposals_by_category: dict[str, int]
    proposals_by_status: dict[str, int]
    items_by_channel: dict[str, dict[str, int]] = Field(
        description="The period's proposals, survey answers and care applications by where they"
        " were filed: telegram, kakao, counter (an official's), erased."
    )


class AnswerTimes(BaseModel):
    """Proposals filed in the period that were answered, and the median days to the answer;
    of those whose supports reached the threshold in the period and are due (answered, or
    past the deadline), how many were answered within `deadline_days`."""

    answered: int
    median_days: float | None
    due: int
    within_deadline: int
    within_deadline_share: float | None = Field(description="0–100; null when none is due.")
    deadline_days: int


class SurveyRate(BaseModel):
    """A survey that opened in the period (the latest twelve): responses of the citizens its
    audience matches now (active, onboarded); null where fewer than five, and then no rate."""

    poll_id: int
    title: str
    responses: int | None
    audience: int | None
    rate: float | None = Field(description="Responses per audience member, 0–100.")


class NoticeReach(BaseModel):
    """A notice whose sending began in the period (the latest twelve): its recipients (test
    copies aside), those it reached, and those it did not (failed or blocked)."""

    notice_id: int
    recipients: int | None
    reached: int | None
    undelivered: int | None


class Trends(BaseModel):
    citizens_by_week: dict[str, int | None] = Field(
        description="Citizens who first wrote, per week of the period (its Monday)."
    )
    answer_times: AnswerTimes
    survey_response_rates: list[SurveyRate]
    notice_reach: list[NoticeReach]
    opt_outs: dict[str, int | None] = Field(
        description="Moments citizens switched notices off (`off`) or muted a topic (its key)."
    )


class Stats(BaseModel):
    citizens: CitizenCounts
    items: ServiceItems
    participation: Participation
    breakdowns: Breakdowns
    trends: Trends
    counted_at: Timestamp = Field(
        description="When participation, breakdowns and trends were counted (they are kept "
        "for DASHBOARD_REFRESH_SECONDS)."
    )

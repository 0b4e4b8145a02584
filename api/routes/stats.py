"""Numbers for the staff dashboard."""

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request, status
from pydantic import BaseModel, Field

from api.deps import Authorised, SessionDep
from api.participation import PeriodRefused, period
from api.types import Timestamp
from storage import care, polls, proposals
from storage.models import utcnow
from storage.stats import citizen_counts

router = APIRouter(prefix="/api/v1/stats", tags=["stats"])


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


@router.get("")
def stats(
    request: Request,
    session: SessionDep,
    staff: Authorised,
    from_month: Annotated[str | None, Query(alias="from", max_length=7)] = None,
    to_month: Annotated[str | None, Query(alias="to", max_length=7)] = None,
) -> Stats:
    """Counts now, the yearly table for a range of months (this year so far if none), and the
    period's trends: growth per week, answer times, survey response rates, notice reach and
    opt-outs; every count of people under five withheld."""
    try:
        chosen = period(from_month, to_month, now=utcnow())
    except PeriodRefused as refused:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, str(refused)) from None
    connection = session.connection()
    counted = request.app.state.figures.figures(connection, chosen, now=utcnow())
    found = counted.trends
    counts = proposals.count(connection)
    surveys = polls.count(connection)
    return Stats(
        citizens=CitizenCounts(**citizen_counts(session)),
        items=ServiceItems(
            proposals=counts["proposals"],
            proposal_comments=counts["comments"],
            surveys=surveys["surveys"],
            survey_responses=surveys["responses"],
            care_applications=care.count(connection),
        ),
        participation=Participation(
            from_month=chosen.first,
            to_month=chosen.last,
            **{name: ServiceRow(**vars(row)) for name, row in counted.table.items()},
        ),
        breakdowns=Breakdowns(**vars(counted.breakdowns)),
        trends=Trends(
            citizens_by_week=found.citizens_by_week,
            answer_times=AnswerTimes(
                **vars(found.answer_times),
                within_deadline_share=found.answer_times.within_deadline_share,
            ),
            survey_response_rates=[SurveyRate(**vars(r)) for r in found.survey_response_rates],
            notice_reach=[
                NoticeReach(**{k: v for k, v in vars(r).items() if k != "text"})
                for r in found.notice_reach
            ],
            opt_outs=found.opt_outs,
        ),
        counted_at=counted.counted_at,
    )

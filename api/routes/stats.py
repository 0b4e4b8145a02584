"""Numbers for the staff dashboard."""

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request, status

from api.deps import Authorised, SessionDep
from api.schemas.stats import (
    AnswerTimes,
    Breakdowns,
    CitizenCounts,
    NoticeReach,
    Participation,
    ServiceItems,
    ServiceRow,
    Stats,
    SurveyRate,
    Trends,
)
from staff.participation import PeriodRefused, period
from storage import care, polls, proposals
from storage.models import utcnow
from storage.stats import citizen_counts

router = APIRouter(prefix="/api/v1/stats", tags=["stats"])


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

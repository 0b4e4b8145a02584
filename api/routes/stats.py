"""Numbers for the staff dashboard."""

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, status
from pydantic import BaseModel, Field

from api.deps import Authorised, SessionDep
from api.participation import PeriodRefused, breakdowns, period, table
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


class Stats(BaseModel):
    citizens: CitizenCounts
    items: ServiceItems
    participation: Participation
    breakdowns: Breakdowns


@router.get("")
def stats(
    session: SessionDep,
    staff: Authorised,
    from_month: Annotated[str | None, Query(alias="from", max_length=7)] = None,
    to_month: Annotated[str | None, Query(alias="to", max_length=7)] = None,
) -> Stats:
    """Counts now, and the yearly table for a range of months (this year so far if none)."""
    try:
        chosen = period(from_month, to_month, now=utcnow())
    except PeriodRefused as refused:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, str(refused)) from None
    connection = session.connection()
    figures = table(connection, chosen)
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
            **{name: ServiceRow(**vars(row)) for name, row in figures.items()},
        ),
        breakdowns=Breakdowns(**vars(breakdowns(connection, chosen))),
    )

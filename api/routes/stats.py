"""Numbers for the staff dashboard."""

from fastapi import APIRouter
from pydantic import BaseModel, Field

from api.deps import Authorised, SessionDep
from storage import care, polls, proposals
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


class Stats(BaseModel):
    citizens: CitizenCounts
    items: ServiceItems


@router.get("")
def stats(session: SessionDep, staff: Authorised) -> Stats:
    connection = session.connection()
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
    )

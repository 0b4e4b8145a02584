"""Numbers for the staff dashboard."""

from fastapi import APIRouter
from pydantic import BaseModel

from api.deps import CurrentStaff, SessionDep
from storage.stats import citizen_counts

router = APIRouter(prefix="/api/v1/stats", tags=["stats"])


class CitizenCounts(BaseModel):
    total: int
    active: int
    onboarded: int
    with_profile: int
    notices_enabled: int


class Stats(BaseModel):
    citizens: CitizenCounts


@router.get("")
def stats(session: SessionDep, staff: CurrentStaff) -> Stats:
    return Stats(citizens=CitizenCounts(**citizen_counts(session)))

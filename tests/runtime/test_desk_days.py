"""The days on a citizen's cards are the city's: a proposal filed at 00:30 in Suwon says that
day, not the day before as UTC would."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, update

from conversations.desk import CareTerms, ProposalRules
from runtime.desk import ProposalIndex, StorageDesk
from storage.models import Proposal
from tests.auxil.factories import make_citizen, make_proposal
from tests.auxil.service import sealer_for_tests

HALF_PAST_MIDNIGHT_IN_SUWON = datetime(2026, 12, 2, 15, 30, tzinfo=UTC)


def test_a_proposal_card_says_the_day_it_was_filed_in_the_city(db: Engine) -> None:
    citizen = make_citizen(db, "reader")
    filed = make_proposal(db, title="가로등 고장")
    with db.begin() as connection:
        connection.execute(
            update(Proposal)
            .where(Proposal.id == filed)  # type: ignore[arg-type]
            .values(created_at=HALF_PAST_MIDNIGHT_IN_SUWON)
        )
        for zone, day in ((ZoneInfo("Asia/Seoul"), date(2026, 12, 3)), (UTC, date(2026, 12, 2))):
            desk = StorageDesk(
                connection,
                citizen,
                ProposalIndex(),
                ProposalRules(),
                sealer=sealer_for_tests(),
                care_terms=CareTerms(365, None),
                zone=zone,
            )
            view = desk.view_proposal(filed)
            assert view is not None and view.filed == day

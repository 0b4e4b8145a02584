"""What every part of the storage-backed desk shares: the turn's connection and citizen, the
look-alike index, the rules, the sealer, the care terms, the clock."""

from collections.abc import Callable
from datetime import date, datetime, tzinfo

from sqlalchemy import Connection

from conversations.desk import (
    CareTerms,
    ProposalRules,
)
from conversations.districts import CITY_ZONE
from runtime.desk.index import ProposalIndex
from storage.counter import Filed
from storage.db import aware
from storage.models import utcnow
from storage.sealing import Sealer


class BoundDesk:
    """A desk bound to one citizen and one turn's transaction."""

    def __init__(
        self,
        connection: Connection,
        citizen_id: int,
        index: ProposalIndex,
        rules: ProposalRules,
        *,
        sealer: Sealer,
        care_terms: CareTerms,
        gu_of: Callable[[str | None], str | None] = lambda dong: None,
        now: datetime | None = None,
        zone: tzinfo = CITY_ZONE,
    ) -> None:
        self.connection = connection
        self.citizen_id = citizen_id
        self.index = index
        self.rules = rules
        self.sealer = sealer
        self.terms = care_terms
        self.gu_of = gu_of
        self.now = now or utcnow()
        self.zone = zone
        # What this turn filed, for a channel that marks it (the counter); nobody else reads it.
        self.filed: list[Filed] = []

    def day(self, moment: datetime) -> date:
        """The day `moment` fell on in the city: a card filed at 00:30 KST says that day."""
        return aware(moment).astimezone(self.zone).date()

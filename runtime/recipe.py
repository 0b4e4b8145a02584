"""Everything a process needs to build the same runtime, as plain values it can be handed.

The composition root makes one from the settings; a turn worker process receives it
(pickled) and builds its own runtime from it, without importing the service's settings.
"""

from dataclasses import dataclass, field
from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Engine

from conversations.desk import CareTerms, ProposalRules
from conversations.districts import suwon
from conversations.engine import Engine as ConversationEngine
from conversations.flows import ALL_FLOWS, FLOW_FAMILIES
from conversations.messages import Catalog
from runtime.turn import Runtime
from storage.db import make_engine
from storage.sealing import Sealer


@dataclass(frozen=True)
class RuntimeRecipe:
    database_url: str
    data_keys: tuple[str, ...]
    person_key: str | None = None
    default_language: str = "ko"
    resume_after: timedelta = timedelta(minutes=30)
    rules: ProposalRules = field(default_factory=ProposalRules)
    care_terms: CareTerms = field(default_factory=lambda: CareTerms(365, None))
    json_logs: bool = False
    zone: str = "Asia/Seoul"  # the city's: days on citizens' cards, times in log lines

    def __repr__(self) -> str:
        """Never shows the data keys, should a recipe end up in a log or a traceback."""
        return f"RuntimeRecipe(database_url={self.database_url!r}, keys=<hidden>)"

    def build(self, db: Engine | None = None) -> tuple[Runtime, Catalog]:
        """The runtime and its catalogue, on `db` or on a new engine for `database_url`."""
        catalog = Catalog.load(default_language=self.default_language)
        conversations = ConversationEngine(
            ALL_FLOWS,
            catalog,
            suwon(),
            resume_after=self.resume_after,
            families=FLOW_FAMILIES,
        )
        runtime = Runtime(
            db if db is not None else make_engine(self.database_url),
            conversations,
            sealer=Sealer(list(self.data_keys), self.person_key),
            rules=self.rules,
            care_terms=self.care_terms,
            zone=ZoneInfo(self.zone),
        )
        return runtime, catalog

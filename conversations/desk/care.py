"""What flows may ask of the city's records about care: the consent notice's terms, one's own
applications, applying, withdrawing."""

from dataclasses import dataclass
from datetime import date
from typing import NamedTuple, Protocol


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


class CareDesk(Protocol):
    def care_terms(self) -> CareTerms: ...

    def my_care_applications(self) -> list[CareCard]:
        """The citizen's applications, newest first."""
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

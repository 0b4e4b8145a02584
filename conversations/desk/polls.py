"""What flows may ask of the city's records about surveys: the ones for this citizen, one
survey as published, a response, the results."""

from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple, Protocol

from conversations.polls import QuestionResult, Survey


class SurveyCard(NamedTuple):
    """A survey in the citizen's list: still open, or closed with results to show."""

    id: int
    title: str
    answerable: bool
    answered: bool


class PollDesk(Protocol):
    def surveys_for(
        self,
        *,
        dong: str | None,
        age_band: str | None,
        interests: Iterable[str],
        language: str | None = None,
    ) -> list[SurveyCard]:
        """Open surveys whose audience includes the citizen, then recently closed ones."""
        ...

    def survey(self, survey_id: int) -> Survey | None:
        """The survey as published; None for a draft or a missing one."""
        ...

    def submit_survey(
        self,
        survey_id: int,
        *,
        version: int,
        answers: Mapping[str, Any],
        dong: str | None,
        age_band: str | None,
    ) -> str:
        """Stores the citizen's one response: "stored", "duplicate" or "closed"."""
        ...

    def survey_results(self, survey_id: int) -> list[QuestionResult] | None:
        """Totals the citizen may see now; None while they are not shown."""
        ...

    def my_survey_answers(self, survey_id: int) -> Mapping[str, Any]:
        """The citizen's own choices (question key → values), to mark on the results."""
        ...

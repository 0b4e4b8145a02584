"""The desk's surveys: the ones for this citizen, one as published, a response, results."""

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import Connection

from conversations.desk import (
    SurveyCard,
)
from conversations.memo import Memo
from conversations.polls import (
    Question,
    QuestionResult,
    Survey,
    audience_from,
    questions_from,
    tally_results,
)
from runtime.desk.bound import BoundDesk
from storage import counter, polls
from storage.db import AnyRow, aware


class PollsAtDesk(BoundDesk):
    """Surveys, in the turn's transaction."""

    def surveys_for(
        self,
        *,
        dong: str | None,
        age_band: str | None,
        interests: Iterable[str],
        language: str | None = None,
    ) -> list[SurveyCard]:
        rows = [
            row
            for row in polls.for_chat(self.connection, now=self.now)
            if audience_from(row.audience).includes(
                gu=self.gu_of(dong),
                dong=dong,
                age_band=age_band,
                interests=interests,
                language=language,
            )
        ]
        ids = [r.id for r in rows]
        done = polls.answered(self.connection, citizen_id=self.citizen_id, poll_ids=ids)
        done |= polls.answered_elsewhere(self.connection, citizen_id=self.citizen_id, poll_ids=ids)
        cards = [
            SurveyCard(
                row.id,
                (row.english or {}).get("title") or row.title if language == "en" else row.title,
                self._answerable(row),
                row.id in done,
            )
            for row in rows
        ]
        return sorted(cards, key=lambda card: not card.answerable)

    def survey(self, survey_id: int) -> Survey | None:
        row = polls.get_for(self.connection, survey_id, citizen_id=self.citizen_id)
        if row is None or row.status == "draft":
            return None
        revision = f"{aware(row.created_at).isoformat()}#{row.version}"
        return Survey(
            id=row.id,
            version=row.version,
            title=row.title,
            intro=row.intro,
            questions=_QUESTIONS.get((row.id, revision), lambda: questions_from(row.questions)),
            results_shown=row.results_shown,
            answerable=self._answerable(row),
            closed=self._closed(row),
            answered=bool(row.answered),
            answered_elsewhere=bool(row.elsewhere),
            outro=row.outro,
            english=dict(row.english or {}),
            revision=revision,
        )

    def submit_survey(
        self,
        survey_id: int,
        *,
        version: int,
        answers: Mapping[str, Any],
        dong: str | None,
        age_band: str | None,
    ) -> str:
        row = polls.get(self.connection, survey_id)
        if row is None or not self._answerable(row):
            return "closed"
        if row.version != version:
            return "changed"
        me = self.citizen_id
        if polls.answered_elsewhere(self.connection, citizen_id=me, poll_ids=[row.id]):
            return "elsewhere"
        kinds = {q.key: q.kind for q in questions_from(row.questions)}
        stored = polls.respond(
            self.connection,
            poll_id=survey_id,
            citizen_id=self.citizen_id,
            answers={
                key: {"text": value} if kinds.get(key) == "text" else value
                for key, value in answers.items()
            },
            gu=self.gu_of(dong),
            dong=dong,
            age_band=age_band,
            sealer=self.sealer,
        )
        if stored:
            self.filed.append(counter.Filed("survey", survey_id, counter.PRIVACY))
        return "stored" if stored else "duplicate"

    def survey_results(self, survey_id: int) -> list[QuestionResult] | None:
        survey = self.survey(survey_id)
        if survey is None or not survey.results_visible:
            return None
        return survey_results(self.connection, survey_id)

    def my_survey_answers(self, survey_id: int) -> Mapping[str, Any]:
        return polls.choices_of(self.connection, poll_id=survey_id, citizen_id=self.citizen_id)

    def _answerable(self, row: AnyRow) -> bool:
        return row.status == "open" and aware(row.opens_at) <= self.now < aware(row.closes_at)

    def _closed(self, row: AnyRow) -> bool:
        return row.status == "closed" or aware(row.closes_at) <= self.now


# A survey's questions are fixed for each of its versions (an edit makes a new one): read
# once per revision (the record's creation and version), not on every turn inside it.
_QUESTIONS: Memo[tuple[int, str], tuple[Question, ...]] = Memo()


def survey_results(connection: Connection, survey_id: int) -> list[QuestionResult] | None:
    """Totals and suppressed breakdowns, for the chat and for staff alike."""
    row = polls.get(connection, survey_id)
    if row is None:
        return None
    return tally_results(
        questions_from(row.questions), polls.grouped_counts(connection, survey_id)
    )

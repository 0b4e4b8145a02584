"""The desk a turn's flows use: proposals and surveys, in the turn's own transaction."""

import logging
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, Row
from sqlalchemy.exc import SQLAlchemyError

from conversations.care import track
from conversations.desk import (
    CareCard,
    CareRequest,
    CareTerms,
    CareView,
    NoticeCard,
    ProposalCard,
    ProposalRules,
    ProposalView,
    SurveyCard,
)
from conversations.polls import (
    QuestionResult,
    Survey,
    audience_from,
    questions_from,
    tally_results,
)
from conversations.similar import SimilarIndex
from storage import care, notices, polls, proposals
from storage.db import aware
from storage.models import utcnow
from storage.sealing import Sealer

log = logging.getLogger(__name__)
PAGE_SIZE = 5
COMMENTS_SHOWN = 3


class ProposalIndex:
    """This process's similar-proposal index, caught up with the database before each search.

    Other processes file proposals too, so each search first reads what changed since the
    last one (an indexed range on `updated_at`), then scans the in-memory keys.
    """

    def __init__(self) -> None:
        self.index = SimilarIndex()
        self._synced: datetime | None = None
        self._lock = threading.Lock()

    def warm(self, db: Engine) -> float:
        """Reads every proposal now, at a process's start, so that no citizen's turn pays
        for it; seconds it took. A database that does not answer leaves it to the first
        search."""
        started = time.perf_counter()
        try:
            with db.connect() as connection:
                self.search(connection, "", limit=0)
        except SQLAlchemyError as error:
            log.warning("look-alike index not warmed: %s", type(error).__name__)
        return time.perf_counter() - started

    def search(self, connection: Connection, text: str, *, limit: int = 3) -> list[int]:
        with self._lock:
            for row in proposals.changed_since(connection, self._synced):
                if row.hidden:
                    self.index.remove(row.id)
                else:
                    self.index.add(row.id, row.title)
                if self._synced is None or row.updated_at > self._synced:
                    self._synced = row.updated_at
            return self.index.search(text, limit=limit) if limit else []


class StorageDesk:
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
    ) -> None:
        self.connection = connection
        self.citizen_id = citizen_id
        self.index = index
        self.rules = rules
        self.sealer = sealer
        self.terms = care_terms
        self.gu_of = gu_of
        self.now = now or utcnow()

    def similar_proposals(self, text: str) -> list[ProposalCard]:
        return self._cards(
            proposals.cards(self.connection, self.index.search(self.connection, text))
        )

    def submit_proposal(self, *, title: str, body: str, category: str, dong: str | None) -> int:
        return proposals.submit(
            self.connection,
            author_id=self.citizen_id,
            title=title,
            body=body,
            category=category,
            dong=dong,
        )

    def support_proposal(self, proposal_id: int) -> bool:
        return proposals.support(
            self.connection,
            proposal_id=proposal_id,
            citizen_id=self.citizen_id,
            threshold=self.rules.answer_threshold,
        )

    def withdraw_support(self, proposal_id: int) -> bool:
        return proposals.withdraw(
            self.connection, proposal_id=proposal_id, citizen_id=self.citizen_id
        )

    def comment_on_proposal(self, proposal_id: int, body: str) -> bool:
        return proposals.comment(
            self.connection, proposal_id=proposal_id, author_id=self.citizen_id, body=body
        )

    def browse_proposals(
        self, *, order: str, mine: bool, category: str | None, dong: str | None, page: int
    ) -> tuple[list[ProposalCard], bool]:
        rows, more = proposals.browse(
            self.connection,
            order=order,
            author_id=self.citizen_id if mine else None,
            category=category,
            dong=dong,
            page=page,
            size=PAGE_SIZE,
        )
        return self._cards(rows), more

    def view_proposal(self, proposal_id: int) -> ProposalView | None:
        row = proposals.get(self.connection, proposal_id)
        if row is None or row.hidden:
            return None
        comments = proposals.latest_comments(
            self.connection, proposal_id, COMMENTS_SHOWN, visible_only=True
        )
        due = None if row.answer else self.rules.answer_due(row.threshold_reached_at)
        return ProposalView(
            row.id,
            row.title,
            row.body,
            row.status,
            row.support_count,
            row.answer,
            due,
            tuple((c.id, c.body) for c in comments),
            proposals.supports(self.connection, proposal_id=row.id, citizen_id=self.citizen_id),
            proposals.is_muted(self.connection, proposal_id=row.id, citizen_id=self.citizen_id),
        )

    def report(self, kind: str, item_id: int, reason: str) -> bool:
        return proposals.report(
            self.connection,
            kind=kind,
            item_id=item_id,
            citizen_id=self.citizen_id,
            reason=reason,
            hide_after=self.rules.hide_after_reports,
        )

    def mute_proposal(self, proposal_id: int, muted: bool) -> None:
        proposals.set_muted(
            self.connection, proposal_id=proposal_id, citizen_id=self.citizen_id, muted=muted
        )

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
        done = polls.answered(
            self.connection, citizen_id=self.citizen_id, poll_ids=[r.id for r in rows]
        )
        cards = [
            SurveyCard(row.id, row.title, self._answerable(row), row.id in done) for row in rows
        ]
        return sorted(cards, key=lambda card: not card.answerable)

    def survey(self, survey_id: int) -> Survey | None:
        row = polls.get(self.connection, survey_id)
        if row is None or row.status == "draft":
            return None
        done = polls.answered(self.connection, citizen_id=self.citizen_id, poll_ids=[row.id])
        return Survey(
            id=row.id,
            version=row.version,
            title=row.title,
            intro=row.intro,
            questions=questions_from(row.questions),
            results_shown=row.results_shown,
            answerable=self._answerable(row),
            closed=self._closed(row),
            answered=row.id in done,
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
        return "stored" if stored else "duplicate"

    def survey_results(self, survey_id: int) -> list[QuestionResult] | None:
        survey = self.survey(survey_id)
        if survey is None or not survey.results_visible:
            return None
        return survey_results(self.connection, survey_id)

    def notices_for_me(self, limit: int) -> list[NoticeCard]:
        rows = notices.for_citizen(self.connection, citizen_id=self.citizen_id, limit=limit)
        return [NoticeCard(r.id, aware(r.sent_at).date(), r.text, r.apply_flow) for r in rows]

    def care_terms(self) -> CareTerms:
        return self.terms

    def my_care_applications(self) -> list[CareCard]:
        rows = care.of_citizen(self.connection, self.citizen_id)
        return [CareCard(row.id, row.status, aware(row.created_at).date()) for row in rows]

    def my_posts(self) -> tuple[int, int]:
        return proposals.posts_of(self.connection, author_id=self.citizen_id)

    def care_application(self, application_id: int) -> CareView | None:
        row = care.get(self.connection, application_id)
        if row is None or row.citizen_id != self.citizen_id:
            return None
        changes = care.history(self.connection, application_id)
        return CareView(
            row.id,
            row.status,
            tuple(row.services),
            tuple((c.status, aware(c.at).date(), c.reason) for c in changes),
        )

    def apply_for_care(self, request: CareRequest) -> int:
        route, priority = track(list(request.screening))
        return care.apply(
            self.connection,
            sealer=self.sealer,
            citizen_id=self.citizen_id,
            personal={
                "applicant_name": request.applicant_name,
                "cared_name": request.cared_name,
                "phone": request.phone,
                "address": request.address,
                "situation": request.situation,
                "screening": list(request.screening),
            },
            for_whom=request.for_whom,
            relation=request.relation,
            services=list(request.services),
            track=route,
            priority=priority,
            dong=request.dong,
            contact_time=request.contact_time,
        )

    def withdraw_care(self, application_id: int) -> bool:
        row = care.get(self.connection, application_id)
        if row is None or row.citizen_id != self.citizen_id:
            return False
        return care.move(
            self.connection,
            application_id=application_id,
            before=care.OPEN,
            after="withdrawn",
            staff_id=None,
        )

    def _answerable(self, row: Row[Any]) -> bool:
        return row.status == "open" and aware(row.opens_at) <= self.now < aware(row.closes_at)

    def _closed(self, row: Row[Any]) -> bool:
        return row.status == "closed" or aware(row.closes_at) <= self.now

    @staticmethod
    def _cards(rows: list[Row[Any]]) -> list[ProposalCard]:
        return [ProposalCard(r.id, r.title, r.support_count, r.status) for r in rows]


def survey_results(connection: Connection, survey_id: int) -> list[QuestionResult] | None:
    """Totals and suppressed breakdowns, for the chat and for staff alike."""
    row = polls.get(connection, survey_id)
    if row is None:
        return None
    return tally_results(
        questions_from(row.questions), polls.grouped_counts(connection, survey_id)
    )

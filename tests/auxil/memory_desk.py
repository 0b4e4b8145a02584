"""An in-memory desk for engine tests: the same contract as the storage-backed one."""

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from conversations.desk import (
    CareCard,
    CareRequest,
    CareTerms,
    CareView,
    CounterJoin,
    NoticeCard,
    ProposalCard,
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

PAGE_SIZE = 5


@dataclass
class MemoryDesk:
    titles: dict[int, str] = field(default_factory=dict)
    supporters: dict[int, set[str]] = field(default_factory=dict)
    comments: dict[int, list[str]] = field(default_factory=dict)
    filed: dict[int, dict[str, str | None]] = field(default_factory=dict)
    reports: dict[tuple[str, int], str] = field(default_factory=dict)
    muted: set[int] = field(default_factory=set)
    blocked: bool = False
    citizen: str = "me"
    index: SimilarIndex = field(default_factory=SimilarIndex)
    surveys: dict[int, dict[str, Any]] = field(default_factory=dict)
    care: dict[int, tuple[CareRequest, list[str]]] = field(default_factory=dict)
    notices: list[NoticeCard] = field(default_factory=list)
    responses: dict[int, dict[str, dict[str, Any]]] = field(default_factory=dict)
    slips: dict[str, CounterJoin] = field(default_factory=dict)  # a slip's code: what it joins

    def join_counter(self, code: str) -> CounterJoin:
        return self.slips.pop(code, CounterJoin(refused="unknown"))

    def seed_survey(self, definition: dict[str, Any]) -> int:
        """A published survey: `questions` as staff send them, open unless `closed` is set."""
        survey_id = len(self.surveys) + 1
        self.surveys[survey_id] = {"version": 1, "closed": False, **definition}
        self.responses[survey_id] = {}
        return survey_id

    def seed(self, title: str, supports: int = 0) -> int:
        proposal_id = len(self.titles) + 1
        self.titles[proposal_id] = title
        self.supporters[proposal_id] = {f"other{i}" for i in range(supports)}
        self.index.add(proposal_id, title)
        return proposal_id

    def similar_proposals(self, text: str) -> list[ProposalCard]:
        return [
            ProposalCard(i, self.titles[i], len(self.supporters[i]), "submitted")
            for i in self.index.search(text)
        ]

    def submit_proposal(self, *, title: str, body: str, category: str, dong: str | None) -> int:
        proposal_id = self.seed(title)
        self.filed[proposal_id] = {
            "title": title,
            "body": body,
            "category": category,
            "dong": dong,
        }
        return proposal_id

    def support_proposal(self, proposal_id: int) -> bool:
        if proposal_id not in self.titles or self.citizen in self.supporters[proposal_id]:
            return False
        self.supporters[proposal_id].add(self.citizen)
        return True

    def may_post(self) -> bool:
        return not self.blocked

    def comment_on_proposal(self, proposal_id: int, body: str) -> bool:
        if proposal_id not in self.titles:
            return False
        self.comments.setdefault(proposal_id, []).append(body)
        return True

    def browse_proposals(
        self, *, order: str, mine: bool, category: str | None, dong: str | None, page: int
    ) -> tuple[list[ProposalCard], bool]:
        ids = sorted(self.titles, reverse=True)
        if mine:
            ids = [i for i in ids if i in self.filed]
        if order == "popular":
            ids.sort(key=lambda i: -len(self.supporters[i]))
        start = (page - 1) * PAGE_SIZE
        cards = [
            ProposalCard(i, self.titles[i], len(self.supporters[i]), "submitted")
            for i in ids[start : start + PAGE_SIZE]
        ]
        return cards, len(ids) > start + PAGE_SIZE

    def view_proposal(self, proposal_id: int) -> ProposalView | None:
        if proposal_id not in self.titles:
            return None
        return ProposalView(
            proposal_id,
            self.titles[proposal_id],
            "내용",
            "submitted",
            len(self.supporters[proposal_id]),
            None,
            None,
            tuple(enumerate(self.comments.get(proposal_id, [])[-3:], start=1)),
            self.citizen in self.supporters[proposal_id],
            proposal_id in self.muted,
            date(2026, 11, 30),
            str((self.filed.get(proposal_id) or {}).get("category") or "transport"),
            (self.filed.get(proposal_id) or {}).get("dong"),
        )

    def mute_proposal(self, proposal_id: int, muted: bool) -> None:
        (self.muted.add if muted else self.muted.discard)(proposal_id)

    def withdraw_support(self, proposal_id: int) -> bool:
        if self.citizen not in self.supporters.get(proposal_id, set()):
            return False
        self.supporters[proposal_id].discard(self.citizen)
        return True

    def report(self, kind: str, item_id: int, reason: str) -> bool:
        if (kind, item_id) in self.reports:
            return False
        self.reports[(kind, item_id)] = reason
        return True

    def surveys_for(
        self,
        *,
        dong: str | None,
        age_band: str | None,
        interests: Iterable[str],
        language: str | None = None,
    ) -> list[SurveyCard]:
        cards = [
            SurveyCard(
                i,
                (d.get("english") or {}).get("title") or d["title"]
                if language == "en"
                else d["title"],
                not d["closed"],
                self.citizen in self.responses[i],
            )
            for i, d in self.surveys.items()
            if audience_from(d.get("audience")).includes(
                gu=None, dong=dong, age_band=age_band, interests=interests, language=language
            )
        ]
        return sorted(cards, key=lambda card: not card.answerable)

    def survey(self, survey_id: int) -> Survey | None:
        d = self.surveys.get(survey_id)
        if d is None:
            return None
        return Survey(
            id=survey_id,
            version=d["version"],
            title=d["title"],
            intro=d.get("intro", ""),
            questions=questions_from(d["questions"]),
            results_shown=d.get("results_shown", "after_answer"),
            answerable=not d["closed"],
            closed=d["closed"],
            answered=self.citizen in self.responses[survey_id],
            outro=d.get("outro", ""),
            english=d.get("english", {}),
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
        d = self.surveys[survey_id]
        if d["closed"]:
            return "closed"
        if d["version"] != version:
            return "changed"
        if self.citizen in self.responses[survey_id]:
            return "duplicate"
        self.responses[survey_id][self.citizen] = {"answers": dict(answers), "dong": dong}
        return "stored"

    def my_survey_answers(self, survey_id: int) -> Mapping[str, Any]:
        mine = self.responses.get(survey_id, {}).get(self.citizen)
        return dict(mine["answers"]) if mine else {}

    def survey_results(self, survey_id: int) -> list[QuestionResult] | None:
        survey = self.survey(survey_id)
        if survey is None or not survey.results_visible:
            return None
        values: Counter[tuple[str, str, bool]] = Counter()
        for response in self.responses[survey_id].values():
            for key, answer in response["answers"].items():
                chosen = answer if isinstance(answer, list) else [answer]
                for ordinal, value in enumerate(chosen):
                    values[key, str(value), ordinal == 0] += 1
        return tally_results(
            survey.questions,
            [(k, v, "", "", "", n, n if first else 0) for (k, v, first), n in values.items()],
        )

    def care_terms(self) -> CareTerms:
        return CareTerms(retention_days=365, phone=None)

    def my_care_applications(self) -> list[CareCard]:
        day = date(2026, 11, 24)
        return [CareCard(i, statuses[-1], day) for i, (_, statuses) in reversed(self.care.items())]

    def my_posts(self) -> tuple[int, int]:
        """This citizen's filed proposals and every comment (the memory desk has one writer)."""
        return len(self.filed), sum(len(bodies) for bodies in self.comments.values())

    def care_application(self, application_id: int) -> CareView | None:
        if application_id not in self.care:
            return None
        request, statuses = self.care[application_id]
        day = date(2026, 11, 24)
        history = tuple((status, day, None) for status in statuses)
        return CareView(application_id, statuses[-1], request.services, history)

    def apply_for_care(self, request: CareRequest) -> int:
        application_id = len(self.care) + 1
        self.care[application_id] = (request, ["received"])
        return application_id

    def withdraw_care(self, application_id: int) -> bool:
        statuses = self.care[application_id][1]
        if statuses[-1] in ("completed", "declined", "withdrawn"):
            return False
        statuses.append("withdrawn")
        return True

    def notices_for_me(self, limit: int) -> list[NoticeCard]:
        return self.notices[::-1][:limit]

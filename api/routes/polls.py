"""Surveys for staff: build, schedule, open, close early, read results, export answers.

A survey can be edited only before it opens. Results count everyone in the totals; in the
breakdowns by gu, dong and age band a group of fewer than five responses is withheld.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request, status
from fastapi.responses import Response
from pydantic import BaseModel, Field, StringConstraints, model_validator
from sqlalchemy import Connection

from api import survey_desk
from api.deps import Authorised, SessionDep
from api.spreadsheet import csv_response
from api.types import ItemId, Offset, Timestamp
from conversations.districts import suwon
from conversations.flows.choices import AGE_BANDS, INTERESTS
from conversations.polls import (
    KINDS,
    RESULTS_SHOWN,
    Tally,
    definition_problems,
    questions_from,
    tally_results,
)
from storage import audit, polls

router = APIRouter(prefix="/api/v1/polls", tags=["polls"])
Kind = Literal[KINDS]  # type: ignore[valid-type]
Shown = Literal[RESULTS_SHOWN]  # type: ignore[valid-type]
Label = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)]
AgeBand = Literal[tuple(o.value for o in AGE_BANDS)]  # type: ignore[valid-type]
Interest = Literal[tuple(o.value for o in INTERESTS)]  # type: ignore[valid-type]
Place = Annotated[str, StringConstraints(min_length=1, max_length=32)]


class ShowIf(BaseModel):
    question: str = Field(pattern=r"^q[1-9][0-9]?$", description="An earlier question: q1, q2…")
    answers: list[Annotated[str, StringConstraints(min_length=1, max_length=8)]] = Field(
        min_length=1, max_length=10, description="Option numbers ('1'), scale points, yes/no."
    )


EndLabel = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20)]


class English(BaseModel):
    """The question for citizens who chose English; what is left out reads as the Korean."""

    text: str = Field(default="", max_length=300)
    options: list[Annotated[str, StringConstraints(strip_whitespace=True, max_length=60)]] = Field(
        default_factory=list, max_length=10, description="In the order of `options`."
    )
    scale_labels: list[EndLabel] = Field(default_factory=list, max_length=2)


class QuestionIn(BaseModel):
    kind: Kind
    text: str = Field(min_length=1, max_length=300)
    options: list[Label] = Field(default_factory=list, max_length=10)
    max_choices: int | None = Field(default=None, ge=1, le=10)
    max_length: int = Field(default=500, ge=1, le=1000)
    show_if: ShowIf | None = None
    optional: bool = Field(default=False, description="The citizen may skip it.")
    scale_labels: list[EndLabel] = Field(
        default_factory=list,
        max_length=2,
        description="A scale's two ends in words (1, then 5), e.g. 전혀 아니다, 매우 그렇다.",
    )
    en: English | None = None

    @model_validator(mode="after")
    def _ends(self) -> "QuestionIn":
        if len(self.scale_labels) == 1 or (self.en and len(self.en.scale_labels) == 1):
            raise ValueError("scale_labels needs both ends, or none")
        return self


class Audience(BaseModel):
    """Empty lists match everyone; listed ones must all match (any value within a list)."""

    gus: list[Place] = Field(default_factory=list, max_length=10)
    dongs: list[Place] = Field(default_factory=list, max_length=100)
    age_bands: list[AgeBand] = Field(default_factory=list)
    interests: list[Interest] = Field(default_factory=list)
    languages: list[Literal["ko", "en"]] = Field(
        default_factory=list, description="Citizens who never chose a language read Korean."
    )

    @model_validator(mode="after")
    def _known_places(self) -> "Audience":
        districts = suwon()
        unknown = [g for g in self.gus if g not in districts.gus] + districts.unknown(self.dongs)
        if unknown:
            raise ValueError(f"not a gu or dong of the city: {', '.join(unknown)}")
        return self


class PollIn(BaseModel):
    title: str = Field(min_length=1, max_length=100)
    intro: str = Field(default="", max_length=1000)
    questions: list[QuestionIn] = Field(min_length=1, max_length=30)
    audience: Audience = Field(default_factory=Audience)
    opens_at: Timestamp
    closes_at: Timestamp
    results_shown: Shown = "after_close"

    @model_validator(mode="after")
    def _consistent(self) -> "PollIn":
        # Every problem at once, so a form can say each beside its field.
        problems = ["closes_at must be after opens_at"] if self.closes_at <= self.opens_at else []
        for n, question in enumerate(self.questions, start=1):
            if question.max_choices and question.max_choices > len(question.options):
                problems.append(f"q{n}: max_choices is more than the options")
        problems += definition_problems(self.questions_data())
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def questions_data(self) -> list[dict[str, Any]]:
        """The questions as they are stored."""
        return [q.model_dump(exclude_none=True) for q in self.questions]

    def columns(self) -> dict[str, object]:
        return {
            "title": self.title,
            "intro": self.intro,
            "questions": self.questions_data(),
            "audience": self.audience.model_dump(),
            "opens_at": self.opens_at,
            "closes_at": self.closes_at,
            "results_shown": self.results_shown,
        }


class PollPublic(BaseModel):
    id: int
    title: str
    intro: str
    questions: list[QuestionIn]
    audience: Audience
    opens_at: Timestamp
    closes_at: Timestamp
    results_shown: Shown
    status: Literal["draft", "scheduled", "open", "closed"]
    version: int
    responses: int
    created_at: Timestamp
    updated_at: Timestamp


class PollPage(BaseModel):
    items: list[PollPublic]
    total: int
    limit: int
    offset: int


class GroupResult(BaseModel):
    respondents: int
    counts: dict[str, int]


class Withheld(BaseModel):
    suppressed: Literal[True] = True
    reason: str = "fewer than 5 responses"


class QuestionResult(BaseModel):
    key: str
    kind: Kind
    text: str
    labels: dict[str, str] = Field(description="What each counted value means.")
    total: GroupResult
    percentages: dict[str, float] = Field(description="Of the people who answered, 0–100.")
    breakdowns: dict[str, dict[str, GroupResult | Withheld]]


class Results(BaseModel):
    poll_id: int
    status: str
    responses: int
    questions: list[QuestionResult]


def _public(connection: Connection, row, responses: int | None = None) -> PollPublic:  # type: ignore[no-untyped-def]
    fields = {k: v for k, v in row._mapping.items() if k in PollPublic.model_fields}
    if responses is None:
        responses = polls.responses(connection, row.id)
    return PollPublic(responses=responses, **fields)


def _found(connection: Connection, poll_id: int):  # type: ignore[no-untyped-def]
    row = polls.get(connection, poll_id)
    if row is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no poll {poll_id}")
    return row


def schedule_hook(request: Request) -> survey_desk.Rescheduled:
    """Hands this process's scheduler a poll's coming moves: ("open" | "close", when)."""
    return request.app.state.polls_changed


Rescheduled = Annotated[survey_desk.Rescheduled, Depends(schedule_hook)]
REFUSED = {
    "missing": status.HTTP_404_NOT_FOUND,
    "unwalkable": status.HTTP_422_UNPROCESSABLE_CONTENT,
    "started": status.HTTP_409_CONFLICT,
    "closing_passed": status.HTTP_409_CONFLICT,
    "state": status.HTTP_409_CONFLICT,
}


@contextmanager
def refusals() -> Iterator[None]:
    """A refusal of the shared survey rules as the API's JSON error."""
    try:
        yield
    except survey_desk.SurveyRefused as refused:
        raise HTTPException(REFUSED[refused.code], refused.reason) from None


@router.post("", status_code=status.HTTP_201_CREATED)
def create_poll(
    request: Request, session: SessionDep, staff: Authorised, poll: PollIn
) -> PollPublic:
    """Creates a draft; nobody sees it until it is scheduled or opened."""
    with refusals():
        poll_id = survey_desk.create(session, staff, poll.columns(), request.app.state.catalog)
    connection = session.connection()
    return _public(connection, polls.get(connection, poll_id))


@router.get("")
def list_polls(
    session: SessionDep,
    staff: Authorised,
    status_: Annotated[
        Literal["draft", "scheduled", "open", "closed"] | None, Query(alias="status")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Offset = 0,
) -> PollPage:
    connection = session.connection()
    rows, total = polls.listing(connection, status=status_, limit=limit, offset=offset)
    counts = polls.response_counts(connection, [row.id for row in rows])
    items = [_public(connection, row, counts.get(row.id, 0)) for row in rows]
    return PollPage(items=items, total=total, limit=limit, offset=offset)


@router.get("/{poll_id}")
def get_poll(session: SessionDep, staff: Authorised, poll_id: ItemId) -> PollPublic:
    connection = session.connection()
    return _public(connection, _found(connection, poll_id))


@router.put("/{poll_id}")
def edit_poll(
    request: Request,
    session: SessionDep,
    staff: Authorised,
    poll_id: ItemId,
    poll: PollIn,
    rescheduled: Rescheduled,
) -> PollPublic:
    """Replaces the survey; refused once it has opened, so every answer meets one survey."""
    catalog = request.app.state.catalog
    with refusals():
        survey_desk.edit(session, staff, poll_id, poll.columns(), catalog, rescheduled)
    return _public(session.connection(), _found(session.connection(), poll_id))


@router.post("/{poll_id}/schedule")
def schedule_poll(
    request: Request,
    session: SessionDep,
    staff: Authorised,
    poll_id: ItemId,
    rescheduled: Rescheduled,
) -> PollPublic:
    """Publishes a draft: it opens at `opens_at` (at once if that has passed), closes on time."""
    with refusals():
        survey_desk.schedule(session, staff, poll_id, request.app.state.catalog, rescheduled)
    return _public(session.connection(), _found(session.connection(), poll_id))


@router.post("/{poll_id}/open")
def open_poll(
    request: Request,
    session: SessionDep,
    staff: Authorised,
    poll_id: ItemId,
    rescheduled: Rescheduled,
) -> PollPublic:
    """Opens a draft or scheduled poll now; it still closes at `closes_at`."""
    with refusals():
        survey_desk.open_now(session, staff, poll_id, request.app.state.catalog, rescheduled)
    return _public(session.connection(), _found(session.connection(), poll_id))


@router.post("/{poll_id}/duplicate", status_code=status.HTTP_201_CREATED)
def duplicate_poll(session: SessionDep, staff: Authorised, poll_id: ItemId) -> PollPublic:
    """A new draft with this survey's questions and audience, opening a day from now for as
    long as the original ran; set its dates, then schedule it."""
    copy = survey_desk.duplicate(session, staff, poll_id)
    if copy is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no poll {poll_id}")
    connection = session.connection()
    return _public(connection, _found(connection, copy))


@router.post("/{poll_id}/close")
def close_poll(session: SessionDep, staff: Authorised, poll_id: ItemId) -> PollPublic:
    """Closes an open (or still scheduled) poll now; answers after this are refused."""
    with refusals():
        survey_desk.close_early(session, staff, poll_id)
    return _public(session.connection(), _found(session.connection(), poll_id))


@router.get("/{poll_id}/results")
def results(session: SessionDep, staff: Authorised, poll_id: ItemId) -> Results:
    """Counts and percentages per option, with breakdowns by gu, dong and age band."""
    connection = session.connection()
    row = _found(connection, poll_id)
    questions = questions_from(row.questions)
    tallies = tally_results(questions, polls.grouped_counts(connection, poll_id))
    return Results(
        poll_id=poll_id,
        status=row.status,
        responses=polls.responses(connection, poll_id),
        questions=[
            QuestionResult(
                key=r.question.key,
                kind=r.question.kind,
                text=r.question.text,
                labels=_labels(r.question),
                total=_group(r.total),
                percentages={
                    value: round(100 * count / r.total.respondents, 1)
                    if r.total.respondents
                    else 0.0
                    for value, count in r.total.counts.items()
                },
                breakdowns={
                    dimension: {
                        name: _group(tally) if tally else Withheld()
                        for name, tally in groups.items()
                    }
                    for dimension, groups in r.breakdowns.items()
                },
            )
            for r in tallies
        ],
    )


def _labels(question) -> dict[str, str]:  # type: ignore[no-untyped-def]
    if question.kind in ("single", "multiple"):
        return dict(zip(question.values, question.options, strict=True))
    return {value: value for value in question.values}


def _group(tally: Tally) -> GroupResult:
    return GroupResult(respondents=tally.respondents, counts=dict(tally.counts))


@router.get("/{poll_id}/export.csv", response_class=Response)
def export_answers(
    request: Request, session: SessionDep, staff: Authorised, poll_id: ItemId
) -> Response:
    """One row per response in shuffled order, with no citizen, place or time: answers only.

    UTF-8 with a byte-order mark, so Excel opens Korean text correctly.
    """
    connection = session.connection()
    row = _found(connection, poll_id)
    questions = questions_from(row.questions)
    sealer = request.app.state.telling.sealer
    lines = []
    for n, answers in enumerate(polls.anonymous_answers(connection, poll_id, sealer=sealer), 1):
        cells = []
        for question in questions:
            given = answers.get(question.key, [])
            labels = _labels(question)
            cells.append(" | ".join(labels.get(value, value) for value in given))
        lines.append([n, *cells])
    audit.record(session, staff_id=staff.id, action="poll.export", target=f"poll:{poll_id}")
    header = ["response", *(f"{q.key}. {q.text}" for q in questions)]
    return csv_response(header, lines, filename=f"poll-{poll_id}.csv")

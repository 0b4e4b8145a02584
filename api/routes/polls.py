"""Surveys for staff: build, schedule, open, close early, read results, export answers.

A survey can be edited only before it opens. Results count everyone in the totals; in the
breakdowns by gu, dong and age band a group of fewer than five responses is withheld, and with it
the next smallest groups where the total minus the rest would give it back.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request, status
from fastapi.responses import Response
from sqlalchemy import Connection

from api.deps import Authorised, SessionDep
from api.downloads import download
from api.schemas.polls import GroupResult, PollPage, PollPublic, QuestionResult, Results, Withheld
from api.types import ItemId, Offset
from conversations.polls import (
    Tally,
    questions_from,
    tally_results,
)
from staff import survey_desk
from staff.spreadsheet import sheet
from staff.survey_input import (
    PollIn,
    SurveyEnglish,
)
from storage import audit, polls

router = APIRouter(prefix="/api/v1/polls", tags=["polls"])


def _public(connection: Connection, row, responses: int | None = None) -> PollPublic:
    fields = {k: v for k, v in row._mapping.items() if k in PollPublic.model_fields}
    if responses is None:
        responses = polls.responses(connection, row.id)
    return PollPublic(responses=responses, en=SurveyEnglish(**(row.english or {})), **fields)


def _found(connection: Connection, poll_id: int):
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


def _labels(question) -> dict[str, str]:
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
    return download(sheet(header, lines, filename=f"poll-{poll_id}.csv"))

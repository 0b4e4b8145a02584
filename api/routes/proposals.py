"""Proposals for staff: find, read, answer (which tells every follower), hide, export."""

from datetime import date, datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, Request, status
from fastapi.responses import Response
from sqlalchemy import Connection

from api.deps import Authorised, SessionDep
from api.downloads import download
from api.schemas.deliveries import DeliveryPublic, public
from api.schemas.proposals import (
    Assignment,
    Cluster,
    CommentPublic,
    Merge,
    NoteIn,
    NotePublic,
    ProposalDetail,
    ProposalPage,
    ProposalPublic,
    Status,
    StatusChange,
)
from api.types import ItemId, Offset, ProposalRef
from conversations.desk import ProposalRules
from conversations.flows.propose import receipt, receipt_number
from conversations.similar import similar_groups
from staff.answering import MergeRefused, answer_proposal, merge_proposals, moderate
from staff.assignment import AssignRefused, assign_proposal
from staff.counter import marks_of
from staff.deliveries import deliveries
from staff.proposal_export import proposals_sheet
from staff.proposal_notes import NoteRefused, note_proposal, notes_of
from storage import proposals
from storage.models import utcnow
from storage.sealing import Sealer

router = APIRouter(prefix="/api/v1/proposals", tags=["proposals"])


def _public(row, rules: ProposalRules, marks: dict[int, str] | None = None) -> ProposalPublic:
    due = None if row.answer else rules.answer_due(row.threshold_reached_at)
    fields = {k: v for k, v in row._mapping.items() if k in ProposalPublic.model_fields}
    return ProposalPublic(
        receipt=receipt(row.id),
        counter=(marks or {}).get(row.id),
        answer_due=due,
        overdue=bool(due and due < date.today()),
        **fields,
    )


def rules_of(request: Request) -> ProposalRules:
    return request.app.state.rules


Rules = Annotated[ProposalRules, Depends(rules_of)]


def _found(connection: Connection, proposal_id: int):
    row = proposals.get(connection, proposal_id)
    if row is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no proposal {proposal_id}")
    return row


Filters = dict[str, object]


def filters(
    rules: Rules,
    status_: Annotated[Status | None, Query(alias="status")] = None,
    category: Annotated[str | None, Query(max_length=32)] = None,
    dong: Annotated[str | None, Query(max_length=32)] = None,
    q: Annotated[str | None, Query(min_length=1, max_length=100)] = None,
    created_from: datetime | None = None,
    created_to: datetime | None = None,
    include_hidden: bool = False,
    over_threshold: bool = False,
    overdue: bool = False,
    department: Annotated[str | None, Query(max_length=60)] = None,
) -> Filters:
    due_before = utcnow() - timedelta(days=rules.answer_days) if overdue else None
    return {
        "over_threshold": over_threshold,
        "due_before": due_before,
        "status": status_,
        "category": category,
        "dong": dong,
        "text": q,
        "number": receipt_number(q) if q else None,
        "created_from": created_from,
        "created_to": created_to,
        "include_hidden": include_hidden,
        "department": department,
    }


@router.get("")
def list_proposals(
    session: SessionDep,
    staff: Authorised,
    rules: Rules,
    found: Annotated[Filters, Depends(filters)],
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Offset = 0,
) -> ProposalPage:
    connection = session.connection()
    rows, total = proposals.search(connection, limit=limit, offset=offset, **found)  # type: ignore[arg-type]
    marks = marks_of(connection, "proposal", [r.id for r in rows])
    items = [_public(r, rules, marks) for r in rows]
    return ProposalPage(items=items, total=total, limit=limit, offset=offset)


@router.get("/export.csv", response_class=Response)
def export_csv(
    request: Request,
    session: SessionDep,
    staff: Authorised,
    found: Annotated[Filters, Depends(filters)],
) -> Response:
    """UTF-8 with a byte-order mark, so Excel opens Korean text correctly."""
    connection = session.connection()
    rows, _ = proposals.search(connection, limit=100_000, **found)  # type: ignore[arg-type]
    state = request.app.state
    marks = marks_of(connection, "proposal", [r.id for r in rows])
    return download(proposals_sheet(rows, state.city_zone, state.catalog, marks))


@router.get("/clusters")
def clusters(
    session: SessionDep,
    staff: Authorised,
    rules: Rules,
    newest: Annotated[int, Query(ge=2, le=2000)] = 500,
) -> list[Cluster]:
    """Groups of visible proposals that look alike, among the newest ones, for staff to merge."""
    connection = session.connection()
    rows, _ = proposals.search(connection, limit=newest)
    groups = similar_groups([(row.id, row.title) for row in rows])
    by_id = {row.id: row for row in rows}
    return [Cluster(proposals=[_public(by_id[i], rules) for i in group]) for group in groups]


@router.get("/{proposal_id}")
def proposal_detail(
    session: SessionDep, staff: Authorised, rules: Rules, proposal_id: ProposalRef
) -> ProposalDetail:
    connection = session.connection()
    row = _found(connection, proposal_id)
    comments = [
        CommentPublic(**c._mapping) for c in proposals.latest_comments(connection, proposal_id)
    ]
    marks = marks_of(connection, "proposal", [row.id])
    return ProposalDetail(**_public(row, rules, marks).model_dump(), comments=comments)


@router.post("/{proposal_id}/status")
def change_status(
    request: Request,
    session: SessionDep,
    staff: Authorised,
    rules: Rules,
    proposal_id: ProposalRef,
    change: StatusChange,
) -> ProposalPublic:
    """Sets the status (with the official answer) and tells every follower in the chat."""
    before = _found(session.connection(), proposal_id)
    answer_proposal(
        session,
        request.app.state.telling,
        staff_id=staff.key,
        before=before,
        status=change.status,
        answer=change.answer,
    )
    return _public(_found(session.connection(), proposal_id), rules)


@router.post("/{proposal_id}/merge")
def merge_proposal(
    request: Request,
    session: SessionDep,
    staff: Authorised,
    rules: Rules,
    proposal_id: ProposalRef,
    body: Merge,
) -> ProposalPublic:
    """Folds a duplicate into another proposal; its followers are told where it went."""
    connection = session.connection()
    source = _found(connection, proposal_id)
    target = _found(connection, body.into)
    try:
        merge_proposals(
            session, request.app.state.telling, staff_id=staff.key, source=source, target=target
        )
    except MergeRefused as refused:
        if refused.code == "same":
            raise HTTPException(
                status.HTTP_400_BAD_REQUEST, "a proposal cannot merge into itself"
            ) from None
        raise HTTPException(
            status.HTTP_409_CONFLICT, "hidden proposals cannot be merged"
        ) from None
    return _public(_found(connection, body.into), rules)


@router.post("/{proposal_id}/hide")
def hide_proposal(
    request: Request,
    session: SessionDep,
    staff: Authorised,
    rules: Rules,
    proposal_id: ProposalRef,
) -> ProposalPublic:
    """Hides a proposal from citizens; its author is told."""
    return _set_hidden(request, session, staff, rules, proposal_id, hidden=True)


@router.post("/{proposal_id}/restore")
def restore_proposal(
    request: Request,
    session: SessionDep,
    staff: Authorised,
    rules: Rules,
    proposal_id: ProposalRef,
) -> ProposalPublic:
    """Shows a proposal again, e.g. after reviewing reports that hid it; its author is told."""
    return _set_hidden(request, session, staff, rules, proposal_id, hidden=False)


def _set_hidden(
    request: Request, session, staff, rules, proposal_id: int, *, hidden: bool
) -> ProposalPublic:
    connection = session.connection()
    _found(connection, proposal_id)
    moderate(
        session,
        request.app.state.telling,
        staff_id=staff.id,
        kind="proposal",
        item_id=proposal_id,
        hidden=hidden,
    )
    return _public(_found(connection, proposal_id), rules)


ASSIGN_REFUSALS = {
    "department": "no active staff work in that department",
    "due_past": "the due day has passed: give today or a later day",
}


@router.post("/{proposal_id}/assign")
def assign(
    request: Request,
    session: SessionDep,
    staff: Authorised,
    rules: Rules,
    proposal_id: ProposalRef,
    body: Assignment,
) -> ProposalPublic:
    """Puts the proposal in a department's queue with a due day (no department: out of it)."""
    found = _found(session.connection(), proposal_id)
    try:
        assign_proposal(
            session,
            staff_id=staff.key,
            proposal=found,
            department=body.department,
            due_on=body.due_on,
            today=datetime.now(request.app.state.city_zone).date(),
        )
    except AssignRefused as refused:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, ASSIGN_REFUSALS[refused.code]) from None
    return _public(_found(session.connection(), proposal_id), rules)


@router.get("/{proposal_id}/notes")
def notes(
    request: Request, session: SessionDep, staff: Authorised, proposal_id: ProposalRef
) -> list[NotePublic]:
    """Staff's private notes on the proposal, oldest first; citizens never see them."""
    _found(session.connection(), proposal_id)
    return _notes(session, request.app.state.telling.sealer, proposal_id)


@router.post("/{proposal_id}/notes", status_code=status.HTTP_201_CREATED)
def add_note(
    request: Request,
    session: SessionDep,
    staff: Authorised,
    proposal_id: ProposalRef,
    body: NoteIn,
) -> list[NotePublic]:
    """Adds a private note (sealed, in the audit log); the proposal's notes after it."""
    _found(session.connection(), proposal_id)
    sealer = request.app.state.telling.sealer
    try:
        note_proposal(session, sealer, staff_id=staff.key, proposal_id=proposal_id, text=body.text)
    except NoteRefused:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, "the note is empty") from None
    return _notes(session, sealer, proposal_id)


def _notes(session: SessionDep, sealer: Sealer, proposal_id: int) -> list[NotePublic]:
    found = notes_of(session, sealer, proposal_id=proposal_id)
    return [NotePublic(author=n.author, text=n.text, at=n.at) for n in found]


@router.get("/{proposal_id}/deliveries")
def proposal_deliveries(
    session: SessionDep, staff: Authorised, proposal_id: ProposalRef
) -> list[DeliveryPublic]:
    """Each message staff actions sent about the proposal: to whom, queued, sent or failed."""
    _found(session.connection(), proposal_id)
    return [public(d) for d in deliveries(session.connection(), f"proposal:{proposal_id}")]


comments = APIRouter(prefix="/api/v1/comments", tags=["proposals"])


@comments.post("/{comment_id}/hide")
def hide_comment(
    request: Request, session: SessionDep, staff: Authorised, comment_id: ItemId
) -> dict[str, bool]:
    return _comment_hidden(request, session, staff, comment_id, hidden=True)


@comments.post("/{comment_id}/restore")
def restore_comment(
    request: Request, session: SessionDep, staff: Authorised, comment_id: ItemId
) -> dict[str, bool]:
    return _comment_hidden(request, session, staff, comment_id, hidden=False)


def _comment_hidden(
    request: Request, session, staff, comment_id: ItemId, *, hidden: bool
) -> dict[str, bool]:
    connection = session.connection()
    if not proposals.comment_exists(connection, comment_id):
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no comment {comment_id}")
    moderate(
        session,
        request.app.state.telling,
        staff_id=staff.id,
        kind="comment",
        item_id=comment_id,
        hidden=hidden,
    )
    return {"hidden": hidden}

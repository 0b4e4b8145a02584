"""Proposals for staff: find, read, answer (which tells every follower), hide, export."""

import csv
import io
from datetime import datetime
from functools import partial
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request, status
from fastapi.responses import Response
from pydantic import BaseModel, Field, model_validator
from sqlalchemy import Connection

from api.deps import CurrentStaff, SessionDep, require_role
from conversations.events import Reply
from conversations.flows.propose import receipt, status_notice
from conversations.messages import Catalog
from storage import audit, proposals, state
from storage.models import Staff
from storage.staff import Role

router = APIRouter(prefix="/api/v1/proposals", tags=["proposals"])
Answering = Annotated[Staff, Depends(require_role(Role.ADMIN, Role.STAFF))]
Status = Literal["submitted", "under_review", "accepted", "partly_accepted", "not_accepted"]


class ProposalPublic(BaseModel):
    id: int
    receipt: str
    title: str
    body: str
    category: str
    dong: str | None
    status: str
    hidden: bool
    support_count: int
    answer: str | None
    answered_at: datetime | None
    created_at: datetime


class CommentPublic(BaseModel):
    id: int
    body: str
    hidden: bool
    created_at: datetime


class ProposalDetail(ProposalPublic):
    comments: list[CommentPublic]


class ProposalPage(BaseModel):
    items: list[ProposalPublic]
    total: int
    limit: int
    offset: int


class StatusChange(BaseModel):
    status: Status
    answer: str | None = Field(default=None, min_length=1, max_length=4000)

    @model_validator(mode="after")
    def _answers_need_text(self) -> "StatusChange":
        if self.status in proposals.ANSWERED and not (self.answer and self.answer.strip()):
            raise ValueError("an answered status needs the official answer text")
        return self


def _public(row) -> ProposalPublic:  # type: ignore[no-untyped-def]
    return ProposalPublic(receipt=receipt(row.id), **row._mapping)


def _found(connection: Connection, proposal_id: int):  # type: ignore[no-untyped-def]
    row = proposals.get(connection, proposal_id)
    if row is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no proposal {proposal_id}")
    return row


Filters = dict[str, object]


def filters(
    status_: Annotated[Status | None, Query(alias="status")] = None,
    category: Annotated[str | None, Query(max_length=32)] = None,
    dong: Annotated[str | None, Query(max_length=32)] = None,
    q: Annotated[str | None, Query(min_length=1, max_length=100)] = None,
    created_from: datetime | None = None,
    created_to: datetime | None = None,
    include_hidden: bool = False,
) -> Filters:
    return {
        "status": status_,
        "category": category,
        "dong": dong,
        "text": q,
        "created_from": created_from,
        "created_to": created_to,
        "include_hidden": include_hidden,
    }


@router.get("")
def list_proposals(
    session: SessionDep,
    staff: CurrentStaff,
    found: Annotated[Filters, Depends(filters)],
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> ProposalPage:
    rows, total = proposals.search(session.connection(), limit=limit, offset=offset, **found)  # type: ignore[arg-type]
    return ProposalPage(items=[_public(r) for r in rows], total=total, limit=limit, offset=offset)


@router.get("/export.csv", response_class=Response)
def export_csv(
    session: SessionDep, staff: CurrentStaff, found: Annotated[Filters, Depends(filters)]
) -> Response:
    """UTF-8 with a byte-order mark, so Excel opens Korean text correctly."""
    rows, _ = proposals.search(session.connection(), limit=100_000, **found)  # type: ignore[arg-type]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "receipt",
            "title",
            "body",
            "category",
            "dong",
            "status",
            "supports",
            "answer",
            "created_at",
        ]
    )
    for r in rows:
        writer.writerow(
            [
                receipt(r.id),
                r.title,
                r.body,
                r.category,
                r.dong or "",
                r.status,
                r.support_count,
                r.answer or "",
                r.created_at.isoformat(),
            ]
        )
    return Response(
        "\ufeff" + out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="proposals.csv"'},
    )


@router.get("/{proposal_id}")
def proposal_detail(session: SessionDep, staff: CurrentStaff, proposal_id: int) -> ProposalDetail:
    connection = session.connection()
    row = _found(connection, proposal_id)
    comments = [
        CommentPublic(**c._mapping) for c in proposals.latest_comments(connection, proposal_id)
    ]
    return ProposalDetail(**_public(row).model_dump(), comments=comments)


@router.post("/{proposal_id}/status")
def change_status(
    request: Request,
    session: SessionDep,
    staff: Answering,
    proposal_id: int,
    change: StatusChange,
) -> ProposalPublic:
    """Sets the status (with the official answer) and tells every follower in the chat."""
    connection = session.connection()
    before = _found(connection, proposal_id)
    proposals.set_status(
        connection,
        proposal_id=proposal_id,
        status=change.status,
        answer=change.answer,
        staff_id=staff.id,  # type: ignore[arg-type]
    )
    catalog: Catalog = request.app.state.catalog
    told = 0
    for person in proposals.followers(connection, proposal_id):
        notice = status_notice(
            partial(catalog.text, person.language),
            title=before.title,
            status=change.status,
            answer=change.answer,
        )
        state.enqueue(
            connection,
            citizen_id=person.id,
            channel=person.channel,
            chat_id=person.chat_id,
            payloads=[Reply(text=notice).to_dict()],
            claimed_until=None,
            reply_to_message=None,
        )
        told += 1
    audit.record(
        session,
        staff_id=staff.id,
        action="proposal.status",
        target=f"proposal:{proposal_id}",
        detail={
            "from": before.status,
            "to": change.status,
            "answered": bool(change.answer),
            "followers_told": told,
        },
    )
    return _public(_found(connection, proposal_id))

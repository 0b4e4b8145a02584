"""Care applications for case workers: find, read, move along, note, export; all logged.

A care worker sees and changes only the cases in the dongs they cover (anything else is a
404, as if it did not exist); admins see every case; other staff roles see none. Every read
of a case's personal data and every change is written to the access log.
"""

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request, status
from fastapi.responses import Response
from sqlalchemy import Connection

from api.deps import Authorised, SessionDep
from api.downloads import download
from api.schemas.care import (
    AccessEntry,
    Assignee,
    CareDetail,
    CarePage,
    CareSummary,
    Note,
    NoteIn,
    PersonalData,
    Status,
    StatusChange,
    StatusEntry,
)
from api.schemas.deliveries import DeliveryPublic, public
from api.types import MAX_ID, ItemId, Offset
from conversations.care import receipt
from staff.casework import (
    CaseRefused,
    case_for,
    dong_sheet,
    move_case,
    note_case,
    read_case,
    scope_of,
)
from staff.counter import marks_of
from staff.deliveries import deliveries
from staff.types import Timestamp
from storage import care
from storage.models import Staff
from storage.sealing import Sealer
from storage.staff import care_workers_for

router = APIRouter(prefix="/api/v1/care-applications", tags=["care"])
access_router = APIRouter(prefix="/api/v1/care-access-log", tags=["care"])


def _case(connection: Connection, staff: Staff, application_id: int):
    row = case_for(connection, staff, application_id)
    if row is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no care application {application_id}")
    return row


def _summary(row, marks: dict[int, str] | None = None) -> CareSummary:
    fields = {k: v for k, v in row._mapping.items() if k in CareSummary.model_fields}
    return CareSummary(
        receipt=receipt(row.id),
        anonymised=row.anonymised_at is not None,
        counter=(marks or {}).get(row.id),
        **fields,
    )


def _sealer(request: Request) -> Sealer:
    return request.app.state.telling.sealer


@router.get("")
def list_applications(
    session: SessionDep,
    staff: Authorised,
    status_: Annotated[Status | None, Query(alias="status")] = None,
    dong: Annotated[str | None, Query(max_length=32)] = None,
    service: Annotated[str | None, Query(max_length=32, pattern=r"^[a-z_]+$")] = None,
    track: Annotated[str | None, Query(max_length=24)] = None,
    created_from: datetime | None = None,
    created_to: datetime | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Offset = 0,
) -> CarePage:
    """Cases in the worker's dongs, newest first, without personal data."""
    rows, total = care.search(
        session.connection(),
        dongs=scope_of(staff),
        status=status_,
        dong=dong,
        service=service,
        track=track,
        created_from=created_from,
        created_to=created_to,
        limit=limit,
        offset=offset,
    )
    marks = marks_of(session.connection(), "care", [r.id for r in rows])
    items = [_summary(r, marks) for r in rows]
    return CarePage(items=items, total=total, limit=limit, offset=offset)


@router.get("/export.csv", response_class=Response)
def export_csv(
    request: Request,
    session: SessionDep,
    staff: Authorised,
    dong: Annotated[str, Query(min_length=1, max_length=32)],
    status_: Annotated[Status | None, Query(alias="status")] = None,
) -> Response:
    """A dong office's cases with contact details (UTF-8 with BOM); each case is logged."""
    zone = request.app.state.city_zone
    catalog = request.app.state.catalog
    sheet = dong_sheet(session.connection(), _sealer(request), staff, dong, status_, zone, catalog)
    if sheet is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no care applications in {dong}")
    return download(sheet)


@router.get("/{application_id}")
def get_application(
    request: Request, session: SessionDep, staff: Authorised, application_id: ItemId
) -> CareDetail:
    """The case with its personal data, history and notes; the read is logged."""
    connection = session.connection()
    row = _case(connection, staff, application_id)
    read = read_case(connection, _sealer(request), staff, row)
    return CareDetail(
        **_summary(row, marks_of(connection, "care", [row.id])).model_dump(),
        personal=PersonalData(**read["personal"]),
        history=[
            StatusEntry(status=c.status, reason=c.reason, staff_id=c.staff_id, at=c.at)
            for c in read["history"]
        ],
        notes=[Note(staff_id=s, body=b, at=at) for s, b, at in read["notes"]],
    )


@router.get("/{application_id}/deliveries")
def case_deliveries(
    session: SessionDep, staff: Authorised, application_id: ItemId
) -> list[DeliveryPublic]:
    """Each message the case's moves sent the applicant: queued, sent or failed."""
    connection = session.connection()
    row = _case(connection, staff, application_id)
    return [public(d) for d in deliveries(connection, f"care:{row.id}")]


@router.get("/{application_id}/assignees")
def assignees(session: SessionDep, staff: Authorised, application_id: ItemId) -> list[Assignee]:
    """The care workers covering the case's dong, by name: whom it can be assigned to."""
    row = _case(session.connection(), staff, application_id)
    return [Assignee(id=w.id, name=w.name) for w in care_workers_for(session, row.dong)]


def _detail(connection: Connection, sealer: Sealer, row) -> CareDetail:
    history = [
        StatusEntry(status=c.status, reason=c.reason, staff_id=c.staff_id, at=c.at)
        for c in care.history(connection, row.id)
    ]
    notes = [
        Note(staff_id=staff_id, body=body, at=at)
        for staff_id, body, at in care.notes(connection, sealer=sealer, application_id=row.id)
    ]
    return CareDetail(
        **_summary(row, marks_of(connection, "care", [row.id])).model_dump(),
        personal=PersonalData(**care.personal_data(sealer, row)),
        history=history,
        notes=notes,
    )


@router.post("/{application_id}/status")
def change_status(
    request: Request,
    session: SessionDep,
    staff: Authorised,
    application_id: ItemId,
    change: StatusChange,
) -> CareDetail:
    """Moves the case along its workflow and tells the applicant, in their language."""
    connection = session.connection()
    row = _case(connection, staff, application_id)
    try:
        move_case(
            session,
            request.app.state.telling,
            staff=staff,
            row=row,
            status=change.status,
            reason=change.reason,
            assign_to=change.assign_to,
        )
    except CaseRefused as refusal:
        code = 409 if refusal.kind == "conflict" else status.HTTP_422_UNPROCESSABLE_CONTENT
        raise HTTPException(code, refusal.reason) from refusal
    return _detail(connection, _sealer(request), care.get(connection, row.id))


@router.post("/{application_id}/notes", status_code=status.HTTP_201_CREATED)
def add_note(
    request: Request,
    session: SessionDep,
    staff: Authorised,
    application_id: ItemId,
    note: NoteIn,
) -> CareDetail:
    connection = session.connection()
    row = _case(connection, staff, application_id)
    sealer = _sealer(request)
    note_case(connection, sealer, staff=staff, row=row, body=note.body)
    return _detail(connection, sealer, row)


@access_router.get("")
def access_log(
    session: SessionDep,
    staff: Authorised,
    application_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    staff_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    action: Annotated[str | None, Query(max_length=24)] = None,
    since: Timestamp | None = None,
    until: Timestamp | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Offset = 0,
) -> list[AccessEntry]:
    """Who read or changed which case, newest first, by name (admins only)."""
    rows = care.access_log(
        session.connection(),
        application_id=application_id,
        staff_id=staff_id,
        action=action,
        since=since,
        until=until,
        limit=limit,
        offset=offset,
    )
    return [AccessEntry(**row._mapping) for row in rows]

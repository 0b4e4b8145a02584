"""Care applications: filing, following, the staff workflow, the access log and retention.

Personal and health data go in and out through a `Sealer`, so what the database holds of a
person is ciphertext; anonymising clears it and keeps the anonymous counts.
"""

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    String,
    cast,
    delete,
    func,
    insert,
    select,
    update,
)

from storage.db import AnyRow, table_of, update_if_status
from storage.models import (
    CareAccess,
    CareApplication,
    CareNote,
    CareStatusChange,
    Citizen,
    Staff,
    utcnow,
)
from storage.sealing import Sealer

APPLICATION = table_of(CareApplication)
CHANGE = table_of(CareStatusChange)
NOTE = table_of(CareNote)
ACCESS = table_of(CareAccess)
STAFF = table_of(Staff)
CITIZEN = table_of(Citizen)
FINAL = ("completed", "declined", "withdrawn")
OPEN = ("received", "reviewing", "assigned", "in_progress")
PERSONAL = ("applicant_name", "cared_name", "phone", "address", "situation", "screening")


def apply(
    connection: Connection,
    *,
    sealer: Sealer,
    citizen_id: int,
    personal: dict[str, Any],
    **fields: Any,
) -> int:
    """Files an application; `personal` (names, phone, address, situation, screening) is sealed."""
    now = utcnow()
    sealed = {f"sealed_{name}": _seal(sealer, personal.get(name)) for name in PERSONAL}
    application_id: int = connection.execute(
        insert(APPLICATION)
        .values(citizen_id=citizen_id, status="received", created_at=now, updated_at=now)
        .values(**fields, **sealed)
        .returning(APPLICATION.c.id)
    ).scalar_one()
    connection.execute(
        insert(CHANGE).values(application_id=application_id, status="received", at=now)
    )
    return application_id


def _seal(sealer: Sealer, value: Any) -> str | None:
    if value is None:
        return None
    return sealer.seal_text(value if isinstance(value, str) else ",".join(value))


def personal_data(sealer: Sealer, row: AnyRow) -> dict[str, Any]:
    """The opened personal fields of a case (None once anonymised)."""
    opened: dict[str, Any] = {
        name: sealer.open_text(getattr(row, f"sealed_{name}")) for name in PERSONAL
    }
    screening = opened["screening"]
    opened["screening"] = screening.split(",") if screening else []
    return opened


def of_citizen(connection: Connection, citizen_id: int) -> list[AnyRow]:
    return list(
        connection.execute(
            select(APPLICATION.c.id, APPLICATION.c.status, APPLICATION.c.created_at)
            .where(APPLICATION.c.citizen_id == citizen_id)
            .order_by(APPLICATION.c.id.desc())
        ).all()
    )


def get(connection: Connection, application_id: int) -> AnyRow | None:
    return connection.execute(
        select(APPLICATION).where(APPLICATION.c.id == application_id)
    ).first()


def history(connection: Connection, application_id: int) -> list[AnyRow]:
    return list(
        connection.execute(
            select(CHANGE).where(CHANGE.c.application_id == application_id).order_by(CHANGE.c.id)
        ).all()
    )


def move(
    connection: Connection,
    *,
    application_id: int,
    before: Sequence[str],
    after: str,
    staff_id: int | None,
    reason: str | None = None,
    assigned_to: int | None = None,
) -> bool:
    """Moves the case on if it is in one of `before`; writes the history entry with it."""
    now = utcnow()
    values: dict[str, Any] = {"status": after, "updated_at": now}
    if after in FINAL:
        values["closed_at"] = now
    if assigned_to is not None:
        values["assigned_to"] = assigned_to
    if not update_if_status(connection, APPLICATION, application_id, before, **values):
        return False
    connection.execute(
        insert(CHANGE).values(
            application_id=application_id, status=after, reason=reason, staff_id=staff_id, at=now
        )
    )
    return True


def search(
    connection: Connection,
    *,
    dongs: Sequence[str] | None,
    status: str | None = None,
    dong: str | None = None,
    service: str | None = None,
    track: str | None = None,
    created_from: datetime | None = None,
    created_to: datetime | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[AnyRow], int]:
    """Cases without personal data; `dongs` limits a care worker to the dongs they cover."""
    where: list[ColumnElement[bool]] = []
    if dongs is not None:
        where.append(APPLICATION.c.dong.in_(dongs))
    for column, value in (
        (APPLICATION.c.status, status),
        (APPLICATION.c.dong, dong),
        (APPLICATION.c.track, track),
    ):
        if value is not None:
            where.append(column == value)
    if service is not None:
        where.append(cast(APPLICATION.c.services, String).like(f'%"{service}"%'))
    if created_from is not None:
        where.append(APPLICATION.c.created_at >= created_from)
    if created_to is not None:
        where.append(APPLICATION.c.created_at < created_to)
    columns = [c for c in APPLICATION.c if not c.name.startswith("sealed_")]
    rows = connection.execute(
        select(*columns)
        .where(*where)
        .order_by(APPLICATION.c.id.desc())
        .limit(limit)
        .offset(offset)
    ).all()
    total = connection.execute(
        select(func.count()).select_from(APPLICATION).where(*where)
    ).scalar_one()
    return list(rows), total


def add_note(
    connection: Connection, *, sealer: Sealer, application_id: int, staff_id: int, body: str
) -> None:
    connection.execute(
        insert(NOTE).values(
            application_id=application_id,
            staff_id=staff_id,
            sealed_body=sealer.seal_text(body),
            at=utcnow(),
        )
    )


def notes(
    connection: Connection, *, sealer: Sealer, application_id: int
) -> list[tuple[int | None, str, datetime]]:
    rows = connection.execute(
        select(NOTE).where(NOTE.c.application_id == application_id).order_by(NOTE.c.id)
    )
    return [(r.staff_id, sealer.open_text(r.sealed_body) or "", r.at) for r in rows]


def log_access(
    connection: Connection, *, staff_id: int | None, application_ids: Iterable[int], action: str
) -> None:
    rows = [
        {"staff_id": staff_id, "application_id": i, "action": action, "at": utcnow()}
        for i in application_ids
    ]
    if rows:
        connection.execute(insert(ACCESS), rows)


def access_log(
    connection: Connection,
    *,
    application_id: int | None,
    staff_id: int | None,
    limit: int,
    offset: int,
    action: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> list[AnyRow]:
    """Reads and changes of cases, newest first, with the name of whoever made them."""
    where: list[ColumnElement[bool]] = []
    for column, value in (
        (ACCESS.c.application_id, application_id),
        (ACCESS.c.staff_id, staff_id),
        (ACCESS.c.action, action),
    ):
        if value is not None:
            where.append(column == value)
    if since is not None:
        where.append(ACCESS.c.at >= since)
    if until is not None:
        where.append(ACCESS.c.at < until)
    query = (
        select(ACCESS, STAFF.c.name.label("staff_name"))
        .select_from(ACCESS.outerjoin(STAFF, STAFF.c.id == ACCESS.c.staff_id))
        .where(*where)
        .order_by(ACCESS.c.id.desc())
        .limit(limit)
        .offset(offset)
    )
    return list(connection.execute(query).all())


def anonymise(connection: Connection, *, where: Any) -> int:
    """Clears personal data and the citizen link of the matching cases; how many."""
    ids = list(
        connection.execute(
            select(APPLICATION.c.id).where(where, APPLICATION.c.anonymised_at.is_(None))
        ).scalars()
    )
    if not ids:
        return 0
    cleared = {f"sealed_{name}": None for name in PERSONAL}
    connection.execute(
        update(APPLICATION)
        .where(APPLICATION.c.id.in_(ids))
        .values(citizen_id=None, anonymised_at=utcnow(), **cleared)
    )
    connection.execute(delete(NOTE).where(NOTE.c.application_id.in_(ids)))
    connection.execute(update(CHANGE).where(CHANGE.c.application_id.in_(ids)).values(reason=None))
    return len(ids)


def anonymise_closed(connection: Connection, *, closed_before: datetime) -> int:
    return anonymise(connection, where=APPLICATION.c.closed_at < closed_before)


def erase_citizen(connection: Connection, *, citizen_id: int, withdraw_open: bool) -> None:
    """The citizen's erasure. Closed cases are anonymised. Open ones, as the citizen chose:
    withdrawn and anonymised, or kept for the caseworker (the contact details then live in
    the case alone, and the case no longer points at the citizen, who is gone)."""
    open_ids = list(
        connection.execute(
            select(APPLICATION.c.id).where(
                APPLICATION.c.citizen_id == citizen_id, APPLICATION.c.status.not_in(FINAL)
            )
        ).scalars()
    )
    if withdraw_open:
        for application_id in open_ids:
            move(
                connection,
                application_id=application_id,
                before=OPEN,
                after="withdrawn",
                staff_id=None,
            )
        anonymise(connection, where=APPLICATION.c.citizen_id == citizen_id)
        return
    anonymise(
        connection,
        where=(APPLICATION.c.citizen_id == citizen_id) & APPLICATION.c.status.in_(FINAL),
    )
    if open_ids:
        connection.execute(
            update(APPLICATION).where(APPLICATION.c.id.in_(open_ids)).values(citizen_id=None)
        )


def prune_access_log(connection: Connection, *, before: datetime) -> int:
    return connection.execute(delete(ACCESS).where(ACCESS.c.at < before)).rowcount


def reseal(connection: Connection, sealer: Sealer) -> int:
    """Seals every case and note again with the first key (key rotation); rows touched."""
    touched = 0
    sealed_columns = [f"sealed_{name}" for name in PERSONAL]
    for row in connection.execute(
        select(APPLICATION.c.id, *(APPLICATION.c[c] for c in sealed_columns))
    ).all():
        values = {c: sealer.reseal_text(getattr(row, c)) for c in sealed_columns}
        connection.execute(update(APPLICATION).where(APPLICATION.c.id == row.id).values(**values))
        touched += 1
    for row in connection.execute(select(NOTE.c.id, NOTE.c.sealed_body)).all():
        connection.execute(
            update(NOTE)
            .where(NOTE.c.id == row.id)
            .values(sealed_body=sealer.reseal_text(row.sealed_body))
        )
        touched += 1
    return touched


def applicant(connection: Connection, application_id: int) -> list[AnyRow]:
    """The applicant, if still reachable.

    News of their own case reaches them even after /stop, which silences notices only.
    """
    return list(
        connection.execute(
            select(CITIZEN.c.id, CITIZEN.c.channel, CITIZEN.c.chat_id, CITIZEN.c.language)
            .join(APPLICATION, APPLICATION.c.citizen_id == CITIZEN.c.id)
            .where(APPLICATION.c.id == application_id, CITIZEN.c.active)
        ).all()
    )


def count(connection: Connection) -> int:
    return connection.execute(select(func.count()).select_from(APPLICATION)).scalar_one()

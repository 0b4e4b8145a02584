"""Care cases as staff may see them: the one place the dong scope and the logged read live,
for the API and the console alike.

A care worker sees the cases of her dongs only (anybody else's is "not found", so their
existence is not told either); an admin sees every case. Reading a case's personal data is
always written to the care access log, in the same transaction.
"""

from datetime import tzinfo
from typing import Any

from sqlalchemy import Connection
from sqlmodel import Session

from conversations.care import NEXT, receipt
from conversations.flows.care import status_notice
from conversations.messages import Catalog
from staff.case_words import word, words
from staff.counter import marks_of
from staff.spreadsheet import Sheet, sheet
from staff.telling import Telling
from storage import audit, care
from storage.db import AnyRow, aware
from storage.models import Staff
from storage.sealing import Sealer
from storage.staff import Role


class CaseRefused(ValueError):
    """A move the case cannot make: `conflict` (its state) or `invalid` (what was asked);
    `code` names the problem, so each screen can say it in its own words."""

    def __init__(self, kind: str, code: str, reason: str) -> None:
        super().__init__(reason)
        self.kind, self.code, self.reason = kind, code, reason


PROBLEMS = {
    "reason_needed": "declining needs a reason the applicant can read",
    "assignee_needed": "assigning needs assign_to: the care worker's staff id",
}


def move_problem(status: str, reason: str | None, assign_to: int | None) -> str | None:
    """What a status move lacks (a code of PROBLEMS); None when it is complete."""
    if status == "declined" and not (reason and reason.strip()):
        return "reason_needed"
    if status == "assigned" and assign_to is None:
        return "assignee_needed"
    return None


def scope_of(staff: Staff) -> list[str] | None:
    """The dongs a care worker covers; None for an admin, who sees every case."""
    return None if staff.role == Role.ADMIN.value else list(staff.dongs)


def case_for(connection: Connection, staff: Staff, application_id: int) -> AnyRow | None:
    """The case, if this person may see it."""
    row = care.get(connection, application_id)
    scope = scope_of(staff)
    if row is None or (scope is not None and row.dong not in scope):
        return None
    return row


def read_case(connection: Connection, sealer: Sealer, staff: Staff, row: AnyRow) -> dict[str, Any]:
    """The case's personal data, history and notes; the read goes to the access log."""
    care.log_access(connection, staff_id=staff.id, application_ids=[row.id], action="read")
    return {
        "personal": care.personal_data(sealer, row),
        "history": care.history(connection, row.id),
        "notes": care.notes(connection, sealer=sealer, application_id=row.id),
    }


def move_case(
    session: Session,
    telling: Telling,
    *,
    staff: Staff,
    row: AnyRow,
    status: str,
    reason: str | None,
    assign_to: int | None,
) -> int:
    """Moves the case along its workflow and tells the applicant; how many were told."""
    problem = move_problem(status, reason, assign_to)
    if problem:
        raise CaseRefused("invalid", problem, PROBLEMS[problem])
    allowed = NEXT.get(row.status, ())
    if status not in allowed:
        moves = ", ".join(allowed) or "nothing"
        raise CaseRefused(
            "conflict",
            "wrong_move",
            f"a case that is {row.status} can move to: {moves}",
        )
    if assign_to is not None:
        worker = session.get(Staff, assign_to)
        if worker is None or not worker.active or worker.role != Role.CARE_WORKER.value:
            raise CaseRefused("invalid", "not_a_worker", "assign_to is not a care worker")
        if row.dong not in worker.dongs:
            raise CaseRefused(
                "invalid", "not_their_dong", f"that care worker does not cover {row.dong}"
            )
    connection = session.connection()
    care.move(
        connection,
        application_id=row.id,
        before=(row.status,),
        after=status,
        staff_id=staff.id,
        reason=reason,
        assigned_to=assign_to,
    )
    care.log_access(connection, staff_id=staff.id, application_ids=[row.id], action="status")
    told = telling.tell(
        connection,
        care.applicant(connection, row.id),
        lambda t: status_notice(t, application_id=row.id, status=status, reason=reason),
        opens="care",
        about=f"care:{row.id}",
    )
    audit.record(
        session,
        staff_id=staff.id,
        action="care.status",
        target=f"care:{row.id}",
        detail={"status": status, "applicant_told": told},
    )
    return told


def note_case(
    connection: Connection, sealer: Sealer, *, staff: Staff, row: AnyRow, body: str
) -> None:
    """A sealed note on the case, in the access log."""
    care.add_note(
        connection,
        sealer=sealer,
        application_id=row.id,
        staff_id=staff.key,
        body=body,
    )
    care.log_access(connection, staff_id=staff.id, application_ids=[row.id], action="note")


SHEET_HEADER = ["접수번호", "상태", "접수 시각", "신청한 도움", "경로", "우선순위", "신청인",
                "도움받으실 분", "관계", "전화", "동", "주소", "연락 받기 좋은 때",
                "사정", "창구 접수"]  # fmt: skip


def dong_sheet(
    connection: Connection,
    sealer: Sealer,
    staff: Staff,
    dong: str,
    status: str | None,
    zone: tzinfo,
    catalog: Catalog,
) -> Sheet | None:
    """A dong office's cases with contact details, every case in the access log; None when
    the dong is not this person's (outside one's dongs looks like nothing there)."""
    scope = scope_of(staff)
    if scope is not None and dong not in scope:
        return None
    rows, _ = care.search(connection, dongs=scope, dong=dong, status=status, limit=100_000)
    lines = []
    marks = marks_of(connection, "care", [r.id for r in rows])
    for summary in rows:
        personal = care.personal_data(sealer, care.get(connection, summary.id))  # type: ignore[arg-type]
        lines.append(
            [
                receipt(summary.id),
                word(catalog, "ko", f"care.status.{summary.status}"),
                aware(summary.created_at).astimezone(zone).isoformat(timespec="seconds"),
                ", ".join(words(catalog, "ko", "care.service", summary.services)),
                summary.track,
                summary.priority,
                personal["applicant_name"],
                personal["cared_name"] or personal["applicant_name"],
                word(catalog, "ko", f"care.relation.{summary.relation}")
                if summary.relation
                else "",
                personal["phone"],
                summary.dong,
                personal["address"],
                word(catalog, "ko", f"care.contact_time.{summary.contact_time}"),
                personal["situation"],
                marks.get(summary.id, ""),
            ]
        )
    care.log_access(
        connection, staff_id=staff.id, application_ids=[r.id for r in rows], action="export"
    )
    return sheet(SHEET_HEADER, lines, filename="care-applications.csv")

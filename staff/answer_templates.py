"""Saved answers per department: who sees and changes which, and what a saved answer must
hold — one set of rules for the API and the console.

Staff see and keep their own department's answers; admins every department's. A person
without a department has none to keep (an admin sets the department first).
"""

from dataclasses import dataclass

from sqlmodel import Session

from staff.answering import STATUSES
from staff.refusals import Refused
from storage import answer_templates, audit
from storage.models import AnswerTemplate, Staff
from storage.staff import Role

# A saved answer is for answering: the statuses after "submitted".
TEMPLATE_STATUSES = tuple(s for s in STATUSES if s != "submitted")


class TemplateRefused(Refused):
    """Why a saved answer cannot be kept: `no_department`, `not_yours`, `title`, `status`,
    `body` (each said in words by the API and the console)."""


@dataclass(frozen=True)
class TemplateWords:
    title: str
    status: str
    body: str

    def checked(self) -> "TemplateWords":
        """The words trimmed, or TemplateRefused naming the first field that is wrong."""
        title, body = self.title.strip(), self.body.strip()
        if not 1 <= len(title) <= 60:
            raise TemplateRefused("title")
        if self.status not in TEMPLATE_STATUSES:
            raise TemplateRefused("status")
        if not 1 <= len(body) <= 2000:
            raise TemplateRefused("body")
        return TemplateWords(title, self.status, body)


def seen_by(session: Session, staff: Staff) -> list[AnswerTemplate]:
    """The saved answers this person may use: their department's, or all for an admin."""
    if staff.role == Role.ADMIN:
        return answer_templates.listed(session, department=None)
    if not staff.department:
        return []
    return answer_templates.listed(session, department=staff.department)


def usable(session: Session, staff: Staff, template_id: int) -> AnswerTemplate | None:
    """One saved answer if this person may see it; None otherwise (a 404 to them)."""
    row = session.get(AnswerTemplate, template_id)
    if row is None or (staff.role != Role.ADMIN and row.department != staff.department):
        return None
    return row


def keep(
    session: Session,
    staff: Staff,
    words: TemplateWords,
    *,
    row: AnswerTemplate | None = None,
    department: str | None = None,
) -> AnswerTemplate:
    """Adds (no `row`) or rewrites a saved answer, in the audit log. Staff keep their own
    department's; an admin may name another `department`."""
    assert staff.id is not None
    checked = words.checked()
    if row is not None:
        place = row.department
    elif staff.role == Role.ADMIN and department and department.strip():
        place = department.strip()[:60]
    else:
        place = staff.department
    if not place:
        raise TemplateRefused("no_department")
    if staff.role != Role.ADMIN and place != staff.department:
        raise TemplateRefused("not_yours")
    saved = answer_templates.save(
        session,
        template_id=row.id if row else None,
        department=place,
        title=checked.title,
        status=checked.status,
        body=checked.body,
        author_id=staff.id,
    )
    audit.record(
        session,
        staff_id=staff.id,
        action="answer_template.change" if row else "answer_template.create",
        target=f"answer_template:{saved.id}",
        detail={"department": place, "title": checked.title},
    )
    return saved


def drop(session: Session, staff: Staff, row: AnswerTemplate) -> None:
    """Removes a saved answer of one's department (any, for an admin), in the audit log."""
    if staff.role != Role.ADMIN and row.department != staff.department:
        raise TemplateRefused("not_yours")
    audit.record(
        session,
        staff_id=staff.id,
        action="answer_template.delete",
        target=f"answer_template:{row.id}",
        detail={"department": row.department, "title": row.title},
    )
    answer_templates.remove(session, row)

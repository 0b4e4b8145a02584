"""A department's saved answers to proposals: listed, read, saved and removed.

Who may change which department's answers is decided in `api/answer_templates.py`, for the
API and the console alike; here is only how they are kept.
"""

from sqlmodel import Session, col, select

from storage.models import AnswerTemplate, utcnow


def listed(session: Session, *, department: str | None) -> list[AnswerTemplate]:
    """One department's saved answers by title, or every department's (None), by department."""
    query = select(AnswerTemplate).order_by(
        col(AnswerTemplate.department), col(AnswerTemplate.title), col(AnswerTemplate.id)
    )
    if department is not None:
        query = query.where(AnswerTemplate.department == department)
    return list(session.exec(query))


def save(
    session: Session,
    *,
    template_id: int | None,
    department: str,
    title: str,
    status: str,
    body: str,
    author_id: int,
) -> AnswerTemplate:
    """Adds a saved answer (no `template_id`) or replaces the words of one."""
    row = session.get(AnswerTemplate, template_id) if template_id else None
    if row is None:
        row = AnswerTemplate(department=department, title="", status="", body="", author_id=0)
        session.add(row)
    row.department, row.title, row.status, row.body = department, title, status, body
    row.author_id, row.updated_at = author_id, utcnow()
    session.flush()
    return row


def remove(session: Session, row: AnswerTemplate) -> None:
    session.delete(row)
    session.flush()

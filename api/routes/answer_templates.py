"""A department's saved answers to proposals: list, add, rewrite, remove (rules in
`api/answer_templates.py`, shared with the console)."""

from fastapi import APIRouter, HTTPException, status

from api.deps import Authorised, SessionDep
from api.schemas.answer_templates import TemplateIn, TemplatePublic
from api.types import ItemId
from staff.answer_templates import TemplateRefused, TemplateWords, drop, keep, seen_by, usable
from storage.models import AnswerTemplate

router = APIRouter(prefix="/api/v1/answer-templates", tags=["proposals"])
REASONS = {
    "no_department": "you have no department yet; an admin sets it",
    "not_yours": "saved answers of another department are not yours to change",
    "title": "title: 1 to 60 characters",
    "status": "status: one of under_review, accepted, partly_accepted, not_accepted",
    "body": "body: 1 to 2000 characters",
}


def _public(row: AnswerTemplate) -> TemplatePublic:
    return TemplatePublic.model_validate(row, from_attributes=True)


def _refused(error: TemplateRefused) -> HTTPException:
    code = status.HTTP_403_FORBIDDEN if error.code == "not_yours" else 400
    return HTTPException(code, REASONS[error.code])


def _found(session: SessionDep, staff: Authorised, template_id: int) -> AnswerTemplate:
    row = usable(session, staff, template_id)
    if row is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no saved answer {template_id}")
    return row


@router.get("")
def list_templates(session: SessionDep, staff: Authorised) -> list[TemplatePublic]:
    """Your department's saved answers (every department's for an admin)."""
    return [_public(row) for row in seen_by(session, staff)]


@router.post("", status_code=status.HTTP_201_CREATED)
def add_template(session: SessionDep, staff: Authorised, body: TemplateIn) -> TemplatePublic:
    words = TemplateWords(body.title, body.status, body.body)
    try:
        return _public(keep(session, staff, words, department=body.department))
    except TemplateRefused as error:
        raise _refused(error) from None


@router.put("/{template_id}")
def rewrite_template(
    session: SessionDep, staff: Authorised, template_id: ItemId, body: TemplateIn
) -> TemplatePublic:
    row = _found(session, staff, template_id)
    words = TemplateWords(body.title, body.status, body.body)
    try:
        return _public(keep(session, staff, words, row=row))
    except TemplateRefused as error:
        raise _refused(error) from None


@router.delete("/{template_id}", status_code=status.HTTP_204_NO_CONTENT)
def remove_template(session: SessionDep, staff: Authorised, template_id: ItemId) -> None:
    row = _found(session, staff, template_id)
    try:
        drop(session, staff, row)
    except TemplateRefused as error:
        raise _refused(error) from None

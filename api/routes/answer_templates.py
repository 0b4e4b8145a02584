"""A department's saved answers to proposals: list, add, rewrite, remove (rules in
`api/answer_templates.py`, shared with the console)."""

from typing import Literal

from fastapi import APIRouter, HTTPException, status
from pydantic import BaseModel, Field

from api.answer_templates import TemplateRefused, TemplateWords, drop, keep, seen_by, usable
from api.deps import Authorised, SessionDep
from api.types import ItemId, Timestamp
from storage.models import AnswerTemplate

router = APIRouter(prefix="/api/v1/answer-templates", tags=["proposals"])
AnswerStatus = Literal["under_review", "accepted", "partly_accepted", "not_accepted"]
REASONS = {
    "no_department": "you have no department yet; an admin sets it",
    "not_yours": "saved answers of another department are not yours to change",
    "title": "title: 1 to 60 characters",
    "status": "status: one of under_review, accepted, partly_accepted, not_accepted",
    "body": "body: 1 to 2000 characters",
}


class TemplatePublic(BaseModel):
    id: int
    department: str
    title: str
    status: str
    body: str
    updated_at: Timestamp


class TemplateIn(BaseModel):
    title: str = Field(min_length=1, max_length=60)
    status: AnswerStatus
    body: str = Field(min_length=1, max_length=2000)
    department: str | None = Field(
        default=None, max_length=60, description="Admins only: whose; staff keep their own."
    )


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

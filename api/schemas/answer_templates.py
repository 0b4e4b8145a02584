"""Answer templates: what the API takes and gives."""

from typing import Literal

from pydantic import BaseModel, Field

from staff.types import Timestamp

AnswerStatus = Literal["under_review", "accepted", "partly_accepted", "not_accepted"]


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

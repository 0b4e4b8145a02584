"""Proposals: what the API takes and gives."""

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field, model_validator

from api.types import MAX_ID
from staff.types import Timestamp
from storage import proposals

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
    answered_at: Timestamp | None
    answer_due: date | None = Field(description="Set once the support threshold is reached.")
    overdue: bool
    department: str | None = Field(description="The department whose queue holds it.")
    due_on: date | None = Field(description="The day its department means to answer by.")
    counter: str | None = Field(
        default=None,
        description="Filed at the counter by an official: 창구 접수 · who · which office.",
    )
    created_at: Timestamp


class CommentPublic(BaseModel):
    id: int
    body: str
    hidden: bool
    created_at: Timestamp


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


class Cluster(BaseModel):
    proposals: list[ProposalPublic]


class Merge(BaseModel):
    into: int = Field(ge=1, le=MAX_ID, description="The proposal that stays; this one is hidden.")


class Assignment(BaseModel):
    department: str | None = Field(
        default=None,
        max_length=60,
        description="A department staff belong to; empty or null takes it out of every queue.",
    )
    due_on: date | None = Field(default=None, description="Today or later, in the city's days.")


class NoteIn(BaseModel):
    text: str = Field(min_length=1, max_length=2000, description="Seen by staff only.")


class NotePublic(BaseModel):
    author: str
    text: str
    at: Timestamp

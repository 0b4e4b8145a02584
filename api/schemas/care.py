"""Care applications: what the API takes and gives."""

from typing import Literal

from pydantic import BaseModel, Field, model_validator

from api.types import MAX_ID
from conversations.care import STATUSES
from staff.casework import (
    PROBLEMS,
    move_problem,
)
from staff.types import Timestamp

Status = Literal[STATUSES]  # type: ignore[valid-type]


class CareSummary(BaseModel):
    """A case without personal data, for lists."""

    id: int
    receipt: str
    status: Status
    dong: str
    services: list[str]
    track: str
    priority: str
    for_whom: str
    relation: str | None
    contact_time: str
    counter: str | None = Field(
        default=None,
        description="Filed at the counter by an official: 창구 접수 · who · which office.",
    )
    assigned_to: int | None
    created_at: Timestamp
    updated_at: Timestamp
    closed_at: Timestamp | None
    anonymised: bool


class PersonalData(BaseModel):
    applicant_name: str | None
    cared_name: str | None
    phone: str | None
    address: str | None
    situation: str | None
    screening: list[str]


class StatusEntry(BaseModel):
    status: Status
    reason: str | None
    staff_id: int | None
    at: Timestamp


class Note(BaseModel):
    staff_id: int | None
    body: str
    at: Timestamp


class CareDetail(CareSummary):
    personal: PersonalData
    history: list[StatusEntry]
    notes: list[Note]


class CarePage(BaseModel):
    items: list[CareSummary]
    total: int
    limit: int
    offset: int


class StatusChange(BaseModel):
    status: Literal["reviewing", "assigned", "in_progress", "completed", "declined"]
    reason: str | None = Field(default=None, min_length=1, max_length=500)
    assign_to: int | None = Field(default=None, ge=1, le=MAX_ID)

    @model_validator(mode="after")
    def _needs(self) -> "StatusChange":
        problem = move_problem(self.status, self.reason, self.assign_to)
        if problem:
            raise ValueError(PROBLEMS[problem])
        return self


class NoteIn(BaseModel):
    body: str = Field(min_length=1, max_length=2000)


class AccessEntry(BaseModel):
    id: int
    staff_id: int | None
    staff_name: str | None
    application_id: int | None
    action: str
    at: Timestamp


class Assignee(BaseModel):
    id: int
    name: str

"""Surveys: what the API gives back (what it takes is the staff floor's `PollIn`)."""

from typing import Literal

from pydantic import BaseModel, Field

from staff.survey_input import (
    Audience,
    Kind,
    QuestionIn,
    Shown,
    SurveyEnglish,
)
from staff.types import Timestamp


class PollPublic(BaseModel):
    id: int
    title: str
    intro: str
    outro: str
    en: SurveyEnglish
    questions: list[QuestionIn]
    audience: Audience
    opens_at: Timestamp
    closes_at: Timestamp
    results_shown: Shown
    status: Literal["draft", "scheduled", "open", "closed"]
    version: int
    responses: int
    created_at: Timestamp
    updated_at: Timestamp


class PollPage(BaseModel):
    items: list[PollPublic]
    total: int
    limit: int
    offset: int


class GroupResult(BaseModel):
    respondents: int
    counts: dict[str, int]


class Withheld(BaseModel):
    suppressed: Literal[True] = True
    reason: str = "fewer than 5 responses, or would give back a smaller group by subtraction"


class QuestionResult(BaseModel):
    key: str
    kind: Kind
    text: str
    labels: dict[str, str] = Field(description="What each counted value means.")
    total: GroupResult
    percentages: dict[str, float] = Field(description="Of the people who answered, 0–100.")
    breakdowns: dict[str, dict[str, GroupResult | Withheld]]


class Results(BaseModel):
    poll_id: int
    status: str
    responses: int
    questions: list[QuestionResult]

"""What staff hand in to build a survey: one model, checked the same for the JSON API and
the console's builder, so a survey one accepts the other accepts too."""

from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BaseModel, Field, StringConstraints, model_validator

from conversations.districts import suwon
from conversations.flows.choices import AGE_BANDS, INTERESTS
from conversations.polls import (
    KINDS,
    RESULTS_SHOWN,
    definition_problems,
)
from staff.types import Timestamp

Kind = Literal[KINDS]  # type: ignore[valid-type]
Shown = Literal[RESULTS_SHOWN]  # type: ignore[valid-type]
Label = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)]
if TYPE_CHECKING:  # built from the flows' options at run time; the checker sees their text
    AgeBand = str
    Interest = str
else:
    AgeBand = Literal[tuple(o.value for o in AGE_BANDS)]
    Interest = Literal[tuple(o.value for o in INTERESTS)]
Place = Annotated[str, StringConstraints(min_length=1, max_length=32)]


class ShowIf(BaseModel):
    question: str = Field(pattern=r"^q[1-9][0-9]?$", description="An earlier question: q1, q2…")
    answers: list[Annotated[str, StringConstraints(min_length=1, max_length=8)]] = Field(
        min_length=1, max_length=10, description="Option numbers ('1'), scale points, yes/no."
    )


EndLabel = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20)]


class English(BaseModel):
    """The question for citizens who chose English; what is left out reads as the Korean."""

    text: str = Field(default="", max_length=300)
    options: list[Annotated[str, StringConstraints(strip_whitespace=True, max_length=60)]] = Field(
        default_factory=list, max_length=10, description="In the order of `options`."
    )
    scale_labels: list[EndLabel] = Field(default_factory=list, max_length=2)


class QuestionIn(BaseModel):
    kind: Kind
    text: str = Field(min_length=1, max_length=300)
    options: list[Label] = Field(default_factory=list, max_length=10)
    max_choices: int | None = Field(default=None, ge=1, le=10)
    max_length: int = Field(default=500, ge=1, le=1000)
    show_if: ShowIf | None = None
    optional: bool = Field(default=False, description="The citizen may skip it.")
    scale_labels: list[EndLabel] = Field(
        default_factory=list,
        max_length=2,
        description="A scale's two ends in words (1, then 5), e.g. 전혀 아니다, 매우 그렇다.",
    )
    en: English | None = None

    @model_validator(mode="after")
    def _ends(self) -> "QuestionIn":
        if len(self.scale_labels) == 1 or (self.en and len(self.en.scale_labels) == 1):
            raise ValueError("scale_labels needs both ends, or none")
        return self


class Audience(BaseModel):
    """Empty lists match everyone; listed ones must all match (any value within a list)."""

    gus: list[Place] = Field(default_factory=list, max_length=10)
    dongs: list[Place] = Field(default_factory=list, max_length=100)
    age_bands: list[AgeBand] = Field(default_factory=list)
    interests: list[Interest] = Field(default_factory=list)
    languages: list[Literal["ko", "en"]] = Field(
        default_factory=list, description="Citizens who never chose a language read Korean."
    )

    @model_validator(mode="after")
    def _known_places(self) -> "Audience":
        districts = suwon()
        unknown = [g for g in self.gus if g not in districts.gus] + districts.unknown(self.dongs)
        if unknown:
            raise ValueError(f"not a gu or dong of the city: {', '.join(unknown)}")
        return self


class SurveyEnglish(BaseModel):
    """The survey's own words for citizens who chose English; empty ones read as Korean."""

    title: str = Field(default="", max_length=100)
    intro: str = Field(default="", max_length=1000)
    outro: str = Field(default="", max_length=500)


class PollIn(BaseModel):
    title: str = Field(min_length=1, max_length=100)
    intro: str = Field(default="", max_length=1000)
    outro: str = Field(
        default="", max_length=500, description="Read after answering, before any results."
    )
    en: SurveyEnglish | None = None
    questions: list[QuestionIn] = Field(min_length=1, max_length=30)
    audience: Audience = Field(default_factory=Audience)
    opens_at: Timestamp
    closes_at: Timestamp
    results_shown: Shown = "after_close"

    @model_validator(mode="after")
    def _consistent(self) -> "PollIn":
        # Every problem at once, so a form can say each beside its field.
        problems = ["closes_at must be after opens_at"] if self.closes_at <= self.opens_at else []
        for n, question in enumerate(self.questions, start=1):
            if question.max_choices and question.max_choices > len(question.options):
                problems.append(f"q{n}: max_choices is more than the options")
        problems += definition_problems(self.questions_data())
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def questions_data(self) -> list[dict[str, Any]]:
        """The questions as they are stored."""
        return [q.model_dump(exclude_none=True) for q in self.questions]

    def columns(self) -> dict[str, object]:
        return {
            "title": self.title,
            "intro": self.intro,
            "outro": self.outro.strip(),
            "english": {
                name: words.strip()
                for name, words in (self.en.model_dump() if self.en else {}).items()
                if words.strip()
            },
            "questions": self.questions_data(),
            "audience": self.audience.model_dump(),
            "opens_at": self.opens_at,
            "closes_at": self.closes_at,
            "results_shown": self.results_shown,
        }

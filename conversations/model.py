"""What a flow is made of: steps, the input each step expects, and where each answer leads.

Flows are plain data so that a new service is declared, not programmed; the engine walks them.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from conversations.desk import Desk
from conversations.events import Effect

END = "__end__"
SKIP = "skip"
DONE = "done"
Answers = Mapping[str, Any]
Translate = Callable[..., str]


@dataclass(frozen=True)
class Profile:
    """The citizen's settings the conversations read and change; stored by the runtime."""

    language: str | None = None
    privacy_consent: bool | None = None
    dong: str | None = None
    age_band: str | None = None
    interests: tuple[str, ...] = ()
    muted_topics: tuple[str, ...] = ()
    easy_mode: bool = False
    notices_enabled: bool = True
    onboarded: bool = False

    def with_answer(self, field_name: str, value: Any) -> "Profile":
        """Applies one answer; refusing consent also drops what was kept under it."""
        if field_name == "privacy_consent":
            consent = value == "agree"
            if consent:
                return replace(self, privacy_consent=True)
            return replace(self, privacy_consent=False, dong=None, age_band=None, interests=())
        if field_name in ("easy_mode", "notices_enabled"):
            return replace(self, **{field_name: value == "on"})
        if field_name == "interests":
            chosen = tuple(value or ())
            unmuted = tuple(t for t in self.muted_topics if t not in chosen)
            return replace(self, interests=chosen, muted_topics=unmuted)
        return replace(self, **{field_name: value})


@dataclass(frozen=True)
class Option:
    """A button; `label` is a catalogue key, or the text itself when staff wrote it (`literal`)."""

    value: str
    label: str
    literal: bool = False


@dataclass(frozen=True)
class ChooseOne:
    options: tuple[Option, ...]
    inline: bool = False


@dataclass(frozen=True)
class ChooseMany:
    options: tuple[Option, ...]
    min_selected: int = 0
    max_selected: int | None = None


@dataclass(frozen=True)
class FreeText:
    """Typed words; `check` may name (by catalogue key) what is wrong with them."""

    min_length: int = 1
    max_length: int = 1000
    check: Callable[[str], str | None] | None = None


@dataclass(frozen=True)
class PhoneNumber:
    """A Korean phone number, shared with the contact button or typed in any common format."""


@dataclass(frozen=True)
class Number:
    minimum: int
    maximum: int


@dataclass(frozen=True)
class PickDong:
    """One of the city's administrative dongs: district buttons, then dongs; or typed, fuzzily."""


@dataclass(frozen=True)
class Context:
    """What a flow's domain hooks see: the answers so far, the citizen, texts and the desk."""

    answers: Answers
    profile: Profile
    t: Translate
    desk: Desk | None


@dataclass(frozen=True)
class Offer:
    """Buttons decided when the step is asked (value, label), and text parameters for it."""

    options: tuple[tuple[str, str], ...]
    params: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ChooseOffered:
    """A choice among what a hook offers at that moment; with nothing to offer it is skipped."""

    offer: Callable[[Context], Offer]
    inline: bool = True


Input = ChooseOne | ChooseMany | FreeText | PhoneNumber | Number | PickDong | ChooseOffered
NextStep = str | Mapping[str, str] | Callable[[Answers, Profile], str]


@dataclass(frozen=True)
class Step:
    id: str
    prompt: str
    input: Input
    next: NextStep = END
    skippable: bool = False
    profile_field: str | None = None
    help: str = "help.step"
    describe: Callable[[Answers, Profile, Translate], Mapping[str, str]] | None = None
    on_answer: Callable[[Context, Any], str | None] | None = None


@dataclass(frozen=True)
class Chart:
    """Figures to draw as a bar chart beside their text: (label, count, percent) per bar."""

    caption: str
    bars: tuple[tuple[str, int, int], ...]


@dataclass(frozen=True)
class Outcome:
    """What a finished flow leaves behind: a message for the citizen and work for the runtime.

    `charts` go out as pictures before the message; `start` opens another flow right after
    (a survey picked from the list of surveys).
    """

    message: str
    params: Mapping[str, str] = field(default_factory=dict)
    effects: tuple[Effect, ...] = ()
    charts: tuple[Chart, ...] = ()
    start: str | None = None


@dataclass(frozen=True)
class Flow:
    """A declared conversation; `closed` names the message shown if it can no longer be used.

    Flows built from records (a staff-made survey) set `title_params` for their own title and
    `closed` once the record stops taking answers, so a citizen mid-way is told, not stranded.
    """

    id: str
    title: str
    steps: tuple[Step, ...]
    finish: Callable[[Context], Outcome]
    version: int = 1
    in_menu: bool = True
    title_params: Mapping[str, str] = field(default_factory=dict)
    closed: str | None = None

    @property
    def first_step(self) -> str:
        return self.steps[0].id

    def step(self, step_id: str) -> Step | None:
        return next((s for s in self.steps if s.id == step_id), None)


@dataclass(frozen=True)
class FlowFamily:
    """Flows made at run time from the city's records, named `<prefix>:<record id>`."""

    prefix: str
    build: Callable[[str, Desk | None], Flow | None]


def yes_no(yes: str = "choice.yes", no: str = "choice.no") -> ChooseOne:
    return ChooseOne((Option("yes", yes), Option("no", no)), inline=True)

"""What a flow is made of: steps, the input each step expects, and where each answer leads.

Flows are plain data so that a new service is declared, not programmed; the engine walks them.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from conversations.desk import Desk
from conversations.events import Effect

if TYPE_CHECKING:
    from conversations.inputs.base import InputKind

END = "__end__"
Answers = Mapping[str, Any]
_LISTS = ("interests", "muted_topics")
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

    def to_fields(self) -> dict[str, Any]:
        """Plain values, as the database and JSON keep them (lists, not tuples)."""
        return {**vars(self), **{name: list(getattr(self, name)) for name in _LISTS}}

    @classmethod
    def from_fields(cls, fields: Mapping[str, Any]) -> "Profile":
        return cls(**{**fields, **{name: tuple(fields[name] or ()) for name in _LISTS}})

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
    """A button; `label` is a catalogue key, or the text itself when staff wrote it (`literal`).

    `about` names a catalogue text of everyday words for what the option is about (병원,
    식사 …), comma-separated: typing one of them picks the option when no other has it.
    """

    value: str
    label: str
    literal: bool = False
    about: str | None = None
    translations: tuple[tuple[str, str], ...] = ()
    """A literal label in other languages, as (language, text): staff may word it in English."""

    def literal_in(self, language: str) -> str:
        return dict(self.translations).get(language) or self.label


@dataclass(frozen=True)
class Context:
    """What a flow's domain hooks see: the answers so far, the citizen, texts and the desk."""

    answers: Answers
    profile: Profile
    t: Translate
    desk: Desk | None
    sender_name: str | None = None  # as the messenger shows the person, this turn only


@dataclass(frozen=True)
class Offer:
    """Buttons decided when the step is asked (value, label), and text parameters for it."""

    options: tuple[tuple[str, str], ...]
    params: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Branch:
    """A next step decided by a hook; `targets` are every step it may return, checked on load."""

    decide: Callable[[Answers, "Profile"], str]
    targets: tuple[str, ...]

    def __call__(self, answers: Answers, profile: "Profile") -> str:
        target = self.decide(answers, profile)
        if target not in self.targets:
            raise ValueError(f"{self.decide.__name__} led to undeclared step {target!r}")
        return target


def leads_to(*targets: str) -> Callable[[Callable[[Answers, "Profile"], str]], Branch]:
    """Declares the steps a branching hook may lead to: `@leads_to("detail", "list")`."""

    def declare(decide: Callable[[Answers, "Profile"], str]) -> Branch:
        return Branch(decide, targets)

    return declare


NextStep = str | Mapping[str, str] | Branch


@dataclass(frozen=True)
class Step:
    id: str
    prompt: str
    input: "InputKind"
    next: NextStep = END
    skippable: bool = False
    profile_field: str | None = None
    help: str = "help.step"
    describe: Callable[[Answers, Profile, Translate], Mapping[str, str]] | None = None
    on_answer: Callable[[Context, Any], str | None] | None = None


@dataclass(frozen=True)
class Chart:
    """Figures to draw as a bar chart beside their text: (label, count, percent) per bar,
    under `title`; `mine` numbers the bars (from 0) that are the citizen's own answers."""

    caption: str
    bars: tuple[tuple[str, int, int], ...]
    title: str = ""
    mine: tuple[int, ...] = ()


@dataclass(frozen=True)
class Outcome:
    """What a finished flow leaves behind: a message for the citizen and work for the runtime.

    `charts` go out as pictures before the message; `start` opens another flow right after
    (a survey picked from the list of surveys).
    """

    message: str
    params: Mapping[str, object] = field(default_factory=dict)
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
    # Whether leaving half-way keeps a draft to continue: looking through a list is no
    # unfinished work, and "하던 일 이어서" must not offer it.
    keeps_draft: bool = True
    # Whether the flow publishes the citizen's words (a proposal): a citizen staff blocked
    # from posting is told so before writing, not after.
    posts: bool = False
    # How the flow starts from words the citizen typed elsewhere (a problem told at the
    # main menu becomes a proposal's title and description), if it can.
    from_words: "Callable[[str], Seed] | None" = None

    @property
    def first_step(self) -> str:
        return self.steps[0].id

    def step(self, step_id: str) -> Step | None:
        return next((s for s in self.steps if s.id == step_id), None)


@dataclass(frozen=True)
class Seed:
    """Where a flow started from typed words begins: the answers they give, the steps they
    stand for (so "back" returns to them), and the step to ask, with words to read there."""

    answers: Mapping[str, Any]
    history: tuple[str, ...]
    step: str
    text: str | None = None


@dataclass(frozen=True)
class FlowFamily:
    """Flows made at run time from the city's records, named `<prefix>:<record id>`."""

    prefix: str
    build: Callable[[str, Desk | None], Flow | None]

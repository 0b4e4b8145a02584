"""What an input kind does for the engine, and what it may see of the turn.

Each kind (a module beside this one) lists its choices, asks its step (buttons, layout),
reads a pressed value, typed text or a shared contact, and checks its own declaration. The
engine only dispatches: a new kind is one new module, and nothing in the engine changes.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

from conversations.events import Button
from conversations.matching import normalize, pick

if TYPE_CHECKING:
    from conversations.districts import Districts
    from conversations.model import Context, Option, Profile, Step
    from conversations.session import Session

Choices = list[tuple[str, list[str]]]


class StepView(Protocol):
    """The part of a turn an input kind sees: the session, texts, places and the desk."""

    @property
    def session(self) -> "Session": ...

    @property
    def districts(self) -> "Districts": ...

    @property
    def profile(self) -> "Profile": ...

    @property
    def language(self) -> str: ...

    def t(self, key: str, **params: Any) -> str: ...

    def label(self, option: "Option") -> str: ...

    def labels_everywhere(self, option: "Option") -> list[str]: ...

    def everywhere(self, key: str) -> list[str]: ...

    def context(self) -> "Context": ...


@dataclass(frozen=True)
class Accept:
    """The step is answered with `value` (None: skipped)."""

    value: Any


@dataclass(frozen=True)
class Again:
    """Ask the step again, with a note above it.

    `same_prompt` keeps the prompt's id, so the buttons already shown stay live (a toggle in
    a multiple choice); `edit` rewrites that message instead of sending a new one.
    """

    note: str | None = None
    params: Mapping[str, Any] = field(default_factory=dict)
    edit: bool = False
    same_prompt: bool = False


Reading = Accept | Again


@dataclass(frozen=True)
class Prompt:
    """How a step is asked: its buttons and layout, and another prompt text if need be."""

    buttons: tuple[Button, ...] = ()
    inline: bool = False
    request_contact: str | None = None
    text_key: str | None = None
    params: Mapping[str, object] = field(default_factory=dict)


class InputKind:
    """The default behaviour: no buttons, nothing typed understood, no contact taken."""

    # Typed text is the answer itself, unless it names a button exactly (a word of the
    # navigation, say); on other kinds typed text is first matched to the buttons.
    free_form: ClassVar[bool] = False
    # Any words may be an answer here, so a navigation word typed alone might be one too:
    # the engine obeys it and offers a button to take the words as the answer instead.
    takes_any_words: ClassVar[bool] = False

    def prompt(self, step: "Step", view: StepView) -> Prompt | Accept:
        """How to ask `step` now; Accept skips the step (nothing to ask)."""
        return Prompt()

    def choices(self, step: "Step", view: StepView) -> Choices:
        """(value, labels in every language) of what the last prompt of `step` offered."""
        return []

    def match(self, step: "Step", view: StepView, text: str, offered: Choices) -> str | None:
        """The offered value that typed `text` names (`offered` includes the navigation).

        On a free-form step only a label typed exactly counts: anything else is the answer.
        """
        if not self.free_form:
            return pick(text, offered)
        typed = normalize(text)
        if not typed:
            return None
        return next((v for v, labels in offered if typed in map(normalize, labels)), None)

    def read_choice(self, step: "Step", view: StepView, value: str, *, pressed: bool) -> Reading:
        """A value the citizen pressed, or typed the label of."""
        return Again("input.not_an_option")

    def read_text(self, step: "Step", view: StepView, text: str) -> Reading:
        """Typed text that named no button."""
        return Again("input.not_an_option")

    def read_contact(self, step: "Step", view: StepView, phone: str) -> Reading | None:
        """A shared contact; None when this kind takes none."""
        return None

    def values(self) -> set[str]:
        """The values declared for this step, which transitions may name."""
        return set()

    def problems(self, step: "Step") -> Iterable[str]:
        """What is wrong with this declaration, each said in a few words."""
        return ()

    def message_keys(self) -> Sequence[str]:
        """Catalogue keys this declaration uses, which every language must have."""
        return ()

"""Typed words within a length, optionally checked by a flow's own rule."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from conversations.events import Button
from conversations.inputs.base import Accept, Again, Choices, InputKind, Prompt, Reading, StepView
from conversations.matching import normalize

TRIM = "trim"  # keep the first `max_length` characters of a text that was too long
SUGGESTED = "suggested"  # the words a hook suggests (the name the messenger shows)

if TYPE_CHECKING:
    from conversations.model import Context, Step


@dataclass(frozen=True)
class FreeText(InputKind):
    """`check` may name (by catalogue key) what is wrong with the words; `suggest` may offer
    words as a button (a name the messenger knows), which the citizen can take or replace."""

    min_length: int = 1
    max_length: int = 1000
    check: Callable[[str], str | None] | None = None
    suggest: "Callable[[Context], str | None] | None" = None
    free_form: ClassVar[bool] = True
    takes_any_words: ClassVar[bool] = True

    def prompt(self, step: "Step", view: StepView) -> Prompt:
        """Offers to keep the start of a text that was too long, rather than lose it."""
        return Prompt(tuple(Button(value, label[0]) for value, label in self.choices(step, view)))

    def choices(self, step: "Step", view: StepView) -> Choices:
        offered = []
        suggestion = self._suggestion(view)
        if suggestion:
            offered.append((SUGGESTED, [view.t("choice.suggested", text=suggestion)]))
        if view.session.held:
            offered.append((TRIM, [view.t("choice.keep_start", count=self.max_length)]))
        return offered

    def read_choice(self, step: "Step", view: StepView, value: str, *, pressed: bool) -> Reading:
        held, suggestion = view.session.held, self._suggestion(view)
        if value == TRIM and held:
            return self.read_text(step, view, held[: self.max_length])
        if value == SUGGESTED and suggestion:
            return self.read_text(step, view, suggestion)
        return Again("input.not_an_option")

    def _suggestion(self, view: StepView) -> str | None:
        return self.suggest(view.context()) if self.suggest else None

    def read_text(self, step: "Step", view: StepView, text: str) -> Reading:
        answer = text.strip()
        if not normalize(answer):
            return Again("input.text_empty")
        if len(answer) < self.min_length:
            return Again("input.text_too_short", {"count": self.min_length})
        if len(answer) > self.max_length:
            view.session.held = answer
            cut = answer[max(0, self.max_length - 12) : self.max_length]
            params = {"count": self.max_length, "length": len(answer), "cut": cut}
            return Again("input.text_too_long", params)
        problem = self.check(answer) if self.check else None
        return Again(problem) if problem else Accept(answer)

    def problems(self, step: "Step") -> Iterable[str]:
        if not 1 <= self.min_length <= self.max_length:
            yield "has a length range that no text fits"

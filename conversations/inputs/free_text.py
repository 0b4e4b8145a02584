"""Typed words within a length, optionally checked by a flow's own rule."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from conversations.inputs.base import Accept, Again, InputKind, Reading, StepView
from conversations.matching import normalize

if TYPE_CHECKING:
    from conversations.model import Step


@dataclass(frozen=True)
class FreeText(InputKind):
    """`check` may name (by catalogue key) what is wrong with the words."""

    min_length: int = 1
    max_length: int = 1000
    check: Callable[[str], str | None] | None = None
    free_form: ClassVar[bool] = True
    takes_any_words: ClassVar[bool] = True

    def read_text(self, step: "Step", view: StepView, text: str) -> Reading:
        answer = text.strip()
        if not normalize(answer):
            return Again("input.text_empty")
        if len(answer) < self.min_length:
            return Again("input.text_too_short", {"count": self.min_length})
        if len(answer) > self.max_length:
            return Again("input.text_too_long", {"count": self.max_length, "length": len(answer)})
        problem = self.check(answer) if self.check else None
        return Again(problem) if problem else Accept(answer)

    def problems(self, step: "Step") -> Iterable[str]:
        if not 1 <= self.min_length <= self.max_length:
            yield "has a length range that no text fits"

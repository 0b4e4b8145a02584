"""A whole number within a range, typed in digits."""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from conversations.inputs.base import Accept, Again, InputKind, Reading, StepView

if TYPE_CHECKING:
    from conversations.model import Step


@dataclass(frozen=True)
class Number(InputKind):
    minimum: int
    maximum: int
    free_form: ClassVar[bool] = True

    def read_text(self, step: "Step", view: StepView, text: str) -> Reading:
        digits = text.strip().replace(",", "")
        if digits.isdecimal() and self.minimum <= int(digits) <= self.maximum:
            return Accept(int(digits))
        return Again("input.number_invalid", {"low": self.minimum, "high": self.maximum})

    def problems(self, step: "Step") -> Iterable[str]:
        if self.minimum > self.maximum:
            yield "has a range that no number fits"

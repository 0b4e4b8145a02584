"""The citizen's age band, from a button or as people say their age: 72살, 일흔두 살, 칠십대."""

from dataclasses import dataclass
from typing import TYPE_CHECKING

from conversations.inputs.base import Choices, StepView
from conversations.inputs.choose_one import ChooseOne
from conversations.numbers import age, age_in, decade, korean_number

if TYPE_CHECKING:
    from conversations.model import Step


def band_of(years: int) -> str:
    """The band an age falls in: under 20, then by decade, 70 and over together."""
    if years < 20:
        return "u19"
    return "70plus" if years >= 70 else f"{years // 10 * 10}s"


@dataclass(frozen=True)
class ChooseAgeBand(ChooseOne):
    """Options valued by `band_of` (u19, 20s … 70plus)."""

    def match(self, step: "Step", view: StepView, text: str, offered: Choices) -> str | None:
        """A button's words or number first; then an age (72살, 일흔두) or a decade (칠십대)."""
        picked = super().match(step, view, text, offered)
        if picked is not None:
            return picked
        years = age(text) or decade(text)
        if years is None:
            number = korean_number(text)
            years = number if number is not None and number >= 10 else None
        if years is None:
            years = age_in(text)
        return band_of(years) if years else None

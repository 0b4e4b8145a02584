"""One button among declared options (typed: the label, its number, or something close)."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from conversations.events import Button
from conversations.inputs.base import Accept, Again, Choices, InputKind, Prompt, Reading, StepView
from conversations.inputs.options import label_keys, option_problems
from conversations.model import Option

if TYPE_CHECKING:
    from conversations.model import Step


@dataclass(frozen=True)
class ChooseOne(InputKind):
    options: tuple[Option, ...]
    inline: bool = False

    def prompt(self, step: "Step", view: StepView) -> Prompt:
        buttons = tuple(Button(o.value, view.label(o)) for o in self.options)
        return Prompt(buttons, inline=self.inline)

    def choices(self, step: "Step", view: StepView) -> Choices:
        return [(o.value, view.labels_everywhere(o)) for o in self.options]

    def read_choice(self, step: "Step", view: StepView, value: str, *, pressed: bool) -> Reading:
        return Accept(value) if value in self.values() else Again("input.not_an_option")

    def values(self) -> set[str]:
        return {o.value for o in self.options}

    def problems(self, step: "Step") -> Iterable[str]:
        return option_problems(self.options)

    def message_keys(self) -> Sequence[str]:
        return label_keys(self.options)


def yes_no(yes: str = "choice.yes", no: str = "choice.no") -> ChooseOne:
    return ChooseOne((Option("yes", yes), Option("no", no)), inline=True)

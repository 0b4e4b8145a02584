"""A choice among what a hook offers at that moment; with nothing to offer it is skipped."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from conversations.events import Button
from conversations.inputs.base import Accept, Again, Choices, InputKind, Prompt, Reading, StepView
from conversations.values import engine_kind

if TYPE_CHECKING:
    from conversations.model import Context, Offer, Step


class OfferError(ValueError):
    """A hook offered a value the engine would read as its own: a bug in the flow."""


@dataclass(frozen=True)
class ChooseOffered(InputKind):
    offer: "Callable[[Context], Offer]"
    inline: bool = True

    def prompt(self, step: "Step", view: StepView) -> Prompt | Accept:
        offered = self.offer(view.context())
        if not offered.options:
            return Accept(None)
        for value, _ in offered.options:
            if engine_kind(value) is not None:
                raise OfferError(f"step {step.id!r} offered {value!r}, an engine value")
        view.session.offered = [[value, text] for value, text in offered.options]
        buttons = tuple(Button(value, text) for value, text in offered.options)
        return Prompt(buttons, inline=self.inline, params=offered.params)

    def choices(self, step: "Step", view: StepView) -> Choices:
        return [(value, [text]) for value, text in view.session.offered or []]

    def read_choice(self, step: "Step", view: StepView, value: str, *, pressed: bool) -> Reading:
        offered = {v for v, _ in view.session.offered or []}
        return Accept(value) if value in offered else Again("input.not_an_option")

"""One of the city's administrative dongs: district buttons, then dongs; or typed, fuzzily."""

from dataclasses import dataclass
from typing import TYPE_CHECKING

from conversations.events import Button
from conversations.inputs.base import Accept, Again, Choices, InputKind, Prompt, Reading, StepView
from conversations.values import GU

if TYPE_CHECKING:
    from conversations.model import Step


@dataclass(frozen=True)
class PickDong(InputKind):
    def prompt(self, step: "Step", view: StepView) -> Prompt:
        index = 1 if view.language == "en" else 0
        choices = self.choices(step, view)
        buttons = tuple(Button(value, labels[index]) for value, labels in choices)
        candidates = view.session.candidates
        return Prompt(buttons, text_key="pick.dong_from_list" if candidates else None)

    def choices(self, step: "Step", view: StepView) -> Choices:
        """The dongs offered last (a district's, or look-alikes), else the districts, with
        the dong the profile knows first: what is known is offered, not asked again."""
        districts = view.districts
        if view.session.candidates:
            return [(n, [n, districts.label(n, "en")]) for n in view.session.candidates]
        gus = [(GU(gu), [gu, districts.label(gu, "en")]) for gu in districts.gus]
        mine = view.profile.dong
        if mine not in districts.dongs:
            return gus
        labels = [
            view.t("pick.my_dong", dong=districts.label(mine, lang)) for lang in ("ko", "en")
        ]
        return [(mine, labels), *gus]

    def read_choice(self, step: "Step", view: StepView, value: str, *, pressed: bool) -> Reading:
        districts = view.districts
        gu = GU.payload(value)
        if gu in districts.gus:
            view.session.candidates = districts.dongs_in(gu)
            return Again()
        if value in districts.dongs:
            return Accept(value)
        return Again("input.not_an_option")

    def read_text(self, step: "Step", view: StepView, text: str) -> Reading:
        districts = view.districts
        found = districts.match(text)
        if found.dong:
            return Accept(found.dong)
        if found.gu:
            view.session.candidates = districts.dongs_in(found.gu)
            return Again()
        if found.candidates:
            view.session.candidates = list(found.candidates)
            return Again("input.dong_did_you_mean")
        view.session.candidates = None
        return Again("input.dong_unknown")

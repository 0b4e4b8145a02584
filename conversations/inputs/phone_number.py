"""A Korean phone number, shared with the contact button or typed in any common format."""

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from conversations.inputs.base import Accept, Again, InputKind, Prompt, Reading, StepView
from conversations.phone import normalize_phone

if TYPE_CHECKING:
    from conversations.model import Step


@dataclass(frozen=True)
class PhoneNumber(InputKind):
    free_form: ClassVar[bool] = True

    def prompt(self, step: "Step", view: StepView) -> Prompt:
        return Prompt(request_contact=view.t("choice.share_phone"))

    def read_text(self, step: "Step", view: StepView, text: str) -> Reading:
        phone = normalize_phone(text)
        return Accept(phone) if phone is not None else Again("input.phone_invalid")

    def read_contact(self, step: "Step", view: StepView, phone: str) -> Reading:
        return self.read_text(step, view, phone)

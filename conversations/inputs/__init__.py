"""The input kinds a step can wait for, each owning how it is asked, read and checked."""

from conversations.inputs.age_band import ChooseAgeBand
from conversations.inputs.base import Accept, Again, InputKind, Prompt, Reading, StepView
from conversations.inputs.choose_many import ChooseMany
from conversations.inputs.choose_offered import ChooseOffered, OfferError
from conversations.inputs.choose_one import ChooseOne, yes_no
from conversations.inputs.free_text import FreeText
from conversations.inputs.number import Number
from conversations.inputs.phone_number import PhoneNumber
from conversations.inputs.pick_dong import PickDong

__all__ = [
    "Accept",
    "Again",
    "ChooseAgeBand",
    "ChooseMany",
    "ChooseOffered",
    "ChooseOne",
    "FreeText",
    "InputKind",
    "Number",
    "OfferError",
    "PhoneNumber",
    "PickDong",
    "Prompt",
    "Reading",
    "StepView",
    "yes_no",
]

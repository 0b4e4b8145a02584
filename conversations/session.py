"""Where a citizen is in a conversation: everything the engine needs between two turns.

It serialises to plain JSON so the runtime can keep it in the database, never in memory.
"""

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

HISTORY_LIMIT = 20


class Status(StrEnum):
    """What the citizen's next message answers: the main menu, a step, a resume offer,
    whether to keep what they typed before leaving, or what their own words meant."""

    IDLE = "idle"
    ASKING = "asking"
    RESUMING = "resuming"
    LEAVING = "leaving"
    SUGGESTING = "suggesting"


@dataclass
class Draft:
    """A flow the citizen left for the main menu, kept to continue later."""

    flow: str
    version: int
    step: str
    answers: dict[str, Any]
    history: list[str]


@dataclass
class Session:
    flow: str | None = None
    flow_version: int = 0
    step: str | None = None
    answers: dict[str, Any] = field(default_factory=dict)
    history: list[str] = field(default_factory=list)
    prompt_id: int = 0
    draft: Draft | None = None
    candidates: list[str] | None = None
    offered: list[list[str]] | None = None
    status: Status = Status.IDLE
    # Words typed on a free-text step and obeyed as navigation: where they were typed, so a
    # "that was my answer" button can take them as the answer there instead.
    typed: Draft | None = None
    typed_text: str | None = None
    # A text too long for the step, kept so its start can be used instead of typing again.
    held: str | None = None
    # The words of the last button typed on a reply keyboard, and when: the same words again
    # within seconds are the same tap arriving twice, not an answer to the next question.
    last_typed: list[Any] | None = None
    last_press: list[Any] | None = None
    last_seen: float | None = None
    # Words typed where no button matched, and the intents offered for them ("이런 뜻인가요?"):
    # kept so a proposal can start from them and nothing typed is lost.
    said: str | None = None
    suggested: list[str] | None = None

    def to_dict(self) -> dict[str, Any]:
        data = dict(vars(self))
        data["draft"] = dict(vars(self.draft)) if self.draft else None
        data["typed"] = dict(vars(self.typed)) if self.typed else None
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> "Session":
        if not data:
            return cls()
        data = dict(data)
        for name in ("draft", "typed"):
            if data.get(name):
                data[name] = Draft(**data[name])
        data["status"] = _status_of(data)
        known = cls.__dataclass_fields__
        return cls(**{k: v for k, v in data.items() if k in known})


def _status_of(data: dict[str, Any]) -> Status:
    """The stored status; sessions saved before it existed kept a resume flag instead."""
    if "status" in data:
        return Status(data["status"])
    if data.get("resume_offer"):
        return Status.RESUMING
    return Status.ASKING if data.get("step") else Status.IDLE

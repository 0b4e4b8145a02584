"""Where a citizen is in a conversation: everything the engine needs between two turns.

It serialises to plain JSON so the runtime can keep it in the database, never in memory.
"""

from dataclasses import dataclass, field
from typing import Any

HISTORY_LIMIT = 20


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
    resume_offer: bool = False
    last_press: list[Any] | None = None
    last_seen: float | None = None

    def to_dict(self) -> dict[str, Any]:
        data = dict(vars(self))
        data["draft"] = dict(vars(self.draft)) if self.draft else None
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> "Session":
        if not data:
            return cls()
        data = dict(data)
        if data.get("draft"):
            data["draft"] = Draft(**data["draft"])
        known = cls.__dataclass_fields__
        return cls(**{k: v for k, v in data.items() if k in known})

"""The engine's own button values, typed: a prefix and a payload, apart from flow options.

Buttons carry one string. Flow options (`yes`, `done`, `open:12`) and the engine's values
(back, a menu entry, skip) share that space, so every engine value is a registered prefix,
a separator and a payload, read back by the same `ValueKind` that wrote it; validation then
refuses any flow option that would read as an engine value.
"""

from dataclasses import dataclass

SEPARATOR = ":"


@dataclass(frozen=True)
class ValueKind:
    """One family of engine values: `NAV("back")` is "nav:back"; `NAV.payload(v)` reads it."""

    prefix: str

    def __post_init__(self) -> None:
        if not self.prefix or SEPARATOR in self.prefix:
            raise ValueError(f"a value prefix must be non-empty, without {SEPARATOR!r}")

    def __call__(self, payload: str) -> str:
        return f"{self.prefix}{SEPARATOR}{payload}"

    def payload(self, value: str) -> str | None:
        """The payload if `value` is of this kind, else None."""
        head, separator, rest = value.partition(SEPARATOR)
        return rest if separator and head == self.prefix else None


NAV = ValueKind("nav")  # back, home, help, leave
FLOW = ValueKind("flow")  # a service picked from the main menu
MENU = ValueKind("menu")  # "continue" the kept draft
RESUME = ValueKind("resume")  # continue or restart after a pause
STEP = ValueKind("step")  # skip an optional step, or finish a multiple choice
GU = ValueKind("gu")  # a district, before its dongs are listed
NOTICE = ValueKind("notice")  # under a notice: "mute:<topic>" or "open:<flow>"
LEAVE = ValueKind("leave")  # leaving with typed answers: "keep" them, "drop" them, "stay"
INTENT = ValueKind("intent")  # what typed words were taken to mean: "<intent>", "<intent>:yes"
ENGINE_VALUES = (NAV, FLOW, MENU, RESUME, STEP, GU, NOTICE, LEAVE, INTENT)

SKIP = STEP("skip")
DONE = STEP("done")
CONTINUE_DRAFT = MENU("continue")
MY_ANSWER = STEP("typed")  # "no, the words I typed were my answer"


def engine_kind(value: str) -> ValueKind | None:
    """The engine's kind that `value` belongs to, or None for a flow's own option."""
    return next((kind for kind in ENGINE_VALUES if kind.payload(value) is not None), None)

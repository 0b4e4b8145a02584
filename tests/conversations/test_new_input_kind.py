"""A new input kind is one class: declared here, used by a flow, and the engine unchanged.

`Stars` reads a rating as buttons, digits or stars typed (★★★), and checks its own
declaration; nothing else in the project knows about it.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest

from conversations.districts import suwon
from conversations.engine import Engine
from conversations.events import Button, Press, Text
from conversations.flows import ALL_FLOWS
from conversations.inputs import Accept, Again, InputKind, Prompt, Reading, StepView
from conversations.inputs.base import Choices
from conversations.messages import default_catalog
from conversations.model import Flow, Outcome, Profile, Step
from conversations.session import Session, Status
from conversations.validate import FlowError


@dataclass(frozen=True)
class Stars(InputKind):
    most: int = 5

    def prompt(self, step: Step, view: StepView) -> Prompt:
        return Prompt(tuple(Button(str(n), "★" * n) for n in range(1, self.most + 1)), inline=True)

    def choices(self, step: Step, view: StepView) -> Choices:
        return [(str(n), ["★" * n, str(n)]) for n in range(1, self.most + 1)]

    def match(self, step: Step, view: StepView, text: str, offered: Choices) -> str | None:
        """Stars typed are counted (the shared matcher ignores symbols); else as usual."""
        stars = text.strip()
        if stars and set(stars) == {"★"}:
            return str(len(stars))
        return super().match(step, view, text, offered)

    def read_choice(self, step: Step, view: StepView, value: str, *, pressed: bool) -> Reading:
        return Accept(int(value)) if value in self.values() else Again("input.not_an_option")

    def values(self) -> set[str]:
        return {str(n) for n in range(1, self.most + 1)}

    def problems(self, step: Step) -> Iterable[str]:
        if not 2 <= self.most <= 10:
            yield "rates on a scale that is too short or too long"


def rating(most: int = 5) -> Flow:
    return Flow(
        id="rating",
        title="flow.profile",
        in_menu=False,
        steps=(Step("stars", "help.step", Stars(most)),),
        finish=lambda ctx: Outcome("profile.saved"),
    )


NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
ASKING = Session(flow="rating", flow_version=1, step="stars", prompt_id=3, status=Status.ASKING)
PROFILE = Profile(language="ko", onboarded=True)


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine([*ALL_FLOWS, rating()], default_catalog(), suwon())


@pytest.mark.parametrize("event", [Press(3, "4"), Text("★★★★"), Text("4")])
def test_the_new_kind_is_asked_and_read_by_the_unchanged_engine(
    engine: Engine, event: Press | Text
) -> None:
    turn = engine.resume(ASKING, PROFILE, event, NOW)
    assert turn.session.flow is None and "저장했어요" in turn.replies[0].text


def test_the_new_kind_checks_its_own_declaration() -> None:
    with pytest.raises(FlowError, match="'stars' rates on a scale that is too short"):
        Engine([*ALL_FLOWS, rating(most=1)], default_catalog(), suwon())

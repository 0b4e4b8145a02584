"""Broken flow declarations fail at load time, one fixture per way to break a flow."""

from dataclasses import replace

import pytest

from conversations.districts import suwon
from conversations.engine import Engine
from conversations.flows import ALL_FLOWS
from conversations.flows.onboarding import ONBOARDING_FLOW
from conversations.inputs import ChooseOne
from conversations.messages import default_catalog
from conversations.model import END, Branch, Flow, Option, Outcome, Step
from conversations.validate import FlowError, validate_flows


def flow(*steps: Step, flow_id: str = "extra", title: str = "flow.profile") -> Flow:
    return Flow(flow_id, title, steps, finish=lambda ctx: Outcome("profile.saved"))


ASK = "profile.ask_age_band"
YES = ChooseOne((Option("x", "choice.yes"),))
BROKEN = {
    "unknown next step": flow(Step("a", ASK, ChooseOne((Option("x", "choice.yes"),)), next="b")),
    "transition on no option": flow(
        Step("a", ASK, ChooseOne((Option("x", "choice.yes"),)), next={"y": "a"})
    ),
    "duplicate step": flow(Step("a", ASK, ChooseOne(())), Step("a", ASK, ChooseOne(()))),
    "repeated option value": flow(
        Step("a", ASK, ChooseOne((Option("x", "choice.yes"), Option("x", "choice.no"))))
    ),
    "missing message": flow(Step("a", "no.such.key", ChooseOne(()))),
    "missing option label": flow(Step("a", ASK, ChooseOne((Option("x", "no.such.label"),)))),
    "option too long for a button": flow(
        Step("a", ASK, ChooseOne((Option("x" * 60, "choice.yes"),)))
    ),
    "no steps": flow(),
    "option that reads as an engine value": flow(
        Step("a", ASK, ChooseOne((Option("nav:back", "choice.yes"),)))
    ),
    "two literal options that read the same": flow(
        Step("a", ASK, ChooseOne((Option("1", "예", True), Option("2", " 예! ", True))))
    ),
    "branch to an undeclared step": flow(
        Step(
            "a",
            ASK,
            ChooseOne((Option("x", "choice.yes"),)),
            next=Branch(lambda a, p: "b", ("b",)),
        )
    ),
    "branch that declares no step": flow(Step("a", ASK, YES, next=Branch(lambda a, p: "a", ()))),
    "bare callable as next step": flow(
        Step("a", ASK, YES, next=lambda a, p: "a")  # type: ignore[arg-type]
    ),
}


@pytest.mark.parametrize("broken", BROKEN.values(), ids=BROKEN.keys())
def test_a_broken_flow_is_refused_at_load(broken: Flow) -> None:
    with pytest.raises(FlowError):
        Engine([*ALL_FLOWS, broken], default_catalog(), suwon())


def test_a_flow_declared_twice_is_refused() -> None:
    with pytest.raises(FlowError, match="declared twice"):
        validate_flows([*ALL_FLOWS, replace(ONBOARDING_FLOW)], default_catalog())


def test_the_required_flows_must_exist() -> None:
    with pytest.raises(FlowError, match="'profile' is required"):
        validate_flows([ONBOARDING_FLOW], default_catalog())


def test_the_shipped_flows_are_valid() -> None:
    validate_flows(ALL_FLOWS, default_catalog())


def test_the_problems_are_said_in_words() -> None:
    engine_value = replace(BROKEN["option that reads as an engine value"], id="one")
    undeclared = replace(BROKEN["branch to an undeclared step"], id="two")
    with pytest.raises(FlowError) as raised:
        validate_flows([*ALL_FLOWS, engine_value, undeclared], default_catalog())
    assert str(raised.value) == (
        "flow 'one' step 'a' option value 'nav:back' reads as the engine's own 'nav' value; "
        "flow 'two' step 'a' leads to unknown step 'b'"
    )


def test_a_branch_that_leads_elsewhere_than_it_declared_fails_loudly() -> None:
    branch = Branch(lambda answers, profile: "c", ("a", "b"))
    with pytest.raises(ValueError, match="undeclared step 'c'"):
        branch({}, None)  # type: ignore[arg-type]


def test_every_branch_of_the_shipped_flows_declares_real_steps() -> None:
    for shipped in ALL_FLOWS:
        ids = {step.id for step in shipped.steps}
        for step in shipped.steps:
            if isinstance(step.next, Branch):
                assert set(step.next.targets) <= ids | {END}, (shipped.id, step.id)

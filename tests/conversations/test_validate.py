"""Broken flow declarations fail at load time, one fixture per way to break a flow."""

from dataclasses import replace

import pytest

from conversations.districts import suwon
from conversations.engine import Engine
from conversations.flows import ALL_FLOWS
from conversations.flows.onboarding import ONBOARDING_FLOW
from conversations.messages import default_catalog
from conversations.model import ChooseOne, Flow, Option, Outcome, Step
from conversations.validate import FlowError, validate_flows


def flow(*steps: Step, flow_id: str = "extra", title: str = "flow.profile") -> Flow:
    return Flow(flow_id, title, steps, finish=lambda ctx: Outcome("profile.saved"))


ASK = "profile.ask_age_band"
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

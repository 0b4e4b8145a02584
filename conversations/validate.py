"""Flows are checked when loaded, so a broken declaration fails at start-up, not mid-chat.

Declared flows are checked when the engine is built; flows made from records (a survey) are
checked each time they are built, and one that fails is never offered to a citizen.
"""

from collections.abc import Iterable, Mapping, Sequence

from conversations.messages import LANGUAGES, Catalog
from conversations.model import END, Branch, Flow, Step
from conversations.values import SKIP

REQUIRED_FLOWS = ("onboarding", "profile")
ANY = "*"


class FlowError(ValueError):
    """A flow declaration that the engine could not walk safely."""


def validate_flows(flows: Sequence[Flow], catalog: Catalog) -> None:
    problems = list(_problems(flows, catalog))
    if problems:
        raise FlowError("; ".join(problems))


def _problems(flows: Sequence[Flow], catalog: Catalog) -> Iterable[str]:
    ids = [f.id for f in flows]
    for flow_id in sorted({i for i in ids if ids.count(i) > 1}):
        yield f"flow {flow_id!r} is declared twice"
    for flow_id in REQUIRED_FLOWS:
        if flow_id not in ids:
            yield f"flow {flow_id!r} is required"
    for flow in flows:
        yield from flow_problems(flow, catalog)


def flow_problems(flow: Flow, catalog: Catalog) -> Iterable[str]:
    """Everything wrong with one flow, each problem said in one line."""
    where = f"flow {flow.id!r}"
    if not flow.steps:
        yield f"{where} has no steps"
        return
    step_ids = [s.id for s in flow.steps]
    for step_id in sorted({i for i in step_ids if step_ids.count(i) > 1}):
        yield f"{where}: step {step_id!r} is declared twice"
    keys = [flow.title]
    for step in flow.steps:
        here = f"{where} step {step.id!r}"
        keys += [step.prompt, step.help, *step.input.message_keys()]
        for problem in step.input.problems(step):
            yield f"{here} {problem}"
        for problem in _transition_problems(step):
            yield f"{here}{problem}"
        for target in _targets(step):
            if target != END and target not in step_ids:
                yield f"{here} leads to unknown step {target!r}"
    for key in dict.fromkeys(keys):
        for language in LANGUAGES:
            if key not in catalog.messages.get(language, {}):
                yield f"{where}: message {key!r} is missing in {language}"


def _targets(step: Step) -> Iterable[str]:
    """Every step `step` may lead to."""
    rule = step.next
    if isinstance(rule, str):
        return [rule]
    if isinstance(rule, Branch):
        return rule.targets
    if isinstance(rule, Mapping):
        return rule.values()
    return []


def _transition_problems(step: Step) -> Iterable[str]:
    rule = step.next
    if isinstance(rule, Branch):
        if not rule.targets:
            yield f": {rule.decide.__name__} declares no step it leads to"
    elif isinstance(rule, Mapping):
        allowed = step.input.values() | {ANY} | ({SKIP} if step.skippable else set())
        for key in rule:
            if key not in allowed:
                yield f": transition on {key!r}, which is not an option"
    elif not isinstance(rule, str):
        yield ": its next step is neither a step, a table nor a declared branch"

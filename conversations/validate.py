"""Flows are checked when loaded, so a broken declaration fails at start-up, not mid-chat."""

from collections.abc import Iterable, Sequence

from conversations.messages import LANGUAGES, Catalog
from conversations.model import END, SKIP, ChooseMany, ChooseOne, Flow

REQUIRED_FLOWS = ("onboarding", "profile")
CALLBACK_BYTES = 64
_PROMPT_ID_ROOM = 12


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
        yield from _flow_problems(flow, catalog)


def _flow_problems(flow: Flow, catalog: Catalog) -> Iterable[str]:
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
        keys += [step.prompt, step.help]
        values: set[str] = set()
        if isinstance(step.input, ChooseOne | ChooseMany):
            values = {o.value for o in step.input.options}
            if len(values) != len(step.input.options):
                yield f"{here} repeats an option value"
            keys += [o.label for o in step.input.options if not o.literal]
            for value in values:
                if len(value.encode()) > CALLBACK_BYTES - _PROMPT_ID_ROOM:
                    yield f"{here}: option value {value!r} is too long for a button"
        targets: list[str] = []
        if isinstance(step.next, str):
            targets = [step.next]
        elif isinstance(step.next, dict):
            targets = list(step.next.values())
            allowed = values | {"*", SKIP}
            for key in step.next:
                if key not in allowed:
                    yield f"{here}: transition on {key!r}, which is not an option"
        for target in targets:
            if target != END and target not in step_ids:
                yield f"{here} leads to unknown step {target!r}"
    for key in keys:
        for language in LANGUAGES:
            if key not in catalog.messages.get(language, {}):
                yield f"{where}: message {key!r} is missing in {language}"

"""Several options, toggled one by one with ✅, then "done" (typed: several words at once)."""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from conversations.events import Button
from conversations.inputs.base import Accept, Again, Choices, InputKind, Prompt, Reading, StepView
from conversations.inputs.options import label_keys, option_problems
from conversations.matching import normalize, pick
from conversations.model import Option
from conversations.values import DONE

if TYPE_CHECKING:
    from conversations.model import Step

_WORDS = re.compile(r"[,\s/·]+")
_EMOJI_FIRST = re.compile(r"^[^\w\s]+\s+")


def checked(label: str) -> str:
    """A selected option's label: ✅ in place of its own emoji, or before its words, so it
    grows by two characters at most ("🍱 식사 지원" → "✅ 식사 지원")."""
    return _EMOJI_FIRST.sub("✅ ", label, count=1) if _EMOJI_FIRST.match(label) else f"✅ {label}"


@dataclass(frozen=True)
class ChooseMany(InputKind):
    options: tuple[Option, ...]
    min_selected: int = 0
    max_selected: int | None = None

    def prompt(self, step: "Step", view: StepView) -> Prompt:
        selected = self._selected(step, view)
        buttons = [
            Button(o.value, checked(view.label(o)) if o.value in selected else view.label(o))
            for o in self.options
        ]
        buttons.append(Button(DONE, view.t("choice.done_count", count=len(selected))))
        return Prompt(tuple(buttons), inline=True)

    def choices(self, step: "Step", view: StepView) -> Choices:
        """The options, and "done" by its words and by its label as shown, count and all
        ("✔️ 완료 (2개 선택)"), which a channel without button data sends back as words."""
        options = [(o.value, view.labels_everywhere(o)) for o in self.options]
        shown = view.t("choice.done_count", count=len(self._selected(step, view)))
        return [*options, (DONE, [shown, *view.everywhere("choice.done")])]

    def match(self, step: "Step", view: StepView, text: str, offered: Choices) -> str | None:
        """A button's words typed as they are ("다 됐어요"); otherwise several words are several
        options, read by `read_text`, not one button."""
        typed = normalize(text)
        exact = [value for value, labels in offered if typed and typed in map(normalize, labels)]
        if exact:
            return exact[0]
        return None if len(_WORDS.split(text.strip())) > 1 else pick(text, offered)

    def read_choice(self, step: "Step", view: StepView, value: str, *, pressed: bool) -> Reading:
        selected = self._selected(step, view)
        if value == DONE:
            if len(selected) < self.min_selected:
                return Again("input.select_more", {"count": self.min_selected})
            return Accept(selected)
        if value not in self.values():
            return Again("input.not_an_option")
        note: str | None = None
        if value in selected:
            selected.remove(value)
        elif self.max_selected and len(selected) >= self.max_selected:
            note = "input.select_at_most"
        else:
            selected.append(value)
        view.session.answers[step.id] = selected
        return Again(note, {"count": self.max_selected}, edit=pressed, same_prompt=True)

    def read_text(self, step: "Step", view: StepView, text: str) -> Reading:
        """ "교통, 환경" selects both; the citizen still confirms with "done"."""
        words = [w for w in _WORDS.split(text) if w]
        labelled = [(o.value, view.labels_everywhere(o)) for o in self.options]
        picked = [pick(w, labelled) for w in words]
        if not words or not all(picked):
            return Again("input.not_an_option")
        chosen = list(dict.fromkeys(p for p in picked if p))
        view.session.answers[step.id] = chosen[: self.max_selected]
        return Again()

    def values(self) -> set[str]:
        return {o.value for o in self.options}

    def problems(self, step: "Step") -> Iterable[str]:
        yield from option_problems(self.options)
        if self.max_selected is not None and self.max_selected < max(1, self.min_selected):
            yield "allows fewer choices than it requires"

    def message_keys(self) -> Sequence[str]:
        return label_keys(self.options)

    @staticmethod
    def _selected(step: "Step", view: StepView) -> list[str]:
        return list(view.session.answers.get(step.id) or [])

"""Surveys as staff define them, who they are for, and their results as citizens may see them.

A survey is stored as a plain definition (questions, audience, schedule); the chat turns it
into a flow at run time and the results are counted from anonymous answer rows, so the
same rules (audience, branching, small-group suppression) serve the chat and the staff API.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, NamedTuple

from conversations.small_groups import protect

KINDS = ("single", "multiple", "scale", "yes_no", "text")
SCALE = tuple(str(n) for n in range(1, 6))
YES_NO = ("yes", "no")
RESULTS_SHOWN = ("after_answer", "after_close", "never")
BREAKDOWNS = ("gu", "dong", "age_band")
BAR_CELLS = 8
UNKNOWN = "-"


@dataclass(frozen=True)
class ShowIf:
    """Ask a question only if an earlier one was answered with one of `answers`."""

    question: str
    answers: tuple[str, ...]


@dataclass(frozen=True)
class Wording:
    """A question in another language; what is left empty reads as the Korean."""

    text: str = ""
    options: tuple[str, ...] = ()
    scale_labels: tuple[str, ...] = ()


@dataclass(frozen=True)
class Question:
    key: str
    kind: str
    text: str
    options: tuple[str, ...] = ()
    max_choices: int | None = None
    max_length: int = 500
    show_if: ShowIf | None = None
    optional: bool = False
    scale_labels: tuple[str, ...] = ()
    """A scale's two ends in words, (1, 5): 전혀 아니다 … 매우 그렇다."""
    english: Wording | None = None

    def in_language(self, language: str | None) -> "Question":
        """The question as a citizen reading `language` sees it (Korean where not worded)."""
        wording = self.english if language == "en" else None
        if wording is None:
            return self
        return replace(
            self,
            text=wording.text or self.text,
            options=tuple(w or k for w, k in zip(wording.options, self.options, strict=False))
            + self.options[len(wording.options) :],
            scale_labels=wording.scale_labels or self.scale_labels,
        )

    @property
    def values(self) -> tuple[str, ...]:
        """What an answer to this question may hold: option numbers, scale points, yes/no."""
        if self.kind in ("single", "multiple"):
            return tuple(str(n) for n in range(1, len(self.options) + 1))
        return {"scale": SCALE, "yes_no": YES_NO}.get(self.kind, ())

    def shown(self, answers: Mapping[str, Any]) -> bool:
        if self.show_if is None:
            return True
        given = answers.get(self.show_if.question)
        given = given if isinstance(given, list) else [given]
        return any(str(g) in self.show_if.answers for g in given)


@dataclass(frozen=True)
class Audience:
    """Who a survey is for: every listed dimension must match; an empty one matches all."""

    gus: tuple[str, ...] = ()
    dongs: tuple[str, ...] = ()
    age_bands: tuple[str, ...] = ()
    interests: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    """Who reads the chat in these languages; a citizen who never chose one reads Korean."""

    def includes(
        self,
        *,
        gu: str | None,
        dong: str | None,
        age_band: str | None,
        interests: Iterable[str],
        language: str | None = None,
    ) -> bool:
        return (
            (not self.languages or (language or "ko") in self.languages)
            and (not self.gus or gu in self.gus)
            and (not self.dongs or dong in self.dongs)
            and (not self.age_bands or age_band in self.age_bands)
            and (not self.interests or bool(set(self.interests) & set(interests)))
        )


class SurveyWords(NamedTuple):
    title: str
    intro: str
    outro: str


@dataclass(frozen=True)
class Survey:
    """A survey as the chat needs it; `answerable` is decided by the desk at the turn's time."""

    id: int
    version: int
    title: str
    intro: str
    questions: tuple[Question, ...]
    results_shown: str
    answerable: bool
    closed: bool
    answered: bool = False
    # Answered by the same person another way (at the counter, or in a chat joined to it).
    answered_elsewhere: bool = False
    outro: str = ""
    english: Mapping[str, str] = field(default_factory=dict)
    # Differs whenever what the survey says differs, even for a record made again under the
    # same id: what a flow built from it may be kept by (empty: not kept).
    revision: str = ""

    def worded(self, language: str | None) -> "SurveyWords":
        """Title, intro and end words in the citizen's language (Korean where not worded)."""
        own = self.english if language == "en" else {}
        return SurveyWords(
            own.get("title") or self.title,
            own.get("intro") or self.intro,
            own.get("outro") or self.outro,
        )

    @property
    def results_visible(self) -> bool:
        """After answering (when shown then), after closing (unless never), or never."""
        if self.results_shown == "never":
            return False
        return self.closed or (self.results_shown == "after_answer" and self.answered)

    def progress(self, answers: Mapping[str, Any], index: int) -> tuple[int, int]:
        """Question `index` as the citizen counts it: its number among those asked, and how
        many she will be asked as far as her answers tell. A question that waits on an
        answer not given yet is not counted until it is asked, so the total never promises
        a question that will be skipped."""
        visible = self.visible_answers(answers)
        before = sum(1 for q in self.questions[:index] if q.shown(visible))  # skipped ones too
        after = sum(1 for q in self.questions[index + 1 :] if q.shown(visible))
        return before + 1, before + 1 + after

    def visible_answers(self, answers: Mapping[str, Any]) -> dict[str, Any]:
        """The answers to the questions the citizen was actually asked, in order."""
        kept: dict[str, Any] = {}
        for question in self.questions:
            if answers.get(question.key) is not None and question.shown(kept):
                kept[question.key] = answers[question.key]
        return kept


def questions_from(data: Sequence[Mapping[str, Any]]) -> tuple[Question, ...]:
    """Questions from their stored JSON; keys are q1, q2, … in order."""
    questions = []
    for n, q in enumerate(data, start=1):
        show_if = q.get("show_if")
        questions.append(
            Question(
                key=f"q{n}",
                kind=q["kind"],
                text=q["text"],
                options=tuple(q.get("options") or ()),
                max_choices=q.get("max_choices"),
                max_length=q.get("max_length") or 500,
                show_if=(
                    ShowIf(show_if["question"], tuple(map(str, show_if["answers"])))
                    if show_if
                    else None
                ),
                optional=bool(q.get("optional")),
                scale_labels=tuple(q.get("scale_labels") or ()),
                english=_wording(q.get("en")),
            )
        )
    return tuple(questions)


def _wording(data: Mapping[str, Any] | None) -> Wording | None:
    if not data:
        return None
    return Wording(
        text=data.get("text") or "",
        options=tuple(data.get("options") or ()),
        scale_labels=tuple(data.get("scale_labels") or ()),
    )


def audience_from(data: Mapping[str, Any] | None) -> Audience:
    data = data or {}
    names = Audience.__dataclass_fields__
    return Audience(**{name: tuple(data.get(name) or ()) for name in names})


def definition_problems(data: Sequence[Mapping[str, Any]]) -> list[str]:
    """What makes a list of questions unusable: branching on later or unknown answers."""
    problems = []
    questions = questions_from(data)
    for index, question in enumerate(questions):
        if question.kind in ("single", "multiple") and len(question.options) < 2:
            problems.append(f"{question.key}: a choice needs at least two options")
        if question.kind not in ("single", "multiple") and question.options:
            problems.append(f"{question.key}: only single and multiple choice have options")
        if question.scale_labels and question.kind != "scale":
            problems.append(f"{question.key}: only a scale has scale_labels")
        english = question.english
        if english and len(english.options) > len(question.options):
            problems.append(f"{question.key}: more English options than options")
        if question.show_if is None:
            continue
        earlier = {q.key: q for q in questions[:index]}
        target = earlier.get(question.show_if.question)
        if target is None:
            problems.append(f"{question.key}: show_if must name an earlier question")
        elif target.kind == "text":
            problems.append(f"{question.key}: show_if cannot depend on a free-text answer")
        elif not set(question.show_if.answers) <= set(target.values):
            problems.append(f"{question.key}: show_if names answers {target.key} does not offer")
    return problems


# -- results -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tally:
    """Answers to one question within one group: respondents, and a count per value."""

    respondents: int = 0
    counts: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class QuestionResult:
    question: Question
    total: Tally
    breakdowns: Mapping[str, Mapping[str, Tally | None]]
    """Per dimension (gu, dong, age band), each group's tally, or None where suppressed."""


GroupedCount = tuple[str, str | None, str | None, str | None, str | None, int, int]


def tally_results(
    questions: Sequence[Question], grouped: Iterable[GroupedCount]
) -> list[QuestionResult]:
    """Totals and breakdowns from grouped counts; groups under five responses are withheld.

    `grouped` rows are (question, value, gu, dong, age band, answers, respondents), where
    respondents counts each person's first value only (free text has no value). Groups are
    withheld by `small_groups.protect` (small ones, and the next smallest when one alone would
    be given back by the total); a withheld group keeps no figures at all, so no single
    citizen's answer can be read off a breakdown.
    """
    values: dict[tuple[str, str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    people: dict[tuple[str, str, str], int] = defaultdict(int)
    for key, value, gu, dong, age_band, count, respondents in grouped:
        cells = [(key, "all", "")] + [
            (key, dimension, group or UNKNOWN)
            for dimension, group in zip(BREAKDOWNS, (gu, dong, age_band), strict=True)
        ]
        for cell in cells:
            people[cell] += respondents
            if value is not None:
                values[cell][value] += count

    def tally(key: str, dimension: str, group: str, question: Question) -> Tally:
        counts = values.get((key, dimension, group), {})
        ordered = {v: counts.get(v, 0) for v in question.values}
        return Tally(people[key, dimension, group], ordered)

    results = []
    for question in questions:
        breakdowns: dict[str, dict[str, Tally | None]] = {}
        for dimension in BREAKDOWNS:
            groups = sorted(g for k, d, g in people if k == question.key and d == dimension)
            sizes = protect({group: people[question.key, dimension, group] for group in groups})
            breakdowns[dimension] = {
                group: tally(question.key, dimension, group, question)
                if sizes[group] is not None
                else None
                for group in groups
            }
        results.append(
            QuestionResult(question, tally(question.key, "all", "", question), breakdowns)
        )
    return results


def value_label(question: Question, value: str, t: Callable[..., str]) -> str:
    """How an answer value reads: the option text, the scale point, yes or no."""
    if question.kind in ("single", "multiple"):
        return question.options[int(value) - 1]
    if question.kind == "yes_no":
        return t(f"choice.{value}")
    if question.kind == "scale":
        ends = dict(zip((SCALE[0], SCALE[-1]), question.scale_labels, strict=False))
        if value in ends:
            return t("survey.scale_point_named", n=value, label=ends[value])
        return t("survey.scale_point", n=value)
    return value


def share(count: int, respondents: int) -> int:
    """Percent of the people who answered the question (a multiple choice may sum past 100)."""
    return round(100 * count / respondents) if respondents else 0


def bar(count: int, respondents: int) -> str:
    """▓▓▓▓▓░░░ 62% (124): the same figure the chart draws, readable without the picture."""
    percent = share(count, respondents)
    filled = round(percent * BAR_CELLS / 100)
    return f"{'▓' * filled}{'░' * (BAR_CELLS - filled)} {percent}% ({count})"

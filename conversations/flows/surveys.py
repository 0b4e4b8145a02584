"""Surveys and votes: pick an open survey, answer one question at a time, check, submit.

    citizen: 설문·투표
    bot:     참여할 수 있는 설문이에요.            [📋 광교호수공원 야간 조명]
    citizen: 광교호수공원
    bot:     📋 광교호수공원 야간 조명 · 1/2
             조명을 늘리는 데 찬성하시나요?          [예] [아니요]
    citizen: 예
    bot:     📋 … · 2/2  어느 시간대에 자주 가시나요? (여러 개)  [저녁] [밤] … [선택 완료]
    citizen: (taps 밤, then 선택 완료)
    bot:     답변을 확인해 주세요. 1. … → 예  2. … → 밤   [✅ 제출하기]
    citizen: (taps ✅ 제출하기)
    bot:     (a chart per question, when results are shown after answering) 참여해 주셔서 고마워요.

Each staff-made survey becomes a flow named `survey:<id>` when a turn needs it, so back,
home, drafts and resuming after a pause work as in every other flow. The database keeps one
response per citizen; a survey that closes while someone is answering tells them so.
"""

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from conversations.desk import Desk
from conversations.inputs import ChooseMany, ChooseOffered, ChooseOne, FreeText, InputKind
from conversations.masking import mask_personal
from conversations.memo import Memo
from conversations.messages import Catalog
from conversations.model import (
    END,
    Answers,
    Branch,
    Chart,
    Context,
    Flow,
    FlowFamily,
    Offer,
    Option,
    Outcome,
    Profile,
    Step,
    Translate,
    leads_to,
)
from conversations.polls import (
    SCALE,
    Question,
    QuestionResult,
    Survey,
    bar,
    questions_from,
    share,
    value_label,
)
from conversations.small_groups import SMALLEST_GROUP
from conversations.validate import flow_problems

SURVEY = "survey"
SUMMARY = "summary"
SUBMIT = (Option("submit", "survey.submit"),)


# -- the list of surveys ------------------------------------------------------------------------


def offer_surveys(ctx: Context) -> Offer:
    """The citizen's open surveys first (✅ once answered), then closed ones with results."""
    if ctx.desk is None:
        return Offer(())
    cards = ctx.desk.surveys_for(
        dong=ctx.profile.dong,
        age_band=ctx.profile.age_band,
        interests=ctx.profile.interests,
        language=ctx.profile.language,
    )
    options = []
    for card in cards:
        key = "survey.card_open" if card.answerable else "survey.card_closed"
        key = "survey.card_answered" if card.answerable and card.answered else key
        options.append((f"s:{card.id}", ctx.t(key, title=card.title)))
    return Offer(tuple(options))


def finish_list(ctx: Context) -> Outcome:
    """Opens the chosen survey, or shows its results once answered or closed."""
    picked = ctx.answers.get("pick")
    if picked is None or ctx.desk is None:
        return Outcome("survey.none")
    survey = ctx.desk.survey(int(picked.removeprefix("s:")))
    if survey is None:
        return Outcome("survey.gone")
    if survey.answerable and survey.answered_elsewhere:
        return Outcome("survey.answered_elsewhere")
    if survey.answerable and not survey.answered:
        words = survey.worded(ctx.profile.language)
        return Outcome(
            "survey.intro",
            {"title": words.title, "intro": words.intro},
            start=f"{SURVEY}:{survey.id}",
        )
    results = ctx.desk.survey_results(survey.id)
    if results is None:
        later = survey.results_shown == "after_close" and not survey.closed
        return Outcome("survey.results_later" if later else "survey.results_private")
    mine = ctx.desk.my_survey_answers(survey.id)
    charts = result_charts(results, ctx.t, mine, ctx.profile.language)
    if not charts:
        return Outcome("survey.results_too_few")
    return Outcome(
        "survey.results_shown",
        {"withheld": withheld(results, ctx.t, ctx.profile.language)},
        charts=charts,
    )


SURVEYS_FLOW = Flow(
    id="surveys",
    title="flow.surveys",
    steps=(
        Step(
            "pick",
            "survey.pick",
            ChooseOffered(offer_surveys, inline=False),
            next=END,
            help="help.survey_pick",
        ),
    ),
    finish=finish_list,
)


# -- one survey, built from its record ----------------------------------------------------------


def build_survey(record: str, desk: Desk | None) -> Flow | None:
    """The published survey as a flow; None if it is not published. Built once for each
    version of the survey (and whether it can be answered), not on every turn inside it."""
    survey = desk.survey(int(record)) if desk is not None and record.isdecimal() else None
    if survey is None:
        return None
    if not survey.revision:  # a desk that cannot tell one revision from another
        return survey_flow(survey)
    return _BUILT.get((survey.id, survey.revision, survey.answerable), lambda: survey_flow(survey))


# The flows of the surveys this process walked lately: a survey's flow depends on what its
# revision says and on whether it is open, nothing of the citizen walking it.
_BUILT: Memo[tuple[int, str, bool], Flow] = Memo()


def draft_problems(
    title: str, questions: Sequence[Mapping[str, Any]], catalog: Catalog
) -> list[str]:
    """What would keep a survey with these questions from being walked in the chat."""
    draft = Survey(0, 1, title, "", questions_from(questions), "never", True, False)
    return list(flow_problems(survey_flow(draft), catalog))


def survey_flow(survey: Survey) -> Flow:
    """The survey's questions as steps, then a summary to submit."""
    steps = [
        Step(
            question.key,
            "survey.question",
            _input(question),
            next=_after(survey, index),
            describe=_describe_question(survey, index),
            help=f"help.survey_{question.kind}",
            skippable=question.optional,
        )
        for index, question in enumerate(survey.questions)
    ]
    steps.append(
        Step(
            SUMMARY,
            "survey.summary",
            ChooseOne(SUBMIT, inline=True),
            next=END,
            describe=_describe_answers(survey),
        )
    )
    return Flow(
        id=f"{SURVEY}:{survey.id}",
        title="flow.survey_named",
        title_params={"title": survey.title},
        steps=tuple(steps),
        finish=_finish_survey(survey),
        version=survey.version,
        in_menu=False,
        closed=None if survey.answerable else "survey.closed",
    )


SURVEY_FAMILY = FlowFamily(SURVEY, build_survey)


def _input(question: Question) -> InputKind:
    english = question.in_language("en").options
    options = tuple(
        Option(str(n), text, literal=True, translations=(("en", english[n - 1]),))
        for n, text in enumerate(question.options, start=1)
    )
    match question.kind:
        case "single":
            return ChooseOne(options)
        case "multiple":
            return ChooseMany(options, min_selected=1, max_selected=question.max_choices)
        case "scale":
            return ChooseOne(tuple(Option(v, v, literal=True) for v in SCALE), inline=True)
        case "yes_no":
            return ChooseOne((Option("yes", "choice.yes"), Option("no", "choice.no")))
        case _:
            return FreeText(1, question.max_length)


def _after(survey: Survey, index: int) -> Branch:
    """The next question shown after this one (branching on earlier answers), or the summary."""

    @leads_to(*(q.key for q in survey.questions[index + 1 :]), SUMMARY)
    def next_question(answers: Answers, profile: Profile) -> str:
        for question in survey.questions[index + 1 :]:
            if question.shown(survey.visible_answers(answers)):
                return question.key
        return SUMMARY

    return next_question


def _describe_question(
    survey: Survey, index: int
) -> Callable[[Answers, Profile, Translate], dict[str, str]]:
    def describe(answers: Answers, profile: Profile, t: Translate) -> dict[str, str]:
        question = survey.questions[index].in_language(profile.language)
        low_high = dict(zip(("low", "high"), question.scale_labels, strict=False))
        hint = {
            "multiple": t("survey.hint_multiple", count=question.max_choices or "∞"),
            "scale": t("survey.hint_scale_named", **low_high)
            if len(low_high) == 2
            else t("survey.hint_scale"),
            "text": t("survey.hint_text", count=question.max_length),
        }.get(question.kind, "")
        number, total = survey.progress(answers, index)
        return {"n": str(number), "total": str(total), "question": question.text, "hint": hint}

    return describe


def _answer_text(question: Question, answer: object, t: Translate) -> str:
    if question.kind == "text":
        return mask_personal(str(answer))
    given = answer if isinstance(answer, list) else [answer]
    return ", ".join(value_label(question, str(value), t) for value in given)


def _describe_answers(survey: Survey) -> Callable[[Answers, Profile, Translate], dict[str, str]]:
    def describe(answers: Answers, profile: Profile, t: Translate) -> dict[str, str]:
        visible = survey.visible_answers(answers)
        asked = [q for q in survey.questions if q.key in visible]  # numbered as they were
        lines = [
            t(
                "survey.summary_line",
                n=n,
                question=q.in_language(profile.language).text,
                answer=_answer_text(q.in_language(profile.language), visible[q.key], t),
            )
            for n, q in enumerate(asked, start=1)
        ]
        return {"title": survey.worded(profile.language).title, "answers": "\n".join(lines)}

    return describe


def _finish_survey(survey: Survey) -> Callable[[Context], Outcome]:
    def finish(ctx: Context) -> Outcome:
        """Stores the response once; shows the results when the survey shows them now."""
        assert ctx.desk is not None, "surveys need the city's records"
        texts = {q.key for q in survey.questions if q.kind == "text"}
        answers = {
            key: mask_personal(value) if key in texts else value
            for key, value in survey.visible_answers(ctx.answers).items()
        }
        outcome = ctx.desk.submit_survey(
            survey.id,
            version=survey.version,
            answers=answers,
            dong=ctx.profile.dong,
            age_band=ctx.profile.age_band,
        )
        if outcome != "stored":
            return Outcome(f"survey.{outcome}")
        results = ctx.desk.survey_results(survey.id)
        charts = result_charts(results, ctx.t, answers, ctx.profile.language) if results else ()
        end = survey.worded(ctx.profile.language).outro
        outro = f"\n\n{end}" if end else ""
        if results and not charts:
            return Outcome("survey.thanks_too_few", {"outro": outro})
        told = withheld(results, ctx.t, ctx.profile.language) if results else ""
        return Outcome("survey.thanks", {"outro": outro, "withheld": told}, charts=charts)

    return finish


def withheld(results: list[QuestionResult], t: Translate, language: str | None) -> str:
    """Says which choice questions show no figures because too few answered them, rather
    than leaving them out silently; empty when every one is shown."""
    few = [
        result.question.in_language(language).text
        for result in results
        if result.question.kind != "text" and result.total.respondents < SMALLEST_GROUP
    ]
    if not few:
        return ""
    return t("survey.withheld", smallest=SMALLEST_GROUP, questions=", ".join(few))


def result_charts(
    results: list[QuestionResult],
    t: Translate,
    mine: Mapping[str, Any] | None = None,
    language: str | None = None,
) -> tuple[Chart, ...]:
    """One picture per choice question, with its words (the question, each answer, how many
    answered), captioned with the same figures as text; `mine`, the citizen's own answers
    when she has just given them, marks hers.

    The small-group rule holds here as for staff: a question fewer than `SMALLEST_GROUP`
    people answered shows no figures at all.
    """
    charts = []
    for result in results:
        question, total = result.question.in_language(language), result.total
        if question.kind == "text" or total.respondents < SMALLEST_GROUP:
            continue
        lines = [
            t(
                "survey.result_line",
                n=n,
                label=value_label(question, value, t),
                bar=bar(count, total.respondents),
            )
            for n, (value, count) in enumerate(total.counts.items(), start=1)
        ]
        caption = t(
            "survey.result",
            question=question.text,
            respondents=total.respondents,
            lines="\n".join(lines),
        )
        bars = tuple(
            (value_label(question, value, t), count, share(count, total.respondents))
            for value, count in total.counts.items()
        )
        given = (mine or {}).get(question.key)
        chosen = {str(v) for v in given} if isinstance(given, list) else {str(given)}
        marked = tuple(n for n, value in enumerate(total.counts) if value in chosen)
        title = t(
            "survey.chart_title_mine" if marked else "survey.chart_title",
            question=question.text,
            respondents=total.respondents,
        )
        charts.append(Chart(caption, bars, title, marked))
    return tuple(charts)

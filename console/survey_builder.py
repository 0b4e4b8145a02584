"""Console: building a survey — its questions of every kind, "ask only if" branching chosen
from earlier questions' answers, audience by Korean names, times — and previewing it as the
citizen will be asked it, step by step, with its buttons.

The form is checked by the API's own model (`PollIn`) and saved through the same
`api/survey_desk` as `POST /api/v1/polls`, so the console refuses what the API refuses; each
reason is said beside its field, in Korean. The form is plain HTML: a question is added or
removed by a submit button that draws the form again, so it works without scripts.
"""

import re
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from console.context import FLASHES, Page, PageContext, section_router
from console.language import N_, current
from console.proposals import categories
from console.sections import SURVEYS
from conversations.districts import suwon
from conversations.engine import Engine as ChatEngine
from conversations.flows import ALL_FLOWS
from conversations.flows.choices import AGE_BANDS
from conversations.flows.surveys import survey_flow
from conversations.model import Profile
from conversations.polls import SCALE, YES_NO, Survey, questions_from
from staff import survey_desk
from staff.survey_input import PollIn
from storage.db import aware, transaction, writer_lock
from storage.models import utcnow

router = section_router(SURVEYS)

CITY_TIME = ZoneInfo("Asia/Seoul")
MOST_QUESTIONS = 30
KIND_NAMES = {
    "single": N_("하나 고르기"),
    "multiple": N_("여러 개 고르기"),
    "scale": N_("1~5 점수"),
    "yes_no": N_("예/아니요"),
    "text": N_("자유롭게 쓰기"),
}
SHOWN_NAMES = {
    "after_answer": N_("답한 뒤 바로"),
    "after_close": N_("마감한 뒤"),
    "never": N_("시민에게 보여 주지 않음"),
}
REASONS = {
    "title": N_("제목을 100자 안으로 적어 주세요."),
    "intro": N_("소개는 1,000자까지 적을 수 있어요."),
    "outro": N_("끝인사는 500자까지 적을 수 있어요."),
    "en": N_("영어 제목은 100자, 소개는 1,000자, 끝인사는 500자까지 적을 수 있어요."),
    "opens_at": N_("여는 때를 날짜와 시각으로 적어 주세요."),
    "closes_at": N_("닫는 때를 여는 때보다 뒤로 적어 주세요."),
    "audience": N_("대상은 목록에 있는 구·동·나이대·관심 분야·언어만 고를 수 있어요."),
    "questions": N_("질문은 1개에서 30개까지예요."),
    "text": N_("질문을 300자 안으로 적어 주세요."),
    "kind": N_("질문 종류를 골라 주세요."),
    "options": N_(
        "하나 고르기·여러 개 고르기에는 보기를 한 줄에 하나씩 2~10개 적어 주세요. "
        "보기는 60자까지이고, 다른 질문 종류에는 보기를 적지 않아요."
    ),
    "same_options": N_("보기 두 개가 같게 읽혀요. 채팅에서 구별되게 다르게 적어 주세요."),
    "max_choices": N_("최대 선택 수는 1부터 보기 수까지예요 (여러 개 고르기만)."),
    "max_length": N_("글자 수는 1부터 1,000까지예요 (자유롭게 쓰기만)."),
    "scale": N_("양 끝 말은 1~5 점수 질문에만, 두 개 다 20자 안으로 적어 주세요."),
    "english": N_(
        "영어 보기는 보기 수보다 많을 수 없고 60자까지예요. 다른 보기와 같게 읽히면 안 돼요."
    ),
    "show_if": N_(
        "'이럴 때만 묻기'는 앞 질문 하나의 답에서만 고를 수 있어요 (자유롭게 쓰기 질문은 안 돼요)."
    ),
}
FLASHES["survey_saved"] = N_("설문을 저장했어요. 미리 보고 예약하거나 지금 열어 주세요.")
NOT_DESK = N_("설문은 설문 담당과 관리자만 만들 수 있어요.")
MISSING = N_("없는 설문이에요.")
STARTED = N_("이미 열린 설문은 고칠 수 없어요. 복사해서 새 설문을 만들어 주세요.")
QUESTION_FIELDS = (
    "kind", "text", "options", "max_choices", "max_length", "optional", "low", "high",
    "text_en", "options_en", "low_en", "high_en", "show_if",
)  # fmt: skip


# The survey's end words, and its own words in English (`title_en` is `en.title` in the API).
WORDING_FIELDS = ("outro", "title_en", "intro_en", "outro_en")


def _lines(text: str) -> list[str]:
    """One option per line; the order of lines is kept (an English line matches its
    Korean one), empty lines at the end dropped."""
    lines = [line.strip() for line in text.splitlines()]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def _question_form(form: Any, n: int) -> dict[str, Any]:
    value = {name: (form.get(f"q{n}_{name}") or "") for name in QUESTION_FIELDS}
    value["show_if"] = form.getlist(f"q{n}_show_if")
    value["optional"] = form.get(f"q{n}_optional") == "on"
    return value


def _form_values(form: Any) -> dict[str, Any]:
    count = int(form.get("count") or 1) if str(form.get("count") or "1").isdecimal() else 1
    return {
        "title": (form.get("title") or "").strip(),
        "intro": (form.get("intro") or "").strip(),
        **{name: (form.get(name) or "").strip() for name in WORDING_FIELDS},
        "opens_at": form.get("opens_at") or "",
        "closes_at": form.get("closes_at") or "",
        "results_shown": form.get("results_shown") or "after_close",
        "audience": {
            name: form.getlist(name)
            for name in ("gus", "dongs", "age_bands", "interests", "languages")
        },
        "questions": [_question_form(form, n) for n in range(1, min(count, MOST_QUESTIONS) + 1)],
    }


def _city_time(text: str) -> str | None:
    """A `datetime-local` value, read in the city's time, as the API's ISO timestamp."""
    try:
        return datetime.fromisoformat(text).replace(tzinfo=CITY_TIME).isoformat()
    except ValueError:
        return None


def local_time(moment: datetime) -> str:
    """A stored time as the city reads it, as a `datetime-local` field holds it."""
    return aware(moment).astimezone(CITY_TIME).strftime("%Y-%m-%dT%H:%M")


def _api_question(q: dict[str, Any]) -> dict[str, Any]:
    """A question of the form as `POST /api/v1/polls` takes it."""
    kind = q["kind"]
    data: dict[str, Any] = {"kind": kind, "text": q["text"].strip(), "optional": q["optional"]}
    options = [line for line in _lines(q["options"]) if line]
    if options:
        data["options"] = options
    if kind == "multiple" and q["max_choices"].strip():
        data["max_choices"] = q["max_choices"].strip()
    if kind == "text" and q["max_length"].strip():
        data["max_length"] = q["max_length"].strip()
    ends = [q["low"].strip(), q["high"].strip()]
    if any(ends):
        data["scale_labels"] = [end for end in ends if end] if not all(ends) else ends
    english: dict[str, Any] = {}
    if q["text_en"].strip():
        english["text"] = q["text_en"].strip()
    if _lines(q["options_en"]):
        english["options"] = _lines(q["options_en"])
    ends_en = [q["low_en"].strip(), q["high_en"].strip()]
    if any(ends_en):
        english["scale_labels"] = [end for end in ends_en if end] if not all(ends_en) else ends_en
    if english:
        data["en"] = english
    picked = [value.split(":", 1) for value in q["show_if"] if ":" in value]
    if picked:
        data["show_if"] = {"question": picked[0][0], "answers": [answer for _, answer in picked]}
    return data


def _several(values: dict[str, Any]) -> dict[str, str]:
    """A question asked only after answers to more than one earlier question: the API takes
    one, so the form says so beside the field."""
    return {
        f"q{n}_show_if": REASONS["show_if"]
        for n, q in enumerate(values["questions"], start=1)
        if len({value.partition(":")[0] for value in q["show_if"]}) > 1
    }


def _api_body(values: dict[str, Any]) -> dict[str, Any]:
    return {
        "title": values["title"],
        "intro": values["intro"],
        "outro": values["outro"],
        "en": {name: values[f"{name}_en"] for name in ("title", "intro", "outro")},
        "questions": [_api_question(q) for q in values["questions"]],
        "audience": values["audience"],
        "opens_at": _city_time(values["opens_at"]),
        "closes_at": _city_time(values["closes_at"]),
        "results_shown": values["results_shown"],
    }


def _form_question(q: dict[str, Any]) -> dict[str, Any]:
    """A stored question as the form shows it."""
    english = q.get("en") or {}
    ends = [*(q.get("scale_labels") or []), "", ""]
    ends_en = [*(english.get("scale_labels") or []), "", ""]
    show_if = q.get("show_if")
    return {
        "kind": q["kind"],
        "text": q["text"],
        "options": "\n".join(q.get("options") or []),
        "max_choices": str(q.get("max_choices") or ""),
        "max_length": str(q["max_length"]) if q["kind"] == "text" else "",
        "optional": bool(q.get("optional")),
        "low": ends[0],
        "high": ends[1],
        "text_en": english.get("text") or "",
        "options_en": "\n".join(english.get("options") or []),
        "low_en": ends_en[0],
        "high_en": ends_en[1],
        "show_if": [f"{show_if['question']}:{a}" for a in show_if["answers"]] if show_if else [],
    }


def _stored_values(row: Any) -> dict[str, Any]:
    audience = row.audience or {}
    return {
        "title": row.title,
        "intro": row.intro,
        "outro": row.outro,
        **{f"{key}_en": (row.english or {}).get(key, "") for key in ("title", "intro", "outro")},
        "opens_at": local_time(row.opens_at),
        "closes_at": local_time(row.closes_at),
        "results_shown": row.results_shown,
        "audience": {
            name: list(audience.get(name) or [])
            for name in ("gus", "dongs", "age_bands", "interests", "languages")
        },
        "questions": [_form_question(q) for q in row.questions],
    }


def _blank_question() -> dict[str, Any]:
    return {name: [] if name == "show_if" else "" for name in QUESTION_FIELDS} | {
        "kind": "single",
        "optional": False,
    }


def _blank_values() -> dict[str, Any]:
    opens = utcnow().replace(minute=0, second=0, microsecond=0) + timedelta(days=1)
    return {
        "title": "",
        "intro": "",
        **dict.fromkeys(WORDING_FIELDS, ""),
        "opens_at": local_time(opens),
        "closes_at": local_time(opens + timedelta(days=14)),
        "results_shown": "after_close",
        "audience": {name: [] for name in ("gus", "dongs", "age_bands", "interests", "languages")},
        "questions": [_blank_question()],
    }


def _branch_choices(request: Request, values: dict[str, Any]) -> list[list[tuple[str, str]]]:
    """For each question, the earlier answers it may be asked only after: ("q1:2", words)."""
    catalog = request.app.state.catalog
    language = current()
    choices: list[list[tuple[str, str]]] = []
    earlier: list[tuple[str, str]] = []
    for n, q in enumerate(values["questions"], start=1):
        choices.append(list(earlier))
        match q["kind"]:
            case "single" | "multiple":
                answers = [(str(i), o) for i, o in enumerate(_lines(q["options"]), 1) if o]
            case "yes_no":
                answers = [(v, catalog.text(language, f"choice.{v}")) for v in YES_NO]
            case "scale":
                answers = [(v, v) for v in SCALE]
            case _:
                answers = []
        earlier += [(f"q{n}:{value}", f"{n}. {words}") for value, words in answers]
    return choices


def _problems(problems: ValidationError) -> dict[str, str]:
    """Each of the API model's reasons as the form field it concerns, in Korean."""
    errors: dict[str, str] = {}
    for problem in problems.errors():
        loc = [str(part) for part in problem["loc"]]
        message = str(problem.get("msg", ""))
        if loc and loc[0] == "questions" and len(loc) >= 2 and loc[1].isdecimal():
            n, name = int(loc[1]) + 1, (loc[2] if len(loc) > 2 else "")
            if name == "en":
                errors[f"q{n}_english"] = REASONS["english"]
            elif name == "scale_labels" or "scale_labels" in message:
                errors[f"q{n}_scale"] = REASONS["scale"]
            elif name in REASONS:
                errors[f"q{n}_{name}"] = REASONS[name]
            else:
                errors[f"q{n}_text"] = REASONS["text"]
            continue
        if loc and loc[0] in REASONS:
            errors[loc[0]] = REASONS[loc[0]]
            continue
        errors.update(_model_problems(message))
    return errors


def _model_problems(message: str) -> dict[str, str]:
    """The survey-wide checks name their question: "q2: show_if …"."""
    errors: dict[str, str] = {}
    if "closes_at" in message:
        errors["closes_at"] = REASONS["closes_at"]
    for n, reason in re.findall(r"q(\d+): ([^;]+)", message):
        if "show_if" in reason:
            field = "show_if"
        elif "English" in reason:
            field = "english"
        elif "scale_labels" in reason:
            field = "scale"
        elif "max_choices" in reason:
            field = "max_choices"
        else:
            field = "options"
        errors[f"q{n}_{field}"] = REASONS[field]
    return errors or {"questions": REASONS["questions"]}


def _unwalkable(reason: str) -> dict[str, str]:
    """The chat's own check ("step 'q1' options '1' and '2' read the same") beside its field."""
    errors = {}
    for n in re.findall(r"step 'q(\d+)' options", reason):
        errors[f"q{n}_options"] = REASONS["same_options"]
    return errors or {"questions": REASONS["same_options"]}


def _preview(request: Request, values: dict[str, Any], language: str) -> list[dict[str, Any]]:
    """The survey as a citizen reading `language` is asked it: the intro, each question with
    its buttons, the check before sending."""
    catalog = request.app.state.catalog
    questions = questions_from([_api_question(q) for q in values["questions"]])
    english = {name: values[f"{name}_en"] for name in ("title", "intro", "outro")}
    survey = Survey(
        0, 1, values["title"], values["intro"], questions, "never", True, False,
        outro=values["outro"], english={k: v for k, v in english.items() if v},
    )  # fmt: skip
    engine = _chat_engine(request)
    profile = Profile(language=language, onboarded=True)
    worded = survey.worded(language)
    intro = catalog.text(language, "survey.intro", title=worded.title, intro=worded.intro)
    steps = engine.preview(survey_flow(survey), profile, utcnow())
    conditions = []
    for q in survey.questions:
        if q.show_if is None:
            conditions.append("")
            continue
        asked = next(x for x in survey.questions if x.key == q.show_if.question)
        words = [_answer_words(catalog, language, asked, a) for a in q.show_if.answers]
        conditions.append(f"{asked.key[1:]}. {', '.join(words)}")
    shown = [{"text": intro, "buttons": [], "nav": [], "only_if": ""}]
    for n, reply in enumerate(steps):
        shown.append(
            {
                "text": reply.text,
                "buttons": [button.text for button in reply.buttons],
                "nav": [button.text for button in reply.nav],
                "only_if": conditions[n] if n < len(conditions) else "",
            }
        )
    end = f"\n\n{worded.outro}" if worded.outro else ""
    thanks = catalog.text(language, "survey.thanks", outro=end, withheld="")
    shown.append({"text": thanks, "buttons": [], "nav": [], "only_if": ""})
    return shown


def _chat_engine(request: Request) -> ChatEngine:
    """The citizens' engine with its flows, made once per app: it asks the preview's steps."""
    state = request.app.state
    if getattr(state, "preview_engine", None) is None:
        state.preview_engine = ChatEngine(ALL_FLOWS, state.catalog, suwon())
    return state.preview_engine


def _answer_words(catalog: Any, language: str, question: Any, value: str) -> str:
    if question.kind in ("single", "multiple"):
        return question.in_language(language).options[int(value) - 1]
    if question.kind == "yes_no":
        return catalog.text(language, f"choice.{value}")
    return value


def _builder(ctx: PageContext, values: dict[str, Any], action: str, **extra: Any) -> Response:
    catalog = ctx.state.catalog
    language = current()
    return ctx.page(
        "survey_builder.html",
        status=400 if extra.get("errors") else 200,
        values=values,
        action=action,
        kinds=KIND_NAMES,
        shown_names=SHOWN_NAMES,
        branches=_branch_choices(ctx.request, values),
        areas=categories(ctx.request),
        ages={band.value: catalog.text(language, band.label) for band in AGE_BANDS},
        places=suwon().dongs_by_gu(),
        **extra,
    )


def _stored(ctx: PageContext, poll_id: int, route: tuple[str, str]) -> Any:
    """A saved survey, or the page refusing it (role by the API's `route`, or no survey)."""
    ctx.require(*route, NOT_DESK)
    with transaction(ctx.db) as session:
        try:
            return survey_desk.found(session, poll_id)
        except survey_desk.SurveyRefused:
            return ctx.refused(MISSING)


@router.get("/surveys/new")
def builder_page(ctx: Page) -> Response:
    """An empty survey to build, opening tomorrow for two weeks."""
    ctx.require("POST", "/api/v1/polls", NOT_DESK)
    return _builder(ctx, _blank_values(), "/console/surveys/new")


@router.get("/surveys/{poll_id}/edit")
def edit_page(ctx: Page, poll_id: int) -> Response:
    """A draft or scheduled survey in the builder; an open one cannot change."""
    row = _stored(ctx, poll_id, ("PUT", "/api/v1/polls/{poll_id}"))
    if isinstance(row, Response):
        return row
    if row.status not in ("draft", "scheduled"):
        return ctx.refused(STARTED)
    return _builder(ctx, _stored_values(row), f"/console/surveys/{poll_id}/edit")


@router.get("/surveys/{poll_id}/preview")
def stored_preview(
    ctx: Page,
    poll_id: int,
    lang: str = "ko",
) -> Response:
    """A saved survey, step by step, as the citizen will be asked it."""
    row = _stored(ctx, poll_id, ("GET", "/api/v1/polls/{poll_id}"))
    if isinstance(row, Response):
        return row
    language = "en" if lang == "en" else "ko"
    return ctx.page(
        "survey_preview.html",
        survey=row,
        language=language,
        preview=_preview(ctx.request, _stored_values(row), language),
    )


@router.post("/surveys/new")
async def builder_post(request: Request, ctx: Page) -> Response:
    return await _build(request, ctx, None)


@router.post("/surveys/{poll_id}/edit")
async def edit_post(request: Request, ctx: Page, poll_id: int) -> Response:
    return await _build(request, ctx, poll_id)


async def _build(request: Request, ctx: PageContext, poll_id: int | None) -> Response:
    """`add` and `remove:N` redraw the form; `preview` checks it and shows the steps;
    `save` checks it and keeps it (a new draft, or the edited survey)."""
    form = await request.form()
    if poll_id is None:
        ctx.require("POST", "/api/v1/polls", NOT_DESK)
        target = "/console/surveys/new"
    else:
        ctx.require("PUT", "/api/v1/polls/{poll_id}", NOT_DESK)
        target = f"/console/surveys/{poll_id}/edit"
    values = _form_values(form)
    action = str(form.get("action") or "preview")
    if action == "add" and len(values["questions"]) < MOST_QUESTIONS:
        values["questions"].append(_blank_question())
        return _builder(ctx, values, target, focus=len(values["questions"]))
    if action.startswith("remove:") and action[7:].isdecimal():
        _remove(values, int(action[7:]))
        return _builder(ctx, values, target)
    several = _several(values)
    try:
        checked = PollIn.model_validate(_api_body(values))
    except ValidationError as problems:
        return _builder(ctx, values, target, errors=_problems(problems) | several)
    if several:
        return _builder(ctx, values, target, errors=several)
    catalog = ctx.state.catalog
    if action != "save":
        try:
            survey_desk.walkable(catalog, checked.title, checked.questions_data())
        except survey_desk.SurveyRefused as refusal_:
            return _builder(ctx, values, target, errors=_unwalkable(refusal_.reason))
        language = "en" if action == "preview_en" else "ko"
        return _builder(
            ctx,
            values,
            target,
            preview=_preview(request, values, language),
            preview_language=language,
        )
    try:
        with writer_lock(ctx.db), transaction(ctx.db) as session:
            if poll_id is None:
                poll_id = survey_desk.create(session, ctx.staff, checked.columns(), catalog)
            else:
                survey_desk.edit(
                    session,
                    ctx.staff,
                    poll_id,
                    checked.columns(),
                    catalog,
                    ctx.state.polls_changed,
                )
    except survey_desk.SurveyRefused as refusal_:
        if refusal_.code == "unwalkable":
            return _builder(ctx, values, target, errors=_unwalkable(refusal_.reason))
        return ctx.refused(MISSING if refusal_.code == "missing" else STARTED)
    return RedirectResponse(f"/console/surveys/{poll_id}?done=survey_saved", status_code=303)


def _remove(values: dict[str, Any], n: int) -> None:
    """Drops question `n`; "ask only if" on it goes, later questions' references move up."""
    questions = values["questions"]
    if not 1 <= n <= len(questions) or len(questions) == 1:
        return
    del questions[n - 1]
    for q in questions:
        kept = []
        for value in q["show_if"]:
            key, _, answer = value.partition(":")
            number = int(key[1:]) if key[1:].isdecimal() else 0
            if number != n:
                kept.append(f"q{number - 1 if number > n else number}:{answer}")
        q["show_if"] = kept

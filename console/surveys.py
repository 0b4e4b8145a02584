"""Console: surveys — the list, and each survey's results with their words.

Totals and breakdowns by gu, dong and age band come from the same tally as
`GET /api/v1/polls/{id}/results` (`conversations.polls.tally_results`), so a group of fewer
than five is withheld here exactly as there. Each choice question has its chart, drawn by
`runtime.chart` with the question, the answers and how many answered.
"""

from typing import Any

from fastapi import Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import Engine

from console.context import FLASHES, Page, PageContext, section_router
from console.language import N_, _, current
from console.sections import SURVEYS
from console.survey_builder import local_time
from conversations.flows.surveys import result_charts
from conversations.polls import (
    UNKNOWN,
    QuestionResult,
    questions_from,
    tally_results,
    value_label,
)
from conversations.small_groups import SMALLEST_GROUP
from runtime.chart import bar_chart
from staff import survey_desk
from storage import audit, polls
from storage.db import transaction, writer_lock

router = section_router(SURVEYS)

SURVEY_STATUS = {
    "draft": N_("작성 중"),
    "scheduled": N_("예약됨"),
    "open": N_("진행 중"),
    "closed": N_("마감"),
}
DIMENSIONS = {"gu": N_("구"), "dong": N_("동"), "age_band": N_("나이대")}
NOT_DESK = N_("설문은 설문 담당과 관리자만 볼 수 있어요.")
MISSING = N_("없는 설문이에요.")
FLASHES["copied"] = N_("복사해서 새 설문을 만들었어요. 날짜를 정하고 예약해 주세요.")
FLASHES["schedule"] = N_("설문을 예약했어요. 여는 때가 되면 시민에게 보여요.")
FLASHES["open"] = N_("설문을 열었어요. 지금부터 시민이 답할 수 있어요.")
FLASHES["close"] = N_("설문을 마감했어요. 이제 답을 받지 않아요.")
MOVE_REFUSED = {
    "unwalkable": N_("채팅에서 물을 수 없는 설문이에요. 고쳐서 다시 해 주세요."),
    "closing_passed": N_("닫는 때가 이미 지났어요. 날짜를 고친 뒤 다시 해 주세요."),
    "state": N_("설문이 이미 다른 상태라 할 수 없어요. 화면을 새로 열어 주세요."),
    "missing": MISSING,
}
MOVES = {
    "schedule": ("/api/v1/polls/{poll_id}/schedule", survey_desk.schedule),
    "open": ("/api/v1/polls/{poll_id}/open", survey_desk.open_now),
    "close": ("/api/v1/polls/{poll_id}/close", None),
}


def _results(db: Engine, poll_id: int) -> tuple[Any, list[QuestionResult], int] | None:
    with transaction(db) as session:
        connection = session.connection()
        row = polls.get(connection, poll_id) if 0 < poll_id < 2**31 else None
        if row is None:
            return None
        questions = questions_from(row.questions)
        tallies = tally_results(questions, polls.grouped_counts(connection, poll_id))
        return row, tallies, polls.responses(connection, poll_id)


def _words(request: Request):
    """The citizens' catalogue in the reader's language (yes/no, scale points, age bands)."""
    catalog = request.app.state.catalog
    language = current()
    return lambda key, **params: catalog.text(language, key, **params)


def _group_name(dimension: str, name: str, t) -> str:
    """A breakdown group in words; respondents without that part of a profile are one group."""
    if name in ("", UNKNOWN):
        return _("정하지 않음")
    return t(f"age.{name}") if dimension == "age_band" else name


def _texts(ctx: PageContext, poll_id: int, result: QuestionResult) -> list[str]:
    """A free-text question's latest answers, masked as given; none under the small-group
    rule (a handful of answers could be told apart). Opening them is in the audit log, as
    the API's export of the answers is."""
    if result.total.respondents < SMALLEST_GROUP:
        return []
    with writer_lock(ctx.db), transaction(ctx.db) as session:
        audit.record(
            session,
            staff_id=ctx.staff.id,
            action="poll.read_text",
            target=f"poll:{poll_id}",
            detail={"question": result.question.key},
        )
        return polls.text_answers(
            session.connection(),
            poll_id,
            result.question.key,
            sealer=ctx.state.telling.sealer,
        )


@router.get("/surveys")
def survey_list(ctx: Page) -> Response:
    ctx.require("GET", "/api/v1/polls", NOT_DESK)
    with transaction(ctx.db) as session:
        rows, total = polls.listing(session.connection(), status=None, limit=50, offset=0)
    return ctx.page(
        "surveys.html",
        rows=rows,
        total=total,
        statuses=SURVEY_STATUS,
    )


@router.get("/surveys/{poll_id}")
def survey_results(
    ctx: Page,
    poll_id: int,
    done: str = "",
) -> Response:
    """Totals with a chart per choice question, and breakdowns with small groups withheld."""
    ctx.require("GET", "/api/v1/polls/{poll_id}/results", NOT_DESK)
    found = _results(ctx.db, poll_id)
    if found is None:
        return ctx.refused(MISSING)
    row, tallies, responses = found
    t = _words(ctx.request)
    questions = []
    texts = {}
    for result in tallies:
        question, total = result.question, result.total
        if question.kind == "text":
            texts[question.key] = _texts(ctx, poll_id, result)
            continue
        labels = {value: value_label(question, value, t) for value in total.counts}
        charts = result_charts([result], t)
        questions.append(
            {
                "key": question.key,
                "text": question.text,
                "respondents": total.respondents,
                "rows": charts[0].bars if charts else [],
                "labels": labels,
                "breakdowns": {
                    dimension: {
                        _group_name(dimension, name, t): tally for name, tally in groups.items()
                    }
                    for dimension, groups in result.breakdowns.items()
                },
            }
        )
    return ctx.page(
        "survey.html",
        survey=row,
        responses=responses,
        questions=questions,
        statuses=SURVEY_STATUS,
        dimensions=DIMENSIONS,
        texts=[
            (r.question, r.total.respondents, texts[r.question.key])
            for r in tallies
            if r.question.key in texts
        ],
        flash=FLASHES.get(done),
        editable=row.status in ("draft", "scheduled"),
        opens=local_time(row.opens_at).replace("T", " "),
        closes=local_time(row.closes_at).replace("T", " "),
    )


@router.post("/surveys/{poll_id}/duplicate")
def survey_duplicate(
    ctx: Page,
    poll_id: int,
) -> Response:
    """A new draft with this survey's questions and audience (as the API's duplicate)."""
    ctx.require("POST", "/api/v1/polls/{poll_id}/duplicate", NOT_DESK)
    with writer_lock(ctx.db), transaction(ctx.db) as session:
        copy = survey_desk.duplicate(session, ctx.staff, poll_id) if 0 < poll_id < 2**31 else None
    if copy is None:
        return ctx.refused(MISSING)
    return RedirectResponse(f"/console/surveys/{copy}?done=copied", status_code=303)


@router.get("/surveys/{poll_id}/charts/{key}.png")
def survey_chart(ctx: Page, poll_id: int, key: str) -> Response:
    """One question's results as a picture with its words (none under the small-group rule)."""
    ctx.require("GET", "/api/v1/polls/{poll_id}/results", NOT_DESK)
    found = _results(ctx.db, poll_id)
    result = next((r for r in found[1] if r.question.key == key), None) if found else None
    # The chat's own charts: the same words, and none for free text or under five people.
    charts = result_charts([result], _words(ctx.request)) if result else ()
    if not charts:
        return ctx.refused(MISSING)
    return Response(
        bar_chart(charts[0].bars, title=charts[0].title),
        media_type="image/png",
        headers={"Cache-Control": "private, no-store"},
    )


# Last: the named routes above (and the builder's, registered first) are matched before it.
@router.post("/surveys/{poll_id}/{move}")
def survey_move(
    ctx: Page,
    poll_id: int,
    move: str,
) -> Response:
    """Schedule, open now or close early, as the API's routes of the same names."""
    if move not in MOVES:
        return ctx.refused(MISSING)
    path, act = MOVES[move]
    ctx.require("POST", path, NOT_DESK)
    try:
        with writer_lock(ctx.db), transaction(ctx.db) as session:
            if act is None:
                survey_desk.close_early(session, ctx.staff, poll_id)
            else:
                act(
                    session,
                    ctx.staff,
                    poll_id,
                    ctx.state.catalog,
                    ctx.state.polls_changed,
                )
    except survey_desk.SurveyRefused as refusal_:
        return ctx.refused(MOVE_REFUSED.get(refusal_.code, MISSING))
    return RedirectResponse(f"/console/surveys/{poll_id}?done={move}", status_code=303)

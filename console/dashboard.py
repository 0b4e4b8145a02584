"""Console: the city's participation at a glance — the yearly table for any range of months,
citizens by gu, dong and age band (with a chart of the gu), growth per week, proposals by
area and status and how soon they were answered, survey response rates, notice reach and
opt-outs.

Every figure is read by `staff/participation.py` exactly as `GET /api/v1/stats` reads it
(groups under five withheld), and every table downloads as a spreadsheet (UTF-8 with BOM,
formula-safe).
"""

import re
from collections.abc import Sequence
from typing import Annotated

from fastapi import Query, Request
from fastapi.responses import Response

from console.context import Page, section_router
from console.downloads import download
from console.language import N_, _, current
from console.log_words import channel_words
from console.proposals import STATUS_NAMES, categories
from console.sections import DASHBOARD
from console.survey_builder import local_time
from runtime.chart import bar_chart
from staff.participation import (
    AnswerTimes,
    Breakdowns,
    Figures,
    Period,
    PeriodRefused,
    Trends,
    period,
)
from staff.spreadsheet import sheet
from storage.db import transaction
from storage.models import utcnow
from storage.stats import SERVICES, ServiceFigures

router = section_router(DASHBOARD)

SERVICE_NAMES = {
    "proposals": N_("제안·토론"),
    "surveys": N_("설문·투표"),
    "care": N_("돌봄 신청"),
    "notices": N_("맞춤 알림"),
}
WITHHELD = N_("비공개")
Month = Annotated[str | None, Query(alias="from", max_length=7)]
LastMonth = Annotated[str | None, Query(alias="to", max_length=7)]


PEOPLE, COUNT = N_("사람 수"), N_("건수")
# Each table: its caption, its columns, and whether it covers the chosen months (else: now).
TABLES = {
    "channels": (
        N_("접수 경로별 참여"),
        (N_("경로"), N_("제안"), N_("설문 응답"), N_("돌봄 신청"), N_("합계")),
        True,
    ),
    "places": (N_("사는 구·동별 시민"), (N_("구·동"), PEOPLE), False),
    "ages": (N_("나이대별 시민"), (N_("나이대"), PEOPLE), False),
    "weeks": (N_("주별 새 시민"), (N_("주 (월요일)"), PEOPLE), True),
    "categories": (N_("분야별 제안"), (N_("분야"), COUNT), True),
    "statuses": (N_("진행 상황별 제안"), (N_("진행 상황"), COUNT), True),
    "answers": (N_("제안 답변 시간"), (N_("항목"), N_("값")), True),
    "rates": (
        N_("설문 응답률 (기간에 연 최근 설문 12개)"),
        (N_("설문"), N_("응답"), N_("대상 시민"), N_("응답률")),
        True,
    ),
    "reach": (
        N_("알림 도달 (기간에 보낸 최근 알림 12개)"),
        (N_("알림"), N_("받을 시민"), N_("받은 시민"), N_("못 받은 시민")),
        True,
    ),
    "optouts": (N_("알림 끄기와 주제 줄이기"), (N_("무엇을"), COUNT), True),
}


def _figures(request: Request, chosen: Period) -> Figures:
    """The same counted figures `GET /api/v1/stats` reads."""
    with transaction(request.app.state.db) as session:
        return request.app.state.figures.figures(session.connection(), chosen, now=utcnow())


def _shown(count: int | None) -> str:
    return _(WITHHELD) if count is None else str(count)


Rows = Sequence[tuple[object, ...]]


def _tables(request: Request, found: Breakdowns, trend: Trends) -> dict[str, Rows]:
    """Each breakdown as rows of words and figures."""
    catalog = request.app.state.catalog
    unknown = _("정하지 않음")
    places = [
        (gu if gu != "unknown" else unknown, _shown(n)) for gu, n in found.citizens_by_gu.items()
    ]
    places += [
        (f"· {dong}" if dong != "unknown" else f"· {unknown}", _shown(n))
        for dong, n in found.citizens_by_dong.items()
    ]
    ages = [
        (catalog.text(current(), f"age.{band}") if band != "unknown" else unknown, _shown(n))
        for band, n in found.citizens_by_age_band.items()
    ]
    areas = categories(request)
    return {
        "channels": _channel_rows(found.items_by_channel),
        "places": places,
        "ages": ages,
        "categories": [
            (areas.get(key, key), str(n)) for key, n in found.proposals_by_category.items()
        ],
        "statuses": [
            (_(STATUS_NAMES[key]) if key in STATUS_NAMES else key, str(n))
            for key, n in found.proposals_by_status.items()
        ],
        "weeks": [(week, _shown(n)) for week, n in trend.citizens_by_week.items()],
        "answers": _answer_rows(trend.answer_times),
        "rates": [
            (r.title, _shown(r.responses), _shown(r.audience), _percent(r.rate))
            for r in trend.survey_response_rates
        ],
        "reach": [
            (_snippet(r.text), _shown(r.recipients), _shown(r.reached), _shown(r.undelivered))
            for r in trend.notice_reach
        ],
        "optouts": [
            (_("알림을 모두 끔") if key == "off" else areas.get(key, key), _shown(n))
            for key, n in trend.opt_outs.items()
        ],
    }


# The city reports participation by the way people came: these first, in this order.
CHANNEL_ORDER = ("telegram", "kakao", "counter", "erased")


def _channel_rows(counted: dict[str, dict[str, int]]) -> Rows:
    """Per channel (the counter among them): proposals, survey answers, care applications."""
    names = sorted(counted, key=lambda c: (*CHANNEL_ORDER, c).index(c))
    rows = []
    for name in names:
        figures = [counted[name].get(kind, 0) for kind in ("proposal", "survey", "care")]
        word = _("지운 시민") if name == "erased" else channel_words(name)
        rows.append((word, *(str(n) for n in figures), str(sum(figures))))
    return rows


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{value}%"


def _snippet(text: str) -> str:
    """A notice by its first words, its formatting tags left out."""
    words = re.sub(r"<[^>]+>", "", text).split()
    line = " ".join(words)
    return line if len(line) <= 40 else line[:39] + "…"


def _answer_rows(times: AnswerTimes) -> Rows:
    median = "-" if times.median_days is None else str(times.median_days)
    return [
        (_("답변한 제안"), str(times.answered)),
        (_("답변까지 걸린 날 (중앙값)"), median),
        (_("기한이 된 제안 (공감 기준을 넘은 것)"), str(times.due)),
        (_("기한 안에 답한 제안"), str(times.within_deadline)),
        (_("기한 안에 답한 비율"), _percent(times.within_deadline_share)),
        (_("답변 기한 (일)"), str(times.deadline_days)),
    ]


def _rows(figures: dict[str, ServiceFigures]) -> list[tuple[str, int, str]]:
    return [
        (
            _(SERVICE_NAMES[name]),
            figures[name].items,
            _(WITHHELD) if figures[name].participants is None else str(figures[name].participants),
        )
        for name in SERVICES
    ]


@router.get("/dashboard")
def dashboard(
    ctx: Page,
    first: Month = None,
    last: LastMonth = None,
) -> Response:
    """Items and participants per service for the months asked (this year so far)."""
    try:
        chosen = period(first, last, now=utcnow())
    except PeriodRefused:
        shown = period(None, None, now=utcnow())
        return ctx.page(
            "dashboard.html",
            status=400,
            chosen=Period(first or shown.first, last or shown.last),
            rows=[],
            error=N_("달을 2026-01처럼 적고, 시작 달이 끝 달보다 늦지 않게 골라 주세요."),
        )
    counted = _figures(ctx.request, chosen)
    return ctx.page(
        "dashboard.html",
        chosen=chosen,
        rows=_rows(counted.table),
        tables=_tables(ctx.request, counted.breakdowns, counted.trends),
        names=TABLES,
        counted_at=local_time(counted.counted_at).replace("T", " "),
    )


@router.get("/dashboard.csv")
def dashboard_csv(
    ctx: Page,
    first: Month = None,
    last: LastMonth = None,
    name: Annotated[str, Query(alias="table", max_length=20)] = "participation",
) -> Response:
    """One of the page's tables as a spreadsheet (`table`: participation, or one of
    `TABLES`)."""
    try:
        chosen = period(first, last, now=utcnow())
    except PeriodRefused:
        chosen = period(None, None, now=utcnow())
    counted = _figures(ctx.request, chosen)
    figures, found, trend = counted.table, counted.breakdowns, counted.trends
    months = f"{chosen.first}~{chosen.last}"
    if name in TABLES:
        header = [_(column) for column in TABLES[name][1]]
        rows: list[tuple[object, ...]] = list(_tables(ctx.request, found, trend)[name])
        return download(sheet(header, rows, filename=f"{name}-{chosen.first}-{chosen.last}.csv"))
    header = [_("서비스"), _("건수"), _("참여자"), _("기간")]
    rows = [(title, items, people, months) for title, items, people in _rows(figures)]
    filename = f"participation-{chosen.first}-{chosen.last}.csv"
    return download(sheet(header, rows, filename=filename))


@router.get("/dashboard/citizens.png")
def citizens_chart(ctx: Page) -> Response:
    """Citizens by gu as a bar chart with the gu's names (withheld groups left out)."""
    found = _figures(ctx.request, period(None, None, now=utcnow())).breakdowns
    shown = {gu: n for gu, n in found.citizens_by_gu.items() if n and gu != "unknown"}
    total = sum(shown.values())
    bars = [(gu, n, round(100 * n / total)) for gu, n in shown.items()] if total else []
    title = _("구별 시민 {n}명", n=total)
    return Response(
        bar_chart(bars, title=title), media_type="image/png", headers={"Cache-Control": "no-store"}
    )

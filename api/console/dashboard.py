"""Console: the city's participation at a glance — the yearly table for any range of months,
citizens by gu, dong and age band (with a chart of the gu), proposals by area and status.

Every figure is read by `api/participation.py` exactly as `GET /api/v1/stats` reads it
(groups under five withheld), and every table downloads as a spreadsheet (UTF-8 with BOM,
formula-safe).
"""

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from sqlalchemy import Engine

from api.console.language import N_, _, current
from api.console.pages import STATUS_NAMES, Console, _categories, _first_things_first, page
from api.deps import get_db
from api.participation import Breakdowns, Period, PeriodRefused, breakdowns, period, table
from api.spreadsheet import csv_response
from runtime.chart import bar_chart
from storage.db import transaction
from storage.models import utcnow
from storage.stats import SERVICES, ServiceFigures

router = APIRouter(prefix="/console", include_in_schema=False)
SERVICE_NAMES = {
    "proposals": N_("제안·토론"),
    "surveys": N_("설문·투표"),
    "care": N_("돌봄 신청"),
    "notices": N_("맞춤 알림"),
}
WITHHELD = N_("5명 미만")
Month = Annotated[str | None, Query(alias="from", max_length=7)]
LastMonth = Annotated[str | None, Query(alias="to", max_length=7)]


TABLES = {
    "places": (N_("사는 구·동별 시민"), N_("구·동")),
    "ages": (N_("나이대별 시민"), N_("나이대")),
    "categories": (N_("분야별 제안"), N_("분야")),
    "statuses": (N_("진행 상황별 제안"), N_("진행 상황")),
}


def _figures(db: Engine, chosen: Period) -> tuple[dict[str, ServiceFigures], Breakdowns]:
    with transaction(db) as session:
        connection = session.connection()
        return table(connection, chosen), breakdowns(connection, chosen)


def _shown(count: int | None) -> str:
    return _(WITHHELD) if count is None else str(count)


def _tables(request: Request, found: Breakdowns) -> dict[str, list[tuple[str, str]]]:
    """Each breakdown as (name in words, figure) rows."""
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
    areas = _categories(request)
    return {
        "places": places,
        "ages": ages,
        "categories": [
            (areas.get(key, key), str(n)) for key, n in found.proposals_by_category.items()
        ],
        "statuses": [
            (_(STATUS_NAMES[key]) if key in STATUS_NAMES else key, str(n))
            for key, n in found.proposals_by_status.items()
        ],
    }


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
    request: Request,
    who: Console,
    db: Annotated[Engine, Depends(get_db)],
    first: Month = None,
    last: LastMonth = None,
) -> Response:
    """Items and participants per service for the months asked (this year so far)."""
    if redirect := _first_things_first(who):
        return redirect
    try:
        chosen = period(first, last, now=utcnow())
    except PeriodRefused:
        shown = period(None, None, now=utcnow())
        return page(
            request,
            "dashboard.html",
            status=400,
            staff=who[0],
            csrf=who[1].csrf,
            chosen=Period(first or shown.first, last or shown.last),
            rows=[],
            error=N_("달을 2026-01처럼 적고, 시작 달이 끝 달보다 늦지 않게 골라 주세요."),
        )
    figures, found = _figures(db, chosen)
    return page(
        request,
        "dashboard.html",
        staff=who[0],
        csrf=who[1].csrf,
        chosen=chosen,
        rows=_rows(figures),
        tables=_tables(request, found),
        names=TABLES,
    )


@router.get("/dashboard.csv")
def dashboard_csv(
    request: Request,
    who: Console,
    db: Annotated[Engine, Depends(get_db)],
    first: Month = None,
    last: LastMonth = None,
    name: Annotated[str, Query(alias="table", max_length=20)] = "participation",
) -> Response:
    """One of the page's tables as a spreadsheet (`table`: participation, places, ages,
    categories or statuses)."""
    if redirect := _first_things_first(who):
        return redirect
    try:
        chosen = period(first, last, now=utcnow())
    except PeriodRefused:
        chosen = period(None, None, now=utcnow())
    figures, found = _figures(db, chosen)
    months = f"{chosen.first}~{chosen.last}"
    if name in TABLES:
        header = [_(TABLES[name][1]), _("사람 수") if name in ("places", "ages") else _("건수")]
        rows: list[tuple[object, ...]] = list(_tables(request, found)[name])
        return csv_response(header, rows, filename=f"{name}-{chosen.first}-{chosen.last}.csv")
    header = [_("서비스"), _("건수"), _("참여자"), _("기간")]
    rows = [(title, items, people, months) for title, items, people in _rows(figures)]
    return csv_response(header, rows, filename=f"participation-{chosen.first}-{chosen.last}.csv")


@router.get("/dashboard/citizens.png")
def citizens_chart(
    request: Request, who: Console, db: Annotated[Engine, Depends(get_db)]
) -> Response:
    """Citizens by gu as a bar chart with the gu's names (withheld groups left out)."""
    if redirect := _first_things_first(who):
        return redirect
    _figures_now, found = _figures(db, period(None, None, now=utcnow()))
    shown = {gu: n for gu, n in found.citizens_by_gu.items() if n and gu != "unknown"}
    total = sum(shown.values())
    bars = [(gu, n, round(100 * n / total)) for gu, n in shown.items()] if total else []
    title = _("구별 시민 %(n)s명", n=total)
    return Response(
        bar_chart(bars, title=title), media_type="image/png", headers={"Cache-Control": "no-store"}
    )

"""Console: the city's participation at a glance — the yearly table for any range of months.

Items and participants per service, read by `api/participation.py` exactly as
`GET /api/v1/stats` reads them (groups under five withheld), and the same table as a
spreadsheet (UTF-8 with BOM, formula-safe).
"""

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from sqlalchemy import Engine

from api.console.language import N_, _
from api.console.pages import Console, _first_things_first, page
from api.deps import get_db
from api.participation import Period, PeriodRefused, period, table
from api.spreadsheet import csv_response
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


def _figures(db: Engine, chosen: Period) -> dict[str, ServiceFigures]:
    with transaction(db) as session:
        return table(session.connection(), chosen)


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
    rows = _rows(_figures(db, chosen))
    return page(
        request, "dashboard.html", staff=who[0], csrf=who[1].csrf, chosen=chosen, rows=rows
    )


@router.get("/dashboard.csv")
def dashboard_csv(
    request: Request,
    who: Console,
    db: Annotated[Engine, Depends(get_db)],
    first: Month = None,
    last: LastMonth = None,
) -> Response:
    if redirect := _first_things_first(who):
        return redirect
    try:
        chosen = period(first, last, now=utcnow())
    except PeriodRefused:
        chosen = period(None, None, now=utcnow())
    header = [_("서비스"), _("건수"), _("참여자"), _("기간")]
    months = f"{chosen.first}~{chosen.last}"
    rows = [(name, items, people, months) for name, items, people in _rows(_figures(db, chosen))]
    return csv_response(header, rows, filename=f"participation-{chosen.first}-{chosen.last}.csv")

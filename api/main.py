"""The staff API application, built around a database engine handed in by the caller.

The console is put on it by the composition root (`console/app.py`), beside these routes."""

from collections.abc import Callable, Sequence
from contextlib import AbstractAsyncContextManager
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, FastAPI
from sqlalchemy import Engine

from api.docs import serve_docs
from api.errors import document_errors, install_error_handlers
from api.request_ids import RequestIds
from api.routes import (
    answer_templates,
    audit,
    care,
    citizens,
    counter,
    health,
    metrics,
    notices,
    polls,
    proposals,
    reports,
    stats,
    tokens,
)
from api.routes import staff as staff_routes
from api.security import SecurityHeaders
from conversations.desk import ProposalRules
from conversations.districts import CITY_ZONE
from conversations.messages import Catalog
from runtime.desk import ProposalIndex
from runtime.quiet_hours import QuietHours
from staff.participation import FiguresCache
from staff.telling import Telling
from storage.sealing import Sealer

CITY_QUIET_HOURS = QuietHours(21, 8, CITY_ZONE)  # the settings' defaults
Lifespan = Callable[[FastAPI], AbstractAsyncContextManager[Any]]
PollsChanged = Callable[[int, Sequence[tuple[str, datetime]]], None]


def _nothing_to_plan(poll_id: int, moves: Sequence[tuple[str, datetime]]) -> None:
    """Without a scheduler in this process, the sweep of another one applies the moves."""


def create_app(
    db: Engine,
    catalog: Catalog,
    rules: ProposalRules,
    *,
    lifespan: Lifespan | None = None,
    routers: Sequence[APIRouter] = (),
    sealer: Sealer,
    polls_changed: PollsChanged = _nothing_to_plan,
    notice_planned: Callable[[int, datetime], None] = lambda notice_id, send_at: None,
    notice_cancelled: Callable[[int], None] = lambda notice_id: None,
    notice_budget: int = 3,
    notice_approval_threshold: int = 10_000,
    quiet_hours: QuietHours = CITY_QUIET_HOURS,
    city_zone: ZoneInfo = CITY_ZONE,
    dashboard_refresh_seconds: int = 0,
    care_help_phone: str | None = None,
    counter_idle_minutes: int = 20,
    docs: bool = True,
    https_only: bool = False,
    staff_pages: bool = True,
) -> FastAPI:
    """The API; `catalog` words what staff actions send to citizens, `rules` the deadlines.

    `polls_changed` hands a survey's coming openings and closings to the scheduler. `docs`
    serves the schema and its pages; `https_only` (production) adds HSTS. Without
    `staff_pages` (a sender or scheduler process) only health and metrics are served.
    """
    app = FastAPI(
        title="toktok staff API",
        summary="Answer proposals, run polls, process care applications, send notices.",
        version="1",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json" if docs else None,
    )
    app.add_middleware(SecurityHeaders, https_only=https_only)
    app.add_middleware(RequestIds)
    if docs:
        serve_docs(app)
    app.state.db = db
    app.state.catalog = catalog
    app.state.telling = Telling(catalog, sealer)
    app.state.rules = rules
    app.state.polls_changed = polls_changed
    app.state.quiet_hours = quiet_hours
    app.state.city_zone = city_zone  # how people read times: pages and spreadsheets
    app.state.figures = FiguresCache(
        seconds=dashboard_refresh_seconds, answer_days=rules.answer_days
    )
    app.state.notice_planned = notice_planned
    app.state.notice_cancelled = notice_cancelled
    app.state.https_only = https_only
    app.state.care_help_phone = care_help_phone  # the counter's slip, where a dong has none
    app.state.counter_idle = timedelta(minutes=counter_idle_minutes)
    app.state.look_alikes = ProposalIndex()

    app.state.notice_budget = notice_budget
    app.state.notice_approval_threshold = notice_approval_threshold
    install_error_handlers(app)
    staff = (
        stats.router,
        staff_routes.router,
        tokens.router,
        audit.router,
        proposals.router,
        proposals.comments,
        citizens.router,
        reports.router,
        answer_templates.router,
        polls.router,
        care.router,
        care.access_router,
        notices.router,
        counter.router,
    )
    for router in (health.router, metrics.router, *(staff if staff_pages else ()), *routers):
        app.include_router(router)
    document_errors(app)
    return app

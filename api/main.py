"""The staff API application, built around a database engine handed in by the caller."""

from collections.abc import Callable, Sequence
from contextlib import AbstractAsyncContextManager
from typing import Any

from fastapi import APIRouter, FastAPI
from sqlalchemy import Engine

from api.errors import install_error_handlers
from api.routes import audit, health, proposals, staff, stats
from conversations.desk import ProposalRules
from conversations.messages import Catalog

Lifespan = Callable[[FastAPI], AbstractAsyncContextManager[Any]]


def create_app(
    db: Engine,
    catalog: Catalog,
    rules: ProposalRules,
    *,
    lifespan: Lifespan | None = None,
    routers: Sequence[APIRouter] = (),
) -> FastAPI:
    """The API; `catalog` words what staff actions send to citizens, `rules` the deadlines."""
    app = FastAPI(
        title="toktok staff API",
        summary="Answer proposals, run polls, process care applications, send notices.",
        version="1",
        lifespan=lifespan,
    )
    app.state.db = db
    app.state.catalog = catalog
    app.state.rules = rules
    install_error_handlers(app)
    resources = (
        health.router,
        stats.router,
        staff.router,
        audit.router,
        proposals.router,
        proposals.comments,
    )
    for router in (*resources, *routers):
        app.include_router(router)
    return app

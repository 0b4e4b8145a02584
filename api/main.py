"""The staff API application, built around a database engine handed in by the caller."""

from collections.abc import Callable, Sequence
from contextlib import AbstractAsyncContextManager
from typing import Any

from fastapi import APIRouter, FastAPI
from sqlalchemy import Engine

from api.errors import install_error_handlers
from api.routes import audit, health, staff, stats

Lifespan = Callable[[FastAPI], AbstractAsyncContextManager[Any]]


def create_app(
    db: Engine, *, lifespan: Lifespan | None = None, routers: Sequence[APIRouter] = ()
) -> FastAPI:
    app = FastAPI(
        title="toktok staff API",
        summary="Answer proposals, run polls, process care applications, send notices.",
        version="1",
        lifespan=lifespan,
    )
    app.state.db = db
    install_error_handlers(app)
    for router in (health.router, stats.router, staff.router, audit.router, *routers):
        app.include_router(router)
    return app

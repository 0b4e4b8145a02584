"""The console put onto the service's web application: its static files, its language, the
pages its context refuses or redirects, the sign-in routes and every registered section."""

from importlib import import_module
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from console import sign_in
from console.context import install_refusals
from console.language import ConsoleLanguage
from console.sections import SECTIONS

STATIC = Path(__file__).parent / "static"


def install_console(app: FastAPI, *, idle_minutes: int = 30, session_hours: float = 12) -> None:
    """Adds the console to `app` (which holds the database, catalogue and rules in its state);
    a session ends after `idle_minutes` without a page, and `session_hours` after sign-in."""
    app.state.console_idle_minutes = idle_minutes
    app.state.console_session_hours = session_hours
    app.add_middleware(ConsoleLanguage)
    app.mount("/console/static", StaticFiles(directory=STATIC), name="console-static")
    install_refusals(app)
    app.include_router(sign_in.router)
    for section in SECTIONS:
        for module in section.modules:
            app.include_router(import_module(module).router)

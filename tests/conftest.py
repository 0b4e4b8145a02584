"""Shared fixtures: a migrated database per run (SQLite file, or PostgreSQL from DATABASE_URL).

With DATABASE_URL pointing at PostgreSQL the whole suite runs there; the database's schema is
dropped and rebuilt by the migrations, so its name must contain "test". Without a reachable
server the database tests skip with the reason.
"""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlmodel import SQLModel

from storage.db import make_engine
from storage.migrate import upgrade

# Property tests run the same examples every time, keep no example database, and never fail
# on a slow example: CI's two busy cores must not decide a test.
settings.register_profile("toktok", deadline=None, derandomize=True, database=None)
settings.load_profile("toktok")

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def _postgres_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith("postgresql") else None


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = _postgres_url()
    if url is None:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'toktok-test.db'}"
        upgrade(url)
        return url
    name = make_url(url).database or ""
    if "test" not in name:
        pytest.exit(f"refusing to wipe PostgreSQL database {name!r}: its name lacks 'test'", 2)
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    except OperationalError as error:
        pytest.skip(f"PostgreSQL at DATABASE_URL is not reachable: {error.orig}")
    finally:
        engine.dispose()
    upgrade(url)
    return url


@pytest.fixture
def db_url(database_url: str) -> Iterator[str]:
    """The migrated test database, emptied after each test."""
    yield database_url
    engine = make_engine(database_url)
    with engine.begin() as connection:
        for table in reversed(SQLModel.metadata.sorted_tables):
            connection.execute(table.delete())
    engine.dispose()


@pytest.fixture
def db(db_url: str) -> Iterator[Engine]:
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-transcripts",
        action="store_true",
        help="write the engine's current replies into tests/transcripts/*.txt (review the diff)",
    )

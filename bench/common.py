"""What the benchmarks share: a fresh, migrated database for one run."""

import os

from sqlalchemy import text

from storage.db import make_engine
from storage.migrate import upgrade


def fresh_database(directory: str, url: str | None = None) -> str:
    """`url` (or DATABASE_URL) emptied and migrated if PostgreSQL, else a new SQLite file."""
    url = url if url is not None else os.environ.get("DATABASE_URL", "")
    if url.startswith("postgresql"):
        engine = make_engine(url)
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        engine.dispose()
    else:
        url = f"sqlite:///{directory}/bench.db"
    upgrade(url)
    return url

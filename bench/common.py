"""What the benchmarks share: a fresh, migrated database for one run."""

import os

from sqlalchemy import Engine, text

from conversations.districts import suwon
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


def load_city(db: Engine, size: int) -> None:
    """`size` citizens spread over every dong, age band and two interests, who first wrote on
    the days of the past year, in one statement (PostgreSQL's generate_series); a few have
    notices off or are inactive."""
    with db.begin() as connection:
        connection.execute(
            text(
                """
                INSERT INTO citizen (channel, external_id, chat_id, language, dong, age_band,
                    interests, muted_topics, easy_mode, notices_enabled, onboarded, active,
                    created_at, updated_at)
                SELECT 'telegram', 'c' || g, 'c' || g,
                    CASE WHEN g % 10 = 0 THEN 'en' ELSE 'ko' END,
                    (CAST(:dongs AS text[]))[1 + g % :n], (ARRAY['60s','70plus','40s'])[1 + g % 3],
                    CASE WHEN g % 4 = 0 THEN '["welfare"]' ELSE '["transport"]' END::json,
                    CASE WHEN g % 50 = 0 THEN '["welfare"]' ELSE '[]' END::json,
                    false, g % 20 <> 0, true, g % 100 <> 0,
                    now() - make_interval(days => g % 365), now()
                FROM generate_series(1, :size) AS g
                """
            ),
            {"dongs": list(suwon().dongs), "n": len(suwon().dongs), "size": size},
        )
        connection.execute(text("ANALYZE citizen"))

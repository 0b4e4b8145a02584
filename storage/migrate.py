"""Runs the Alembic migrations; the only way the schema is created or changed."""

from pathlib import Path

from alembic import command
from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["url"] = url
    return config


def upgrade(url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(url), revision)


def downgrade(url: str, revision: str = "base") -> None:
    command.downgrade(alembic_config(url), revision)


# Indexes the models cannot describe (PostgreSQL's trigram indexes for finding proposals by
# words): made by a migration only, so comparing models and schema leaves them out.
MIGRATION_ONLY_INDEXES = frozenset({"ix_proposal_title_trgm", "ix_proposal_body_trgm"})
# SQLite's full-text index of proposals (an FTS5 table and the tables it keeps its index in).
MIGRATION_ONLY_TABLES = "proposal_words"


def include_object(
    obj: object, name: str | None, type_: str, reflected: bool, other: object
) -> bool:
    """Alembic's filter for autogenerate and comparisons."""
    if type_ == "table" and (name or "").startswith(MIGRATION_ONLY_TABLES):
        return False
    return not (type_ == "index" and name in MIGRATION_ONLY_INDEXES)

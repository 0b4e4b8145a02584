"""proposal words on sqlite: an FTS5 trigram index of titles and texts

Staff find proposals by any part of their words (`정류장` in `버스정류장`). PostgreSQL has
pg_trgm indexes for that (a67da914af2f); SQLite gets an external-content FTS5 table with
the trigram tokenizer (SQLite 3.34 or newer), kept in step with `proposal` by triggers, so
a search by words of three letters or more reads the index instead of every proposal.

Revision ID: e7b25f0c8d41
Revises: c4e1d7a90b36
Create Date: 2026-12-02 15:20:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "e7b25f0c8d41"
down_revision: str | None = "c4e1d7a90b36"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STATEMENTS = (
    "CREATE VIRTUAL TABLE proposal_words USING fts5("
    "title, body, content='proposal', content_rowid='id', tokenize='trigram')",
    "INSERT INTO proposal_words(proposal_words) VALUES ('rebuild')",
    "CREATE TRIGGER proposal_words_added AFTER INSERT ON proposal BEGIN "
    "INSERT INTO proposal_words(rowid, title, body) VALUES (new.id, new.title, new.body); END",
    "CREATE TRIGGER proposal_words_removed AFTER DELETE ON proposal BEGIN "
    "INSERT INTO proposal_words(proposal_words, rowid, title, body) "
    "VALUES ('delete', old.id, old.title, old.body); END",
    "CREATE TRIGGER proposal_words_changed AFTER UPDATE OF title, body ON proposal BEGIN "
    "INSERT INTO proposal_words(proposal_words, rowid, title, body) "
    "VALUES ('delete', old.id, old.title, old.body); "
    "INSERT INTO proposal_words(rowid, title, body) VALUES (new.id, new.title, new.body); END",
)


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for statement in STATEMENTS:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for trigger in ("proposal_words_added", "proposal_words_removed", "proposal_words_changed"):
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    op.execute("DROP TABLE IF EXISTS proposal_words")

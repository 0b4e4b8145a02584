"""`toktok backup` and `toktok restore`: a backup restored into a fresh folder lets a citizen
carry on where they were; PostgreSQL is pointed to pg_dump."""

import os
import stat
from pathlib import Path

import pytest
from sqlalchemy import Engine

from conversations.events import Text
from storage.db import make_engine
from storage.migrate import upgrade
from tests.auxil.service import service_settings
from tests.toktok.test_cli import toktok
from toktok.assembly import build_runtime


def say(db: Engine, url: str, text: str) -> str:
    runtime = build_runtime(service_settings(url), db)[0]
    replies = runtime.handle(channel="cli", external_id="kim", chat_id="kim", event=Text(text))
    return replies[-1].reply.text


def test_a_restored_backup_carries_a_citizen_on_where_they_were(tmp_path: Path) -> None:
    live_url = f"sqlite:///{tmp_path / 'live' / 'toktok.db'}"
    upgrade(live_url)
    live = make_engine(live_url)
    for line in ("안녕", "한국어"):
        say(live, live_url, line)
    backup = tmp_path / "backups" / "toktok-2026-11-26.db"
    made = toktok(live_url, "backup", str(backup))
    assert made.returncode == 0, made.stderr
    assert "DATA_KEYS" in made.stdout and stat.S_IMODE(os.stat(backup).st_mode) == 0o600
    live.dispose()

    fresh_url = f"sqlite:///{tmp_path / 'elsewhere' / 'toktok.db'}"
    restored = toktok(fresh_url, "restore", str(backup))
    assert restored.returncode == 0, restored.stderr
    fresh = make_engine(fresh_url)
    assert "개인정보" in say(fresh, fresh_url, "보통으로")  # the step after the one she left
    fresh.dispose()

    again = toktok(fresh_url, "restore", str(backup))
    assert again.returncode == 2 and "move it away first" in again.stderr
    twice = toktok(live_url, "backup", str(backup))
    assert twice.returncode == 2 and "exists already" in twice.stderr


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path: Path) -> None:
    stray = tmp_path / "notes.db"
    stray.write_bytes(b"")
    refused = toktok(f"sqlite:///{tmp_path / 'new.db'}", "restore", str(stray))
    assert refused.returncode == 2 and "not a toktok database" in refused.stderr


def test_postgresql_is_backed_up_with_pg_dump(db_url: str) -> None:
    if not db_url.startswith("postgresql"):
        pytest.skip("runs in the PostgreSQL pass of the suite")
    said = toktok(db_url, "backup", "toktok.dump")
    assert said.returncode == 0 and "pg_dump" in said.stdout and "PostgreSQL 1" in said.stdout

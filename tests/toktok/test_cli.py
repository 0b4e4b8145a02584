"""The `toktok` command as an operator uses it: separate processes on the test database."""

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from storage import care
from storage.models import ApiToken, Citizen, Staff
from storage.sealing import Sealer
from storage.staff import hash_token, password_matches
from tests.auxil.factories import make_case
from tests.auxil.service import TEST_DATA_KEY, free_port

KEYED = {"DATA_KEYS": TEST_DATA_KEY}


def toktok(
    db_url: str, *args: str, stdin: str = "", **env: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "toktok", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **KEYED, "DATABASE_URL": db_url, "TELEGRAM_BOT_TOKEN": "", **env},
        check=False,
    )


def test_db_upgrade_is_idempotent(db_url: str) -> None:
    result = toktok(db_url, "db", "upgrade")
    assert result.returncode == 0 and "up to date" in result.stdout


def test_staff_add_prints_a_token_once_and_stores_only_its_hash(db_url: str, db: Engine) -> None:
    result = toktok(db_url, "staff", "add", "김주무관", "--role", "care_worker", "--dong", "지동")
    assert result.returncode == 0, result.stderr
    token = result.stdout.split("expires in 90 days): ")[1].strip()
    password = result.stdout.split("first sign-in): ")[1].split()[0]
    with Session(db) as session:
        staff = session.exec(select(Staff)).one()
        stored = session.exec(select(ApiToken)).one()
    assert (staff.name, staff.role, staff.dongs) == ("김주무관", "care_worker", ["지동"])
    assert stored.token_hash == hash_token(token) and token not in stored.token_hash
    assert password_matches(staff, password) and staff.must_change_password


def test_staff_add_refuses_an_unknown_dong_or_role(db_url: str, db: Engine) -> None:
    assert (
        toktok(db_url, "staff", "add", "x", "--role", "staff", "--dong", "강남동").returncode == 2
    )
    assert toktok(db_url, "staff", "add", "x", "--role", "mayor").returncode == 2
    with Session(db) as session:
        assert session.exec(select(Staff)).all() == []


def test_keys_new_then_rotate_moves_sealed_data_to_the_new_key(db_url: str, db: Engine) -> None:
    case_id = make_case(db)
    new_key = toktok(db_url, "keys", "new").stdout.strip()
    rotated = toktok(db_url, "keys", "rotate", DATA_KEYS=f"{new_key},{TEST_DATA_KEY}")
    assert rotated.returncode == 0, rotated.stderr
    assert "1 care" in rotated.stdout
    with db.connect() as connection:
        row = care.get(connection, case_id)
    assert care.personal_data(Sealer([new_key]), row)["phone"] == "010-1111-2222"  # type: ignore[arg-type]


def test_chat_plays_a_citizen_with_numbered_buttons(db_url: str, db: Engine) -> None:
    result = toktok(db_url, "chat", "--user", "demo", stdin="안녕\n1\n2\n2\n/me\n")
    assert result.returncode == 0, result.stderr
    assert "  1) 한국어" in result.stdout
    assert "개인정보 동의: 동의하지 않음" in result.stdout
    with Session(db) as session:
        citizen = session.exec(select(Citizen).where(Citizen.channel == "cli")).one()
    assert citizen.external_id == "demo" and citizen.privacy_consent is False


def test_chat_continues_where_the_last_session_stopped(db_url: str) -> None:
    toktok(db_url, "chat", "--user", "again", stdin="안녕\n한국어\n")
    result = toktok(db_url, "chat", "--user", "again", stdin="보통으로\n")
    assert "개인정보 수집·이용 안내" in result.stdout


def test_run_without_a_token_serves_the_api_and_says_the_bot_is_off(
    db_url: str, tmp_path: Path
) -> None:
    port = free_port()
    log = tmp_path / "run.log"
    env = {
        **os.environ,
        **KEYED,
        "DATABASE_URL": db_url,
        "TELEGRAM_BOT_TOKEN": "",
        "API_PORT": str(port),
    }
    with log.open("w") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "toktok", "run"], env=env, stdout=output, stderr=output
        )
    try:
        ready = None
        for _ in range(200):
            try:
                ready = httpx.get(f"http://127.0.0.1:{port}/readyz")
                break
            except httpx.TransportError:
                time.sleep(0.05)
        assert ready is not None and ready.status_code == 200
        assert httpx.get(f"http://127.0.0.1:{port}/docs").status_code == 200
    finally:
        process.terminate()
        process.wait(timeout=15)
    lines = [line for line in log.read_text().splitlines() if "bot is off" in line]
    assert len(lines) == 1 and "TELEGRAM_BOT_TOKEN" in lines[0]


def test_status_shows_the_figures_and_fails_on_keys_that_do_not_open(db_url: str) -> None:
    toktok(db_url, "chat", stdin="안녕\n")  # a citizen's sealed state for the keys to open
    fine = toktok(db_url, "status")
    assert fine.returncode == 0, fine.stderr
    assert "schema        up to date" in fine.stdout
    assert "data keys     open the stored data" in fine.stdout
    assert "outbox        0 unsent" in fine.stdout
    wrong = toktok(db_url, "status", DATA_KEYS=Sealer.new_key())
    assert wrong.returncode == 1 and "DO NOT open" in wrong.stdout


SECRET_LOOKING = "not-a-key-but-could-be-a-secret"


@pytest.mark.parametrize(
    ("setting", "value", "said"),
    [
        ("DATA_KEYS", SECRET_LOOKING, "DATA_KEYS: key 1 of 1"),
        ("DATA_KEYS", f"{TEST_DATA_KEY},{SECRET_LOOKING}", "DATA_KEYS: key 2 of 2"),
        ("API_PORT", "eighty", "setting API_PORT refused"),
        ("KAKAO_ANSWER_SECONDS", "9", "setting KAKAO_ANSWER_SECONDS refused"),
        ("LOG_FORMAT", "xml", "setting LOG_FORMAT refused"),
        ("WEBHOOK_URL", "https://toktok.example", "WEBHOOK_SECRET must be set"),
    ],
)
def test_a_malformed_setting_is_named_without_its_value_or_a_traceback(
    db_url: str, setting: str, value: str, said: str
) -> None:
    ran = toktok(db_url, "status", **{setting: value})
    assert ran.returncode == 2
    assert said in ran.stderr and "Traceback" not in ran.stderr
    assert SECRET_LOOKING not in ran.stderr

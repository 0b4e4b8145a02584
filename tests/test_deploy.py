"""The deployment files work: every command they run is one `toktok` accepts, the systemd
units pass `systemd-analyze verify`, and where a container engine runs, the image builds
and serves (skipped, saying so, where none can run)."""

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.auxil.service import free_port

ROOT = Path(__file__).parents[1]
UNITS = sorted((ROOT / "deploy" / "systemd").glob("*.service"))
TOKTOK = Path(sys.executable).with_name("toktok")


def exec_starts() -> list[list[str]]:
    commands = []
    for unit in UNITS:
        for line in unit.read_text().splitlines():
            if line.startswith(("ExecStart=", "ExecStartPre=")):
                commands.append(line.split("=", 1)[1].split()[1:])
    return commands


def compose_commands() -> list[list[str]]:
    text = (ROOT / "compose.yaml").read_text()
    return [json.loads(found) for found in re.findall(r"command: (\[.*\])", text)]


def test_every_command_the_deployment_runs_is_one_toktok_accepts() -> None:
    commands = exec_starts() + compose_commands()
    assert ["run", "--web"] in commands and ["run", "--sender"] in commands
    assert ["run", "--scheduler"] in commands and ["db", "upgrade"] in commands
    for command in commands:
        checked = subprocess.run(
            [str(TOKTOK), *command, "--help"], capture_output=True, text=True, timeout=60
        )
        assert checked.returncode == 0, (command, checked.stderr)


def test_the_image_installs_from_the_lock_file_and_runs_without_privileges() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "--require-hashes -r requirements.lock" in dockerfile
    assert re.search(r"^USER toktok$", dockerfile, re.MULTILINE)


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="no systemd-analyze here")
def test_the_systemd_units_verify(tmp_path: Path) -> None:
    for unit in UNITS:
        name = unit.name.replace("@.service", "@8001.service")
        text = unit.read_text().replace("/opt/toktok/.venv/bin/toktok", str(TOKTOK))
        (tmp_path / name).write_text(text)
        checked = subprocess.run(
            ["systemd-analyze", "verify", str(tmp_path / name)],
            capture_output=True,
            text=True,
            timeout=60,
        )
        problems = [line for line in checked.stderr.splitlines() if name.split("@")[0] in line]
        assert checked.returncode == 0 and problems == [], checked.stderr


def container_engine() -> str | None:
    for engine in ("docker", "podman"):
        if shutil.which(engine):
            try:
                probe = subprocess.run([engine, "info"], capture_output=True, timeout=30)
            except subprocess.TimeoutExpired:
                continue
            if probe.returncode == 0:
                return engine
    return None


def test_the_image_builds_and_serves(tmp_path: Path) -> None:
    engine = container_engine()
    if engine is None:
        pytest.skip(
            "no container engine runs here (a docker client without a daemon, or none): "
            "`docker build -t toktok . && docker compose up` is checked where one runs"
        )
    built = subprocess.run(
        [engine, "build", "-t", "toktok-test", str(ROOT)], capture_output=True, timeout=1800
    )
    assert built.returncode == 0, built.stderr[-2000:]
    port = free_port()
    name = f"toktok-test-{os.getpid()}"
    subprocess.run(
        [engine, "run", "-d", "--rm", "--name", name, "-p", f"127.0.0.1:{port}:8000",
         "-e", "ENVIRONMENT=development", "-e", "DATABASE_URL=sqlite:////tmp/toktok.db",
         "--entrypoint", "sh", "toktok-test", "-c", "toktok db upgrade && toktok run"],
        check=True, timeout=120,
    )  # fmt: skip
    try:
        for _ in range(300):
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz").status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        else:
            raise AssertionError("the container did not serve /healthz")
    finally:
        subprocess.run([engine, "stop", name], capture_output=True, timeout=60)

"""Log lines say the time in the city's zone, with its offset, as every page and export do."""

import json
import logging
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from runtime.logs import configure

NOON_IN_SUWON = datetime(2026, 12, 2, 3, 0, 0, 250_000, tzinfo=UTC).timestamp()


@pytest.fixture
def restored() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def line(json_lines: bool, zone: str) -> str:
    configure(json_lines=json_lines, zone=zone)
    record = logging.LogRecord("toktok", logging.INFO, __file__, 1, "turn %s", ("ok",), None)
    record.created = NOON_IN_SUWON
    record.request_id = "telegram-1"
    return logging.getLogger().handlers[0].format(record)


def test_plain_lines_start_with_the_citys_time_and_offset(restored: None) -> None:
    assert line(False, "Asia/Seoul").startswith("2026-12-02T12:00:00.250+09:00 INFO toktok")


def test_json_lines_carry_the_citys_time(restored: None) -> None:
    assert json.loads(line(True, "Asia/Seoul"))["time"] == "2026-12-02T12:00:00.250+09:00"


def test_another_zone_is_said_with_its_own_offset(restored: None) -> None:
    assert line(False, "UTC").startswith("2026-12-02T03:00:00.250+00:00")

"""The transcript runner compares whole replies: a missing or extra line fails the story."""

from pathlib import Path

import pytest

from conversations.engine import Engine
from tests.conversations.transcript import run_transcript

GREETING = [
    "> 안녕",
    "< 안녕하세요! 톡톡입니다. 언어를 골라 주세요.",
    "< Hello! This is toktok. Please choose your language.",
    "< [buttons] 한국어 | English (영어) | 🏠 처음으로 | ❓ 도움말",
]


def story(tmp_path: Path, lines: list[str]) -> Path:
    path = tmp_path / "story.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_the_whole_reply_passes(engine: Engine, tmp_path: Path) -> None:
    run_transcript(engine, story(tmp_path, GREETING))


def test_a_reply_with_a_line_less_in_the_file_fails(engine: Engine, tmp_path: Path) -> None:
    with pytest.raises(AssertionError, match="replies differ"):
        run_transcript(engine, story(tmp_path, GREETING[:2] + GREETING[3:]))


def test_a_wrong_button_fails(engine: Engine, tmp_path: Path) -> None:
    wrong = [*GREETING[:3], "< [buttons] 한국어 | English (영어) | ❓ 도움말"]
    with pytest.raises(AssertionError, match="replies differ"):
        run_transcript(engine, story(tmp_path, wrong))


def test_a_varying_line_is_matched_by_its_pattern(engine: Engine, tmp_path: Path) -> None:
    run_transcript(
        engine, story(tmp_path, [GREETING[0], "<~ 안녕하세요! * 골라 주세요.", *GREETING[2:]])
    )


def test_update_writes_the_replies_and_keeps_matching_patterns(
    engine: Engine, tmp_path: Path
) -> None:
    path = story(tmp_path, [GREETING[0], "<~ 안녕하세요! *", "< old line"])
    run_transcript(engine, path, update=True)
    assert path.read_text(encoding="utf-8").splitlines() == [
        GREETING[0],
        "<~ 안녕하세요! *",
        *GREETING[2:],
    ]
    run_transcript(engine, path)

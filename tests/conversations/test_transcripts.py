"""Every golden transcript plays back exactly, with a restart between any two turns."""

from pathlib import Path

import pytest

from conversations.engine import Engine
from tests.conversations.counter_channel import CounterChannel
from tests.conversations.transcript import TRANSCRIPTS, run_transcript


@pytest.mark.parametrize("path", sorted(TRANSCRIPTS.glob("*.txt")), ids=lambda p: p.stem)
def test_transcript_plays_back(engine: Engine, path: Path, request: pytest.FixtureRequest) -> None:
    run_transcript(engine, path, update=request.config.getoption("--update-transcripts"))


@pytest.mark.parametrize("path", sorted(TRANSCRIPTS.glob("*.txt")), ids=lambda p: p.stem)
def test_transcript_plays_back_through_the_counters_page(engine: Engine, path: Path) -> None:
    """The same recorded conversations, a third channel: the console's counter."""
    run_transcript(engine, path, channel=CounterChannel())

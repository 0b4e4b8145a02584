"""Every golden transcript plays back exactly, with a restart between any two turns."""

from pathlib import Path

import pytest

from conversations.engine import Engine
from tests.conversations.transcript import TRANSCRIPTS, run_transcript


@pytest.mark.parametrize("path", sorted(TRANSCRIPTS.glob("*.txt")), ids=lambda p: p.stem)
def test_transcript_plays_back(engine: Engine, path: Path, request: pytest.FixtureRequest) -> None:
    run_transcript(engine, path, update=request.config.getoption("--update-transcripts"))

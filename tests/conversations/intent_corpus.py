"""The intent corpus (tests/conversations/intents.tsv) read and scored, for the suite and
for bench/intents.py alike: both report the same figures on the same halves."""

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from conversations.intents import Confidence, IntentModel

CORPUS = Path(__file__).parent / "intents.tsv"
NONE = "none"


@dataclass(frozen=True)
class Row:
    typed: str
    intent: str
    held_out: bool


@dataclass
class Score:
    """How one half fared. `reached`: sent straight to the right service, or offered it
    among at most three; `straight`: sent there with no question; `wrong`: sent straight
    to another service (or anywhere, for words that ask for nothing)."""

    total: int = 0
    reached: int = 0
    straight: int = 0
    wrong: int = 0
    misses: list[str] | None = None
    confusion: Counter[tuple[str, str]] | None = None

    def share(self, count: int) -> float:
        return count / self.total if self.total else 0.0


def rows() -> list[Row]:
    lines = [
        line.rstrip("\n")
        for line in CORPUS.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    found = []
    for number, line in enumerate(lines):
        typed, intent = line.split("\t")
        found.append(Row(typed, intent, held_out=number % 2 == 1))
    return found


def service(model: IntentModel, intent: str) -> str:
    return NONE if intent == NONE else model.intents[intent].service


def score(model: IntentModel, half: list[Row]) -> Score:
    result = Score(misses=[], confusion=Counter())
    for row in half:
        reading = model.read(row.typed)
        wanted = service(model, row.intent)
        offered = [service(model, name) for name in reading.intents]
        got = offered[0] if offered and reading.confidence is Confidence.SURE else NONE
        result.total += 1
        result.confusion[(wanted, got if reading.confidence is Confidence.SURE else "?")] += 1  # type: ignore[index]
        if wanted == NONE:
            ok = reading.confidence is Confidence.LOST
            result.wrong += reading.confidence is Confidence.SURE
            result.reached += ok
            result.straight += ok
        else:
            result.straight += got == wanted
            result.reached += wanted in offered
            result.wrong += got not in (NONE, wanted)
            ok = wanted in offered
        if not ok:
            result.misses.append(  # type: ignore[union-attr]
                f"{row.typed!r}: {reading.confidence} {list(reading.intents)} != {row.intent}"
            )
    return result

"""What a typed message means when it answers no button: the services and the engine's own
answers it may ask for (propose, my proposals, stop notices, a person, hello …).

Intents are data (`data/intents/*.toml`): where each leads, its key words and example
sentences. A message is compared with every example by letter pairs and triples weighed by
how rare they are (TF-IDF over the examples, cosine), an intent scoring by its closest
example, plus a fixed weight for each of its key words the message holds. What follows
"말고" or "대신" is what is wanted ("제안 말고 투표할래요"); the words before it count against
their intents. The scoring and its thresholds were chosen on the tuning half of
`tests/conversations/intents.tsv`; `bench/intents.py` prints both halves.

Hand-written rather than scikit-learn's TfidfVectorizer: the whole model is a few hundred
short examples, and the library with numpy and scipy would add more memory than the goal
allows for this layer (bench/intents.py prints what this one adds).
"""

import math
import re
import tomllib
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from pathlib import Path

from conversations.matching import normalize

INTENTS_DIR = Path(__file__).parent / "data" / "intents"
# The engine's own answers an intent may lead to, besides a service (a flow id).
ANSWERS = frozenset(
    {"report", "stop_notices", "start_notices", "help", "person", "greeting", "thanks"}
)
KEYWORD_WEIGHT = 0.3
# At or above SURE with a lead of MARGIN over the next service: go there. At or above
# UNSURE: ask "이런 뜻인가요?" with the services within OFFER_RANGE of the best. Below: lost.
SURE = 0.62
MARGIN = 0.12
UNSURE = 0.34
OFFER_RANGE = 0.2
MOST_OFFERED = 3
# Words this long that mean nothing else are offered as the start of a proposal, never lost.
REPORT_LETTERS = 8
_HANGUL_OR_LATIN = re.compile(r"[가-힣a-zA-Z]{2}")
_NEGATION = re.compile(r"(말고|말구|아니고|아니라|대신에|대신|빼고|\binstead of\b|\bnot\b)")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Intent:
    """One thing a resident may ask for, and where it leads."""

    name: str
    go: str
    choose: Mapping[str, str] = field(default_factory=dict)
    keywords: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()

    @property
    def service(self) -> str:
        """Where the resident lands: a flow at a step ("profile:delete_confirm"), or one of
        the engine's answers. Intents landing alike (돌봄 신청, 내 돌봄 신청) never compete."""
        return ":".join([self.go, *self.choose.values()])


class Confidence(StrEnum):
    SURE = "sure"
    UNSURE = "unsure"
    LOST = "lost"


@dataclass(frozen=True)
class Reading:
    """What a message was taken to mean: the intents offered, best first, and how sure."""

    confidence: Confidence
    intents: tuple[str, ...]

    @property
    def best(self) -> str | None:
        return self.intents[0] if self.intents else None


def grams(text: str) -> Counter[str]:
    """Letter pairs and triples of the folded text: spaces and punctuation gone, so "제안하기"
    and "제안 하기" read alike, and a slip costs a few grams, not the word."""
    folded = normalize(text)
    found: Counter[str] = Counter()
    for size in (2, 3):
        found.update(folded[i : i + size] for i in range(len(folded) - size + 1))
    if len(folded) == 1:
        found[folded] += 1
    return found


class IntentModel:
    """The examples as weighted letter-gram vectors, with an index from gram to example."""

    def __init__(self, intents: Iterable[Intent]) -> None:
        self.intents = {intent.name: intent for intent in intents}
        documents = [
            (intent.name, grams(example))
            for intent in self.intents.values()
            for example in intent.examples
        ]
        seen: Counter[str] = Counter()
        for _, counted in documents:
            seen.update(counted.keys())
        total = len(documents)
        self.idf = {gram: math.log((1 + total) / (1 + n)) + 1.0 for gram, n in seen.items()}
        self.owners = [name for name, _ in documents]
        self.postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for index, (_, counted) in enumerate(documents):
            for gram, weight in _unit(counted, self.idf).items():
                self.postings[gram].append((index, weight))
        self.keywords = {
            name: tuple(dict.fromkeys(normalize(k) for k in intent.keywords if normalize(k)))
            for name, intent in self.intents.items()
        }

    def scores(self, text: str) -> dict[str, float]:
        """Every intent's score for `text` (0 and up; the examples' best cosine plus key words)."""
        wanted, unwanted = _split_negation(text)
        query = _unit(grams(wanted), self.idf)
        best: dict[str, float] = dict.fromkeys(self.intents, 0.0)
        dots: dict[int, float] = defaultdict(float)
        for gram, weight in query.items():
            for index, other in self.postings.get(gram, ()):
                dots[index] += weight * other
        for index, dot in dots.items():
            owner = self.owners[index]
            best[owner] = max(best[owner], dot)
        folded, against = normalize(wanted), normalize(unwanted)
        for name, keys in self.keywords.items():
            hits = [key for key in keys if key in folded]
            refused = any(key in against for key in keys) if against else False
            covered = max((len(key) for key in hits), default=0) / (len(folded) or 1)
            bonus = KEYWORD_WEIGHT * (min(len(hits), 2) + covered) if hits else 0.0
            best[name] += bonus - (2 * KEYWORD_WEIGHT if refused else 0.0)
        return best

    def read(self, text: str) -> Reading:
        """The intents `text` asks for, and how sure that is (one per service, best first)."""
        ranked = sorted(self.scores(text).items(), key=lambda item: -item[1])
        services: dict[str, tuple[str, float]] = {}
        for name, score in ranked:
            services.setdefault(self.intents[name].service, (name, score))
        leaders = list(services.values())
        top = leaders[0][1] if leaders else 0.0
        runner_up = leaders[1][1] if len(leaders) > 1 else 0.0
        if top >= SURE and top - runner_up >= MARGIN:
            return Reading(Confidence.SURE, (leaders[0][0],))
        if top >= UNSURE:
            near = [n for n, s in leaders if s >= max(UNSURE, top - OFFER_RANGE)]
            offered = near[:MOST_OFFERED]
            if _long(text) and "report" not in offered:
                offered = [*offered[: MOST_OFFERED - 1], "report"]
            return Reading(Confidence.UNSURE, tuple(offered))
        if _long(text):
            return Reading(Confidence.UNSURE, ("report",))
        return Reading(Confidence.LOST, ())


def _long(text: str) -> bool:
    """Words enough to be the start of a proposal (a sentence, not a slip or a laugh)."""
    return len(normalize(text)) >= REPORT_LETTERS and bool(_HANGUL_OR_LATIN.search(text))


def _unit(counted: Mapping[str, int], idf: Mapping[str, float]) -> dict[str, float]:
    """The TF-IDF vector of `counted`, scaled to length 1 (grams never seen count nothing)."""
    weighted = {g: (1 + math.log(n)) * idf[g] for g, n in counted.items() if g in idf}
    length = math.sqrt(sum(w * w for w in weighted.values())) or 1.0
    return {g: w / length for g, w in weighted.items()}


def _split_negation(text: str) -> tuple[str, str]:
    """(what is wanted, what is refused): "제안 말고 투표" → ("투표", "제안")."""
    folded = _SPACES.sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip()
    parts = _NEGATION.split(folded)
    if len(parts) < 3:
        return folded, ""
    refused = " ".join(parts[:-2])
    wanted = parts[-1].strip()
    return (wanted, refused) if normalize(wanted) else (folded, "")


def load(directory: Path = INTENTS_DIR) -> list[Intent]:
    """Every intent declared under `directory`, checked: a file's error names the intent."""
    found: dict[str, Intent] = {}
    for path in sorted(directory.glob("*.toml")):
        with path.open("rb") as handle:
            for name, spec in tomllib.load(handle).items():
                intent = _intent(name, spec, path)
                if name in found:
                    earlier = found[name]
                    intent = Intent(
                        name,
                        earlier.go,
                        earlier.choose,
                        earlier.keywords + intent.keywords,
                        earlier.examples + intent.examples,
                    )
                found[name] = intent
    return list(found.values())


def _intent(name: str, spec: Mapping[str, object], path: Path) -> Intent:
    go = spec.get("go")
    if not isinstance(go, str) or not go:
        raise ValueError(f"{path.name}: intent {name!r} says nowhere to go")
    choose = spec.get("choose", {})
    keywords, examples = spec.get("keywords", []), spec.get("examples", [])
    if not isinstance(choose, dict) or not all(isinstance(v, str) for v in choose.values()):
        raise ValueError(f"{path.name}: intent {name!r} has answers that are not words")
    for what, listed in (("keywords", keywords), ("examples", examples)):
        if not isinstance(listed, list) or not all(isinstance(w, str) for w in listed):
            raise ValueError(f"{path.name}: intent {name!r} has {what} that are not words")
    return Intent(name, go, dict(choose), tuple(keywords), tuple(examples))  # type: ignore[arg-type]


@cache
def model() -> IntentModel:
    """The intents shipped with toktok, read once per process."""
    return IntentModel(load())

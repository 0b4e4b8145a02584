"""Typed answers matched to the offered choices, forgiving typos, spacing and numbering.

Hangul is compared on decomposed jamo (Unicode NFD), so a typo inside one syllable
(인게동 for 인계동) costs one letter, not a whole syllable.
"""

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

from rapidfuzz import fuzz, process

_NUMBERED = re.compile(r"^\s*(\d{1,2})\s*(번|번째|\.|\))?\s*$")
_KEEP = re.compile(r"[^\w]|_", re.UNICODE)

ACCEPT_SCORE = 80.0
MARGIN = 5.0


@lru_cache(maxsize=4096)
def normalize(text: str) -> str:
    """Folds width, case, spaces, punctuation and emoji away (labels repeat: cached)."""
    return _KEEP.sub("", unicodedata.normalize("NFKC", text).casefold())


@lru_cache(maxsize=4096)
def jamo(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def choice_number(text: str) -> int | None:
    """ "1", "１", "1번", "1." → 1."""
    found = _NUMBERED.match(unicodedata.normalize("NFKC", text))
    return int(found.group(1)) if found else None


def best_matches(
    text: str, keyed: Sequence[tuple[str, str]], *, limit: int = 5, cutoff: float = 50.0
) -> list[tuple[str, float]]:
    """Ranks values by their best-scoring key: `keyed` holds (value, normalized key) pairs."""
    query = jamo(normalize(text))
    if not query:
        return []
    keys = [jamo(key) for _, key in keyed]
    best: dict[str, float] = {}
    for _, score, index in process.extract(
        query, keys, scorer=fuzz.ratio, limit=None, score_cutoff=cutoff
    ):
        value = keyed[index][0]
        best[value] = max(best.get(value, 0.0), score)
    return sorted(best.items(), key=lambda item: -item[1])[:limit]


def is_clear_winner(ranked: Sequence[tuple[str, float]], accept: float = ACCEPT_SCORE) -> bool:
    if not ranked or ranked[0][1] < accept:
        return False
    return ranked[0][1] == 100.0 or len(ranked) == 1 or ranked[0][1] - ranked[1][1] >= MARGIN


def pick(text: str, choices: Sequence[tuple[str, Sequence[str]]]) -> str | None:
    """The value of the choice the citizen meant, or None when unsure.

    `choices` holds (value, labels) in display order; labels may be in any language.
    """
    typed = normalize(text)
    keyed = [(value, normalize(label)) for value, labels in choices for label in labels]
    # A label is read as itself first: "13번" is the bus route when a button says so.
    for value, key in keyed:
        if key and key == typed:
            return value
    number = choice_number(text)
    if number is not None and 1 <= number <= len(choices):
        return choices[number - 1][0]
    if not typed:
        return None
    # "크게" for "크게 보기", or "내 정보 볼래요" for "내 정보": only when it points one way.
    for within in (
        {value for value, key in keyed if len(typed) >= 2 and typed in key},
        {value for value, key in keyed if len(key) >= 2 and key in typed},
    ):
        if len(within) == 1:
            return within.pop()
    ranked = best_matches(text, [(v, k) for v, k in keyed if k])
    return ranked[0][0] if is_clear_winner(ranked) else None

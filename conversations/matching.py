"""Typed answers matched to the offered choices, forgiving typos, spacing and numbering.

Hangul is compared on decomposed jamo (Unicode NFD), so a typo inside one syllable
(인게동 for 인계동) costs one letter, not a whole syllable.
"""

import re
import tomllib
import unicodedata
from collections.abc import Sequence
from functools import cache, lru_cache
from pathlib import Path

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from conversations.numbers import ordinal
from conversations.values import DONE, LEAVE, NAV

_KEEP = re.compile(r"[^\w]|_", re.UNICODE)
_SPACED_DIGITS = re.compile(r"\d\s+\d")
WORDS_DIR = Path(__file__).parent / "data" / "words"
# Which of the engine's values and which options a meaning's words name.
MEANINGS = {
    NAV("back"): "back",
    NAV("home"): "home",
    NAV("help"): "help",
    NAV("cancel"): "leave",
    DONE: "done",
    "yes": "yes",
    "agree": "yes",
    "no": "no",
    "refuse": "no",
    LEAVE("keep"): "yes",  # "작성 중인 내용은 저장해 둘까요?" 네 / 아니요
    LEAVE("drop"): "no",
}

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
    """ "1", "１", "1번", "1.", "둘째", "세 번째", "셋", "삼번" → the position typed."""
    folded = unicodedata.normalize("NFKC", text)
    if _SPACED_DIGITS.search(folded):
        return None
    return ordinal(folded.strip().rstrip("."))


class Word(str):
    """An everyday word for a meaning (네, 뒤로): it names a choice only when typed as it is
    (or with one slip), never as part of a longer answer ("동의" in "동의하지 않아요")."""


@cache
def words() -> dict[str, tuple[str, ...]]:
    """Everyday words for each meaning (back, home, help, leave, yes, no), every language."""
    found: dict[str, list[str]] = {}
    for path in sorted(WORDS_DIR.glob("*.toml")):
        with path.open("rb") as handle:
            for meaning, listed in tomllib.load(handle).items():
                found.setdefault(meaning, []).extend(Word(word) for word in listed)
    return {meaning: tuple(listed) for meaning, listed in found.items()}


def with_words(choices: Sequence[tuple[str, Sequence[str]]]) -> list[tuple[str, list[str]]]:
    """The choices, each also named by the everyday words of its meaning, if it has one."""
    vocabulary = words()
    return [
        (value, [*labels, *vocabulary.get(MEANINGS.get(value, ""), ())])
        for value, labels in choices
    ]


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


# What people add after the words of a button, longest first: polite endings, then particles.
ENDINGS = ("해주세요", "할게요", "할래요", "해요", "주세요", "입니다", "이에요", "예요", "이요",
           "요", "으로", "로", "을", "를", "은", "는", "이", "가")  # fmt: skip


def without_endings(typed: str) -> list[str]:
    """`typed` (normalized) with its endings taken off one at a time: 교통으로할게요 → 교통으로
    → 교통. Never down to a single syllable, where a particle could be the word itself."""
    found: list[str] = []
    word = typed
    while True:
        ending = next((e for e in ENDINGS if word.endswith(e) and len(word) - len(e) >= 2), None)
        if ending is None:
            return found
        word = word[: -len(ending)]
        found.append(word)


def pick(
    text: str, choices: Sequence[tuple[str, Sequence[str]]], *, within: bool = True
) -> str | None:
    """The value of the choice the citizen meant, or None when unsure.

    `choices` holds (value, labels) in display order; labels may be in any language.
    `within=False` leaves out labels found inside longer words, which the main menu asks
    the intents about first ("다른 사람 제안 구경" holds 제안 but is no new proposal).
    """
    typed = normalize(text)
    keyed = [(value, normalize(label)) for value, labels in choices for label in labels]
    labelled = [
        (value, normalize(label))
        for value, labels in choices
        for label in labels
        if not isinstance(label, Word)
    ]
    # A label is read as itself first: "13번" is the bus route when a button says so; then
    # without the particles and endings people add ("복지요", "교통으로 할게요").
    for candidate in (typed, *without_endings(typed)):
        for value, key in keyed:
            if key and key == candidate:
                return value
    number = choice_number(text)
    if number is not None and 1 <= number <= len(choices):
        return choices[number - 1][0]
    if not typed:
        return None
    # "크게" for "크게 보기", or "내 정보 볼래요" for "내 정보": only when it points one way.
    for form in (typed, *without_endings(typed)) if within else ():
        for found in (
            {value for value, key in labelled if len(form) >= 2 and form in key},
            {value for value, key in labelled if len(key) >= 2 and key in form},
        ):
            if len(found) == 1:
                return found.pop()
    ranked = best_matches(text, [(v, k) for v, k in keyed if k])
    if is_clear_winner(ranked):
        return ranked[0][0]
    return _one_letter_off(typed, keyed)


def _one_letter_off(typed: str, keyed: Sequence[tuple[str, str]]) -> str | None:
    """A word of two or more syllables typed with one wrong letter (메뉴 as 매뉴), if only one
    choice is that close: on short words a ratio cannot tell one slip from another word."""
    if len(typed) < 2:
        return None
    close = {
        value
        for value, key in keyed
        if len(key) == len(typed) and Levenshtein.distance(jamo(typed), jamo(key)) == 1
    }
    return close.pop() if len(close) == 1 else None


def means(text: str, meaning: str) -> bool:
    """Whether `text` is one of the everyday words for `meaning`, as typed or with one slip."""
    typed = normalize(text)
    keys = [normalize(word) for word in words().get(meaning, ())]
    if any(form in keys for form in (typed, *without_endings(typed))):
        return True
    return len(typed) >= 3 and any(
        len(key) == len(typed) and Levenshtein.distance(jamo(typed), jamo(key)) == 1
        for key in keys
    )

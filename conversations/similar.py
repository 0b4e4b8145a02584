"""Finding proposals that say the same thing, however they are spaced, ordered, mistyped or
worded.

A proposal becomes a few weighted terms: particles (은/는/을/를…), request endings (해 주세요,
요청합니다…) and how it should change (설치, 확대…) go; everyday words become one word
(보안등 → 가로등, `data/similar.toml`); who it is for weighs most, where it is least, so the
same place with another object, or the same object for other people, is another proposal.
Two proposals score by how much of each one's weight the other covers: the same word, a
typo of it (jamo compared with rapidfuzz), or a piece of a compound spaced differently.

An index of 100,000 proposals first picks candidates by shared syllable pairs (an inverted
index), then scores only those: `bench/similar.py` measures both against a full scan and
the threshold on a labelled pair set (`tests/conversations/similar_pairs.csv`).
"""

import math
import re
import tomllib
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from rapidfuzz import fuzz

from conversations.districts import suwon

# The score (0-100) at and above which two proposals are the same idea, chosen on the pair set.
CUTOFF = 56.0
_WORD = re.compile(r"[0-9a-z가-힣]+")
_PARTICLES = (
    "에서는",
    "으로는",
    "에서도",
    "에도",
    "에서",
    "으로",
    "에게",
    "까지",
    "부터",
    "처럼",
    "보다",
    "마다",
    "은",
    "는",
    "을",
    "를",
    "에",
    "의",
    "이랑",
    "와",
    "과",
    "랑",
    "이",
    "가",
    "로",
    "들",
)
# Particles that follow only a syllable with (이, 은, 을, 과) or without (가, 는, 를, 와, 로) a
# final consonant: 와이파이 does not end in the particle 이.
_AFTER_CONSONANT = {"이", "은", "을", "과"}
_AFTER_VOWEL = {"가", "는", "를", "와", "로"}
_ASKING = {
    "주세요",
    "해주세요",
    "해줘요",
    "바랍니다",
    "요청",
    "요청합니다",
    "요청드립니다",
    "부탁",
    "부탁드립니다",
    "부탁드려요",
    "제안",
    "제안합니다",
    "건의",
    "건의합니다",
    "필요합니다",
    "필요해요",
    "원합니다",
    "합니다",
    "해요",
    "있으면",
    "좋겠습니다",
    "좋겠어요",
    "해",
    "좀",
    "너무",
    "정말",
    "진짜",
    "제발",
    "많이",
    "꼭",
    "빨리",
    "주시면",
    "주셨으면",
    "감사하겠습니다",
    "감사합니다",
    "있었으면",
    "시급합니다",
    "시급해요",
    "바래요",
    "있게",
    "있도록",
    "수원시",
    "수원",
}
# How something should change says little about what it is: these are dropped too.
_ACTIONS = {
    "설치",
    "늘려",
    "확대",
    "확충",
    "연장",
    "줄여",
    "축소",
    "바꿔",
    "교체",
    "고쳐",
    "수리",
    "정비",
    "개선",
    "높여",
    "낮춰",
    "인하",
    "만들어",
    "조성",
    "지정",
    "해결",
    "강화",
    "시작",
    "치워",
    "청소",
    "알려",
    "안내",
    "열어",
    "개설",
    "넓혀",
    "확장",
    "깔아",
    "대책",
    "놔",
    "놓아",
    "달아",
    "붙여",
    "세워",
    "신설",
    "단축",
    "밝혀",
    "개관",
    "개방",
    "새로",
    "새것",
    "더",
    "자주",
    "밝게",
    "단속",
    "관리",
    "운영",
    "지원",
}
_VERB_ENDINGS = ("해주세요", "주세요", "해줘요", "해주시면", "해", "하기", "합니다", "해요")
_DATA = tomllib.loads((Path(__file__).parent / "data" / "similar.toml").read_text("utf-8"))
_SYNONYM: dict[str, str] = {
    variant.casefold(): word.casefold()
    for word, variants in _DATA["synonyms"].items()
    for variant in variants
}
# A variant of three syllables or more also opens a longer word (강아지놀이터); shorter ones
# would change too much (주차 in 주차장).
_SYNONYM_PREFIX = re.compile(
    "^("
    + "|".join(re.escape(v) for v in sorted(_SYNONYM, key=len, reverse=True) if len(v) >= 3)
    + ")"
)
_CANONICAL = frozenset(_SYNONYM.values())
# Variants of more than one word ("햇빛 가리개", "앉을 곳") are read as their word before the
# text is split, however they are spaced; the longest first.
_PHRASES = sorted((v for v in _SYNONYM if " " in v), key=len, reverse=True)
_PHRASE = (
    re.compile("|".join(r"\s*".join(map(re.escape, v.replace(" ", ""))) for v in _PHRASES))
    if _PHRASES
    else None
)
_KINDS = {word.casefold(): kind for kind, words in _DATA["words"].items() for word in words}
_WEIGHTS: dict[str, float] = _DATA["weights"]
# Kinds of words that tell two proposals apart when both say one and they differ.
_CONTRASTS = tuple(_DATA["contrasts"]["kinds"])
CONTRAST_PENALTY: float = _DATA["contrasts"]["penalty"]
# A term a typo away from another (compared letter by letter in jamo) still covers it.
TYPO_SCORE = 80.0
# Candidates scored per search, picked by shared syllable pairs.
CANDIDATES = 100
# A syllable pair found in more than this share of proposals picks no candidates by itself.
COMMON_PAIR_SHARE = 0.2


@cache
def _places() -> frozenset[str]:
    """Suwon's gu and dong names, with and without 구/동 (매탄동, 매탄)."""
    districts = suwon()
    names = set(districts.dongs) | set(districts.gus)
    names |= {name[:-1] for name in names if len(name) > 2}
    return frozenset(re.sub(r"[0-9]", "", name) for name in names)


@dataclass(frozen=True, slots=True)
class Term:
    text: str
    jamo: str
    kind: str
    weight: float


def terms(text: str) -> tuple[Term, ...]:
    """What a proposal is about: its content words, each once, with the weight of its kind."""
    found: dict[str, Term] = {}
    folded = unicodedata.normalize("NFKC", text).casefold()
    if _PHRASE is not None:
        folded = _PHRASE.sub(lambda m: f" {_SYNONYM[_spaced(m[0])]} ", folded)
    for word in _WORD.findall(folded):
        term = _term(word)
        if term is not None:
            found.setdefault(term.text, term)
    return tuple(found.values())


@lru_cache(maxsize=65536)
def _term(word: str) -> Term | None:
    """One word as a term, or None when it says nothing about the topic (cached: proposals
    share most of their words, and this is most of the time an index takes to build)."""
    if word in _ASKING:
        return None
    word = _strip(_SYNONYM.get(word, word))
    if not word or word in _ASKING or word in _ACTIONS:
        return None
    word = _SYNONYM.get(word) or _SYNONYM_PREFIX.sub(lambda m: _SYNONYM[m[1]], word)
    if word in _places():
        kind = "place"
    elif word in _KINDS:
        kind = _KINDS[word]
    elif len(word) < 2:
        return None  # an unknown one-syllable word (수, 쓸) says nothing about the topic
    else:
        kind = "thing"
    return Term(word, unicodedata.normalize("NFD", word), kind, _WEIGHTS[kind])


@cache
def _spaced(found: str) -> str:
    """The phrase variant that a match of `_PHRASE` is, whatever spacing it was typed with."""
    letters = re.sub(r"\s+", "", found)
    return next(v for v in _PHRASES if v.replace(" ", "") == letters)


def _strip(word: str) -> str:
    """The word without its request ending or particle; a known word is kept whole (어린이
    does not end in the particle 이), and a known one-syllable word may be what is left
    (앞에 → 앞)."""
    if _known(word):
        return word
    for ending in _VERB_ENDINGS:
        stem = word[: -len(ending)]
        if word.endswith(ending) and (len(stem) > 1 or stem in _ACTIONS):
            return stem
    for particle in _PARTICLES:
        stem = word[: -len(particle)]
        if word.endswith(particle) and (len(stem) > 1 or _known(stem)) and _fits(stem, particle):
            return stem
    return word


def _fits(stem: str, particle: str) -> bool:
    last = ord(stem[-1]) - 0xAC00
    if not 0 <= last < 11172:  # not a Hangul syllable
        return True
    final = last % 28
    if particle in _AFTER_CONSONANT:
        return final != 0
    if particle == "로":
        return final in (0, 8)  # 로 follows a vowel or ㄹ (도로로, 길로)
    if particle in _AFTER_VOWEL:
        return final == 0
    return True


def _known(word: str) -> bool:
    return word in _KINDS or word in _SYNONYM or word in _CANONICAL or word in _places()


def _covered(term: Term, others: tuple[Term, ...]) -> float:
    """How much of `term` the other proposal says: 1 for the same word or a compound holding
    it, the share of its letters for a compound spaced apart, less for a typo."""
    text = term.text
    best = 0.0
    letters = [False] * len(text)
    for other in others:
        if other.text == text or (len(text) > 1 and text in other.text):
            return 1.0
        if len(other.text) > 1 and other.text in text:
            at = text.index(other.text)
            letters[at : at + len(other.text)] = [True] * len(other.text)
        typo = fuzz.ratio(term.jamo, other.jamo, score_cutoff=TYPO_SCORE)
        best = max(best, typo / 100)
    return max(best, sum(letters) / len(text))


def score_terms(a: tuple[Term, ...], b: tuple[Term, ...]) -> float:
    """0-100: the share of both proposals' weight that the other one covers; less when both
    say who or which one and they differ (어린이 / 노인 보호구역)."""
    total = sum(t.weight for t in a) + sum(t.weight for t in b)
    if not total:
        return 0.0
    covered_a = [_covered(t, b) for t in a]
    covered_b = [_covered(t, a) for t in b]
    said = sum(t.weight * c for t, c in zip(a, covered_a, strict=True))
    said += sum(t.weight * c for t, c in zip(b, covered_b, strict=True))
    score = 100 * said / total
    for kind in _CONTRASTS:
        mine = [c for t, c in zip(a, covered_a, strict=True) if t.kind == kind]
        theirs = [t for t in b if t.kind == kind]
        if mine and theirs and max(mine) < 0.5:
            score *= CONTRAST_PENALTY
    return score


def similarity(a: str, b: str) -> float:
    """0-100: how surely two texts propose the same thing (CUTOFF and above: the same)."""
    return score_terms(terms(a), terms(b))


def _pairs(found: tuple[Term, ...]) -> set[str]:
    """Syllable pairs of every term (a one-syllable term stands for itself)."""
    pairs = set()
    for term in found:
        text = term.text
        if len(text) < 2:
            pairs.add(text)
        pairs.update(text[i : i + 2] for i in range(len(text) - 1))
    return pairs


class SimilarIndex:
    """Terms of open proposals in memory, with an inverted index on their syllable pairs.

    A search counts, for each proposal, the query's syllable pairs it shares (pairs found in
    a fifth of all proposals or more are left out while rarer ones exist), scores the best
    `CANDIDATES` of them, and returns the best above the cutoff. A reworded proposal's
    postings are replaced and a removed one's dropped, so the index holds what the open
    proposals say, however often they are read again.
    """

    def __init__(self) -> None:
        self._terms: list[tuple[Term, ...] | None] = []
        self._ids: list[int] = []
        self._slot: dict[int, int] = {}
        self._postings: dict[str, list[int]] = {}
        self._lengths: list[float] = []  # square root of each proposal's number of pairs

    def __len__(self) -> int:
        return len(self._slot)

    def add(self, proposal_id: int, text: str) -> None:
        """Indexes a proposal, or replaces its words: pairs it no longer has are unposted,
        new ones posted, and reading the same proposal again leaves the index as it was."""
        found = terms(text)
        pairs = _pairs(found)
        slot = self._slot.get(proposal_id)
        if slot is None:
            slot = self._slot[proposal_id] = len(self._terms)
            self._terms.append(found)
            self._ids.append(proposal_id)
            self._lengths.append(math.sqrt(len(pairs) or 1))
            posted: set[str] = set()
        else:
            before = self._terms[slot]
            posted = _pairs(before) if before is not None else set()
            self._terms[slot] = found
            self._lengths[slot] = math.sqrt(len(pairs) or 1)
            self._unpost(slot, posted - pairs)
        for pair in pairs - posted:
            self._postings.setdefault(pair, []).append(slot)

    def postings(self) -> int:
        """How many (pair, proposal) entries the index holds: it grows with new words only."""
        return sum(len(slots) for slots in self._postings.values())

    def add_all(self, items: Iterable[tuple[int, str]]) -> None:
        for proposal_id, text in items:
            self.add(proposal_id, text)

    def remove(self, proposal_id: int) -> None:
        """Forgets a proposal (hidden or merged); shown again, it is added afresh."""
        slot = self._slot.pop(proposal_id, None)
        if slot is not None:
            before = self._terms[slot]
            self._terms[slot] = None
            self._unpost(slot, _pairs(before) if before is not None else set())

    def _unpost(self, slot: int, pairs: set[str]) -> None:
        """Takes `slot` out of these pairs' lists (a rewording or a removal: rare, so a
        list's linear removal costs less than keeping sets for every pair)."""
        for pair in pairs:
            slots = self._postings.get(pair)
            if slots is not None and slot in slots:
                slots.remove(slot)
                if not slots:
                    del self._postings[pair]

    def search(self, text: str, *, limit: int = 3, cutoff: float = CUTOFF) -> list[int]:
        """The ids of the most similar proposals, best first."""
        query = terms(text)
        if not query:
            return []
        scored = []
        for slot in self._candidates(query):
            found = self._terms[slot]
            if found is not None:
                score = score_terms(query, found)
                if score >= cutoff:
                    scored.append((-score, slot))
        scored.sort()
        return [self._ids[slot] for _, slot in scored[:limit]]

    def _candidates(self, query: tuple[Term, ...]) -> list[int]:
        lists = sorted(
            (self._postings[pair] for pair in _pairs(query) if pair in self._postings), key=len
        )
        common = COMMON_PAIR_SHARE * len(self._terms)
        rare = [slots for slots in lists if len(slots) <= common]
        counts: Counter[int] = Counter()
        for slots in rare or lists:
            counts.update(slots)
        # Of the proposals sharing the most pairs, the shortest first: many long proposals
        # that share a place and a word must not crowd out a short one that says just that.
        sharing = counts.most_common(CANDIDATES * 5)
        sharing.sort(key=lambda item: item[1] / self._lengths[item[0]], reverse=True)
        return [slot for slot, _ in sharing[:CANDIDATES]]


CLUSTER_CUTOFF = CUTOFF


def similar_groups(items: list[tuple[int, str]]) -> list[list[int]]:
    """Groups of two or more ids whose texts look alike (linked pairs join one group)."""
    index = SimilarIndex()
    index.add_all(items)
    parent = {item_id: item_id for item_id, _ in items}

    def root(item_id: int) -> int:
        while parent[item_id] != item_id:
            parent[item_id] = parent[parent[item_id]]
            item_id = parent[item_id]
        return item_id

    for item_id, text in items:
        for other in index.search(text, limit=5, cutoff=CLUSTER_CUTOFF):
            parent[root(other)] = root(item_id)
    groups: dict[int, list[int]] = {}
    for item_id, _ in items:
        groups.setdefault(root(item_id), []).append(item_id)
    return [sorted(group) for group in groups.values() if len(group) > 1]

"""Finding proposals that say the same thing, however they are spaced, ordered or mistyped.

A proposal's key keeps what it is about and drops how it is asked: particles (은/는/을/를…)
and request endings (해 주세요, 요청합니다…) go, words are sorted, and Hangul is decomposed
into jamo so a typo inside a syllable costs one letter. Keys are compared with rapidfuzz;
`bench/similar.py` chose the scorer by recall and speed on 100,000 proposals.
"""

import re
import unicodedata
from collections.abc import Iterable

from rapidfuzz import fuzz, process

SCORER = fuzz.ratio
CUTOFF = 60.0
_WORD = re.compile(r"[0-9a-z가-힣]+")
_PARTICLES = (
    "에서는",
    "으로는",
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
    "와",
    "과",
)
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


def similarity_key(text: str) -> str:
    """What a proposal is about, in a form that survives rewording and typos."""
    words = []
    for word in _WORD.findall(unicodedata.normalize("NFKC", text).casefold()):
        if word in _ASKING:
            continue
        word = _strip(word)
        if word and word not in _ASKING and word not in _ACTIONS:
            words.append(word)
    return unicodedata.normalize("NFD", " ".join(sorted(_pieces(words))))


def _pieces(words: list[str]) -> set[str]:
    """Syllable pairs of every word: 어린이보호구역 and 어린이 보호구역 share nearly all."""
    pieces = set()
    for word in words:
        if len(word) < 3:
            pieces.add(word)
        pieces.update(word[i : i + 2] for i in range(len(word) - 1))
    return pieces


def _strip(word: str) -> str:
    for ending in _VERB_ENDINGS:
        if word.endswith(ending) and len(word) > len(ending) + 1:
            return word[: -len(ending)]
    for particle in _PARTICLES:
        if word.endswith(particle) and len(word) > len(particle) + 1:
            return word[: -len(particle)]
    return word


class SimilarIndex:
    """Keys of open proposals in memory, searched by a full rapidfuzz scan.

    A scan of 100,000 keys stays within the latency budget (see the benchmark), so there is
    no candidate index to keep consistent. Removed proposals leave a hole (None), which
    rapidfuzz skips.
    """

    def __init__(self) -> None:
        self._keys: list[str | None] = []
        self._ids: list[int] = []
        self._slot: dict[int, int] = {}

    def __len__(self) -> int:
        return len(self._slot)

    def add(self, proposal_id: int, text: str) -> None:
        key = similarity_key(text)
        if proposal_id in self._slot:
            self._keys[self._slot[proposal_id]] = key
            return
        self._slot[proposal_id] = len(self._keys)
        self._keys.append(key)
        self._ids.append(proposal_id)

    def add_all(self, items: Iterable[tuple[int, str]]) -> None:
        for proposal_id, text in items:
            self.add(proposal_id, text)

    def remove(self, proposal_id: int) -> None:
        slot = self._slot.pop(proposal_id, None)
        if slot is not None:
            self._keys[slot] = None

    def search(self, text: str, *, limit: int = 3, cutoff: float = CUTOFF) -> list[int]:
        """The ids of the most similar proposals, best first."""
        key = similarity_key(text)
        if not key:
            return []
        found = process.extract(
            key, self._keys, scorer=SCORER, processor=None, limit=limit, score_cutoff=cutoff
        )
        return [self._ids[slot] for _, _, slot in found]


CLUSTER_CUTOFF = 75.0


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

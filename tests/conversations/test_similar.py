"""Similar proposals are found despite spacing, word order, particles, endings, typos and
everyday words, and proposals about another object or for other people are not."""

import csv
from pathlib import Path

import pytest

from conversations.similar import CUTOFF, SimilarIndex, similarity, terms

PAIRS = Path(__file__).with_name("similar_pairs.csv")
PROPOSALS = {
    1: "매탄동 버스정류장에 그늘막을 설치해 주세요",
    2: "어린이 보호구역 과속 단속 카메라를 설치해 주세요",
    3: "공원 운동기구를 새것으로 바꿔 주세요",
    4: "도서관 야간 운영 시간을 늘려 주세요",
}


def index() -> SimilarIndex:
    built = SimilarIndex()
    built.add_all(PROPOSALS.items())
    return built


def test_order_particles_and_request_endings_do_not_change_the_terms() -> None:
    words = {term.text for term in terms("매탄동 버스정류장에 그늘막을 설치 요청합니다!")}
    assert words == {term.text for term in terms("버스정류장 그늘막 매탄동")}


def test_particles_are_stripped_only_where_korean_puts_them() -> None:
    assert {t.text for t in terms("공공와이파이가 어린이에게")} == {"공공와이파이", "어린이"}
    assert {t.text for t in terms("산책로가 앞에 도로로")} == {"산책로", "앞", "도로"}


def test_everyday_words_read_as_one() -> None:
    assert similarity("골목길 보안등", "골목길 가로등") == 100
    assert similarity("강아지놀이터", "반려견 놀이터") == 100


def test_a_differently_spaced_compound_still_finds_its_proposal() -> None:
    assert index().search("매탄동 버스 정류장 그늘막")[0] == 1


def test_a_reworded_and_mistyped_proposal_finds_the_original_first() -> None:
    assert index().search("어린이보호구역 과속단속 카메로 설치")[0] == 2
    assert index().search("그느막 버스정류장 매탄동")[0] == 1
    assert index().search("공원 운동 기구 교체")[0] == 3


def test_the_same_place_for_other_people_or_another_object_is_not_offered() -> None:
    assert index().search("노인 보호구역 과속 단속") == []
    assert index().search("매탄동 버스정류장 노선 안내판") == []


def test_unrelated_or_empty_text_finds_nothing() -> None:
    assert index().search("반려견 놀이터") == []
    assert index().search("주세요!!") == []


def test_removed_proposals_are_not_offered_and_updates_replace_the_text() -> None:
    found = index()
    found.remove(4)
    assert found.search("도서관 야간 운영 시간") == []
    found.add(3, "도서관 야간 운영 시간 연장")
    assert found.search("도서관 야간 운영 시간") == [3]
    assert len(found) == 3


@pytest.mark.parametrize("half", ["tune", "held"])
def test_the_labelled_pairs_are_told_apart_at_the_shipped_cutoff(half: str) -> None:
    """F1 on each half of the pair set stays at or above 0.96: "tune" is what the lexicon
    and the cutoff were chosen on, "held" was never tuned on (bench/similar.py prints both)."""
    with PAIRS.open(encoding="utf-8") as file:
        rows = [row for row in csv.DictReader(file) if row["half"] == half]
    kinds = {row["kind"] for row in rows}
    assert "meaning" in kinds
    if half == "tune":
        assert {"spacing", "typo", "synonym", "place", "near", "common", "verb"} <= kinds
    found = [(similarity(row["a"], row["b"]) >= CUTOFF, row["same"] == "1") for row in rows]
    true_pos = sum(guess and same for guess, same in found)
    wrong = sum(guess != same for guess, same in found)
    assert 2 * true_pos / (2 * true_pos + wrong) >= 0.96


def test_the_same_idea_in_other_words_is_found() -> None:
    assert similarity("공원에 벤치를 더 설치해 주세요", "공원에 의자 좀 더 놔주세요") >= CUTOFF
    assert similarity("자전거 도로 분리", "자전거랑 사람 길 나눠 주세요") >= CUTOFF
    assert similarity("버스정류장 그늘막 설치", "정류장에 햇빛 가리개 만들어 주세요") >= CUTOFF
    assert similarity("골목길 가로등 설치", "골목에 전등 달아 주세요") >= CUTOFF


def test_reading_the_same_proposals_again_does_not_grow_the_index_and_rewording_replaces() -> None:
    found = SimilarIndex()
    titles = [(n, f"{n}번 공원 벤치와 가로등을 늘려 주세요") for n in range(1, 200)]
    found.add_all(titles)
    size = found.postings()
    for _ in range(1000):  # each search's catch-up re-reads the newest proposal
        found.add(*titles[-1])
    found.add_all(titles)
    assert found.postings() == size
    found.add(5, "5번 공원 그늘막 설치")  # new words for one: its postings are replaced
    fresh = SimilarIndex()
    fresh.add_all([*titles[:4], (5, "5번 공원 그늘막 설치"), *titles[5:]])
    assert found.postings() == fresh.postings()
    assert found.search("공원 그늘막") == [5]
    found.remove(5)  # hidden: its postings go too
    fresh.remove(5)
    assert found.postings() == fresh.postings() < size
    assert found.search("공원 그늘막") == []

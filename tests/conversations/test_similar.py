"""Similar proposals are found despite spacing, word order, particles, endings and typos."""

from conversations.similar import SimilarIndex, similarity_key

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


def test_order_particles_and_request_endings_do_not_change_the_key() -> None:
    assert similarity_key("버스정류장 그늘막 매탄동") == similarity_key(
        "매탄동 버스정류장에 그늘막을 설치 요청합니다!"
    )


def test_a_differently_spaced_compound_still_finds_its_proposal() -> None:
    assert index().search("매탄동 버스 정류장 그늘막")[0] == 1


def test_a_reworded_and_mistyped_proposal_finds_the_original_first() -> None:
    assert index().search("어린이보호구역 과속단속 카메로 설치")[0] == 2
    assert index().search("그느막 버스정류장 매탄동")[0] == 1
    assert index().search("공원 운동 기구 교체")[0] == 3


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

"""Staff find proposals by words and parts of words, in the title or the text, every word
counting, title hits first; a typed % or _ is a character, not a wildcard."""

from sqlalchemy import Engine, delete, update

from storage import proposals
from storage.models import Proposal
from tests.auxil.factories import make_proposal


def titles(db: Engine, text: str) -> list[str]:
    with db.connect() as connection:
        rows, total = proposals.search(connection, text=text)
    assert total == len(rows)
    return [row.title for row in rows]


def test_two_words_from_title_and_text_find_the_proposal(db: Engine) -> None:
    shade = make_proposal(db, title="버스 정류장 그늘막")
    make_proposal(db, title="정류장 의자")
    with db.begin() as connection:
        connection.execute(
            update(Proposal).where(Proposal.id == shade).values(body="한낮 햇빛이 너무 뜨거워요")
        )
    assert titles(db, "정류장 햇빛") == ["버스 정류장 그늘막"]
    assert titles(db, "정류 햇") == ["버스 정류장 그늘막"]  # parts of words
    assert titles(db, "정류장 달빛") == []


def test_more_words_in_the_title_rank_first(db: Engine) -> None:
    make_proposal(db, title="공원 그늘막")  # 그늘막 in the title only
    make_proposal(db, title="공원 벤치와 그늘막 설치")
    with db.begin() as connection:
        connection.execute(update(Proposal).values(body="공원에 벤치가 필요해요"))
    assert titles(db, "그늘막 벤치")[0] == "공원 벤치와 그늘막 설치"


def test_a_typed_percent_sign_is_a_character_not_a_wildcard(db: Engine) -> None:
    make_proposal(db, title="주차 요금 50% 할인")
    make_proposal(db, title="주차 요금 인하")
    assert titles(db, "50%") == ["주차 요금 50% 할인"]
    assert titles(db, "_") == []


def test_what_the_index_holds_follows_edits_and_removals(db: Engine) -> None:
    """On SQLite the words come from a full-text index kept by triggers: an edited title is
    found by its new words only, a deleted proposal not at all."""
    lamp = make_proposal(db, title="가로등 고장 신고")
    with db.begin() as connection:
        connection.execute(update(Proposal).where(Proposal.id == lamp).values(title="보안등 교체"))
    assert titles(db, "가로등 고장") == []
    assert titles(db, "보안등") == ["보안등 교체"]
    with db.begin() as connection:
        connection.execute(delete(Proposal).where(Proposal.id == lamp))  # type: ignore[arg-type]
    assert titles(db, "보안등") == []


def test_quotes_and_search_operators_are_read_as_words(db: Engine) -> None:
    make_proposal(db, title='공원 "야간" 조명 AND 벤치')
    assert titles(db, '"야간"') == ['공원 "야간" 조명 AND 벤치']
    assert titles(db, "AND") == ['공원 "야간" 조명 AND 벤치']
    assert titles(db, 'NEAR( 조명" OR *') == []


def test_latin_letters_match_in_any_case_and_korean_as_typed(db: Engine) -> None:
    make_proposal(db, title="공원 CCTV 설치")
    assert titles(db, "cctv") == ["공원 CCTV 설치"]
    assert titles(db, "Cctv 공원") == ["공원 CCTV 설치"]
    assert titles(db, "설치") == ["공원 CCTV 설치"]

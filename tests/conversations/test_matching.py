"""Typed answers reach the right choice despite typos, spacing, numbering and language."""

import csv

import pytest

from conversations.districts import suwon
from conversations.matching import choice_number, pick
from tests.conftest import SHARED_DATA

YES_NO = [
    ("agree", ["동의합니다", "I agree"]),
    ("refuse", ["동의하지 않습니다", "I do not agree"]),
]
MENU = [("profile", ["⚙️ 내 정보·알림 설정"]), ("help", ["❓ 도움말", "❓ Help"])]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("1", "agree"),
        ("２", "refuse"),
        ("1번", "agree"),
        ("2.", "refuse"),
        ("동의합니다", "agree"),
        ("동의 합니다", "agree"),
        ("i agree", "agree"),
        ("동의하지않습니다", "refuse"),
        ("동의하지 안습니다", "refuse"),
    ],
)
def test_typed_text_picks_the_meant_choice(typed: str, expected: str) -> None:
    assert pick(typed, YES_NO) == expected


@pytest.mark.parametrize("typed", ["동의", "3", "0", "", "   ", "🙂", "무슨 말인지 모르겠어요"])
def test_ambiguous_or_unknown_text_picks_nothing(typed: str) -> None:
    assert pick(typed, YES_NO) is None


def test_part_of_a_label_or_a_sentence_around_it_picks_it() -> None:
    assert pick("내정보", MENU) == "profile"
    assert pick("도움말 좀 주세요", MENU) == "help"


def test_choice_numbers_accept_full_width_and_suffixes() -> None:
    assert [choice_number(t) for t in ("3", "３번", "12)", "번", "1 2")] == [3, 3, 12, None, None]


def aliases() -> list[tuple[str, str]]:
    path = SHARED_DATA / "suwon_district_aliases.csv"
    if not path.exists():
        pytest.skip("shared data not beside the repository")
    with path.open(encoding="utf-8") as handle:
        return [(row["alias"], row["dong_ko"]) for row in csv.DictReader(handle)]


def test_every_illustrative_alias_finds_its_dong() -> None:
    districts = suwon()
    for alias, dong in aliases():
        assert districts.match(alias).dong == dong, alias


def test_the_shipped_district_list_matches_the_shared_one() -> None:
    shared = SHARED_DATA / "suwon_districts.csv"
    if not shared.exists():
        pytest.skip("shared data not beside the repository")
    with shared.open(encoding="utf-8") as handle:
        names = {row["dong_ko"] for row in csv.DictReader(handle)}
    assert set(suwon().dongs) == names and len(names) == 44
    assert len(suwon().gus) == 4


def test_a_bare_stem_shared_by_numbered_dongs_offers_them_all() -> None:
    assert suwon().match("매탄").candidates == ("매탄1동", "매탄2동", "매탄3동", "매탄4동")


def test_a_district_name_drills_down_and_nonsense_offers_nothing_sure() -> None:
    assert suwon().match("영통구").gu == "영통구"
    assert suwon().match("paldal-gu").gu == "팔달구"
    assert suwon().match("서울특별시").dong is None

import pytest

from conversations.phone import normalize_phone


@pytest.mark.parametrize(
    ("typed", "normalized"),
    [
        ("010-1234-5678", "010-1234-5678"),
        ("01012345678", "010-1234-5678"),
        ("010 1234 5678", "010-1234-5678"),
        ("+82 10-1234-5678", "010-1234-5678"),
        ("+821012345678", "010-1234-5678"),
        ("０１０-１２３４-５６７８", "010-1234-5678"),
        ("011-123-4567", "011-123-4567"),
        ("031-228-2114", "031-228-2114"),
        ("02-120", None),
        ("(02) 2133 1234", "02-2133-1234"),
    ],
)
def test_common_korean_formats_are_normalized(typed: str, normalized: str | None) -> None:
    assert normalize_phone(typed) == normalized


@pytest.mark.parametrize("typed", ["", "전화번호", "010-1234", "123-4567-8901", "010-1234-5678-9"])
def test_non_numbers_are_refused(typed: str) -> None:
    assert normalize_phone(typed) is None


@pytest.mark.parametrize(
    ("typed", "normalized"),
    [
        ("공일공 일이삼사 오육칠팔", "010-1234-5678"),
        ("공일공-구팔칠육-오사삼이", "010-9876-5432"),
        ("016-123-4567", "016-123-4567"),
        ("019 1234 5678", "019-1234-5678"),
        ("064-712-3456", "064-712-3456"),
        ("070-1234-5678", "070-1234-5678"),
        ("02-123-4567", "02-123-4567"),
        ("821012345678", "010-1234-5678"),
    ],
)
def test_every_kind_of_korean_number_and_spoken_digits_are_read(
    typed: str, normalized: str
) -> None:
    assert normalize_phone(typed) == normalized


@pytest.mark.parametrize(
    "typed",
    [
        "010-123-4567",  # a mobile number is 010 and eight digits
        "010-1234-56789",
        "02-12-3456",
        "070-123-4567",
        "099-123-4567",  # no such area code
        "1234-5678",
        "공일공 일이삼",
    ],
)
def test_a_digit_too_few_or_too_many_is_refused_not_reformatted(typed: str) -> None:
    assert normalize_phone(typed) is None


@pytest.mark.parametrize(
    ("typed", "normalized"),
    [
        ("제 번호는 01012345678 입니다", "010-1234-5678"),
        ("010 1234 5678 이에요", "010-1234-5678"),
        ("공일공 1234 5678", "010-1234-5678"),
        ("제번호는01012345678이에요", "010-1234-5678"),
        ("전화 031 228 2114 로 주세요", "031-228-2114"),
        ("0505-123-4567", "0505-123-4567"),
        ("080-123-4567", "080-123-4567"),
        ("1588-1234", "1588-1234"),
    ],
)
def test_a_number_inside_a_sentence_and_every_kind_the_plan_has_are_read(
    typed: str, normalized: str
) -> None:
    assert normalize_phone(typed) == normalized


@pytest.mark.parametrize("typed", ["010-0000-0000", "010-1111-1111", "02-0000-0000"])
def test_obvious_placeholders_are_refused(typed: str) -> None:
    assert normalize_phone(typed) is None

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

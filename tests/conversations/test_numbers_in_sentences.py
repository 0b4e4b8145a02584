"""Ages and positions said inside a sentence, as residents type them."""

import pytest

from conversations.numbers import age_in, ordinal


@pytest.mark.parametrize(
    ("typed", "years"),
    [
        ("스무살", 20),
        ("저는 일흔두 살이에요", 72),
        ("올해 72세입니다", 72),
        ("나이는 72요", 72),
        ("칠십이세요", 72),
        ("아흔 살 넘었어요", 90),
    ],
)
def test_an_age_inside_a_sentence_is_read(typed: str, years: int) -> None:
    assert age_in(typed) == years


@pytest.mark.parametrize(
    "typed", ["세상이 좋아졌어요", "150살", "5살 7살", "애가 둘이에요 3살 5살"]
)
def test_no_age_or_more_than_one_is_not_guessed(typed: str) -> None:
    assert age_in(typed) is None


@pytest.mark.parametrize(
    ("typed", "position"), [("2번 할게요", 2), ("첫번째 거요", 1), ("세 번째로 할게요", 3)]
)
def test_a_position_in_a_few_words_is_read(typed: str, position: int) -> None:
    assert ordinal(typed) == position


def test_a_number_in_a_longer_sentence_is_no_position() -> None:
    assert ordinal("2번 버스가 너무 안 와요") is None

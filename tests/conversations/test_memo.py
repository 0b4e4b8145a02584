"""A remembered value is made once per key, and a full store starts again rather than grow."""

from conversations.memo import Memo


def test_a_value_is_made_once_for_its_key() -> None:
    made: list[str] = []
    kept: Memo[str, str] = Memo()

    def make(key: str) -> str:
        made.append(key)
        return key.upper()

    assert [kept.get(key, lambda key=key: make(key)) for key in "abab"] == ["A", "B", "A", "B"]
    assert made == ["a", "b"]


def test_a_full_store_forgets_what_it_kept_and_never_grows_past_its_size() -> None:
    kept: Memo[int, int] = Memo(size=3)
    for n in range(10):
        kept.get(n, lambda n=n: n * n)
        assert len(kept) <= 3
    assert kept.get(9, lambda: -1) == 81  # the latest is still there
    assert kept.get(0, lambda: -1) == -1  # the first was forgotten

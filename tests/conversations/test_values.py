"""The engine's own button values: written and read by one codec, apart from flow options."""

import pytest

from conversations.values import DONE, GU, NAV, NOTICE, SKIP, ValueKind, engine_kind


def test_a_value_reads_back_its_payload() -> None:
    assert NAV("back") == "nav:back"
    assert NAV.payload("nav:back") == "back"
    assert NOTICE.payload(NOTICE("mute:welfare")) == "mute:welfare"
    assert GU.payload("gu:장안구") == "장안구"


def test_a_value_of_another_kind_or_a_plain_option_has_no_payload() -> None:
    assert NAV.payload("flow:propose") is None
    assert NAV.payload("navigate") is None
    assert NAV.payload("done") is None


@pytest.mark.parametrize("prefix", ["", "a:b"])
def test_a_prefix_with_the_separator_or_nothing_is_refused(prefix: str) -> None:
    with pytest.raises(ValueError, match="prefix"):
        ValueKind(prefix)


def test_skip_and_done_are_engine_values_while_plain_words_are_options() -> None:
    assert engine_kind(SKIP) is not None and engine_kind(DONE) is not None
    assert engine_kind("done") is None and engine_kind("open:12") is None

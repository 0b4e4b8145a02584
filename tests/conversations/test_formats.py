"""Dates, numbers and English plurals as each language writes them."""

from datetime import date

from conversations.formats import Count, Day
from conversations.messages import default_catalog


def test_a_day_reads_with_its_weekday_in_each_language() -> None:
    assert f"{Day(date(2026, 11, 26), 'ko')}" == "11월 26일(목)"
    assert f"{Day(date(2026, 11, 26), 'en')}" == "Nov 26 (Thu)"


def test_numbers_have_thousands_separators_and_english_nouns_agree() -> None:
    assert f"{Count(12345, 'ko')}" == "12,345"
    assert f"{Count(1, 'en'):support|supports}" == "1 support"
    assert f"{Count(1204, 'en'):support|supports}" == "1,204 supports"


def test_the_catalogue_formats_what_flows_hand_it() -> None:
    catalog = default_catalog()
    line = catalog.text("en", "browse.line", n=1, title="Shade", supports=1, status="new")
    assert line == "1) Shade (1 support · new)"
    korean = catalog.text("ko", "browse.answer_due", date=date(2026, 12, 24))
    assert "12월 24일(목)까지" in korean

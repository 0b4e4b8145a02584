"""The results picture: one bar per answer, filled to the share of people who chose it, with
the question and the answers in words, and the citizen's own answer marked."""

import io

import pytest
from PIL import Image, ImageChops

from runtime.chart import (
    BAR,
    BAR_COLOUR,
    FIGURES,
    GAP,
    MARGIN,
    MINE_COLOUR,
    TEXT_SIZE,
    TRACK_COLOUR,
    WIDTH,
    bar_chart,
    korean_font,
)

needs_font = pytest.mark.skipif(
    korean_font(TEXT_SIZE) is None, reason="no Korean font here (Debian's fonts-noto-cjk)"
)


def picture(*args, **kwargs) -> Image.Image:  # type: ignore[no-untyped-def]
    return Image.open(io.BytesIO(bar_chart(*args, **kwargs))).convert("RGB")


def test_each_bar_is_filled_to_its_percentage_and_mine_is_blue() -> None:
    drawn = picture([("1", 124, 62), ("2", 0, 0), ("3", 76, 38)], mine=(2,))
    assert drawn.size[0] == WIDTH
    track = WIDTH - MARGIN * 2 - FIGURES
    row = TEXT_SIZE + 10 + BAR + GAP
    middle = MARGIN + TEXT_SIZE + 10 + BAR // 2
    assert drawn.getpixel((MARGIN + int(track * 0.60), middle)) == BAR_COLOUR
    assert drawn.getpixel((MARGIN + int(track * 0.64), middle)) == TRACK_COLOUR
    assert drawn.getpixel((MARGIN + 2, middle + row)) == TRACK_COLOUR
    assert drawn.getpixel((MARGIN + int(track * 0.30), middle + 2 * row)) == MINE_COLOUR


@needs_font
def test_the_answers_words_are_drawn_in_the_picture(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The same figures with and without a label differ exactly where the words are; the
    picture is kept for a person to look at (`tmp_path`)."""
    worded = picture([("저녁 산책", 6, 60), ("밤", 4, 40)], title="언제 산책하시나요?\n응답 10명")
    blank = picture([("", 6, 60), ("밤", 4, 40)], title="언제 산책하시나요?\n응답 10명")
    worded.save(tmp_path / "chart.png")
    changed = ImageChops.difference(worded, blank).getbbox()
    assert changed is not None
    left, top, right, bottom = changed
    assert left >= MARGIN and right < WIDTH - FIGURES  # only the first label's place
    assert bottom - top <= TEXT_SIZE + 10
    untitled = picture([("저녁 산책", 6, 60), ("밤", 4, 40)])
    assert worded.size[1] > untitled.size[1]  # the question takes its lines on top

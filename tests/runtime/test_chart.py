"""The results picture: one bar per answer, filled to the share of people who chose it."""

import io

from PIL import Image

from runtime.chart import BAR_COLOUR, FIGURES, LABEL, MARGIN, ROW, TRACK_COLOUR, WIDTH, bar_chart


def test_each_bar_is_filled_to_its_percentage() -> None:
    picture = Image.open(io.BytesIO(bar_chart([("1", 124, 62), ("2", 0, 0)])))
    assert picture.format == "PNG" and picture.size == (WIDTH, MARGIN * 2 + ROW * 2)
    track = WIDTH - MARGIN * 2 - LABEL - FIGURES
    middle = MARGIN + ROW // 2
    left = MARGIN + LABEL
    assert picture.getpixel((left + int(track * 0.60), middle)) == BAR_COLOUR
    assert picture.getpixel((left + int(track * 0.64), middle)) == TRACK_COLOUR
    assert picture.getpixel((left + 2, middle + ROW)) == TRACK_COLOUR

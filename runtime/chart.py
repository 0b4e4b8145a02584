"""Survey results as a bar chart picture (PNG), drawn with Pillow.

The picture carries only numbers (bar 1, 2, … with percent and count); the caption beside it
names each numbered answer in the citizen's language, so no Korean font is needed here and
the same figures are there for anyone who cannot see the picture.
"""

import io
from collections.abc import Sequence

from PIL import Image, ImageDraw, ImageFont

WIDTH = 720
ROW = 64
MARGIN = 24
LABEL = 56
FIGURES = 170
BAR_COLOUR = (46, 125, 50)
TRACK_COLOUR = (225, 230, 225)
TEXT_COLOUR = (33, 33, 33)


def bar_chart(bars: Sequence[tuple[str, int, int]]) -> bytes:
    """A horizontal bar per (label, count, percent of the people who answered)."""
    height = MARGIN * 2 + ROW * len(bars)
    image = Image.new("RGB", (WIDTH, height), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=26)
    track = WIDTH - MARGIN * 2 - LABEL - FIGURES
    for n, (label, count, percent) in enumerate(bars):
        top = MARGIN + n * ROW
        left = MARGIN + LABEL
        draw.text((MARGIN, top + 12), label, fill=TEXT_COLOUR, font=font)
        draw.rectangle((left, top + 10, left + track, top + ROW - 14), fill=TRACK_COLOUR)
        filled = round(track * min(percent, 100) / 100)
        if filled:
            draw.rectangle((left, top + 10, left + filled, top + ROW - 14), fill=BAR_COLOUR)
        figure = f"{percent}% ({count})"
        draw.text((left + track + 16, top + 12), figure, fill=TEXT_COLOUR, font=font)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()

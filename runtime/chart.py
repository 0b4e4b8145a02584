"""Survey results as a bar chart picture (PNG), drawn with Pillow, with their words.

The picture names the question, each answer and how many answered, and marks the citizen's
own answer. Hangul needs a font: a Korean OpenType font a package installs (Debian's
`fonts-noto-cjk`, which the container image and CI install, or `fonts-nanum`), found where
the package puts it; nothing is downloaded. Without one, bars are numbered 1, 2, … and the
caption beside the picture (the same figures, in words) names them.
"""

import io
import os
from collections.abc import Collection, Sequence
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont

WIDTH = 720
MARGIN = 24
BAR = 30
GAP = 20
FIGURES = 150
TITLE_SIZE = 28
TEXT_SIZE = 24
BAR_COLOUR = (46, 125, 50)
MINE_COLOUR = (21, 101, 192)
TRACK_COLOUR = (225, 230, 225)
TEXT_COLOUR = (33, 33, 33)
FONT_FILES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/nanum/NanumGothic.ttf",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
)
Font = ImageFont.FreeTypeFont | ImageFont.ImageFont


@lru_cache(maxsize=4)
def korean_font(size: int) -> ImageFont.FreeTypeFont | None:
    """A font with Hangul at `size`, or None when the machine has none."""
    for path in FONT_FILES:
        if not os.path.exists(path):
            continue
        # A collection holds several faces; take the Korean one (Noto Sans CJK KR).
        for index in range(8 if path.endswith(".ttc") else 1):
            try:
                font = ImageFont.truetype(path, size, index=index)
            except OSError:
                break
            if not path.endswith(".ttc") or "KR" in " ".join(filter(None, font.getname())):
                return font
    return None


def bar_chart(
    bars: Sequence[tuple[str, int, int]], *, title: str = "", mine: Collection[int] = ()
) -> bytes:
    """A horizontal bar per (label, count, percent of the people who answered), under
    `title`; the bars numbered in `mine` (from 0) are the citizen's own answers, in blue."""
    text_font: Font | None = korean_font(TEXT_SIZE)
    title_font: Font | None = korean_font(TITLE_SIZE)
    worded = text_font is not None and title_font is not None
    if text_font is None or title_font is None:
        text_font = title_font = ImageFont.load_default(size=TEXT_SIZE)
    probe = ImageDraw.Draw(Image.new("RGB", (1, 1)))
    title_lines = _wrapped(probe, title, title_font, WIDTH - 2 * MARGIN) if worded else []
    line = TEXT_SIZE + 10
    row = line + BAR + GAP
    top = MARGIN + len(title_lines) * (TITLE_SIZE + 10) + (GAP if title_lines else 0)
    image = Image.new("RGB", (WIDTH, top + row * len(bars) + MARGIN - GAP), "white")
    draw = ImageDraw.Draw(image)
    for n, text in enumerate(title_lines):
        draw.text(
            (MARGIN, MARGIN + n * (TITLE_SIZE + 10)), text, fill=TEXT_COLOUR, font=title_font
        )
    track = WIDTH - MARGIN * 2 - FIGURES
    for n, (label, count, percent) in enumerate(bars):
        y = top + n * row
        name = label if worded else str(n + 1)
        colour = MINE_COLOUR if n in mine else BAR_COLOUR
        draw.text((MARGIN, y), _fitted(draw, name, text_font, track), fill=colour, font=text_font)
        bar_top = y + line
        draw.rectangle((MARGIN, bar_top, MARGIN + track, bar_top + BAR), fill=TRACK_COLOUR)
        filled = round(track * min(percent, 100) / 100)
        if filled:
            draw.rectangle((MARGIN, bar_top, MARGIN + filled, bar_top + BAR), fill=colour)
        figure = f"{percent}% ({count})"
        draw.text((MARGIN + track + 16, bar_top), figure, fill=TEXT_COLOUR, font=text_font)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _wrapped(draw: ImageDraw.ImageDraw, text: str, font: Font, width: int) -> list[str]:
    """`text` in lines that fit `width` (Korean wraps between syllables as well as words)."""
    lines: list[str] = []
    for paragraph in text.splitlines():
        current = ""
        for char in paragraph:
            if draw.textlength(current + char, font=font) > width and current:
                lines.append(current.rstrip())
                current = char.lstrip()
            else:
                current += char
        lines.append(current)
    return [line for line in lines if line][:4]


def _fitted(draw: ImageDraw.ImageDraw, text: str, font: Font, width: int) -> str:
    """`text`, cut with … if it would run past `width`."""
    if draw.textlength(text, font=font) <= width:
        return text
    while text and draw.textlength(text + "…", font=font) > width:
        text = text[:-1]
    return text + "…"

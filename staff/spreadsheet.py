"""CSV files that staff open in Excel: UTF-8 with a byte-order mark, and formula-safe.

A cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return is run by Excel as a
formula (OWASP's "CSV injection"); a citizen's proposal title can start that way. Such cells
get a leading apostrophe, which Excel shows as text and does not evaluate.

A `Sheet` is the file and its name, nothing of HTTP: the JSON API and the console each hand it
out as a download the same way.
"""

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


@dataclass(frozen=True)
class Sheet:
    """A finished spreadsheet: its text (byte-order mark first) and the file name offered."""

    text: str
    filename: str

    media_type = "text/csv; charset=utf-8"

    @property
    def headers(self) -> dict[str, str]:
        """What a download of it says: save as `filename`, and keep no copy in a cache."""
        return {
            "Content-Disposition": f'attachment; filename="{self.filename}"',
            "Cache-Control": "no-store",
        }


def sheet(header: Sequence[str], rows: Iterable[Sequence[object]], *, filename: str) -> Sheet:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([safe_cell(cell) for cell in header])
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return Sheet("\ufeff" + out.getvalue(), filename)

"""CSV files that staff open in Excel: UTF-8 with a byte-order mark, and formula-safe.

A cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return is run by Excel as a
formula (OWASP's "CSV injection"); a citizen's proposal title can start that way. Such cells
get a leading apostrophe, which Excel shows as text and does not evaluate.
"""

import csv
import io
from collections.abc import Iterable, Sequence

from fastapi.responses import Response

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_response(
    header: Sequence[str], rows: Iterable[Sequence[object]], *, filename: str
) -> Response:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([safe_cell(cell) for cell in header])
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return Response(
        "\ufeff" + out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )

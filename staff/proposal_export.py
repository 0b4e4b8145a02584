"""The proposals as a spreadsheet, for the JSON API and the console alike."""

from collections.abc import Iterable
from datetime import tzinfo
from typing import Any

from conversations.flows.propose import receipt
from staff.spreadsheet import Sheet, sheet
from storage.db import aware


def proposals_sheet(rows: Iterable[Any], zone: tzinfo) -> Sheet:
    """Times in ISO 8601 with their offset, in `zone` (the city's), so Excel and people agree."""
    header = ["receipt", "title", "body", "category", "dong", "status", "supports", "answer"]
    return sheet(
        [*header, "created_at"],
        (
            [
                receipt(r.id),
                r.title,
                r.body,
                r.category,
                r.dong,
                r.status,
                r.support_count,
                r.answer,
                aware(r.created_at).astimezone(zone).isoformat(timespec="seconds"),
            ]
            for r in rows
        ),
        filename="proposals.csv",
    )

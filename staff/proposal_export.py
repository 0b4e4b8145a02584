"""The proposals as a spreadsheet, for the JSON API and the console alike."""

from collections.abc import Iterable
from typing import Any

from conversations.flows.propose import receipt
from staff.spreadsheet import Sheet, sheet


def proposals_sheet(rows: Iterable[Any]) -> Sheet:
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
                r.created_at.isoformat(),
            ]
            for r in rows
        ),
        filename="proposals.csv",
    )

"""The proposals as a spreadsheet, for the JSON API and the console alike: Korean headers,
areas and statuses in words (as citizens read them), times with their offset."""

from collections.abc import Iterable, Mapping
from datetime import tzinfo
from typing import Any

from conversations.flows.propose import receipt
from conversations.messages import Catalog
from staff.case_words import word
from staff.spreadsheet import Sheet, sheet
from storage.db import aware

HEADER = [
    "접수번호",
    "제목",
    "내용",
    "분야",
    "동",
    "진행 상황",
    "공감 수",
    "시의 답변",
    "접수 시각",
    "창구 접수",
]


def proposals_sheet(
    rows: Iterable[Any], zone: tzinfo, catalog: Catalog, marks: Mapping[int, str]
) -> Sheet:
    """Times in ISO 8601 with their offset, in `zone` (the city's), so Excel and people agree;
    `marks` says which were filed at the counter, by whom and where."""
    return sheet(
        HEADER,
        (
            [
                receipt(r.id),
                r.title,
                r.body,
                word(catalog, "ko", f"interest.{r.category}"),
                r.dong,
                word(catalog, "ko", f"proposal.status.{r.status}"),
                r.support_count,
                r.answer,
                aware(r.created_at).astimezone(zone).isoformat(timespec="seconds"),
                marks.get(r.id, ""),
            ]
            for r in rows
        ),
        filename="proposals.csv",
    )

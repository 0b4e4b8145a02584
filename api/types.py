"""Types shared by the API's requests and responses."""

from typing import Annotated

from fastapi import Path, Query
from pydantic import AfterValidator

from conversations.flows.propose import receipt_number

MAX_ID = 2**31 - 1


# An id in a path: anything beyond the databases' integer range is a 422, not a crash.
ItemId = Annotated[int, Path(ge=1, le=MAX_ID)]
# How many rows a page skips; bounded like ids, so a huge number is a 422, not a crash.
Offset = Annotated[int, Query(ge=0, le=MAX_ID)]


def _proposal_number(value: str) -> int:
    number = receipt_number(value)
    if number is None or number > MAX_ID:
        raise ValueError("not a proposal: give its number or receipt, like P-000123")
    return number


# A proposal named by its number or its receipt number (P-000123), as staff read it.
ProposalRef = Annotated[
    str,
    Path(pattern=r"^\s*(?:[Pp]-?)?\d{1,10}\s*$", examples=["P-000123", "123"]),
    AfterValidator(_proposal_number),
]

"""Types shared by the API's requests and responses."""

import re
from typing import Annotated

from fastapi import Path, Query
from pydantic import BeforeValidator, WithJsonSchema

from conversations.flows.propose import receipt_number

MAX_ID = 2**31 - 1


# An id in a path: anything beyond the databases' integer range is a 422, not a crash.
ItemId = Annotated[int, Path(ge=1, le=MAX_ID)]
# How many rows a page skips; bounded like ids, so a huge number is a 422, not a crash.
Offset = Annotated[int, Query(ge=0, le=MAX_ID)]


RECEIPT = r"^\s*(?:[Pp]-?)?\d{1,10}\s*$"


def _proposal_number(value: object) -> int:
    number = receipt_number(str(value)) if re.fullmatch(RECEIPT, str(value)) else None
    if number is None or number > MAX_ID:
        raise ValueError("not a proposal: give its number or receipt, like P-000123")
    return number


# A proposal named by its number or its receipt number (P-000123), as staff read it: text in
# the path (so the schema says a string), the proposal's number once read.
ProposalRef = Annotated[
    int,
    BeforeValidator(_proposal_number),
    Path(examples=["P-000123", "123"]),
    WithJsonSchema({"type": "string", "pattern": RECEIPT, "examples": ["P-000123", "123"]}),
]

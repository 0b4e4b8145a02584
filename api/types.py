"""Types shared by the API's requests and responses."""

from datetime import UTC, datetime
from typing import Annotated

from fastapi import Path, Query
from pydantic import AfterValidator

MAX_ID = 2**31 - 1


def _as_utc(value: datetime) -> datetime:
    """SQLite hands back naive timestamps; they are stored in UTC, so say so."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


# An id in a path: anything beyond the databases' integer range is a 422, not a crash.
ItemId = Annotated[int, Path(ge=1, le=MAX_ID)]
Timestamp = Annotated[datetime, AfterValidator(_as_utc)]
# How many rows a page skips; bounded like ids, so a huge number is a 422, not a crash.
Offset = Annotated[int, Query(ge=0, le=MAX_ID)]

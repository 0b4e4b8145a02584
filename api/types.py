"""Types shared by the API's requests and responses."""

from datetime import datetime
from typing import Annotated

from fastapi import Path, Query
from pydantic import AfterValidator

from storage.db import aware

MAX_ID = 2**31 - 1


# An id in a path: anything beyond the databases' integer range is a 422, not a crash.
ItemId = Annotated[int, Path(ge=1, le=MAX_ID)]
# Timestamps are stored in UTC; SQLite hands them back without their zone, so say so.
Timestamp = Annotated[datetime, AfterValidator(aware)]
# How many rows a page skips; bounded like ids, so a huge number is a 422, not a crash.
Offset = Annotated[int, Query(ge=0, le=MAX_ID)]

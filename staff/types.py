"""Types the staff floor's inputs share with the API's answers."""

from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator

from storage.db import aware

# Timestamps are stored in UTC; SQLite hands them back without their zone, so say so.
Timestamp = Annotated[datetime, AfterValidator(aware)]

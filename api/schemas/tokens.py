"""API tokens: what the API takes and gives."""

from pydantic import BaseModel, Field

from staff.types import Timestamp


class TokenPublic(BaseModel):
    id: int
    name: str
    staff_id: int
    staff_name: str
    created_at: Timestamp
    expires_at: Timestamp
    last_used_at: Timestamp | None
    revoked_at: Timestamp | None


class TokenCreate(BaseModel):
    name: str = Field(min_length=1, max_length=60, description="What the token is for.")
    days: int = Field(default=90, ge=1, le=365, description="Days until it expires.")


class TokenCreated(TokenPublic):
    token: str = Field(description="Shown once; only its hash is stored.")

"""Staff accounts: what the API takes and gives."""

from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints

from staff.types import Timestamp
from storage.staff import (
    Role,
)

Login = Annotated[
    str, StringConstraints(strip_whitespace=True, pattern=r"^[a-z0-9][a-z0-9._-]{2,39}$")
]


class StaffPublic(BaseModel):
    id: int
    login: str
    name: str
    role: Role
    dongs: list[str]
    department: str
    active: bool
    must_change_password: bool
    created_at: Timestamp


class StaffCreate(BaseModel):
    name: str = Field(min_length=1, max_length=100)
    login: Login | None = Field(default=None, description="Sign-in name; staff<id> if left out.")
    role: Role
    dongs: list[str] = Field(default_factory=list, max_length=44)
    department: str = Field(default="", max_length=60, description="Whose saved answers.")


class StaffChange(BaseModel):
    """Only what is given changes; deactivating stops the person's sessions and tokens."""

    name: str | None = Field(default=None, min_length=1, max_length=100)
    login: Login | None = None
    role: Role | None = None
    dongs: list[str] | None = Field(default=None, max_length=44)
    department: str | None = Field(default=None, max_length=60)
    active: bool | None = None


class StaffCreated(StaffPublic):
    token: str = Field(description="Shown once; only its hash is stored.")
    password: str = Field(description="First password, shown once; changed at first sign-in.")


class PasswordReset(BaseModel):
    password: str = Field(description="A new first password, shown once.")


class PasswordChange(BaseModel):
    current: str = Field(min_length=1, max_length=200)
    new: str = Field(min_length=10, max_length=200, description="At least 10 characters.")


class TelegramLink(BaseModel):
    linked: bool = Field(description="Whether a Telegram chat of yours is linked.")


class TelegramCode(BaseModel):
    code: str = Field(description="Send `/staff CODE` to the bot from your own Telegram.")
    expires_at: Timestamp

"""A staff member's own Telegram chat, linked with a one-time code.

The console (or the API) shows a code; the official sends `/staff CODE` to the bot from her
own Telegram account, which links that chat to her account. Test copies of notices go only
to linked chats, so no one can make the bot write to an arbitrary chat. A code is eight
letters and digits (about 2^40 choices), kept as its SHA-256 only, used once, and expires
after ten minutes; one chat links one account.
"""

import secrets
from datetime import datetime, timedelta

from sqlmodel import Session, select

from storage.db import aware
from storage.models import Staff
from storage.staff import hash_token

CODE_MINUTES = 10
# No 0/O or 1/I: the code is read off a screen and typed on a phone.
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
_LENGTH = 8


def new_code(staff: Staff, *, now: datetime) -> str:
    """A fresh code for `staff` (an earlier one stops working); shown once."""
    code = "".join(secrets.choice(_ALPHABET) for _ in range(_LENGTH))
    staff.link_code_hash = hash_token(code)
    staff.link_code_expires_at = now + timedelta(minutes=CODE_MINUTES)
    return code


def normalised(code: str) -> str:
    """As typed on a phone: spaces, dashes and lower case forgiven."""
    return "".join(code.split()).replace("-", "").upper()


def link(session: Session, *, code: str, chat_id: str, now: datetime) -> Staff | None:
    """Links `chat_id` to the active account whose unexpired code this is; None otherwise."""
    code = normalised(code)
    if len(code) != _LENGTH:
        return None
    staff = session.exec(
        select(Staff).where(Staff.link_code_hash == hash_token(code), Staff.active)
    ).first()
    if staff is None or staff.link_code_expires_at is None:
        return None
    if aware(staff.link_code_expires_at) < now:
        return None
    for other in session.exec(select(Staff).where(Staff.telegram_chat_id == chat_id)):
        other.telegram_chat_id = None
    staff.telegram_chat_id = chat_id
    staff.link_code_hash = None
    staff.link_code_expires_at = None
    session.add(staff)
    return staff


def unlink(staff: Staff) -> None:
    staff.telegram_chat_id = None
    staff.link_code_hash = None
    staff.link_code_expires_at = None

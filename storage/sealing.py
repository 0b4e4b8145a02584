"""Personal data encrypted at rest with Fernet (`cryptography`), with key rotation.

Several keys may be configured: the first seals, every one opens, so a new key can be put
first and `toktok keys rotate` re-seals what the old one sealed before it is dropped.
Sealed JSON is stored as `{"sealed": "<token>"}`; anything else is read as it is, so rows
written before sealing existed stay readable.
"""

import hashlib
import hmac
import json
from collections.abc import Sequence
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

SEALED = "sealed"


class SealingError(ValueError):
    """A token that none of the configured keys opens."""


class Sealer:
    """Seals and opens personal data; `person_key` keys the hash that knows a resident again
    by their phone number without keeping it (the first data key's, when not given)."""

    def __init__(self, keys: Sequence[str], person_key: str | None = None) -> None:
        if not keys:
            raise ValueError("at least one data key is needed")
        self._fernet = MultiFernet([Fernet(key.encode()) for key in keys])
        secret = (person_key or f"person:{keys[0]}").encode()
        self._person = hashlib.sha256(secret).digest()

    def person_hash(self, phone_digits: str) -> str:
        """The keyed hash (HMAC-SHA256) of a phone number's digits: the same number gives the
        same hash, and without the key no list of numbers can be matched against it."""
        return hmac.new(self._person, phone_digits.encode(), hashlib.sha256).hexdigest()

    @staticmethod
    def new_key() -> str:
        return Fernet.generate_key().decode()

    def seal_text(self, text: str | None) -> str | None:
        return None if text is None else self._fernet.encrypt(text.encode()).decode()

    def open_text(self, token: str | None) -> str | None:
        if token is None:
            return None
        try:
            return self._fernet.decrypt(token.encode()).decode()
        except InvalidToken as error:
            raise SealingError("a sealed value does not open with the configured keys") from error

    def seal_json(self, data: Any) -> dict[str, str]:
        return {SEALED: self.seal_text(json.dumps(data, ensure_ascii=False))}  # type: ignore[dict-item]

    def open_json(self, stored: Any) -> Any:
        if isinstance(stored, dict) and set(stored) == {SEALED}:
            return json.loads(self.open_text(stored[SEALED]) or "null")
        return stored

    def reseal_text(self, token: str | None) -> str | None:
        """The same text sealed with the first key (for key rotation)."""
        return None if token is None else self._fernet.rotate(token.encode()).decode()

    def reseal_json(self, stored: Any) -> Any:
        if isinstance(stored, dict) and set(stored) == {SEALED}:
            return {SEALED: self.reseal_text(stored[SEALED])}
        return self.seal_json(stored)

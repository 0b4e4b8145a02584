"""Personal data encrypted at rest with Fernet (`cryptography`), with key rotation.

Several keys may be configured: the first seals, every one opens, so a new key can be put
first and `toktok keys rotate` re-seals what the old one sealed before it is dropped.
Sealed JSON is stored as `{"sealed": "<token>"}`; anything else is read as it is, so rows
written before sealing existed stay readable.
"""

import json
from collections.abc import Sequence
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

SEALED = "sealed"


class SealingError(ValueError):
    """A token that none of the configured keys opens."""


class Sealer:
    def __init__(self, keys: Sequence[str]) -> None:
        if not keys:
            raise ValueError("at least one data key is needed")
        self._fernet = MultiFernet([Fernet(key.encode()) for key in keys])

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

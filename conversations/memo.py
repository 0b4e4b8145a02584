"""What a process keeps of work it would otherwise redo on every turn, by key.

A kept value must depend on nothing but its key (a survey's revision, a flow's identity).
At most `size` values are kept; a full store forgets them all at once and fills again, which
costs one rebuild each and needs no bookkeeping on every read. Reads and writes are single
dictionary operations, so threads of one process can share a store.
"""

from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Memo(Generic[K, V]):
    def __init__(self, size: int = 256) -> None:
        self.size = size
        self._values: dict[K, V] = {}

    def get(self, key: K, make: Callable[[], V]) -> V:
        """The value kept for `key`, made (and kept) if there is none."""
        value = self._values.get(key)
        if value is None:
            if len(self._values) >= self.size:
                self._values.clear()
            value = self._values[key] = make()
        return value

    def __len__(self) -> int:
        return len(self._values)

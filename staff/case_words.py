"""What a resident told in their care application, in words a care worker reads: the services
and screening answers as the resident chose them, the time to call, for whom and the relation
— from the citizens' own catalogue, in the reader's language, without the buttons' emoji.

The codes stay the stored truth (`meals`, `morning`); words are made only where people read.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from conversations.messages import Catalog

_PICTURE = re.compile(r"^[^\w(]+")  # a button's leading emoji and the space after it


def word(catalog: Catalog, language: str, key: str) -> str:
    """A choice's words as the citizen saw them, without its leading emoji; the key's last
    part when the catalogue has no words for it (a retired choice still reads)."""
    try:
        said = catalog.text(language, key)
    except KeyError:
        return key.rsplit(".", 1)[-1]
    return _PICTURE.sub("", said).strip()


def words(catalog: Catalog, language: str, prefix: str, values: Iterable[str]) -> list[str]:
    return [word(catalog, language, f"{prefix}.{value}") for value in values]


@dataclass(frozen=True)
class CaseWords:
    """A case's choices in words."""

    for_whom: str
    relation: str | None
    services: list[str]
    screening: list[str]
    contact_time: str
    proxy: bool  # applied for someone else, who agreed to it first


def case_words(catalog: Catalog, language: str, row: Any, personal: dict[str, Any]) -> CaseWords:
    """`row` the stored case, `personal` its opened personal data (screening is sealed)."""
    return CaseWords(
        for_whom=word(catalog, language, f"care.for.{row.for_whom}"),
        relation=word(catalog, language, f"care.relation.{row.relation}")
        if row.relation
        else None,
        services=words(catalog, language, "care.service", row.services),
        screening=words(catalog, language, "care.screening", personal.get("screening") or []),
        contact_time=word(catalog, language, f"care.contact_time.{row.contact_time}"),
        proxy=row.for_whom in ("family", "neighbour"),
    )

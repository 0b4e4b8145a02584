"""The small-group rule, once, for every figure about people: the API, the console, the
spreadsheets, the dashboard and the citizens' charts.

A group of one to four people is withheld (primary suppression). That alone is not enough:
a breakdown's groups add up to a total that is shown, so if exactly one group were withheld,
the total minus the others would give it back ("버스 4 of 6; 30대 3 of 5; so the one 40대
said 버스"). So the next smallest groups are withheld with it (complementary suppression)
until the withheld groups keep their sizes: a reader knows only that together they hold the
difference and that each holds someone, which pins none down once two or more are withheld
and they are not all single people. Where every group of a breakdown is withheld, the total
is the only figure left; a total under five is itself withheld (`shown`).
"""

from collections.abc import Mapping
from typing import TypeVar

SMALLEST_GROUP = 5
Key = TypeVar("Key")


def small(count: int) -> bool:
    """One to four people: too few to show."""
    return 0 < count < SMALLEST_GROUP


def shown(count: int) -> int | None:
    """A count standing alone (not part of a breakdown): None when withheld."""
    return None if small(count) else count


def protect(sizes: Mapping[Key, int]) -> dict[Key, int | None]:
    """A breakdown's group sizes as they may be shown: None for each withheld group.

    Empty groups show as 0 (nobody there is no one's secret); ties between equally small
    groups are broken by the group's name, so the same figures always hide the same groups.
    """
    result: dict[Key, int | None] = {key: shown(count) for key, count in sizes.items()}
    others = sorted(
        (count, str(key), key) for key, count in sizes.items() if result[key] is not None and count
    )
    while others and not _safe([sizes[k] for k, v in result.items() if v is None]):
        result[others.pop(0)[2]] = None
    return result


def _safe(hidden: list[int]) -> bool:
    """Whether withheld groups of these sizes keep their sizes: a reader knows their sum (the
    total minus what is shown) and that each holds someone; that pins a size down only when
    one group alone is withheld, or when the sum leaves each exactly one person."""
    return not hidden or (len(hidden) > 1 and sum(hidden) > len(hidden))

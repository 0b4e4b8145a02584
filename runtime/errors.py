"""Why a citizen's turn failed, typed by what the channel should do about it.

A channel never sees a bare exception from a turn: it sees one of these, and acts on its
`action` — retry a failure that may pass, apologise to the citizen for one that will not,
or drop what was never a turn. The types cross the turn worker's pipe by name.
"""

from typing import ClassVar


class TurnFailed(Exception):
    """A turn that did not complete; nothing of it was stored."""

    action: ClassVar[str] = "apologise"


class PassingFailure(TurnFailed):
    """The database was busy or a worker was lost: asking again may work."""

    action = "retry"


class LastingFailure(TurnFailed):
    """Asking again would fail the same way (unreadable sealed data, a bug): apologise."""

    action = "apologise"


class NotATurn(TurnFailed):
    """An update that carries no citizen's message we can act on: drop it, say nothing."""

    action = "drop"


FAILURES: dict[str, type[TurnFailed]] = {
    kind.__name__: kind for kind in (TurnFailed, PassingFailure, LastingFailure, NotATurn)
}


def failure_named(name: str, message: str) -> TurnFailed:
    """The failure a worker reported by name; an unknown name is a lasting failure."""
    return FAILURES.get(name, LastingFailure)(message)

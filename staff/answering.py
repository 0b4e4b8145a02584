"""Answering and moderating proposals: the one way the API and the console do both.

The status (with the official answer when it is one) is saved, every follower is told in
the chat in their own language, and the audit log says who did it: the same for both.
"""

from typing import Any

from sqlmodel import Session

from conversations.flows.propose import status_notice
from staff.refusals import Refused
from staff.telling import Telling
from storage import audit, citizens, proposals

ANSWERED = proposals.ANSWERED
STATUSES = ("submitted", "under_review", "accepted", "partly_accepted", "not_accepted")


def answer_proposal(
    session: Session,
    telling: Telling,
    *,
    staff_id: int,
    before: Any,
    status: str,
    answer: str | None,
) -> int:
    """Sets the proposal's status and answer; how many followers were told."""
    connection = session.connection()
    proposals.set_status(
        connection, proposal_id=before.id, status=status, answer=answer, staff_id=staff_id
    )
    told = telling.tell_followers(
        connection,
        before.id,
        lambda t: status_notice(t, title=before.title, status=status, answer=answer),
    )
    audit.record(
        session,
        staff_id=staff_id,
        action="proposal.status",
        target=f"proposal:{before.id}",
        detail={
            "from": before.status,
            "to": status,
            "answered": bool(answer),
            "followers_told": told,
        },
    )
    return told


def moderate(
    session: Session,
    telling: Telling,
    *,
    staff_id: int,
    kind: str,
    item_id: int,
    hidden: bool,
) -> bool:
    """Hides or shows a proposal or a comment, in the audit log; False if there is none.

    Its author is told, kindly, when it is hidden from others or shown again (not when it
    already was): a moderation outcome is news about their own words.
    """
    connection = session.connection()
    before = proposals.posted(connection, kind=kind, item_id=item_id)
    changed = proposals.set_hidden(connection, kind=kind, item_id=item_id, hidden=hidden)
    if not changed or before is None:
        return False
    told = 0
    if before.hidden != hidden and before.author_id is not None:
        shown = before.words if kind == "proposal" else _short(before.words)
        key = f"moderation.{kind}_{'hidden' if hidden else 'restored'}"
        told = telling.tell(
            connection,
            citizens.reachable(connection, citizen_id=before.author_id),
            lambda t: t(key, words=shown),
            opens="browse",
            about=f"proposal:{before.proposal_id}",
        )
    action = f"{kind}.{'hide' if hidden else 'restore'}"
    audit.record(
        session,
        staff_id=staff_id,
        action=action,
        target=f"{kind}:{item_id}",
        detail={"author_told": told},
    )
    return True


def _short(words: str, limit: int = 40) -> str:
    return words if len(words) <= limit else words[: limit - 1] + "…"


def dismiss(session: Session, *, staff_id: int, kind: str, item_id: int) -> int:
    """Clears the reports of an item found to be fine (and shows it again); how many."""
    cleared = proposals.dismiss_reports(session.connection(), kind=kind, item_id=item_id)
    proposals.set_hidden(session.connection(), kind=kind, item_id=item_id, hidden=False)
    audit.record(
        session,
        staff_id=staff_id,
        action=f"{kind}.reports_dismissed",
        target=f"{kind}:{item_id}",
        detail={"reports": cleared},
    )
    return cleared


class MergeRefused(Refused):
    """Why two proposals cannot be merged: `same` (one into itself) or `hidden`."""


def check_merge(source: Any, target: Any) -> None:
    """Refuses a merge of a proposal into itself, or of a hidden one (citizens cannot see it)."""
    if source.id == target.id:
        raise MergeRefused("same")
    if source.hidden or target.hidden:
        raise MergeRefused("hidden")


def merge_proposals(
    session: Session, telling: Telling, *, staff_id: int, source: Any, target: Any
) -> int:
    """Folds `source` into `target`: its followers are told where it went; the supports after."""
    check_merge(source, target)
    connection = session.connection()
    told = telling.tell_followers(
        connection,
        source.id,
        lambda t: t("proposal.merged", title=source.title, target=target.title),
    )
    supports = proposals.merge(connection, source_id=source.id, target_id=target.id)
    audit.record(
        session,
        staff_id=staff_id,
        action="proposal.merge",
        target=f"proposal:{source.id}",
        detail={"into": target.id, "supports_after": supports, "followers_told": told},
    )
    return supports

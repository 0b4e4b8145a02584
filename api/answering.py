"""Answering a proposal: the one way the API and the console set a status and an answer.

The status (with the official answer when it is one) is saved, every follower is told in
the chat in their own language, and the audit log says who did it: the same for both.
"""

from typing import Any

from sqlmodel import Session

from api.telling import Telling
from conversations.flows.propose import status_notice
from storage import audit, proposals

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

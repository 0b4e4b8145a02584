"""A department's queue: the proposals assigned to it, unanswered and soonest due first.

Staff open their own department's queue; anyone on the desk may look at another's (the
choice above the list), since departments hand work to each other.
"""

from datetime import datetime

from fastapi.responses import Response

from console.context import Page, section_router
from console.language import named
from console.proposals import STATUS_NAMES
from console.sections import QUEUE
from conversations.flows.propose import receipt
from staff.assignment import departments
from storage import proposals
from storage.db import transaction

router = section_router(QUEUE)


@router.get("/queue")
def queue(ctx: Page, department: str = "") -> Response:
    with transaction(ctx.db) as session:
        offices = departments(session)
        chosen = department if department in offices else ctx.staff.department
        if chosen not in offices:
            chosen = offices[0] if offices else ""
        rows = proposals.queue(session.connection(), department=chosen) if chosen else []
    return ctx.page(
        "queue.html",
        departments=offices,
        chosen=chosen,
        items=[{**row._mapping, "receipt": receipt(row.id)} for row in rows],
        statuses=named(STATUS_NAMES),
        today=datetime.now(ctx.state.city_zone).date(),
    )

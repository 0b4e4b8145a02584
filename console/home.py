"""What needs me now: the first page after sign-in, with only what the role works on."""

from datetime import timedelta
from typing import Any

from fastapi.responses import Response

from console.context import FLASHES, Page, section_router
from console.sections import CARE, HOME, MODERATION, NOTICES, PROPOSALS
from conversations.flows.propose import receipt
from staff.casework import scope_of
from storage import care, notices, proposals
from storage.db import transaction
from storage.models import utcnow

router = section_router(HOME)
NEW_DAYS, NEW_SHOWN = 7, 5


@router.get("")
def home(ctx: Page, done: str = "") -> Response:
    """What needs me now: proposals past the support threshold without an answer, overdue ones,
    new care cases of my dongs, reported content still shown, notices going out now."""
    due_before = utcnow() - timedelta(days=ctx.state.rules.answer_days)
    role = ctx.staff.role
    waiting = overdue = new_cases = reports = fresh_total = None
    on_the_way: list[Any] = []
    fresh: list[dict[str, Any]] = []
    with transaction(ctx.db) as session:
        connection = session.connection()
        if PROPOSALS.open_to(role):
            _rows, waiting = proposals.search(
                connection, over_threshold=True, status="submitted", limit=1
            )
            _rows, overdue = proposals.search(connection, due_before=due_before, limit=1)
            # New ones too, still under the support threshold: read early, answered early.
            since = utcnow() - timedelta(days=NEW_DAYS)
            rows, fresh_total = proposals.search(
                connection, status="submitted", created_from=since, limit=NEW_SHOWN
            )
            fresh = [{**row._mapping, "receipt": receipt(row.id)} for row in rows]
        if MODERATION.open_to(role):
            reports = sum(not item["hidden"] for item in proposals.reported(connection))
        if NOTICES.open_to(role):
            on_the_way = notices.sending(connection)
        if CARE.open_to(role):
            _rows, new_cases = care.search(
                connection, dongs=scope_of(ctx.staff), status="received", limit=1
            )
    return ctx.page(
        "home.html",
        flash=FLASHES.get(done),
        waiting=waiting,
        overdue=overdue,
        new_cases=new_cases,
        reports=reports,
        sending=on_the_way,
        fresh=fresh,
        fresh_total=fresh_total,
        new_days=NEW_DAYS,
    )

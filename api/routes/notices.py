"""Tailored notices for staff: compose, preview the audience, test, send or schedule, cancel,
and follow the delivery.

Text may use a safe subset of Telegram's HTML (bold, italic, underline, strike, code, links).
Sending queues the recipients when `send_at` comes; the bot sends them at the configured rate,
replies to chatting citizens first, quiet hours and the weekly budget respected.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, Request, status

from api.deps import Authorised, SessionDep
from api.schemas.notices import (
    AudienceQuestion,
    NoticePage,
    NoticePublic,
    Preview,
    Report,
    SendOrder,
    TestCopy,
)
from api.types import ItemId, Offset
from conversations.districts import suwon
from staff import notice_desk, telegram_links
from staff.notice_input import (
    NoticeIn,
)
from storage import audit, notices
from storage.models import utcnow

router = APIRouter(prefix="/api/v1/notices", tags=["notices"])


def _public(row) -> NoticePublic:
    fields = {k: v for k, v in row._mapping.items() if k in NoticePublic.model_fields}
    return NoticePublic(**fields)


REFUSED = {
    "missing": status.HTTP_404_NOT_FOUND,
    "not_author": status.HTTP_403_FORBIDDEN,
    "own_approval": status.HTTP_403_FORBIDDEN,
    "waits_for_approval": status.HTTP_409_CONFLICT,
    "state": status.HTTP_409_CONFLICT,
}


@contextmanager
def refusals() -> Iterator[None]:
    """A refusal of the shared notice rules as the API's JSON error."""
    try:
        yield
    except notice_desk.NoticeRefused as refused:
        raise HTTPException(REFUSED[refused.code], refused.reason) from None


def _found(connection, notice_id: int):
    row = notices.get(connection, notice_id)
    if row is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no notice {notice_id}")
    return row


def _planner(request: Request) -> Callable[[int, datetime], None]:
    return request.app.state.notice_planned


def _budget(request: Request) -> int:
    return request.app.state.notice_budget


def _threshold(request: Request) -> int:
    return request.app.state.notice_approval_threshold


Planner = Annotated[Callable[[int, datetime], None], Depends(_planner)]
Budget = Annotated[int, Depends(_budget)]
Threshold = Annotated[int, Depends(_threshold)]


def _columns(notice: NoticeIn) -> dict[str, object]:
    return {**notice.model_dump(exclude={"audience"}), "audience": notice.audience.model_dump()}


@router.post("", status_code=status.HTTP_201_CREATED)
def compose(session: SessionDep, staff: Authorised, notice: NoticeIn) -> NoticePublic:
    """A draft: nothing is sent until it is sent or scheduled."""
    notice_id = notice_desk.create(session, staff, _columns(notice))
    return _public(notices.get(session.connection(), notice_id))


@router.get("")
def list_notices(
    session: SessionDep,
    staff: Authorised,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Offset = 0,
) -> NoticePage:
    rows, total = notices.listing(session.connection(), limit=limit, offset=offset)
    return NoticePage(items=[_public(r) for r in rows], total=total, limit=limit, offset=offset)


@router.post("/preview")
def preview_audience(
    session: SessionDep, staff: Authorised, question: AudienceQuestion, budget: Budget
) -> Preview:
    """How many citizens an audience reaches now, and how many are over their weekly budget."""
    audience = notices.Audience(
        question.audience.model_dump(), question.topics, suwon().dongs_by_gu()
    )
    total, over = notices.preview(
        session.connection(),
        audience=audience,
        urgent=question.urgent,
        budget=budget,
        now=utcnow(),
    )
    reach = notices.reach_by_channel(session.connection(), audience=audience)
    return Preview(recipients=total, over_budget=over, will_receive=total - over, by_channel=reach)


@router.get("/{notice_id}")
def get_notice(session: SessionDep, staff: Authorised, notice_id: ItemId) -> NoticePublic:
    return _public(_found(session.connection(), notice_id))


@router.put("/{notice_id}")
def edit_notice(
    session: SessionDep, staff: Authorised, notice_id: ItemId, notice: NoticeIn
) -> NoticePublic:
    connection = session.connection()
    with refusals():
        notice_desk.editable(notice_desk.found(session, notice_id), staff)
    if not notices.edit(connection, notice_id=notice_id, **_columns(notice)):
        raise HTTPException(
            status.HTTP_409_CONFLICT, "a notice can be edited only before it is sent"
        )
    audit.record(session, staff_id=staff.id, action="notice.edit", target=f"notice:{notice_id}")
    return _public(_found(connection, notice_id))


@router.get("/{notice_id}/preview")
def preview_notice(
    session: SessionDep, staff: Authorised, notice_id: ItemId, budget: Budget
) -> Preview:
    row = _found(session.connection(), notice_id)
    question = AudienceQuestion(audience=row.audience, topics=row.topics, urgent=row.urgent)
    return preview_audience(session, staff, question, budget)


@router.post("/{notice_id}/test", status_code=status.HTTP_202_ACCEPTED)
def send_test_copy(
    session: SessionDep, staff: Authorised, notice_id: ItemId, copy: TestCopy
) -> dict[str, str]:
    """Queues one copy, marked as a test, for your own linked Telegram chat (sent at once).
    Link it first: `POST /api/v1/staff/me/telegram`, then send `/staff CODE` to the bot."""
    connection = session.connection()
    _found(connection, notice_id)
    queued = telegram_links.test_copy(session, staff, notice_id=notice_id, language=copy.language)
    if not queued:
        raise HTTPException(
            status.HTTP_409_CONFLICT,
            "link your own Telegram first (POST /api/v1/staff/me/telegram, then send "
            "/staff CODE to the bot): test copies go only to linked staff accounts",
        )
    return {"queued": "test copy"}


@router.post("/{notice_id}/send")
def send_notice(
    session: SessionDep,
    staff: Authorised,
    notice_id: ItemId,
    order: SendOrder,
    planner: Planner,
    budget: Budget,
    threshold: Threshold,
) -> NoticePublic:
    """Sends now, or at `send_at`: the recipients are queued at that moment. An urgent
    notice, or one reaching more citizens than the approval threshold, waits for a second
    person's approval first (status `for_approval`; `POST …/approve`)."""
    with refusals():
        row = notice_desk.send(
            session,
            staff,
            notice_id,
            send_at=order.send_at,
            budget=budget,
            threshold=threshold,
            planner=planner,
        )
    return _public(row)


@router.post("/{notice_id}/approve")
def approve_notice(
    session: SessionDep, staff: Authorised, notice_id: ItemId, planner: Planner
) -> NoticePublic:
    """The second pair of eyes: someone other than its author and the one who asked to send
    it lets a notice waiting for approval go out as asked."""
    with refusals():
        return _public(notice_desk.approve(session, staff, notice_id, planner=planner))


@router.post("/{notice_id}/duplicate", status_code=status.HTTP_201_CREATED)
def duplicate_notice(session: SessionDep, staff: Authorised, notice_id: ItemId) -> NoticePublic:
    """A new draft with this notice's text, buttons, topics and audience; you are its author."""
    with refusals():
        copy = notice_desk.duplicate(session, staff, notice_id)
    return _public(notice_desk.found(session, copy))


@router.post("/{notice_id}/cancel")
def cancel_notice(
    request: Request, session: SessionDep, staff: Authorised, notice_id: ItemId
) -> Report:
    """Stops the notice; copies already sent stay sent, the rest are cancelled. Only its
    author or an admin may.

    This process's sender stops at once; others see the cancel within a second.
    """
    with refusals():
        notice_desk.cancel(session, staff, notice_id, stop=request.app.state.notice_cancelled)
    return report(session, staff, notice_id)


@router.get("/{notice_id}/report")
def report(session: SessionDep, staff: Authorised, notice_id: ItemId) -> Report:
    """Delivery so far: counts, progress, the current rate and the time left at that rate."""
    with refusals():
        return Report(**vars(notice_desk.delivery_report(session, notice_id)))

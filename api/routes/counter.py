"""The counter through the API: the same use cases as the console's counter page
(`staff/counter.py`), so rights, dong scope, idle end and audit are the same."""

from fastapi import APIRouter, HTTPException, Request, status

from api.deps import Authorised
from api.schemas.counter import (
    ButtonOut,
    FiledOut,
    ReplyOut,
    SessionIn,
    SessionOut,
    SlipOut,
    TurnIn,
)
from api.types import ItemId
from conversations.events import Command, Contact, Event, Press, Reply, Text
from runtime.errors import TurnFailed
from staff import counter as desk
from storage import counter
from storage.db import AnyRow, transaction, writer_lock
from storage.models import Staff, utcnow

router = APIRouter(prefix="/api/v1/counter", tags=["counter"])

REFUSALS = {
    "privacy": (status.HTTP_400_BAD_REQUEST, "read the privacy notice to the resident first"),
    "dong": (status.HTTP_403_FORBIDDEN, "office_dong is not one of your dongs"),
    "how": (status.HTTP_400_BAD_REQUEST, "how is in_person or phone"),
    "reason": (status.HTTP_400_BAD_REQUEST, "give a reason of 1 to 200 characters"),
    "phone": (status.HTTP_400_BAD_REQUEST, "give the resident's phone number, 010-1234-5678"),
    "missing": (status.HTTP_404_NOT_FOUND, "no such session of yours"),
    "ended": (status.HTTP_409_CONFLICT, "the session has ended (idle too long, or ended)"),
    "erased": (status.HTTP_409_CONFLICT, "the resident's data was erased in this session"),
}


def _refused(refused: desk.CounterRefused) -> HTTPException:
    code, why = REFUSALS[refused.code]
    return HTTPException(code, why)


@router.post("/sessions", status_code=status.HTTP_201_CREATED)
async def start(request: Request, staff: Authorised, body: SessionIn) -> SessionOut:
    """Starts a session for a resident and takes its first turn (the chat's start)."""
    db = request.app.state.db
    try:
        with writer_lock(db), transaction(db) as session:
            made = desk.start(
                session,
                request.app.state.telling.sealer,
                staff=staff,
                office_dong=body.office_dong,
                how=body.how,
                reason=body.reason,
                phone=body.phone,
                privacy_read=body.privacy_read,
                now=utcnow(),
            )
    except desk.CounterRefused as refused:
        raise _refused(refused) from None
    return await _turn(request, staff, made, Command("start"))


@router.get("/sessions/{session_id}")
def conversation(request: Request, staff: Authorised, session_id: ItemId) -> SessionOut:
    """The open session: its latest replies and what it filed."""
    try:
        row = desk.usable(
            request.app.state.db,
            staff=staff,
            session_id=session_id,
            idle=request.app.state.counter_idle,
        )
    except desk.CounterRefused as refused:
        raise _refused(refused) from None
    sealer = request.app.state.telling.sealer
    return _session(request, row, desk.latest_replies(request.app.state.db, sealer, row=row))


@router.post("/sessions/{session_id}/turns")
async def turn(
    request: Request, staff: Authorised, session_id: ItemId, body: TurnIn
) -> SessionOut:
    """One step for the resident; the answer is the engine's replies to it."""
    return await _turn(request, staff, session_id, _event(body))


@router.post("/sessions/{session_id}/end")
def end(request: Request, staff: Authorised, session_id: ItemId) -> dict[str, bool]:
    db = request.app.state.db
    try:
        with writer_lock(db), transaction(db) as session:
            ended = desk.end(session, staff=staff, session_id=session_id, why="done", now=utcnow())
    except desk.CounterRefused as refused:
        raise _refused(refused) from None
    return {"ended": ended}


@router.get("/sessions/{session_id}/slip")
def slip(request: Request, staff: Authorised, session_id: ItemId) -> SlipOut:
    """The slip: what was filed, where to ask, and the code that joins it to a chat."""
    db = request.app.state.db
    with writer_lock(db), transaction(db) as session:
        row = counter.get(session.connection(), session_id)
        if row is None or row.staff_id != staff.key:
            raise _refused(desk.CounterRefused("missing"))
        paper = desk.slip(
            session,
            request.app.state.telling.sealer,
            row=row,
            help_phone=request.app.state.care_help_phone,
            now=utcnow(),
        )
    return SlipOut(
        session_id=paper.session_id,
        office=paper.office,
        phone=paper.phone,
        code=paper.code,
        expires_at=paper.expires_at,
        staff_name=paper.staff_name,
        items=_filed(paper.items),
    )


async def _turn(request: Request, staff: Staff, session_id: int, event: Event) -> SessionOut:
    db = request.app.state.db
    try:
        idle = request.app.state.counter_idle
        replies = await desk.take_turn(
            db, request.app.state.turns, staff=staff, session_id=session_id, idle=idle, event=event
        )
        row = desk.usable(db, staff=staff, session_id=session_id, idle=idle)
    except desk.CounterRefused as refused:
        raise _refused(refused) from None
    except TurnFailed:
        raise HTTPException(
            status.HTTP_503_SERVICE_UNAVAILABLE, "the turn could not be taken now; send it again"
        ) from None
    return _session(request, row, replies)


def _session(request: Request, row: AnyRow, replies: list[Reply]) -> SessionOut:
    with transaction(request.app.state.db) as session:
        filed = desk.filed_items(session.connection(), session_id=row.id)
    return SessionOut(
        id=row.id,
        office_dong=row.office_dong,
        how=row.how,
        reason=row.reason,
        started_at=row.started_at,
        ended_at=row.ended_at,
        replies=[_reply(r) for r in replies],
        filed=_filed(filed),
    )


def _filed(items: tuple[desk.SlipItem, ...]) -> list[FiledOut]:
    return [FiledOut(kind=i.kind, receipt=i.receipt, title=i.title) for i in items]


def _reply(reply: Reply) -> ReplyOut:
    return ReplyOut(
        text=reply.text,
        prompt_id=reply.prompt_id,
        buttons=[ButtonOut(text=b.text, value=b.value, press=reply.inline) for b in reply.choices],
        asks_phone=reply.request_contact,
        chart=list(reply.chart),
    )


def _event(body: TurnIn) -> Event:
    if body.press is not None and body.prompt_id is not None:
        return Press(body.prompt_id, body.press)
    if body.say is not None:
        return Text(body.say)
    if body.contact is not None:
        return Contact(body.contact, own=True)
    if body.command is not None:
        return Command(body.command)
    return Text(body.text or "")

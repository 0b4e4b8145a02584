"""The counter ("창구 접수"): an official takes part for a resident who cannot chat, walking the
same conversations in the page. Starting, each turn, ending and the slip go through the
staff use cases (`staff/counter.py`) and the same turn runtime as the messengers; the page
only shows the engine's replies (`console/counter_chat.py`) and sends back what was chosen."""

from typing import Annotated

from fastapi import Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from console.context import FLASHES, Page, PageContext, section_router
from console.counter_chat import event_from, shown
from console.language import N_
from console.sections import COUNTER
from conversations.events import Command, Event
from runtime.errors import TurnFailed
from staff import counter as desk
from storage import counter
from storage.db import AnyRow, transaction, writer_lock
from storage.models import utcnow

router = section_router(COUNTER)
FLASHES["counter_ended"] = N_("상담을 마쳤어요. 접수증은 아래 목록에서 다시 인쇄할 수 있어요.")
REFUSALS = {
    "privacy": N_("개인정보 수집·이용 안내를 읽어 드리고 동의를 받았는지 확인해 주세요."),
    "dong": N_("담당하는 동의 행정복지센터만 고를 수 있어요."),
    "how": N_("직접 방문인지 전화인지 골라 주세요."),
    "reason": N_("대신 접수하는 이유를 200자 안으로 적어 주세요."),
    "phone": N_("주민의 휴대전화 번호를 확인해 주세요. 예: 010-1234-5678"),
    "missing": N_("찾는 상담이 없어요. 직접 시작한 상담만 이어갈 수 있어요."),
    "ended": N_(
        "상담이 끝났어요. 정해진 시간 동안 움직임이 없으면 저절로 끝나요. 새 상담을 시작해 주세요."
    ),
    "erased": N_("주민의 정보를 모두 지워서 상담이 끝났어요."),
    "empty": N_("주민이 한 말을 적거나 버튼을 눌러 주세요."),
    "busy": N_("잠시 처리하지 못했어요. 같은 버튼을 한 번 더 눌러 주세요."),
}
FIELDS = {
    "privacy": "privacy",
    "dong": "office",
    "how": "how",
    "reason": "reason",
    "phone": "phone",
}
HOW_WORDS = {"in_person": N_("직접 방문"), "phone": N_("전화")}
KIND_WORDS = {
    "proposal": N_("제안"),
    "support": N_("공감"),
    "comment": N_("의견"),
    "survey": N_("설문 응답"),
    "care": N_("돌봄 신청"),
}


@router.get("/counter")
def start_form(ctx: Page, done: str = "") -> Response:
    return _start_page(ctx, {}, {}, flash=FLASHES.get(done))


@router.post("/counter")
def start(
    ctx: Page,
    office: Annotated[str, Form(max_length=40)] = "",
    how: Annotated[str, Form(max_length=20)] = "",
    reason: Annotated[str, Form(max_length=400)] = "",
    phone: Annotated[str, Form(max_length=40)] = "",
    privacy: Annotated[str, Form(max_length=3)] = "",
) -> Response:
    """Starts a session (nothing is stored unless the whole form holds), then its first turn."""
    form = {"office": office, "how": how, "reason": reason}
    try:
        with writer_lock(ctx.db), transaction(ctx.db) as session:
            made = desk.start(
                session,
                ctx.state.telling.sealer,
                staff=ctx.staff,
                office_dong=office,
                how=how,
                reason=reason,
                phone=phone,
                privacy_read=privacy == "yes",
                now=utcnow(),
            )
    except desk.CounterRefused as refused:
        return _start_page(ctx, form, {FIELDS[refused.code]: REFUSALS[refused.code]}, status=400)
    return RedirectResponse(f"/console/counter/{made}/begin", status_code=303)


@router.get("/counter/{session_id}")
def conversation(ctx: Page, session_id: int, error: str = "") -> Response:
    row = _open(ctx, session_id)
    if isinstance(row, Response):
        return row
    return _conversation_page(ctx, row, REFUSALS.get(error))


@router.get("/counter/{session_id}/begin")
async def begin(ctx: Page, session_id: int) -> Response:
    """The session's first turn: the chat's start, so the page opens where the chat would."""
    return await _take_turn(ctx, session_id, Command("start"))


@router.post("/counter/{session_id}/turn")
async def turn(ctx: Page, session_id: int, request: Request) -> Response:
    form = await request.form()
    fields = {key: value for key, value in form.items() if isinstance(value, str)}
    event = event_from(fields)
    if event is None:
        return RedirectResponse(f"/console/counter/{session_id}?error=empty", status_code=303)
    return await _take_turn(ctx, session_id, event)


@router.post("/counter/{session_id}/end")
def end(ctx: Page, session_id: int) -> Response:
    try:
        with writer_lock(ctx.db), transaction(ctx.db) as session:
            desk.end(session, staff=ctx.staff, session_id=session_id, why="done", now=utcnow())
    except desk.CounterRefused as refused:
        return ctx.refused(REFUSALS[refused.code], status=404)
    return RedirectResponse(f"/console/counter/{session_id}/slip", status_code=303)


@router.get("/counter/{session_id}/slip")
def slip(ctx: Page, session_id: int, size: str = "a4") -> Response:
    """The printable slip (A4, or a receipt printer's width), open or ended session alike."""
    with writer_lock(ctx.db), transaction(ctx.db) as session:
        row = counter.get(session.connection(), session_id)
        if row is None or row.staff_id != ctx.staff.key:
            return ctx.refused(REFUSALS["missing"], status=404)
        paper = desk.slip(
            session,
            ctx.state.telling.sealer,
            row=row,
            help_phone=ctx.state.care_help_phone,
            now=utcnow(),
        )
    return ctx.page(
        "counter_slip.html",
        slip=paper,
        receipt=size == "receipt",
        kinds=KIND_WORDS,
        how=HOW_WORDS[row.how],
    )


def _start_page(
    ctx: PageContext,
    form: dict[str, str],
    errors: dict[str, str],
    *,
    status: int = 200,
    flash: str | None = None,
) -> HTMLResponse:
    with transaction(ctx.db) as session:
        open_ones = counter.open_ones(session.connection(), staff_id=ctx.staff.key)
    return ctx.page(
        "counter.html",
        status,
        offices=desk.dongs_of(ctx.staff),
        form=form,
        errors=errors,
        sessions=open_ones,
        how_words=HOW_WORDS,
        flash=flash,
    )


def _open(ctx: PageContext, session_id: int) -> AnyRow | Response:
    """The official's open session, or the page saying why it cannot go on."""
    try:
        return desk.usable(
            ctx.db, staff=ctx.staff, session_id=session_id, idle=ctx.state.counter_idle
        )
    except desk.CounterRefused as refused:
        return _refusal(ctx, refused.code)


def _refusal(ctx: PageContext, code: str) -> HTMLResponse:
    return ctx.refused(REFUSALS[code], status=404 if code == "missing" else 409)


async def _take_turn(ctx: PageContext, session_id: int, event: Event) -> Response:
    """One turn, then the page again, which shows the turn's replies read back from storage."""
    try:
        await desk.take_turn(
            ctx.db,
            ctx.state.turns,
            staff=ctx.staff,
            session_id=session_id,
            idle=ctx.state.counter_idle,
            event=event,
        )
    except desk.CounterRefused as refused:
        return _refusal(ctx, refused.code)
    except TurnFailed:
        return RedirectResponse(f"/console/counter/{session_id}?error=busy", status_code=303)
    return RedirectResponse(f"/console/counter/{session_id}", status_code=303)


def _conversation_page(ctx: PageContext, row: AnyRow, error: str | None) -> HTMLResponse:
    replies = desk.latest_replies(ctx.db, ctx.state.telling.sealer, row=row)
    with transaction(ctx.db) as session:
        filed = desk.filed_items(session.connection(), session_id=row.id)
    return ctx.page(
        "counter_session.html",
        session_row=row,
        replies=shown(replies),
        filed=filed,
        kinds=KIND_WORDS,
        how=HOW_WORDS[row.how],
        error=error,
        ends_at=row.last_active_at + ctx.state.counter_idle,
    )

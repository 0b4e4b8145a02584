"""Console: notices — the list, and each notice's delivery report with its actions.

The report shows a progress bar with the rate and the time left, counts by state, and
refreshes itself while the notice is going out. The actions (a test copy to one's own
linked Telegram, send, approve, cancel) follow the same rules as `/api/v1/notices`
(`api/notice_desk.py`, `api/telegram_links.py`).
"""

from fastapi.responses import RedirectResponse, Response

from console.context import FLASHES, Page, section_router
from console.language import N_
from console.sections import NOTICES
from staff import notice_desk, telegram_links
from storage import notices
from storage.db import transaction, writer_lock

router = section_router(NOTICES)

NOTICE_STATUS = {
    "draft": N_("작성 중"),
    "for_approval": N_("승인 기다림"),
    "scheduled": N_("예약됨"),
    "sending": N_("보내는 중"),
    "sent": N_("보냄"),
    "cancelled": N_("취소됨"),
}
REFUSALS = {
    "missing": N_("없는 알림이에요."),
    "not_author": N_("알림을 쓴 사람이나 관리자만 할 수 있어요."),
    "own_approval": N_(
        "다른 사람이 승인해야 해요. 쓴 사람이나 보내기를 요청한 사람은 승인할 수 없어요."
    ),
    "waits_for_approval": N_("승인을 기다리는 알림은 고칠 수 없어요."),
    "state": N_("지금 상태에서는 할 수 없어요."),
    "not_linked": N_("먼저 '내 텔레그램'에서 내 텔레그램을 연결해 주세요."),
}
ACTIONS = ("test", "send", "approve", "cancel", "duplicate")
FLASHES["notice_duplicate"] = N_("복사해서 새 알림을 만들었어요. 보내기 전에 확인해 주세요.")
FLASHES["notice_test"] = N_("내 텔레그램으로 테스트 사본을 보냈어요.")
FLASHES["notice_send"] = N_("보내기를 시작했어요.")
FLASHES["notice_for_approval"] = N_(
    "긴급하거나 많은 시민에게 가는 알림이라 다른 직원의 승인을 기다려요."
)
FLASHES["notice_approve"] = N_("승인했어요. 이제 보내요.")
FLASHES["notice_cancel"] = N_("알림을 취소했어요. 아직 안 간 사본은 보내지 않아요.")
NOT_DESK = N_("알림은 알림 담당과 관리자만 볼 수 있어요.")


@router.get("/notices")
def notice_list(ctx: Page) -> Response:
    """The latest notices, newest first, with where each one is."""
    ctx.require("GET", "/api/v1/notices", NOT_DESK)
    with transaction(ctx.db) as session:
        rows, total = notices.listing(session.connection(), limit=50, offset=0)
    return ctx.page(
        "notices.html",
        rows=rows,
        total=total,
        statuses=NOTICE_STATUS,
    )


@router.get("/notices/{notice_id}")
def notice_page(
    ctx: Page,
    notice_id: int,
    done: str = "",
) -> Response:
    """A notice and its delivery report; refreshes every few seconds while it is going out."""
    ctx.require("GET", "/api/v1/notices/{notice_id}/report", NOT_DESK)
    try:
        with transaction(ctx.db) as session:
            row = notice_desk.found(session, notice_id) if 0 < notice_id < 2**31 else None
            if row is None:
                raise notice_desk.NoticeRefused("missing", "no notice")
            report = notice_desk.delivery_report(session, notice_id)
            missed = notice_desk.undelivered(session, notice_id)
    except notice_desk.NoticeRefused as refusal:
        return ctx.refused(REFUSALS[refusal.code])
    staff = ctx.staff
    return ctx.page(
        "notice.html",
        notice=row,
        report=report,
        missed=missed,
        statuses=NOTICE_STATUS,
        flash=FLASHES.get(done),
        mine=row.created_by == staff.id or staff.role == "admin",
        may_approve=row.status == "for_approval"
        and staff.id not in (row.created_by, row.requested_by),
    )


@router.post("/notices/{notice_id}/{action}")
def notice_action(
    ctx: Page,
    notice_id: int,
    action: str,
) -> Response:
    """test (to my own Telegram), send, approve, cancel or duplicate — as the API does them."""
    staff = ctx.staff
    if action not in ACTIONS or not 0 < notice_id < 2**31:
        return ctx.refused(REFUSALS["missing"])
    ctx.require("POST", f"/api/v1/notices/{{notice_id}}/{action}", NOT_DESK)
    state = ctx.state
    try:
        with writer_lock(ctx.db), transaction(ctx.db) as session:
            notice_desk.found(session, notice_id)
            done = f"notice_{action}"
            if action == "test" and not telegram_links.test_copy(
                session, staff, notice_id=notice_id, language="ko"
            ):
                return ctx.refused(REFUSALS["not_linked"])
            if action == "send":
                row = notice_desk.send(
                    session,
                    staff,
                    notice_id,
                    send_at=None,
                    budget=state.notice_budget,
                    threshold=state.notice_approval_threshold,
                    planner=state.notice_planned,
                )
                done = "notice_for_approval" if row.status == "for_approval" else done
            elif action == "approve":
                notice_desk.approve(session, staff, notice_id, planner=state.notice_planned)
            elif action == "cancel":
                notice_desk.cancel(session, staff, notice_id, stop=state.notice_cancelled)
            elif action == "duplicate":
                notice_id = notice_desk.duplicate(session, staff, notice_id)
    except notice_desk.NoticeRefused as refusal:
        return ctx.refused(REFUSALS[refusal.code])
    return RedirectResponse(f"/console/notices/{notice_id}?done={done}", status_code=303)

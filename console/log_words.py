"""The audit and access logs in words: what was done, and to what, as a person reads it
("답변 저장 · 제안 P-000012", "직원 정보 바꿈 · 김담당") instead of codes (`proposal.status`,
`staff:5`). The codes stay in the database and the API; this is only how pages say them."""

from collections.abc import Mapping

from console.language import N_, _
from conversations.care import receipt as care_receipt
from conversations.flows.propose import receipt as proposal_receipt

ACTIONS = {
    "sign_in": N_("로그인"),
    "sign_in.failed": N_("로그인 실패"),
    "sign_in.locked": N_("로그인 잠김"),
    "staff.create": N_("직원 더함"),
    "staff.change": N_("직원 정보 바꿈"),
    "staff.password_change": N_("비밀번호 바꿈"),
    "staff.password_reset": N_("처음 비밀번호 새로 만듦"),
    "staff.telegram_code": N_("텔레그램 연결 번호 만듦"),
    "staff.telegram_link": N_("텔레그램 연결"),
    "staff.telegram_unlink": N_("텔레그램 연결 끊음"),
    "token.create": N_("API 토큰 만듦"),
    "token.revoke": N_("API 토큰 폐기"),
    "proposal.status": N_("답변·진행 상황 저장"),
    "proposal.merge": N_("제안 합침"),
    "proposal.hide": N_("제안 숨김"),
    "proposal.restore": N_("제안 다시 보임"),
    "proposal.reports_dismissed": N_("제안 신고 처리 안 함"),
    "comment.hide": N_("댓글 숨김"),
    "comment.restore": N_("댓글 다시 보임"),
    "comment.reports_dismissed": N_("댓글 신고 처리 안 함"),
    "answer_template.create": N_("답변 양식 더함"),
    "answer_template.change": N_("답변 양식 고침"),
    "answer_template.delete": N_("답변 양식 지움"),
    "care.status": N_("돌봄 신청 상태 바꿈"),
    "poll.create": N_("설문 만듦"),
    "poll.edit": N_("설문 고침"),
    "poll.schedule": N_("설문 예약"),
    "poll.open": N_("설문 열기"),
    "poll.close": N_("설문 닫기"),
    "poll.duplicate": N_("설문 복사"),
    "poll.export": N_("설문 응답 내려받기"),
    "poll.read_text": N_("설문 글 응답 열람"),
    "notice.create": N_("알림 만듦"),
    "notice.edit": N_("알림 고침"),
    "notice.test": N_("알림 테스트 보냄"),
    "notice.send": N_("알림 보내기"),
    "notice.approve": N_("알림 승인"),
    "notice.cancel": N_("알림 취소"),
    "notice.duplicate": N_("알림 복사"),
    "proposal.assign": N_("담당 부서 지정"),
    "proposal.unassign": N_("담당 부서 지정 풀기"),
    "proposal.note": N_("내부 메모 남김"),
    "citizen.block": N_("시민 글쓰기 제한"),
    "citizen.unblock": N_("시민 글쓰기 제한 풀기"),
    "counter.start": N_("창구 상담 시작"),
    "counter.end": N_("창구 상담 마침"),
    "counter.file": N_("창구 접수"),
}
READS = {
    "read": N_("열람"),
    "note": N_("메모"),
    "export": N_("명단 내려받기"),
    "status": N_("상태 바꿈"),
}
KINDS = {
    "token": N_("API 토큰 {id}"),
    "notice": N_("알림 {id}"),
    "poll": N_("설문 {id}"),
    "answer_template": N_("답변 양식 {id}"),
    "comment": N_("댓글 {id}"),
    "citizen": N_("시민 {id}"),
    "counter": N_("창구 상담 {id}"),
}
# What became of a message staff actions sent a citizen (`staff/deliveries.py`).
DELIVERIES = {"queued": N_("보내는 중"), "sent": N_("보냄"), "failed": N_("못 보냄")}
CHANNELS = {"telegram": N_("텔레그램"), "kakao": N_("카카오톡"), "counter": N_("창구")}


def action_words(action: str) -> str:
    """An audit action in the reader's language; an unknown one as it is stored."""
    return _(ACTIONS[action]) if action in ACTIONS else action


def read_words(action: str) -> str:
    return _(READS[action]) if action in READS else action


def target_words(target: str, people: Mapping[int, str]) -> str:
    """`proposal:12` → "P-000012", `staff:5` → the person's name, `care:3` → "C-000003"."""
    kind, _sep, number = target.partition(":")
    if not number.isdecimal():
        return target
    item = int(number)
    if kind == "proposal":
        return proposal_receipt(item)
    if kind in ("care", "care_application"):
        return care_receipt(item)
    if kind == "staff":
        return people.get(item, target)
    if kind in KINDS:
        return _(KINDS[kind], id=item)
    return target


def delivery_words(state: str) -> str:
    return _(DELIVERIES[state]) if state in DELIVERIES else state


def channel_words(channel: str) -> str:
    return _(CHANNELS[channel]) if channel in CHANNELS else channel

"""The console's sections, registered once: path, menu entry, who may open it, and where its
routes live. The menu and the permission checks both read this table, so a page a role
cannot open is never offered to it.

A section's permission is one route of the JSON API (`staff/roles.py`): the page opens for
the roles that may call that route, so the console and the API can never disagree. Adding a
section is one line here, its module (with `router = section_router(THIS)`) and a template.
"""

from dataclasses import dataclass

from console.language import N_
from staff.roles import may


@dataclass(frozen=True)
class Section:
    """One part of the console: its address, its menu words, the API route that opens it
    (None: every signed-in person), the refusal others are shown, its route modules."""

    path: str
    menu: str
    permission: tuple[str, str] | None
    refusal: str
    modules: tuple[str, ...]

    def open_to(self, role: str) -> bool:
        return self.permission is None or may(role, *self.permission)


EVERYONE_MAY = N_("할 수 없는 일이에요")
DESK_ONLY = N_("제안은 제안 담당과 관리자만 볼 수 있어요.")
CASES_ONLY = N_("돌봄 신청은 돌봄 담당과 관리자만 볼 수 있어요.")

HOME = Section("/console", N_("할 일"), None, EVERYONE_MAY, ("console.home",))
PROPOSALS = Section(
    "/console/proposals",
    N_("제안"),
    ("GET", "/api/v1/proposals"),
    DESK_ONLY,
    ("console.proposals", "console.proposal_work"),
)
MODERATION = Section(
    "/console/moderation",
    N_("신고 목록"),
    ("POST", "/api/v1/comments/{comment_id}/hide"),
    N_("신고 처리는 제안 담당과 관리자만 할 수 있어요."),
    ("console.moderation",),
)
QUEUE = Section(
    "/console/queue",
    N_("부서 대기열"),
    ("GET", "/api/v1/proposals"),
    DESK_ONLY,
    ("console.queue",),
)
BLOCKED = Section(
    "/console/blocked",
    N_("글쓰기 제한"),
    ("GET", "/api/v1/citizens/blocked"),
    N_("글쓰기 제한은 제안 담당과 관리자만 할 수 있어요."),
    ("console.blocked",),
)
ANSWERS = Section(
    "/console/answers",
    N_("답변 양식"),
    ("GET", "/api/v1/answer-templates"),
    N_("답변 양식은 제안 담당과 관리자만 쓸 수 있어요."),
    ("console.answers",),
)
CARE = Section(
    "/console/care",
    N_("돌봄 신청"),
    ("GET", "/api/v1/care-applications"),
    CASES_ONLY,
    ("console.care",),
)
SURVEYS = Section(
    "/console/surveys",
    N_("설문·투표"),
    ("GET", "/api/v1/polls"),
    N_("설문은 설문 담당과 관리자만 볼 수 있어요."),
    ("console.survey_builder", "console.surveys"),
)
NOTICES = Section(
    "/console/notices",
    N_("맞춤 알림"),
    ("GET", "/api/v1/notices"),
    N_("알림은 알림 담당과 관리자만 볼 수 있어요."),
    ("console.composer", "console.notices"),
)
DASHBOARD = Section(
    "/console/dashboard", N_("참여 현황"), ("GET", "/api/v1/stats"), EVERYONE_MAY,
    ("console.dashboard",),
)  # fmt: skip
PEOPLE = Section(
    "/console/staff",
    N_("직원과 기록"),
    ("GET", "/api/v1/staff"),
    N_("직원 관리는 관리자만 할 수 있어요."),
    ("console.people",),
)
COUNTER = Section(
    "/console/counter",
    N_("창구 접수"),
    ("POST", "/api/v1/counter/sessions"),
    N_("창구 접수는 담당 동이 있는 직원만 할 수 있어요."),
    ("console.counter",),
)
TELEGRAM = Section(
    "/console/telegram", N_("내 텔레그램"), None, EVERYONE_MAY, ("console.telegram",)
)
TOKENS = Section("/console/tokens", N_("내 API 토큰"), None, EVERYONE_MAY, ("console.tokens",))

# In menu order.
SECTIONS = (
    HOME, PROPOSALS, QUEUE, MODERATION, BLOCKED, ANSWERS, CARE, SURVEYS, NOTICES, COUNTER,
    DASHBOARD, PEOPLE, TELEGRAM, TOKENS,
)  # fmt: skip


def menu_for(role: str) -> list[Section]:
    """The sections this role may open, in menu order."""
    return [section for section in SECTIONS if section.open_to(role)]

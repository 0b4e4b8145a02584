"""Who may do what: the one table of role rules for every staff route of the API.

Every `/api/v1` route is listed here by method and path, and a route missing from the table is
refused to everyone; `tests/api/test_roles.py` walks the OpenAPI schema with every role and
compares what happens with this table. Rules within a route (a care worker sees only the
cases of her dongs) live with the route's storage functions.
"""

from storage.staff import Role

ADMINS = frozenset({Role.ADMIN})
DESK = frozenset({Role.ADMIN, Role.STAFF})  # proposals, surveys, notices
CASES = frozenset({Role.ADMIN, Role.CARE_WORKER})  # care applications
EVERYONE = frozenset(Role)

V1 = "/api/v1"
RULES: dict[tuple[str, str], frozenset[Role]] = {
    ("GET", f"{V1}/stats"): EVERYONE,
    ("GET", f"{V1}/staff/me"): EVERYONE,
    ("POST", f"{V1}/staff/me/password"): EVERYONE,
    ("GET", f"{V1}/staff/me/telegram"): EVERYONE,
    ("POST", f"{V1}/staff/me/telegram"): EVERYONE,
    ("DELETE", f"{V1}/staff/me/telegram"): EVERYONE,
    ("GET", f"{V1}/staff"): ADMINS,
    ("POST", f"{V1}/staff"): ADMINS,
    ("PATCH", f"{V1}/staff/{{staff_id}}"): ADMINS,
    ("POST", f"{V1}/staff/{{staff_id}}/password"): ADMINS,
    ("GET", f"{V1}/tokens"): EVERYONE,
    ("POST", f"{V1}/tokens"): EVERYONE,
    ("POST", f"{V1}/tokens/{{token_id}}/revoke"): EVERYONE,
    ("GET", f"{V1}/audit-log"): ADMINS,
    ("GET", f"{V1}/proposals"): DESK,
    ("GET", f"{V1}/proposals/export.csv"): DESK,
    ("GET", f"{V1}/proposals/clusters"): DESK,
    ("GET", f"{V1}/proposals/{{proposal_id}}"): DESK,
    ("POST", f"{V1}/proposals/{{proposal_id}}/status"): DESK,
    ("POST", f"{V1}/proposals/{{proposal_id}}/merge"): DESK,
    ("POST", f"{V1}/proposals/{{proposal_id}}/hide"): DESK,
    ("POST", f"{V1}/proposals/{{proposal_id}}/restore"): DESK,
    ("POST", f"{V1}/proposals/{{proposal_id}}/assign"): DESK,
    ("GET", f"{V1}/proposals/{{proposal_id}}/notes"): DESK,
    ("POST", f"{V1}/proposals/{{proposal_id}}/notes"): DESK,
    ("GET", f"{V1}/proposals/{{proposal_id}}/deliveries"): DESK,
    ("GET", f"{V1}/citizens/blocked"): DESK,
    ("POST", f"{V1}/citizens/{{citizen_id}}/block"): DESK,
    ("POST", f"{V1}/citizens/{{citizen_id}}/unblock"): DESK,
    ("POST", f"{V1}/comments/{{comment_id}}/hide"): DESK,
    ("POST", f"{V1}/comments/{{comment_id}}/restore"): DESK,
    ("GET", f"{V1}/reports"): DESK,
    ("POST", f"{V1}/reports/{{kind}}/{{item_id}}/dismiss"): DESK,
    ("GET", f"{V1}/answer-templates"): DESK,
    ("POST", f"{V1}/answer-templates"): DESK,
    ("PUT", f"{V1}/answer-templates/{{template_id}}"): DESK,
    ("DELETE", f"{V1}/answer-templates/{{template_id}}"): DESK,
    ("POST", f"{V1}/polls"): DESK,
    ("GET", f"{V1}/polls"): DESK,
    ("GET", f"{V1}/polls/{{poll_id}}"): DESK,
    ("PUT", f"{V1}/polls/{{poll_id}}"): DESK,
    ("POST", f"{V1}/polls/{{poll_id}}/schedule"): DESK,
    ("POST", f"{V1}/polls/{{poll_id}}/open"): DESK,
    ("POST", f"{V1}/polls/{{poll_id}}/close"): DESK,
    ("POST", f"{V1}/polls/{{poll_id}}/duplicate"): DESK,
    ("GET", f"{V1}/polls/{{poll_id}}/results"): DESK,
    ("GET", f"{V1}/polls/{{poll_id}}/export.csv"): DESK,
    ("GET", f"{V1}/care-applications"): CASES,
    ("GET", f"{V1}/care-applications/export.csv"): CASES,
    ("GET", f"{V1}/care-applications/{{application_id}}"): CASES,
    ("GET", f"{V1}/care-applications/{{application_id}}/assignees"): CASES,
    ("POST", f"{V1}/care-applications/{{application_id}}/status"): CASES,
    ("POST", f"{V1}/care-applications/{{application_id}}/notes"): CASES,
    ("GET", f"{V1}/care-applications/{{application_id}}/deliveries"): CASES,
    ("GET", f"{V1}/care-access-log"): ADMINS,
    ("POST", f"{V1}/notices"): DESK,
    ("GET", f"{V1}/notices"): DESK,
    ("POST", f"{V1}/notices/preview"): DESK,
    ("GET", f"{V1}/notices/{{notice_id}}"): DESK,
    ("PUT", f"{V1}/notices/{{notice_id}}"): DESK,
    ("GET", f"{V1}/notices/{{notice_id}}/preview"): DESK,
    ("POST", f"{V1}/notices/{{notice_id}}/test"): DESK,
    ("POST", f"{V1}/notices/{{notice_id}}/send"): DESK,
    ("POST", f"{V1}/notices/{{notice_id}}/approve"): DESK,
    ("POST", f"{V1}/notices/{{notice_id}}/duplicate"): DESK,
    ("POST", f"{V1}/notices/{{notice_id}}/cancel"): DESK,
    ("GET", f"{V1}/notices/{{notice_id}}/report"): DESK,
    # Taking part for residents at the counter: any role, within the official's own dongs.
    ("POST", f"{V1}/counter/sessions"): EVERYONE,
    ("GET", f"{V1}/counter/sessions/{{session_id}}"): EVERYONE,
    ("POST", f"{V1}/counter/sessions/{{session_id}}/turns"): EVERYONE,
    ("POST", f"{V1}/counter/sessions/{{session_id}}/end"): EVERYONE,
    ("GET", f"{V1}/counter/sessions/{{session_id}}/slip"): EVERYONE,
}


def may(role: str, method: str, path: str) -> bool:
    """Whether `role` may call the route `method path` (its path template)."""
    return role in RULES.get((method, path), frozenset())

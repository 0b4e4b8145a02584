"""Saved answers per department over the API: staff keep their own department's, see no
other department's, an admin sees and keeps any; bad words are a 400 with the reason."""

import httpx
from sqlalchemy import Engine

from storage.staff import Role
from tests.auxil.factories import make_staff


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def placed(api: httpx.AsyncClient, admin: str, token_of: int, department: str) -> None:
    changed = await api.patch(
        f"/api/v1/staff/{token_of}", json={"department": department}, headers=bearer(admin)
    )
    assert changed.status_code == 200 and changed.json()["department"] == department


ANSWER = {"title": "예산 반영 예정", "status": "accepted", "body": "내년 예산에 반영하겠습니다."}


async def test_staff_keep_their_departments_answers_and_see_no_others(
    api: httpx.AsyncClient, db: Engine
) -> None:
    _, admin = make_staff(db, role=Role.ADMIN)
    traffic_id, traffic = make_staff(db, role=Role.STAFF, name="교통 담당")
    parks_id, parks = make_staff(db, role=Role.STAFF, name="공원 담당")
    homeless = make_staff(db, role=Role.STAFF, name="새 직원")[1]
    await placed(api, admin, traffic_id, "교통정책과")
    await placed(api, admin, parks_id, "공원녹지과")

    made = await api.post("/api/v1/answer-templates", json=ANSWER, headers=bearer(traffic))
    assert made.status_code == 201 and made.json()["department"] == "교통정책과"
    template_id = made.json()["id"]
    # An admin-only field is ignored for staff: they keep their own department's.
    other = {**ANSWER, "title": "검토 중", "status": "under_review", "department": "공원녹지과"}
    second = await api.post("/api/v1/answer-templates", json=other, headers=bearer(traffic))
    assert second.json()["department"] == "교통정책과"

    mine = (await api.get("/api/v1/answer-templates", headers=bearer(traffic))).json()
    assert [t["title"] for t in mine] == ["검토 중", "예산 반영 예정"]
    assert (await api.get("/api/v1/answer-templates", headers=bearer(parks))).json() == []
    url = f"/api/v1/answer-templates/{template_id}"
    assert (await api.put(url, json=ANSWER, headers=bearer(parks))).status_code == 404
    assert (await api.delete(url, headers=bearer(parks))).status_code == 404

    nowhere = await api.post("/api/v1/answer-templates", json=ANSWER, headers=bearer(homeless))
    assert nowhere.status_code == 400 and "no department" in nowhere.json()["reason"]

    rewritten = await api.put(
        url, json={**ANSWER, "body": "2027년 예산에 반영합니다."}, headers=bearer(traffic)
    )
    assert rewritten.status_code == 200 and rewritten.json()["body"] == "2027년 예산에 반영합니다."
    assert (await api.delete(url, headers=bearer(traffic))).status_code == 204
    left = (await api.get("/api/v1/answer-templates", headers=bearer(traffic))).json()
    assert [t["title"] for t in left] == ["검토 중"]


async def test_an_admin_keeps_answers_for_any_department_and_sees_them_all(
    api: httpx.AsyncClient, db: Engine
) -> None:
    _, admin = make_staff(db, role=Role.ADMIN)
    for department in ("공원녹지과", "교통정책과"):
        made = await api.post(
            "/api/v1/answer-templates",
            json={**ANSWER, "department": department},
            headers=bearer(admin),
        )
        assert made.status_code == 201
    every = (await api.get("/api/v1/answer-templates", headers=bearer(admin))).json()
    assert [t["department"] for t in every] == ["공원녹지과", "교통정책과"]
    log = (await api.get("/api/v1/audit-log", headers=bearer(admin))).json()
    assert [e["action"] for e in log if e["action"].startswith("answer_template")] == [
        "answer_template.create",
        "answer_template.create",
    ]


async def test_a_saved_answer_with_bad_words_is_refused_with_the_reason(
    api: httpx.AsyncClient, db: Engine
) -> None:
    _, admin = make_staff(db, role=Role.ADMIN)
    for wrong in ({**ANSWER, "status": "submitted"}, {**ANSWER, "title": ""}, {"title": "x"}):
        refused = await api.post(
            "/api/v1/answer-templates",
            json={**wrong, "department": "교통정책과"},
            headers=bearer(admin),
        )
        assert refused.status_code == 422 and refused.json()["reason"]
    blank = {**ANSWER, "body": "   ", "department": "교통정책과"}
    refused = await api.post("/api/v1/answer-templates", json=blank, headers=bearer(admin))
    assert refused.status_code == 400 and refused.json()["reason"] == "body: 1 to 2000 characters"
    assert (await api.get("/api/v1/answer-templates", headers=bearer(admin))).json() == []

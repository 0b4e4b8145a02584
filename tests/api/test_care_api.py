"""Case workers over HTTP: bad changes are refused with reasons, notes are sealed, exports
are scoped to the worker's dongs and logged case by case."""

import csv
import io

import httpx
from sqlalchemy import Engine, select

from storage.db import transaction
from storage.models import CareNote
from storage.staff import Role, create_staff
from tests.auxil.factories import make_case, make_staff


def worker(db: Engine, *dongs: str) -> tuple[int, dict[str, str]]:
    with transaction(db) as session:
        staff, token = create_staff(session, name="담당", role=Role.CARE_WORKER, dongs=list(dongs))
        return staff.id, {"Authorization": f"Bearer {token}"}  # type: ignore[return-value]


async def test_bad_status_changes_are_refused_with_reasons(
    api: httpx.AsyncClient, db: Engine
) -> None:
    case_id = make_case(db)
    _, headers = worker(db, "매탄3동")
    other_id, _ = worker(db, "인계동")
    url = f"/api/v1/care-applications/{case_id}/status"
    no_reason = await api.post(url, json={"status": "declined"}, headers=headers)
    unknown = await api.post(url, json={"status": "done"}, headers=headers)
    skip = await api.post(url, json={"status": "completed"}, headers=headers)
    wrong_dong = await api.post(
        url, json={"status": "reviewing", "assign_to": other_id}, headers=headers
    )
    assert [r.status_code for r in (no_reason, unknown, skip)] == [422, 422, 409]
    assert skip.json()["reason"] == "a case that is received can move to: reviewing, declined"
    assert wrong_dong.status_code == 422
    assert wrong_dong.json()["reason"] == "that care worker does not cover 매탄3동"
    declined = await api.post(
        url, json={"status": "declined", "reason": "주소지가 수원시 밖이에요"}, headers=headers
    )
    assert declined.json()["status"] == "declined" and declined.json()["closed_at"]
    missing = await api.get("/api/v1/care-applications/99999", headers=headers)
    assert missing.status_code == 404 and missing.json()["error"] == "not_found"


async def test_notes_are_sealed_and_shown_to_the_worker(
    api: httpx.AsyncClient, db: Engine
) -> None:
    case_id = make_case(db)
    _, headers = worker(db, "매탄3동")
    url = f"/api/v1/care-applications/{case_id}/notes"
    added = await api.post(url, json={"body": "방문 일정 화요일"}, headers=headers)
    assert added.status_code == 201 and added.json()["notes"][0]["body"] == "방문 일정 화요일"
    with db.connect() as connection:
        stored = connection.execute(select(CareNote.sealed_body)).scalar()  # type: ignore[call-overload]
    assert "화요일" not in stored
    empty = await api.post(url, json={"body": ""}, headers=headers)
    assert empty.status_code == 422


async def test_export_is_for_one_dong_of_the_worker_and_logs_each_case(
    api: httpx.AsyncClient, db: Engine
) -> None:
    mine = [make_case(db, phone="010-1111-0001"), make_case(db, phone="010-1111-0002")]
    make_case(db, dong="인계동", phone="010-1111-0003")
    _, headers = worker(db, "매탄3동")
    response = await api.get("/api/v1/care-applications/export.csv?dong=매탄3동", headers=headers)
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(response.text.lstrip("\ufeff"))))
    assert sorted(r["전화"] for r in rows) == ["010-1111-0001", "010-1111-0002"]
    assert rows[0]["신청인"] == "김수원" and rows[0]["신청한 도움"] == "식사 지원, 가사 지원"
    outside = await api.get("/api/v1/care-applications/export.csv?dong=인계동", headers=headers)
    assert outside.status_code == 404
    _, admin = make_staff(db, role=Role.ADMIN)
    log = (
        await api.get("/api/v1/care-access-log", headers={"Authorization": f"Bearer {admin}"})
    ).json()
    assert sorted(e["application_id"] for e in log if e["action"] == "export") == sorted(mine)


async def test_filters_find_cases_by_service_status_and_track(
    api: httpx.AsyncClient, db: Engine
) -> None:
    make_case(db)
    _, admin = make_staff(db, role=Role.ADMIN)
    headers = {"Authorization": f"Bearer {admin}"}
    found = await api.get(
        "/api/v1/care-applications?service=meals&status=received", headers=headers
    )
    assert found.json()["total"] == 1
    none = await api.get("/api/v1/care-applications?service=short_stay", headers=headers)
    assert none.json()["total"] == 0
    by_track = await api.get("/api/v1/care-applications?track=elderly_alone", headers=headers)
    assert by_track.json()["items"][0]["priority"] == "high"
    bad = await api.get("/api/v1/care-applications?service=a%25b", headers=headers)
    assert bad.status_code == 422


async def test_a_case_is_assigned_to_a_colleague_chosen_by_name(
    api: httpx.AsyncClient, db: Engine
) -> None:
    case_id = make_case(db)
    me_id, headers = worker(db, "매탄3동")
    with transaction(db) as session:
        for name, role, dongs in (
            ("가나다", Role.CARE_WORKER, ["매탄3동", "인계동"]),
            ("엉뚱동 담당", Role.CARE_WORKER, ["인계동"]),
            ("주무관", Role.STAFF, ["매탄3동"]),
        ):
            create_staff(session, name=name, role=role, dongs=dongs)
    listed = await api.get(f"/api/v1/care-applications/{case_id}/assignees", headers=headers)
    assert [w["name"] for w in listed.json()] == ["가나다", "담당"]
    colleague = listed.json()[0]["id"]
    for status in ("reviewing", "assigned"):
        body = {"status": status, "assign_to": colleague if status == "assigned" else None}
        moved = await api.post(
            f"/api/v1/care-applications/{case_id}/status", json=body, headers=headers
        )
        assert moved.status_code == 200, moved.text
    assert moved.json()["assigned_to"] == colleague and me_id != colleague

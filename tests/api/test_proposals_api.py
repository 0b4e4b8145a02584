"""Staff read proposals over HTTP: filters, paging, detail with comments, CSV for Excel."""

import httpx
from sqlalchemy import Engine

from storage import proposals
from storage.staff import Role
from tests.auxil.factories import make_citizen, make_proposal, make_staff


def auth(db: Engine) -> dict[str, str]:
    return {"Authorization": f"Bearer {make_staff(db, role=Role.STAFF)[1]}"}


async def test_list_filters_and_pages(api: httpx.AsyncClient, db: Engine) -> None:
    headers = auth(db)
    make_proposal(db, title="매탄동 그늘막", dong="매탄3동")
    make_proposal(db, title="광교 자전거 대여소", category="environment")
    make_proposal(db, title="인계동 화장실", dong="인계동")
    everything = (await api.get("/api/v1/proposals", headers=headers)).json()
    assert everything["total"] == 3 and everything["items"][0]["title"] == "인계동 화장실"
    assert everything["items"][0]["receipt"].startswith("P-")
    by_dong = (await api.get("/api/v1/proposals?dong=매탄3동", headers=headers)).json()
    assert [p["title"] for p in by_dong["items"]] == ["매탄동 그늘막"]
    by_text = (await api.get("/api/v1/proposals?q=자전거", headers=headers)).json()
    assert by_text["total"] == 1
    by_area = (await api.get("/api/v1/proposals?category=environment", headers=headers)).json()
    assert by_area["total"] == 1
    page = (await api.get("/api/v1/proposals?limit=2&offset=2", headers=headers)).json()
    assert (page["total"], len(page["items"])) == (3, 1)
    bad = await api.get("/api/v1/proposals?limit=0&status=done", headers=headers)
    assert bad.status_code == 422 and bad.json()["error"] == "invalid_request"


async def test_detail_shows_comments_and_404s_for_unknown(
    api: httpx.AsyncClient, db: Engine
) -> None:
    headers = auth(db)
    proposal_id = make_proposal(db)
    commenter = make_citizen(db, "commenter")
    with db.begin() as connection:
        proposals.comment(connection, proposal_id=proposal_id, author_id=commenter, body="저도요")
        proposals.support(
            connection, proposal_id=proposal_id, citizen_id=commenter, threshold=50
        )
    detail = (await api.get(f"/api/v1/proposals/{proposal_id}", headers=headers)).json()
    assert detail["support_count"] == 1 and detail["comments"][0]["body"] == "저도요"
    assert "author_id" not in detail
    missing = await api.get("/api/v1/proposals/424242", headers=headers)
    assert missing.status_code == 404 and missing.json()["reason"] == "no proposal 424242"


async def test_csv_export_opens_in_excel(api: httpx.AsyncClient, db: Engine) -> None:
    make_proposal(db, title="화서역 환승 주차장")
    response = await api.get("/api/v1/proposals/export.csv", headers=auth(db))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert response.content.startswith("\ufeff".encode())
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("receipt,title") and "화서역 환승 주차장" in lines[1]

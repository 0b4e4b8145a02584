"""Staff read proposals over HTTP: filters, paging, detail with comments, CSV for Excel."""

from datetime import timedelta

import httpx
from sqlalchemy import Engine
from sqlmodel import Session, select

from storage import proposals
from storage.models import OutboxMessage, ProposalComment, utcnow
from storage.staff import Role
from tests.auxil.factories import make_citizen, make_proposal, make_staff
from tests.auxil.service import sealer_for_tests


def auth(db: Engine, role: Role = Role.STAFF) -> dict[str, str]:
    return {"Authorization": f"Bearer {make_staff(db, role=role)[1]}"}


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
        proposals.support(connection, proposal_id=proposal_id, citizen_id=commenter, threshold=50)
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
    assert lines[0].startswith("접수번호,제목") and "화서역 환승 주차장" in lines[1]


def support(db: Engine, proposal_id: int, citizen: int, threshold: int = 50) -> None:
    with db.begin() as connection:
        proposals.support(
            connection, proposal_id=proposal_id, citizen_id=citizen, threshold=threshold
        )


async def test_merging_moves_supports_without_counting_anyone_twice(
    api: httpx.AsyncClient, db: Engine
) -> None:
    headers = auth(db)
    keep = make_proposal(db, title="매탄동 그늘막 설치")
    duplicate = make_proposal(db, title="매탄동 정류장 그늘막")
    both, only_dup = make_citizen(db, "both"), make_citizen(db, "dup")
    for citizen, proposal in ((both, keep), (both, duplicate), (only_dup, duplicate)):
        support(db, proposal, citizen)
    with db.begin() as connection:
        proposals.comment(connection, proposal_id=duplicate, author_id=only_dup, body="저도요")
    merged = await api.post(
        f"/api/v1/proposals/{duplicate}/merge", json={"into": keep}, headers=headers
    )
    assert merged.status_code == 200 and merged.json()["support_count"] == 2
    detail = (await api.get(f"/api/v1/proposals/{keep}", headers=headers)).json()
    assert [c["body"] for c in detail["comments"]] == ["저도요"]
    with Session(db) as session:
        told = session.exec(select(OutboxMessage.chat_id, OutboxMessage.payload)).all()
    assert {chat for chat, _ in told} == {"both", "dup", f"author-{'매탄동 정류장 그늘막'}"}
    sealer = sealer_for_tests()
    assert all("합쳐졌어요" in sealer.open_json(payload)["text"] for _, payload in told)
    gone = (await api.get(f"/api/v1/proposals/{duplicate}", headers=headers)).json()
    assert gone["hidden"] and gone["support_count"] == 0
    itself = await api.post(
        f"/api/v1/proposals/{keep}/merge", json={"into": keep}, headers=headers
    )
    hidden = await api.post(
        f"/api/v1/proposals/{keep}/merge", json={"into": duplicate}, headers=headers
    )
    assert (itself.status_code, hidden.status_code) == (400, 409)


async def test_hiding_and_restoring_proposals_and_comments(
    api: httpx.AsyncClient, db: Engine
) -> None:
    headers = auth(db)
    proposal_id = make_proposal(db)
    author = make_citizen(db)
    with db.begin() as connection:
        proposals.comment(connection, proposal_id=proposal_id, author_id=author, body="광고입니다")
    hid = await api.post(f"/api/v1/proposals/{proposal_id}/hide", headers=headers)
    assert hid.json()["hidden"]
    assert (await api.get("/api/v1/proposals", headers=headers)).json()["total"] == 0
    assert (await api.get("/api/v1/proposals?include_hidden=true", headers=headers)).json()[
        "total"
    ] == 1
    restored = await api.post(f"/api/v1/proposals/{proposal_id}/restore", headers=headers)
    assert not restored.json()["hidden"]
    comment_id = (await api.get(f"/api/v1/proposals/{proposal_id}", headers=headers)).json()[
        "comments"
    ][0]["id"]
    assert (await api.post(f"/api/v1/comments/{comment_id}/hide", headers=headers)).json() == {
        "hidden": True
    }
    assert (await api.post("/api/v1/comments/999999/hide", headers=headers)).status_code == 404


async def test_clusters_group_look_alike_proposals(api: httpx.AsyncClient, db: Engine) -> None:
    first = make_proposal(db, title="매탄동 버스정류장 그늘막 설치")
    second = make_proposal(db, title="매탄동 버스 정류장에 그늘막 설치해 주세요")
    make_proposal(db, title="광교호수공원 자전거 대여소 확충")
    groups = (await api.get("/api/v1/proposals/clusters", headers=auth(db))).json()
    assert [[p["id"] for p in g["proposals"]] for g in groups] == [[first, second]]


async def test_over_threshold_proposals_show_their_deadline_and_overdue_ones_are_flagged(
    api: httpx.AsyncClient, db: Engine
) -> None:
    headers = auth(db)
    popular = make_proposal(db, title="인기 제안")
    make_proposal(db, title="조용한 제안")
    support(db, popular, make_citizen(db, "fan"), threshold=1)
    over = (await api.get("/api/v1/proposals?over_threshold=true", headers=headers)).json()
    assert [p["title"] for p in over["items"]] == ["인기 제안"]
    assert over["items"][0]["answer_due"] and not over["items"][0]["overdue"]
    with db.begin() as connection:
        connection.execute(
            proposals.PROPOSAL.update()
            .where(proposals.PROPOSAL.c.id == popular)
            .values(threshold_reached_at=utcnow() - timedelta(days=40))
        )
    late = (await api.get("/api/v1/proposals?overdue=true", headers=headers)).json()
    assert [p["title"] for p in late["items"]] == ["인기 제안"] and late["items"][0]["overdue"]


async def test_ids_beyond_the_database_range_are_a_422_not_a_crash(
    api: httpx.AsyncClient, db: Engine
) -> None:
    headers = auth(db)
    huge = 791128851770921451520
    for method, url in (
        ("GET", f"/api/v1/proposals/{huge}"),
        ("POST", f"/api/v1/proposals/{huge}/restore"),
        ("POST", f"/api/v1/comments/{huge}/hide"),
    ):
        response = await api.request(method, url, headers=headers)
        assert response.status_code == 422 and response.json()["error"] == "invalid_request"
    merge = await api.post("/api/v1/proposals/1/merge", json={"into": huge}, headers=headers)
    assert merge.status_code == 422
    admin = auth(db, Role.ADMIN)
    for listing in ("proposals", "polls", "notices", "care-applications", "audit-log"):
        paged = await api.get(f"/api/v1/{listing}?offset={huge}", headers=admin)
        assert paged.status_code == 422, listing


async def test_timestamps_carry_their_timezone(api: httpx.AsyncClient, db: Engine) -> None:
    make_proposal(db)
    item = (await api.get("/api/v1/proposals", headers=auth(db))).json()["items"][0]
    assert item["created_at"].endswith(("+00:00", "Z"))


async def test_muted_followers_are_not_told_and_reported_comments_are_hidden(
    api: httpx.AsyncClient, db: Engine
) -> None:
    author = make_citizen(db, "author")
    proposal_id = make_proposal(db, author=author)
    fan, quiet = make_citizen(db, "fan"), make_citizen(db, "quiet")
    support(db, proposal_id, fan)
    support(db, proposal_id, quiet)
    reporters = [make_citizen(db, f"reporter{i}") for i in range(3)]
    with db.begin() as connection:
        proposals.set_muted(connection, proposal_id=proposal_id, citizen_id=quiet, muted=True)
        proposals.comment(connection, proposal_id=proposal_id, author_id=fan, body="광고")
        comment_id = connection.execute(select(ProposalComment.id)).scalar_one()
        for reporter in reporters[:2]:
            proposals.report(
                connection, kind="comment", item_id=comment_id, citizen_id=reporter, hide_after=3
            )
    detail = (await api.get(f"/api/v1/proposals/{proposal_id}", headers=auth(db))).json()
    assert detail["comments"][0]["hidden"] is False
    with db.begin() as connection:
        proposals.report(
            connection, kind="comment", item_id=comment_id, citizen_id=reporters[2], hide_after=3
        )
    detail = (await api.get(f"/api/v1/proposals/{proposal_id}", headers=auth(db))).json()
    assert detail["comments"][0]["hidden"] is True

    answered = await api.post(
        f"/api/v1/proposals/{proposal_id}/status",
        json={"status": "under_review"},
        headers=auth(db),
    )
    assert answered.status_code == 200
    with Session(db) as session:
        told = set(session.exec(select(OutboxMessage.chat_id)).all())
    assert told == {"author", "fan"}


async def test_staff_find_a_proposal_by_its_receipt_number(
    api: httpx.AsyncClient, db: Engine
) -> None:
    proposal_id = make_proposal(db, title="매탄동 버스정류장 그늘막 설치")
    headers = {"Authorization": f"Bearer {make_staff(db, role=Role.STAFF)[1]}"}
    for ref in (f"P-{proposal_id:06d}", f"p{proposal_id}", str(proposal_id)):
        found = await api.get(f"/api/v1/proposals/{ref}", headers=headers)
        assert found.status_code == 200 and found.json()["id"] == proposal_id, ref
        listed = await api.get("/api/v1/proposals", params={"q": ref}, headers=headers)
        assert [p["id"] for p in listed.json()["items"]] == [proposal_id], ref
    wrong = await api.get("/api/v1/proposals/Q-1", headers=headers)
    assert wrong.status_code == 422
    missing = await api.get("/api/v1/proposals/P-999999", headers=headers)
    assert missing.status_code == 404

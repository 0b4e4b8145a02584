"""The console over plain HTTP: forms need their token, a first password is replaced first,
six wrong passwords lock the account, roles hold as in the API."""

import re

import httpx
from sqlalchemy import Engine
from sqlmodel import select

from storage import notices, proposals, staff_links
from storage.db import transaction
from storage.models import CareAccess, ProposalComment, Staff, utcnow
from storage.staff import Role, set_password
from tests.auxil.factories import make_case, make_citizen, make_proposal, make_staff

PASSWORD = "처음 비밀번호 1234"


def person(db: Engine, role: Role = Role.STAFF, *, first: bool = False) -> str:
    """A staff member with a known password; their login."""
    staff_id, _ = make_staff(db, role=role, name=f"{role.value} 담당")
    with transaction(db) as session:
        staff = session.get(Staff, staff_id)
        assert staff is not None
        set_password(staff, PASSWORD, temporary=first)
        return staff.login


def form_token(page: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found, page
    return found.group(1)


async def sign_in(api: httpx.AsyncClient, login: str, password: str = PASSWORD) -> httpx.Response:
    token = form_token((await api.get("/console/sign-in")).text)
    form = {"login": login, "password": password, "csrf": token}
    return await api.post("/console/sign-in", data=form)


async def test_a_form_posted_without_its_token_is_refused(
    api: httpx.AsyncClient, db: Engine
) -> None:
    login = person(db)
    refused = await api.post("/console/sign-in", data={"login": login, "password": PASSWORD})
    assert refused.status_code == 403 and "양식이 만료되었어요" in refused.text
    assert (await sign_in(api, login)).status_code == 303
    proposal_id = make_proposal(db)
    answer = {"status": "under_review", "answer": ""}
    forged = await api.post(f"/console/proposals/P-{proposal_id:06d}/answer", data=answer)
    assert forged.status_code == 403


async def test_six_wrong_passwords_lock_the_account(api: httpx.AsyncClient, db: Engine) -> None:
    login = person(db)
    codes = [(await sign_in(api, login, "틀린 비밀번호")).status_code for _ in range(6)]
    assert codes == [401, 401, 401, 401, 429, 429]
    locked = await sign_in(api, login)  # the right one, too late
    assert locked.status_code == 429 and "로그인이 잠겼어요. 15분 뒤에" in locked.text
    assert 14 * 60 < int(locked.headers["Retry-After"]) <= 15 * 60


async def test_one_persons_wrong_passwords_do_not_lock_a_colleague_at_the_same_address(
    api: httpx.AsyncClient, db: Engine
) -> None:
    """A city hall's officials share one address: one person's typos lock only their own
    account there, never the office."""
    careless, colleague = person(db), person(db)
    codes = [(await sign_in(api, careless, "틀린 비밀번호")).status_code for _ in range(6)]
    assert codes[-1] == 429
    assert (await sign_in(api, colleague)).status_code == 303


async def test_guessing_one_account_from_many_addresses_locks_the_account(db: Engine) -> None:
    """The account's own rule: ten failures in ten minutes, from anywhere, lock it."""
    from storage import sessions
    from storage.db import writer_lock

    login, now = person(db), utcnow()
    for n in range(10):
        with writer_lock(db), transaction(db) as session:
            result = sessions.sign_in(
                session, login=login, password="틀림", address=f"10.0.0.{n}", now=now
            )
    assert result.refused == "locked"
    with writer_lock(db), transaction(db) as session:
        right = sessions.sign_in(
            session, login=login, password=PASSWORD, address="10.9.9.9", now=now
        )
    assert right.refused == "locked" and right.retry_at is not None


async def test_a_first_password_is_replaced_before_anything_else(
    api: httpx.AsyncClient, db: Engine
) -> None:
    login = person(db, first=True)
    signed = await sign_in(api, login)
    assert signed.headers["location"] == "/console/password"
    home = await api.get("/console", follow_redirects=False)
    assert home.status_code == 303 and home.headers["location"] == "/console/password"
    page = (await api.get("/console/password")).text
    short = {"current": PASSWORD, "new": "짧아요", "csrf": form_token(page)}
    refused = await api.post("/console/password", data=short)
    assert refused.status_code == 400 and "10자 이상" in refused.text
    good = {"current": PASSWORD, "new": "새로 정한 긴 비밀번호", "csrf": form_token(page)}
    changed = await api.post("/console/password", data=good)
    assert changed.status_code == 303
    assert "비밀번호를 바꿨어요" in (await api.get("/console?done=password")).text


async def test_a_care_worker_does_not_see_proposals(api: httpx.AsyncClient, db: Engine) -> None:
    login = person(db, Role.CARE_WORKER)
    await sign_in(api, login)
    listed = await api.get("/console/proposals")
    assert listed.status_code == 403 and "제안 담당과 관리자만" in listed.text


async def test_without_a_session_every_page_leads_to_sign_in(api: httpx.AsyncClient) -> None:
    for url in ("/console", "/console/proposals", "/console/proposals/P-000001"):
        answer = await api.get(url, follow_redirects=False)
        assert answer.status_code == 303 and answer.headers["location"] == "/console/sign-in"


async def test_a_care_worker_sees_only_her_dongs_and_every_read_is_logged(
    api: httpx.AsyncClient, db: Engine
) -> None:
    mine = make_case(db, dong="매탄3동", phone="010-2222-3333")
    elsewhere = make_case(db, dong="인계동", phone="010-4444-5555")
    login = person(db, Role.CARE_WORKER)
    with transaction(db) as session:
        worker = session.exec(select(Staff).where(Staff.login == login)).one()
        worker.dongs = ["매탄3동"]
        worker_id = worker.id
    await sign_in(api, login)
    listed = (await api.get("/console/care")).text
    assert f"C-{mine:06d}" in listed and f"C-{elsewhere:06d}" not in listed
    assert "010-2222-3333" not in listed  # no personal data in lists
    case = await api.get(f"/console/care/C-{mine:06d}")
    assert case.status_code == 200 and 'href="tel:010-2222-3333"' in case.text
    hidden = await api.get(f"/console/care/C-{elsewhere:06d}")
    assert hidden.status_code == 404 and "010-4444-5555" not in hidden.text
    with db.connect() as connection:
        reads = (
            connection.execute(
                select(CareAccess.application_id).where(
                    CareAccess.staff_id == worker_id, CareAccess.action == "read"
                )
            )
            .scalars()
            .all()
        )
    assert reads == [mine]


async def test_a_care_worker_downloads_her_dongs_cases_and_the_download_is_logged(
    api: httpx.AsyncClient, db: Engine
) -> None:
    mine = make_case(db, dong="매탄3동", phone="010-2222-3333")
    make_case(db, dong="인계동", phone="010-4444-5555")
    login = person(db, Role.CARE_WORKER)
    with transaction(db) as session:
        worker = session.exec(select(Staff).where(Staff.login == login)).one()
        worker.dongs = ["매탄3동"]
        worker_id = worker.id
    await sign_in(api, login)
    listed = (await api.get("/console/care")).text
    assert '<option value="매탄3동">' in listed and '<option value="인계동">' not in listed
    sheet = await api.get("/console/care.csv", params={"dong": "매탄3동"})
    assert sheet.headers["content-type"].startswith("text/csv")
    assert f"C-{mine:06d}" in sheet.text and "010-2222-3333" in sheet.text
    assert "010-4444-5555" not in sheet.text
    outside = await api.get("/console/care.csv", params={"dong": "인계동"})
    assert outside.status_code == 404 and "010-4444-5555" not in outside.text
    with db.connect() as connection:
        logged = connection.execute(
            select(CareAccess.application_id).where(
                CareAccess.staff_id == worker_id, CareAccess.action == "export"
            )
        ).scalars()
        assert list(logged) == [mine]


async def test_a_deactivated_persons_open_session_stops_at_once(
    api: httpx.AsyncClient, db: Engine
) -> None:
    _, admin = make_staff(db, role=Role.ADMIN, name="관리자")
    login = person(db, Role.CARE_WORKER)
    make_case(db, dong="매탄3동")
    await sign_in(api, login)
    assert "새로 들어온 돌봄 신청" in (await api.get("/console")).text
    with transaction(db) as session:
        leaver_id = session.exec(select(Staff.id).where(Staff.login == login)).one()
    off = await api.patch(
        f"/api/v1/staff/{leaver_id}",
        json={"active": False},
        headers={"Authorization": f"Bearer {admin}"},
    )
    assert off.status_code == 200
    after = await api.get("/console", follow_redirects=False)
    assert after.status_code == 303 and after.headers["location"] == "/console/sign-in"


def reported_comment(db: Engine, reports: int = 2) -> tuple[int, int]:
    """A proposal with a comment that `reports` citizens reported, for adverts and then for
    other reasons: (proposal, comment)."""
    proposal_id = make_proposal(db, title="공원 벤치 설치")
    author = make_citizen(db, "commenter")
    reporters = [make_citizen(db, f"reporter-{n}") for n in range(reports)]
    with db.begin() as connection:
        proposals.comment(
            connection, proposal_id=proposal_id, author_id=author, body="광고 글입니다"
        )
        comment_id = connection.execute(select(ProposalComment.id)).scalars().one()
        for n, citizen in enumerate(reporters):
            proposals.report(
                connection,
                kind="comment",
                item_id=comment_id,
                citizen_id=citizen,
                hide_after=3,
                reason="advert" if n == 0 else "other",
            )
    return proposal_id, comment_id


async def test_proposals_are_narrowed_by_status_category_and_dong(
    api: httpx.AsyncClient, db: Engine
) -> None:
    make_proposal(db, title="버스 노선 늘려 주세요", category="transport", dong="매탄3동")
    make_proposal(db, title="공원에 나무를 심어요", category="environment", dong="매탄3동")
    make_proposal(db, title="정자동 버스 정류장", category="transport", dong="정자1동")
    await sign_in(api, person(db))
    listed = await api.get("/console/proposals", params={"category": "transport"})
    assert "버스 노선" in listed.text and "정자동 버스" in listed.text
    assert "공원에 나무" not in listed.text and "2건" in listed.text
    both = await api.get("/console/proposals", params={"category": "transport", "dong": "매탄3동"})
    assert "버스 노선" in both.text and "정자동 버스" not in both.text
    assert '<option value="매탄3동" selected>' in both.text
    none_yet = await api.get("/console/proposals", params={"status": "accepted"})
    assert "찾는 제안이 없어요" in none_yet.text
    # A value the page never offers filters nothing instead of hiding everything.
    edited = await api.get("/console/proposals", params={"dong": "없는동", "status": "x"})
    assert edited.status_code == 200 and "3건" in edited.text


async def test_a_proposal_page_shows_comments_look_alikes_and_who_did_what(
    api: httpx.AsyncClient, db: Engine
) -> None:
    proposal_id, comment_id = reported_comment(db)
    make_proposal(db, title="공원 벤치 설치해 주세요")
    make_proposal(db, title="도서관 야간 개방")
    await sign_in(api, person(db))
    url = f"/console/proposals/P-{proposal_id:06d}"
    before = await api.get(url)
    assert "광고 글입니다" in before.text and "댓글 1개" in before.text
    assert "신고 2명" in before.text  # a comment shows how many reported it
    hide = {"csrf": form_token(before.text), "back": url}
    hidden = await api.post(f"/console/moderation/comment/{comment_id}/hide", data=hide)
    assert hidden.headers["location"] == f"{url}?done=moderated"
    assert "· 숨김" in (await api.get(url)).text
    assert "공원 벤치 설치해 주세요" in before.text and "도서관 야간 개방" not in before.text
    assert "아직 처리 기록이 없어요" in before.text
    answer = {"status": "under_review", "answer": "", "csrf": form_token(before.text)}
    assert (await api.post(f"{url}/answer", data=answer)).status_code == 303
    after = await api.get(url)
    assert "답변·진행 상황 저장: 접수 → 검토 중" in after.text and "staff 담당" in after.text


async def test_a_duplicate_is_merged_after_a_confirmation_and_errors_stand_by_the_field(
    api: httpx.AsyncClient, db: Engine
) -> None:
    duplicate = make_proposal(db, title="공원 벤치 설치해 주세요")
    kept = make_proposal(db, title="공원 벤치 설치")
    await sign_in(api, person(db))
    url = f"/console/proposals/P-{duplicate:06d}"
    token = form_token((await api.get(url)).text)
    unknown = await api.post(f"{url}/merge", data={"into": "P-999999", "csrf": token})
    assert unknown.status_code == 400 and 'id="into-error"' in unknown.text
    itself = await api.post(f"{url}/merge", data={"into": str(duplicate), "csrf": token})
    assert "같은 제안으로는 합칠 수 없어요" in itself.text
    asked = await api.post(f"{url}/merge", data={"into": f"p{kept}", "csrf": token})
    assert "제안으로 합칠까요?" in asked.text
    with db.connect() as connection:
        assert proposals.get(connection, duplicate).hidden is False  # type: ignore[union-attr]
    merged = await api.post(
        f"{url}/merge", data={"into": f"P-{kept:06d}", "csrf": token, "confirmed": "1"}
    )
    assert merged.headers["location"] == f"/console/proposals/P-{kept:06d}?done=merged"
    with db.connect() as connection:
        assert proposals.get(connection, duplicate).hidden is True  # type: ignore[union-attr]


async def test_a_proposal_is_hidden_and_shown_again_from_its_page(
    api: httpx.AsyncClient, db: Engine
) -> None:
    proposal_id = make_proposal(db, title="광고입니다")
    await sign_in(api, person(db))
    url = f"/console/proposals/P-{proposal_id:06d}"
    token = form_token((await api.get(url)).text)
    hidden = await api.post(f"{url}/hide", data={"csrf": token}, follow_redirects=True)
    assert "제안을 숨겼어요" in hidden.text and "다시 보이기" in hidden.text
    shown = await api.post(f"{url}/restore", data={"csrf": token}, follow_redirects=True)
    assert "다시 보이게 했어요" in shown.text and "제안 다시 보임" in shown.text
    unknown = await api.post(f"{url}/delete", data={"csrf": token})
    assert unknown.status_code in (404, 405)
    with db.begin() as connection:
        assert proposals.get(connection, proposal_id).hidden is False  # type: ignore[union-attr]


async def test_the_listed_proposals_download_as_a_formula_safe_csv(
    api: httpx.AsyncClient, db: Engine
) -> None:
    make_proposal(db, title="=HYPERLINK(1)", category="transport")
    make_proposal(db, title="공원에 나무를 심어요", category="environment")
    await sign_in(api, person(db))
    listed = await api.get("/console/proposals", params={"category": "transport"})
    assert 'href="/console/proposals.csv?category=transport"' in listed.text
    sheet = await api.get("/console/proposals.csv", params={"category": "transport"})
    assert sheet.headers["content-type"].startswith("text/csv")
    assert "'=HYPERLINK(1)" in sheet.text and "공원에 나무" not in sheet.text


async def test_home_counts_reports_still_shown_and_lists_notices_going_out(
    api: httpx.AsyncClient, db: Engine
) -> None:
    reported_comment(db)
    with db.begin() as connection:
        notice = notices.create(connection, created_by=None, text="독감 예방접종 안내")
        notices.move(connection, notice_id=notice, before=["draft"], after="sending")
    await sign_in(api, person(db))
    home = await api.get("/console")
    assert "처리할 신고</a>: 1건" in home.text
    assert "지금 보내는 알림" in home.text and "독감 예방접종 안내" in home.text


async def test_reported_content_is_hidden_dismissed_or_hidden_in_bulk_after_a_count(
    api: httpx.AsyncClient, db: Engine
) -> None:
    _, comment_id = reported_comment(db)
    await sign_in(api, person(db))
    queue = await api.get("/console/moderation")
    assert "광고 글입니다" in queue.text and "2명" in queue.text
    assert "광고·도배 1, 기타 1" in queue.text  # why, in the words citizens chose
    token = form_token(queue.text)
    chosen = {"csrf": token, "items": [f"comment:{comment_id}"]}
    asked = await api.post("/console/moderation/bulk", data=chosen)
    assert "1건을 숨길까요?" in asked.text
    with db.connect() as connection:
        assert connection.execute(select(ProposalComment.hidden)).scalar() is False
    done = await api.post("/console/moderation/bulk", data={**chosen, "confirmed": "1"})
    assert done.status_code == 303
    with db.connect() as connection:
        assert connection.execute(select(ProposalComment.hidden)).scalar() is True
    dismissed = await api.post(
        f"/console/moderation/comment/{comment_id}/dismiss", data={"csrf": token}
    )
    assert dismissed.status_code == 303
    with db.connect() as connection:
        assert connection.execute(select(ProposalComment.hidden)).scalar() is False
    assert "처리할 신고가 없어요" in (await api.get("/console/moderation")).text


async def test_a_case_is_moved_assigned_by_name_and_noted_with_errors_in_words(
    api: httpx.AsyncClient, db: Engine
) -> None:
    case_id = make_case(db, dong="매탄3동")
    login = person(db, Role.CARE_WORKER)
    colleague_id, _ = make_staff(db, role=Role.CARE_WORKER, name="가나다 담당")
    with transaction(db) as session:
        for staff in session.exec(select(Staff).where(Staff.role == "care_worker")):
            staff.dongs = ["매탄3동"]
    await sign_in(api, login)
    url = f"/console/care/C-{case_id:06d}"
    page = (await api.get(url)).text
    assert "가나다 담당" in page  # colleagues of the dong, by name
    token = form_token(page)
    declined = await api.post(f"{url}/status", data={"csrf": token, "status": "declined"})
    assert declined.status_code == 400 and "신청인께 전할 말을 꼭" in declined.text
    for move in ({"status": "reviewing"}, {"status": "assigned", "assign_to": str(colleague_id)}):
        moved = await api.post(f"{url}/status", data={"csrf": token, **move})
        assert moved.status_code == 303, moved.text
    noted = await api.post(f"{url}/notes", data={"csrf": token, "body": "내일 방문 예정"})
    assert noted.status_code == 303
    after = (await api.get(f"{url}?done=note")).text
    assert "메모를 저장했어요" in after and "내일 방문 예정" in after and "담당 배정" in after
    told = after.split('id="deliveries-heading"')[1]
    assert told.count("보내는 중") == 2  # the applicant, once per move, still queued


async def test_an_admin_adds_and_deactivates_people_and_reads_the_logs(
    api: httpx.AsyncClient, db: Engine
) -> None:
    await sign_in(api, person(db, Role.ADMIN))
    page = await api.get("/console/staff")
    assert page.status_code == 200 and "개인정보 열람 기록" in page.text
    token = form_token(page.text)
    new = {"csrf": token, "name": "돌봄 새내기", "login": "saenaegi", "role": "care_worker",
           "dongs": "매탄3동, 지동"}  # fmt: skip
    added = await api.post("/console/staff", data=new)
    assert "처음 비밀번호:" in added.text and "돌봄 새내기" in added.text
    again = await api.post("/console/staff", data=new)
    assert again.status_code == 400 and "이미 쓰이고 있어요" in again.text
    wrong = await api.post("/console/staff", data={**new, "login": "other", "dongs": "없는동"})
    assert wrong.status_code == 400 and "수원시의 동이 아니에요: 없는동" in wrong.text
    with transaction(db) as session:
        newcomer = session.exec(select(Staff).where(Staff.login == "saenaegi")).one()
        assert newcomer.dongs == ["매탄3동", "지동"] and newcomer.must_change_password
        newcomer_id = newcomer.id
    off = await api.post(f"/console/staff/{newcomer_id}/deactivate", data={"csrf": token})
    assert "사용 중지 했어요" in off.text
    assert "직원 정보 바꿈" in (await api.get("/console/staff")).text


async def test_the_logs_are_narrowed_by_person_action_and_day(
    api: httpx.AsyncClient, db: Engine
) -> None:
    worker = person(db, Role.STAFF)
    await sign_in(api, worker)
    await api.post(
        "/console/sign-out", data={"csrf": form_token((await api.get("/console")).text)}
    )
    await sign_in(api, person(db, Role.ADMIN))
    with transaction(db) as session:
        worker_id = session.exec(select(Staff.id).where(Staff.login == worker)).one()
    mine = await api.get("/console/staff", params={"person": worker_id, "action": "sign_in"})
    rows = re.findall(r"<tr><td>[^<]*</td><td>([^<]*)</td><td>(로그인[^<]*)</td>", mine.text)
    assert rows and all(row == ("staff 담당", "로그인") for row in rows)
    elsewhere = await api.get("/console/staff", params={"action": "sign_in", "day": "2001-01-01"})
    assert not re.findall(r"<td>sign_in</td>", elsewhere.text)
    wrong = await api.get("/console/staff", params={"day": "어제"})
    assert wrong.status_code == 400 and 'id="log-day-error"' in wrong.text


async def test_only_admins_open_the_staff_page(api: httpx.AsyncClient, db: Engine) -> None:
    await sign_in(api, person(db, Role.STAFF))
    assert (await api.get("/console/staff")).status_code == 403


async def test_a_person_makes_and_revokes_an_api_token_in_the_console(
    api: httpx.AsyncClient, db: Engine
) -> None:
    await sign_in(api, person(db))
    page = (await api.get("/console/tokens")).text
    made = await api.post(
        "/console/tokens", data={"csrf": form_token(page), "name": "통계 연동", "days": "30"}
    )
    token = re.search(r"새 토큰\(지금만 보여요\): (tt_[\w-]+)", made.text)
    assert token is not None
    assert (
        await api.get("/api/v1/stats", headers={"Authorization": f"Bearer {token[1]}"})
    ).status_code == 200
    token_id = re.search(
        r'/console/tokens/(\d+)/revoke"[^<]*<input[^>]*>\s*<button[^>]*통계 연동', made.text, re.S
    )
    assert token_id is not None
    revoked = await api.post(
        f"/console/tokens/{token_id[1]}/revoke", data={"csrf": form_token(page)}
    )
    assert "토큰을 폐기했어요" in revoked.text
    refused = await api.get("/api/v1/stats", headers={"Authorization": f"Bearer {token[1]}"})
    assert refused.status_code == 401 and refused.json()["reason"] == "the token was revoked"


async def test_an_admin_sets_a_department_and_a_wrong_field_changes_nothing(
    api: httpx.AsyncClient, db: Engine
) -> None:
    staff_id, _ = make_staff(db, role=Role.STAFF, name="교통 담당")
    await sign_in(api, person(db, Role.ADMIN))
    page = (await api.get(f"/console/staff/{staff_id}")).text
    assert 'value="교통 담당"' in page
    form = {"name": "교통 담당", "login": f"staff{staff_id}", "role": "staff"}
    wrong = {**form, "dongs": "없는동", "department": "교통정책과", "csrf": form_token(page)}
    refused = await api.post(f"/console/staff/{staff_id}", data=wrong)
    assert refused.status_code == 400
    assert 'id="dongs-error" role="alert">수원시의 동이 아니에요: 없는동' in refused.text
    with transaction(db) as session:
        assert session.get(Staff, staff_id).department == ""  # type: ignore[union-attr]
    right = {**wrong, "dongs": "", "department": " 교통정책과 "}
    saved = await api.post(f"/console/staff/{staff_id}", data=right)
    assert saved.status_code == 200 and "교통 담당님의 정보를 바꿨어요" in saved.text
    with transaction(db) as session:
        assert session.get(Staff, staff_id).department == "교통정책과"  # type: ignore[union-attr]


async def test_staff_answer_with_their_departments_saved_answer(
    api: httpx.AsyncClient, db: Engine
) -> None:
    login = person(db)
    other = person(db)
    with transaction(db) as session:
        for staff in session.exec(select(Staff)):
            staff.department = "교통정책과" if staff.login == login else "공원녹지과"
    proposal_id = make_proposal(db, title="버스 노선 늘려 주세요")
    await sign_in(api, login)
    page = (await api.get("/console/answers")).text
    assert "교통정책과의 답변 양식이에요" in page
    empty = {"title": "예산 반영", "status": "accepted", "body": " ", "csrf": form_token(page)}
    refused = await api.post("/console/answers", data=empty)
    assert refused.status_code == 400
    assert 'role="alert">답변은 1~2000자로 적어 주세요.' in refused.text
    assert 'value="예산 반영"' in refused.text  # what was typed stays
    made = await api.post("/console/answers", data={**empty, "body": "내년 예산에 반영합니다."})
    assert made.status_code == 303

    url = f"/console/proposals/P-{proposal_id:06d}"
    offered = (await api.get(url)).text
    template_id = re.search(r'<option value="(\d+)"[^>]*>예산 반영 \(교통정책과', offered)
    assert template_id, offered
    filled = (await api.get(url, params={"template": template_id.group(1)})).text
    assert ">내년 예산에 반영합니다.</textarea>" in filled
    assert '<option value="accepted" selected>' in filled
    answer = {"status": "accepted", "answer": "내년 예산에 반영합니다. 노선은 3월에 늘어나요."}
    done = await api.post(f"{url}/answer", data={**answer, "csrf": form_token(filled)})
    assert done.status_code == 303
    with transaction(db) as session:
        row = proposals.get(session.connection(), proposal_id)
        assert row is not None and row.status == "accepted"

    await api.post("/console/sign-out", data={"csrf": form_token(filled)})
    await sign_in(api, other)
    assert "아직 답변 양식이 없어요" in (await api.get("/console/answers")).text
    theirs = await api.get(url, params={"template": template_id.group(1)})
    assert "답변 양식 불러오기" not in theirs.text and "불러왔어요" not in theirs.text


async def test_a_person_links_her_own_telegram_with_a_code_shown_once(
    api: httpx.AsyncClient, db: Engine
) -> None:
    login = person(db)
    await sign_in(api, login)
    page = (await api.get("/console/telegram")).text
    assert "아직 연결되지 않았어요." in page
    made = await api.post("/console/telegram", data={"csrf": form_token(page)})
    code = re.search(r"/staff ([A-Z2-9]{8})</output>", made.text)
    assert code is not None
    with transaction(db) as session:
        assert staff_links.link(session, code="wrong-code", chat_id="8800", now=utcnow()) is None
        linked = staff_links.link(session, code=code[1].lower(), chat_id="8800", now=utcnow())
        assert linked is not None and linked.login == login
    with transaction(db) as session:  # used once
        assert staff_links.link(session, code=code[1], chat_id="8801", now=utcnow()) is None
    page = (await api.get("/console/telegram")).text
    assert "연결되어 있어요." in page
    unlinked = await api.post("/console/telegram/unlink", data={"csrf": form_token(page)})
    assert "텔레그램 연결을 끊었어요." in unlinked.text
    assert "아직 연결되지 않았어요." in unlinked.text


async def test_times_read_in_the_citys_zone_on_pages_and_in_spreadsheets(
    api: httpx.AsyncClient, db: Engine
) -> None:
    """03:12 UTC is 12:12 in Suwon: the logs on the page say 12:12, the spreadsheet says so
    with its offset."""
    from datetime import UTC, datetime

    from storage.models import AuditLog, Proposal

    moment = datetime(2026, 11, 30, 3, 12, tzinfo=UTC)
    proposal_id = make_proposal(db)
    with transaction(db) as session:
        session.add(AuditLog(staff_id=None, action="probe", target="x", detail={}, at=moment))
        stored = session.get(Proposal, proposal_id)
        assert stored is not None
        stored.created_at = moment
    await sign_in(api, person(db, Role.ADMIN))
    logs = (await api.get("/console/staff", params={"action": "probe"})).text
    assert "2026-11-30 12:12" in logs and "03:12" not in logs
    sheet = (await api.get("/console/proposals.csv")).text
    assert "2026-11-30T12:12:00+09:00" in sheet


async def test_the_home_page_lists_new_proposals_still_under_the_threshold(
    api: httpx.AsyncClient, db: Engine
) -> None:
    fresh = make_proposal(db, title="도서관 주말 개방 시간 연장")
    await sign_in(api, person(db))
    home = (await api.get("/console")).text
    assert "최근 7일 새 제안 (1건)" in home
    assert f'href="/console/proposals/P-{fresh:06d}"' in home and "도서관 주말 개방" in home

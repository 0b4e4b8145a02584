"""The console's proposal desk beside answering: a department's queue with due days,
private notes, who was told, and blocking a citizen; over plain HTTP, as the API does it."""

from datetime import date, timedelta

import httpx
from sqlalchemy import Engine, text

from storage import proposals
from storage.db import transaction
from storage.models import Staff
from storage.staff import Role, set_password
from tests.auxil.factories import make_citizen, make_proposal, make_staff
from tests.console.test_console_http import PASSWORD, form_token, sign_in


def officer(db: Engine, department: str = "도로과", role: Role = Role.STAFF) -> str:
    staff_id, _ = make_staff(db, role=role, name="박주무관", department=department)
    with transaction(db) as session:
        staff = session.get(Staff, staff_id)
        assert staff is not None
        set_password(staff, PASSWORD, temporary=False)
        return staff.login


async def test_an_assigned_proposal_is_in_its_departments_queue_soonest_due_first(
    api: httpx.AsyncClient, db: Engine
) -> None:
    await sign_in(api, officer(db))
    later = make_proposal(db, title="가로등 고장")
    sooner = make_proposal(db, title="보도블록 파손")
    for proposal_id, days in ((later, 20), (sooner, 3)):
        url = f"/console/proposals/P-{proposal_id:06d}"
        token = form_token((await api.get(url)).text)
        due = (date.today() + timedelta(days=days)).isoformat()
        done = await api.post(
            f"{url}/assign",
            data={"csrf": token, "department": "도로과", "due_on": due},
            follow_redirects=True,
        )
        assert "담당 부서를 정했어요" in done.text and "담당 부서: 도로과" in done.text
    queue = (await api.get("/console/queue")).text
    assert "부서 대기열: 도로과" in queue
    assert queue.index("보도블록 파손") < queue.index("가로등 고장")


async def test_a_past_due_day_or_a_made_up_department_is_refused_beside_the_field(
    api: httpx.AsyncClient, db: Engine
) -> None:
    await sign_in(api, officer(db))
    proposal_id = make_proposal(db)
    url = f"/console/proposals/P-{proposal_id:06d}"
    token = form_token((await api.get(url)).text)
    past = (date.today() - timedelta(days=3)).isoformat()
    for form, said in (
        ({"department": "도로과", "due_on": past}, "오늘이나 그 뒤의 날로"),
        ({"department": "없는과", "due_on": ""}, "목록에 있는 부서를"),
        ({"department": "도로과", "due_on": "내일"}, "날짜로 적어 주세요"),
    ):
        refused = await api.post(f"{url}/assign", data={"csrf": token, **form})
        assert refused.status_code == 400 and said in refused.text
        assert 'id="assign-error"' in refused.text
    with db.begin() as connection:
        assert proposals.get(connection, proposal_id).department is None  # type: ignore[union-attr]


async def test_a_private_note_is_shown_to_staff_and_kept_sealed(
    api: httpx.AsyncClient, db: Engine
) -> None:
    await sign_in(api, officer(db))
    proposal_id = make_proposal(db)
    url = f"/console/proposals/P-{proposal_id:06d}"
    token = form_token((await api.get(url)).text)
    empty = await api.post(f"{url}/notes", data={"csrf": token, "text": "  "})
    assert empty.status_code == 400 and "메모 내용을 적어 주세요" in empty.text
    noted = await api.post(
        f"{url}/notes", data={"csrf": token, "text": "현장 확인 12/5"}, follow_redirects=True
    )
    assert "메모를 남겼어요" in noted.text and "현장 확인 12/5" in noted.text
    assert "내부 메모 남김" in noted.text  # the history says a note was added
    with db.begin() as connection:
        stored = connection.execute(text("SELECT sealed_body FROM proposal_note")).scalars()
        assert [("현장" in body) for body in stored] == [False]


async def test_the_author_is_blocked_after_a_confirmation_and_let_back_from_the_list(
    api: httpx.AsyncClient, db: Engine
) -> None:
    await sign_in(api, officer(db))
    author = make_citizen(db, "troll")
    proposal_id = make_proposal(db, author=author)
    url = f"/console/proposals/P-{proposal_id:06d}"
    page = (await api.get(url)).text
    assert f"작성자: 시민 {author} (텔레그램)" in page
    token = form_token(page)
    form = {"csrf": token, "reason": "같은 광고를 반복해서 올렸어요", "back": url}
    asked = await api.post(f"/console/blocked/{author}/block", data=form)
    assert asked.status_code == 200 and "제한할까요?" in asked.text
    done = await api.post(
        f"/console/blocked/{author}/block", data={**form, "confirmed": "1"}, follow_redirects=True
    )
    assert "글쓰기를 제한했어요" in done.text and "글쓰기 제한 중" in done.text
    assert "보낸 알림이 아직 없어요" in done.text  # the citizen's news is about them, not it
    listed = (await api.get("/console/blocked")).text
    assert "같은 광고를 반복해서 올렸어요" in listed
    again = await api.post(f"/console/blocked/{author}/block", data={**form, "confirmed": "1"})
    assert again.status_code == 409 and "이미 그렇게 되어 있어요" in again.text
    lifted = await api.post(
        f"/console/blocked/{author}/unblock", data={"csrf": token}, follow_redirects=True
    )
    assert "제한을 풀었어요" in lifted.text and "글쓰기가 제한된 시민이 없어요" in lifted.text
    no_reason = await api.post(f"/console/blocked/{author}/block", data={"csrf": token})
    assert no_reason.status_code == 400 and "이유를 200자 안으로" in no_reason.text


async def test_the_proposal_page_lists_who_was_told_of_an_answer(
    api: httpx.AsyncClient, db: Engine
) -> None:
    await sign_in(api, officer(db))
    author = make_citizen(db, "author")
    proposal_id = make_proposal(db, author=author)
    url = f"/console/proposals/P-{proposal_id:06d}"
    assert "시민에게 보낸 알림이 아직 없어요" in (await api.get(url)).text
    token = form_token((await api.get(url)).text)
    answered = await api.post(
        f"{url}/answer",
        data={"csrf": token, "status": "under_review", "answer": ""},
        follow_redirects=True,
    )
    sent = answered.text.split('id="notes-heading"')[0].split('id="deliveries-heading"')[1]
    assert f"시민 {author}" in sent and "보내는 중" in sent


async def test_a_care_worker_has_neither_queue_nor_blocking(
    api: httpx.AsyncClient, db: Engine
) -> None:
    await sign_in(api, officer(db, department="복지과", role=Role.CARE_WORKER))
    home = (await api.get("/console")).text
    assert "부서 대기열" not in home and "글쓰기 제한" not in home
    assert (await api.get("/console/queue")).status_code == 403
    citizen = make_citizen(db, "someone")
    token = form_token(home)
    refused = await api.post(
        f"/console/blocked/{citizen}/block", data={"csrf": token, "reason": "x", "confirmed": "1"}
    )
    assert refused.status_code == 403

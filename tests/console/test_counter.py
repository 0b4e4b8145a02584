"""The counter over HTTP: an official starts a session for a resident (nothing stored until
the form holds), walks the chat's own conversations in the page, and what is filed is marked
as the counter's, audited, and listed on the slip."""

from datetime import timedelta

import httpx
from sqlalchemy import Engine
from sqlmodel import select

from storage import counter
from storage.db import transaction
from storage.models import AuditLog, Citizen, CounterSession, Proposal, Staff, utcnow
from storage.staff import Role, set_password
from tests.auxil.factories import make_staff
from tests.console.counter_pages import press, said, say
from tests.console.test_console_http import PASSWORD, form_token, sign_in


def official(db: Engine, *, dongs: list[str] | None = None, role: Role = Role.STAFF) -> str:
    staff_id, _ = make_staff(db, role=role, name="김담당", dongs=dongs or ["매탄3동"])
    with transaction(db) as session:
        staff = session.get(Staff, staff_id)
        assert staff is not None
        set_password(staff, PASSWORD, temporary=False)
        return staff.login


START = {
    "office": "매탄3동",
    "how": "in_person",
    "reason": "스마트폰이 없으심",
    "phone": "010-2345-6789",
    "privacy": "yes",
}


async def start(api: httpx.AsyncClient, **changes: str) -> httpx.Response:
    token = form_token((await api.get("/console/counter")).text)
    form = {**START, **changes}
    return await api.post("/console/counter", data={"csrf": token, **form}, follow_redirects=True)


async def test_a_session_needs_the_privacy_notice_read_a_phone_and_the_officials_dong(
    api: httpx.AsyncClient, db: Engine
) -> None:
    await sign_in(api, official(db))
    for change, words in (
        ({"privacy": ""}, "동의를 받았는지 확인해 주세요"),
        ({"office": "영통1동"}, "담당하는 동의 행정복지센터만"),
        ({"phone": "1234"}, "휴대전화 번호를 확인해 주세요"),
        ({"reason": "  "}, "이유를 200자 안으로"),
    ):
        refused = await start(api, **change)
        assert refused.status_code == 400 and words in refused.text
        assert 'role="alert"' in refused.text
    with transaction(db) as session:
        assert session.exec(select(CounterSession)).all() == []


async def test_an_official_without_dongs_is_told_how_to_get_them(
    api: httpx.AsyncClient, db: Engine
) -> None:
    staff_id, _ = make_staff(db, role=Role.STAFF, name="이주무관")
    with transaction(db) as session:
        staff = session.get(Staff, staff_id)
        assert staff is not None
        set_password(staff, PASSWORD, temporary=False)
        login = staff.login
    await sign_in(api, login)
    page = await api.get("/console/counter")
    assert "담당 동이 없어서 창구 접수를 할 수 없어요" in page.text
    refused = await start(api)
    assert refused.status_code == 400


async def file_a_proposal(api: httpx.AsyncClient) -> httpx.Response:
    """A new resident's first session: the chat's onboarding, then a proposal to the end."""
    page = await start(api)
    assert "언어를 골라 주세요" in said(page.text)  # the chat's own first question
    page = await press(api, page.text, "한국어")
    page = await press(api, page.text, "보통으로")
    assert "개인정보 수집·이용 안내" in said(page.text)
    page = await press(api, page.text, "동의하지 않습니다")
    page = await press(api, page.text, "📝 정책 제안하기")
    page = await say(api, page.text, "그늘")
    assert "조금 더 자세히 적어 주세요" in said(page.text)  # the chat's validation
    page = await say(api, page.text, "경로당 앞 횡단보도 신호를 늘려 주세요")
    page = await say(api, page.text, "어르신들이 건너시기에 초록불이 너무 짧아요.")
    page = await press(api, page.text, "교통")
    page = await press(api, page.text, "건너뛰기")
    assert "이대로 제출할까요?" in said(page.text)  # confirmation before anything is stored
    return await press(api, page.text, "✅ 제출하기")


async def test_a_proposal_filed_at_the_counter_walks_the_chats_steps_and_is_marked(
    api: httpx.AsyncClient, db: Engine
) -> None:
    await sign_in(api, official(db))
    page = await file_a_proposal(api)
    assert "제안을 접수했어요" in said(page.text)
    with db.begin() as connection:
        proposal_id = connection.execute(select(Proposal.id)).scalar_one()
        resident = connection.execute(select(Citizen.channel, Citizen.person_key)).one()
        marks = counter.marks(connection, kind="proposal", item_ids=[proposal_id])
    assert resident.channel == "counter" and len(resident.person_key) == 64
    assert "2345" not in resident.person_key  # a keyed hash, not the number
    assert (
        marks[proposal_id].staff_name == "김담당" and marks[proposal_id].office_dong == "매탄3동"
    )
    assert f"P-{proposal_id:06d}" in page.text  # in the session's list of what was filed
    with transaction(db) as session:
        actions = [(a.action, a.target, a.detail) for a in session.exec(select(AuditLog))]
    started = next(a for a in actions if a[0] == "counter.start")
    assert started[2]["reason"] == "스마트폰이 없으심" and started[2]["how"] == "in_person"
    filed = next(a for a in actions if a[0] == "counter.file")
    assert filed[1] == f"proposal:{proposal_id}" and filed[2]["consents"] == ["privacy"]
    assert all("010" not in str(detail) for _, _, detail in actions)  # no phone number kept
    slip = await api.get(page.url.path + "/slip")
    assert f"P-{proposal_id:06d}" in slip.text and "연결 " in slip.text
    assert "매탄3동 행정복지센터" in slip.text and "김담당" in slip.text
    receipt = await api.get(page.url.path + "/slip?size=receipt")
    assert "slip-receipt.css" in receipt.text
    figures = (await api.get("/console/dashboard")).text
    channels = figures.split("접수 경로별 참여")[1].split("</table>")[0]
    assert '<th scope="row">창구</th><td>1</td><td>0</td><td>0</td><td>1</td>' in channels


async def test_a_counter_session_ends_after_the_idle_time_and_says_so(
    api: httpx.AsyncClient, db: Engine
) -> None:
    await sign_in(api, official(db))
    page = await start(api)
    session_url = str(page.url.path)
    with db.begin() as connection:
        connection.execute(
            counter.SESSION.update().values(last_active_at=utcnow() - timedelta(minutes=21))
        )
    ended = await api.get(session_url)
    assert ended.status_code == 409 and "정해진 시간 동안 움직임이 없으면" in ended.text
    with transaction(db) as session:
        row = session.exec(select(CounterSession)).one()
        assert row.ended_why == "idle"
        assert session.exec(select(AuditLog).where(AuditLog.action == "counter.end")).one()


async def test_another_officials_session_cannot_be_opened(
    api: httpx.AsyncClient, db: Engine
) -> None:
    await sign_in(api, official(db))
    page = await start(api)
    session_url = str(page.url.path)
    api.cookies.clear()
    await sign_in(api, official(db))
    refused = await api.get(session_url)
    assert refused.status_code == 404 and "직접 시작한 상담만" in refused.text
    assert (await api.get(session_url + "/slip")).status_code == 404

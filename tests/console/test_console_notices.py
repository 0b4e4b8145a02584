"""Notices in the console: the list, a notice's delivery report with its progress bar, and
the same four-eyes and author rules as the API (an urgent notice waits for a colleague)."""

import httpx
from sqlalchemy import Engine, insert, update
from sqlmodel import select

from storage import notices
from storage.db import transaction
from storage.models import Citizen, NoticeDelivery, Staff, utcnow
from tests.auxil.factories import make_citizen
from tests.console.test_console_http import form_token, person, sign_in


def compose(db: Engine, login: str, *, urgent: bool) -> int:
    with transaction(db) as session:
        author = session.exec(select(Staff).where(Staff.login == login)).one()
        return notices.create(
            session.connection(),
            created_by=author.id,
            text="<b>단수 안내</b> 내일 오전",
            urgent=urgent,
            topics=["safety"],
        )


async def post(api: httpx.AsyncClient, notice_id: int, action: str) -> httpx.Response:
    page = (await api.get(f"/console/notices/{notice_id}")).text
    return await api.post(
        f"/console/notices/{notice_id}/{action}", data={"csrf": form_token(page)}
    )


async def test_an_urgent_notice_sent_in_the_console_waits_for_a_colleague(
    api: httpx.AsyncClient, db: Engine
) -> None:
    author, colleague = person(db), person(db)
    notice_id = compose(db, author, urgent=True)
    await sign_in(api, author)
    listed = (await api.get("/console/notices")).text
    assert f'href="/console/notices/{notice_id}"' in listed and "작성 중" in listed

    sent = await post(api, notice_id, "send")
    assert sent.status_code == 303
    page = (await api.get(sent.headers["location"])).text
    assert "다른 직원의 승인을 기다려요" in page and "승인 기다림" in page
    assert "승인하고 보내기" not in page  # not for the author
    own = await post(api, notice_id, "approve")
    assert own.status_code == 403 and "다른 사람이 승인해야 해요" in own.text
    unlinked = await post(api, notice_id, "test")
    assert "내 텔레그램을 연결해 주세요" in unlinked.text

    await api.post("/console/sign-out", data={"csrf": form_token(page)})
    await sign_in(api, colleague)
    page = (await api.get(f"/console/notices/{notice_id}")).text
    assert "알림 취소하기" not in page  # only the author or an admin
    refused = await post(api, notice_id, "cancel")
    assert refused.status_code == 403 and "쓴 사람이나 관리자만" in refused.text
    approved = await post(api, notice_id, "approve")
    assert approved.status_code == 303
    report = (await api.get(approved.headers["location"])).text
    assert "승인했어요" in report and '<progress id="progress"' in report
    assert "승인 기다림" not in report.split('id="notice-status"')[1].split("</p>")[0]


async def test_a_past_notice_is_copied_into_a_new_draft(
    api: httpx.AsyncClient, db: Engine
) -> None:
    author = person(db)
    notice_id = compose(db, author, urgent=False)
    await sign_in(api, author)
    copied = await post(api, notice_id, "duplicate")
    assert copied.status_code == 303
    location = copied.headers["location"]
    assert location.startswith("/console/notices/") and f"/{notice_id}?" not in location
    page = (await api.get(location)).text
    assert "복사해서 새 알림을 만들었어요" in page and "단수 안내 내일 오전" in page
    assert "작성 중" in page


async def test_undelivered_copies_are_listed_by_masked_number_and_dong_never_by_chat(
    api: httpx.AsyncClient, db: Engine
) -> None:
    author = person(db)
    notice_id = compose(db, author, urgent=False)
    blocked, failed = make_citizen(db, "77123"), make_citizen(db, "77456")
    now = utcnow()
    with db.begin() as connection:
        connection.execute(update(Citizen).where(Citizen.id == blocked).values(dong="인계동"))
        for citizen, status in ((blocked, "blocked"), (failed, "failed")):
            connection.execute(
                insert(NoticeDelivery).values(
                    notice_id=notice_id, citizen_id=citizen, chat_id=f"chat-{citizen}-secret",
                    status=status, urgent=False, attempts=2, not_before=now,
                )
            )  # fmt: skip
    await sign_in(api, author)
    page = (await api.get(f"/console/notices/{notice_id}")).text
    listed = page.split("받지 못한 시민", 1)[1].split("</table>", 1)[0]
    assert f"<td>…{blocked % 100:02d}</td><td>인계동</td><td>차단함</td>" in listed
    assert f"<td>…{failed % 100:02d}</td><td>정하지 않음</td><td>실패</td>" in listed
    assert "secret" not in page and "77123" not in page

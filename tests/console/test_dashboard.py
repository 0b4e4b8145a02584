"""The console's participation table shows exactly what `GET /api/v1/stats` says for the same
months, withholds groups under five, refuses a bad range beside its field, and downloads as a
formula-safe spreadsheet."""

import csv
import io

import httpx
from sqlalchemy import Engine, insert, update

from storage import notices, polls
from storage.models import Citizen, NoticeDelivery, PollResponse, utcnow
from storage.staff import Role
from tests.auxil.factories import make_case, make_citizen, make_proposal, make_staff
from tests.console.test_console_http import person, sign_in

SERVICES = {
    "제안·토론": "proposals",
    "설문·투표": "surveys",
    "돌봄 신청": "care",
    "맞춤 알림": "notices",
}


def seed(db: Engine) -> None:
    """Six people propose, three answer a survey (withheld), two apply for care (withheld),
    five are reached by a notice."""
    people = [make_citizen(db, f"d{n}") for n in range(6)]
    for who in people:
        make_proposal(db, title=f"제안 {who}", author=who)
    with db.begin() as connection:
        connection.execute(
            update(Citizen)
            .where(Citizen.id.in_(people[:5]))
            .values(  # type: ignore[union-attr]
                onboarded=True, dong="인계동", age_band="40s"
            )
        )
        connection.execute(
            update(Citizen).where(Citizen.id == people[5]).values(onboarded=True, dong="매탄1동")
        )
    make_case(db, phone="010-1000-2000")
    make_case(db, phone="010-1000-3000")
    now = utcnow()
    with db.begin() as connection:
        poll = polls.create(
            connection, created_by=None, title="설문", questions=[], opens_at=now, closes_at=now
        )
        polls_open = {"status": "open"}
        polls.edit(connection, poll_id=poll, **polls_open)
        for who in people[:3]:
            connection.execute(
                insert(PollResponse).values(
                    poll_id=poll, citizen_id=who, dong="인계동", age_band="40s", submitted_at=now
                )
            )
        notice = notices.create(connection, created_by=None, text="알림")
        notices.move(connection, notice_id=notice, before=("draft",), after="sent", queued_at=now)
        for who in people[:5]:
            connection.execute(
                insert(NoticeDelivery).values(
                    notice_id=notice, citizen_id=who, chat_id=f"d{who}", status="sent",
                    sent_at=now, urgent=False, attempts=1, not_before=now,
                )
            )  # fmt: skip


def table_of(page: str) -> dict[str, tuple[int, str]]:
    rows = {}
    for name, key in SERVICES.items():
        start = page.index(f'<th scope="row">{name}</th>')
        cells = page[start:].split("</tr>", 1)[0].split("<td>")[1:]
        rows[key] = (int(cells[0].split("<")[0]), cells[1].split("<")[0])
    return rows


async def test_the_dashboard_shows_the_apis_figures_for_the_same_months(
    api: httpx.AsyncClient, db: Engine
) -> None:
    seed(db)
    month = utcnow().strftime("%Y-%m")
    token = make_staff(db, role=Role.STAFF)[1]
    stats = await api.get(
        "/api/v1/stats",
        params={"from": month, "to": month},
        headers={"Authorization": f"Bearer {token}"},
    )
    figures = stats.json()["participation"]
    assert figures["from_month"] == month and figures["proposals"] == {
        "items": 6,
        "participants": 6,
    }
    assert figures["surveys"]["participants"] is None  # three people: withheld
    assert figures["care"] == {"items": 2, "participants": None}
    assert figures["notices"] == {"items": 1, "participants": 5}

    await sign_in(api, person(db))
    page = (await api.get("/console/dashboard", params={"from": month, "to": month})).text
    shown = table_of(page)
    for key, (items, people) in shown.items():
        expected = figures[key]
        assert items == expected["items"]
        assert people == (
            "비공개" if expected["participants"] is None else str(expected["participants"])
        )

    sheet = await api.get("/console/dashboard.csv", params={"from": month, "to": month})
    assert sheet.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(sheet.text.lstrip("\ufeff"))))
    assert rows[0] == ["서비스", "건수", "참여자", "기간"]
    assert rows[1] == ["제안·토론", "6", "6", f"{month}~{month}"]

    split = stats.json()["breakdowns"]
    # 영통구 is small; 팔달구 goes with it, or the total minus 팔달구 would give it back.
    assert split["citizens_by_gu"] == {"팔달구": None, "영통구": None}
    assert split["citizens_by_dong"] == {"인계동": None, "매탄1동": None}
    assert split["proposals_by_status"] == {"submitted": 6}
    places = await api.get(
        "/console/dashboard.csv", params={"from": month, "to": month, "table": "places"}
    )
    place_rows = list(csv.reader(io.StringIO(places.text.lstrip("\ufeff"))))
    assert ["팔달구", "비공개"] in place_rows and ["영통구", "비공개"] in place_rows
    assert ["· 매탄1동", "비공개"] in place_rows
    assert '<th scope="row">· 인계동</th><td>비공개</td>' in page
    chart = await api.get("/console/dashboard/citizens.png")
    assert chart.status_code == 200 and chart.content.startswith(b"\x89PNG")


async def test_a_bad_month_range_is_refused_beside_the_field(
    api: httpx.AsyncClient, db: Engine
) -> None:
    await sign_in(api, person(db))
    backwards = await api.get("/console/dashboard", params={"from": "2026-05", "to": "2026-01"})
    assert backwards.status_code == 400 and 'id="period-error"' in backwards.text
    token = make_staff(db, role=Role.STAFF)[1]
    refused = await api.get(
        "/api/v1/stats", params={"from": "2026-13"}, headers={"Authorization": f"Bearer {token}"}
    )
    assert refused.status_code == 400 and "YYYY-MM" in refused.json()["reason"]

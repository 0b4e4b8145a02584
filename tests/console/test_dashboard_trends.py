"""The dashboard's trends for a past month — growth per week in the city's weeks, answer
times against the deadline, survey response rates by the chat's own audience rule, notice
reach and opt-outs — say what `GET /api/v1/stats` says, with every group under five
withheld; and an opt-out is counted without keeping who."""

import csv
import io
from datetime import UTC, datetime, timedelta

import httpx
from sqlalchemy import Engine, func, insert, select, update

from staff.participation import FiguresCache, Period, period
from storage import notices, polls
from storage.models import (
    Citizen,
    NoticeDelivery,
    NoticeOptOut,
    PollResponse,
    Proposal,
    utcnow,
)
from storage.staff import Role
from tests.auxil.factories import make_citizen, make_proposal, make_staff
from tests.console.test_console_http import person, sign_in

MARCH = {"from": "2026-03", "to": "2026-03"}
MARCH_PERIOD = Period("2026-03", "2026-03")


def at(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(tzinfo=UTC)


def joined(db: Engine, when: str, n: int, tag: str, **profile: object) -> list[int]:
    people = [make_citizen(db, f"{tag}{i}") for i in range(n)]
    with db.begin() as connection:
        connection.execute(
            update(Citizen)
            .where(Citizen.id.in_(people))  # type: ignore[union-attr]
            .values(created_at=at(when), **profile)
        )
    return people


def proposal(db: Engine, title: str, filed: str, **moments: str | None) -> None:
    proposal_id = make_proposal(db, title=title)
    values = {name: at(day) if day else None for name, day in moments.items()}
    with db.begin() as connection:
        connection.execute(
            update(Proposal)
            .where(Proposal.id == proposal_id)
            .values(created_at=at(filed), **values)
        )


def seed(db: Engine) -> None:
    # Tuesday 3 March, 10:00 in Suwon: the week of Monday 2 March.
    first = joined(db, "2026-03-03T01:00", 6, "w1-", onboarded=True, dong="인계동")
    # Sunday 8 March 16:00 UTC is Monday 9 March 01:00 in Suwon: the next week there.
    joined(db, "2026-03-08T16:00", 5, "w2-", onboarded=True, dong="매탄1동", interests=["welfare"])
    joined(db, "2026-03-17T01:00", 2, "w3-")
    proposal(db, "이틀", "2026-03-02", threshold_reached_at="2026-03-03", answered_at="2026-03-04")
    proposal(db, "열흘", "2026-03-02", threshold_reached_at="2026-03-03", answered_at="2026-03-12")
    proposal(db, "엿새", "2026-03-05", answered_at="2026-03-11")
    proposal(db, "늦음", "2026-03-02", threshold_reached_at="2026-03-10", answered_at="2026-05-01")
    proposal(db, "없음", "2026-03-01", threshold_reached_at="2026-03-05")
    with db.begin() as connection:
        opens, closes = at("2026-03-10"), at("2026-03-20")
        dong_poll = polls.create(
            connection, created_by=None, title="인계동 설문", questions=[],
            audience={"dongs": ["인계동"]}, opens_at=opens, closes_at=closes,
        )  # fmt: skip
        welfare_poll = polls.create(
            connection, created_by=None, title="복지 설문", questions=[],
            audience={"interests": ["welfare"]}, opens_at=opens, closes_at=closes,
        )  # fmt: skip
        for poll in (dong_poll, welfare_poll):
            polls.move(connection, poll_id=poll, before=("draft",), after="closed")
        for who in first[:5]:
            connection.execute(
                insert(PollResponse).values(
                    poll_id=dong_poll, citizen_id=who, dong="인계동", submitted_at=opens
                )
            )
        notice = notices.create(connection, created_by=None, text="<b>단수</b> 안내")
        notices.move(
            connection, notice_id=notice, before=("draft",), after="sent",
            queued_at=at("2026-03-12"),
        )  # fmt: skip
        for n, who in enumerate(first):
            connection.execute(
                insert(NoticeDelivery).values(
                    notice_id=notice, citizen_id=who, chat_id=f"t{who}",
                    status="sent" if n < 5 else "blocked", sent_at=at("2026-03-12"),
                    urgent=False, attempts=1, not_before=at("2026-03-12"),
                )
            )  # fmt: skip
        moments = [("off", None)] * 5 + [("mute", "welfare")] * 2
        connection.execute(
            insert(NoticeOptOut),
            [{"kind": k, "topic": t, "created_at": at("2026-03-13")} for k, t in moments],
        )


def rows_of(page: str, caption: str) -> list[list[str]]:
    table = page.split(f"<caption>{caption}", 1)[1].split("</tbody>", 1)[0]
    rows = []
    for row in table.split("<tr>")[2:]:
        cells = row.replace("</th>", "<td>").replace("</td>", "<td>").split("<td>")
        rows.append([c.split(">")[-1] for c in cells if c.split(">")[-1].strip()])
    return rows


async def test_the_trends_say_what_the_api_says_with_small_groups_withheld(
    api: httpx.AsyncClient, db: Engine
) -> None:
    seed(db)
    token = make_staff(db, role=Role.STAFF)[1]
    stats = await api.get(
        "/api/v1/stats", params=MARCH, headers={"Authorization": f"Bearer {token}"}
    )
    trends = stats.json()["trends"]
    assert trends["citizens_by_week"] == {
        "2026-02-23": 0,
        "2026-03-02": 6,
        "2026-03-09": None,  # with the small week, or the period's total would give it back
        "2026-03-16": None,
        "2026-03-23": 0,
        "2026-03-30": 0,
    }
    assert trends["answer_times"] == {
        "answered": 4,
        "median_days": 8.0,  # 2, 6, 10 and 60 days
        "due": 4,
        "within_deadline": 2,
        "within_deadline_share": 50.0,
        "deadline_days": 30,
    }
    rates = {r["title"]: r for r in trends["survey_response_rates"]}
    assert rates["인계동 설문"]["responses"] == 5 and rates["인계동 설문"]["audience"] == 6
    assert rates["인계동 설문"]["rate"] == 83.3
    assert rates["복지 설문"]["audience"] == 5 and rates["복지 설문"]["rate"] == 0.0
    [reach] = trends["notice_reach"]
    # One undelivered copy is withheld, and the delivered five with it (6 − 5 would give it).
    assert (reach["recipients"], reach["reached"], reach["undelivered"]) == (6, None, None)
    assert trends["opt_outs"] == {"off": 5, "welfare": None}

    await sign_in(api, person(db))
    page = (await api.get("/console/dashboard", params=MARCH)).text
    weeks = rows_of(page, "주별 새 시민")
    assert ["2026-03-09", "비공개"] in weeks and ["2026-03-16", "비공개"] in weeks
    answers = rows_of(page, "제안 답변 시간")
    assert ["답변까지 걸린 날 (중앙값)", "8.0"] in answers
    assert ["기한 안에 답한 비율", "50.0%"] in answers
    assert ["인계동 설문", "5", "6", "83.3%"] in rows_of(page, "설문 응답률")
    assert ["단수 안내", "6", "비공개", "비공개"] in rows_of(page, "알림 도달")
    assert rows_of(page, "알림 끄기와 주제 줄이기") == [
        ["알림을 모두 끔", "5"],
        ["복지", "비공개"],
    ]

    sheet = await api.get("/console/dashboard.csv", params={**MARCH, "table": "rates"})
    lines = list(csv.reader(io.StringIO(sheet.text.lstrip("\ufeff"))))
    assert lines[0] == ["설문", "응답", "대상 시민", "응답률"]
    assert ["인계동 설문", "5", "6", "83.3%"] in lines


def test_an_opt_out_is_counted_without_the_citizen(db: Engine) -> None:
    with db.begin() as connection:
        notices.record_opt_outs(
            connection,
            before={"notices_enabled": True, "muted_topics": ["transport"]},
            after={"notices_enabled": False, "muted_topics": ["transport", "welfare"]},
        )
        notices.record_opt_outs(
            connection,
            before={"notices_enabled": False, "muted_topics": []},
            after={"notices_enabled": False, "muted_topics": []},
        )
        rows = connection.execute(select(NoticeOptOut.kind, NoticeOptOut.topic)).all()
        assert sorted(map(tuple, rows), key=str) == [("mute", "welfare"), ("off", None)]
        assert "citizen_id" not in NoticeOptOut.__table__.columns  # type: ignore[attr-defined]
        assert connection.execute(select(func.count()).select_from(NoticeOptOut)).scalar() == 2


def test_counted_figures_are_kept_for_the_refresh_time_then_counted_again(db: Engine) -> None:
    cache = FiguresCache(seconds=300, answer_days=30)
    now = utcnow()
    chosen = period(None, None, now=now)

    def counted(at: datetime):  # type: ignore[no-untyped-def]
        with db.connect() as connection:
            return cache.figures(connection, chosen, now=at)

    first = counted(now)
    joined(db, now.isoformat()[:16], 5, "late-", onboarded=True, dong="인계동")
    assert counted(now + timedelta(seconds=299)) is first
    # Another period counts its own activity but shares the citizens' groups, and says so.
    with db.connect() as connection:
        other = cache.figures(connection, MARCH_PERIOD, now=now + timedelta(seconds=10))
    assert other.counted_at == now and "인계동" not in other.breakdowns.citizens_by_dong
    later = counted(now + timedelta(seconds=300))
    assert later.counted_at == now + timedelta(seconds=300)
    assert later.breakdowns.citizens_by_dong["인계동"] == 5
    with db.connect() as connection:
        fresh = FiguresCache(seconds=0, answer_days=30).figures(connection, chosen, now=now)
    assert fresh is not first and fresh.breakdowns.citizens_by_dong["인계동"] == 5

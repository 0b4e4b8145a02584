"""The counter through the JSON API: the same rules as the page (dong scope, consent,
validation, idle end), and what it files carries the counter's mark everywhere staff look:
the proposal and care APIs, the spreadsheets and the figures by channel."""

import httpx
from sqlalchemy import Engine

from storage.staff import Role
from tests.auxil.counter_api import CounterOfficial
from tests.auxil.factories import make_staff

MARK = "창구 접수 · 김담당 · 매탄3동 행정복지센터"


async def test_a_session_is_refused_with_a_reason_and_nothing_kept(
    api: httpx.AsyncClient, db: Engine
) -> None:
    official = CounterOfficial(api, db)
    good = {
        "office_dong": "매탄3동",
        "how": "phone",
        "reason": "전화 접수",
        "phone": "010-2345-6789",
        "privacy_read": True,
    }
    for change, code, words in (
        ({"privacy_read": False}, 400, "privacy notice"),
        ({"office_dong": "영통1동"}, 403, "not one of your dongs"),
        ({"phone": "12"}, 400, "phone number"),
        ({"how": "letter"}, 422, "how"),
    ):
        refused = await api.post(
            "/api/v1/counter/sessions", json={**good, **change}, headers=official.headers
        )
        assert refused.status_code == code and words in refused.text, refused.text
    listed = await api.get("/api/v1/counter/sessions/1", headers=official.headers)
    assert listed.status_code == 404


async def test_a_turn_needs_exactly_one_thing_and_an_ended_session_takes_none(
    api: httpx.AsyncClient, db: Engine
) -> None:
    official = CounterOfficial(api, db)
    await official.start()
    url = f"/api/v1/counter/sessions/{official.session['id']}"
    both = await api.post(
        f"{url}/turns", json={"text": "네", "say": "네"}, headers=official.headers
    )
    assert both.status_code == 422 and "exactly one" in both.text
    press = await api.post(f"{url}/turns", json={"press": "ko"}, headers=official.headers)
    assert press.status_code == 422 and "prompt_id" in press.text
    ended = await api.post(f"{url}/end", headers=official.headers)
    assert ended.json() == {"ended": True}
    late = await api.post(f"{url}/turns", json={"text": "네"}, headers=official.headers)
    assert late.status_code == 409
    _, other = make_staff(db, role=Role.STAFF, dongs=["매탄3동"])
    theirs = await api.get(f"{url}/slip", headers={"Authorization": f"Bearer {other}"})
    assert theirs.status_code == 404  # another official's session is not theirs to read


async def test_counter_items_are_marked_in_the_apis_the_sheets_and_the_figures(
    api: httpx.AsyncClient, db: Engine
) -> None:
    worker = CounterOfficial(api, db, role=Role.CARE_WORKER)
    await worker.start()
    await worker.onboard_without_profile()
    await worker.apply_for_care_for_a_parent()
    await worker.press("📝 정책 제안하기")
    await worker.say("경로당 앞 횡단보도 신호를 늘려 주세요")
    await worker.say("어르신들이 건너시기에 초록불이 너무 짧아요.")
    for label in ("교통", "건너뛰기", "✅ 제출하기"):
        await worker.press(label)
    kinds = {item["kind"]: item["receipt"] for item in worker.session["filed"]}
    assert set(kinds) == {"care", "proposal"}

    case = (await api.get("/api/v1/care-applications", headers=worker.headers)).json()
    assert case["items"][0]["counter"] == MARK
    case_id = case["items"][0]["id"]
    detail = await api.get(f"/api/v1/care-applications/{case_id}", headers=worker.headers)
    assert detail.json()["counter"] == MARK and detail.json()["for_whom"] == "family"
    sheet = await api.get(
        "/api/v1/care-applications/export.csv?dong=매탄3동", headers=worker.headers
    )
    assert MARK in sheet.text

    _, desk = make_staff(db, role=Role.STAFF)
    headers = {"Authorization": f"Bearer {desk}"}
    proposal_id = int(kinds["proposal"].removeprefix("P-"))
    shown = (await api.get(f"/api/v1/proposals/{proposal_id}", headers=headers)).json()
    assert shown["counter"] == MARK
    assert MARK in (await api.get("/api/v1/proposals/export.csv", headers=headers)).text
    stats = (await api.get("/api/v1/stats", headers=headers)).json()
    assert stats["breakdowns"]["items_by_channel"]["counter"] == {"proposal": 1, "care": 1}

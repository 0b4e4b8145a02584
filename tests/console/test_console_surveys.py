"""A survey's results in the console: the same totals as the API, a chart with its words, and
small groups withheld in the breakdowns as the API withholds them."""

import io

import httpx
from PIL import Image
from sqlalchemy import Engine

from storage import polls
from storage.staff import Role
from tests.api.test_polls_api import respond, survey
from tests.auxil.factories import make_citizen, make_staff
from tests.auxil.service import sealer_for_tests
from tests.console.test_console_http import form_token, person, sign_in


async def test_results_show_the_apis_figures_with_a_worded_chart_and_withhold_small_groups(
    api: httpx.AsyncClient, db: Engine
) -> None:
    headers = {"Authorization": f"Bearer {make_staff(db, role=Role.STAFF)[1]}"}
    poll_id = (await api.post("/api/v1/polls", json=survey(), headers=headers)).json()["id"]
    await api.post(f"/api/v1/polls/{poll_id}/open", headers=headers)
    respond(db, poll_id, 5, value="1", dong="인계동", gu="팔달구")
    respond(db, poll_id, 1, value="2", dong="인계동", gu="팔달구")
    respond(db, poll_id, 2, value="2", dong="행궁동", gu="팔달구")
    private = make_citizen(db, "no-profile")  # someone who shared no profile
    with db.begin() as connection:
        polls.respond(
            connection,
            poll_id=poll_id,
            citizen_id=private,
            answers={"q1": "2"},
            gu=None,
            dong=None,
            age_band=None,
            sealer=sealer_for_tests(),
        )
    results = (await api.get(f"/api/v1/polls/{poll_id}/results", headers=headers)).json()
    q1 = results["questions"][0]

    await sign_in(api, person(db))
    assert f'href="/console/surveys/{poll_id}"' in (await api.get("/console/surveys")).text
    page = (await api.get(f"/console/surveys/{poll_id}")).text
    assert f"응답 {results['responses']}명" in page
    assert f"<caption>응답 {q1['total']['respondents']}명</caption>" in page
    for value, label in q1["labels"].items():
        count = q1["total"]["counts"][value]
        assert f'<th scope="row">{label}</th><td>{count}</td>' in page
    assert q1["breakdowns"]["dong"]["행궁동"]["suppressed"] is True
    withheld = page.split('<th scope="row">행궁동</th>', 1)[1].split("</tr>", 1)[0]
    assert "비공개" in withheld and "<td>2</td>" not in withheld
    assert '<th scope="row">정하지 않음</th>' in page

    written = page.split('<ul class="answers">', 1)[1].split("</ul>", 1)[0]
    assert sorted(written.split("<li>")[1:]) == [f"의견 {n}</li>" for n in range(5)]
    with db.connect() as connection:  # opening the written answers is in the audit log
        read = connection.exec_driver_sql(
            "SELECT target, detail FROM audit_log WHERE action = 'poll.read_text'"
        ).all()
    assert [target for target, _detail in read] == [f"poll:{poll_id}"]

    chart = await api.get(f"/console/surveys/{poll_id}/charts/q1.png")
    assert chart.status_code == 200 and chart.headers["content-type"] == "image/png"
    assert Image.open(io.BytesIO(chart.content)).size[0] == 720
    too_few = await api.get(f"/console/surveys/{poll_id}/charts/q2.png")
    assert too_few.status_code == 403  # q2 is free text: no chart


async def test_a_past_survey_is_copied_into_a_new_draft(
    api: httpx.AsyncClient, db: Engine
) -> None:
    headers = {"Authorization": f"Bearer {make_staff(db, role=Role.STAFF)[1]}"}
    poll_id = (await api.post("/api/v1/polls", json=survey(), headers=headers)).json()["id"]
    copied = await api.post(f"/api/v1/polls/{poll_id}/duplicate", headers=headers)
    assert copied.status_code == 201
    copy = copied.json()
    assert copy["status"] == "draft" and copy["title"] == "팔달구 공원 조명"
    assert copy["id"] != poll_id and copy["responses"] == 0
    assert (await api.post("/api/v1/polls/4242/duplicate", headers=headers)).status_code == 404

    await sign_in(api, person(db))
    page = (await api.get(f"/console/surveys/{poll_id}")).text
    made = await api.post(f"/console/surveys/{poll_id}/duplicate", data={"csrf": form_token(page)})
    assert made.status_code == 303
    shown = (await api.get(made.headers["location"])).text
    assert "복사해서 새 설문을 만들었어요" in shown and "작성 중" in shown

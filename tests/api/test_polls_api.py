"""Staff build, schedule, open and close surveys over HTTP; results withhold small groups."""

import csv
import io
from datetime import timedelta

import httpx
from sqlalchemy import Engine

from storage import polls
from storage.models import utcnow
from storage.staff import Role
from tests.auxil.factories import make_citizen, make_staff
from tests.auxil.service import sealer_for_tests


def auth(db: Engine, role: Role = Role.STAFF) -> dict[str, str]:
    return {"Authorization": f"Bearer {make_staff(db, role=role)[1]}"}


def survey(**overrides: object) -> dict[str, object]:
    now = utcnow()
    return {
        "title": "팔달구 공원 조명",
        "intro": "저녁 산책길 조명을 늘릴지 여쭤요.",
        "questions": [
            {"kind": "single", "text": "어느 공원에 가시나요?", "options": ["효원", "만석"]},
            {
                "kind": "text",
                "text": "하고 싶은 말씀",
                "max_length": 200,
                "show_if": {"question": "q1", "answers": ["1"]},
            },
        ],
        "audience": {"gus": ["팔달구"]},
        "opens_at": (now + timedelta(hours=1)).isoformat(),
        "closes_at": (now + timedelta(days=7)).isoformat(),
        "results_shown": "after_answer",
        **overrides,
    }


def respond(db: Engine, poll_id: int, n: int, *, value: str, dong: str, gu: str) -> None:
    citizens = [make_citizen(db, f"{dong}-{value}-{i}") for i in range(n)]
    with db.begin() as connection:
        for i, citizen in enumerate(citizens):
            answers = {"q1": value, "q2": {"text": f"의견 {i}"}} if value == "1" else {"q1": value}
            polls.respond(
                connection,
                poll_id=poll_id,
                citizen_id=citizen,
                answers=answers,
                gu=gu,
                dong=dong,
                age_band="70plus",
                sealer=sealer_for_tests(),
            )


async def test_a_draft_is_created_edited_and_refuses_edits_once_open(
    api: httpx.AsyncClient, db: Engine
) -> None:
    headers = auth(db)
    created = await api.post("/api/v1/polls", json=survey(), headers=headers)
    assert created.status_code == 201, created.text
    poll = created.json()
    assert (poll["status"], poll["version"], poll["responses"]) == ("draft", 1, 0)
    edited = await api.put(
        f"/api/v1/polls/{poll['id']}", json=survey(title="새 제목"), headers=headers
    )
    assert edited.json()["title"] == "새 제목" and edited.json()["version"] == 2
    opened = await api.post(f"/api/v1/polls/{poll['id']}/open", headers=headers)
    assert opened.json()["status"] == "open"
    refused = await api.put(f"/api/v1/polls/{poll['id']}", json=survey(), headers=headers)
    assert refused.status_code == 409
    assert refused.json()["reason"] == "a poll can be edited only before it opens"
    again = await api.post(f"/api/v1/polls/{poll['id']}/open", headers=headers)
    assert again.status_code == 409 and again.json()["reason"] == "the poll is open"
    closed = await api.post(f"/api/v1/polls/{poll['id']}/close", headers=headers)
    assert closed.json()["status"] == "closed"
    listed = (await api.get("/api/v1/polls?status=closed", headers=headers)).json()
    assert [p["id"] for p in listed["items"]] == [poll["id"]]


async def test_a_survey_keeps_its_end_words_and_its_english_title_intro_and_end(
    api: httpx.AsyncClient, db: Engine
) -> None:
    headers = auth(db)
    body = survey(
        outro="참여해 주셔서 고마워요.",
        en={"title": "Park lights", "intro": "  ", "outro": "Thank you."},
    )
    created = (await api.post("/api/v1/polls", json=body, headers=headers)).json()
    assert created["outro"] == "참여해 주셔서 고마워요."
    assert created["en"] == {"title": "Park lights", "intro": "", "outro": "Thank you."}
    copied = (await api.post(f"/api/v1/polls/{created['id']}/duplicate", headers=headers)).json()
    assert copied["en"]["title"] == "Park lights" and copied["outro"] == created["outro"]
    too_long = await api.post(
        "/api/v1/polls", json=survey(en={"title": "x" * 101}), headers=headers
    )
    assert too_long.status_code == 422


async def test_bad_surveys_are_refused_with_reasons(api: httpx.AsyncClient, db: Engine) -> None:
    headers = auth(db)
    cases = {
        "closes before it opens": survey(closes_at=utcnow().isoformat()),
        "unknown dong": survey(audience={"dongs": ["없는동"]}),
        "branch on a later question": survey(
            questions=[
                {"kind": "yes_no", "text": "a", "show_if": {"question": "q2", "answers": ["yes"]}},
                {"kind": "yes_no", "text": "b"},
            ]
        ),
        "one option": survey(questions=[{"kind": "single", "text": "a", "options": ["x"]}]),
        "no questions": survey(questions=[]),
        "unknown kind": survey(questions=[{"kind": "ranking", "text": "a"}]),
        "too many choices": survey(
            questions=[{"kind": "multiple", "text": "a", "options": ["x", "y"], "max_choices": 3}]
        ),
        "one end of a scale": survey(
            questions=[{"kind": "scale", "text": "a", "scale_labels": ["불만"]}]
        ),
        "ends on a yes/no": survey(
            questions=[{"kind": "yes_no", "text": "a", "scale_labels": ["x", "y"]}]
        ),
        "an unknown language": survey(audience={"languages": ["fr"]}),
    }
    for name, body in cases.items():
        response = await api.post("/api/v1/polls", json=body, headers=headers)
        assert response.status_code == 422, name
        assert response.json()["error"] == "invalid_request", name
    # Typing any language's words picks an option, so an English label may not be another's.
    english = [
        {
            "kind": "single",
            "text": "a",
            "options": ["매주", "weekly"],
            "en": {"options": ["weekly"]},
        }
    ]
    response = await api.post("/api/v1/polls", json=survey(questions=english), headers=headers)
    assert response.status_code == 422 and "read the same" in response.json()["reason"]
    missing = await api.get("/api/v1/polls/999", headers=headers)
    assert missing.status_code == 404 and missing.json()["reason"] == "no poll 999"


async def test_care_workers_cannot_run_polls(api: httpx.AsyncClient, db: Engine) -> None:
    response = await api.post("/api/v1/polls", json=survey(), headers=auth(db, Role.CARE_WORKER))
    assert response.status_code == 403


async def test_scheduling_a_poll_whose_time_has_come_opens_it(
    api: httpx.AsyncClient, db: Engine
) -> None:
    headers = auth(db)
    late = survey(opens_at=(utcnow() - timedelta(minutes=5)).isoformat())
    poll_id = (await api.post("/api/v1/polls", json=late, headers=headers)).json()["id"]
    scheduled = await api.post(f"/api/v1/polls/{poll_id}/schedule", headers=headers)
    assert scheduled.json()["status"] == "open"
    later_id = (await api.post("/api/v1/polls", json=survey(), headers=headers)).json()["id"]
    scheduled = await api.post(f"/api/v1/polls/{later_id}/schedule", headers=headers)
    assert scheduled.json()["status"] == "scheduled"


async def test_results_count_everyone_and_withhold_groups_under_five(
    api: httpx.AsyncClient, db: Engine
) -> None:
    headers = auth(db)
    poll_id = (await api.post("/api/v1/polls", json=survey(), headers=headers)).json()["id"]
    await api.post(f"/api/v1/polls/{poll_id}/open", headers=headers)
    respond(db, poll_id, 5, value="1", dong="인계동", gu="팔달구")
    respond(db, poll_id, 1, value="2", dong="인계동", gu="팔달구")
    respond(db, poll_id, 3, value="2", dong="행궁동", gu="팔달구")
    results = (await api.get(f"/api/v1/polls/{poll_id}/results", headers=headers)).json()
    assert results["responses"] == 9
    q1 = results["questions"][0]
    assert q1["total"] == {"respondents": 9, "counts": {"1": 5, "2": 4}}
    assert q1["labels"] == {"1": "효원", "2": "만석"}
    assert q1["percentages"] == {"1": 55.6, "2": 44.4}
    # 행궁동 is small, and 인계동 goes with it: 9 − 6 would give 행궁동's answers back.
    assert q1["breakdowns"]["dong"]["인계동"]["suppressed"] is True
    assert q1["breakdowns"]["dong"]["행궁동"]["suppressed"] is True
    assert "counts" not in q1["breakdowns"]["dong"]["행궁동"]
    assert q1["breakdowns"]["gu"]["팔달구"]["respondents"] == 9
    assert results["questions"][1]["total"]["respondents"] == 5


async def test_export_has_answers_but_no_citizen_place_or_time(
    api: httpx.AsyncClient, db: Engine
) -> None:
    headers = auth(db)
    poll_id = (await api.post("/api/v1/polls", json=survey(), headers=headers)).json()["id"]
    await api.post(f"/api/v1/polls/{poll_id}/open", headers=headers)
    respond(db, poll_id, 2, value="1", dong="인계동", gu="팔달구")
    response = await api.get(f"/api/v1/polls/{poll_id}/export.csv", headers=headers)
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.text.lstrip("\ufeff"))))
    assert rows[0] == ["response", "q1. 어느 공원에 가시나요?", "q2. 하고 싶은 말씀"]
    assert sorted(row[2] for row in rows[1:]) == ["의견 0", "의견 1"]
    assert all(row[1] == "효원" for row in rows[1:])
    assert "인계동" not in response.text and "70plus" not in response.text


async def test_a_survey_the_chat_could_not_walk_is_refused_with_the_reason(
    api: httpx.AsyncClient, db: Engine
) -> None:
    headers = auth(db)
    twins = [{"kind": "single", "text": "어느 쪽?", "options": ["찬성", " 찬성! "]}]
    response = await api.post("/api/v1/polls", json=survey(questions=twins), headers=headers)
    assert response.status_code == 422
    assert response.json()["reason"] == (
        "the survey cannot be offered in the chat: "
        "flow 'survey:0' step 'q1' options '1' and '2' read the same"
    )
    # One that slipped in before the rule (stored directly) cannot be opened either.
    with db.begin() as connection:
        now = utcnow()
        poll_id = polls.create(
            connection,
            created_by=None,
            title="옛 설문",
            intro="",
            questions=twins,
            audience={},
            opens_at=now,
            closes_at=now + timedelta(days=3),
            results_shown="after_close",
        )
    opened = await api.post(f"/api/v1/polls/{poll_id}/open", headers=headers)
    assert opened.status_code == 422 and "read the same" in opened.json()["reason"]
    assert (await api.get(f"/api/v1/polls/{poll_id}", headers=headers)).json()["status"] == "draft"

"""Building a survey in the console: every kind of question, "ask only if" chosen from earlier
answers, audience by names; refused input is explained beside its field in Korean and nothing
is saved; the preview shows the chat's own messages and buttons; saving makes the same draft
the API would, and the survey is scheduled, opened and closed from its page."""

import re
from datetime import timedelta

import httpx
from sqlalchemy import Engine, func, select

from storage import polls
from storage.models import Poll, utcnow
from storage.staff import Role
from tests.console.test_console_http import form_token, person, sign_in


def saved(db: Engine) -> int:
    with db.connect() as connection:
        return connection.execute(select(func.count()).select_from(Poll)).scalar_one()


def field_error(page: str, name: str) -> str:
    found = re.search(rf'id="{name}-error" role="alert">([^<]+)<', page)
    assert found, f"no error beside {name}"
    return found.group(1)


def a_survey(token: str, **changes: object) -> dict[str, object]:
    """Three questions: yes/no; a multiple choice asked only after 'yes'; an optional scale."""
    opens = (utcnow() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    closes = (utcnow() + timedelta(days=8)).strftime("%Y-%m-%dT%H:%M")
    return {
        "csrf": token,
        "count": "3",
        "title": "인계동 공원 조명",
        "intro": "저녁 산책길 조명을 늘릴지 여쭤요.",
        "q1_kind": "yes_no",
        "q1_text": "조명을 늘리는 데 찬성하시나요?",
        "q2_kind": "multiple",
        "q2_text": "어느 시간대에 가시나요?",
        "q2_options": "저녁\n밤\n새벽",
        "q2_max_choices": "2",
        "q2_show_if": ["q1:yes"],
        "q2_text_en": "When do you go?",
        "q2_options_en": "Evening\nNight",
        "q3_kind": "scale",
        "q3_text": "지금 조명에 만족하시나요?",
        "q3_low": "불만",
        "q3_high": "만족",
        "q3_optional": "on",
        "outro": "공원 조명을 같이 고민해 주셔서 고마워요.",
        "title_en": "Park lights in Ingye-dong",
        "outro_en": "Thanks for thinking with us.",
        "dongs": ["인계동"],
        "languages": ["ko", "en"],
        "opens_at": opens,
        "closes_at": closes,
        "results_shown": "after_answer",
        "action": "save",
        **changes,
    }


async def test_a_survey_is_built_previewed_and_saved_as_the_api_would_keep_it(
    api: httpx.AsyncClient, db: Engine
) -> None:
    await sign_in(api, person(db))
    blank = (await api.get("/console/surveys/new")).text
    token = form_token(blank)
    assert "질문 1 종류" in blank and "인계동" in blank and "영어로 쓰는 시민" in blank

    added = await api.post("/console/surveys/new", data={**a_survey(token), "action": "add"})
    assert "질문 4 종류" in added.text and saved(db) == 0
    # Question 2 may be asked only after question 1's answers, named in words.
    assert '<option value="q1:yes" selected>1. 네</option>' in added.text

    preview = await api.post("/console/surveys/new", data={**a_survey(token), "action": "preview"})
    assert preview.status_code == 200 and saved(db) == 0
    steps = preview.text.split('id="steps-heading"', 1)[1]
    assert "질문 1/2" in steps and "조명을 늘리는 데 찬성하시나요?" in steps
    assert "공원 조명을 같이 고민해 주셔서 고마워요" in steps  # the end words, last
    assert '<div class="tg-button">네</div>' in steps
    assert "앞 질문에 이렇게 답한 사람에게만 물어요: 1. 네" in steps
    assert "(1 = 불만 … 5 = 만족)" in steps and '<div class="tg-button">건너뛰기</div>' in steps
    english = await api.post(
        "/console/surveys/new", data={**a_survey(token), "action": "preview_en"}
    )
    assert "When do you go?" in english.text
    assert '<div class="tg-button">Night</div>' in english.text
    assert '<div class="tg-button">새벽</div>' in english.text  # not worded in English
    assert "Park lights in Ingye-dong" in english.text and "Thanks for thinking" in english.text

    done = await api.post("/console/surveys/new", data=a_survey(token))
    assert done.status_code == 303 and saved(db) == 1
    poll_id = int(done.headers["location"].split("/")[3].split("?")[0])
    with db.connect() as connection:
        row = polls.get(connection, poll_id)
    assert row is not None and row.status == "draft"
    assert row.audience["dongs"] == ["인계동"] and row.audience["languages"] == ["ko", "en"]
    _, q2, q3 = row.questions
    assert q2["show_if"] == {"question": "q1", "answers": ["yes"]}
    assert q2["max_choices"] == 2 and q2["en"]["options"] == ["Evening", "Night"]
    assert q3["scale_labels"] == ["불만", "만족"] and q3["optional"] is True
    page = (await api.get(done.headers["location"])).text
    assert "설문을 저장했어요" in page and "작성 중" in page

    # The saved survey comes back into the builder as it was typed.
    again = (await api.get(f"/console/surveys/{poll_id}/edit")).text
    assert "저녁\n밤\n새벽</textarea>" in again and 'value="만족"' in again
    stored = (await api.get(f"/console/surveys/{poll_id}/preview")).text
    assert "질문 2/2" in stored  # the last question, reached without the branch
    assert row.outro == "공원 조명을 같이 고민해 주셔서 고마워요."
    assert row.english == {
        "title": "Park lights in Ingye-dong",
        "outro": "Thanks for thinking with us.",
    }


async def test_every_rule_the_api_checks_is_said_beside_its_field_and_nothing_is_saved(
    api: httpx.AsyncClient, db: Engine
) -> None:
    await sign_in(api, person(db))
    token = form_token((await api.get("/console/surveys/new")).text)
    cases = {
        "title": {"title": ""},
        "q2_options": {"q2_options": "저녁"},
        "q2_max_choices": {"q2_max_choices": "9"},
        "q3_scale": {"q3_high": ""},
        "q1_options": {"q1_options": "가\n나"},
        "q2_show_if": {"q2_show_if": ["q1:yes", "q3:1"]},
        "q2_english": {"q2_options_en": "a\nb\nc\nd"},
        "closes_at": {"closes_at": (utcnow() - timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")},
        "opens_at": {"opens_at": "어제"},
    }
    for field, change in cases.items():
        refused = await api.post("/console/surveys/new", data=a_survey(token, **change))
        assert refused.status_code == 400, field
        assert re.search("[가-힣]", field_error(refused.text, field)), field
    twins = await api.post(
        "/console/surveys/new", data=a_survey(token, q2_options="저녁\n 저녁! \n밤")
    )
    assert "같게 읽혀요" in field_error(twins.text, "q2_options")
    assert saved(db) == 0


async def test_a_survey_is_opened_now_and_closed_early_from_its_page(
    api: httpx.AsyncClient, db: Engine
) -> None:
    await sign_in(api, person(db))
    token = form_token((await api.get("/console/surveys/new")).text)
    location = (await api.post("/console/surveys/new", data=a_survey(token))).headers["location"]
    path = location.split("?")[0]
    page = (await api.get(path)).text
    assert "예약하기" in page and "지금 열기" in page and "일찍 마감하기" not in page

    scheduled = await api.post(f"{path}/schedule", data={"csrf": token})
    assert scheduled.status_code == 303
    assert "설문을 예약했어요" in (await api.get(scheduled.headers["location"])).text
    opened = await api.post(f"{path}/open", data={"csrf": token})
    page = (await api.get(opened.headers["location"])).text
    assert "진행 중" in page and "일찍 마감하기" in page and "고치기" not in page
    assert (await api.get(f"{path}/edit")).status_code == 403
    again = await api.post(f"{path}/open", data={"csrf": token})
    assert again.status_code == 403 and "이미 다른 상태" in again.text
    closed = await api.post(f"{path}/close", data={"csrf": token})
    assert "설문을 마감했어요" in (await api.get(closed.headers["location"])).text
    assert (await api.post(f"{path}/close", data={"csrf": "stale"})).status_code == 403


async def test_only_survey_staff_build_surveys(api: httpx.AsyncClient, db: Engine) -> None:
    await sign_in(api, person(db, Role.CARE_WORKER))
    assert (await api.get("/console/surveys/new")).status_code == 403

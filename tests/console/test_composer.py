"""Writing a notice in the console: refused input is explained beside its field and nothing
is saved; the preview shows the message as Telegram would (nothing else of the text runs),
how many citizens it reaches and whether it needs approval; saving makes the draft."""

import httpx
from sqlalchemy import Engine, func, select, update

from storage.models import Citizen, Notice
from tests.auxil.factories import make_citizen
from tests.console.test_console_http import form_token, person, sign_in


def drafts(db: Engine) -> int:
    with db.connect() as connection:
        return connection.execute(select(func.count()).select_from(Notice)).scalar_one()


async def test_a_notice_is_checked_previewed_and_saved(api: httpx.AsyncClient, db: Engine) -> None:
    people = [make_citizen(db, f"c{n}") for n in range(3)]
    with db.begin() as connection:
        connection.execute(
            update(Citizen).where(Citizen.id.in_(people)).values(onboarded=True, dong="인계동")  # type: ignore[union-attr]
        )
    await sign_in(api, person(db))
    page = (await api.get("/console/notices/new")).text
    assert "인계동" in page and "새 알림 쓰기" in page
    token = form_token(page)

    bad = {"csrf": token, "text": "<script>x</script>", "link_label": "자세히", "action": "save"}
    refused = await api.post("/console/notices/new", data=bad)
    assert refused.status_code == 400
    assert 'id="text-error"' in refused.text and 'id="topics-error"' in refused.text
    assert (
        'id="link-label-error"' in refused.text
        and "&lt;script&gt;x&lt;/script&gt;" in refused.text
    )
    assert drafts(db) == 0

    form = {
        "csrf": token,
        "text": '<b>단수 안내</b> 내일 <a href="https://example.org/w">자세히</a> & 문의',
        "link_url": "https://example.org/water",
        "link_label": "안내 보기",
        "apply_flow": "care",
        "topics": ["safety"],
        "dongs": ["인계동"],
        "action": "preview",
    }
    preview = await api.post("/console/notices/new", data=form)
    assert preview.status_code == 200
    bubble = preview.text.split('<div class="bubble">', 1)[1].split("</div>", 1)[0]
    assert bubble.startswith('<b>단수 안내</b> 내일 <a href="https://example.org/w"')
    assert "&amp; 문의" in bubble
    assert "지금 받을 시민 3명" in preview.text and "안내 보기" in preview.text
    assert "보내기 전에 다른 직원의 승인이 필요해요" not in preview.text
    assert drafts(db) == 0

    saved = await api.post("/console/notices/new", data={**form, "action": "save"})
    assert saved.status_code == 303
    notice_page = (await api.get(saved.headers["location"])).text
    assert "알림을 저장했어요" in notice_page and "작성 중" in notice_page
    assert drafts(db) == 1

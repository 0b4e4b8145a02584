"""Writing a notice in the console: refused input is explained beside its field and nothing
is saved; the preview shows the message as Telegram would (nothing else of the text runs),
how many citizens it reaches and whether it needs approval; saving makes the draft."""

from datetime import datetime
from zoneinfo import ZoneInfo

import httpx
from sqlalchemy import Engine, func, select, update

from console.composer import _quiet_words
from runtime.quiet_hours import QuietHours
from storage.models import Citizen, Notice
from tests.auxil.factories import make_citizen
from tests.auxil.service import running_service, service_settings
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


async def test_the_preview_alone_comes_back_as_the_form_changes_with_quiet_hours_said(
    db: Engine, db_url: str
) -> None:
    """The composer's script asks for the preview alone (`fragment`): reach, quiet hours now
    (the service's quiet hours set around this hour) and approval; a form with a problem
    gets a short note there, and the page's own errors only from the button."""
    hour = datetime.now(ZoneInfo("Asia/Seoul")).hour
    quiet = {"quiet_hours_start": hour, "quiet_hours_end": (hour + 2) % 24}
    settings = service_settings(db_url, api_port=0, **quiet)
    make_citizen(db, "q1")
    async with (
        running_service(settings) as url,
        httpx.AsyncClient(base_url=url, timeout=10) as api,
    ):
        await sign_in(api, person(db))
        token = form_token((await api.get("/console/notices/new")).text)
        form = {"csrf": token, "text": "<b>안내</b>", "topics": ["safety"], "action": "preview"}
        held = await api.post("/console/notices/new", data={**form, "fragment": "1"})
        assert held.status_code == 200 and "<html" not in held.text
        assert "<b>안내</b>" in held.text and "지금 받을 시민" in held.text
        assert f"지금은 조용한 시간({hour}시~{(hour + 2) % 24}시)이라" in held.text
        urgent = await api.post(
            "/console/notices/new", data={**form, "urgent": "on", "fragment": "1"}
        )
        assert "긴급 알림이라 조용한 시간" in urgent.text
        broken = await api.post(
            "/console/notices/new", data={**form, "topics": [], "fragment": "1"}
        )
        assert broken.status_code == 200 and "미리 보기 버튼을 누르면" in broken.text
        assert drafts(db) == 0


def test_outside_quiet_hours_a_notice_starts_at_once() -> None:
    never = QuietHours(0, 0, ZoneInfo("Asia/Seoul"))
    assert _quiet_words(never, urgent=False).startswith("지금 보내면 바로 보내기 시작해요")

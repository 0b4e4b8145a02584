"""Console: composing a notice — its words with Telegram's formatting, buttons, topics and
audience by their Korean names — with a preview that looks like the Telegram message and
says how many citizens it reaches.

The form is checked by the API's own model (`NoticeIn`), so the console refuses what the API
refuses, each reason beside its field; saving calls the same `staff/notice_desk.create`.
The preview is drawn on the server: only the tags Telegram shows are re-made, everything
else is escaped.
"""

from html import escape
from html.parser import HTMLParser
from typing import Any

from fastapi import Request
from fastapi.responses import RedirectResponse, Response
from markupsafe import Markup
from pydantic import ValidationError

from console.context import FLASHES, Page, PageContext, section_router
from console.language import N_, _, current
from console.proposals import categories
from console.sections import NOTICES
from conversations.districts import suwon
from conversations.flows.choices import AGE_BANDS
from runtime.quiet_hours import QuietHours
from staff import notice_desk
from staff.notice_input import ALLOWED_TAGS, NoticeIn
from storage.db import transaction, writer_lock
from storage.models import utcnow

router = section_router(NOTICES)

FIELD_REASONS = {
    "text": N_(
        "내용을 4,000자 안으로 적어 주세요. 서식은 텔레그램이 보여 주는 것만 돼요: "
        '<b>굵게</b>, <i>기울임</i>, <u>밑줄</u>, <a href="https://…">링크</a>.'
    ),
    "link_url": N_("링크 주소는 https://로 시작하게 적어 주세요."),
    "link_label": N_("링크 버튼 글자는 40자까지이고, 링크 주소가 함께 있어야 해요."),
    "apply_flow": N_("신청 버튼은 목록에서 골라 주세요."),
    "topics": N_("주제를 1~5개 골라 주세요."),
    "audience": N_("대상은 목록에 있는 구·동·나이대·관심 분야만 고를 수 있어요."),
}
APPLY_FLOWS = {"care": N_("돌봄 신청"), "surveys": N_("설문·투표"), "propose": N_("정책 제안")}
FLASHES["notice_saved"] = N_("알림을 저장했어요. 테스트해 보고 보내 주세요.")
NOT_DESK = N_("알림은 알림 담당과 관리자만 쓸 수 있어요.")


class _Telegram(HTMLParser):
    """Re-makes only the tags Telegram shows (with an http(s) link), escaping the rest."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href") or ""
        if tag == "a" and href.startswith(("https://", "http://")):
            self.out.append(f'<a href="{escape(href)}" rel="noopener noreferrer">')
        elif tag in ALLOWED_TAGS and tag != "a":
            self.out.append(f"<{tag}>")

    def handle_endtag(self, tag: str) -> None:
        if tag in ALLOWED_TAGS:
            self.out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        self.out.append(escape(data))


def telegram_html(text: str) -> Markup:
    parser = _Telegram()
    parser.feed(text)
    parser.close()
    return Markup("".join(parser.out).replace("\n", "<br>"))


def _form_values(form: Any) -> dict[str, Any]:
    return {
        "text": (form.get("text") or "").strip(),
        "link_url": (form.get("link_url") or "").strip() or None,
        "link_label": (form.get("link_label") or "").strip() or None,
        "apply_flow": form.get("apply_flow") or None,
        "topics": form.getlist("topics"),
        "urgent": form.get("urgent") == "on",
        "audience": {
            "gus": form.getlist("gus"),
            "dongs": form.getlist("dongs"),
            "age_bands": form.getlist("age_bands"),
            "interests": form.getlist("interests"),
            "languages": form.getlist("languages"),
        },
    }


def _composer(
    ctx: PageContext, values: dict[str, Any], fragment: bool = False, **extra: Any
) -> Response:
    """The composer page, or (`fragment`) only its preview, for the page's script."""
    catalog = ctx.state.catalog
    language = current()
    return ctx.page(
        "_notice_preview.html" if fragment else "composer.html",
        status=400 if extra.get("errors") and not fragment else 200,
        values=values,
        areas=categories(ctx.request),
        ages={band.value: catalog.text(language, band.label) for band in AGE_BANDS},
        places=suwon().dongs_by_gu(),
        flows=APPLY_FLOWS,
        apply_button=catalog.text(language, "notice.apply_button"),
        fewer_button=catalog.text(language, "notice.fewer_button"),
        **extra,
    )


@router.get("/notices/new")
def composer_page(ctx: Page) -> Response:
    """An empty notice to write."""
    ctx.require("POST", "/api/v1/notices", NOT_DESK)
    return _composer(ctx, _form_values(_Empty()))


class _Empty:
    """A form with nothing filled in."""

    def get(self, name: str) -> None:
        return None

    def getlist(self, name: str) -> list[str]:
        return []


@router.post("/notices/new")
async def composer_post(request: Request, ctx: Page) -> Response:
    """`preview` shows the message and its reach; `save` keeps it as a draft."""
    form = await request.form()
    ctx.require("POST", "/api/v1/notices", NOT_DESK)
    values = _form_values(form)
    # The page's script asks for the preview alone as the form changes.
    fragment = form.get("fragment") == "1" and form.get("action") != "save"
    try:
        checked = NoticeIn.model_validate(values)
    except ValidationError as problems:
        errors = {}
        for problem in problems.errors():
            field = str(problem["loc"][0]) if problem["loc"] else "link_label"
            errors[field] = FIELD_REASONS.get(field, FIELD_REASONS["link_label"])
        if values["link_label"] and not values["link_url"]:
            # The model checks this only once every field passes; say it now, with the rest.
            errors["link_label"] = FIELD_REASONS["link_label"]
        return _composer(ctx, values, errors=errors, fragment=fragment)
    columns = {
        **checked.model_dump(exclude={"audience"}),
        "audience": checked.audience.model_dump(),
    }
    if form.get("action") == "save":
        with writer_lock(ctx.db), transaction(ctx.db) as session:
            notice_id = notice_desk.create(session, ctx.staff, columns)
        return RedirectResponse(f"/console/notices/{notice_id}?done=notice_saved", status_code=303)
    with transaction(ctx.db) as session:
        total, over = notice_desk.reach(session, columns, budget=ctx.state.notice_budget)
    return _composer(
        ctx,
        values,
        fragment=fragment,
        preview=telegram_html(checked.text),
        reach=(total, over, total - over),
        quiet_words=_quiet_words(ctx.state.quiet_hours, urgent=checked.urgent),
        needs_approval=checked.urgent or total - over > ctx.state.notice_approval_threshold,
    )


def _quiet_words(quiet: QuietHours, *, urgent: bool) -> str:
    """What quiet hours do to this notice if it is sent now."""
    hours = {"start": quiet.start, "end": quiet.end}
    if urgent:
        return _("긴급 알림이라 조용한 시간({start}시~{end}시)에도 바로 보내요.", **hours)
    if quiet.active(utcnow()):
        return _(
            "지금은 조용한 시간({start}시~{end}시)이라 보내기를 눌러도 {end}시부터 보내요.",
            **hours,
        )
    return _(
        "지금 보내면 바로 보내기 시작해요. 조용한 시간({start}시~{end}시)에는 아침까지 기다려요.",
        **hours,
    )

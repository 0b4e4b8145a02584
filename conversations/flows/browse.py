"""Browse proposals: newest, most supported, mine, my dong, by area; open one to act on it.

    citizen: 제안 둘러보기
    bot:     어떤 제안을 볼까요?        [🆕 최신순] [👍 공감 많은 순] [🙋 내 제안] [📍 우리 동네] …
    citizen: 공감 많은 순
    bot:     1) 매탄동 버스정류장 그늘막 (공감 51 · 검토 중) …  [1. 매탄동 버스정류장…]
    citizen: 1
    bot:     [매탄동 버스정류장 그늘막] 공감 51 · 검토 중 · 답변 기한 2026-12-24 …
             [👍 공감하기] [💬 의견 쓰기] [🚩 신고하기] [◀ 목록으로]
    citizen: (taps 👍 공감하기)
    bot:     공감했어요. … (the same proposal, now with 52)

Every action goes through the desk in the turn's transaction; a double tap is a stale button.
"""

from conversations.desk import ProposalCard
from conversations.districts import suwon
from conversations.flows.choices import INTERESTS, REPORT_REASONS
from conversations.flows.propose import receipt
from conversations.inputs import ChooseOffered, ChooseOne, FreeText
from conversations.masking import mask_personal
from conversations.model import (
    Answers,
    Context,
    Flow,
    Offer,
    Option,
    Outcome,
    Profile,
    Step,
    leads_to,
)

SORTS = tuple(
    Option(value, f"browse.sort.{value}")
    for value in ("newest", "popular", "mine", "near", "category")
)
COMMENT_LIMITS = (2, 500)
NOT_NOW = Option("no", "browse.report_no")
REASON_VALUES = {o.value for o in REPORT_REASONS}
BUTTON_TITLE = 16


@leads_to("category", "list")
def after_sort(answers: Answers, profile: Profile) -> str:
    return "category" if answers["sort"] == "category" else "list"


def _page_of(answers: Answers) -> int:
    """The page being shown: kept in the list answer ("page:2", or "open:17:2")."""
    parts = str(answers.get("list") or "page:1").split(":")
    return int(parts[-1])


def offer_list(ctx: Context) -> Offer:
    """A page of proposals as numbered lines, one button each, and paging buttons."""
    if ctx.desk is None:
        return Offer(())
    sort = ctx.answers["sort"]
    if sort == "near" and not ctx.profile.dong:
        return Offer(())
    page = _page_of(ctx.answers)
    cards, more = ctx.desk.browse_proposals(
        order="popular" if sort == "popular" else "newest",
        mine=sort == "mine",
        category=ctx.answers.get("category") if sort == "category" else None,
        dong=ctx.profile.dong if sort == "near" else None,
        page=page,
    )
    if not cards and page == 1:
        return Offer(())
    lines = [_line(ctx, n, card) for n, card in enumerate(cards, start=1)]
    options = [
        (f"open:{card.id}:{page}", f"{n}. {_short(card.title)}")
        for n, card in enumerate(cards, start=1)
    ]
    if page > 1:
        options.append((f"page:{page - 1}", ctx.t("browse.previous_page")))
    if more:
        options.append((f"page:{page + 1}", ctx.t("browse.next_page")))
    return Offer(tuple(options), {"lines": "\n".join(lines), "page": str(page)})


def _line(ctx: Context, n: int, card: ProposalCard) -> str:
    status = ctx.t(f"proposal.status.{card.status}")
    return ctx.t("browse.line", n=n, title=card.title, supports=card.supports, status=status)


def _short(title: str) -> str:
    return title if len(title) <= BUTTON_TITLE else title[: BUTTON_TITLE - 1] + "…"


@leads_to("sort", "detail", "list")
def after_list(answers: Answers, profile: Profile) -> str:
    """An empty list is no dead end: back to the choice of lists (`note_empty_list` says so)."""
    choice = answers.get("list")
    if choice is None:
        return "sort"
    return "detail" if choice.startswith("open:") else "list"


def note_empty_list(ctx: Context, choice: str | None) -> str | None:
    """Says why nothing was listed, before the other lists are offered."""
    if choice is not None:
        return None
    if ctx.answers.get("sort") == "near" and not ctx.profile.dong:
        return "browse.no_dong"
    return "browse.empty_list"


def opened(answers: Answers) -> int:
    return int(str(answers["list"]).split(":")[1])


def offer_detail(ctx: Context) -> Offer:
    """The proposal with its status, deadline, answer and latest comments; what can be done."""
    view = ctx.desk.view_proposal(opened(ctx.answers)) if ctx.desk else None
    if view is None:
        return Offer((("back", ctx.t("browse.back_to_list")),), {"detail": ctx.t("propose.gone")})
    language = ctx.profile.language or "ko"
    parts = [
        ctx.t(
            "browse.detail",
            receipt=receipt(view.id),
            title=view.title,
            body=view.body,
            supports=view.supports,
            status=ctx.t(f"proposal.status.{view.status}"),
            category=ctx.t(f"interest.{view.category}") if view.category else "",
            dong=suwon().label(view.dong, language) if view.dong else ctx.t("browse.whole_city"),
            filed=view.filed or "",
        ),
    ]
    if view.answer_due:
        parts.append(ctx.t("browse.answer_due", date=view.answer_due))
    if view.answer:
        parts.append(ctx.t("proposal.answer", answer=view.answer).strip())
    if view.comments:
        lines = "\n".join(f"- {body}" for _, body in view.comments)
        parts.append(ctx.t("browse.comments", comments=lines))
    support = (
        ("withdraw", "browse.withdraw") if view.supported_by_me else ("support", "browse.support")
    )
    mute = ("unmute", "browse.unmute") if view.muted_by_me else ("mute", "browse.mute")
    options = [
        (support[0], ctx.t(support[1])),
        ("comment", ctx.t("browse.comment")),
        ("report", ctx.t("browse.report")),
    ]
    if view.comments:
        options.append(("report_comment", ctx.t("browse.report_comment")))
    options += [(mute[0], ctx.t(mute[1])), ("back", ctx.t("browse.back_to_list"))]
    return Offer(tuple(options), {"detail": "\n\n".join(parts)})


def act_on_detail(ctx: Context, choice: str | None) -> str | None:
    """Supports, withdraws and (un)mutes at once; commenting and reporting ask first."""
    if ctx.desk is None or choice not in ("support", "withdraw", "mute", "unmute"):
        return None
    proposal_id = opened(ctx.answers)
    if choice in ("mute", "unmute"):
        ctx.desk.mute_proposal(proposal_id, choice == "mute")
        return "browse.muted" if choice == "mute" else "browse.unmuted"
    if choice == "support":
        return (
            "propose.supported"
            if ctx.desk.support_proposal(proposal_id)
            else ("propose.already_supported")
        )
    ctx.desk.withdraw_support(proposal_id)
    return "browse.withdrawn"


@leads_to("comment", "report", "pick_comment", "list", "detail")
def after_detail(answers: Answers, profile: Profile) -> str:
    steps = {"comment": "comment", "report": "report", "report_comment": "pick_comment"}
    return {**steps, "back": "list"}.get(answers.get("detail") or "back", "detail")


def offer_comments(ctx: Context) -> Offer:
    """The latest comments, one button each, to say which one to report."""
    view = ctx.desk.view_proposal(opened(ctx.answers)) if ctx.desk else None
    if view is None or not view.comments:
        return Offer(())
    numbered = list(enumerate(view.comments, start=1))
    options = tuple((f"c:{cid}", f"{n}. {_short(body)}") for n, (cid, body) in numbered)
    lines = "\n".join(f"{n}. {body}" for n, (_, body) in numbered)
    return Offer(options, {"comments": lines})


def report_comment(ctx: Context, reason: str | None) -> str | None:
    """Files the report on the comment picked one step earlier, with the reason just chosen."""
    picked = ctx.answers.get("pick_comment")
    if ctx.desk is None or not picked or reason not in REASON_VALUES:
        return None
    done = ctx.desk.report("comment", int(picked.removeprefix("c:")), reason)
    return "browse.comment_reported" if done else "browse.already_reported"


def post_comment(ctx: Context, text: str) -> str | None:
    if ctx.desk is None:
        return None
    if not ctx.desk.may_post():
        return "propose.blocked"
    done = ctx.desk.comment_on_proposal(opened(ctx.answers), mask_personal(text))
    return "browse.commented" if done else "propose.gone"


def file_report(ctx: Context, reason: str) -> str | None:
    if ctx.desk is None or reason not in REASON_VALUES:
        return None
    done = ctx.desk.report("proposal", opened(ctx.answers), reason)
    return "browse.reported" if done else "browse.already_reported"


@leads_to("list", "detail")
def after_report(answers: Answers, profile: Profile) -> str:
    """A filed report returns to the list (the proposal may be hidden now); "no" to it."""
    return "detail" if answers.get("report") == NOT_NOW.value else "list"


def finish_browse(ctx: Context) -> Outcome:
    """Not reached by any step (browsing ends by going home); the flow must have an end."""
    return Outcome("browse.empty")


BROWSE_FLOW = Flow(
    id="browse",
    title="flow.browse",
    keeps_draft=False,
    steps=(
        Step(
            "sort", "browse.ask_sort", ChooseOne(SORTS), next=after_sort, help="help.browse_sort"
        ),
        Step(
            "category",
            "propose.ask_category",
            ChooseOne(INTERESTS),
            next="list",
            help="help.browse_category",
        ),
        Step(
            "list",
            "browse.list",
            ChooseOffered(offer_list, inline=False),
            next=after_list,
            on_answer=note_empty_list,
            help="help.browse_list",
        ),
        Step(
            "detail",
            "browse.show",
            ChooseOffered(offer_detail),
            next=after_detail,
            on_answer=act_on_detail,
            help="help.browse_detail",
        ),
        Step(
            "comment",
            "browse.ask_comment",
            FreeText(*COMMENT_LIMITS),
            next="detail",
            on_answer=post_comment,
            help="help.browse_comment",
        ),
        Step(
            "report",
            "browse.ask_report",
            ChooseOne((*REPORT_REASONS, NOT_NOW), inline=True),
            next=after_report,
            on_answer=file_report,
            help="help.browse_report",
        ),
        Step(
            "pick_comment",
            "browse.pick_comment",
            ChooseOffered(offer_comments),
            next="comment_reason",
            help="help.browse_pick_comment",
        ),
        Step(
            "comment_reason",
            "browse.ask_comment_reason",
            ChooseOne((*REPORT_REASONS, NOT_NOW), inline=True),
            next="detail",
            on_answer=report_comment,
            help="help.browse_report",
        ),
    ),
    finish=finish_browse,
)

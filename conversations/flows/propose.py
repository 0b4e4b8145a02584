"""Propose a policy: title, description, area, dong; similar proposals first; then a receipt.

    citizen: 제안하기
    bot:     제안의 제목을 적어 주세요. (5~60자)
    citizen: 매탄동 버스정류장에 그늘막 설치
    bot:     어떤 내용인지 자세히 적어 주세요. (10~1000자)
    citizen: 여름에 버스를 기다리기 너무 더워요 …
    bot:     어느 분야인가요?                      [교통] [환경] …
    citizen: 교통
    bot:     어느 동의 일인가요?                    [장안구] … [건너뛰기]
    citizen: 건너뛰기
    bot:     비슷한 제안이 이미 있어요:
             1) 매탄동 버스정류장 그늘막 설치해 주세요 (공감 12)
             [👍 1번에 공감] [💬 1번에 내 글을 의견으로] [📝 그래도 새로 제안]
    citizen: (taps 👍 1번에 공감)
    bot:     '매탄동 버스정류장 그늘막 설치해 주세요'에 공감했어요.

Without similar proposals the citizen goes straight to the summary, confirms, and gets a
receipt number. Personal data typed into the proposal is masked before it is kept.
"""

import re

from conversations.flows.choices import INTERESTS
from conversations.inputs import ChooseOffered, ChooseOne, FreeText, PickDong
from conversations.masking import mask_personal
from conversations.model import (
    END,
    Answers,
    Context,
    Flow,
    Offer,
    Option,
    Outcome,
    Profile,
    Step,
    Translate,
    leads_to,
)

TITLE_LIMITS = (5, 60)
BODY_LIMITS = (10, 1000)
CONFIRM = (
    Option("submit", "propose.submit"),
    Option("edit_title", "propose.edit_title"),
    Option("edit_body", "propose.edit_body"),
)


RECEIPT = re.compile(r"(?:[Pp]-?)?0*(\d{1,10})")


def receipt(proposal_id: int) -> str:
    return f"P-{proposal_id:06d}"


def receipt_number(text: str) -> int | None:
    """The proposal a receipt number names, as staff type it: P-000123, p123, 000123, 123."""
    found = RECEIPT.fullmatch(text.strip())
    return int(found.group(1)) if found and int(found.group(1)) > 0 else None


def offer_similar(ctx: Context) -> Offer:
    """Up to three existing proposals like this one, each to support or comment on."""
    cards = ctx.desk.similar_proposals(ctx.answers["title"]) if ctx.desk else []
    if not cards:
        return Offer(())
    lines = [
        ctx.t("propose.similar_line", n=n, title=card.title, supports=card.supports)
        for n, card in enumerate(cards, start=1)
    ]
    options: list[tuple[str, str]] = []
    for n, card in enumerate(cards, start=1):
        options.append((f"support:{card.id}", ctx.t("propose.support_n", n=n)))
        options.append((f"comment:{card.id}", ctx.t("propose.comment_n", n=n)))
    options.append(("new", ctx.t("propose.submit_anyway")))
    return Offer(tuple(options), {"similar": "\n".join(lines)})


@leads_to("similar", "body")
def after_title(answers: Answers, profile: Profile) -> str:
    """A new title is checked for look-alikes again; otherwise on to the description."""
    return "similar" if answers.get("confirm") == "edit_title" else "body"


@leads_to("confirm", "category")
def after_body(answers: Answers, profile: Profile) -> str:
    return "confirm" if answers.get("confirm") == "edit_body" else "category"


@leads_to("confirm", END)
def after_similar(answers: Answers, profile: Profile) -> str:
    choice = answers.get("similar") or "new"
    return "confirm" if choice == "new" else END


def describe_proposal(answers: Answers, profile: Profile, t: Translate) -> dict[str, str]:
    return {
        "title": answers["title"],
        "body": answers["body"],
        "category": t(f"interest.{answers['category']}"),
        "dong": answers.get("dong") or t("profile.unset"),
    }


def finish_proposal(ctx: Context) -> Outcome:
    """Supports or comments on the chosen look-alike, or files the new proposal."""
    desk, answers = ctx.desk, ctx.answers
    assert desk is not None, "proposals need the city's records"
    choice = answers.get("similar") or "new"
    action, _, target = choice.partition(":")
    if action == "support":
        done = desk.support_proposal(int(target))
        return Outcome("propose.supported" if done else "propose.already_supported")
    body = mask_personal(answers["body"])
    if action == "comment":
        done = desk.comment_on_proposal(int(target), body[:500])
        return Outcome("propose.commented" if done else "propose.gone")
    proposal_id = desk.submit_proposal(
        title=mask_personal(answers["title"]),
        body=body,
        category=answers["category"],
        dong=answers.get("dong"),
    )
    return Outcome("propose.submitted", {"receipt": receipt(proposal_id)})


PROPOSE_FLOW = Flow(
    id="propose",
    title="flow.propose",
    steps=(
        Step(
            "title",
            "propose.ask_title",
            FreeText(*TITLE_LIMITS),
            next=after_title,
            help="help.propose_title",
        ),
        Step(
            "body",
            "propose.ask_body",
            FreeText(*BODY_LIMITS),
            next=after_body,
            help="help.propose_body",
        ),
        Step(
            "category",
            "propose.ask_category",
            ChooseOne(INTERESTS),
            next="dong",
            help="help.propose_category",
        ),
        Step(
            "dong",
            "propose.ask_dong",
            PickDong(),
            next="similar",
            skippable=True,
            help="help.dong",
        ),
        Step(
            "similar",
            "propose.similar",
            ChooseOffered(offer_similar),
            next=after_similar,
            help="help.propose_similar",
        ),
        Step(
            "confirm",
            "propose.confirm",
            ChooseOne(CONFIRM, inline=True),
            next={"submit": END, "edit_title": "title", "edit_body": "body"},
            describe=describe_proposal,
            help="help.propose_confirm",
        ),
    ),
    finish=finish_proposal,
)


def status_notice(t: Translate, *, title: str, status: str, answer: str | None) -> str:
    """What followers read when staff move a proposal on, in the follower's language."""
    text = t("proposal.status_changed", title=title, status=t(f"proposal.status.{status}"))
    return text + (t("proposal.answer", answer=answer) if answer else "")

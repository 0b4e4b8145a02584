"""Propose a policy: title, look-alikes, description, look-alikes again, area, dong; a receipt.

    citizen: 제안하기
    bot:     제안의 제목을 적어 주세요. (5~60자)
    citizen: 정류장에 햇빛 가리개 설치
    bot:     비슷한 제안이 이미 있어요:
             1) 매탄동 버스정류장 그늘막 설치해 주세요 (공감 12)
             [👍 1번에 공감] [✍️ 계속 쓰기]
    citizen: 계속 쓰기
    bot:     어떤 내용인지 자세히 적어 주세요. (10~1000자)
    citizen: 여름에 버스를 기다리기 너무 더워요 …
    bot:     (look-alikes of the title with its description, if any: now also to comment on)
             [👍 1번에 공감] [💬 1번에 내 글 달기] [📝 그래도 새로 제안]
    bot:     어느 분야인가요?                      [교통] [환경] …
    citizen: 교통
    bot:     어느 동의 일인가요?                    [장안구] … [건너뛰기]
    citizen: 건너뛰기
    bot:     이대로 제출할까요? …                   [✅ 제출하기] …

The look-alikes come as soon as the title says what it is about, so nobody writes a whole
proposal that exists already. Without any the citizen goes straight on, confirms, and gets
a receipt number. Personal data typed into the proposal is masked before it is kept.
"""

import re

from conversations.desk import ProposalCard
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
    Seed,
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


def _similar_cards(ctx: Context, text: str) -> list[ProposalCard]:
    return ctx.desk.similar_proposals(text) if ctx.desk else []


def _lines(ctx: Context, cards: list[ProposalCard]) -> dict[str, str]:
    lines = [
        ctx.t("propose.similar_line", n=n, title=card.title, supports=card.supports)
        for n, card in enumerate(cards, start=1)
    ]
    return {"similar": "\n".join(lines)}


def offer_similar_to_title(ctx: Context) -> Offer:
    """Right after the title: up to three proposals of the same idea, each to support, or go
    on writing. Found by meaning (`conversations/similar.py`), before any more is typed."""
    cards = _similar_cards(ctx, ctx.answers["title"])
    if not cards:
        return Offer(())
    options = [
        (f"support:{card.id}", ctx.t("propose.support_n", n=n))
        for n, card in enumerate(cards, start=1)
    ]
    options.append(("new", ctx.t("propose.keep_writing")))
    return Offer(tuple(options), _lines(ctx, cards))


def offer_similar_to_all(ctx: Context) -> Offer:
    """With the description too: look-alikes, each to support or to add one's text to as a
    comment (one offered for the title alone comes again: now the text can join it)."""
    cards = _similar_cards(ctx, f"{ctx.answers['title']}\n{ctx.answers['body']}")
    if not cards:
        return Offer(())
    options: list[tuple[str, str]] = []
    for n, card in enumerate(cards, start=1):
        options.append((f"support:{card.id}", ctx.t("propose.support_n", n=n)))
        options.append((f"comment:{card.id}", ctx.t("propose.comment_n", n=n)))
    options.append(("new", ctx.t("propose.submit_anyway")))
    return Offer(tuple(options), _lines(ctx, cards))


@leads_to("similar_title", "similar_body")
def after_title(answers: Answers, profile: Profile) -> str:
    """A new title is checked for look-alikes with the description it now heads."""
    return "similar_body" if answers.get("confirm") == "edit_title" else "similar_title"


@leads_to("body", END)
def after_similar_title(answers: Answers, profile: Profile) -> str:
    return END if str(answers.get("similar_title") or "new").startswith("support:") else "body"


@leads_to("confirm", "category", END)
def after_similar_body(answers: Answers, profile: Profile) -> str:
    """Supporting or commenting ends here; a proposal being edited goes back to its summary."""
    if (answers.get("similar_body") or "new") != "new":
        return END
    return "confirm" if answers.get("confirm") else "category"


def chosen_look_alike(answers: Answers) -> str:
    """What the citizen chose among the look-alikes: "support:<id>", "comment:<id>" or "new"."""
    for step in ("similar_title", "similar_body"):
        choice = answers.get(step) or "new"
        if choice != "new":
            return str(choice)
    return "new"


def seed_from_words(text: str) -> Seed:
    """A problem told in one's own words, as a proposal: its first sentence the title (cut
    at a word within 60 letters), all of it the description; a part too short for a step,
    or too long for it, is asked or read there (where a too long text is kept, not lost)."""
    words = " ".join(text.split())
    title = _title_of(words)
    low = TITLE_LIMITS[0]
    if len(title) < low:
        return Seed({}, (), "title", words)
    if len(words) < BODY_LIMITS[0]:
        return Seed({"title": title}, ("title",), "similar_title")
    if len(words) > BODY_LIMITS[1]:
        return Seed({"title": title}, ("title",), "body", words)
    return Seed({"title": title, "body": words}, ("title", "body"), "similar_body")


_SENTENCE_END = re.compile(r"(?<=[.!?。])\s")


def _title_of(words: str) -> str:
    first = _SENTENCE_END.split(words, maxsplit=1)[0].strip()
    high = TITLE_LIMITS[1]
    if len(first) <= high:
        return first
    cut = first[: high - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut).rstrip(",. ") + "…"


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
    if not desk.may_post():
        return Outcome("propose.blocked")
    action, _, target = chosen_look_alike(answers).partition(":")
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
    version=2,
    steps=(
        Step(
            "title",
            "propose.ask_title",
            FreeText(*TITLE_LIMITS),
            next=after_title,
            help="help.propose_title",
        ),
        Step(
            "similar_title",
            "propose.similar_to_title",
            ChooseOffered(offer_similar_to_title),
            next=after_similar_title,
            help="help.propose_similar",
        ),
        Step(
            "body",
            "propose.ask_body",
            FreeText(*BODY_LIMITS),
            next="similar_body",
            help="help.propose_body",
        ),
        Step(
            "similar_body",
            "propose.similar",
            ChooseOffered(offer_similar_to_all),
            next=after_similar_body,
            help="help.propose_similar",
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
            next="confirm",
            skippable=True,
            help="help.dong",
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
    from_words=seed_from_words,
    posts=True,
)


def status_notice(t: Translate, *, title: str, status: str, answer: str | None) -> str:
    """What followers read when staff move a proposal on, in the follower's language."""
    text = t("proposal.status_changed", title=title, status=t(f"proposal.status.{status}"))
    return text + (t("proposal.answer", answer=answer) if answer else "")

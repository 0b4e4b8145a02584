"""Notices for me (맞춤 알림): the latest notices that reached this citizen, again.

    citizen: 나에게 온 알림
    bot:     최근에 받으신 알림이에요.
             [2026-11-20] 영통구 어르신 독감 예방접종 안내 …       [🤝 돌봄 신청] [👌 확인]

A notice that invited to a service (care sign-up) keeps its button here.
"""

import html
import re

from conversations.inputs import ChooseOffered
from conversations.model import (
    END,
    Context,
    Flow,
    Offer,
    Outcome,
    Step,
)

SHOWN = 5
_TAGS = re.compile(r"<[^>]+>")


def plain(text: str) -> str:
    """A notice's formatted text as plain words, for a reply without formatting."""
    return html.unescape(_TAGS.sub("", text))


def offer_notices(ctx: Context) -> Offer:
    """The latest notices as text, with "OK" and one button per service they invited to."""
    cards = ctx.desk.notices_for_me(SHOWN) if ctx.desk else []
    if not cards:
        return Offer(())
    lines = [ctx.t("notices.line", date=c.sent, text=plain(c.text)) for c in cards]
    options = [("ok", ctx.t("notices.ok"))]
    for flow_id in dict.fromkeys(c.apply_flow for c in cards if c.apply_flow):
        options.insert(
            0, (f"open:{flow_id}", ctx.t("notices.open", title=ctx.t(f"flow.{flow_id}")))
        )
    off = "" if ctx.profile.notices_enabled else "\n\n" + ctx.t("notices.switched_off")
    return Offer(tuple(options), {"notices": "\n\n".join(lines), "off": off})


def finish_notices(ctx: Context) -> Outcome:
    """Says why there is nothing to show, or opens the service the citizen chose."""
    choice = ctx.answers.get("list")
    if choice is None:
        key = "notices.none" if ctx.profile.notices_enabled else "notices.switched_off"
        return Outcome(key)
    if choice.startswith("open:"):
        return Outcome("notices.opening", start=choice.removeprefix("open:"))
    return Outcome("notices.seen")


NOTICES_FLOW = Flow(
    id="notices",
    title="flow.notices",
    keeps_draft=False,
    steps=(
        Step(
            "list",
            "notices.list",
            ChooseOffered(offer_notices, inline=False),
            next=END,
            help="help.notices_list",
        ),
    ),
    finish=finish_notices,
)

"""A turn's replies as Kakao skill answers, within Kakao's limits (`kakao/models.py`).

KakaoTalk shows at most three speech bubbles and ten quick replies per answer, with labels
of 14 characters. The engine's replies become pages: the texts, split at line ends into
bubbles of at most 1,000 characters, three bubbles a page with "더 보기" to the next; the
choices of the last reply that has any, as quick replies with the navigation buttons; when
they do not fit, with only "◀ 이전" and "🏠 처음으로" ("도움말" and "그만하기" can be typed), and
when that does not fit either, a page at a time with "다음 ▶" and "◀ 앞" ("완료" and
"건너뛰기" on every page). A long label is
shortened and its full words sent as the message, so the chat shows what the citizen chose
and the engine reads it as if typed. A page is drawn from the replies kept for the
citizen, so paging needs no turn.
"""

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from conversations.events import Button, Reply
from conversations.messages import Catalog
from conversations.values import NAV, STEP
from kakao.models import (
    MAX_LABEL,
    MAX_OUTPUTS,
    MAX_QUICK_REPLIES,
    MAX_TEXT,
    Output,
    QuickReply,
    SimpleImage,
    SimpleText,
    SkillAnswer,
    Template,
)

ESSENTIAL = (NAV("back"), NAV("home"))  # the way back and home, on every page


@dataclass(frozen=True)
class Page:
    """Which part of a long answer to show: its `text`-th three bubbles, and its
    `choices`-th page of choices."""

    text: int = 0
    choices: int = 0

    def extra(self) -> dict[str, Any]:
        return {"page": {"text": self.text, "choices": self.choices}}

    @classmethod
    def from_extra(cls, extra: dict[str, Any] | None) -> "Page | None":
        found = (extra or {}).get("page")
        if not isinstance(found, dict):
            return None
        text, choices = found.get("text"), found.get("choices")
        if not (isinstance(text, int) and isinstance(choices, int)) or text < 0 or choices < 0:
            return None
        return cls(text, choices)


FIRST = Page()


def bubbles(text: str) -> list[str]:
    """`text` in pieces of at most MAX_TEXT characters, cut at line ends where possible."""
    pieces: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > MAX_TEXT:
            if current:
                pieces.append(current)
                current = ""
            pieces.append(line[:MAX_TEXT])
            line = line[MAX_TEXT:]
        joined = f"{current}\n{line}" if current else line
        if len(joined) > MAX_TEXT:
            pieces.append(current)
            current = line
        else:
            current = joined
    if current.strip():
        pieces.append(current)
    return [piece for piece in pieces if piece.strip()] or ["…"]


_ASIDE = re.compile(r"\s*\([^()]*\)$")  # "📍 Ingye-dong (my area)"
_PLACE_ENDING = re.compile(r"-(dong|gu)\b")  # "Yeongtong 1-dong"


def short(label: str) -> str:
    """`label` within KakaoTalk's 14 characters: a closing aside and an English place name's
    "-dong"/"-gu" go first (the full words are still what the button sends), and only then
    is it cut, which `tests/conversations/test_wording.py` keeps from happening to ours."""
    if len(label) > MAX_LABEL:
        label = _ASIDE.sub("", label) or label
    if len(label) > MAX_LABEL:
        label = _PLACE_ENDING.sub("", label)
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1] + "…"


def _choice(button: Button, prompt_id: int | None) -> QuickReply:
    return QuickReply(
        label=short(button.text),
        messageText=button.text[:1000],
        extra={"prompt": prompt_id or 0, "value": button.value},
    )


def _turner(label: str, page: Page) -> QuickReply:
    return QuickReply(label=short(label), messageText=label, extra=page.extra())


def render(
    replies: Sequence[Reply],
    catalog: Catalog,
    language: str | None,
    page: Page = FIRST,
    picture: Callable[[Reply], str] | None = None,
    pinned: Sequence[QuickReply] = (),
) -> SkillAnswer:
    """One page of the answer to `replies` (see the module's docstring), the channel's own
    words in `language`; `picture` gives a results chart's HTTPS address, shown before its
    figures (without it, figures only); `pinned` quick replies come on every last page,
    first (news waiting: "📬 새 소식 2건")."""
    bubbled = [output for reply in replies for output in _outputs(reply, picture)]
    start = page.text * MAX_OUTPUTS
    outputs = bubbled[start : start + MAX_OUTPUTS] or bubbled[-MAX_OUTPUTS:]
    if start + MAX_OUTPUTS < len(bubbled):
        more = catalog.text(language, "channel.more")
        return _answer(outputs, [_turner(more, Page(page.text + 1, 0))])
    asking = next((r for r in reversed(replies) if r.buttons or r.nav), None)
    if asking is None:
        return _answer(outputs, list(pinned))
    options = [*pinned, *(_choice(b, asking.prompt_id) for b in asking.buttons)]
    nav = [_choice(b, asking.prompt_id) for b in asking.nav]
    if len(options) + len(nav) <= MAX_QUICK_REPLIES:
        return _answer(outputs, options + nav)
    # Too many: keep only the way back and home ("도움말" and "그만하기" can be typed) ...
    essential = [_choice(b, asking.prompt_id) for b in asking.nav if b.value in ESSENTIAL]
    if len(options) + len(essential) <= MAX_QUICK_REPLIES:
        return _answer(outputs, options + essential)
    essential = [*pinned, *essential]
    # ... and if that is not enough, page the choices; "완료" and "건너뛰기" on every page.
    steps = [_choice(b, asking.prompt_id) for b in asking.buttons if STEP.payload(b.value)]
    choices = options[len(pinned) :]
    paged = [o for o, b in zip(choices, asking.buttons, strict=True) if not STEP.payload(b.value)]
    size = MAX_QUICK_REPLIES - len(essential) - len(steps) - 2  # 2: "◀ 앞" and "다음 ▶"
    first = page.choices * size
    quick = paged[first : first + size]
    if page.choices:
        back = catalog.text(language, "channel.previous")
        quick.append(_turner(back, Page(page.text, page.choices - 1)))
    if first + size < len(paged):
        forward = catalog.text(language, "channel.next")
        quick.append(_turner(forward, Page(page.text, page.choices + 1)))
    return _answer(outputs, quick + steps + essential)


def _outputs(reply: Reply, picture: Callable[[Reply], str] | None) -> list[Output]:
    texts = [Output(simpleText=SimpleText(text=text)) for text in bubbles(reply.text)]
    if not (reply.chart and picture):
        return texts
    image = SimpleImage(imageUrl=picture(reply), altText=reply.text[:1000] or "chart")
    return [Output(simpleImage=image), *texts]


def _answer(outputs: list[Output], quick: list[QuickReply]) -> SkillAnswer:
    return SkillAnswer(template=Template(outputs=outputs, quickReplies=quick))

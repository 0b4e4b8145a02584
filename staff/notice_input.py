"""What staff hand in to write a notice, checked the same for the JSON API and the console's
composer: Telegram's safe subset of HTML, topics, audience, a link or a flow to open."""

from html.parser import HTMLParser
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import (
    BaseModel,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from conversations.flows.choices import INTERESTS
from staff.survey_input import Audience as PlaceAndPeople

if TYPE_CHECKING:  # built from the flows' options at run time; the checker sees their text
    Topic = str
else:
    Topic = Literal[tuple(o.value for o in INTERESTS)]
ApplyFlow = Literal["care", "surveys", "propose"]
ALLOWED_TAGS = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "code", "a"}


class _SafeHtml(HTMLParser):
    """Finds tags Telegram would refuse or that could mislead (scripts, images, forms)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            self.problems.append(f"<{tag}> is not allowed")
            return
        names = {name for name, _ in attrs}
        if tag == "a":
            href = dict(attrs).get("href") or ""
            if names != {"href"} or not href.startswith(("https://", "http://")):
                self.problems.append("<a> needs only an http(s) href")
        elif names:
            self.problems.append(f"<{tag}> takes no attributes")
        self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open.pop() != tag:
            self.problems.append(f"</{tag}> does not close the last open tag")


def html_problems(text: str) -> list[str]:
    parser = _SafeHtml()
    parser.feed(text)
    parser.close()
    return parser.problems + [f"<{tag}> is never closed" for tag in parser.open]


class NoticeAudience(PlaceAndPeople):
    languages: list[Literal["ko", "en"]] = Field(default_factory=list)


class NoticeIn(BaseModel):
    text: str = Field(min_length=1, max_length=4000)
    link_url: (
        Annotated[str, StringConstraints(pattern=r"^https?://\S+$", max_length=500)] | None
    ) = None
    link_label: str | None = Field(default=None, min_length=1, max_length=40)
    apply_flow: ApplyFlow | None = None
    topics: list[Topic] = Field(
        min_length=1,
        max_length=5,
        description="What it is about; its 'fewer like this' button mutes the first one.",
    )
    audience: NoticeAudience = Field(default_factory=NoticeAudience)
    urgent: bool = False

    @field_validator("text")
    @classmethod
    def _safe_formatting(cls, text: str) -> str:
        problems = html_problems(text)
        if problems:
            raise ValueError("; ".join(problems))
        return text

    @model_validator(mode="after")
    def _label_needs_link(self) -> "NoticeIn":
        if self.link_label and not self.link_url:
            raise ValueError("link_label needs link_url")
        return self

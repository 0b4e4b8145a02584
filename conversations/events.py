"""What goes into the engine (citizen events), and what comes out (replies and effects)."""

from dataclasses import dataclass
from typing import Any

from conversations.values import NOTICE


@dataclass(frozen=True)
class Text:
    """Typed words; `sender` is the name the messenger shows for the person, if any.

    `once` says the channel delivers each message once, a double tap included (its own
    retry key): the same button words again are then a new answer, never the same tap
    arriving twice, which a reply keyboard's channel (`once` False) has to allow for."""

    text: str
    sender: str | None = None
    once: bool = False


@dataclass(frozen=True)
class Press:
    """A tap on a button that belongs to one prompt; old prompts' buttons are stale."""

    prompt_id: int
    value: str
    sender: str | None = None


@dataclass(frozen=True)
class Contact:
    phone: str
    own: bool


@dataclass(frozen=True)
class Command:
    name: str


@dataclass(frozen=True)
class Unsupported:
    kind: str


Event = Text | Press | Contact | Command | Unsupported


def notice_action(kind: str, target: str) -> str:
    """The value of a button under a notice: "mute" a topic, or "open" a flow.

    Such buttons belong to no prompt, so the engine reads them whenever they are pressed.
    """
    return NOTICE(f"{kind}:{target}")


@dataclass(frozen=True)
class EraseCitizen:
    """Remove the citizen's personal data; only anonymous counts may stay. As the citizen
    chose: their published proposals and comments removed too (or kept without a name), and
    an open care application withdrawn (or kept for the caseworker, in the case alone)."""

    remove_posts: bool = False
    withdraw_care: bool = True


Effect = EraseCitizen


@dataclass(frozen=True)
class Button:
    value: str
    text: str


@dataclass(frozen=True)
class Reply:
    """One message to the citizen, with layout hints the channel adapter turns into keyboards.

    A reply with `chart` bars (label, count, percent) is a picture of them under
    `chart_title`, the bars numbered in `chart_mine` being the citizen's own answers, with
    `text` (the same figures) beside it.
    """

    text: str
    buttons: tuple[Button, ...] = ()
    nav: tuple[Button, ...] = ()
    inline: bool = False
    prompt_id: int | None = None
    request_contact: str | None = None
    # Said under the text where the channel shows `request_contact`'s button (Telegram);
    # a channel without such a button leaves it out, so no hint names a missing button.
    contact_hint: str = ""
    edit: bool = False
    one_per_row: bool = False
    remove_keyboard: bool = False
    chart: tuple[tuple[str, int, int], ...] = ()
    chart_title: str = ""
    chart_mine: tuple[int, ...] = ()

    @property
    def choices(self) -> tuple[Button, ...]:
        """Buttons then navigation, in the order a typed number refers to them."""
        return self.buttons + self.nav

    def to_dict(self) -> dict[str, Any]:
        data = dict(vars(self))
        data["buttons"] = [vars(b) for b in self.buttons]
        data["nav"] = [vars(b) for b in self.nav]
        data["chart"] = [list(bar) for bar in self.chart]
        data["chart_mine"] = list(self.chart_mine)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Reply":
        data = dict(data)
        data["buttons"] = tuple(Button(**b) for b in data.get("buttons", ()))
        data["nav"] = tuple(Button(**b) for b in data.get("nav", ()))
        data["chart"] = tuple((label, count, pct) for label, count, pct in data.get("chart", ()))
        data["chart_mine"] = tuple(data.get("chart_mine", ()))
        return cls(**data)

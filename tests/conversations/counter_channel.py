"""The counter's page as a transcript channel: each input becomes the form the official
submits (`console.counter_chat.event_from`), found among the buttons the page shows
(`console.counter_chat.shown`), and each reply is read back from what the page shows.

What the page cannot make — a sticker, a command the chat's menu does not have — is given
as the chat gives it. Telegram's layout hints the page has no use for (editing a message,
removing a keyboard) and the words under Telegram's contact button are left out of the
expected lines; everything else must be the same.
"""

from console.counter_chat import ShownReply, event_from, shown
from conversations.events import Event, Reply
from conversations.session import Session
from tests.conversations.transcript import _event

ONLY_TELEGRAM = ("< [edit]", "< [remove keyboard]")


class CounterChannel:
    def event(self, text: str, last: Reply | None, session: Session, where: str) -> Event:
        form = self.form(text, shown([last]) if last is not None else [], where)
        made = event_from(form) if form is not None else None
        return made if made is not None else _event(text, last, session, where)

    @staticmethod
    def form(text: str, page: list[ShownReply], where: str) -> dict[str, str] | None:
        """What the official submits for this input, or None where the page has no way."""
        if text.startswith("(tap) "):
            label = text[6:]
            for reply in page:
                for button in reply.buttons:
                    if button.label == label:
                        prompt = str(reply.prompt_id) if reply.prompt_id is not None else ""
                        return {button.name: button.value, "prompt": prompt}
            raise AssertionError(f"{where}: the page shows no {label!r}")
        if text.startswith("(press "):
            prompt, value = text[7:].split(") ", 1)
            return {"press": value, "prompt": prompt}
        if text == "(spaces)":
            return {"text": "   "}
        if text.startswith("(contact) "):
            return {"contact": text[10:]}
        if text.startswith("(") and text.endswith(")"):
            return None  # a sticker or a photo: no page sends one
        if text.startswith("/"):
            return {"command": text[1:]}
        return {"text": text}

    def lines(self, replies: list[Reply]) -> list[str]:
        """Every line as the page shows it, in the transcript's notation."""
        if not replies:
            return ["(nothing)"]
        lines: list[str] = []
        for n, reply in enumerate(shown(replies)):
            if n:
                lines.append("---")
            lines += reply.text.split("\n") if reply.text else []
            if reply.chart:
                bars = [
                    f"{label}: {count} ({percent}%)" + (" [mine]" if mine else "")
                    for label, count, percent, mine in reply.chart
                ]
                lines.append("[chart] " + " | ".join(bars))
            if reply.contact_label:
                lines.append(f"[contact] {reply.contact_label}")
            if reply.buttons:
                kind = "[inline]" if reply.buttons[0].name == "press" else "[buttons]"
                lines.append(f"{kind} " + " | ".join(b.label for b in reply.buttons))
        return lines

    def expected(self, lines: list[str]) -> list[str]:
        kept = [line for line in lines if line.rstrip() not in ONLY_TELEGRAM]
        return [line.split(" · ")[0] if "[contact]" in line else line for line in kept]

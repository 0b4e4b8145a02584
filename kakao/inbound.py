"""What a Kakao skill request means to the engine: a press of one of our quick replies
(its `extra` names the prompt and the value), a command typed in words (Kakao has no slash
commands: "내 정보 지우기" is /delete), or words."""

from typing import Any

from conversations.events import Command, Event, Press, Text
from conversations.messages import Catalog

# Telegram's menu commands that nothing else reaches, said in their menu words; "도움말",
# "내 정보" and "처음 화면" are understood as words already, as in Telegram.
COMMANDS = ("start", "stop", "delete")


def event_from(utterance: str, extra: dict[str, Any] | None, catalog: Catalog) -> Event:
    pressed = extra or {}
    prompt, value = pressed.get("prompt"), pressed.get("value")
    if isinstance(prompt, int) and isinstance(value, str):
        return Press(prompt_id=prompt, value=value)
    words = utterance.strip()
    for name in COMMANDS:
        if words in catalog.everywhere(f"botcommand.{name}"):
            return Command(name=name)
    return Text(text=words, once=True)  # a double tap is the skill's retry, answered once

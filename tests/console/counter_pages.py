"""Walking the counter's pages over HTTP as an official does: press a button by its words,
type the resident's words; each answer is the next page of the conversation."""

import html
import re

import httpx

from tests.console.test_console_http import form_token

_FORM = re.compile(r"<form [^>]*action=\"(?P<action>[^\"]+)\"[^>]*>(?P<body>.*?)</form>", re.S)
_BUTTON = re.compile(
    r'<button type="submit"(?: class="[^"]*")? name="(?P<name>\w+)" value="(?P<value>[^"]*)">'
    r"(?P<label>[^<]*)</button>"
)
_PROMPT = re.compile(r'name="prompt" value="(?P<prompt>\d*)"')


async def press(api: httpx.AsyncClient, page: str, label: str) -> httpx.Response:
    """Presses the button showing `label` in the page's latest reply that has it."""
    for found in reversed(list(_FORM.finditer(page))):
        for button in _BUTTON.finditer(found.group("body")):
            if html.unescape(button.group("label")) == label:
                prompt = _PROMPT.search(found.group("body"))
                data = {
                    "csrf": form_token(page),
                    button.group("name"): html.unescape(button.group("value")),
                    "prompt": prompt.group("prompt") if prompt else "",
                }
                return await api.post(found.group("action"), data=data, follow_redirects=True)
    raise AssertionError(f"no button {label!r} on the page:\n{buttons(page)}")


async def say(api: httpx.AsyncClient, page: str, words: str) -> httpx.Response:
    """Types the resident's words in the page's words field."""
    action = re.search(r'action="(/console/counter/\d+/turn)" class="counter-words"', page)
    assert action, page
    data = {"csrf": form_token(page), "text": words}
    return await api.post(action.group(1), data=data, follow_redirects=True)


def buttons(page: str) -> list[str]:
    return [html.unescape(b.group("label")) for b in _BUTTON.finditer(page)]


def said(page: str) -> str:
    """The engine's words on the page, one reply after another."""
    return "\n".join(
        html.unescape(t) for t in re.findall(r'<p class="said">(.*?)</p>', page, re.S)
    )

"""The console in English: every marked word has its English, no Korean is left unmarked,
and the switch keeps the reader on the page they were reading."""

import ast
import re
from pathlib import Path

import httpx
from babel.messages.extract import extract_from_dir
from sqlalchemy import Engine

from console.language import english
from tests.console.test_console_http import PASSWORD, form_token, person, sign_in

CONSOLE = Path(__file__).parents[2] / "console"
HANGUL = re.compile(r"[\uac00-\ud7a3]")
# A blank's name, without the particle a Korean text writes after it ({title:'을}).
PLACES = re.compile(r"\{(\w+)(?::[^}]*)?\}|%\((\w+)\)s")


def marked() -> set[str]:
    """Every string the console marks for translation, as Babel extracts it."""
    found = extract_from_dir(
        str(CONSOLE),
        method_map=[("**.py", "python"), ("templates/**.html", "jinja2")],
        options_map={"templates/**.html": {"extensions": "jinja2.ext.i18n"}},
    )
    return {message for _file, _line, message, _comments, _context in found}


def test_every_marked_string_has_english_with_the_same_blanks() -> None:
    words = marked()
    assert len(words) > 200  # the extractor really read the pages
    missing = sorted(w for w in words if not english().get(w))
    assert missing == []
    for korean in words:
        assert sorted(PLACES.findall(korean)) == sorted(PLACES.findall(english()[korean]))
    unused = sorted(set(english()) - words)
    assert unused == []


def test_no_korean_words_are_left_unmarked_in_templates() -> None:
    for template in (CONSOLE / "templates").glob("*.html"):
        text = re.sub(r'_\("[^"]*"', "", template.read_text())
        text = text.replace(">한국어</a>", "")  # the switch names Korean in Korean
        assert not HANGUL.search(text), (template.name, HANGUL.search(text))


def test_no_korean_words_are_left_unmarked_in_the_pages_code() -> None:
    for module in CONSOLE.glob("*.py"):
        tree = ast.parse(module.read_text())
        inside = {
            id(call.args[0])
            for call in ast.walk(tree)
            if isinstance(call, ast.Call)
            and isinstance(call.func, ast.Name)
            and call.func.id in ("_", "N_")
            and call.args
        }
        docstrings = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, ast.Module | ast.FunctionDef | ast.ClassDef)
            and node.body
            and isinstance(node.body[0], ast.Expr)
        }
        loose = [
            f"{module.name}:{node.lineno}: {node.value!r}"
            for node in ast.walk(tree)
            if isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and HANGUL.search(node.value)
            and id(node) not in inside | docstrings
        ]
        assert loose == []


async def test_a_person_switches_to_english_and_back_on_the_same_page(
    api: httpx.AsyncClient, db: Engine
) -> None:
    login = person(db)
    switched = await api.get("/console/language", params={"to": "en", "back": "/console/sign-in"})
    assert switched.status_code == 303 and switched.headers["location"] == "/console/sign-in"
    form = (await api.get("/console/sign-in")).text
    assert '<html lang="en">' in form and "<h1>Sign in</h1>" in form
    wrong = {"login": login, "password": "틀린 비밀번호", "csrf": form_token(form)}
    refused = await api.post("/console/sign-in", data=wrong)
    assert "The sign-in name or password is not right." in refused.text
    await sign_in(api, login, PASSWORD)
    listed = (await api.get("/console/proposals", params={"q": "버스"})).text
    assert "No proposals found." in listed and ">Proposals</a>" in listed
    assert 'href="/console/language?to=ko&amp;back=/console/proposals%3Fq%3D' in listed

    back = await api.get("/console/language", params={"to": "ko", "back": "/console/proposals"})
    assert back.headers["location"] == "/console/proposals"
    assert "찾는 제안이 없어요." in (await api.get("/console/proposals")).text


async def test_the_switch_never_leads_off_the_console(api: httpx.AsyncClient) -> None:
    for away in ("https://example.com/", "//example.com/console", "/api/v1/stats"):
        switched = await api.get("/console/language", params={"to": "en", "back": away})
        assert switched.headers["location"] == "/console"
    odd = await api.get("/console/language", params={"to": "xx", "back": "/console/sign-in"})
    assert "toktok_console_lang=ko" in odd.headers["set-cookie"]


def test_words_filled_in_from_python_use_braces_as_its_translator_does() -> None:
    """`_()` in the pages' Python fills `{n}`; a template's `%(n)s` there stays as typed."""
    wrong = [
        f"{module.name}:{call.lineno}"
        for module in CONSOLE.glob("*.py")
        for call in ast.walk(ast.parse(module.read_text()))
        if isinstance(call, ast.Call)
        and isinstance(call.func, ast.Name)
        and call.func.id == "_"
        and call.keywords
        and call.args
        and isinstance(call.args[0], ast.Constant)
        and "%(" in str(call.args[0].value)
    ]
    assert wrong == []

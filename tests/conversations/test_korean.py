"""Particles follow the word before them, as a Korean reader expects."""

import pytest

from conversations.korean import Word, particle
from conversations.messages import default_catalog


@pytest.mark.parametrize(
    ("word", "을", "이", "은", "으로"),
    [
        ("수원시", "를", "가", "는", "로"),
        ("복지", "를", "가", "는", "로"),
        ("교통", "을", "이", "은", "으로"),
        ("매탄3동", "을", "이", "은", "으로"),
        ("영통2동", "을", "이", "은", "으로"),
        ("서울", "을", "이", "은", "로"),  # ㄹ takes 로
        ("3", "을", "이", "은", "으로"),  # 삼
        ("2", "를", "가", "는", "로"),  # 이
        ("7", "을", "이", "은", "로"),  # 칠
        ("10", "을", "이", "은", "으로"),  # 십 … 영
        ("접수 완료", "를", "가", "는", "로"),
        ("'검토 중'", "을", "이", "은", "으로"),
    ],
)
def test_each_particle_fits_the_last_sound(
    word: str, 을: str, 이: str, 은: str, 으로: str
) -> None:
    assert [particle(word, p) for p in ("을", "이", "은", "으로")] == [을, 이, 은, 으로]


def test_a_word_formats_with_its_particle_in_or_out_of_quotes() -> None:
    assert f"{Word('수원시'):을} 사랑해요" == "수원시를 사랑해요"
    assert f"{Word('교통'):'은} 중요해요" == "'교통'은 중요해요"
    assert f"{Word('plain')}" == "plain"


def test_no_text_a_citizen_reads_keeps_a_particle_in_brackets() -> None:
    catalog = default_catalog()
    left = [
        key
        for key, text in catalog.messages["ko"].items()
        if "(" in text
        and any(form in text for form in ("을(를)", "(으)로", "(이)라고", "은(는)", "이(가)"))
    ]
    assert left == []
    said = catalog.text("ko", "proposal.status_changed", title="교통 개선", status="검토 중")
    assert "'검토 중'으로" in said and "(으)" not in said


def test_no_text_for_citizens_asks_them_to_type_a_slash_command() -> None:
    catalog = default_catalog()
    commands = [f"/{name}" for name in ("start", "menu", "me", "stop", "delete", "help")]
    for language, table in catalog.messages.items():
        asking = [
            key
            for key, text in table.items()
            if not key.startswith("botcommand.") and any(c in text for c in commands)
        ]
        assert asking == [], language


def test_every_step_has_help_of_its_own() -> None:
    from conversations.flows import ALL_FLOWS

    generic = [(f.id, s.id) for f in ALL_FLOWS for s in f.steps if s.help == "help.step"]
    assert generic == []

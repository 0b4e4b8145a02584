"""A slip's code as people type it: with a word of linking anywhere, bare only where the
chat asks nothing; a phone number or a sentence with digits is never taken for one."""

import pytest

from conversations.desk import CounterJoin
from conversations.engine import Engine
from conversations.events import Text
from conversations.slip_code import slip_code
from tests.auxil.memory_desk import MemoryDesk
from tests.conversations.test_blocked_posting import play


@pytest.mark.parametrize(
    "typed",
    ["연결 4827-1935", "연결4827 1935", "코드 48271935", "연결: 4827-1935", "LINK 4827.1935",
     " 창구 연결 4827 1935 ", "연결 4827-1935."],
)  # fmt: skip
def test_a_code_after_a_word_of_linking_is_read(typed: str) -> None:
    assert slip_code(typed, bare=False) == "48271935"


@pytest.mark.parametrize("typed", ["4827-1935", "4827 1935", "48271935"])
def test_bare_digits_are_a_code_only_where_allowed(typed: str) -> None:
    assert slip_code(typed, bare=True) == "48271935"
    assert slip_code(typed, bare=False) is None


@pytest.mark.parametrize(
    "typed",
    ["010-4827-1935", "031-4827-1935", "연결 4827-193", "연결 4827-19351", "4827-1935번 버스",
     "72살", "1234", "2026-12-02", "연결해 주세요 4827"],
)  # fmt: skip
def test_other_numbers_are_not_a_code(typed: str) -> None:
    assert slip_code(typed, bare=True) is None


def test_a_code_typed_in_the_middle_of_a_proposal_joins_and_asks_the_same_step_again(
    engine: Engine,
) -> None:
    desk = MemoryDesk(slips={"48271935": CounterJoin((("proposal", 2), ("care", 1)))})
    asked, joined, bare = play(
        engine, desk, Text("제안하기"), Text("연결 4827-1935"), Text("4827 1935")
    )
    assert asked.session.step == "title"
    assert "제안 2건, 돌봄 신청 1건을 이 대화방에 연결했어요" in joined.replies[0].text
    assert joined.session.step == "title"
    assert joined.replies[-1].text.endswith(asked.replies[-1].text)
    # Bare digits while a step is asked are the step's answer, never a code.
    assert all("연결" not in reply.text for reply in bare.replies)


def test_a_wrong_code_at_the_menu_is_answered_kindly_and_the_menu_stays(engine: Engine) -> None:
    (turn,) = play(engine, MemoryDesk(), Text("1111-2222"))
    assert "찾지 못했어요" in turn.replies[0].text and turn.replies[-1].buttons

"""A citizen staff blocked from posting is told so, kindly, before writing anything, and
nothing they write is published; reading and supporting stay open."""

from datetime import UTC, datetime

from conversations.engine import Engine, Turn
from conversations.events import Event, Press, Text
from conversations.flows.browse import post_comment
from conversations.model import Context, Profile
from conversations.session import Session
from tests.auxil.memory_desk import MemoryDesk

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
PROFILE = Profile(language="ko", onboarded=True, privacy_consent=True, dong="인계동")
TOLD = "지금은 제안과 의견을 쓰실 수 없어요"


def play(engine: Engine, desk: MemoryDesk, *events: Event) -> list[Turn]:
    session, profile = Session(prompt_id=1), PROFILE
    turns = []
    for event in events:
        turn = engine.resume(session, profile, event, NOW, desk)
        session, profile = turn.session, turn.profile
        turns.append(turn)
    return turns


def test_a_problem_told_at_the_menu_is_not_filed_and_the_citizen_is_told_why(
    engine: Engine,
) -> None:
    desk = MemoryDesk(blocked=True)
    (turn,) = play(engine, desk, Text("우리 동네 가로등이 고장났어요"))
    assert any(TOLD in reply.text for reply in turn.replies)
    assert turn.session.flow is None and desk.filed == {}


def test_the_propose_button_is_refused_with_the_menu_again(engine: Engine) -> None:
    (turn,) = play(engine, MemoryDesk(blocked=True), Press(1, "flow:propose"))
    assert TOLD in turn.replies[0].text and "설문 참여" in turn.replies[0].text
    assert turn.session.flow is None and turn.replies[-1].buttons


def test_a_citizen_blocked_while_writing_is_not_published_at_the_end(engine: Engine) -> None:
    desk = MemoryDesk()
    turns = play(engine, desk, Press(1, "flow:propose"), Text("매탄동 정류장에 그늘막 설치"))
    assert turns[-1].session.flow == "propose"
    desk.blocked = True
    session, profile = turns[-1].session, turns[-1].profile
    for words in ("✍️ 계속 쓰기", "한여름 버스 기다리기 힘들어요", "교통", "건너뛰기", "제출"):
        turn = engine.resume(session, profile, Text(words), NOW, desk)
        session, profile = turn.session, turn.profile
        if session.flow is None:
            break
    assert session.flow is None, [r.text for r in turn.replies]
    assert any(TOLD in reply.text for reply in turn.replies)
    assert desk.filed == {}


def test_a_comment_is_refused_and_not_posted(engine: Engine) -> None:
    desk = MemoryDesk(blocked=True)
    road = desk.seed("가로등 고장")
    context = Context({"list": f"p:{road}"}, PROFILE, lambda key, **_: key, desk)
    assert post_comment(context, "저도 불편해요") == "propose.blocked"
    assert desk.comments == {}


def test_unblocked_citizens_propose_as_before(engine: Engine) -> None:
    (turn,) = play(engine, MemoryDesk(), Press(1, "flow:propose"))
    assert turn.session.flow == "propose"

"""A turn inside a survey reads the survey once, and a survey's flow is kept per revision:
an edit, or another survey made under a reused id, is walked with its own questions."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from sqlalchemy import Connection, Engine, delete, event

from runtime.turn import Runtime
from storage import polls
from storage.models import Poll, utcnow
from tests.auxil.service import service_settings
from toktok.assembly import build_runtime
from toktok.chat import event_from_line

ONBOARDING = ("안녕하세요", "한국어", "보통으로", "동의합니다", "매탄 3동", "40대", "건너뛰기")


def open_survey(db: Engine, title: str, question: str) -> int:
    with db.begin() as connection:
        poll_id = polls.create(
            connection,
            created_by=None,
            title=title,
            questions=[{"kind": "yes_no", "text": question}],
            opens_at=utcnow() - timedelta(minutes=1),
            closes_at=utcnow() + timedelta(days=1),
        )
        polls.move(connection, poll_id=poll_id, before=("draft",), after="open")
    return poll_id


def say(runtime: Runtime, text: str, user: str) -> str:
    replies = runtime.handle(
        channel="cli", external_id=user, chat_id=user, event=event_from_line(text)
    )
    return "\n".join(item.reply.text for item in replies)


@contextmanager
def statements_reading(table: str) -> Iterator[list[str]]:
    seen: list[str] = []

    def executed(connection: Connection, cursor: Any, statement: str, *_: Any) -> None:
        if f"FROM {table}" in statement:
            seen.append(statement)

    event.listen(Engine, "before_cursor_execute", executed)
    try:
        yield seen
    finally:
        event.remove(Engine, "before_cursor_execute", executed)


def runtime_on(db_url: str, db: Engine) -> Runtime:
    return build_runtime(service_settings(db_url), db)[0]


def test_a_turn_inside_a_survey_reads_the_survey_once(db_url: str, db: Engine) -> None:
    open_survey(db, "공원 조명", "조명을 늘리는 데 찬성하시나요?")
    runtime = runtime_on(db_url, db)
    for words in ONBOARDING:
        say(runtime, words, "s1")
    say(runtime, "🗳 설문·투표", "s1")
    assert "조명을 늘리는 데 찬성하시나요?" in say(runtime, "📋 공원 조명", "s1")
    with statements_reading("poll") as read:
        assert "제출" in say(runtime, "네", "s1")
    assert len(read) == 1  # the survey, with whether she answered it here or elsewhere


def test_a_survey_made_again_under_the_same_id_is_walked_with_its_own_questions(
    db_url: str, db: Engine
) -> None:
    """On SQLite a removed record's id is given again; the kept flow is not taken for it."""
    open_survey(db, "공원 조명", "조명을 늘리는 데 찬성하시나요?")
    runtime = runtime_on(db_url, db)
    for words in ONBOARDING:
        say(runtime, words, "s2")
    say(runtime, "🗳 설문·투표", "s2")
    assert "조명을" in say(runtime, "📋 공원 조명", "s2")
    say(runtime, "🏠 처음으로", "s2")
    with db.begin() as connection:
        connection.execute(delete(Poll))
    open_survey(db, "공원 조명", "벤치를 늘리는 데 찬성하시나요?")
    say(runtime, "🗳 설문·투표", "s2")
    asked = say(runtime, "📋 공원 조명", "s2")
    assert "벤치를 늘리는 데 찬성하시나요?" in asked and "조명을" not in asked

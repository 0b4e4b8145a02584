"""The runtime's promises, on the real database: one advance per event, nothing lost."""

import threading
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, event, update
from sqlmodel import Session, select

from conversations.events import Press
from conversations.formats import Day
from runtime.errors import LastingFailure
from runtime.turn import Runtime
from storage import proposals
from storage.db import make_engine
from storage.models import Citizen, ConversationState, OutboxMessage, utcnow
from storage.sealing import SEALED
from storage.state import enqueue
from storage.turns import load_turn
from tests.auxil.service import sealer_for_tests, service_settings
from toktok.assembly import build_runtime
from toktok.chat import event_from_line

RuntimeFactory = Callable[..., Runtime]


@pytest.fixture
def runtime_for(db_url: str) -> Iterator[RuntimeFactory]:
    """Builds runtimes as separate processes would: each with its own database engine."""
    engines: list[Engine] = []

    def build(clock: Callable[[], datetime] = utcnow) -> Runtime:
        engines.append(make_engine(db_url))
        runtime = build_runtime(service_settings(db_url), engines[-1])[0]
        runtime.clock = clock
        return runtime

    yield build
    for engine in engines:
        engine.dispose()


def say(runtime: Runtime, text: str, user: str = "u1", update_id: int | None = None):  # type: ignore[no-untyped-def]
    return runtime.handle(
        channel="cli",
        external_id=user,
        chat_id=user,
        event=event_from_line(text),
        update_id=update_id,
    )


def state(db: Engine, user: str = "u1") -> ConversationState:
    with Session(db) as session:
        citizen = session.exec(select(Citizen).where(Citizen.external_id == user)).one()
        row = session.get(ConversationState, citizen.id)
        assert row is not None
        return row


def test_state_and_replies_are_stored_together(runtime_for: RuntimeFactory, db: Engine) -> None:
    outgoing = say(runtime_for(), "안녕")
    assert "언어" in outgoing[0].reply.text
    assert (
        state(db).version == 1
        and sealer_for_tests().open_json(state(db).data)["flow"] == "onboarding"
    )
    with Session(db) as session:
        stored = session.exec(select(OutboxMessage)).one()
        assert stored.sent_at is None and stored.claimed_until is not None


def test_a_replayed_update_changes_nothing(runtime_for: RuntimeFactory, db: Engine) -> None:
    runtime = runtime_for()
    assert say(runtime, "안녕", update_id=77)
    assert say(runtime, "한국어", update_id=77) == []
    assert state(db).version == 1


def test_a_replay_is_recognised_after_later_updates(
    runtime_for: RuntimeFactory, db: Engine
) -> None:
    runtime = runtime_for()
    for update_id, text in enumerate(("안녕", "한국어", "보통으로", "도움말"), start=10):
        say(runtime, text, update_id=update_id)
    assert say(runtime, "한국어", update_id=11) == []
    assert state(db).version == 4 and state(db).recent_updates == [10, 11, 12, 13]


def test_two_processes_on_one_citizen_lose_no_turn(
    runtime_for: RuntimeFactory, db: Engine
) -> None:
    first, second = runtime_for(), runtime_for()
    say(first, "안녕")
    texts = ["도움말", "도움말"] * 5
    threads = [
        threading.Thread(target=say, args=(runtime, text))
        for runtime, text in zip([first, second] * 5, texts, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert state(db).version == 1 + len(texts)


def test_a_double_tap_from_two_processes_advances_once(
    runtime_for: RuntimeFactory, db: Engine
) -> None:
    first, second = runtime_for(), runtime_for()
    reply = say(first, "안녕")[0].reply
    assert reply.prompt_id is not None
    tap = Press(reply.prompt_id, "ko")
    results: list[int] = []

    def press(runtime: Runtime, update_id: int) -> None:
        out = runtime.handle(
            channel="cli", external_id="u1", chat_id="u1", event=tap, update_id=update_id
        )
        results.append(len(out))

    threads = [
        threading.Thread(target=press, args=(rt, i)) for i, rt in enumerate((first, second), 10)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sealer_for_tests().open_json(state(db).data)["step"] == "easy_mode"
    assert sorted(results) == [0, 1]  # the second tap is a silent double tap


def test_unsent_replies_are_picked_up_once_their_claim_expires(
    runtime_for: RuntimeFactory,
) -> None:
    now = utcnow()
    crashed = runtime_for(clock=lambda: now)
    say(crashed, "안녕")
    survivor = runtime_for(clock=lambda: now + timedelta(seconds=5))
    assert survivor.unsent(channel="cli", older_than=timedelta(0)) == []
    later = runtime_for(clock=lambda: now + timedelta(seconds=61))
    again = later.unsent(channel="cli", older_than=timedelta(seconds=30))
    assert len(again) == 1 and "언어" in again[0].reply.text
    assert later.unsent(channel="cli", older_than=timedelta(seconds=30)) == []
    later.confirm(sent=[again[0].outbox_id])
    latest = runtime_for(clock=lambda: now + timedelta(seconds=200))
    assert latest.unsent(channel="cli", older_than=timedelta(seconds=30)) == []


def test_a_crashed_turns_replies_are_dropped_once_a_later_turn_answered(
    runtime_for: RuntimeFactory, db: Engine
) -> None:
    """A consent question left behind must not arrive after the answers that followed it."""
    now = utcnow()
    crashed = runtime_for(clock=lambda: now)
    say(crashed, "안녕")
    say(crashed, "한국어")  # its reply never went out: the process died after commit
    survivor = runtime_for(clock=lambda: now + timedelta(seconds=90))
    answered = say(survivor, "보통으로")
    survivor.confirm(sent=[o.outbox_id for o in answered])
    assert survivor.unsent(channel="cli", older_than=timedelta(seconds=30)) == []
    with Session(db) as session:
        left = session.exec(select(OutboxMessage).where(OutboxMessage.sent_at == None)).all()  # noqa: E711
    assert left and all(row.failed for row in left)


def test_staff_messages_are_never_taken_for_stale_prompts(
    runtime_for: RuntimeFactory, db: Engine
) -> None:
    now = utcnow()
    runtime = runtime_for(clock=lambda: now)
    say(runtime, "안녕")
    with db.begin() as connection:
        citizen = connection.execute(select(Citizen.id)).scalar_one()
        enqueue(
            connection,
            citizen_id=citizen,
            channel="cli",
            chat_id="u1",
            payloads=[{"text": "답변이 등록되었어요"}],
            claimed_until=None,
            reply_to_message=None,
        )
    later = runtime_for(clock=lambda: now + timedelta(seconds=90))
    say(later, "한국어")
    unsent = later.unsent(channel="cli", older_than=timedelta(seconds=30))
    assert [o.reply.text for o in unsent] == ["답변이 등록되었어요"]


def test_erasing_a_citizen_leaves_no_personal_rows(
    runtime_for: RuntimeFactory, db: Engine
) -> None:
    runtime = runtime_for()
    for n, text in enumerate(("안녕", "한국어", "보통으로", "동의합니다", "매탄3동", "/delete")):
        replies = say(runtime, text)
        if n % 2:  # some replies delivered, some still queued
            runtime.confirm(sent=[o.outbox_id for o in replies])
    farewell = say(runtime, "네, 모두 지워 주세요")
    assert "지웠어요" in farewell[0].reply.text
    with Session(db) as session:
        assert session.exec(select(Citizen)).all() == []
        assert session.exec(select(ConversationState)).all() == []
        kept = session.exec(select(OutboxMessage)).all()
        assert sorted(row.id for row in kept) == sorted(o.outbox_id for o in farewell)
        assert all(row.citizen_id is None for row in kept)


def test_prune_forgets_delivered_replies(runtime_for: RuntimeFactory, db: Engine) -> None:
    now = utcnow()
    runtime = runtime_for(clock=lambda: now)
    sent = say(runtime, "안녕", update_id=1)
    runtime.confirm(sent=[o.outbox_id for o in sent])
    future = runtime_for(clock=lambda: now + timedelta(days=10))
    future.prune(keep_sent=timedelta(days=1), keep_news=timedelta(days=365))
    with Session(db) as session:
        assert session.exec(select(OutboxMessage)).all() == []


def test_prune_keeps_staff_news_as_long_as_its_history_is_shown(
    runtime_for: RuntimeFactory, db: Engine
) -> None:
    now = utcnow()
    with db.begin() as connection:
        news = enqueue(
            connection,
            citizen_id=None,
            channel="telegram",
            chat_id="1",
            payloads=[{"text": "답변"}],
            claimed_until=None,
            reply_to_message=None,
            about="proposal:1",
        )
    runtime_for(clock=lambda: now).confirm(sent=news)
    keep = {"keep_sent": timedelta(days=1), "keep_news": timedelta(days=365)}
    runtime_for(clock=lambda: now + timedelta(days=10)).prune(**keep)
    with Session(db) as session:
        assert [row.id for row in session.exec(select(OutboxMessage))] == news
    runtime_for(clock=lambda: now + timedelta(days=400)).prune(**keep)
    with Session(db) as session:
        assert session.exec(select(OutboxMessage)).all() == []


def test_a_proposal_past_the_support_threshold_shows_its_answer_deadline(
    db_url: str, db: Engine
) -> None:
    settings = service_settings(db_url, proposal_answer_threshold=1, proposal_answer_days=14)
    runtime = build_runtime(settings, db)[0]
    with db.begin() as connection:
        author = load_turn(connection, channel="cli", external_id="a", chat_id="a").citizen_id
        proposals.submit(
            connection,
            author_id=author,
            title="화서역 환승 주차장",
            body="주차장이 필요해요",
            category="transport",
            dong=None,
        )
    for line in ("안녕", "한국어", "보통으로", "동의하지 않습니다", "둘러보기", "최신순", "1"):
        shown = say(runtime, line)
    assert "답변해야 해요" not in shown[0].reply.text
    supported = say(runtime, "공감하기")[0].reply.text
    due = f"{Day(utcnow().date() + timedelta(days=14), 'ko')}"  # 11월 26일(목)
    assert "공감했어요" in supported and f"{due}까지 답변해야 해요" in supported


def request(text: str, user: str, update_id: int | None = None) -> dict[str, Any]:
    return {
        "channel": "cli",
        "external_id": user,
        "chat_id": user,
        "event": event_from_line(text),
        "update_id": update_id,
    }


def test_turns_taken_together_are_kept_in_one_commit_and_answered_as_if_taken_alone(
    runtime_for: RuntimeFactory, db: Engine
) -> None:
    runtime = runtime_for()
    alone = say(runtime, "안녕", user="alone")
    commits: list[object] = []
    event.listen(runtime.db, "commit", commits.append)
    answers = runtime.handle_together(request("안녕", f"u{n}", 100 + n) for n in range(4))
    assert len(commits) == 1  # the disk is waited for once
    assert [[item.reply.text for item in answer] for answer in answers] == [  # type: ignore[union-attr]
        [item.reply.text for item in alone]
    ] * 4
    assert all(state(db, f"u{n}").version == 1 for n in range(4))
    assert runtime.handle_together([request("한국어", "u2", 102)]) == [[]]  # seen: replayed


def test_a_turn_that_fails_among_others_fails_alone_and_what_was_not_read_waits(
    runtime_for: RuntimeFactory, db: Engine
) -> None:
    runtime = runtime_for()
    say(runtime, "안녕", user="broken")
    broken = state(db, "broken").citizen_id
    with db.begin() as connection:  # her state no longer opens: her turn fails every time
        connection.execute(
            update(ConversationState).values(data={SEALED: "not sealed by us"})
            .where(ConversationState.citizen_id == broken)
        )  # fmt: skip
    waiting = iter([request("안녕", "u1"), request("안녕", "broken"), request("안녕", "u2")])
    first, failed = runtime.handle_together(waiting)
    assert isinstance(failed, LastingFailure)
    assert first and state(db, "u1").version == 1  # taken again on its own, and kept
    assert next(waiting)["external_id"] == "u2"  # left for the next batch, not lost
    with Session(db) as session:
        assert session.exec(select(Citizen).where(Citizen.external_id == "u2")).first() is None

"""One KakaoTalk call, one transaction: noting the call, the turn and keeping its answer are
committed together; an answer kept as shown that the citizen was told to wait for instead
is given back whole (replies and news) for her next call."""

import asyncio
import threading
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest
from sqlalchemy import Connection, Engine, event, func, select

from conversations.messages import default_catalog
from kakao.call import Before, SkillCall, keep_waiting
from kakao.inbound import event_from
from storage.db import make_engine, transaction
from storage.models import KakaoAnswer, NoticeDelivery, OutboxMessage, utcnow
from storage.staff import Role
from tests.auxil.factories import make_staff
from tests.auxil.service import running_service, sealer_for_tests, service_settings
from tests.fake_kakao import KakaoCitizen
from tests.kakao.test_skill import SECRET, URL, onboard
from toktok.assembly import build_runtime


@pytest.fixture
async def in_one_process(db_url: str) -> AsyncIterator[httpx.AsyncClient]:
    """The service with its turns in a thread, so every transaction is this process's."""
    settings = service_settings(db_url, api_port=0, kakao_skill_secret=SECRET, turn_workers=0)
    async with running_service(settings) as url, httpx.AsyncClient(base_url=url) as client:
        yield client


@contextmanager
def commits_touching(table: str) -> Iterator[list[int]]:
    """Counts the committed transactions of this process that read or wrote `table`."""
    touched: set[int] = set()
    committed: list[int] = []

    def executed(connection: Connection, cursor: Any, statement: str, *_: Any) -> None:
        if table in statement:
            touched.add(id(connection))

    def commit(connection: Connection) -> None:
        if id(connection) in touched:
            touched.discard(id(connection))
            committed.append(1)

    event.listen(Engine, "before_cursor_execute", executed)
    event.listen(Engine, "commit", commit)
    try:
        yield committed
    finally:
        event.remove(Engine, "before_cursor_execute", executed)
        event.remove(Engine, "commit", commit)


async def test_a_call_that_takes_a_turn_commits_once(in_one_process: httpx.AsyncClient) -> None:
    citizen = KakaoCitizen(in_one_process, URL, "kakao-once")
    await citizen.say("안녕하세요")
    with commits_touching("kakao_answer") as committed:
        await citizen.tap("한국어")
    assert "보통으로" in citizen.labels()  # the next question, answered in time
    assert len(committed) == 1


async def test_a_turns_replies_shown_in_the_answer_are_stored_as_sent(
    in_one_process: httpx.AsyncClient, db: Engine
) -> None:
    """Nothing of an answer shown in time waits in the outbox for a sender, and it took no
    statement after the turn to say so."""
    citizen = KakaoCitizen(in_one_process, URL, "kakao-stored-sent")
    await citizen.say("안녕하세요")
    with statements_about("outbox_message") as statements:
        await citizen.tap("한국어")
    assert "보통으로" in citizen.labels()
    with db.connect() as connection:
        rows = connection.execute(
            select(OutboxMessage.sent_at, OutboxMessage.claimed_until).where(
                OutboxMessage.chat_id == "kakao-stored-sent"
            )
        ).all()
    assert len(rows) == 2 and all(sent is not None and claim is None for sent, claim in rows)
    written = [s.split()[0] for s in statements if s.split()[0] in ("INSERT", "UPDATE", "DELETE")]
    assert written == ["INSERT"]


@contextmanager
def statements_about(table: str) -> Iterator[list[str]]:
    """The statements this process runs that name `table`."""
    seen: list[str] = []

    def executed(connection: Connection, cursor: Any, statement: str, *_: Any) -> None:
        if table in statement:
            seen.append(statement.lstrip())

    event.listen(Engine, "before_cursor_execute", executed)
    try:
        yield seen
    finally:
        event.remove(Engine, "before_cursor_execute", executed)


async def test_an_answer_given_back_after_the_wait_comes_whole_at_the_next_call(
    in_one_process: httpx.AsyncClient, db: Engine
) -> None:
    """The turn's process kept the answer as shown, but the service had already said
    "잠시만요": the replies come at her next call as late, and the news is held again."""
    api = in_one_process
    citizen = KakaoCitizen(api, URL, "kakao-given-back")
    await onboard(citizen)
    _, token = make_staff(db, role=Role.STAFF)
    headers = {"Authorization": f"Bearer {token}"}
    notice = {"text": "도서관 휴관 안내", "topics": ["culture"], "audience": {"gus": ["팔달구"]}}
    notice_id = (await api.post("/api/v1/notices", json=notice, headers=headers)).json()["id"]
    await api.post(f"/api/v1/notices/{notice_id}/send", json={}, headers=headers)
    report_url = f"/api/v1/notices/{notice_id}/report"
    for _ in range(100):
        if (await api.get(report_url, headers=headers)).json()["held"]:
            break
        await asyncio.sleep(0.05)
    await citizen.tap("📝 정책 제안하기")
    assert "📬 새 소식 1건" in citizen.labels()
    with transaction(db) as session:
        connection = session.connection()
        call_id = connection.execute(
            select(KakaoAnswer.id).order_by(KakaoAnswer.id.desc()).limit(1)  # type: ignore[union-attr]
        ).scalar_one()
        shown = connection.execute(
            select(OutboxMessage.id).where(
                OutboxMessage.chat_id == "kakao-given-back",
                OutboxMessage.turn.is_not(None),  # type: ignore[union-attr]
            )
        ).scalars()
        last_turn = max(shown)
        delivery = connection.execute(select(NoticeDelivery.id)).scalar_one()
        keep_waiting(
            connection,
            sealer=sealer_for_tests(),
            catalog=default_catalog(),
            user="kakao-given-back",
            before=Before(call_id, None, held=[delivery]),
            sent=[last_turn],
            now=connection.execute(select(KakaoAnswer.created_at)).scalars().first(),
        )
    report = (await api.get(report_url, headers=headers)).json()
    assert (report["held"], report["sent"]) == (1, 0)
    await citizen.say("뭐라고요?")  # her next words wait: she has not seen the question
    assert citizen.text().startswith("조금 전 말씀에 대한 답이 늦게 도착했어요")
    assert "제안" in citizen.text()
    assert "📬 새 소식 1건" in citizen.labels()


def test_a_resend_taken_beside_its_first_call_by_another_process_is_a_repeat(
    db_url: str, db: Engine
) -> None:
    """Kakao's retry reaches a second process while the first still works on the call:
    one turn, and both answer the same (the second waits at the citizen's row, finds the
    state changed, and is taken again as a repeat)."""
    engines = [make_engine(db_url) for _ in range(2)]
    runtimes = [build_runtime(service_settings(db_url), engine)[0] for engine in engines]
    catalog = default_catalog()
    try:
        for n in range(8):
            user = f"kakao-twice-{n}"
            arrived = utcnow()
            calls = [
                SkillCall(user, "안녕하세요", None, arrived, time.monotonic() + 60)
                for _ in runtimes
            ]
            together = threading.Barrier(len(runtimes))

            def take(call: SkillCall, runtime: Any, user: str = user) -> None:
                together.wait()  # noqa: B023  (joined before the next loop)
                runtime.handle(
                    channel="kakao",
                    external_id=user,
                    chat_id=user,
                    event=event_from("안녕하세요", None, catalog),
                    around=call,
                )

            threads = [
                threading.Thread(target=take, args=pair)
                for pair in zip(calls, runtimes, strict=True)
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=30)
            fresh = [call for call in calls if call.before is not None and call.before.fresh]
            again = [
                call.before.repeated for call in calls if call.before and not call.before.fresh
            ]
            assert len(fresh) == len(again) == 1
            first, repeated = fresh[0].kept, again[0]
            assert first is not None and repeated is not None
            assert [r.text for r in first.replies] == [r.text for r in repeated.replies]
            with db.connect() as connection:
                for table in (OutboxMessage, KakaoAnswer):
                    column = (
                        OutboxMessage.chat_id if table is OutboxMessage else KakaoAnswer.user_key
                    )
                    counted = connection.execute(
                        select(func.count()).select_from(table).where(column == user)
                    ).scalar()
                    assert counted == 1, table
    finally:
        for engine in engines:
            engine.dispose()

"""Erasing oneself on KakaoTalk, then a walk over every table of the database (found from
the models, not a hand list), every column, sealed values opened: nothing points at the
erased citizen or holds their key, and their words and contact details are gone or kept
exactly as they chose. (What a neighbour was shown stays in the neighbour's own chat's
copies, a day at most, as it does on the neighbour's phone.)"""

import json
from datetime import date, datetime
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, select
from sqlmodel import SQLModel

from storage import proposals
from storage.sealing import Sealer, SealingError
from tests.auxil.service import TEST_DATA_KEY
from tests.fake_kakao import KakaoCitizen
from tests.kakao.test_skill import URL, api, onboard  # noqa: F401  (the service fixture)

USER = "kakao-erase-walk-7731"
WORDS = "은행나무길 분수대 고쳐주세요"
COMMENT = "분수대 옆 자갈길도 미끄러워요"
PHONE = "010-4821-7355"
NAMES = ("김지워", "박사라짐")


async def file_everything(api: httpx.AsyncClient) -> KakaoCitizen:  # noqa: F811
    """A citizen with a proposal someone else supports, one nobody touched, a comment on a
    neighbour's proposal, and a care application in progress."""
    neighbour = KakaoCitizen(api, URL, "kakao-neighbour")
    await onboard(neighbour)
    await neighbour.tap("📝 정책 제안하기")
    await neighbour.say("광교 호수공원 야간 조명 늘려 주세요")
    await neighbour.say("밤에 산책하기 너무 어두워요.")
    for label in ("안전", "건너뛰기", "✅ 제출하기"):
        await neighbour.tap(label)

    citizen = KakaoCitizen(api, URL, USER)
    await onboard(citizen)
    for title, body in (
        (WORDS, "아이들이 다칠까 걱정돼요."),
        ("정자동 빗물받이 청소", "비만 오면 길이 넘쳐요."),
    ):
        await citizen.tap("📝 정책 제안하기")
        await citizen.say(title)
        if "비슷한 제안" in citizen.text():
            await citizen.tap("✍️ 계속 쓰기")
        await citizen.say(body)
        for label in ("환경", "건너뛰기", "✅ 제출하기"):
            await citizen.tap(label)
        assert "제안을 접수했어요" in citizen.text()
    await citizen.tap("📋 제안 둘러보기")
    await citizen.tap("🆕 최신순")
    await citizen.say("3")  # the neighbour's
    await citizen.tap("💬 의견 쓰기")
    await citizen.say(COMMENT)
    await citizen.say("처음으로")

    await neighbour.tap("📋 제안 둘러보기")
    await neighbour.tap("🆕 최신순")
    await neighbour.say("2")  # the citizen's first proposal
    await neighbour.tap("👍 공감하기")

    for label in ("🤝 돌봄 신청", "🙋 나", "동의합니다", "동의합니다", "🍱 식사 지원"):
        await citizen.tap(label)
    await citizen.tap("✔️ 완료 (1개 선택)")
    await citizen.say("혼자 밥 해 먹기 어려워요")
    await citizen.tap("✔️ 완료 (0개 선택)")
    await citizen.say(NAMES[0])
    await citizen.say(PHONE)
    await citizen.tap("팔달구")
    await citizen.tap("행궁동")
    await citizen.say(f"{NAMES[1]}빌라 2층")
    await citizen.tap("아무 때나")
    await citizen.tap("✅ 신청하기")
    assert "접수번호" in citizen.text()
    return citizen


# Copies of what another citizen was shown (their own chat's replies, kept a day for
# retries and support) are theirs: the neighbour saw the proposal while it was published.
OTHERS_COPIES = {"kakao_answer": "user_key", "outbox_message": "chat_id"}


def everything(db: Engine, sealer: Sealer) -> list[tuple[str, str, str]]:
    """(table, column, text) for every value of every row, sealed ones opened, but for the
    copies of what other citizens were shown in their own chats."""
    found = []
    with db.connect() as connection:
        for table in SQLModel.metadata.sorted_tables:
            for row in connection.execute(select(table)).mappings():
                owner = OTHERS_COPIES.get(table.name)
                if owner and row[owner] not in (USER, None):
                    continue
                for column, value in row.items():
                    found += [(table.name, column, text) for text in readable(value, sealer)]
    return found


def readable(value: Any, sealer: Sealer) -> list[str]:
    if value is None or isinstance(value, float | bool | datetime | date):
        return []
    if isinstance(value, int):
        return [str(value)]
    texts = [value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)]
    try:
        opened = sealer.open_json(value) if isinstance(value, dict) else sealer.open_text(value)
    except (SealingError, ValueError, TypeError, AttributeError):
        opened = None
    if opened is not None:
        texts.append(opened if isinstance(opened, str) else json.dumps(opened, ensure_ascii=False))
    return [text for text in texts if isinstance(text, str)]


def citizen_columns() -> set[tuple[str, str]]:
    """Every column that refers to a citizen, from the models' foreign keys."""
    return {
        (table.name, column.name)
        for table in SQLModel.metadata.sorted_tables
        for column in table.columns
        for key in column.foreign_keys
        if key.column.table.name == "citizen"
    }


@pytest.mark.parametrize(("posts", "care"), [("remove", "withdraw"), ("keep", "keep")])
async def test_erasure_leaves_nothing_of_the_citizen_but_what_they_chose_to_keep(
    api: httpx.AsyncClient,  # noqa: F811
    db: Engine,
    posts: str,
    care: str,
) -> None:
    citizen = await file_everything(api)
    with db.connect() as connection:
        row = connection.execute(
            select(SQLModel.metadata.tables["citizen"].c.id).where(
                SQLModel.metadata.tables["citizen"].c.external_id == USER
            )
        ).one()
    erased_id = row.id

    await citizen.say("내 정보 지우기")
    assert "지워지는 것" in citizen.text() and "남는 것" in citizen.text()
    await citizen.tap("네, 모두 지워 주세요")
    assert "제안 2건과 의견 1건" in citizen.text()
    await citizen.tap("🗑 글도 지우기" if posts == "remove" else "📌 글은 남기기")
    assert "진행 중인 돌봄 신청이 1건" in citizen.text()
    await citizen.tap("🤝 담당자에게 맡기기" if care == "keep" else "✖ 신청 취소하기")
    assert "지웠어요" in citizen.text()

    sealer = Sealer([TEST_DATA_KEY])
    values = everything(db, sealer)
    refs = citizen_columns()
    assert ("proposal", "author_id") in refs and ("care_application", "citizen_id") in refs
    for table, column, text in values:
        assert USER not in text, (table, column)
        if (table, column) in refs:
            assert text != str(erased_id), (table, column)
    words = {text for _, _, text in values}
    joined = "\n".join(words)
    if posts == "remove":
        assert WORDS not in joined and COMMENT not in joined and "빗물받이" not in joined
        assert proposals.REMOVED_TITLE in joined  # the supported one, as a placeholder
    else:
        assert WORDS in joined and COMMENT in joined
    if care == "keep":
        assert PHONE in joined and NAMES[0] in joined  # in the case, for the caseworker
    else:
        assert PHONE not in joined and NAMES[0] not in joined and NAMES[1] not in joined

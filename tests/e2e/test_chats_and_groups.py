"""Who may speak for a citizen, and where: their own private chat only, at a fair pace."""

import time

from sqlalchemy import Engine
from sqlmodel import Session, select

from storage.models import Citizen
from tests.auxil.service import bot_settings, running_service
from tests.fake_telegram.server import FakeTelegram, _bot_user

GROUP = {"id": -100123, "type": "supergroup", "title": "동네 모임"}


def citizen_row(db: Engine, user_id: int) -> Citizen:
    with Session(db) as session:
        return session.exec(select(Citizen).where(Citizen.external_id == str(user_id))).one()


async def test_a_private_update_whose_chat_is_not_the_sender_is_refused(
    fake: FakeTelegram, service: str, db: Engine
) -> None:
    kang = fake.citizen(5101)
    await kang.say("안녕하세요")
    await kang.reply()
    forged = kang._message(text="한국어", chat={"id": 5999, "type": "private"})
    await kang.send(message=forged)
    await kang.say("한국어")  # the real next message is answered, in the real chat
    assert "버튼을 크게" in (await kang.reply())["text"]
    assert fake.outbox[5999] == []
    assert citizen_row(db, 5101).chat_id == "5101"


def membership(user: dict, status: str, chat: dict = GROUP) -> dict:
    return {
        "chat": chat,
        "from": user,
        "date": int(time.time()),
        "old_chat_member": {"status": "left", "user": _bot_user()},
        "new_chat_member": {
            "status": status,
            "user": _bot_user(),
            **({"until_date": 0} if status == "kicked" else {}),
        },
    }


async def test_groups_change_no_citizen_and_hear_once_where_to_go(
    fake: FakeTelegram, service: str, db: Engine
) -> None:
    blocked, active = fake.citizen(5102), fake.citizen(5103)
    for person in (blocked, active):
        await person.say("안녕하세요")
        await person.reply()
    await blocked.leave()
    await active.send(my_chat_member=membership(active.user, "kicked"))  # removed from a group
    await blocked.send(my_chat_member=membership(blocked.user, "member"))  # adds it to a group
    told = await fake.wait_for(GROUP["id"], 1)
    assert "1:1 대화" in told[0]["text"]
    await active.send(message=active._message(text="/start", chat=GROUP))
    await active.say("한국어")
    await active.reply()  # the private chat goes on; by now the group message was handled
    assert len(fake.outbox[GROUP["id"]]) == 1
    assert citizen_row(db, 5102).active is False
    assert citizen_row(db, 5103).active is True


async def test_a_flood_is_answered_once_and_does_not_hold_up_others(
    fake: FakeTelegram, db_url: str
) -> None:
    settings = bot_settings(db_url, fake, citizen_burst=5, citizen_messages_per_minute=0.001)
    flooder, neighbour = fake.citizen(5104), fake.citizen(5105)
    async with running_service(settings):
        for n in range(60):
            await flooder.say(f"도배 {n}")
        await neighbour.say("안녕하세요")
        assert "언어를 골라 주세요" in (await neighbour.reply())["text"]
        answered = await flooder.replies(6)
        assert await flooder.quiet(1.0)
    slow_down = [m for m in answered if "너무 빨리" in m["text"]]
    assert len(slow_down) == 1 and len(answered) == 6

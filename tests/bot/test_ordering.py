"""One citizen's updates run one after another; other citizens' run meanwhile."""

import asyncio

from telegram import Update

from bot.ordering import CitizenOrder


def update_from(user_id: int, update_id: int) -> Update:
    user = {"id": user_id, "is_bot": False, "first_name": "Citizen"}
    message = {
        "message_id": update_id,
        "date": 0,
        "chat": {"id": user_id, "type": "private"},
        "from": user,
        "text": "안녕",
    }
    return Update.de_json({"update_id": update_id, "message": message}, None)  # type: ignore[arg-type]


async def test_a_citizens_later_update_waits_for_the_slow_one_before_it() -> None:
    order = CitizenOrder(4)
    log: list[str] = []

    async def work(name: str, seconds: float) -> None:
        log.append(f"{name} start")
        await asyncio.sleep(seconds)
        log.append(f"{name} end")

    arrivals = [(1, "A1", 0.05), (2, "B1", 0.0), (1, "A2", 0.0), (1, "A3", 0.0)]
    await asyncio.gather(
        *(
            asyncio.create_task(order.process_update(update_from(user, i), work(name, seconds)))
            for i, (user, name, seconds) in enumerate(arrivals)
        )
    )
    assert log.index("B1 end") < log.index("A1 end")  # B did not wait for A
    a = [entry for entry in log if entry.startswith("A")]
    assert a == ["A1 start", "A1 end", "A2 start", "A2 end", "A3 start", "A3 end"]


async def test_a_failing_update_does_not_hold_up_the_next_one() -> None:
    order = CitizenOrder(2)
    done: list[str] = []

    async def fail() -> None:
        raise RuntimeError("turn failed")

    async def succeed() -> None:
        done.append("second")

    first = asyncio.create_task(order.process_update(update_from(1, 1), fail()))
    second = asyncio.create_task(order.process_update(update_from(1, 2), succeed()))
    results = await asyncio.gather(first, second, return_exceptions=True)
    assert isinstance(results[0], RuntimeError) and done == ["second"]

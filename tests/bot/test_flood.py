"""One citizen's flood is answered with one "slow down", however long it lasts."""

from bot.flood import FloodGuard, Verdict


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_flood_of_two_hundred_messages_in_eleven_seconds_gets_one_note() -> None:
    clock = Clock()
    guard = FloodGuard(burst=20, per_minute=60, clock=clock)
    verdicts = []
    for n in range(200):
        clock.now = n * 11 / 200
        verdicts.append(guard.admit("citizen"))
    assert verdicts.count(Verdict.WARN) == 1
    assert verdicts[:20] == [Verdict.ADMIT] * 20  # the burst, then the steady pace
    assert 20 < verdicts.count(Verdict.ADMIT) < 40


def test_a_new_flood_after_calm_gets_its_own_note() -> None:
    clock = Clock()
    guard = FloodGuard(burst=5, per_minute=60, clock=clock)
    first = [guard.admit("citizen") for _ in range(10)]
    clock.now = 60.0  # a quiet minute: the bucket is full again
    second = [guard.admit("citizen") for _ in range(10)]
    assert first.count(Verdict.WARN) == 1 and second.count(Verdict.WARN) == 1

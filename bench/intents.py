"""Words of one's own at the main menu: how often they reach the service meant, and the cost.

For each half of tests/conversations/intents.tsv (the tuning half and the held-out half,
which nothing was tuned on): the share reached (sent straight there, or offered among at
most three buttons), the share sent straight, the share sent to a wrong service, and a
confusion table (per service meant: where the reading sent its messages, "?" for a
question or nothing). Then the time per message of the intent reading and, as the
baseline in the same run, of the bare menu match (button words and numbers); and the
memory the intents' model adds (Python's allocations while building it).
Goals: held-out reached >= 90 %, wrong <= 2 %; p95 <= 5 ms; memory <= 30 MB.

    python bench/intents.py [--rounds 20]
"""

import argparse
import statistics
import sys
import time
import tracemalloc
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from conversations.intents import IntentModel, load
from conversations.matching import pick
from conversations.messages import default_catalog
from conversations.values import FLOW, NAV
from tests.conversations.intent_corpus import rows, score


def table(confusion: Counter[tuple[str, str]]) -> str:
    """One line per service meant: where its messages went, most first ("?": a question)."""
    lines = []
    for wanted in sorted({w for w, _ in confusion}):
        cells = sorted(
            ((g, n) for (w, g), n in confusion.items() if w == wanted), key=lambda c: -c[1]
        )
        lines.append(f"  {wanted:<24} " + ", ".join(f"{g} {n}" for g, n in cells))
    return "\n".join(lines)


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20, help="passes over the corpus, timed")
    args = parser.parse_args()

    tracemalloc.start()
    model = IntentModel(load())
    model.read("워밍업")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    corpus = rows()
    for name, held in (("tuning half", False), ("held-out half", True)):
        half = [row for row in corpus if row.held_out is held]
        result = score(model, half)
        print(
            f"{name}: {result.total} messages; reached {result.share(result.reached):.1%}, "
            f"straight {result.share(result.straight):.1%}, "
            f"wrong service {result.share(result.wrong):.1%} ({result.wrong})"
        )
        print(table(result.confusion or Counter()))
        print()

    catalog = default_catalog()
    menu = [
        (FLOW(flow), [catalog.text("ko", f"flow.{flow}")])
        for flow in ("propose", "browse", "surveys", "care", "notices", "profile")
    ] + [(NAV("help"), catalog.everywhere("nav.help"))]
    texts = [row.typed for row in corpus]
    timings: dict[str, list[float]] = {"menu match (baseline)": [], "intent reading": []}
    for _ in range(args.rounds):
        for text in texts:
            started = time.perf_counter()
            pick(text, menu)
            middle = time.perf_counter()
            model.read(text)
            ended = time.perf_counter()
            timings["menu match (baseline)"].append((middle - started) * 1000)
            timings["intent reading"].append((ended - middle) * 1000)
    for label, samples in timings.items():
        print(
            f"{label:<22} median {statistics.median(samples):6.3f} ms  "
            f"p95 {p95(samples):6.3f} ms  ({len(samples)} messages)"
        )
    ratio = p95(timings["intent reading"]) / p95(timings["menu match (baseline)"])
    print(f"intent reading p95 / menu match p95: {ratio:.1f}x (goal: p95 <= 5 ms)")
    print(f"memory the model adds: {peak / 2**20:.1f} MB (goal <= 30 MB)")


if __name__ == "__main__":
    main()

"""Memory of `toktok run` with the bot on, process by process, against a bare PTB echo bot.

Both run as their own processes against the loopback Bot API emulator and answer a citizen
first (the service: onboarding's first steps, so its turn worker has taken turns; the echo
bot: a few echoes). Printed per process: RSS (what `ps` shows; pages shared between
processes counted in each), PSS (shared pages split between the processes sharing them: the
figure that adds up) and private memory; then what importing each role's code costs a fresh
interpreter (where the memory goes).

    python bench/memory.py
    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test python bench/memory.py
"""

import asyncio
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.burst import ROOT, ready, start, start_service
from bench.common import fresh_database
from tests.auxil.service import free_port
from tests.fake_telegram.server import FakeTelegram

# What each role of a process imports, measured in a fresh interpreter.
ROLES = {
    "turn worker (runtime.workers)": "runtime.workers",
    "service (toktok.service)": "toktok.service",
    "echo bot (telegram.ext)": "telegram.ext",
}
# The baseline: a bare echo bot, nothing imported but PTB.
ECHO_BOT = """
import sys
from telegram.ext import ApplicationBuilder, MessageHandler, filters

async def answer(update, context):
    await update.effective_message.reply_text(update.effective_message.text)

application = ApplicationBuilder().base_url(sys.argv[1]).token(sys.argv[2]).build()
application.add_handler(MessageHandler(filters.TEXT, answer))
application.run_polling(stop_signals=None)
"""
MEASURE_IMPORT = """
import sys
def rss():
    return int(open('/proc/self/status').read().split('VmRSS:')[1].split()[0]) / 1024
before = rss()
__import__(sys.argv[1])
print(f"{rss() - before:.0f}")
"""


@dataclass(frozen=True)
class Memory:
    pid: int
    name: str
    rss: int  # KiB
    pss: int
    private: int

    @classmethod
    def of(cls, pid: int, name: str) -> "Memory":
        fields: dict[str, int] = {}
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
            key, value = line.split(":", 1)
            fields[key] = int(value.split()[0])
        return cls(
            pid,
            name,
            fields["Rss"],
            fields["Pss"],
            fields["Private_Clean"] + fields["Private_Dirty"],
        )


def command(pid: int) -> str:
    return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()


def named(pids: list[int]) -> list[Memory]:
    """Each process of the service by what it is: the fork server's children are workers."""
    kinds = []
    for pid in pids:
        said = command(pid)
        if "resource_tracker" in said:
            kinds.append("multiprocessing's resource tracker")
        elif "forkserver" in said:
            first = not any("forkserver" in kind for kind in kinds)
            kinds.append("forkserver (holds the turn code)" if first else "turn worker")
        else:
            kinds.append("service: web, sender, scheduler")
    return [Memory.of(pid, kind) for pid, kind in zip(pids, kinds, strict=True)]


def family(pid: int) -> list[int]:
    """The process and every process under it (the turn worker comes from a fork server)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found = [pid]
    for member in found:
        found += [child for child, parent in parents.items() if parent == member]
    return found


def show(title: str, members: list[Memory]) -> tuple[int, int]:
    print(title)
    for m in members:
        print(
            f"  {m.pid:>7}  RSS {m.rss / 1024:6.1f} MiB  PSS {m.pss / 1024:6.1f} MiB  "
            f"private {m.private / 1024:6.1f} MiB  {m.name}"
        )
    rss, pss = sum(m.rss for m in members), sum(m.pss for m in members)
    print(f"  {len(members)} processes: RSS {rss / 1024:.1f} MiB, PSS {pss / 1024:.1f} MiB")
    return rss, pss


async def main() -> None:
    with tempfile.TemporaryDirectory() as directory:
        database = fresh_database(directory)
        fake, echo_fake = FakeTelegram(), FakeTelegram()
        await fake.start()
        await echo_fake.start()
        port = free_port()
        service = start_service(database, fake, port, directory)
        echo = start(
            ["-c", ECHO_BOT, echo_fake.base_url, echo_fake.token],
            {},
            str(ROOT),
            Path(directory) / "echo.log",
        )
        try:
            await ready(f"http://127.0.0.1:{port}/readyz")
            citizen = fake.citizen(7)
            for words in ("안녕하세요", "한국어", "보통으로", "동의합니다"):
                await citizen.say(words)
                await citizen.reply(timeout=60)
            echoed = echo_fake.citizen(8)
            for words in ("안녕하세요", "한국어", "보통으로", "동의합니다"):
                await echoed.say(words)
                await echoed.reply(timeout=60)
            stack = show(
                f"toktok run ({database.split(':')[0]}, bot on):",
                named(family(service.pid)),
            )
            bare = show("bare PTB echo bot:", [Memory.of(echo.pid, "echo bot")])
        finally:
            for process in (service, echo):
                process.terminate()
                process.wait(timeout=30)
            await fake.stop()
            await echo_fake.stop()
    print(f"service / echo bot: RSS {stack[0] / bare[0]:.1f}x, PSS {stack[1] / bare[1]:.1f}x")
    print("importing a role's code in a fresh interpreter:")
    for role, module in ROLES.items():
        grown = subprocess.run(
            [sys.executable, "-c", MEASURE_IMPORT, module],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        print(f"  {role:<32} {grown:>5} MiB")


if __name__ == "__main__":
    asyncio.run(main())

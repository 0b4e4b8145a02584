"""Where citizen turns run: worker processes beside the bot, or a thread of the service.

A turn is Python work (engine, SQLAlchemy, sealing) that holds the GIL, and so is everything
PTB does around it. In one process the two take turns on one core; a turn worker process
gives the turns a core of their own while the bot receives and sends for other citizens.
`bench/updates.py` measures both ways (`--turn-workers 0` is the thread).

The worker speaks a small framed protocol over a socket pair: one pickled request, one
pickled answer, in order. Requests that arrived while a turn ran are taken together in one
transaction (`Runtime.handle_together`), so a busy worker waits for the disk once per batch
rather than once per turn. Nothing of a citizen's place lives in the worker: it runs
`Runtime.handle` against the shared database like any other process, so a worker that dies
is replaced and its unanswered turns are asked again. That is safe because a turn that did
commit remembers its update id and answers the retry with nothing; its replies wait in the
outbox, which the bot's resend job delivers once their claim runs out.

Workers fork from a multiprocessing "forkserver": a program that starts the service from its
own script needs the usual `if __name__ == "__main__":` guard (the `toktok` command has it).
The forkserver holds the turn code with its heap set aside (`runtime.preload`), so workers
share those pages with it (`bench/memory.py`).
"""

import asyncio
import contextlib
import io
import itertools
import logging
import multiprocessing
import pickle
import select
import signal
import socket
import struct
from collections import deque
from collections.abc import Iterator
from typing import Any, BinaryIO, Protocol

from sqlalchemy.engine import make_url

from runtime.errors import PassingFailure, TurnFailed, failure_named
from runtime.heap import settle_heap
from runtime.logs import configure as configure_logging
from runtime.recipe import RuntimeRecipe
from runtime.turn import Answer, AroundTurn, Outgoing, Runtime
from storage.db import make_engine

log = logging.getLogger(__name__)
# Updates in flight per worker. Measured with bench/updates.py on two cores (ratio to the
# echo bot, median of 3-5 rounds, each run twice or more). PostgreSQL, whose commit waits
# for the disk: 4 in flight one turn at a time 0.46-0.63; 8 in flight 0.61-0.66; 8 taking
# up to 4 that wait in one transaction 0.66-0.71 (4 of 4: 0.45-0.51, the bot and the worker
# no longer overlap; 8 of 8: 0.55; 12 with 4: 0.66). SQLite (WAL, synchronous=NORMAL: a
# commit does not wait for the disk): 4 one at a time 0.69-0.73, 4 with 2 0.72-0.73, 8 with
# 4 0.64-0.67, the bot juggling more than it gains.
UPDATES_PER_WORKER = {"postgresql": 8, "sqlite": 4}
READ_BYTES = 65536
START_SECONDS = 60
STOP_SECONDS = 5
_FRAME = struct.Struct("!I")
_READY = "ready"
# A fresh interpreter that has imported the turn code once and forks a worker from it: safe
# beside the service's threads, and a replacement starts in milliseconds.
_CONTEXT = multiprocessing.get_context("forkserver")
_CONTEXT.set_forkserver_preload(["runtime.preload"])


class Turns(Protocol):
    """Runs citizen turns for the bot; `concurrency` is how many updates it may keep busy."""

    concurrency: int

    async def start(self) -> None: ...

    async def handle(self, **request: Any) -> list[Outgoing]: ...

    async def around(
        self, around: AroundTurn, **request: Any
    ) -> tuple[list[Outgoing], AroundTurn]:
        """A turn with a channel's work around it (`Runtime.handle`'s `around`); the work
        comes back with what it found."""
        ...

    async def stop(self) -> None: ...


class ThreadTurns:
    """Turns in a thread of the service process, one update at a time (`TURN_WORKERS=0`).

    Serving several citizens at once is slower here: the thread and the event loop would
    only queue for the GIL on every hand-off.
    """

    concurrency = 1

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime

    async def start(self) -> None:
        """Nothing to start: the runtime is ready."""

    async def handle(self, **request: Any) -> list[Outgoing]:
        return await asyncio.to_thread(self.runtime.handle, **request)

    async def around(
        self, around: AroundTurn, **request: Any
    ) -> tuple[list[Outgoing], AroundTurn]:
        outgoing = await asyncio.to_thread(self.runtime.handle, around=around, **request)
        return outgoing, around

    async def stop(self) -> None:
        """Nothing to stop: the thread belongs to the event loop's executor."""


class ProcessTurns:
    """Turns in `workers` processes; a citizen's turns always go to the same one."""

    def __init__(self, recipe: RuntimeRecipe, workers: int) -> None:
        self._workers = [_Worker(recipe) for _ in range(workers)]
        self.concurrency = updates_per_worker(recipe.database_url) * workers

    async def start(self) -> None:
        await asyncio.gather(*(worker.start() for worker in self._workers))

    async def handle(self, **request: Any) -> list[Outgoing]:
        outgoing: list[Outgoing] = await self._worker_for(request).call(request)
        return outgoing

    async def around(
        self, around: AroundTurn, **request: Any
    ) -> tuple[list[Outgoing], AroundTurn]:
        request = {**request, "around": around}
        answered: tuple[list[Outgoing], AroundTurn] = await self._worker_for(request).call(request)
        return answered

    def _worker_for(self, request: dict[str, Any]) -> "_Worker":
        return self._workers[hash(request["external_id"]) % len(self._workers)]

    async def stop(self) -> None:
        await asyncio.gather(*(worker.stop() for worker in self._workers))

    @property
    def pids(self) -> list[int | None]:
        """The worker processes now serving (for operators and tests)."""
        return [worker.pid for worker in self._workers]


class WorkerLost(PassingFailure):
    """The turn worker went away before answering."""


class _Worker:
    def __init__(self, recipe: RuntimeRecipe) -> None:
        self.recipe = recipe
        self._process: multiprocessing.process.BaseProcess | None = None
        self._writer: asyncio.StreamWriter | None = None
        self._reader_task: asyncio.Task[None] | None = None
        self._waiting: deque[asyncio.Future[Any]] = deque()
        self._starting = asyncio.Lock()

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    async def start(self) -> None:
        async with self._starting:
            if self._writer is None:
                await self._spawn()

    async def _spawn(self) -> None:
        ours, theirs = socket.socketpair()
        process = _CONTEXT.Process(
            target=serve, args=(theirs, self.recipe), name="toktok-turns", daemon=True
        )
        process.start()
        theirs.close()
        reader, writer = await asyncio.open_unix_connection(sock=ours)
        try:
            ready = await asyncio.wait_for(_read_frame(reader), START_SECONDS)
        except (TimeoutError, asyncio.IncompleteReadError):
            ready = None
        if ready != _READY:
            writer.close()
            process.kill()
            raise RuntimeError("the turn worker did not start; its log says why")
        self._process, self._writer = process, writer
        self._reader_task = asyncio.create_task(self._read_answers(reader, writer))
        log.info("turn worker %d started", process.pid)

    async def call(self, request: dict[str, Any]) -> Any:
        try:
            return await self._ask(request)
        except WorkerLost:
            log.warning("turn worker lost; starting a new one and asking again")
            return await self._ask(request)

    async def _ask(self, request: dict[str, Any]) -> Any:
        if self._writer is None:  # only after a loss: the lock stays off every other turn
            await self.start()
        assert self._writer is not None
        answer: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._waiting.append(answer)
        _write_frame(self._writer, request)
        return await answer

    async def _read_answers(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        """Hands each answer to the turn that asked; whatever ends this loop ends the worker."""
        try:
            while True:
                ok, value = await _read_frame(reader)
                future = self._waiting.popleft()
                if future.cancelled():  # the update was abandoned (shutdown); the turn stands
                    continue
                if ok:
                    future.set_result(value)
                else:
                    future.set_exception(failure_named(*value))
        except (asyncio.IncompleteReadError, ConnectionError):
            pass  # the worker exited or was killed
        finally:
            self._lost(writer)

    def _lost(self, writer: asyncio.StreamWriter) -> None:
        """Fails what the worker still owed; the next call starts a new worker."""
        if self._writer is writer:
            self._writer = None
        writer.close()
        while self._waiting:
            future = self._waiting.popleft()
            if not future.cancelled():
                future.set_exception(WorkerLost())

    async def stop(self) -> None:
        """Lets the worker finish what it holds, then waits for it to exit."""
        writer, process, task = self._writer, self._process, self._reader_task
        self._writer = self._process = self._reader_task = None
        if writer is not None:
            writer.write_eof()
        if task is not None:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(task, STOP_SECONDS)
        if process is not None:
            await asyncio.to_thread(process.join, STOP_SECONDS)
            if process.is_alive():
                log.warning("turn worker %d did not stop; killing it", process.pid)
                process.kill()
                await asyncio.to_thread(process.join)


def serve(connection: socket.socket, recipe: RuntimeRecipe) -> None:
    """The worker process: answers turn requests until the service closes the socket.

    Ctrl-C reaches every process of the terminal; the worker leaves stopping to the service,
    which closes the socket once no turn is under way.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    configure_logging(json_lines=recipe.json_logs, zone=recipe.zone)
    runtime, _ = recipe.build(make_engine(recipe.database_url, ping=False))  # turns retry
    took = runtime.proposals.warm(runtime.db)  # before the first turn, not inside it
    log.info("look-alike index of %d proposals read in %.2f s", len(runtime.proposals.index), took)
    settle_heap()
    requests = Requests(connection)
    # Turns that arrived while one ran are taken in one transaction with the next (they wait
    # for the disk once); half of those in flight, so the bot sends the others' replies.
    most = updates_per_worker(recipe.database_url) // 2
    with connection, connection.makefile("wb") as stream:
        _send(stream, _READY)
        while (first := requests.next()) is not None:
            taken: list[dict[str, Any]] = []
            together = itertools.chain([first], iter(requests.arrived, None))
            answers = runtime.handle_together(_noting(together, taken, most))
            for request, answer in zip(taken, answers, strict=True):
                _send(stream, _framed(request, answer))
    runtime.db.dispose()


def updates_per_worker(database_url: str) -> int:
    """How many updates the bot keeps in flight per worker, for this database."""
    return UPDATES_PER_WORKER.get(make_url(database_url).get_backend_name(), 4)


def _noting(
    requests: Iterator[dict[str, Any]], taken: list[dict[str, Any]], most: int
) -> Iterator[dict[str, Any]]:
    """At most `most` of `requests`, read only when asked for and noted in `taken` (what a
    failed batch did not read stays unread for the next one)."""
    for request in itertools.islice(requests, most):
        taken.append(request)
        yield request


def _framed(request: dict[str, Any], answer: Answer) -> tuple[bool, Any]:
    """A turn's answer as it crosses the socket: its replies (with the channel's work, back
    with what it found), or its failure by name."""
    if isinstance(answer, TurnFailed):
        return False, (type(answer).__name__, str(answer))
    around = request.get("around")
    return True, (answer, around) if around else answer


class Requests:
    """The service's requests as they come, and those that have already arrived.

    Read from the socket into a buffer of its own: a buffered file cannot tell, without
    waiting, whether a whole request is there already.
    """

    def __init__(self, connection: socket.socket) -> None:
        self._connection = connection
        self._buffer = bytearray()
        self._ended = False
        self._readable = select.poll()
        self._readable.register(connection, select.POLLIN)

    def next(self) -> Any:
        """The next request, waiting for it; None once the service closed the socket."""
        while (request := self._complete()) is None:
            if not self._read():
                return None
        return request

    def arrived(self) -> Any:
        """The next request if it has already arrived, else None (without waiting)."""
        while (request := self._complete()) is None:
            if not self._readable.poll(0) or not self._read():
                return None
        return request

    def _read(self) -> bool:
        if self._ended:
            return False
        data = self._connection.recv(READ_BYTES)
        self._ended = not data
        self._buffer += data
        return bool(data)

    def _complete(self) -> Any:
        if len(self._buffer) < _FRAME.size:
            return None
        (size,) = _FRAME.unpack_from(self._buffer)
        if len(self._buffer) < _FRAME.size + size:
            return None
        data = bytes(self._buffer[_FRAME.size : _FRAME.size + size])
        del self._buffer[: _FRAME.size + size]
        return pickle.loads(data)


def _write_frame(writer: asyncio.StreamWriter, value: Any) -> None:
    data = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
    writer.write(_FRAME.pack(len(data)) + data)


async def _read_frame(reader: asyncio.StreamReader) -> Any:
    (size,) = _FRAME.unpack(await reader.readexactly(_FRAME.size))
    return pickle.loads(await reader.readexactly(size))


def _send(stream: io.BufferedIOBase | BinaryIO, value: Any) -> None:
    data = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
    stream.write(_FRAME.pack(len(data)) + data)
    stream.flush()

"""Worker processes with a hard wall-clock budget per task: a page that hangs is killed.

Some markup hangs the C parsers for minutes (an element with 200,000 distinct attributes
does, in lxml and in lexbor alike), and a C call cannot be interrupted from inside. So each
page is checked in a worker process, and a worker that runs past the budget is killed and
replaced; the task's future then raises `PageTimeout`. A worker that dies (out of memory, a
crash in a C extension) is replaced the same way, its task raising `WorkerDied`.

`submit` returns a `concurrent.futures.Future`, so callers wait on these beside other
futures (the audit waits on fetches and checks together).
"""

from __future__ import annotations

import contextlib
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # imported where used: every command reads PAGE_BUDGET, few start workers
    import multiprocessing.connection
    from concurrent.futures import Future

# Seconds a page may take in its worker process before the worker is killed: far above the
# ~0.1 s an ordinary page takes, well below the minutes a parser-hanging page would.
PAGE_BUDGET = 15.0


class PageTimeout(Exception):
    """The task ran past the budget; its worker was killed."""


class WorkerDied(Exception):
    """The worker process ended while running the task."""


# The most memory (bytes of heap) one page may take in its worker: a page that needs more is
# unverifiable (`too-large`) rather than a worker the system kills, or an audit that swaps.
PAGE_MEMORY = 2 << 30


def near_memory_cap() -> bool:
    """Whether this worker's peak memory reached 80% of its cap: a C parser that runs out
    of memory fails with an error of its own (lxml: "unknown error"), not MemoryError."""
    try:
        import resource

        soft, _hard = resource.getrlimit(resource.RLIMIT_DATA)
        if soft == resource.RLIM_INFINITY:
            return False
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    except (ImportError, ValueError, OSError):
        return False
    return peak >= 0.8 * soft


def _cap_memory() -> None:
    with contextlib.suppress(ImportError, ValueError, OSError):
        import resource

        soft, hard = resource.getrlimit(resource.RLIMIT_DATA)
        cap = PAGE_MEMORY if hard == resource.RLIM_INFINITY else min(PAGE_MEMORY, hard)
        if soft == resource.RLIM_INFINITY or soft > cap:
            resource.setrlimit(resource.RLIMIT_DATA, (cap, hard))


def _serve(
    conn: multiprocessing.connection.Connection,
    initializer: Callable[..., None] | None,
    initargs: Sequence[Any],
) -> None:
    # Ctrl-C reaches the whole process group; the parent decides what stops.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _cap_memory()
    if initializer is not None:
        initializer(*initargs)
    while True:
        try:
            task = conn.recv()
        except EOFError:
            return
        if task is None:
            return
        function, args = task
        try:
            conn.send((True, function(*args)))
        except Exception as exc:  # the caller decides what an error means
            conn.send((False, RuntimeError(f"{type(exc).__name__}: {exc}")))


def serve_inherited() -> None:
    """A worker in its own interpreter: its connection is the descriptor named on the command
    line, and the initializer comes first over it."""
    import sys
    from multiprocessing.connection import Connection

    conn = Connection(int(sys.argv[1]))
    initializer, initargs = conn.recv()
    _serve(conn, initializer, initargs)


class _Interpreter:
    """A worker started as a separate interpreter, with the calls the pool makes of one."""

    def __init__(self, process: Any) -> None:
        self.process = process

    def kill(self) -> None:
        with contextlib.suppress(OSError):
            self.process.kill()

    def join(self, timeout: float | None = None) -> None:
        import subprocess

        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout)

    def is_alive(self) -> bool:
        return self.process.poll() is None


@dataclass
class _Worker:
    process: Any
    conn: multiprocessing.connection.Connection
    future: Future[Any] | None = None
    started: float = 0.0


@dataclass
class _Task:
    future: Future[Any]
    function: Callable[..., Any]
    args: tuple[Any, ...] = field(default_factory=tuple)


class BudgetedPool:
    """`workers` processes; a task that runs longer than `budget` seconds is killed."""

    def __init__(
        self,
        workers: int,
        budget: float,
        initializer: Callable[..., None] | None = None,
        initargs: Sequence[Any] = (),
    ) -> None:
        import multiprocessing

        methods = multiprocessing.get_all_start_methods()
        # fork shares the loaded rule sets and index with each worker at no cost.
        self._context = multiprocessing.get_context("fork" if "fork" in methods else None)
        self.budget = budget
        self._initializer = initializer
        self._initargs = tuple(initargs)
        self._queue: deque[_Task] = deque()
        self._wake = threading.Event()
        self._closing = False
        self._cancelled = False
        self._workers = [self._spawn() for _ in range(max(1, workers))]
        self._manager = threading.Thread(target=self._manage, name="budget", daemon=True)
        self._manager.start()

    def _spawn(self, replacement: bool = False) -> _Worker:
        """A new worker. The first ones are forked as the pool starts (fast, and they share
        the loaded rules); a replacement, started while fetch and pool threads run, comes
        from the fork server, since a fork copies whatever lock another thread held then. In
        a daemonic process (a Dask worker), which may not have children of its own, a
        worker is a separate interpreter."""
        import multiprocessing

        if multiprocessing.current_process().daemon:
            return self._spawn_interpreter()
        context = self._context
        if replacement and "forkserver" in multiprocessing.get_all_start_methods():
            context = multiprocessing.get_context("forkserver")
        parent, child = context.Pipe()
        process = context.Process(
            target=_serve, args=(child, self._initializer, self._initargs), daemon=True
        )
        process.start()
        child.close()
        return _Worker(process, parent)

    def _spawn_interpreter(self) -> _Worker:
        import socket
        import subprocess
        import sys
        from multiprocessing.connection import Connection

        ours, theirs = socket.socketpair()
        process = subprocess.Popen(
            [sys.executable, "-c", "from compliance.common.budget import serve_inherited as s; s()",
             str(theirs.fileno())],
            pass_fds=[theirs.fileno()],
            stdin=subprocess.DEVNULL,
        )  # fmt: skip
        theirs.close()
        conn = Connection(ours.detach())
        conn.send((self._initializer, self._initargs))
        return _Worker(_Interpreter(process), conn)

    def submit(self, function: Callable[..., Any], *args: Any) -> Future[Any]:
        """Run `function(*args)` in a worker; its future holds the result or the error."""
        from concurrent.futures import Future

        future: Future[Any] = Future()
        self._queue.append(_Task(future, function, args))
        self._wake.set()
        return future

    def _replace(self, worker: _Worker) -> None:
        worker.process.kill()
        worker.process.join()
        worker.conn.close()
        self._workers[self._workers.index(worker)] = self._spawn(replacement=True)

    def _manage(self) -> None:
        from multiprocessing.connection import wait as wait_for

        while not self._cancelled:
            for worker in self._workers:
                if worker.future is None and self._queue:
                    task = self._queue.popleft()
                    if not task.future.set_running_or_notify_cancel():
                        continue
                    worker.future, worker.started = task.future, time.monotonic()
                    worker.conn.send((task.function, task.args))
            busy = [w for w in self._workers if w.future is not None]
            if not busy:
                if self._closing and not self._queue:
                    return
                self._wake.wait(0.1)
                self._wake.clear()
                continue
            now = time.monotonic()
            wait = max(0.0, min(w.started + self.budget - now for w in busy))
            ready = wait_for([w.conn for w in busy], min(wait, 0.1))
            for worker in busy:
                future = worker.future
                assert future is not None
                if worker.conn in ready:
                    try:
                        ok, value = worker.conn.recv()
                    except (EOFError, OSError):
                        worker.future = None
                        self._replace(worker)
                        future.set_exception(WorkerDied("the worker process ended"))
                        continue
                    worker.future = None
                    if ok:
                        future.set_result(value)
                    else:
                        future.set_exception(value)
                elif time.monotonic() - worker.started > self.budget:
                    worker.future = None
                    self._replace(worker)
                    future.set_exception(PageTimeout(f"not done within {self.budget:g} s"))

    def shutdown(self) -> None:
        """Finish the queued tasks, then stop the workers."""
        self._closing = True
        self._wake.set()
        self._manager.join()
        for worker in self._workers:
            with contextlib.suppress(OSError):  # a worker that already ended
                worker.conn.send(None)
            worker.process.join(1)
            if worker.process.is_alive():
                worker.process.kill()
            worker.conn.close()

    def cancel(self) -> None:
        """Stop now: queued tasks are cancelled and workers killed (Ctrl-C)."""
        self._cancelled = True
        while self._queue:
            self._queue.popleft().future.cancel()
        self._wake.set()
        self._manager.join()
        for worker in self._workers:
            worker.process.kill()
            worker.process.join()

    def __enter__(self) -> BudgetedPool:
        return self

    def __exit__(self, kind: object, *_rest: object) -> None:
        if kind is None:
            self.shutdown()
        else:
            self.cancel()

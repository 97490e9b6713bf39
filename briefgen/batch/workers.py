"""Render targets in worker processes, each target under a time limit and a memory limit.

Workers are pure (Black's reformat_many): each gets a picklable Job (an assembled
Briefing, the render context and the outputs to make of it), writes each output
atomically and returns a Result per target; only the parent touches the cache, the
manifest and the report. The parent
enforces the wall-clock limit: a worker still busy past its target's deadline is killed
and replaced, and that target is reported as failed. The memory limit is the worker's
address-space limit (RLIMIT_AS): an allocation past it raises MemoryError, which fails
the target, or kills the worker, which the parent notices and reports. A killed worker
can leave at most a temp file (outputs are renamed into place whole), which the build
removes afterwards; the previous output and its cache entry stay as they were.

Even -j 1 renders in one worker process, so the limits hold the same way for every
build, and the parent never imports WeasyPrint or python-docx. Workers are forked
straight from the parent as soon as the build knows what is stale (Pool), and import
the renderers of the stale formats while the parent assembles the Briefings: a fork
starts in milliseconds where a fork server takes the second or more of starting an
interpreter and importing briefgen before the renderers. Where forking is unsafe (the
parent runs threads: serve, watch) or unavailable (not Linux), workers come from a
fork server that imports only the renderers of the build's formats. Every way of
starting keeps the project's files off the import path (isolation.py).
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from multiprocessing.context import BaseContext
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

from briefgen.batch.isolation import clean_sys_path, inside, starting_children, unsafe_folders
from briefgen.batch.jobs import Job, Output, failure, render_job
from briefgen.batch.limits import (
    EXIT_OUT_OF_MEMORY,
    OUT_OF_MEMORY,
    TIMEOUT,
    WORKER_DIED,
    limit_memory,
    out_of_memory,
    watch_parent,
)
from briefgen.batch.report import Result
from briefgen.formats import FORMATS

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Limit:
    """The memory limit a worker started before the project was read applies before its first job."""

    memory_mib: int | None


def _serve(
    conn: Connection, memory_mib: int | None, parent: int, unsafe: list[Path], preload: list[str]
) -> None:
    """Worker loop: import the renderers, then render tasks until told to stop or the parent goes away."""
    # Before any import: a forked worker has the parent's import path, whoever made it.
    clean_sys_path(unsafe)
    # Ctrl-C reaches the whole process group; the parent decides what to stop.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    watch_parent(parent)
    limit_memory(memory_mib)
    for module in preload:  # while the parent still assembles (a fork server's are imported already)
        try:
            importlib.import_module(module)
        except Exception:
            log.debug("preloading %s failed", module, exc_info=True)
    try:
        while (message := conn.recv()) is not None:
            if isinstance(message, Limit):  # a head start learns the project's limit before any job
                limit_memory(message.memory_mib)
                continue
            for result in render_job(message):
                conn.send(result)
    except (EOFError, OSError):
        return  # the parent is gone
    except MemoryError:
        # Not even the result fits: exit with a code the parent reports as out of memory.
        os._exit(EXIT_OUT_OF_MEMORY)


class _Starter:
    """Start workers: forked from the parent where that is safe, else from a fork server.

    Forking is safe only while the parent runs no other thread (a lock one holds would
    stay held in the child for good), so a worker is forked only then; otherwise workers
    come from a fork server (spawned where there is none).
    """

    def __init__(self, formats: set[str], unsafe: list[Path]) -> None:
        self.formats, self.unsafe = formats, unsafe
        # Only on Linux: macOS system libraries may crash a forked child (Python's default there is spawn).
        self.fork = sys.platform.startswith("linux")
        self._pool: BaseContext | None = None

    def context(self) -> BaseContext:
        """Return the context to start the next worker with."""
        if self.fork and threading.active_count() == 1:
            return multiprocessing.get_context("fork")
        if self._pool is None:
            self._pool = _pool_context(self.formats)
        return self._pool


def _pool_context(formats: set[str]) -> BaseContext:
    """Return a process context that is safe after threads, with the renderers preloaded."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    ctx = multiprocessing.get_context("forkserver")
    # The fork server imports the renderers once; every worker, and every replacement of a
    # killed one, starts from that image instead of importing WeasyPrint again.
    modules = [FORMATS[f].module for f in sorted(formats)]
    ctx.set_forkserver_preload([__name__, *modules])
    return ctx


class Pool:
    """The workers of a build, started as soon as it knows what is stale.

    Their start-up (a fork server importing the renderers, about a second; a forked
    worker importing WeasyPrint, 0.7 s) then overlaps the parent's reading and assembling
    of the content instead of following it. ``jobs`` is how many Briefings will be
    rendered, so no more workers start than have work.
    """

    def __init__(
        self, formats: set[str], jobs: int, workers: int, memory_mib: int | None, folders: tuple[Path, ...]
    ) -> None:
        self.starter = _Starter(formats, unsafe_folders(folders))
        self.idle: list[_Worker] = []
        self._grow(jobs, workers, memory_mib)

    @classmethod
    def head_start(cls, formats: set[str], folders: tuple[Path, ...]) -> Pool:
        """Return one worker started before the project is read, importing the renderers of ``formats``.

        The command knows the formats it was asked for (--format) before it reads the
        configuration; its worker imports WeasyPrint meanwhile. It takes no job until
        ``fit`` gave it the project's memory limit.
        """
        return cls(formats, 1, 1, None, folders)

    def fit(
        self, formats: set[str], jobs: int, workers: int, memory_mib: int | None, folders: tuple[Path, ...]
    ) -> bool:
        """Make a head start the build's pool: its limit, its size; False if it cannot serve the build.

        It cannot if a stale format is not among those it imports, or a project folder
        lies outside the folders it keeps off its import path.
        """
        unsafe = unsafe_folders(folders)
        if not formats <= self.starter.formats or not all(inside(f, self.starter.unsafe) for f in unsafe):
            return False
        for worker in self.idle:
            worker.limit(memory_mib)
        self._grow(jobs, workers, memory_mib)
        return True

    def _grow(self, jobs: int, workers: int, memory_mib: int | None) -> None:
        """Start workers up to the pool's size: ``workers`` at most, no more than ``jobs``."""
        self.size = max(1, min(workers, jobs))
        try:
            self.idle += [_Worker(self.starter, memory_mib) for _ in range(self.size - len(self.idle))]
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        """Stop the workers no job took (the build ended early, or found less to do).

        They hold nothing but imported modules, so they are stopped at once rather than
        left to finish importing WeasyPrint.
        """
        for worker in self.idle:
            worker.stop(kill=True)
        self.idle = []


class _Worker:
    """One worker process, its pipe, and the task it is busy with."""

    def __init__(self, starter: _Starter, memory_mib: int | None) -> None:
        mp = starter.context()
        self.conn, child = mp.Pipe()
        preload = [FORMATS[f].module for f in sorted(starter.formats)]
        self.process: BaseProcess = mp.Process(  # type: ignore[attr-defined]
            target=_serve,
            args=(child, memory_mib, os.getpid(), starter.unsafe, preload),
            daemon=True,
            name="briefgen-worker",
        )
        # The fork server, its resource tracker and spawned workers start as ``python -c``,
        # which would put the current folder first on their import path.
        with starting_children(starter.unsafe):
            self.process.start()
        child.close()
        self.job: Job | None = None
        self.waiting: deque[Output] = deque()  # the job's outputs not reported yet, in order
        self.started = 0.0

    def limit(self, memory_mib: int | None) -> None:
        with contextlib.suppress(OSError):  # if the worker is gone, its first job reports it
            self.conn.send(Limit(memory_mib))

    def assign(self, job: Job) -> None:
        self.job, self.waiting, self.started = job, deque(job.outputs), time.monotonic()
        # If the worker is gone, its sentinel reports the job's targets as failed.
        with contextlib.suppress(OSError):
            self.conn.send(job)

    def stop(self, *, kill: bool = False) -> None:
        if not kill:
            try:
                self.conn.send(None)
            except OSError:
                kill = True
        self.process.join(timeout=0 if kill else 5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.conn.close()


def _died(worker: _Worker, elapsed: float, memory_mib: int | None) -> Result:
    """Return the failure of the target a worker was on when it died."""
    output = worker.waiting.popleft()
    code = worker.process.exitcode
    if code == EXIT_OUT_OF_MEMORY:
        return failure(output, elapsed, out_of_memory(memory_mib), code=OUT_OF_MEMORY)
    if code is not None and code < 0:
        how = f"signal {signal.Signals(-code).name if -code in signal.valid_signals() else -code}"
    else:
        how = f"exit code {code}"
    limit = f"; it may have run out of memory (limit {memory_mib} MiB)" if memory_mib else ""
    return failure(output, elapsed, f"the worker rendering this target died ({how}){limit}", code=WORKER_DIED)


def run_jobs(
    jobs: list[Job],
    *,
    workers: int,
    timeout: float,
    memory_mib: int | None,
    on_result: Callable[[Result], None],
    folders: tuple[Path, ...] = (),
    pool: Pool | None = None,
) -> None:
    """Render ``jobs`` in up to ``workers`` processes; report each target's result through ``on_result``.

    ``timeout`` applies to each target: a worker's clock restarts with every result it sends.
    ``folders`` (the project's) and the current folder stay off every worker's import path.
    ``pool`` holds workers started earlier for these jobs (Pool); they are stopped at the end.
    """
    if not jobs:
        if pool is not None:
            pool.close()
        return
    formats = {o.target.format for job in jobs for o in job.outputs}
    if pool is None or not formats <= pool.starter.formats:
        if pool is not None:
            pool.close()
        pool = Pool(formats, len(jobs), workers=workers, memory_mib=memory_mib, folders=folders)
    starter = pool.starter
    pending = deque(jobs)
    idle, pool.idle = pool.idle, []
    busy: list[_Worker] = []
    size = pool.size
    try:
        while pending or busy:
            while pending and len(busy) < size:
                worker = _reuse(idle) or _Worker(starter, memory_mib)
                worker.assign(pending.popleft())
                busy.append(worker)
            deadline = min(w.started for w in busy) + timeout
            ready = set(
                wait(
                    [w.conn for w in busy] + [w.process.sentinel for w in busy],
                    timeout=max(0.0, deadline - time.monotonic()),
                )
            )
            for worker in list(busy):
                job = worker.job
                results = _collect(worker, ready, timeout, memory_mib)
                for result in results:
                    on_result(result)
                if results and results[0].status == "failed" and worker.waiting and job is not None:
                    # The worker died or overran: its job's later formats start afresh elsewhere.
                    pending.appendleft(Job(job.briefing, job.ctx, tuple(worker.waiting)))
                    worker.waiting.clear()
                    worker.stop(kill=True)
                if worker.waiting:
                    continue
                busy.remove(worker)
                worker.job = None
                if worker.process.is_alive():
                    idle.append(worker)
                else:
                    worker.stop(kill=True)
    finally:
        for worker in idle:
            worker.stop()
        for worker in busy:
            worker.stop(kill=True)


def _reuse(idle: list[_Worker]) -> _Worker | None:
    """Return an idle worker that is still alive, stopping any that are not."""
    while idle:
        worker = idle.pop()
        if worker.process.is_alive():
            return worker
        worker.stop(kill=True)
    return None


def _collect(worker: _Worker, ready: set[Any], timeout: float, memory_mib: int | None) -> list[Result]:
    """Return what a busy worker finished: its next result, or the failure of the target it was on
    if it died or overran (the job's later targets stay waiting); nothing while it still works."""
    assert worker.job is not None
    elapsed = time.monotonic() - worker.started
    if worker.conn in ready:
        try:
            result: Result = worker.conn.recv()
        except (EOFError, OSError):
            worker.process.join(timeout=1)
            return [_died(worker, elapsed, memory_mib)]
        worker.waiting.popleft()
        worker.started = time.monotonic()
        return [result]
    if worker.process.sentinel in ready:
        worker.process.join(timeout=1)
        return [_died(worker, elapsed, memory_mib)]
    if elapsed >= timeout:
        worker.stop(kill=True)
        message = (
            f"time limit exceeded: still rendering after {timeout:g}s, so the worker was stopped; "
            "raise build.timeout in briefgen.yaml (or --timeout) if this target is simply large"
        )
        return [failure(worker.waiting.popleft(), elapsed, message, code=TIMEOUT)]
    return []

"""A worker's own limits: its memory limit, its watch on the build, and messages naming them.

The time limit is the parent's to enforce (workers.py); what a worker does for itself is
here: lower its address-space limit, exit when the build it works for is gone, and tell
an allocation failure from any other error.
"""

from __future__ import annotations

import os
import select
import sys
import threading
import time
import zlib
from pathlib import Path

from briefgen.errors import BriefgenError

EXIT_OUT_OF_MEMORY = 75  # a worker's exit code when it could not even report a MemoryError
EXIT_ORPHANED = 76  # a worker's exit code when the build it worked for is gone
_limit_mib: int | None = None  # this worker's memory limit, for messages
# Codes of the failures the batch itself detects (errors.py holds the families of the rest).
OUT_OF_MEMORY = "render.out-of-memory"
TIMEOUT = "render.timeout"
WORKER_DIED = "render.worker-died"


def _ran_out_of_memory(exc: Exception) -> bool:
    """Return whether ``exc`` is, or hides behind a stage's own error, a failed allocation."""
    seen: BaseException | None = exc
    while seen is not None:  # a MemoryError may hide behind the error a stage re-raised it as
        # zlib reports a failed allocation as error -4 (Z_MEM_ERROR), not as MemoryError.
        if isinstance(seen, MemoryError) or (isinstance(seen, zlib.error) and "Error -4 " in str(seen)):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def message(exc: Exception) -> str:
    """Return what to tell the user about a failed render (a renderer bug must not stop the batch)."""
    if _ran_out_of_memory(exc):
        return out_of_memory(_limit_mib)
    message = str(exc) if isinstance(exc, BriefgenError) else f"{type(exc).__name__}: {exc}"
    if _near_limit():
        # Libraries report a failed allocation in their own words (a parse error, a damaged file).
        message += (
            f"\n(the worker reached its memory limit of {_limit_mib} MiB, build.memory_mib: likely the cause)"
        )
    return message


def code(exc: Exception) -> str:
    """Return the code tools read for a failed render: its first problem's, its family's, or running out of memory."""
    if _ran_out_of_memory(exc):
        return OUT_OF_MEMORY
    if isinstance(exc, BriefgenError):
        first = min(exc.problems, key=lambda p: p.location, default=None)
        return first.code if first is not None and first.code else exc.code
    return "render.failed"


def _near_limit() -> bool:
    """Return whether this worker's address space came within 10% of its limit (Linux only)."""
    if _limit_mib is None:
        return False
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return False
    peak = next((line.split()[1] for line in status.splitlines() if line.startswith("VmPeak:")), None)
    return peak is not None and int(peak) >= 0.9 * _limit_mib * 1024


def out_of_memory(mib: int | None) -> str:
    return f"out of memory: the target needed more than the worker's limit of {mib} MiB (build.memory_mib)"


def limit_memory(mib: int | None) -> None:
    global _limit_mib
    _limit_mib = mib
    if mib is None:
        return
    try:
        import resource
    except ImportError:  # not on Windows; the time limit still holds
        return
    limit = mib * 1024 * 1024
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def watch_parent(pid: int) -> None:
    """Exit this worker as soon as the build process ``pid`` is gone.

    A build killed outright (SIGKILL, the OOM killer) cannot stop its workers, and the fork
    server outlives it while they run; the time limit is the build's to enforce. Without
    this a worker would render on, unwatched, and write its output after the build is gone.
    """
    if sys.platform == "win32":  # os.kill(pid, 0) would terminate the process there
        return

    def watch() -> None:
        try:
            handle = os.pidfd_open(pid)  # Linux 5.3+: readable once the process has exited
        except (AttributeError, OSError):
            while _exists(pid):
                time.sleep(1.0)
        else:
            select.select([handle], [], [])
        os._exit(EXIT_ORPHANED)

    previous = threading.stack_size(256 * 1024)  # a watcher needs little of the memory limit
    try:
        threading.Thread(target=watch, daemon=True, name="briefgen-parent-watch").start()
    finally:
        threading.stack_size(previous)


def _exists(pid: int) -> bool:
    """Return whether our own process ``pid`` still runs (another user's is a reused pid)."""
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    return True

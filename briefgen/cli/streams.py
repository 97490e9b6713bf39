"""Standard output and error that never stop a build: closed, gone (EPIPE) or full, output is dropped.

`briefgen build | head -1` closes the pipe after one line; `>&-` starts briefgen without
a stdout at all; `>/dev/full` cannot take a byte. None of these is a reason to leave a
batch half done or print a traceback: the build finishes, its files and exit code are
what they would have been, and only what could not be shown is lost.
"""

from __future__ import annotations

import errno
import io
import os
import sys

# A reader that went away, or a stream that cannot take more: drop output from then on.
_GONE = {errno.EPIPE, errno.ENOSPC, errno.EIO, errno.EBADF, errno.EDQUOT, errno.EFBIG}


class _Forgiving(io.RawIOBase):
    """A file descriptor's writer that stops writing, quietly, once the other end is gone."""

    def __init__(self, fd: int) -> None:
        super().__init__()
        self.fd = fd
        self.gone = False

    def writable(self) -> bool:
        return True

    def fileno(self) -> int:
        return self.fd

    def isatty(self) -> bool:
        return not self.gone and os.isatty(self.fd)

    def write(self, data: bytes | bytearray | memoryview) -> int:  # type: ignore[override]
        size = len(data)
        if self.gone:
            return size
        view = memoryview(data)
        while view:
            try:
                view = view[os.write(self.fd, view) :]
            except InterruptedError:
                continue
            except OSError as exc:
                if exc.errno not in _GONE:
                    raise
                self.gone = True
                _point_at_devnull(self.fd)  # so that child processes do not meet the broken pipe either
                break
        return size


def _point_at_devnull(fd: int) -> None:
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        if null != fd:
            os.dup2(null, fd)
    finally:
        if null != fd:
            os.close(null)


def _open(fd: int) -> bool:
    try:
        os.fstat(fd)
    except OSError:
        return False
    return True


def protect_streams() -> None:
    """Make stdout and stderr of this process safe to write to, whatever they are connected to.

    Only the process's own streams are replaced (not a test runner's capture). A missing
    descriptor 1 or 2 is pointed at /dev/null first, so no file briefgen opens later can
    take its number and receive what was meant for the terminal.
    """
    for fd in (0, 1, 2):
        if not _open(fd):
            null = os.open(os.devnull, os.O_RDWR)
            if null != fd:
                os.dup2(null, fd)
                os.close(null)
    for name, fd in (("stdout", 1), ("stderr", 2)):
        current = getattr(sys, name)
        # The original object stays in sys.__stdout__ (it owns the descriptor: dropping it would close it).
        if current is not None and current is not getattr(sys, f"__{name}__"):
            continue  # someone else's stream (a test's capture), or already ours
        encoding = getattr(current, "encoding", None) or "utf-8"
        errors = getattr(current, "errors", None) or ("backslashreplace" if fd == 2 else "strict")
        wrapper = io.TextIOWrapper(
            io.BufferedWriter(_Forgiving(fd)),  # type: ignore[type-var]
            encoding=encoding,
            errors=errors,
            line_buffering=getattr(current, "line_buffering", True),
            write_through=fd == 2,
        )
        setattr(sys, name, wrapper)

"""Write outputs atomically inside the output folder, never following planted links."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from pathlib import Path

from briefgen.errors import BriefgenError, Location, display_path

TEMP_PREFIX = ".briefgen-tmp-"
OUTPUT_FIX = "set output: in briefgen.yaml"  # the default 'what else to do' of a folder problem
# Names Windows reserves for devices, in any case and with any suffix ('con.pdf'): an output
# folder holding one cannot be copied or synced to Windows.
WINDOWS_DEVICES = frozenset(
    {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}
)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)


class OutputError(BriefgenError):
    """An output cannot be written safely."""


def is_device_name(name: str) -> bool:
    """Return whether file name ``name`` is a Windows device name (CON, NUL, COM1, ...)."""
    return name.split(".")[0].lower() in WINDOWS_DEVICES


def os_problem(exc: OSError, path: Path, fix: str = OUTPUT_FIX) -> str:
    """Return what went wrong writing ``path`` and what to do, in words (not an errno)."""
    code = exc.errno
    if code == errno.ENOSPC:
        return f"cannot write {_shown(path)}: the disk is full (no space left on device); free some space and build again"
    if code == errno.EDQUOT:
        return f"cannot write {_shown(path)}: disk quota exceeded; free some space and build again"
    if code == errno.EFBIG:
        return (
            f"cannot write {_shown(path)}: file too large for the file system or this process's file size "
            "limit (ulimit -f); raise the limit, free some space or write to another disk"
        )
    if code in (errno.EACCES, errno.EPERM, errno.EROFS):
        # The folder that refused: where a temp file or a subfolder was to be made.
        named = isinstance(exc.filename, str | os.PathLike)
        folder = Path(os.fsdecode(exc.filename)) if named else path.parent
        if folder == path or folder.name.startswith(TEMP_PREFIX) or not folder.is_dir():
            folder = folder.parent
        why = "the file system is read-only" if code == errno.EROFS else "permission denied"
        return f"{_shown(folder)} is not writable ({why}); make it writable or {fix}"
    if code == errno.EISDIR:
        return f"{_shown(path)} is a folder; move it out of the way"
    if code == errno.ENAMETOOLONG:
        return f"cannot write {_shown(path)}: the path is too long; move the project to a shorter path"
    return f"cannot write {_shown(path)}: {exc.strerror or exc}"


def where(path: Path) -> Location:
    """Return the location of ``path`` itself: a link is named, not what it points to."""
    folder = display_path(path.parent)
    return Location(path.name if folder == "." else str(Path(folder) / path.name))


def _shown(path: Path) -> str:
    return str(where(path))


def safe_output_dir(root: Path, output: Path, what: str = "output folder", fix: str = OUTPUT_FIX) -> Path:
    """Return ``output`` if it is a real folder inside ``root`` (creating it), else raise."""
    if output.is_symlink():
        raise OutputError.at(
            where(output),
            f"{what} is a symbolic link; refusing to follow it; replace it with a real folder or {fix}",
        )
    resolved = output.resolve()
    if not resolved.is_relative_to(root.resolve()):
        raise OutputError.at(where(output), f"{what} lies outside the project; {fix}")
    if output.exists() and not output.is_dir():
        raise OutputError.at(where(output), f"{what} is not a folder; move it out of the way or {fix}")
    try:
        output.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(os_problem(exc, output, fix)) from None
    return output


def atomic_write(path: Path, data: bytes, fix: str = OUTPUT_FIX) -> None:
    """Write ``data`` to ``path`` via a temp file in the same folder and an atomic rename.

    A failure at any point leaves the previous file untouched and no temp file behind; it
    is raised as an OutputError saying what to do (``fix``: the setting that moves the folder).
    """
    folder = path.parent
    if folder.is_symlink():
        raise OutputError.at(
            where(folder),
            "output folder is a symbolic link; refusing to follow it; remove the link "
            "(briefgen build --clean does)",
        )
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"{_shown(folder)} is not a folder; move it out of the way")
    if path.is_dir() and not path.is_symlink():
        raise OutputError(f"{_shown(path)} is a folder; move it out of the way")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=TEMP_PREFIX, dir=folder)
    except OSError as exc:
        raise OutputError(os_problem(exc, path, fix)) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        # rename() replaces a link, FIFO or file at ``path`` itself, never what a link points to.
        os.replace(tmp, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise OutputError(os_problem(exc, path, fix)) from None
        raise


def read_regular(path: Path, limit: int) -> bytes:
    """Return the bytes of the regular file ``path``; refuse links, FIFOs, devices and big files.

    FileNotFoundError passes through; anything else unreadable is an OutputError.
    """
    try:
        fd = os.open(path, os.O_RDONLY | _NOFOLLOW | _NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise
    except OSError as exc:
        why = "it is a symbolic link" if path.is_symlink() else exc.strerror or str(exc)
        raise OutputError.at(where(path), why) from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise OutputError.at(where(path), "not a regular file")
        if info.st_size > limit:
            raise OutputError.at(where(path), f"larger than {limit} bytes")
        return handle.read(limit + 1)


def remove_stale_temps(folder: Path) -> int:
    """Delete temp files a killed earlier run left behind; return how many.

    Links are never followed (rglob does not descend into linked folders), and a temp
    file that cannot be removed is left for a later run rather than failing this one.
    """
    count = 0
    if folder.is_symlink() or not folder.is_dir():
        return 0
    for stale in folder.rglob(f"{TEMP_PREFIX}*"):
        if stale.is_file() and not stale.is_symlink():
            with contextlib.suppress(OSError):
                stale.unlink(missing_ok=True)
                count += 1
    return count

"""Files in and out: bounded reads of regular files, text decoding, atomic writes.

The one place that opens project files for reading and writing, so every stage refuses
the same things the same way: pipes, devices and sockets are never read (a read could
block for ever), links are followed only where the caller allows, sizes are bounded
before anything is parsed, and a write never leaves a half-written file.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path

from briefgen.errors import BriefgenError, ContentError, Location, OutputError, display_path

TEMP_PREFIX = ".briefgen-tmp-"
OUTPUT_FIX = "set output: in briefgen.yaml"  # the default 'what else to do' of a folder problem
# Names Windows reserves for devices, in any case and with any suffix ('con.pdf'): an output
# folder holding one cannot be copied or synced to Windows.
WINDOWS_DEVICES = frozenset(
    {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}
)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))


def is_device_name(name: str) -> bool:
    """Return whether file name ``name`` is a Windows device name (CON, NUL, COM1, ...)."""
    return name.split(".")[0].lower() in WINDOWS_DEVICES


def where(path: Path) -> Location:
    """Return the location of ``path`` itself: a link is named, not what it points to."""
    folder = display_path(path.parent)
    return Location(path.name if folder == "." else str(Path(folder) / path.name))


def read_regular(
    path: Path,
    limit: int,
    *,
    follow_links: bool = True,
    error: type[BriefgenError] = ContentError,
    hint: str = "",
) -> bytes:
    """Return the bytes of the regular file ``path``, at most ``limit`` of them.

    Pipes, sockets and devices are refused without blocking; links too unless
    ``follow_links``. A file over ``limit`` bytes is refused (``hint`` says what to do).
    FileNotFoundError passes through; anything else is ``error`` at the file.
    """
    flags = os.O_RDONLY | _NONBLOCK | _CLOEXEC | (0 if follow_links else _NOFOLLOW)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise
    except OSError as exc:
        link = not follow_links and path.is_symlink()
        why = "it is a symbolic link; refusing to follow it" if link else f"cannot read: {exc.strerror or exc}"
        raise error.at(where(path), why, code="file.unreadable") from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            what = "not a regular file (a pipe, socket or device)"
            raise error.at(where(path), what, code="file.unreadable", hint="use a plain file")
        try:
            data = handle.read(limit + 1)  # a file growing while read is caught here too
        except OSError as exc:
            raise error.at(where(path), f"cannot read: {exc.strerror or exc}", code="file.unreadable") from None
    if len(data) > limit:
        shown = Location(where(path).path, 1)
        raise error.at(shown, f"file is larger than the {limit} bytes allowed", code="file.too-large", hint=hint)
    return data


@dataclass(frozen=True)
class Decoded:
    """Text decoded from a file, and the encoding it was read in."""

    text: str
    encoding: str  # utf-8 | utf-16-le | utf-16-be | latin-1

    @property
    def guessed(self) -> bool:
        """Return whether the encoding was a fallback guess rather than certain."""
        return self.encoding == "latin-1"


def decode_text(
    data: bytes,
    path: Path,
    *,
    utf16: bool = False,
    latin1: bool = False,
    error: type[BriefgenError] = ContentError,
) -> Decoded:
    """Decode a text file's bytes, with every line break made ``\\n``.

    UTF-8 (with or without a byte-order mark) always; UTF-16 with a byte-order mark when
    ``utf16``; otherwise a UTF-16 file is refused by name. Bytes that are not UTF-8 are a
    located error, or with ``latin1`` are read as Latin-1 (the caller warns: it is a guess).
    """
    encoding = "utf-8"
    for bom, name in _BOMS:
        if data.startswith(bom):
            encoding, data = name, data[len(bom) :]
            break
    if encoding.startswith("utf-16"):
        if not utf16:
            raise error.at(Location.of(path, 1), "file is UTF-16 encoded", code="file.encoding", hint="save it as UTF-8")
        try:
            return Decoded(_lines(data.decode(encoding)), encoding)
        except UnicodeDecodeError:
            raise error.at(
                Location.of(path, 1), "damaged UTF-16 text", code="file.encoding", hint="save the file again as UTF-8"
            ) from None
    nul = data.find(b"\x00")
    if nul >= 0:
        line = data[:nul].count(b"\n") + 1
        raise error.at(
            Location.of(path, line),
            "NUL byte in file: this looks like a binary file",
            code="file.encoding",
            hint="save it as plain text",
        )
    try:
        return Decoded(_lines(data.decode("utf-8")), "utf-8")
    except UnicodeDecodeError as exc:
        if latin1:
            return Decoded(_lines(data.decode("latin-1")), "latin-1")
        line = data[: exc.start].count(b"\n") + 1
        col = len(data[data.rfind(b"\n", 0, exc.start) + 1 : exc.start].decode("utf-8", "replace")) + 1
        raise error.at(
            Location.of(path, line, col),
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x})",
            code="file.encoding",
            hint="save the file as UTF-8",
        ) from None


def _lines(text: str) -> str:
    """Use one line-break convention, so the lines a parser counts are the lines an editor shows."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


# --- writing -----------------------------------------------------------------------


def os_problem(exc: OSError, path: Path, fix: str = OUTPUT_FIX) -> str:
    """Return what went wrong writing ``path`` and what to do, in words (not an errno)."""
    code = exc.errno
    shown = str(where(path))
    if code == errno.ENOSPC:
        return f"cannot write {shown}: the disk is full (no space left on device); free some space and build again"
    if code == errno.EDQUOT:
        return f"cannot write {shown}: disk quota exceeded; free some space and build again"
    if code == errno.EFBIG:
        return (
            f"cannot write {shown}: file too large for the file system or this process's file size "
            "limit (ulimit -f); raise the limit, free some space or write to another disk"
        )
    if code in (errno.EACCES, errno.EPERM, errno.EROFS):
        # The folder that refused: where a temp file or a subfolder was to be made.
        named = isinstance(exc.filename, str | os.PathLike)
        folder = Path(os.fsdecode(exc.filename)) if named else path.parent
        if folder == path or folder.name.startswith(TEMP_PREFIX) or not folder.is_dir():
            folder = folder.parent
        why = "the file system is read-only" if code == errno.EROFS else "permission denied"
        return f"{where(folder)} is not writable ({why}); make it writable or {fix}"
    if code == errno.EISDIR:
        return f"{shown} is a folder; move it out of the way"
    if code == errno.ENAMETOOLONG:
        return f"cannot write {shown}: the path is too long; move the project to a shorter path"
    return f"cannot write {shown}: {exc.strerror or exc}"


def atomic_write(path: Path, data: bytes, fix: str = OUTPUT_FIX, *, mode: int = 0o644) -> None:
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
        raise OutputError(f"{where(folder)} is not a folder; move it out of the way")
    if path.is_dir() and not path.is_symlink():
        raise OutputError(f"{where(path)} is a folder; move it out of the way")
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
        os.chmod(tmp, mode)
        # rename() replaces a link, FIFO or file at ``path`` itself, never what a link points to.
        os.replace(tmp, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise OutputError(os_problem(exc, path, fix)) from None
        raise


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


def removal_blocker(path: Path) -> Path | None:
    """Return the folder whose permissions stop ``path`` (and what it holds) being removed, or None."""
    if not os.access(path.parent, os.W_OK | os.X_OK):
        return path.parent
    if path.is_dir() and not path.is_symlink():
        children = list(path.iterdir()) if os.access(path, os.R_OK | os.X_OK) else None
        if children is None or (children and not os.access(path, os.W_OK | os.X_OK)):
            return path
        for child in children:
            found = removal_blocker(child)
            if found is not None:
                return found
    return None

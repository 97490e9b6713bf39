"""Write outputs atomically inside the output folder, never following planted links."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from briefgen.errors import BriefgenError, Location

TEMP_PREFIX = ".briefgen-tmp-"


class OutputError(BriefgenError):
    """An output cannot be written safely."""


def safe_output_dir(root: Path, output: Path) -> Path:
    """Return ``output`` if it is a real folder inside ``root`` (creating it), else raise."""
    if output.is_symlink():
        raise OutputError.at(Location.of(output), "output folder is a symbolic link; refusing to follow it")
    resolved = output.resolve()
    if not resolved.is_relative_to(root.resolve()):
        raise OutputError.at(Location.of(output), "output folder lies outside the project")
    output.mkdir(parents=True, exist_ok=True)
    return output


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temp file in the same folder and an atomic rename.

    A failure at any point leaves the previous file untouched and no temp file behind.
    """
    folder = path.parent
    if folder.is_symlink():
        raise OutputError.at(Location.of(folder), "output folder is a symbolic link; refusing to follow it")
    folder.mkdir(parents=True, exist_ok=True)
    if path.is_symlink():
        # Replace the link itself; never write through it to wherever it points.
        path.unlink()
    fd, tmp = tempfile.mkstemp(prefix=TEMP_PREFIX, dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def remove_stale_temps(folder: Path) -> int:
    """Delete temp files a killed earlier run left behind; return how many."""
    count = 0
    if not folder.is_dir():
        return 0
    for stale in folder.rglob(f"{TEMP_PREFIX}*"):
        if stale.is_file() and not stale.is_symlink():
            stale.unlink(missing_ok=True)
            count += 1
    return count

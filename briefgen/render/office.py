"""LibreOffice as a layout engine: found once, run headless in a sandbox, killed on overrun.

Each run gets a private profile in a temporary folder (parallel runs sharing one block or
crash each other, and nothing of the user's own LibreOffice set-up leaks in), no network
where the system lets a process drop it (a user and network namespace, ``unshare -rn``),
no standard input, a time limit, and its own process group, which is killed whole when
the limit passes. LibreOffice only lays the files out and exports PDFs that briefgen
reads; it never writes a Word file, so the Word bytes stay briefgen's own.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from briefgen.errors import ConfigError

# Word bookmarks become PDF destinations, so a heading's page is read exactly, by name.
PDF_FILTER = "pdf:writer_pdf_Export:" + json.dumps(
    {"ExportBookmarksToPDFDestination": {"type": "boolean", "value": "true"}}, separators=(",", ":")
)
_VERSION = re.compile(rb'<prop oor:name="ooSetupVersionAboutBox">\s*<value>([^<]+)</value>')
_FIRST_START = 81  # LibreOffice's "restart me" exit code after it made a new profile


class OfficeError(Exception):
    """LibreOffice failed, hung or gave no layout."""


@dataclass(frozen=True)
class Office:
    """An installed LibreOffice: its program and version."""

    program: str
    version: str


def _version_of(program: str) -> str | None:
    """Return LibreOffice's version from its configuration files, without starting it (~10 ms)."""
    base = Path(os.path.realpath(program)).parent
    for registry in (base.parent / "share" / "registry" / "main.xcd", base.parent / "Resources" / "registry" / "main.xcd"):
        try:
            with registry.open("rb") as handle:
                head = handle.read(1 << 20)  # the version sits in the first MB; the file is ~2 MB
                found = _VERSION.search(head) or _VERSION.search(head + handle.read())
        except OSError:
            continue
        if found:
            return found.group(1).decode("utf-8", "replace").strip()
    return None


@lru_cache(maxsize=1)
def find_office() -> Office | None:
    """Return the LibreOffice on PATH (soffice, libreoffice), or None."""
    for name in ("soffice", "libreoffice"):
        program = shutil.which(name)
        if program is None:
            continue
        version = _version_of(program)
        if version is None:
            try:
                done = subprocess.run(
                    [program, "--version"], capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL
                )
            except (OSError, subprocess.SubprocessError):
                continue
            match = re.search(r"\d+(?:\.\d+)+", done.stdout)
            if match is None:
                continue
            version = match.group(0)
        return Office(program, version)
    return None


def paginator_for(mode: str) -> tuple[str, str | None]:
    """Return (paginator, program) for ``word.paginate`` ``mode``: auto, libreoffice, pdf or none."""
    if mode in ("pdf", "none"):
        return mode, None
    office = find_office()
    if office is None:
        if mode == "libreoffice":
            raise ConfigError(
                "word.paginate is 'libreoffice' but LibreOffice (soffice) is not on PATH; "
                "install it (Debian: libreoffice-writer-nogui) or set word.paginate: auto"
            )
        return "pdf", None
    return f"libreoffice {office.version}", office.program


@lru_cache(maxsize=1)
def _isolation() -> tuple[str, ...]:
    """Return the command prefix that drops the network (``unshare -rn``), or () where the system refuses."""
    unshare = shutil.which("unshare")
    if unshare is None:
        return ()
    try:
        done = subprocess.run([unshare, "-rn", "true"], capture_output=True, timeout=10, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.SubprocessError):
        return ()
    return (unshare, "-rn") if done.returncode == 0 else ()


def convert_to_pdf(program: str, files: list[Path], out_dir: Path, timeout: float) -> None:
    """Lay ``files`` out and export each as ``out_dir/<stem>.pdf``, in one LibreOffice process.

    Raise OfficeError if LibreOffice fails or overruns ``timeout`` seconds (it is killed).
    """
    with tempfile.TemporaryDirectory(prefix="briefgen-office-") as scratch:
        profile = Path(scratch) / "profile"
        command = [
            *_isolation(),
            program,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--nologo",
            "--convert-to",
            PDF_FILTER,
            "--outdir",
            str(out_dir),
            *map(str, files),
        ]
        env = {k: v for k, v in os.environ.items() if not k.startswith(("SAL_", "OOO_", "UNO_"))}
        env["HOME"] = scratch  # nothing of the user's own set-up is read
        for _attempt in range(2):
            code = _run(command, env, timeout)
            if code != _FIRST_START:
                break
        if code != 0:
            raise OfficeError(f"LibreOffice exited with code {code}")


def _run(command: list[str], env: dict[str, str], timeout: float) -> int:
    """Run ``command`` in its own process group; kill the group if it overruns ``timeout``."""
    process = subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
        process_group=0,
    )
    try:
        _out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_group(process.pid)
        process.communicate()
        raise OfficeError(f"LibreOffice did not finish within {timeout:g}s and was stopped") from None
    except BaseException:
        _kill_group(process.pid)
        process.communicate()
        raise
    # No straggler to kill: the launcher (oosplash) waits for soffice.bin before it exits.
    if process.returncode not in (0, _FIRST_START) and err:
        raise OfficeError(f"LibreOffice exited with code {process.returncode}: {err.decode(errors='replace')[-300:]}")
    return process.returncode


def _kill_group(pgid: int) -> None:
    """Kill the process group of one LibreOffice run, started by us and not yet reaped (so its id is ours)."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signal.SIGKILL)

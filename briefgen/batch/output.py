"""The output and cache folders: real folders inside the project, never links out of it."""

from __future__ import annotations

from pathlib import Path

from briefgen.errors import OutputError
from briefgen.files import OUTPUT_FIX, os_problem, where


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

"""The hashes every freshness check is made of: sha256 of parts, of files, of briefgen's own code.

Kept free of heavy imports: the build's up-to-date stamp (stamp.py) hashes with these
before the configuration's schema or any renderer is loaded.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

import briefgen


def digest(*parts: str | bytes) -> str:
    """Return the sha256 hex digest of ``parts``, each length-prefixed so they cannot run together."""
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "big"))
        h.update(data)
    return h.hexdigest()


def file_sha256(path: Path) -> str:
    """Return the sha256 hex digest of the file at ``path``."""
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


@functools.cache  # once a process: the code it runs does not change under it
def code_digest() -> str:
    """Return the hash of briefgen's version and its own source files (as this process loaded them)."""
    package = Path(briefgen.__file__).resolve().parent
    parts: list[str | bytes] = [briefgen.__version__]
    for path in sorted(package.rglob("*.py")):
        parts += [path.relative_to(package).as_posix(), path.read_bytes()]
    return digest(*parts)

"""Template-side resources (stylesheets, fonts, images): found on the search path, checked, read.

One set of rules for every consumer: the PDF renderer's URL fetcher, the self-contained
HTML format that inlines them, the live preview that serves them, and the Word writer's
logo. Only regular files from the template folders, of a known type and bounded size;
images are checked before use.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from briefgen.errors import BriefgenError, SecurityError
from briefgen.files import read_regular
from briefgen.project.searchpath import TemplateDirs
from briefgen.render.images import image_problem

MIME = {
    ".css": "text/css",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".svg": "image/svg+xml",
    ".gif": "image/gif",
}
MAX_RESOURCE_BYTES = 20 * 1024 * 1024


class ResourceRefused(SecurityError):
    """A resource that may not be used: outside the folders, of an unserved type, damaged, too big."""


@dataclass(frozen=True)
class Resource:
    """A template resource's bytes and media type."""

    name: str  # template-relative
    path: Path
    data: bytes
    mime: str


def short(url: str, limit: int = 120) -> str:
    """Return ``url`` cut to ``limit`` characters for a message (data: URLs run long)."""
    return url if len(url) <= limit else url[: limit - 1] + "…"


def read_resource(dirs: TemplateDirs, name: str, *, shown: str | None = None) -> Resource:
    """Return template resource ``name``, or raise ResourceRefused saying why (``shown``: the URL asked)."""
    asked = short(shown or name)
    try:
        found = dirs.find(name)
    except SecurityError as exc:
        raise ResourceRefused(f"refused to fetch {asked!r}: {exc}") from None
    if found is None:
        raise ResourceRefused(f"resource {name!r} (from {asked!r}) not found in the template folders")
    mime = MIME.get(found.suffix.lower())
    if mime is None:
        raise ResourceRefused(f"resource {name!r} has a file type that is not served ({found.suffix or 'none'})")
    data = read_file(found, name)
    if mime.startswith("image/"):
        problem = image_problem(data, found.suffix)
        if problem:
            raise ResourceRefused(f"refused to use {name!r}: {problem}")
    return Resource(name, found, data, mime)


def read_file(path: Path, name: str) -> bytes:
    """Read a regular file of at most MAX_RESOURCE_BYTES; never block on a pipe or device."""
    try:
        return read_regular(path, MAX_RESOURCE_BYTES)
    except FileNotFoundError:
        raise ResourceRefused(f"resource {name!r} not found in the template folders") from None
    except BriefgenError as exc:
        why = exc.problems[0].message if exc.problems else str(exc)
        raise ResourceRefused(f"refused to fetch {name!r}: {why}") from None


def read_image(path: Path, name: str) -> bytes:
    """Return the bytes of image file ``path`` (a theme's logo), checked as the PDF fetcher checks it."""
    data = read_file(path, name)
    problem = image_problem(data, path.suffix)
    if problem:
        raise ResourceRefused(f"{name}: {problem}")
    return data

"""The incremental build cache: what each output depends on, hashed, saved atomically.

A target's inputs hash covers its assembled Briefing (which holds exactly the content it
uses: its topic, its audience's profile, the sources it cites, the entities it shows, the
configured author and date), the template files its format reads, the theme, the
configuration, briefgen's own code, the versions of the rendering libraries and the
environment variables that change bytes (SOURCE_DATE_EPOCH, for Word). Nothing here
trusts modification times, and nothing here imports a renderer.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import hashlib
import importlib.metadata
import json
import logging
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Any, TypeVar

import briefgen
from briefgen.content.model import ID_PATTERN
from briefgen.errors import OutputError
from briefgen.files import atomic_write, read_regular, where
from briefgen.project.config import Project
from briefgen.project.themes import Theme

log = logging.getLogger(__name__)

CACHE_VERSION = 1
CACHE_FILE = "build-cache.json"
CACHE_FIX = "set build.cache: in briefgen.yaml"
MAX_CACHE_BYTES = 256 * 1024 * 1024  # far above any real cache; a planted huge file is ignored

# The distributions whose code shapes each format's bytes (looked up without importing them).
LIBRARIES: dict[str, tuple[str, ...]] = {
    "pdf": (
        "weasyprint",
        "pydyf",
        "fonttools",
        "tinycss2",
        "cssselect2",
        "tinyhtml5",
        "pyphen",
        "pillow",
        "jinja2",
        "markupsafe",
        "markdown-it-py",
    ),
    "docx": ("python-docx", "lxml", "cairosvg", "cairocffi", "pillow", "markdown-it-py"),
}
# Environment variables that change a format's bytes (SOURCE_DATE_EPOCH: Word's zip entry times).
ENVIRONMENT: dict[str, tuple[str, ...]] = {"docx": ("SOURCE_DATE_EPOCH",)}
# Settings that choose which targets to build and how, not what any one output contains.
_NOT_INPUTS = {"matrix", "build", "output"}


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


def _canonical(value: Any) -> Any:
    """Return ``value`` as JSON-ready data that is the same in every process (no hash order)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {f.name: _canonical(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return {"__type__": type(value).__name__, **fields}
    if isinstance(value, list | tuple):
        return [_canonical(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _canonical(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, set | frozenset):
        return sorted(_canonical(v) for v in value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, PurePath):
        return value.as_posix()
    if hasattr(value, "model_dump"):  # a pydantic model
        return _canonical(value.model_dump(mode="json"))
    # Anything else by its repr: at worst one that varies makes the target rebuild every time.
    return f"{type(value).__name__}:{value!r}"


def briefing_digest(briefing: Any) -> str:
    """Return the hash of an assembled Briefing: everything a renderer takes from the content."""
    return digest(json.dumps(_canonical(briefing), sort_keys=True, ensure_ascii=False))


def code_digest() -> str:
    """Return the hash of briefgen's version and its own source files (as they are now, on disk)."""
    package = Path(briefgen.__file__).resolve().parent
    parts: list[str | bytes] = [briefgen.__version__]
    for path in sorted(package.rglob("*.py")):
        parts += [path.relative_to(package).as_posix(), path.read_bytes()]
    return digest(*parts)


def library_versions(fmt: str) -> dict[str, str]:
    """Return the installed versions of the libraries format ``fmt`` renders with."""
    versions = {"python": ".".join(map(str, sys.version_info[:3]))}
    for name in LIBRARIES.get(fmt, ()):
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = "absent"
    return versions


def config_digest(project: Project) -> str:
    """Return the hash of the settings that can change what an output contains."""
    data = project.config.model_dump(mode="json", exclude=_NOT_INPUTS)
    return digest(json.dumps(data, sort_keys=True))


def template_files(dirs: tuple[Path, ...], theme: Theme, fmt: str) -> list[tuple[str, Path]]:
    """Return (label, path) for every template-side file format ``fmt`` may read.

    PDF: every file along the search path (Jinja templates, CSS, fonts, images, theme
    files; the fetcher may serve any of them) except Word reference documents, which
    neither Jinja nor the fetcher reads. DOCX: the theme's own files only.
    """
    if fmt != "pdf":
        return [(f"theme:{p.name}", p) for p in theme.files]
    found: list[tuple[str, Path]] = []
    for index, folder in enumerate(dirs):
        for path in sorted(folder.rglob("*")):
            if path.is_file() and path.suffix.lower() != ".docx":
                found.append((f"{index}:{path.relative_to(folder).as_posix()}", path))
    return found


def format_digest(project: Project, dirs: tuple[Path, ...], theme: Theme, fmt: str) -> str:
    """Return the hash of everything a ``fmt`` output depends on besides its Briefing."""
    parts: list[str | bytes] = [
        fmt,
        code_digest(),
        config_digest(project),
        json.dumps(library_versions(fmt), sort_keys=True),
        json.dumps({name: os.environ.get(name, "") for name in ENVIRONMENT.get(fmt, ())}),
        theme.spec.model_dump_json(),
    ]
    for label, path in template_files(dirs, theme, fmt):
        parts += [label, file_sha256(path)]
    return digest(*parts)


def target_inputs(briefing: str, setup: str) -> str:
    """Return a target's inputs hash from its Briefing's digest and its format's digest."""
    return digest(briefing, setup)


def content_key(project: Project, files: list[Path]) -> str:
    """Return the hash of every content file and the settings assembly reads."""
    parts: list[str | bytes] = [code_digest(), config_digest(project)]
    for path in files:
        parts += [path.relative_to(project.root).as_posix(), file_sha256(path)]
    return digest(*parts)


@dataclass
class Snapshot:
    """What the content held when it was last loaded and checked, keyed by its hash."""

    key: str
    topics: list[str]
    audiences: list[str]
    briefings: dict[str, str] = field(default_factory=dict)  # "topic/audience" -> briefing digest


@dataclass
class Entry:
    """A built output: the inputs it was made from and what it came out as."""

    inputs: str  # digest(briefing, setup)
    sha256: str
    size: int
    briefing: str = ""  # the Briefing's digest: what the content gave this output
    setup: str = ""  # the format's digest: templates, theme, config, code, libraries
    pages: int | None = None
    body_pages: int | None = None
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)


_Record = TypeVar("_Record", Entry, Snapshot)
# The type of every field of a cache record, checked on load: a hand-edited cache file must
# not crash the build later (sorted(5)) or pass for fresh.
_TYPES: dict[str, type | tuple[type, ...]] = {
    "key": str,
    "topics": list,
    "audiences": list,
    "briefings": dict,
    "inputs": str,
    "sha256": str,
    "size": int,
    "briefing": str,
    "setup": str,
    "pages": (int, type(None)),
    "body_pages": (int, type(None)),
    "seconds": (int, float),
    "warnings": list,
}


def _record(kind: type[_Record], raw: Any) -> _Record:
    """Return a record read from the cache file if every field has its type, else raise TypeError."""
    if not isinstance(raw, dict):
        raise TypeError(f"a {kind.__name__.lower()} is {type(raw).__name__}, not a mapping")
    for name in raw:
        if not _well_typed(raw[name], _TYPES.get(name, ())):
            raise TypeError(f"{kind.__name__.lower()} field {name!r} holds {type(raw[name]).__name__}")
    return kind(**raw)


def _well_typed(value: Any, kind: type | tuple[type, ...]) -> bool:
    """Return whether ``value`` is a ``kind``, and its items (keys and values) all strings."""
    if not isinstance(value, kind):
        return False
    items = [*value, *value.values()] if isinstance(value, dict) else value
    return not isinstance(items, list) or all(isinstance(v, str) for v in items)


@dataclass
class Cache:
    """The cache file: the content snapshot and one entry per output (keyed by project path)."""

    path: Path
    snapshot: Snapshot | None = None
    entries: dict[str, Entry] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)  # why the file on disk was ignored

    @classmethod
    def load(cls, folder: Path) -> Cache:
        """Read the cache in ``folder``; an absent, old or damaged file means an empty cache."""
        path = folder / CACHE_FILE
        try:
            data = json.loads(read_regular(path, MAX_CACHE_BYTES, follow_links=False, error=OutputError).decode("utf-8"))
            if data.get("version") != CACHE_VERSION:
                return cls(path)
            snap = data.get("snapshot")
            entries = {key: _record(Entry, value) for key, value in data["entries"].items()}
            snapshot = _record(Snapshot, snap) if snap else None
            if snapshot and not all(
                re.fullmatch(ID_PATTERN, i) for i in snapshot.topics + snapshot.audiences
            ):
                raise ValueError("the snapshot lists an invalid id")  # they name output paths
            return cls(path, snapshot, entries)
        except FileNotFoundError:
            return cls(path)
        except (OSError, OutputError, ValueError, TypeError, KeyError, AttributeError) as exc:
            why = "; ".join(p.message for p in exc.problems) if isinstance(exc, OutputError) else exc
            warning = f"ignoring unreadable build cache {where(path)} ({why}): every target is rebuilt"
            log.debug(warning)
            return cls(path, warnings=[warning])

    def check(self, key: str, briefing: str, setup: str, output: Path) -> tuple[Entry | None, str]:
        """Return (entry, "fresh") if output ``key`` is up to date, else (None, why it is not)."""
        entry = self.entries.get(key)
        if entry is None:
            return None, "not built before"
        if entry.inputs != target_inputs(briefing, setup):
            if entry.briefing != briefing:
                return None, "its content changed"
            return None, "templates, theme, settings, briefgen or a rendering library changed"
        # An output deleted or edited by hand is rebuilt: compare bytes, not times.
        if output.is_symlink() or not output.is_file():
            return None, "the output is missing"
        if output.stat().st_size != entry.size or file_sha256(output) != entry.sha256:
            return None, "the output was changed after it was built"
        return entry, "fresh"

    def save(self) -> None:
        """Write the cache atomically, so a killed build never leaves it half written."""
        data = {
            "version": CACHE_VERSION,
            "generator": f"briefgen {briefgen.__version__}",
            "snapshot": dataclasses.asdict(self.snapshot) if self.snapshot else None,
            "entries": {key: dataclasses.asdict(e) for key, e in sorted(self.entries.items())},
        }
        ignore = self.path.parent / ".gitignore"
        if not ignore.exists() and not ignore.is_symlink():
            with contextlib.suppress(OutputError):  # a nicety; the cache file's own write says what failed
                atomic_write(
                    ignore, b"# made by briefgen: the build cache is never committed\n*\n", CACHE_FIX
                )
        atomic_write(self.path, json.dumps(data, indent=1, sort_keys=True).encode("utf-8"), CACHE_FIX)

"""The incremental build cache: each output's inputs hash and what it came out as, saved atomically.

The cache is a hint, never an authority (Black's filtered_cached): given targets and
their input hashes it says which are fresh; anything in it that cannot be read or does
not fit is ignored and the work is done again. Input hashes are made in inputs.py; the
content snapshot is checked against the content in snapshot.py.

While a build runs, each finished output is appended to a journal as one line (constant
cost, so the parent's time per output does not grow with the library), and the whole
file is rewritten once, atomically, at the end (the journal then removed); a build that
changed nothing writes nothing. A killed build leaves the journal, which the next one
reads on top of the file: at worst its last line is cut short and that output rebuilt.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import logging
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import briefgen
from briefgen.batch.digests import file_sha256
from briefgen.batch.inputs import target_inputs
from briefgen.batch.report import Result
from briefgen.content.ids import ID_PATTERN
from briefgen.errors import OutputError
from briefgen.files import atomic_write, os_problem, read_regular, where

if TYPE_CHECKING:
    from briefgen.batch.plan import Target

log = logging.getLogger(__name__)

CACHE_VERSION = 1
CACHE_FILE = "build-cache.json"
JOURNAL_FILE = "build-cache.journal"  # one line per output recorded since the file was written
CACHE_FIX = "set build.cache: in briefgen.yaml"
MAX_CACHE_BYTES = 256 * 1024 * 1024  # far above any real cache; a planted huge file is ignored


@dataclass
class Snapshot:
    """What the content held when it was last loaded and checked, keyed by its hash."""

    key: str
    topics: list[str]
    audiences: list[str]
    briefings: dict[str, str] = field(default_factory=dict)  # "topic/audience" -> briefing digest
    # Audiences with a page budget: their Word and HTML files take the cut the PDF's layout
    # decides, so their inputs include what the PDF's layout depends on.
    fitted: list[str] = field(default_factory=list)
    seal: str = ""  # binds the lists to the key (snapshot.seal); empty from an earlier briefgen


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
    reading_ease: float | None = None
    reading_target: int | None = None
    fallbacks: int = 0

    def changed(self, output: Path) -> str | None:
        """Return why the file ``output`` is not what this entry built, or None if it is."""
        # An output deleted or edited by hand is rebuilt: compare bytes, not times.
        if output.is_symlink() or not output.is_file():
            return "the output is missing"
        if output.stat().st_size != self.size or file_sha256(output) != self.sha256:
            return "the output was changed after it was built"
        return None

    def result(self, target: Target) -> Result:
        """Return the result of ``target`` left fresh: what this entry says it came out as."""
        return Result(
            target,
            "cached",
            target.relpath(),
            self.size,
            self.pages,
            self.seconds,
            body_pages=self.body_pages,
            warnings=list(self.warnings),
            sha256=self.sha256,
            inputs=self.inputs,
            reading_ease=self.reading_ease,
            reading_target=self.reading_target,
            fallbacks=self.fallbacks,
        )


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
    "fitted": list,
    "seal": str,
    "reading_ease": (int, float, type(None)),
    "reading_target": (int, type(None)),
    "fallbacks": int,
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
    saved: dict[str, Any] | None = None  # what the file holds, so an unchanged cache is not rewritten
    journaled: bool = False  # the journal holds lines the file does not
    changed: bool = False  # an entry was put since the file was read or written

    @property
    def journal(self) -> Path:
        """Return the path of the journal beside the cache file."""
        return self.path.with_name(JOURNAL_FILE)

    @classmethod
    def load(cls, folder: Path) -> Cache:
        """Read the cache in ``folder`` and its journal; an absent, old or damaged file means an empty cache."""
        cache = cls._load_file(folder / CACHE_FILE)
        cache._replay()
        return cache

    @classmethod
    def _load_file(cls, path: Path) -> Cache:
        try:
            data = json.loads(
                read_regular(path, MAX_CACHE_BYTES, follow_links=False, error=OutputError).decode("utf-8")
            )
            if data.get("version") != CACHE_VERSION:
                return cls(path)
            snap = data.get("snapshot")
            entries = {key: _record(Entry, value) for key, value in data["entries"].items()}
            snapshot = _record(Snapshot, snap) if snap else None
            if snapshot and not all(
                re.fullmatch(ID_PATTERN, i) for i in snapshot.topics + snapshot.audiences
            ):
                raise ValueError("the snapshot lists an invalid id")  # they name output paths
            return cls(path, snapshot, entries, saved=data)
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
        changed = entry.changed(output)
        if changed:
            return None, changed
        return entry, "fresh"

    def _replay(self) -> None:
        """Apply the journal's lines on top of the file: what a killed build had finished."""
        try:
            data = read_regular(self.journal, MAX_CACHE_BYTES, follow_links=False, error=OutputError)
        except FileNotFoundError:
            return
        except (OSError, OutputError) as exc:
            why = "; ".join(p.message for p in exc.problems) if isinstance(exc, OutputError) else exc
            self.warnings.append(f"ignoring unreadable build cache journal {where(self.journal)} ({why})")
            self.journaled = True  # removed by the next save
            return
        self.journaled = True
        damaged = 0
        for line in data.splitlines():
            try:
                item = json.loads(line)
                if item["version"] == CACHE_VERSION and isinstance(item["key"], str):
                    self.entries[item["key"]] = _record(Entry, item["entry"])
            except (ValueError, TypeError, KeyError, AttributeError):
                damaged += 1
        if damaged:
            self.warnings.append(
                f"ignoring {damaged} damaged line(s) of the build cache journal {where(self.journal)} "
                "(cut short by a killed build?): their targets are rebuilt"
            )

    def put(self, key: str, entry: Entry) -> None:
        """Keep ``entry`` for output ``key`` until the next save."""
        self.entries[key] = entry
        self.changed = True

    def append(self, key: str, entry: Entry) -> None:
        """Add one finished output to the journal: one line, one write, whatever the cache's size."""
        record = {"version": CACHE_VERSION, "key": key, "entry": dataclasses.asdict(entry)}
        line = json.dumps(record, sort_keys=True).encode("utf-8") + b"\n"
        flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC
        flags |= getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
        try:
            fd = os.open(self.journal, flags, 0o644)
        except OSError as exc:
            raise OutputError(os_problem(exc, self.journal, CACHE_FIX)) from None
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise OutputError(f"{where(self.journal)} is not a regular file; remove it")
            # One write of a whole line: a kill leaves it whole or cut short, never mixed.
            os.write(fd, line)
        except OSError as exc:
            raise OutputError(os_problem(exc, self.journal, CACHE_FIX)) from None
        finally:
            os.close(fd)
        self.journaled = True

    def save(self) -> bool:
        """Write the cache atomically and drop the journal; return False if nothing had changed."""
        generator = f"briefgen {briefgen.__version__}"
        snapshot = dataclasses.asdict(self.snapshot) if self.snapshot else None
        saved = self.saved or {}
        if not (self.changed or self.journaled) and (saved.get("generator"), saved.get("snapshot")) == (
            generator,
            snapshot,
        ):
            return False  # a no-op build writes nothing (entries are compared by the flag: cheaper)
        data = {
            "version": CACHE_VERSION,
            "generator": generator,
            "snapshot": snapshot,
            "entries": {key: dataclasses.asdict(e) for key, e in sorted(self.entries.items())},
        }
        ignore = self.path.parent / ".gitignore"
        if not ignore.exists() and not ignore.is_symlink():
            with contextlib.suppress(OutputError):  # a nicety; the cache file's own write says what failed
                atomic_write(
                    ignore, b"# made by briefgen: the build cache is never committed\n*\n", CACHE_FIX
                )
        atomic_write(self.path, json.dumps(data, indent=1, sort_keys=True).encode("utf-8"), CACHE_FIX)
        self.saved, self.changed = data, False
        if self.journaled:
            try:
                self.journal.unlink(missing_ok=True)  # a link or file; its lines are in the file now
            except OSError as exc:
                # Read again next time, its lines agree with the file; the cache is saved.
                log.debug("build cache journal not removed: %s", exc)
            self.journaled = False
        return True


class Saver:
    """Records each finished output in the cache's journal and saves the cache at the end; collects warnings."""

    def __init__(self, cache: Cache) -> None:
        self.cache = cache
        self.warnings = list(cache.warnings)
        self.saves = 0  # whole-file writes: one per build that changed something, none on a no-op
        self.journal = True

    def record(self, key: str, entry: Entry) -> None:
        """Keep ``entry`` for output ``key`` and journal it, so a build killed later keeps it."""
        self.cache.put(key, entry)
        if not self.journal:
            return
        try:
            self.cache.append(key, entry)
        except OutputError as exc:
            # Only a killed build would lose this; the save at the end says if it fails too.
            log.debug("build cache journal not written: %s", exc)
            self.journal = False

    def save(self) -> None:
        """Save the cache if it changed; warn once on failure."""
        try:
            self.saves += self.cache.save()
        except OutputError as exc:
            # The outputs themselves are fine; only the next build's shortcut is lost.
            warning = f"build cache not saved, so the next build redoes this work: {exc}"
            if warning not in self.warnings:
                self.warnings.append(warning)

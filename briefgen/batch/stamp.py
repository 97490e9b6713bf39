"""The up-to-date stamp: a build with nothing to do answered before anything heavy loads.

A build that ends with every target in place writes, beside the cache, what the next
build of the same selection would report (every target cached, from its cache entry)
together with everything that decides it, hashed at the start of the build: briefgen.yaml,
every file of the content folder and of each template folder, briefgen's code, the
installed packages, LibreOffice's version, SOURCE_DATE_EPOCH, and each output's size and
sha256, and the cache file's. The next build with the same selection and working folder hashes all of that again
(bytes, never modification times, as the cache does); if every hash agrees, no target
can be stale, and it reports from the stamp without loading the configuration's schema,
the content or the plan. Anything that differs, or a stamp that does not read back,
takes the full path, which is always right: the stamp only ever skips work the full
path would have found fresh.

A build that renders anything removes the stamp before it changes an output, and writes
one again only when it ends with no failure and no warning of its own. A build that
renders nothing writes one only to replace a stale stamp of the same selection (a
comment edited in a content file): a no-op whose stamp is simply absent writes nothing. A theme whose
fonts had to be looked up among the installed ones gets no stamp (fontconfig's answer is
not hashed), nor does a build interrupted part way.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from briefgen.batch.cache import CACHE_FILE, CACHE_VERSION, JOURNAL_FILE, MAX_CACHE_BYTES, Entry, _record
from briefgen.batch.digests import code_digest, digest, file_sha256
from briefgen.batch.manifest import MANIFEST_NAME
from briefgen.batch.plan import Target
from briefgen.batch.report import BuildReport
from briefgen.content.ids import ID_PATTERN
from briefgen.errors import BriefgenError, OutputError
from briefgen.files import atomic_write, read_regular
from briefgen.formats import FORMATS
from briefgen.project.locate import CONFIG_NAME

if TYPE_CHECKING:
    from briefgen.project.config import Project

STAMP_FILE = "up-to-date.json"
DEFAULT_CACHE = ".briefgen-cache"  # the configuration's default build.cache
_MISSES = (OSError, BriefgenError, ValueError, TypeError, KeyError, AttributeError)


def selection(root: Path, options: dict[str, Any]) -> dict[str, Any]:
    """Return the key a stamp is written and found under: the command's choices and the environment.

    ``options`` are the build's command-line choices (topics, formats, overrides, shard),
    all but --force, which decides what is rebuilt, never what a fresh build reports.
    """
    try:
        cwd = os.getcwd()  # the report names files relative to it
    except OSError:
        cwd = ""
    return {
        "root": str(root.resolve()),
        "cwd": cwd,
        "options": json.loads(json.dumps(options, sort_keys=True)),
        "source_date_epoch": os.environ.get("SOURCE_DATE_EPOCH"),
        "python": [sys.prefix, os.path.realpath(sys.executable), sys.version],  # python, python3: one
    }


def _tree(folder: Path) -> list[list[str]] | None:
    """Return (relative path, sha256) of every file under ``folder``, or None when there is no folder."""
    if not folder.is_dir():
        return None
    return [
        [p.relative_to(folder).as_posix(), file_sha256(p)] for p in sorted(folder.rglob("*")) if p.is_file()
    ]


def _packages() -> str:
    """Return the hash of every installed distribution's name and version (its metadata folder)."""
    names: list[str] = []
    for entry in sys.path:
        try:
            listed = os.listdir(entry or ".")
        except OSError:
            continue
        names += [f"{entry}/{n}" for n in listed if n.endswith((".dist-info", ".egg-info"))]
    return digest(*sorted(names))


def _inside(root: Path, rel: str) -> Path:
    """Return ``root / rel`` for a relative path that stays inside ``root``; refuse anything else."""
    pure = PurePosixPath(rel)
    if pure.is_absolute() or ".." in pure.parts or "\\" in rel:
        raise ValueError(f"{rel!r} does not name a place inside the project")
    path = root / pure
    if not path.resolve().is_relative_to(root.resolve()):
        raise ValueError(f"{rel!r} leads outside the project")
    return path


def _builtin() -> Path:
    from briefgen.project.searchpath import builtin_dir

    return builtin_dir().resolve()


def fingerprint(root: Path, folders: dict[str, str], paginate: str) -> dict[str, Any]:
    """Return the hashes of everything besides the outputs that decides whether a target is fresh.

    ``folders`` holds the content, templates, output and cache folders relative to ``root``;
    ``paginate`` is word.paginate, whose answer (LibreOffice's version) is part of Word's inputs.
    """
    from briefgen.render.office import paginator_for

    config = root / CONFIG_NAME
    return {
        "config": file_sha256(config) if config.is_file() else None,
        "content": _tree(_inside(root, folders["content"])),
        "templates": _tree(_inside(root, folders["templates"])),
        "builtin": _tree(_builtin()),
        "code": code_digest(),
        "packages": _packages(),
        "paginator": paginator_for(paginate)[0],
    }


@dataclass(frozen=True)
class Stamp:
    """What a build hashed at its start, to write the stamp with if it ends with every target in place."""

    root: Path
    path: Path
    key: dict[str, Any]
    folders: dict[str, str]
    paginate: str
    seen: dict[str, Any]


def begin(root: Path, key: dict[str, Any], folders: dict[str, str], paginate: str) -> Stamp | None:
    """Hash the build's inputs now, before anything reads them; None if they cannot be hashed."""
    try:
        seen = fingerprint(root, folders, paginate)
        path = _inside(root, folders["cache"]) / STAMP_FILE
    except _MISSES:
        return None
    return Stamp(root, path, key, dict(folders), paginate, seen)


def forget(stamp: Stamp | None) -> None:
    """Remove the stamp: the build is about to change outputs."""
    if stamp is not None:
        # One left behind is checked against the outputs, which will have changed.
        with contextlib.suppress(OSError):
            stamp.path.unlink(missing_ok=True)


def on_disk(stamp: Stamp) -> bool:
    """Return whether a stamp of this selection is there: a build reaching the full path found it stale."""
    try:
        raw = json.loads(read_regular(stamp.path, MAX_CACHE_BYTES, follow_links=False, error=OutputError))
        return bool(raw["key"] == stamp.key)
    except _MISSES:
        return False


def write(stamp: Stamp, report: BuildReport, entries: dict[Target, tuple[str, Entry]], jobs: int) -> None:
    """Record what the next build of this selection reports, if this one left every target in place.

    ``entries`` holds each target's cache key (its output's path inside the project) and
    entry. The finishing steps' notes are this build's alone; any warning of the build's
    own (the theme's fonts, the cache) keeps the stamp away, as does any failure.
    """
    if report.failed or report.errors or report.warnings:
        return
    targets = []
    for result in report.results:
        key, entry = entries.get(result.target, ("", None))
        if entry is None or not result.final or entry.sha256 != result.sha256:
            return
        t = result.target
        targets.append({"target": [t.topic, t.audience, t.format], "key": key, "entry": asdict(entry)})
    manifest = stamp.root / stamp.folders["output"] / MANIFEST_NAME
    cache = stamp.path.parent / CACHE_FILE
    if not cache.is_file() or cache.is_symlink() or (stamp.path.parent / JOURNAL_FILE).exists():
        return  # the cache was not saved whole: the next build must read what it can of it
    data = {
        "version": CACHE_VERSION,
        "key": stamp.key,
        "folders": stamp.folders,
        "paginate": stamp.paginate,
        "seen": stamp.seen,
        "jobs": jobs,
        "manifest": file_sha256(manifest) if manifest.is_file() else None,
        "cache": file_sha256(cache),  # a cache edited, damaged or replaced since is read again
        "targets": targets,
    }
    with contextlib.suppress(BriefgenError):  # only the next build's shortcut is lost
        atomic_write(stamp.path, json.dumps(data, sort_keys=True).encode("utf-8"))


def begin_build(project: Project, selection: dict[str, Any] | None) -> Stamp | None:
    """Hash a full-path build's inputs for its stamp before anything reads them (None: no stamp)."""
    if selection is None:
        return None
    folders = {
        "content": project.config.content,
        "templates": project.config.templates,
        "output": project.output_dir.relative_to(project.root).as_posix(),
        "cache": project.config.build.cache,
    }
    return begin(project.root, selection, folders, project.config.word.paginate)


def end_build(
    stamp: Stamp,
    report: BuildReport,
    keys: dict[Target, str],
    entries: dict[str, Entry],
    jobs: int,
    worked: bool,
) -> None:
    """Write the stamp at the end of a build: one that rendered, or one that found a stale stamp.

    A no-op writes nothing otherwise; a theme that asked fontconfig (fonts it does not
    ship) gets no stamp, as fontconfig's answer is not hashed.
    """
    if not (worked or on_disk(stamp)) or _consulted_fontconfig():
        return
    write(stamp, report, {t: (k, entries[k]) for t, k in keys.items() if k in entries}, jobs)


def _consulted_fontconfig() -> bool:
    from briefgen.project.themes import fontconfig_faces

    return fontconfig_faces.cache_info().currsize > 0


def cache_folder(root: Path) -> str:
    """Return build.cache as briefgen.yaml sets it, read without the configuration's schema.

    Only to find the stamp: the stamp holds the hash of briefgen.yaml, so a value misread
    here can only miss. The YAML reader is loaded only when the file mentions a cache.
    """
    config = root / CONFIG_NAME
    try:
        text = config.read_bytes()
    except OSError:
        return DEFAULT_CACHE
    if b"cache" not in text:
        return DEFAULT_CACHE
    from briefgen.content.yamlread import read_yaml

    data = read_yaml(config).data
    build = data.get("build") if isinstance(data, dict) else None
    value = build.get("cache") if isinstance(build, dict) else None
    return value if isinstance(value, str) else DEFAULT_CACHE


def replay(root: Path, key: dict[str, Any]) -> tuple[BuildReport, int] | None:
    """Return the report of a build with nothing to do and its worker count, or None to take the full path."""
    start = time.perf_counter()
    try:
        path = _inside(root, cache_folder(root)) / STAMP_FILE
        raw = json.loads(read_regular(path, MAX_CACHE_BYTES, follow_links=False, error=OutputError))
        if raw["version"] != CACHE_VERSION or raw["key"] != key:
            return None
        folders = {name: str(raw["folders"][name]) for name in ("content", "templates", "output", "cache")}
        if raw["seen"] != fingerprint(root, folders, str(raw["paginate"])):  # briefgen.yaml included
            return None
        manifest = _inside(root, folders["output"]) / MANIFEST_NAME
        if raw["manifest"] != (file_sha256(manifest) if manifest.is_file() else None):
            return None
        cache = path.parent / CACHE_FILE
        if cache.is_symlink() or (path.parent / JOURNAL_FILE).exists() or raw["cache"] != file_sha256(cache):
            return None
        results = []
        for item in raw["targets"]:
            topic, audience, fmt = (str(part) for part in item["target"])
            if fmt not in FORMATS or not all(re.fullmatch(ID_PATTERN, i) for i in (topic, audience)):
                return None
            target, entry = Target(topic, audience, fmt), _record(Entry, item["entry"])
            output = _inside(root, str(item["key"]))
            if output != _inside(root, folders["output"]) / target.relpath() or entry.changed(output):
                return None
            results.append(entry.result(target))
        jobs = int(raw["jobs"])
    except _MISSES:
        return None
    return BuildReport(results, seconds=time.perf_counter() - start), jobs

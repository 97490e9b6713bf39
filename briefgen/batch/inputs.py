"""Input hashes: what each output depends on, as digests that are the same in every process.

A target's inputs hash covers its assembled Briefing (which holds exactly the content it
uses: its topic, its audience's profile, the sources it cites, the entities it shows, the
configured author and date) and its format's setup: the template files the format reads
(its ``reads`` in the format table), the theme, the configuration, briefgen's own code,
the versions of the libraries that shape its bytes and the render settings that do
(SOURCE_DATE_EPOCH, for Word). Nothing here trusts modification times, and nothing here
imports a renderer.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import json
import sys
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any

from briefgen.batch.digests import code_digest, digest, file_sha256
from briefgen.batch.plan import Target
from briefgen.formats import FORMATS

if TYPE_CHECKING:
    from briefgen.project.config import Project
    from briefgen.render.registry import RenderContext

__all__ = ["code_digest", "digest", "file_sha256"]  # kept here for the modules that hash with them


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


def library_versions(fmt: str) -> dict[str, str]:
    """Return the installed versions of the libraries format ``fmt`` renders with."""
    versions = {"python": ".".join(map(str, sys.version_info[:3]))}
    versions.update((name, _version(name)) for name in FORMATS[fmt].libraries)
    return versions


@functools.cache  # each lookup scans the import path; formats share most libraries
def _version(name: str) -> str:
    import importlib.metadata  # ~20 ms to import: only a build that plans pays it

    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "absent"


def config_digest(project: Project) -> str:
    """Return the hash of the settings that can change what an output contains."""
    data = project.config.output_settings()
    return digest(json.dumps(data, sort_keys=True))


def template_files(ctx: RenderContext, fmt: str) -> list[tuple[str, Path]]:
    """Return (label, path) for every template-side file format ``fmt`` may read.

    A format reading the search path (PDF, HTML) may read any file along it (Jinja
    templates, CSS, fonts, images, theme files; the fetcher may serve any of them) except
    Word reference documents, which neither Jinja nor the fetcher reads. A format reading
    the theme (Word) reads the theme's own files only.
    """
    if FORMATS[fmt].reads == "theme":
        return [(f"theme:{p.name}", p) for p in ctx.theme.files]
    found: list[tuple[str, Path]] = []
    for index, folder in enumerate(ctx.dirs.dirs):
        for path in sorted(folder.rglob("*")):
            if path.is_file() and path.suffix.lower() != ".docx":
                found.append((f"{index}:{path.relative_to(folder).as_posix()}", path))
    return found


def format_digest(project: Project, ctx: RenderContext, fmt: str) -> str:
    """Return the hash of everything a ``fmt`` output depends on besides its Briefing."""
    parts: list[str | bytes] = [
        fmt,
        code_digest(),
        config_digest(project),
        json.dumps(library_versions(fmt), sort_keys=True),
        json.dumps(ctx.settings(FORMATS[fmt].settings), sort_keys=True),
        ctx.theme.spec.model_dump_json(),
    ]
    for label, path in template_files(ctx, fmt):
        parts += [label, file_sha256(path)]
    if "paginator" in FORMATS[fmt].settings and ctx.paginator == "pdf" and fmt != "pdf":
        # Numbered from the PDF's pagination: whatever changes the PDF's layout changes this.
        parts.append(format_digest(project, ctx, "pdf"))
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


class Setups:
    """Each target's format digest: what its output depends on besides its Briefing."""

    def __init__(self, project: Project, ctx: RenderContext, targets: list[Target], fitted: set[str]) -> None:
        self.fitted = fitted
        self.paginated = next(spec.name for spec in FORMATS.values() if spec.paginated)
        formats = {t.format for t in targets}
        if any(self._follows_layout(t) for t in targets):
            formats.add(self.paginated)
        self.digests = {f: format_digest(project, ctx, f) for f in formats}

    def _follows_layout(self, target: Target) -> bool:
        return target.audience in self.fitted and not FORMATS[target.format].paginated

    def of(self, target: Target) -> str:
        """Return ``target``'s setup digest; a cut-to-budget Word or HTML file also hangs on the PDF's."""
        setup = self.digests[target.format]
        if self._follows_layout(target):
            # Its cut comes from the PDF's layout: templates, CSS, fonts and WeasyPrint decide it.
            setup = digest(setup, self.digests[self.paginated])
        return setup

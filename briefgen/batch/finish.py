"""Finishing steps: what a format does to the files a build wrote, once per batch, after the workers.

A format names its step in the format table (``finisher``). Word's is LibreOffice laying
the files out so their contents can be numbered from that layout
(render/docx/paginate.py); batching it means LibreOffice starts once per process, not
once per file. A step that fails leaves the files as the workers wrote them (usable, with
the PDF's page numbers) and marks them not final, so the next build tries again.
"""

from __future__ import annotations

import hashlib
import importlib
import logging
from pathlib import Path

from briefgen.batch.report import Result
from briefgen.formats import FORMATS
from briefgen.render.registry import RenderContext

log = logging.getLogger(__name__)


def finishing_formats(ctx: RenderContext, formats: set[str]) -> set[str]:
    """Return the formats among ``formats`` whose finishing step has work with ``ctx`` (their results wait)."""
    found = set()
    for fmt in formats:
        finisher = FORMATS[fmt].finisher
        if finisher and importlib.import_module(finisher.split(":")[0]).wanted(ctx):
            found.add(fmt)
    return found


def finish_outputs(ctx: RenderContext, held: list[Result], out_dir: Path, *, jobs: int, timeout: float) -> list[str]:
    """Run each format's finishing step over its built files in ``held``, updating their results; return its notes."""
    notes = []
    for fmt in sorted({r.target.format for r in held}):
        module_name, function = (FORMATS[fmt].finisher or "").split(":")
        mine = [r for r in held if r.target.format == fmt]
        try:
            finish = getattr(importlib.import_module(module_name), function)
            outcomes, note = finish(ctx, [out_dir / r.path for r in mine], jobs=jobs, timeout=timeout)
        except Exception as exc:  # a finishing step's bug must not lose the files the workers made
            log.debug("finishing %s failed", fmt, exc_info=True)
            for result in mine:
                result.warnings.append(f"not finished ({type(exc).__name__}: {exc}); the next build tries again")
                result.final = False
            continue
        if note:
            notes.append(note)
        for result in mine:
            outcome = outcomes.get(out_dir / result.path)
            if outcome is None:
                continue
            data = (out_dir / result.path).read_bytes()
            result.size, result.sha256 = len(data), hashlib.sha256(data).hexdigest()
            result.pages = outcome.pages or result.pages
            result.note, result.final = outcome.note, outcome.final
            if outcome.warning:
                result.warnings.append(outcome.warning)
    return notes

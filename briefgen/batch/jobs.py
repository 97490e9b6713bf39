"""What a worker does with a job: render each target of one Briefing and write it in place.

Pure work on picklable values (Job in, Results out), apart from writing the output files
atomically; the processes that run it, and their limits, are workers.py's.
"""

from __future__ import annotations

import hashlib
import time
import traceback
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from briefgen.assemble.briefing import Briefing
from briefgen.assemble.fit import apply_cut
from briefgen.batch.fitting import follows_the_cut, planned_layout, target_warnings
from briefgen.batch.limits import code as _code
from briefgen.batch.limits import message as _message
from briefgen.batch.plan import Target
from briefgen.batch.report import Result
from briefgen.files import atomic_write
from briefgen.formats import FORMATS
from briefgen.render.registry import Layout, RenderContext, Rendered, get_renderer


@dataclass(frozen=True)
class Output:
    """One target of a job: where its file goes."""

    target: Target
    path: Path  # the file to write
    rel: str  # its path relative to the output folder, for messages


@dataclass(frozen=True)
class Job:
    """Everything a worker needs to render one Briefing in each of its stale formats; picklable.

    The formats of one Briefing render together, in the order given, so a later format
    can build on what an earlier one laid out.
    """

    briefing: Briefing
    ctx: RenderContext
    outputs: tuple[Output, ...]


def render_job(job: Job) -> Iterator[Result]:
    """Render each target of ``job`` in order, handing the first layout (and its cut) to the later formats.

    A briefing with a page budget is cut to fit by the PDF's layout, and its other formats
    take the same cut. A job without its PDF (the PDF is fresh, or not built at all) lays
    the PDF out without writing it, so a Word file never depends on what else was built.
    """
    layout: Layout | None = None
    failed: tuple[str, str] | None = None  # why the layout that decides the cut could not be made, and its code
    for output in job.outputs:
        if layout is None and failed is None and follows_the_cut(job.briefing, output.target.format):
            layout, failed = planned_layout(job.briefing, job.ctx, lambda exc: (_message(exc), _code(exc)))
        if failed is not None and follows_the_cut(job.briefing, output.target.format):
            # The PDF's error on lines of its own and with its code, so tools read it back as the same problem.
            message = (
                f"the cut to the page budget could not be decided, as the PDF's layout failed:\n{failed[0]}"
            )
            yield failure(output, 0.0, message, code=failed[1])
            continue
        result, rendered = render_output(job, output, layout)
        if layout is None and rendered is not None:
            layout = rendered.layout
        if layout is None and rendered is None and FORMATS[output.target.format].paginated:
            failed = (result.error, result.code)
        yield result


def render_output(job: Job, output: Output, layout: Layout | None = None) -> tuple[Result, Rendered | None]:
    """Render one target of ``job`` and write it atomically; report failure instead of raising."""
    start = time.perf_counter()
    target = output.target
    briefing = job.briefing
    if layout is not None and not FORMATS[target.format].paginated:
        briefing = apply_cut(briefing, layout.cut)
    try:
        rendered = get_renderer(target.format).render(briefing, job.ctx, layout)
    except Exception as exc:
        seconds = time.perf_counter() - start
        return failure(output, seconds, _message(exc), traceback.format_exc(), _code(exc)), None
    try:
        atomic_write(output.path, rendered.data)
    except Exception as exc:  # the layout still serves the job's later formats
        seconds = time.perf_counter() - start
        return failure(output, seconds, _message(exc), traceback.format_exc(), _code(exc)), rendered
    result = Result(
        target,
        "built",
        output.rel,
        len(rendered.data),
        rendered.pages,
        time.perf_counter() - start,
        body_pages=rendered.body_pages,
        sha256=hashlib.sha256(rendered.data).hexdigest(),
        reading_ease=job.briefing.reading_ease,
        reading_target=job.briefing.reading_ease_target,
        fallbacks=len(job.briefing.fallbacks),
    )
    result.warnings.extend(rendered.warnings)
    result.warnings.extend(target_warnings(job.briefing, rendered.layout or layout))
    return result, rendered


def failure(
    output: Output, seconds: float, message: str, detail: str = "", code: str = "render.failed"
) -> Result:
    """Return the failed Result of ``output``; ``code`` is what tools read (limits.code)."""
    return Result(output.target, "failed", output.rel, seconds=seconds, error=message, detail=detail, code=code)

"""What a build did, for people and CI: per-target lines or a progress bar, a summary, the exit code."""

from __future__ import annotations

import os
import shutil
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol, TextIO

if TYPE_CHECKING:
    from briefgen.batch.plan import Target

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_INVALID = 2


@dataclass
class Result:
    """What happened to one target."""

    target: Target
    status: str  # built | cached | failed
    path: str = ""  # relative to the output folder
    size: int = 0
    pages: int | None = None
    seconds: float = 0.0
    error: str = ""
    code: str = ""  # a failure's code for tools (README, "Machine-readable output"); "" is render.failed
    body_pages: int | None = None
    warnings: list[str] = field(default_factory=list)
    sha256: str = ""
    inputs: str = ""
    detail: str = ""  # the traceback of an unexpected failure, shown with -v
    reading_ease: float | None = None  # Flesch reading ease of the briefing's wording
    reading_target: int | None = None  # the audience's target for it
    fallbacks: int = 0  # texts shown in the default wording for want of the audience's register
    note: str = ""  # how it was made, where a format can make it more than one way
    final: bool = True  # False: a usable fallback, not cached, so the next build tries again


@dataclass
class BuildReport:
    """Every target's result, in plan order."""

    results: list[Result] = field(default_factory=list)
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)  # the build's own failures (the manifest)
    warnings: list[str] = field(default_factory=list)  # the build's own warnings (the cache)
    notes: list[str] = field(default_factory=list)  # what the build's finishing steps did, and their cost

    def count(self, status: str) -> int:
        """Return how many targets ended with ``status``."""
        return sum(1 for r in self.results if r.status == status)

    @property
    def failed(self) -> list[Result]:
        """Return the results that failed."""
        return [r for r in self.results if r.status == "failed"]


def target_line(result: Result) -> str:
    """Return the one-line log of a finished target."""
    if result.status == "failed":
        first = result.error.splitlines()[0] if result.error else "failed"
        return f"FAILED  {result.path}: {first}"
    pages = f", {result.pages} pages" if result.pages else ""
    if result.status == "cached":
        return f"cached  {result.path}"
    note = f"; {result.note}" if result.note else ""
    return f"built   {result.path} ({result.size / 1024:.0f} KiB{pages}, {result.seconds:.2f}s{note})"


def summary_lines(report: BuildReport, *, verbose: bool = False) -> list[str]:
    """Return the lines printed after a build: warnings, failures, a table and a one-line total."""
    lines = [f"note    {note}" for note in report.notes]
    lines += [f"warning {warning}" for warning in report.warnings]
    for r in report.results:
        lines.extend(f"warning {r.path}: {warning}" for warning in r.warnings)
    for r in report.failed:
        lines.append(f"FAILED  {r.path}:")
        lines.extend(f"    {line}" for line in r.error.splitlines())
        if verbose and r.detail:
            lines.extend(f"    {line}" for line in r.detail.rstrip().splitlines())
    for error in report.errors:
        first, *rest = error.splitlines() or [""]
        lines += [f"ERROR   {first}", *(f"    {line}" for line in rest)]
    lines += _wording(report)
    built, cached, failed = report.count("built"), report.count("cached"), report.count("failed")

    def work(status: str) -> float:
        return sum(r.seconds for r in report.results if r.status == status)

    lines += [
        "",
        f"{'':8}{'targets':>8}{'seconds':>10}",
        f"{'built':8}{built:>8}{work('built'):>10.1f}",
        f"{'cached':8}{cached:>8}",
        f"{'failed':8}{failed:>8}{work('failed'):>10.1f}",
        f"{'total':8}{len(report.results):>8}{report.seconds:>10.1f}  (wall clock; the others sum the workers' time)",
        f"{built} built, {failed} failed, {cached} cached in {report.seconds:.1f}s"
        + (f"; {len(report.errors)} build error(s)" if report.errors else ""),
    ]
    return lines


def _wording(report: BuildReport) -> list[str]:
    """Return the readability table, one row per briefing (its formats share one wording)."""
    from briefgen.assemble.checks import wording_summary

    seen: dict[tuple[str, str], Result] = {}
    for r in report.results:
        if r.status != "failed":
            seen.setdefault((r.target.topic, r.target.audience), r)
    rows = [(a, r.reading_ease, r.reading_target, r.fallbacks) for (_t, a), r in sorted(seen.items())]
    table = wording_summary(rows)
    return ["", *table] if table else []


def exit_code(report: BuildReport) -> int:
    """Return 0 when every target was built or fresh and the manifest written, 1 otherwise."""
    return EXIT_FAILED if report.failed or report.errors else EXIT_OK


class Progress(Protocol):
    """Shows a build's progress as targets finish."""

    def start(self, total: int) -> None:
        """Begin a build of ``total`` targets."""

    def advance(self, result: Result) -> None:
        """Record one finished target."""

    def close(self) -> None:
        """Finish the display before the summary is printed."""


class LineProgress:
    """One plain line per finished target: for logs, pipes and CI."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def start(self, total: int) -> None:
        """Begin a build of ``total`` targets (nothing to show yet)."""

    def advance(self, result: Result) -> None:
        """Print the target's line."""
        print(target_line(result), file=self.stream, flush=True)

    def close(self) -> None:
        """Nothing to tidy up."""


class BarProgress:
    """A single redrawn line: a bar, done/total, cached and failed counts, and the ETA."""

    def __init__(self, stream: TextIO, jobs: int) -> None:
        self.stream = stream
        self.jobs = max(1, jobs)
        self.total = self.done = self.cached = self.failed = 0
        self.work: list[float] = []
        self.started = time.monotonic()

    def start(self, total: int) -> None:
        """Begin a build of ``total`` targets."""
        self.total, self.started = total, time.monotonic()
        self._draw()

    def advance(self, result: Result) -> None:
        """Count the target; failures are printed above the bar at once."""
        self.done += 1
        if result.status == "cached":
            self.cached += 1
        else:
            self.work.append(result.seconds)
        if result.status == "failed":
            self.failed += 1
            self.stream.write("\r\x1b[K" + target_line(result) + "\n")
        self._draw()

    def eta(self) -> str:
        """Return the estimated time left, from the mean time of the targets rendered so far."""
        if self.done >= self.total:
            return "00:00"
        if not self.work:
            return "--:--"
        left = (self.total - self.done) * (sum(self.work) / len(self.work)) / self.jobs
        return f"{int(left) // 60:02d}:{int(left) % 60:02d}"

    def _draw(self) -> None:
        width = max(10, min(40, shutil.get_terminal_size((80, 24)).columns - 60))
        filled = width * self.done // self.total if self.total else width
        bar = "#" * filled + "-" * (width - filled)
        self.stream.write(
            f"\r\x1b[K[{bar}] {self.done}/{self.total}  cached {self.cached}  "
            f"failed {self.failed}  ETA {self.eta()}"
        )
        self.stream.flush()

    def close(self) -> None:
        """Leave the finished bar on its own line."""
        self.stream.write("\n")
        self.stream.flush()


def choose_progress(stream: TextIO, jobs: int) -> Progress:
    """Return a bar on an interactive terminal, plain lines otherwise (pipes, files, CI=true)."""
    interactive = stream.isatty() and os.environ.get("CI", "").lower() != "true"
    return BarProgress(stream, jobs) if interactive else LineProgress(stream)

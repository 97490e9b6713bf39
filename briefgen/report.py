"""Summarise a build for people and CI: what was built, what failed, the exit code."""

from __future__ import annotations

from briefgen.build import BuildReport

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_INVALID = 2


def summary_lines(report: BuildReport) -> list[str]:
    """Return the lines printed after a build."""
    lines = []
    for r in report.results:
        pages = f", {r.pages} pages" if r.pages else ""
        if r.status == "built":
            lines.append(f"built   {r.path} ({r.size / 1024:.0f} KiB{pages}, {r.seconds:.2f}s)")
        for warning in r.warnings:
            lines.append(f"warning {r.path}: {warning}")
    built = sum(1 for r in report.results if r.status == "built")
    failed = report.failed
    for r in failed:
        lines.append(f"FAILED  {r.path}:")
        lines.extend(f"    {line}" for line in r.error.splitlines())
    lines.append(f"{built} built, {len(failed)} failed in {report.seconds:.1f}s")
    return lines


def exit_code(report: BuildReport) -> int:
    """Return 0 when every target was built, 1 otherwise."""
    return EXIT_FAILED if report.failed else EXIT_OK

"""Interleaved timing for the benchmark: every side runs once per round, so machine noise hits all alike.

Hand-written because the libraries time one thing at a time: pyperf calibrates and runs
each benchmark in its own worker processes, pytest-benchmark runs each benchmark apart
(and lives in the test suite, where no timing may); neither alternates two functions
round by round in one process, which is what keeps ratios steady on a shared machine.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class Timings:
    """Seconds per round for each named side, measured in the same rounds."""

    runs: dict[str, list[float]]

    def add(self, sides: dict[str, Callable[[], object]]) -> dict[str, object]:
        """Time every side once more, in order; return what each returned."""
        out = {}
        for name, fn in sides.items():
            start = time.perf_counter()
            out[name] = fn()
            self.runs.setdefault(name, []).append(time.perf_counter() - start)
        return out

    def median(self, name: str) -> float:
        """Return the median seconds of ``name``."""
        return statistics.median(self.runs[name])

    def ratio(self, name: str, base: str) -> float:
        """Return the median of ``name``'s time over ``base``'s, round by round."""
        return statistics.median(self.ratios(name, base))

    def ratios(self, name: str, base: str) -> list[float]:
        """Return ``name``'s time over ``base``'s in each round."""
        return [a / b for a, b in zip(self.runs[name], self.runs[base], strict=True)]

    def spread(self, name: str, base: str) -> str:
        """Return the range of the round-by-round ratio, which says how noisy the machine was."""
        ratios = sorted(self.ratios(name, base))
        if len(ratios) < 4:
            return f"{ratios[0]:.2f}-{ratios[-1]:.2f}x"
        q = statistics.quantiles(ratios, n=4)
        return f"quartiles {q[0]:.2f}-{q[2]:.2f}x, range {ratios[0]:.2f}-{ratios[-1]:.2f}x"


def interleave(sides: dict[str, Callable[[], object]], runs: int, *, warm: bool = True) -> Timings:
    """Time every side once per round, ``runs`` rounds, after one warm-up call each."""
    if warm:
        for fn in sides.values():
            fn()
    timings = Timings({})
    for _ in range(runs):
        timings.add(sides)
    return timings


def row(what: str, timings: Timings, name: str, base: str, note: str = "") -> None:
    """Print one comparison: both medians, the median round-by-round ratio and its spread."""
    ours, theirs = timings.median(name), timings.median(base)
    print(
        f"  {what:<44} {ours * 1000:8.1f} ms vs {theirs * 1000:8.1f} ms  "
        f"{timings.ratio(name, base):5.2f}x  ({timings.spread(name, base)}){'  ' + note if note else ''}"
    )

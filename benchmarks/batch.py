"""Batch benchmarks that fit in a minute each: worker speed-up, and the parent's cost per output.

    python benchmarks/batch.py                       # both parts, each under a minute on 2 loaded cores
    python benchmarks/batch.py --only workers --topics 6 --runs 2
    python benchmarks/batch.py --only parent --sizes 25,50,100,200

workers: a synthetic library of PDF briefings (the sample topic copied, 2 audiences),
built with ``--force`` at ``-j 1`` and ``-j 2``, interleaved round by round; the ratio is
the speed-up (no warm-up: both sides start their worker processes cold in every round).
PDF, where rendering is most of the time: six Word files take ~0.1 s each to render and
~1.5 s to start, so ``--format docx`` measures the start-up, not the scaling. On a
machine shared with other work the two cores are not free, and the ratio says so rather
than the code's scaling.

parent: what the build's parent process does per output, at 25 to 200 topics (x 2
audiences x 2 formats): plan, hash the inputs, assemble and digest every Briefing, record
each result (the cache's journal), save the cache once and write the manifest, then the
no-op build after it. The renderer is replaced by a fake one that writes a few bytes per
output, so this measures the parent alone, after a warm-up build of 2 topics has paid the
one-time imports; workers render one
Briefing at a time whatever the library's size. Each size runs in a fresh process, so its
peak RSS (ru_maxrss) is the parent's own; processor time is the steadier measure on a
shared machine. Not a test: it reports.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from commands import run_build, synthetic  # noqa: E402
from timing import interleave, row  # noqa: E402


def bench_workers(topics: int, runs: int, fmt: str) -> None:
    """-j 1 against -j 2 on ``topics`` x 2 audiences of ``fmt`` files, --force."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "p"
        root.mkdir()
        synthetic(root, topics)
        t = interleave(
            {
                "j1": lambda: run_build(root, "--format", fmt, "--force", "-j", "1"),
                "j2": lambda: run_build(root, "--format", fmt, "--force", "-j", "2"),
            },
            runs,
            warm=False,
        )
    print(f"workers ({topics * 2} {fmt} files, --force, {runs} rounds):")
    row("-j 1 vs -j 2 (the speed-up)", t, "j1", "j2", "(target >= 1.8x)")


def _fake_render(
    project: Any, ctx: Any, stale: list[Any], briefings: Any, record: Callable[..., None]
) -> None:
    """Stand in for the workers: write a small file per target and report it built."""
    from briefgen.batch.report import Result

    for target in stale:
        data = f"{target.relpath()} {len(briefings)}\n".encode() * 64
        path = project.output_dir / target.relpath()
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        sha = hashlib.sha256(data).hexdigest()
        record(Result(target, "built", target.relpath(), len(data), seconds=0.01, sha256=sha))


def parent_once(topics: int) -> dict[str, float]:
    """Build a synthetic library of ``topics`` with the fake renderer, then a no-op; in this process."""
    import briefgen.batch.build as build_module
    from briefgen.batch.build import build
    from briefgen.batch.cache import Cache
    from briefgen.project.config import load_project

    build_module._render = _fake_render
    with tempfile.TemporaryDirectory() as tmp:
        # Pay the one-time costs (imports, the hyphenation dictionary) outside the timing.
        warm = Path(tmp) / "warm"
        warm.mkdir()
        synthetic(warm, 2)
        build(load_project(warm), formats=["pdf", "docx"])
        root = Path(tmp) / "p"
        root.mkdir()
        synthetic(root, topics)
        cpu = time.process_time()
        start = time.perf_counter()
        report = build(load_project(root), formats=["pdf", "docx"])
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        assert not report.failed and len(report.results) == topics * 4, report.results[:3]
        start = time.perf_counter()
        again = build(load_project(root), formats=["pdf", "docx"])
        noop = time.perf_counter() - start
        assert all(r.status == "cached" for r in again.results)
        cache = root / ".briefgen-cache" / "build-cache.json"
        size = cache.stat().st_size
        # What one whole rewrite costs: the old policy paid it about once a second of a build.
        loaded = Cache.load(cache.parent)
        start = time.perf_counter()
        for _ in range(5):
            loaded.changed = True
            loaded.save()
        rewrite = (time.perf_counter() - start) / 5
        shutil.rmtree(root)
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    return {
        "outputs": topics * 4,
        "seconds": seconds,
        "cpu": cpu,
        "noop": noop,
        "rss": maxrss,
        "cache": size,
        "rewrite": rewrite,
    }


def bench_parent(sizes: list[int]) -> None:
    """The parent's time and memory per output, each size in a fresh process."""
    print("parent process per output (fake renderer; 2 audiences x PDF + Word per topic):")
    base = None
    for n in sizes:
        done = subprocess.run(
            [sys.executable, __file__, "--one", str(n)], check=True, capture_output=True, text=True
        )
        m = json.loads(done.stdout.strip().splitlines()[-1])
        per, cpu = (m[k] / m["outputs"] * 1000 for k in ("seconds", "cpu"))
        base = base or cpu
        print(
            f"  {n:4d} topics ({m['outputs']:4d} outputs): {m['seconds']:6.2f} s, {per:5.2f} ms/output, "
            f"processor {cpu:5.2f} ms/output ({cpu / base:4.2f}x the first size); no-op {m['noop'] * 1000:5.0f} ms; "
            f"peak RSS {m['rss']:4.0f} MiB; cache {m['cache'] / 1024:4.0f} KiB, "
            f"one whole rewrite {m['rewrite'] * 1000:4.1f} ms"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--only", default="workers,parent")
    parser.add_argument("--topics", type=int, default=6, help="workers: topics in the library")
    parser.add_argument(
        "--format", default="pdf", help="workers: pdf (rendering dominates), or docx (start-up does)"
    )
    parser.add_argument("--runs", type=int, default=2, help="workers: interleaved rounds")
    parser.add_argument("--sizes", default="25,50,100,200", help="parent: library sizes in topics")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # one size, in this process
    args = parser.parse_args()
    if args.one:
        print(json.dumps(parent_once(args.one)))
        return
    only = set(args.only.split(","))
    if "parent" in only:
        bench_parent([int(s) for s in args.sizes.split(",")])
    if "workers" in only:
        bench_workers(args.topics, args.runs, args.format)


if __name__ == "__main__":
    main()

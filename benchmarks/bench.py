"""Measure briefgen against baselines in one run; print medians and ratios.

    python benchmarks/bench.py            # everything (several minutes on 2 cores)
    python benchmarks/bench.py --only pdf,subset,docx,paginate,pandoc,workers,noop,scale

Ratios compare runs interleaved in the same process (or the same run), so machine
noise hits both sides alike. Not a test: nothing here asserts; it reports.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from baselines import chart_png, markdown, pandoc_docx, raw_python_docx, raw_weasyprint  # noqa: E402

from briefgen.assemble.tailor import assemble  # noqa: E402
from briefgen.content.load import load_library  # noqa: E402
from briefgen.project.config import load_project  # noqa: E402
from briefgen.render.html.document import render_html  # noqa: E402
from briefgen.render.pdf.fetcher import base_url  # noqa: E402
from briefgen.render.registry import RenderContext, get_renderer  # noqa: E402


def median_pair(a: Callable[[], object], b: Callable[[], object], runs: int) -> tuple[float, float]:
    """Time ``a`` and ``b`` alternately ``runs`` times each; return both medians."""
    ta: list[float] = []
    tb: list[float] = []
    a(), b()  # warm caches and imports on both sides
    for _ in range(runs):
        for fn, sink in ((a, ta), (b, tb)):
            start = time.perf_counter()
            fn()
            sink.append(time.perf_counter() - start)
    return statistics.median(ta), statistics.median(tb)


def report(name: str, ours: float, base: float, target: str) -> None:
    print(
        f"{name:<44} briefgen {ours:8.3f}s  baseline {base:8.3f}s  ratio {ours / base:5.2f}x  (target {target})"
    )


def setup():  # type: ignore[no-untyped-def]
    project = load_project(REPO)
    library, _ = load_library(project.content_dir, project.root)
    return project, library, RenderContext.for_project(project)


def bench_pdf(runs: int) -> None:
    _project, library, ctx = setup()
    briefing = assemble(
        library, "border-security", "policy", author="bench", default_date=dt.date(2026, 1, 1)
    )
    renderer = get_renderer("pdf")
    html = render_html(briefing, ctx)
    pages = renderer.render(briefing, ctx).pages
    ours, raw = median_pair(
        lambda: renderer.render(briefing, ctx), lambda: raw_weasyprint(html, base_url(ctx.dirs)), runs
    )
    report(f"PDF per document ({pages} pages)", ours, raw, "<= 1.10x raw WeasyPrint")


def bench_subset(runs: int) -> None:
    """Show what HarfBuzz's subsetter (Debian's libharfbuzz-subset0) saves over fontTools."""
    import weasyprint.pdf.fonts as fonts

    _project, library, ctx = setup()
    briefing = assemble(
        library, "border-security", "policy", author="bench", default_date=dt.date(2026, 1, 1)
    )
    renderer = get_renderer("pdf")
    if fonts.harfbuzz_subset is None:
        print("font subsetting: libharfbuzz-subset0 not installed; WeasyPrint uses fontTools")
        return
    harfbuzz = fonts.harfbuzz_subset
    # fontTools warns about every subset font's zero 'created' date; it is noise here.
    logging.getLogger("fontTools").setLevel(logging.ERROR)

    def with_fonttools() -> object:
        fonts.harfbuzz_subset = None
        try:
            return renderer.render(briefing, ctx)
        finally:
            fonts.harfbuzz_subset = harfbuzz

    hb, ft = median_pair(lambda: renderer.render(briefing, ctx), with_fonttools, runs)
    print(
        f"{'PDF with HarfBuzz subsetting vs fontTools':<44} harfbuzz {hb:8.3f}s  fonttools {ft:8.3f}s  "
        f"ratio {hb / ft:5.2f}x"
    )


def bench_docx(runs: int) -> None:
    _project, library, ctx = setup()
    briefing = assemble(
        library, "border-security", "policy", author="bench", default_date=dt.date(2026, 1, 1)
    )
    renderer = get_renderer("docx")
    png = chart_png(briefing)
    ours, raw = median_pair(
        lambda: renderer.render(briefing, ctx), lambda: raw_python_docx(briefing, png), runs
    )
    report("DOCX per document", ours, raw, "<= 1.2x raw python-docx")


def bench_pandoc() -> None:
    import pypandoc

    pandoc = pypandoc.get_pandoc_path()
    _project, library, ctx = setup()
    renderer = get_renderer("docx")
    briefings = [
        assemble(library, t, a, author="bench", default_date=dt.date(2026, 1, 1))
        for t in sorted(library.topics)
        for a in sorted(library.audiences)
    ]
    with tempfile.TemporaryDirectory() as tmp:
        sources = []
        for i, b in enumerate(briefings):
            path = Path(tmp) / f"{i}.md"
            path.write_text(markdown(b), encoding="utf-8")
            sources.append(path)
        ours_runs: list[float] = []
        base_runs: list[float] = []
        for _ in range(3):  # whole batches, interleaved
            start = time.perf_counter()
            for b in briefings:
                renderer.render(b, ctx)
            ours_runs.append(time.perf_counter() - start)
            start = time.perf_counter()
            for path in sources:
                pandoc_docx(pandoc, path, path.with_suffix(".docx"))
            base_runs.append(time.perf_counter() - start)
        ours, base = statistics.median(ours_runs), statistics.median(base_runs)
    print(
        f"{'batch DOCX, ' + str(len(briefings)) + ' documents (median of 3)':<44} "
        f"briefgen {ours:8.3f}s  pandoc   {base:8.3f}s  "
        f"briefgen is {base / ours:5.1f}x faster  (target >= 2x)"
    )


def bench_paginate() -> None:
    """What numbering Word's contents from LibreOffice's layout costs: batched, and one process per file."""
    from briefgen.render.docx.paginate import finish

    _project, library, ctx = setup()
    if not ctx.paginator.startswith("libreoffice"):
        print(f"{'LibreOffice pagination':<44} skipped: LibreOffice not installed")
        return
    renderer = get_renderer("docx")
    pairs = [(t, a) for t in sorted(library.topics) for a in sorted(library.audiences)]
    with tempfile.TemporaryDirectory() as tmp:
        files = []
        start = time.perf_counter()
        for topic, audience in pairs:
            briefing = assemble(library, topic, audience, author="bench", default_date=dt.date(2026, 1, 1))
            path = Path(tmp) / f"{topic}-{audience}.docx"
            path.write_bytes(renderer.render(briefing, ctx).data)
            files.append(path)
        render = time.perf_counter() - start
        timings = {}
        for label, jobs, batch in (("1 process", 1, len(files)), ("2 processes", 2, len(files)), ("per file", 1, 1)):
            start = time.perf_counter()
            for first in range(0, len(files), batch):
                finish(ctx, files[first : first + batch], jobs=jobs, timeout=600)
            timings[label] = time.perf_counter() - start
    n = len(files)
    print(
        f"{'LibreOffice pagination, ' + str(n) + ' Word files':<44} render {render:6.2f}s; "
        + "; ".join(f"{k} {v:6.2f}s ({v / n:.2f}s/file)" for k, v in timings.items())
    )


def copy_project(dest: Path) -> Path:
    root = dest / "project"
    root.mkdir()
    shutil.copytree(REPO / "content", root / "content")
    shutil.copy(REPO / "briefgen.yaml", root / "briefgen.yaml")
    return root


def run_build(root: Path, *args: str) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "briefgen", "-C", str(root), "build", *args],
        check=True,
        stdout=subprocess.DEVNULL,
        env={**os.environ, "CI": "true"},
    )
    return time.perf_counter() - start


def bench_workers(runs: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = copy_project(Path(tmp))
        one: list[float] = []
        two: list[float] = []
        for _ in range(runs):
            one.append(run_build(root, "--force", "-j", "1"))
            two.append(run_build(root, "--force", "-j", "2"))
        a, b = statistics.median(one), statistics.median(two)
        print(
            f"{'full matrix (64 outputs), -j1 vs -j2':<44} -j1 {a:8.2f}s  -j2 {b:8.2f}s  "
            f"speedup {a / b:4.2f}x  (target >= 1.8x)"
        )
        noop = [run_build(root) for _ in range(5)]
        print(
            f"{'no-op rebuild of the full matrix':<44} {statistics.median(noop):.3f}s wall, including interpreter start"
        )


def synthetic(root: Path, topics: int) -> None:
    sample = REPO / "tests" / "projects" / "sample"
    shutil.copytree(sample / "content", root / "content")
    shutil.copy(sample / "briefgen.yaml", root / "briefgen.yaml")
    text = (root / "content" / "topics" / "relief.yaml").read_text()
    for i in range(1, topics):
        (root / "content" / "topics" / f"relief-{i}.yaml").write_text(
            text.replace("id: relief\n", f"id: relief-{i}\n").replace(
                "title: Relief Coordination", f"title: Relief {i}"
            )
        )


def _descendants(pid: int) -> list[int]:
    """Return the pids of every process below ``pid`` (workers are the fork server's children)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def _peak_rss_kib(pid: int) -> int:
    """Return a process's peak resident set (VmHWM) in KiB, 0 if it is gone."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    return next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:")), 0)


def bench_scale(sizes: list[int]) -> None:
    print("synthetic library (sample topic copied N times, 2 audiences, PDF + DOCX, -j2):")
    for n in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp) / "p"
            root.mkdir()
            synthetic(root, n)
            start = time.perf_counter()
            process = subprocess.Popen(
                [sys.executable, "-m", "briefgen", "-C", str(root), "build", "-j", "2"],
                stdout=subprocess.DEVNULL,
                env={**os.environ, "CI": "true"},
            )
            parent = worker = 0
            while process.poll() is None:
                parent = max(parent, _peak_rss_kib(process.pid))
                for pid in _descendants(process.pid):
                    worker = max(worker, _peak_rss_kib(pid))
                time.sleep(0.2)
            seconds = time.perf_counter() - start
            if process.returncode != 0:
                raise SystemExit(f"build of {n} topics failed ({process.returncode})")
            outputs = n * 2 * 2
            print(
                f"  {n:4d} topics: {seconds:7.1f}s  {seconds / outputs * 1000:6.0f} ms/output  "
                f"peak RSS: main process {parent / 1024:5.0f} MiB, largest worker {worker / 1024:5.0f} MiB"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="pdf,subset,docx,paginate,pandoc,workers,noop,scale")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--sizes", default="25,50,100,200")
    args = parser.parse_args()
    only = set(args.only.split(","))
    print(
        f"briefgen benchmark, {os.cpu_count()} cores, Python {sys.version.split()[0]}; medians of {args.runs} runs"
    )
    if "pdf" in only:
        bench_pdf(args.runs)
    if "subset" in only:
        bench_subset(args.runs)
    if "docx" in only:
        bench_docx(args.runs)
    if "paginate" in only:
        bench_paginate()
    if "pandoc" in only:
        bench_pandoc()
    if "workers" in only or "noop" in only:
        bench_workers(max(1, args.runs // 3))
    if "scale" in only:
        bench_scale([int(s) for s in args.sizes.split(",")])


if __name__ == "__main__":
    main()

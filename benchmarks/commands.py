"""Whole-command benchmarks: the fixed cost of `briefgen`, worker scaling, and a synthetic large library."""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from timing import Timings, interleave, row

REPO = Path(__file__).resolve().parent.parent
SCRIPT = Path(sys.executable).parent / "briefgen"  # the installed console script
ENV = {**os.environ, "CI": "true"}


def briefgen_command() -> list[str]:
    """Return how to call briefgen as users do: the console script, else python -m."""
    return [str(SCRIPT)] if SCRIPT.is_file() else [sys.executable, "-m", "briefgen"]


def copy_project(dest: Path) -> Path:
    root = dest / "project"
    root.mkdir()
    shutil.copytree(REPO / "content", root / "content")
    shutil.copy(REPO / "briefgen.yaml", root / "briefgen.yaml")
    return root


def command(args: list[str], cpu: list[float] | None = None) -> Callable[[], object]:
    """Return a function running ``args`` as a subprocess, checked, output discarded.

    With ``cpu``, each run's processor time (user + system) is appended to it: on a loaded
    machine that stays near what the command costs on an idle one, where wall time does not.
    """

    def run() -> object:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        done = subprocess.run(args, check=True, stdout=subprocess.DEVNULL, env=ENV)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if cpu is not None:
            cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        return done

    return run


def run_build(root: Path, *args: str) -> float:
    start = time.perf_counter()
    command([*briefgen_command(), "-C", str(root), "build", *args])()
    return time.perf_counter() - start


def bench_fixed(runs: int) -> None:
    """The command's fixed cost: --version and a no-op full-matrix build against a bare interpreter."""
    print(f"fixed cost (whole commands, interleaved, median of {runs}):")
    with tempfile.TemporaryDirectory() as tmp:
        root = copy_project(Path(tmp))
        run_build(root)
        cpu: dict[str, list[float]] = {"pass": [], "version": [], "noop": [], "full": []}
        # The first build left the up-to-date stamp, which answers every later plain build;
        # "-j 1" is a selection no build stamped, so it always takes the full path.
        t = interleave(
            {
                "pass": command([sys.executable, "-c", "pass"], cpu["pass"]),
                "version": command([*briefgen_command(), "--version"], cpu["version"]),
                "noop": command([*briefgen_command(), "-C", str(root), "build"], cpu["noop"]),
                "full": command([*briefgen_command(), "-C", str(root), "build", "-j", "1"], cpu["full"]),
            },
            runs,
        )
    row("briefgen --version vs python -c pass", t, "version", "pass", "(target < 3x)")
    used = Timings({k: v[1:] for k, v in cpu.items()})  # the first run of each is the warm-up
    row("  the same in processor time (user + system)", used, "version", "pass")
    for side, what in (("noop", "answered by the up-to-date stamp"), ("full", "the full path (no stamp)")):
        print(
            f"  {'no-op build of the full matrix (64 outputs)':<44} {t.median(side) * 1000:8.1f} ms "
            f"whole command, {used.median(side) * 1000:.1f} ms of processor time "
            f"({t.ratio(side, 'pass'):.1f}x a bare interpreter; target < 300 ms): {what}"
        )


def bench_workers(runs: int) -> None:
    """The full matrix with --force, -j 1 against -j 2."""
    with tempfile.TemporaryDirectory() as tmp:
        root = copy_project(Path(tmp))
        t = interleave(
            {
                "j1": lambda: run_build(root, "--force", "-j", "1"),
                "j2": lambda: run_build(root, "--force", "-j", "2"),
            },
            runs,
            warm=False,
        )
    print("workers (full matrix, 64 outputs, --force):")
    row("-j 1 vs -j 2 (the speed-up)", t, "j1", "j2", "(target >= 1.8x)")


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
    print("synthetic library (sample topic copied N times, 2 audiences, PDF + DOCX, -j 2):")
    for n in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp) / "p"
            root.mkdir()
            synthetic(root, n)
            start = time.perf_counter()
            process = subprocess.Popen(
                [*briefgen_command(), "-C", str(root), "build", "-j", "2"], stdout=subprocess.DEVNULL, env=ENV
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


def _pdf_in_process(root: Path, topic: str, audience: str) -> tuple[str, Callable[[], object]]:
    """Return the briefing as pandoc Markdown (for pandoc to convert as one command), and its
    PDF render in this process (WeasyPrint imported, its styles parsed: what no command escapes)."""
    from baselines import markdown

    from briefgen.assemble.tailor import assemble_for
    from briefgen.content.load import load_library
    from briefgen.project.config import load_project
    from briefgen.render.registry import RenderContext, get_renderer

    project = load_project(root)
    library, _ = load_library(project.content_dir, project.root)
    briefing = assemble_for(project.config, library, topic, audience)
    renderer, ctx = get_renderer("pdf"), RenderContext.for_project(project)
    return markdown(briefing), lambda: renderer.render(briefing, ctx)


# What a Word build cannot do without: the command line, the configuration and content
# models, the YAML reader, inline Markdown, syllables, python-docx; imported, nothing done.
WORD_IMPORTS = "import click, pydantic, yaml, markdown_it, pyphen, docx"


def _before(before: Path | None, root: Path, *args: str) -> list[str] | None:
    """Return the earlier briefgen's command (run from its source folder with python -m), if given."""
    if before is None:
        return None
    return [sys.executable, "-m", "briefgen", "-C", str(root), *args]


def _in(folder: Path | None, fn: Callable[[], object]) -> Callable[[], object]:
    """Return ``fn`` run with ``folder`` as the current folder (python -m imports from it)."""

    def run() -> object:
        here = os.getcwd()
        os.chdir(folder or here)
        try:
            return fn()
        finally:
            os.chdir(here)

    return run


def bench_one(
    runs: int, before: Path | None, topic: str = "border-security", audience: str = "policy"
) -> None:
    """One briefing in one format as a whole command, against pandoc converting the same text.

    The project's Word files get their contents numbered by LibreOffice (word.paginate:
    auto); pandoc's have an unnumbered contents field that Word fills, which is what
    ``word: {paginate: none}`` makes, so that is the like-for-like comparison.
    """
    exe = shutil.which("pandoc")
    if exe is None:
        print("one briefing: pandoc not installed")
        return
    # pandoc's WeasyPrint engine runs the `weasyprint` command: the one installed beside this Python.
    penv = {**ENV, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    with tempfile.TemporaryDirectory() as tmp:
        root = copy_project(Path(tmp))
        config = root / "briefgen.yaml"
        config.write_text(config.read_text() + "\nword: {paginate: none}\n")
        source = Path(tmp) / "briefing.md"
        text, render_pdf = _pdf_in_process(root, topic, audience)
        source.write_text(text, encoding="utf-8")
        one = ["build", "--topic", topic, "--audience", audience, "--force", "--format"]
        sides: dict[str, Callable[[], object]] = {
            "docx": command([*briefgen_command(), "-C", str(root), *one, "docx"]),
            "pandoc-docx": command([exe, "-s", "--toc", "-o", f"{tmp}/p.docx", str(source)]),
            "pdf": command([*briefgen_command(), "-C", str(root), *one, "pdf"]),
        }
        pandoc_pdf = [exe, "-s", "--toc", "-o", f"{tmp}/p.pdf", str(source), "--pdf-engine=weasyprint"]
        pandoc_pdf.append("--pdf-engine-opt=--pdf-variant=pdf/ua-1")
        sides["pandoc-pdf"] = lambda: subprocess.run(pandoc_pdf, check=True, capture_output=True, env=penv)
        # The floors: what any briefgen command must spend before and on the work itself.
        sides["word-imports"] = command([sys.executable, "-c", WORD_IMPORTS])
        sides["weasyprint-import"] = command([sys.executable, "-c", "import weasyprint"])
        sides["pdf-render"] = render_pdf
        for fmt in ("docx", "pdf"):
            old = _before(before, root, *one, fmt)
            if old is not None:
                sides[f"before-{fmt}"] = _in(before, command(old))
        t = interleave(sides, runs)
    t.runs["pdf-floor"] = [a + b for a, b in zip(t.runs["weasyprint-import"], t.runs["pdf-render"], strict=True)]
    print(f"one briefing ({topic} x {audience}), whole commands, interleaved, median of {runs}:")
    row("briefgen Word file vs pandoc md->docx", t, "docx", "pandoc-docx", "(target <= 2x)")
    row("  floor: the Word path's imports alone", t, "word-imports", "pandoc-docx", f"({WORD_IMPORTS[7:]})")
    row("briefgen PDF vs pandoc md->pdf (WeasyPrint)", t, "pdf", "pandoc-pdf", "(target <= 1.1x)")
    row("  floor: import WeasyPrint + warm render", t, "pdf-floor", "pandoc-pdf", "(render in this process)")
    row("  the command over its floor", t, "pdf", "pdf-floor")
    for fmt in ("docx", "pdf") if before else ():
        row(f"  {fmt}: this build vs the earlier briefgen", t, fmt, f"before-{fmt}")


def bench_matrix(runs: int, before: Path | None) -> None:
    """The full matrix (--force, the project's settings), against the earlier briefgen if given."""
    if before is None:
        print("full matrix: no earlier briefgen given (--before)")
        return
    with tempfile.TemporaryDirectory() as tmp:
        root = copy_project(Path(tmp))
        old = _before(before, root, "build", "--force")
        assert old is not None
        t = interleave(
            {
                "now": command([*briefgen_command(), "-C", str(root), "build", "--force"]),
                "before": _in(before, command(old)),
            },
            runs,
            warm=False,
        )
    print(f"full matrix (64 outputs, --force), interleaved, median of {runs}:")
    row("this build vs the earlier briefgen", t, "now", "before", "(target <= 1x)")

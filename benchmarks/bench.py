"""Measure briefgen against baselines doing the same work, in one run; print medians and ratios.

    python benchmarks/bench.py                 # everything but the synthetic library (~10 minutes on 2 cores)
    python benchmarks/bench.py --only pdf,docx,typst,pandoc,notes,fixed,workers,scale,one,matrix
    python benchmarks/bench.py --only one,matrix --before DIR   # DIR: an earlier briefgen's source

Every ratio compares runs interleaved in the same process (or the same run of
subprocesses), round by round, so machine noise hits both sides alike; the spread of
the round-by-round ratios says how noisy the machine was. Not a test: nothing here
asserts; it reports. Needs `pip install -e ".[bench]"` (Typst) and pandoc on the PATH.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import commands  # noqa: E402
from baselines import (  # noqa: E402
    PANDOC_PDF,
    TypstBaseline,
    chart_svg,
    markdown,
    pandoc,
    raw_python_docx,
    weasyprint_linked,
    weasyprint_same_work,
)
from timing import Timings, interleave, row  # noqa: E402

from briefgen.assemble.briefing import Briefing  # noqa: E402
from briefgen.assemble.tailor import assemble_for  # noqa: E402
from briefgen.content.load import load_library  # noqa: E402
from briefgen.project.config import load_project  # noqa: E402
from briefgen.render.chart import svg_to_png  # noqa: E402
from briefgen.render.html.document import render_html  # noqa: E402
from briefgen.render.pdf.fetcher import base_url  # noqa: E402
from briefgen.render.pdf.renderer import shared_styles  # noqa: E402
from briefgen.render.registry import RenderContext, get_renderer  # noqa: E402

TOPIC = "border-security"  # the policy briefing of this topic is the README's example
FONTS = REPO / "templates" / "fonts"


class Env:
    """The bundled project, loaded once: its context and every assembled briefing."""

    def __init__(self) -> None:
        self.project = load_project(REPO)
        library, _ = load_library(self.project.content_dir, self.project.root)
        self.ctx = RenderContext.for_project(self.project)
        self.briefings = {
            (t, a): assemble_for(self.project.config, library, t, a)
            for t in sorted(library.topics)
            for a in sorted(library.audiences)
        }

    def policy(self) -> list[Briefing]:
        """Return every topic's policy briefing (the longest audience: full depth, footnotes)."""
        return [b for (_, a), b in self.briefings.items() if a == "policy"]


def docx_fresh(ctx: RenderContext) -> Callable[[Briefing], object]:
    """Return briefgen's Word render with the chart raster cache cleared: the first render of a document."""
    renderer = get_renderer("docx")

    def render(briefing: Briefing) -> object:
        svg_to_png.cache_clear()
        return renderer.render(briefing, ctx)

    return render


def bench_pdf(env: Env, runs: int) -> None:
    ctx, b = env.ctx, env.briefings[(TOPIC, "policy")]
    renderer, styles, url = get_renderer("pdf"), shared_styles(ctx), base_url(ctx.dirs)

    def same(tagged: bool = True) -> object:
        html = render_html(b, ctx, styles="shared")
        return weasyprint_same_work(html, url, styles.sheets, styles.font_config, tagged=tagged)

    t = interleave(
        {
            "briefgen": lambda: renderer.render(b, ctx),
            "same": same,
            "untagged": lambda: same(tagged=False),
            "linked": lambda: weasyprint_linked(render_html(b, ctx), url),
        },
        runs,
    )
    pages = renderer.render(b, ctx).pages
    print(f"PDF, {TOPIC}/policy ({pages} pages, {len(b.notes)} footnotes), median of {runs}:")
    row("briefgen vs one WeasyPrint call, same work", t, "briefgen", "same", "(tagged, styles parsed once)")
    row("briefgen vs WeasyPrint as documented", t, "briefgen", "linked", "(tagged, styles parsed per call)")
    cost = statistics.median(a - b for a, b in zip(t.runs["same"], t.runs["untagged"], strict=True))
    print(
        f"  {'PDF/UA tagging (same call, tagged - untagged)':<44} {cost * 1000:8.1f} ms a document, "
        f"{cost / t.median('same'):.0%} of it ({t.spread('same', 'untagged')})"
    )
    tagging(b, ctx, runs)
    phases(b, ctx, runs)


def tagging(b: Briefing, ctx: RenderContext, runs: int) -> None:
    """Time drawing one laid-out document tagged and untagged: the tags' cost without layout's noise."""
    from weasyprint import HTML

    styles = shared_styles(ctx)
    html = render_html(b, ctx, styles="shared")
    document = HTML(string=html, base_url=base_url(ctx.dirs)).render(
        stylesheets=styles.sheets, font_config=styles.font_config
    )
    t = interleave(
        {"tagged": partial(document.write_pdf, pdf_variant="pdf/ua-1"), "untagged": document.write_pdf}, runs
    )
    cost = statistics.median(a - b for a, b in zip(t.runs["tagged"], t.runs["untagged"], strict=True))
    row(
        "drawing the laid-out PDF, tagged vs untagged", t, "tagged", "untagged", f"tags: {cost * 1000:.0f} ms"
    )


def phases(b: Briefing, ctx: RenderContext, runs: int) -> None:
    """Split one render into HTML (Jinja), WeasyPrint layout, and drawing the PDF; time font subsetting."""
    import weasyprint.pdf.fonts as fonts
    from weasyprint import HTML

    styles, url = shared_styles(ctx), base_url(ctx.dirs)
    spent: dict[str, list[float]] = {"html": [], "layout": [], "pdf": [], "subset": []}
    original = fonts.Font.subset

    def timed_subset(self: Any, *args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return original(self, *args, **kwargs)
        finally:
            spent["subset"][-1] += time.perf_counter() - start

    fonts.Font.subset = timed_subset
    try:
        for _ in range(runs):
            spent["subset"].append(0.0)
            start = time.perf_counter()
            html = render_html(b, ctx, styles="shared")
            laid = time.perf_counter()
            document = HTML(string=html, base_url=url).render(
                stylesheets=styles.sheets, font_config=styles.font_config
            )
            drawn = time.perf_counter()
            document.write_pdf(pdf_variant="pdf/ua-1")
            done = time.perf_counter()
            spent["html"].append(laid - start)
            spent["layout"].append(drawn - laid)
            spent["pdf"].append(done - drawn)
    finally:
        fonts.Font.subset = original
    total = sum(statistics.median(spent[k]) for k in ("html", "layout", "pdf"))
    shares = ", ".join(
        f"{k} {statistics.median(v) * 1000:.0f} ms ({statistics.median(v) / total:.1%})"
        for k, v in spent.items()
    )
    subsetter = "HarfBuzz" if fonts.harfbuzz_subset is not None else "fontTools"
    print(f"  {'where a render goes (' + subsetter + ' subsetting)':<44} {shares}")
    print(
        "    (html: Jinja; layout: WeasyPrint parse and layout; pdf: drawing, tags, fonts, "
        "within which subset is font subsetting)"
    )


def bench_subset(env: Env, runs: int) -> None:
    """What HarfBuzz's subsetter (Debian's libharfbuzz-subset0) saves over fontTools."""
    import logging

    import weasyprint.pdf.fonts as fonts

    if fonts.harfbuzz_subset is None:
        print("font subsetting: libharfbuzz-subset0 not installed; WeasyPrint uses fontTools")
        return
    ctx, b, renderer = env.ctx, env.briefings[(TOPIC, "policy")], get_renderer("pdf")
    harfbuzz = fonts.harfbuzz_subset
    logging.getLogger("fontTools").setLevel(logging.ERROR)  # a warning per subset font: noise here

    def with_fonttools() -> object:
        fonts.harfbuzz_subset = None
        try:
            return renderer.render(b, ctx)
        finally:
            fonts.harfbuzz_subset = harfbuzz

    t = interleave({"harfbuzz": lambda: renderer.render(b, ctx), "fonttools": with_fonttools}, runs)
    row("PDF with HarfBuzz vs fontTools subsetting", t, "harfbuzz", "fonttools")


def bench_docx(env: Env, runs: int) -> None:
    ctx, b = env.ctx, env.briefings[(TOPIC, "policy")]
    ours = docx_fresh(ctx)
    t = interleave({"briefgen": lambda: ours(b), "raw": lambda: raw_python_docx(b, ctx)}, runs)
    print(
        f"Word, {TOPIC}/policy, median of {runs} (both draw and rasterise the chart, both write real footnotes):"
    )
    row("briefgen vs python-docx's own calls", t, "briefgen", "raw")


def bench_typst(env: Env) -> None:
    """Typst against briefgen's PDF renderer, each compiling every policy briefing for the first time."""
    ctx, renderer = env.ctx, get_renderer("pdf")
    typst = TypstBaseline(FONTS)
    # Fonts, styles, templates: loaded once per process, with a cover-only briefing that shares
    # no body text with the measured ones (Typst caches layout by content, across documents).
    warm = dataclasses.replace(env.briefings[(TOPIC, "executive")], parts=(), notes=(), summary=())
    renderer.render(warm, ctx), typst.compile(warm, ctx)
    docs = env.policy()
    t = Timings({})
    pages = []
    for b in docs:
        out = t.add(
            {
                "briefgen": partial(renderer.render, b, ctx),
                "typst": partial(typst.compile, b, ctx),
                "again": partial(typst.compile, b, ctx),
            }
        )
        pages.append((out["briefgen"].pages, _pdf_pages(out["typst"])))  # type: ignore[attr-defined]
    print(
        f"Typst ({len(docs)} policy briefings, each compiled once for the first time; tagged PDF/UA-1 both):"
    )
    row(
        "briefgen PDF vs Typst",
        t,
        "briefgen",
        "typst",
        f"Typst is {1 / t.ratio('typst', 'briefgen'):.0f}x faster",
    )
    row("Typst recompiling the same document vs first", t, "again", "typst")
    print(f"  pages (briefgen, Typst) per briefing: {pages}")


def _pdf_pages(pdf: object) -> int:
    import io

    import pypdf

    assert isinstance(pdf, bytes)
    return len(pypdf.PdfReader(io.BytesIO(pdf)).pages)


def bench_pandoc(env: Env) -> None:
    """pandoc, one subprocess per document as pandoc users run it, on every policy briefing."""
    exe = shutil.which("pandoc")
    if exe is None:
        print("pandoc: not installed (apt-get install -y --no-install-recommends pandoc)")
        return
    ctx, pdf = env.ctx, get_renderer("pdf")
    word = docx_fresh(ctx)
    # pandoc's WeasyPrint engine runs the `weasyprint` command: the one installed beside this Python.
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    penv = {**os.environ, "PATH": path}
    with tempfile.TemporaryDirectory() as tmp:
        sources = []
        for i, b in enumerate(env.policy()):
            chart = next((p.chart for p in b.parts if p.chart), None)
            png = None
            if chart:  # drawn for pandoc outside its timing: a head start briefgen does not get
                png = f"chart-{i}.png"
                (Path(tmp) / png).write_bytes(svg_to_png(chart_svg(chart, ctx)))
            source = Path(tmp) / f"{i}.md"
            source.write_text(markdown(b, png), encoding="utf-8")
            sources.append((b, source))
        t = Timings({})
        for b, source in sources:
            t.add(
                {
                    "docx": partial(word, b),
                    "pandoc-docx": partial(pandoc, exe, source, source.with_suffix(".docx"), env=penv),
                    "pdf": partial(pdf.render, b, ctx),
                    "pandoc-pdf": partial(
                        pandoc, exe, source, source.with_suffix(".pdf"), *PANDOC_PDF, env=penv
                    ),
                }
            )
    print(f"pandoc ({len(sources)} policy briefings, one pandoc process each):")
    row(
        "briefgen Word vs pandoc md->docx",
        t,
        "docx",
        "pandoc-docx",
        f"briefgen is {1 / t.ratio('docx', 'pandoc-docx'):.1f}x faster",
    )
    row(
        "briefgen PDF vs pandoc md->pdf (WeasyPrint)",
        t,
        "pdf",
        "pandoc-pdf",
        f"briefgen is {1 / t.ratio('pdf', 'pandoc-pdf'):.1f}x faster",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="fixed,pdf,subset,docx,typst,pandoc,notes,workers")
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--sizes", default="25,50,100,200")
    parser.add_argument(
        "--before", type=Path, help="a folder holding an earlier briefgen package, to compare commands with"
    )
    args = parser.parse_args()
    only = set(args.only.split(","))
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"briefgen benchmark: {os.cpu_count()} cores, load average {load:.1f} at the start, "
        f"Python {sys.version.split()[0]}"
    )
    if "fixed" in only:
        commands.bench_fixed(args.runs)
    env = Env() if only & {"pdf", "subset", "docx", "typst", "pandoc", "notes"} else None
    if env and "pdf" in only:
        bench_pdf(env, args.runs)
    if env and "subset" in only:
        bench_subset(env, max(3, args.runs // 3))
    if env and "docx" in only:
        bench_docx(env, args.runs)
    if env and "typst" in only:
        bench_typst(env)
    if env and "pandoc" in only:
        bench_pandoc(env)
    if env and "notes" in only:
        from notes import bench_notes

        bench_notes(env.ctx, env.briefings[(TOPIC, "policy")], args.runs)
    if "workers" in only:
        commands.bench_workers(max(1, args.runs // 3))
    if "one" in only:
        commands.bench_one(args.runs, args.before)
    if "matrix" in only:
        commands.bench_matrix(max(1, args.runs // 3), args.before)
    if "scale" in only:
        commands.bench_scale([int(s) for s in args.sizes.split(",")])


if __name__ == "__main__":
    main()

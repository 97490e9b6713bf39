"""Time `briefgen ingest` of a generated 10-page PDF against plain text extraction of the same PDF.

    python benchmarks/ingest.py [--runs 7]

Prints the median time to read the PDF into sections (pypdfium2), to draft the source
record and the topic from it, and, interleaved in the same process, pdfplumber's
``extract_text`` of every page as a baseline (what a hand-written reader would start from).
Target: the whole ingest in a few seconds. Not a test: nothing here asserts.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from briefgen.content.model import Library  # noqa: E402
from briefgen.ingest.draft import draft_source  # noqa: E402
from briefgen.ingest.readers import read_document  # noqa: E402
from briefgen.ingest.topic import draft_topic  # noqa: E402


def make_pdf(path: Path, pages: int = 10) -> None:
    """Print a report of about ``pages`` A4 pages with headings, bullets, a running header and page numbers."""
    import weasyprint

    body = []
    for s in range(1, 2 * pages + 1):
        body.append(f"<h2>Section {s}: Patrols in Region {s}</h2>")
        for p in range(4):
            body.append(
                f"<p>In {2000 + s} the mission deployed more than {1000 + 10 * s + p} troops along a "
                f"{100 + s} kilometre border. The African Union (AU) coordinated the effort with partners "
                "in the region, and patrols met village leaders every week to report on the ceasefire. "
                "Police officers trained by the mission took over the checkpoints in the spring.</p>"
            )
        body.append("<ul><li>Monitoring of ceasefires</li><li>Training of police officers</li></ul>")
    # The shipped fonts, so the timing does not depend on which system fonts are installed.
    css = (
        "@font-face { font-family: 'Noto Serif'; src: url(NotoSerif-Regular.ttf) }"
        " @font-face { font-family: 'Noto Serif'; font-weight: bold; src: url(NotoSerif-Bold.ttf) }"
        " @page { size: A4; margin: 25mm; @top-center { content: 'Border Review - Draft'; font-size: 9pt }"
        " @bottom-center { content: 'Page ' counter(page) ' of ' counter(pages); font-size: 9pt } }"
        " body { font: 11pt 'Noto Serif' } h1 { font-size: 22pt } h2 { font-size: 15pt }"
    )
    html = f"<html><head><style>{css}</style></head><body><h1>Border Review</h1>{''.join(body)}</body></html>"
    fonts = HERE.parent / "templates" / "fonts"
    weasyprint.HTML(string=html, base_url=str(fonts) + "/").write_pdf(str(path))


def ingest(path: Path) -> int:
    """Read, draft the source and draft the topic; return the statements drafted."""
    doc = read_document(path)
    source = draft_source(path, doc=doc)
    topic = draft_topic("bench", source.title, [(source, doc)], Library())
    return sum(len(s.points) for s in topic.sections)


def plain_text(path: Path) -> int:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return sum(len(page.extract_text() or "") for page in pdf.pages)


def median_pair(a: Callable[[], object], b: Callable[[], object], runs: int) -> tuple[float, float]:
    times_a, times_b = [], []
    for _ in range(runs):
        for fn, times in ((a, times_a), (b, times_b)):
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
    return statistics.median(times_a), statistics.median(times_b)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        pdf = Path(folder) / "report.pdf"
        make_pdf(pdf)
        import pypdfium2

        pages = len(pypdfium2.PdfDocument(pdf))
        ingest(pdf)  # warm up: imports, country names
        ours, baseline = median_pair(lambda: ingest(pdf), lambda: plain_text(pdf), args.runs)
        read = statistics.median(_time(lambda: read_document(pdf)) for _ in range(args.runs))
    print(f"{pages}-page PDF, medians of {args.runs} runs")
    print(f"  read into sections (pypdfium2)            {read:6.2f} s")
    print(f"  whole ingest (read, source, topic draft)  {ours:6.2f} s")
    print(f"  pdfplumber extract_text, every page       {baseline:6.2f} s")
    print(f"  ingest / plain extraction                 {ours / baseline:6.2f}x")


def _time(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


if __name__ == "__main__":
    main()

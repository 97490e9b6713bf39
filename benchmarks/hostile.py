"""How fast the guards refuse hostile input, against reading or rendering honest input of the same stage.

    python benchmarks/hostile.py [--runs 5]

The hostile tests (tests/hostile) assert *that* each guard stops its input and what it
says; how quickly it does so is a claim about time, so it lives here, where it is measured
as a ratio against a baseline timed in the same rounds (benchmarks/timing.py), never in
the suite, which must pass on a loaded machine.

Baselines: for YAML, reading the largest bundled topic file; for PDF layout, rendering a
one-page document through the same guarded ``html_to_pdf``. A guard is doing its job when
the hostile case costs a small multiple of the honest one, not the seconds or minutes the
unguarded library would spend. Not a test: nothing here asserts.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from benchmarks.timing import interleave  # noqa: E402
from briefgen.content.yamlread import MAX_BYTES, read_yaml  # noqa: E402
from briefgen.errors import BriefgenError  # noqa: E402
from briefgen.project.searchpath import TemplateDirs  # noqa: E402
from briefgen.render.pdf.renderer import html_to_pdf  # noqa: E402

REPO = HERE.parent


def refused(action: Callable[[], object]) -> Callable[[], object]:
    """Wrap ``action`` so that the refusal it must end in is part of the timing."""

    def run() -> object:
        try:
            action()
        except BriefgenError as exc:
            return str(exc)
        raise SystemExit(f"{action} was not refused: the guard is gone")

    return run


def yaml_cases(folder: Path) -> dict[str, Callable[[], object]]:
    """Return the YAML sides: the honest baseline first, then each hostile file's read."""
    topics = sorted((REPO / "content" / "topics").glob("*.yaml"), key=lambda p: p.stat().st_size)
    files = {
        "100k-digit number": "a: " + "9" * 100_000 + "\n",
        "200k values": "a:\n" + "- 1\n" * 200_000,
        "4 MiB file": 'a: "' + "x" * (4 * 1024 * 1024) + '"\n',
    }
    sides: dict[str, Callable[[], object]] = {"bundled topic (baseline)": lambda: read_yaml(topics[-1])}
    for name, text in files.items():
        path = folder / (name.replace(" ", "-") + ".yaml")
        path.write_text(text, encoding="utf-8")
        sides[name] = refused(lambda path=path: read_yaml(path))
    huge = folder / "huge-string.yaml"
    huge.write_bytes(b"a: " + b"word " * (MAX_BYTES // 6) + b"\n")
    sides["1.7 MB string, allowed"] = lambda: read_yaml(huge)
    return sides


def pdf_cases(folder: Path) -> dict[str, Callable[[], object]]:
    """Return the PDF sides: a one-page document, then inputs the layout guard refuses."""
    dirs = TemplateDirs((folder.resolve(),))

    def pdf(html: str) -> Callable[[], object]:
        return lambda: html_to_pdf('<html lang="en">' + html, dirs)

    return {
        "one page (baseline)": pdf("<h1>Title</h1>" + "<p>An honest paragraph of text.</p>" * 20),
        "20k nested elements": refused(pdf("<div>" * 20_000 + "x" + "</div>" * 20_000)),
        "30k page breaks": refused(pdf('<p style="break-after: page">x</p>' * 30_000)),
        "2.5 MB of text": refused(pdf("<p>" + "word " * 500_000 + "</p>")),
        "font-size 1e9px": refused(pdf('<p style="font-size: 1e9px">x</p>')),
    }


def report(title: str, sides: dict[str, Callable[[], object]], runs: int) -> None:
    """Time ``sides`` interleaved and print each against the first."""
    timings = interleave(sides, runs)
    base = next(iter(sides))
    print(f"\n{title} (median of {runs}, interleaved)")
    for name in sides:
        ratio = "" if name == base else f"  {timings.ratio(name, base):6.2f}x  ({timings.spread(name, base)})"
        print(f"  {name:28s} {timings.median(name) * 1000:8.1f} ms{ratio}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        report("YAML guards vs reading a bundled topic", yaml_cases(Path(tmp)), args.runs)
        report("PDF layout guards vs a one-page render", pdf_cases(Path(tmp)), args.runs)


if __name__ == "__main__":
    main()

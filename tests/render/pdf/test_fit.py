"""Fitting a body to its page budget, and counting body pages whichever part runs long."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pdfplumber
import pytest

from briefgen.assemble.briefing import Briefing
from briefgen.assemble.fit import Cut, apply_cut, cut_order
from briefgen.assemble.markup import plain
from briefgen.assemble.tailor import assemble
from briefgen.content.load import load_library
from briefgen.errors import RenderError
from briefgen.project.config import load_project
from briefgen.render.pdf.renderer import PdfRenderer
from briefgen.render.registry import RenderContext

FILLER = (
    "relief agencies that plan together share depots, trucks and staff, and they agree in advance who "
    "moves first when a harbour closes or a valley road is cut by floods in the rainy season"
)


def statement(label: str, level: str = "key") -> str:
    """Return one YAML statement, about fifty words, that names itself ("D-03") for finding it."""
    return f"        - text: {label} holds that {FILLER}.\n          cite: relief#agencies\n          level: {level}\n"


def overlong_topic(
    project: Path, *, key: int = 8, detail: int = 8, bullets: int = 6, first_long: int = 0
) -> None:
    """Write topic 'overlong': a bottom line, a long analysis (key and detail points), recommendations.

    ``first_long`` puts that many long points in the first part instead (for page counting).
    """
    bluf = "".join(statement(f"B-{i:02d}") for i in range(1, 3 + first_long))
    analysis = "".join(statement(f"K-{i:02d}") for i in range(1, key + 1))
    analysis += "".join(statement(f"D-{i:02d}", "detail") for i in range(1, detail + 1))
    recommendations = "".join(statement(f"R-{i:02d}") for i in range(1, bullets + 1))
    (project / "content" / "topics" / "overlong.yaml").write_text(
        "topic:\n  id: overlong\n  title: An Overlong Topic\n  sources: [relief]\n  sections:\n"
        f"    - kind: bluf\n      title: Bottom line\n      form: bullets\n      points:\n{bluf}"
        f"    - kind: analysis\n      title: Long analysis\n      points:\n{analysis}"
        f"    - kind: recommendations\n      title: Recommendations\n      form: bullets\n      points:\n"
        f"{recommendations}"
    )
    audiences = project / "content" / "audiences.yaml"
    audiences.write_text(
        audiences.read_text()
        + "  - id: tight\n    title: Tight readers\n    purpose: Read two pages.\n    depth: detailed\n"
        "    page_budget: 2\n    include: {contents: false}\n    sections:\n"
        "      - {kind: bluf, heading: Bottom line, style: callout, form: bullets}\n"
        "      - {kind: analysis, heading: Analysis}\n"
        "      - {kind: recommendations, heading: Recommendations, form: bullets}\n"
        "  - id: roomy\n    title: Roomy readers\n    purpose: Read it all.\n    depth: detailed\n"
        "    include: {contents: false}\n    sections:\n"
        "      - {kind: bluf, heading: Bottom line, form: bullets}\n"
        "      - {kind: analysis, heading: Analysis}\n"
        "      - {kind: recommendations, heading: Recommendations, form: bullets}\n"
    )


def make(project: Path, audience: str) -> tuple[Briefing, RenderContext]:
    proj = load_project(project)
    library, _ = load_library(proj.content_dir, proj.root)
    briefing = assemble(library, "overlong", audience, author="x", default_date=dt.date(2026, 1, 1))
    return briefing, RenderContext.for_project(proj)


def labels(briefing: Briefing) -> list[str]:
    return [plain(p.spans).split()[0] for part in briefing.parts for p in part.paragraphs]


def test_cut_order_takes_detail_lowest_first_then_caps_the_longest_lists(sample: Path) -> None:
    overlong_topic(sample, key=3, detail=3, bullets=4)
    briefing, _ = make(sample, "tight")
    order = cut_order(briefing.parts)
    by_ref = {p.ref: plain(p.spans).split()[0] for part in briefing.parts for p in part.paragraphs}
    named = [by_ref[ref] for ref in order]
    # Detail first, the last first; then the longest list loses its last point (of equal
    # lists, the later one), until each part keeps one statement.
    assert named == ["D-03", "D-02", "D-01", "R-04", "R-03", "K-03", "R-02", "K-02", "B-02"]
    left = apply_cut(briefing, Cut(order))
    assert [len(part.paragraphs) for part in left.parts] == [1, 1, 1]
    assert labels(left) == ["B-01", "K-01", "R-01"]
    # Notes and sources follow the cut: numbered again from 1, in reading order.
    assert [n.number for n in left.notes] == list(range(1, len(left.notes) + 1))


@pytest.mark.parametrize(("key", "detail", "bullets"), [(8, 8, 6), (14, 4, 10)])
def test_an_overlong_body_gets_the_smallest_cut_that_fits_its_budget(
    sample: Path, key: int, detail: int, bullets: int
) -> None:
    # Once a little over (detail statements suffice), once far over (lists are capped too).
    overlong_topic(sample, key=key, detail=detail, bullets=bullets)
    briefing, ctx = make(sample, "tight")
    rendered = PdfRenderer().render(briefing, ctx)
    layout = rendered.layout
    assert layout is not None and layout.cut is not None and layout.cut.dropped
    assert rendered.body_pages is not None and rendered.body_pages <= 2
    # The smallest: one statement fewer cut does not fit.
    order = cut_order(briefing.parts)
    n = len(layout.cut.dropped)
    assert layout.cut.dropped == order[:n]
    unfitted = dataclasses.replace(apply_cut(briefing, Cut(order[: n - 1])), page_budget=None)
    fewer = PdfRenderer().layout(unfitted, ctx)
    assert fewer.body_pages is not None and fewer.body_pages > 2
    # Detail statements go first, all of them before any key statement.
    details = {p.ref for part in briefing.parts for p in part.paragraphs if not p.key}
    assert len(details) == detail and set(order[:detail]) == details
    if n > detail:  # far over: then the longest list (the analysis) lost its last points
        shown = labels(apply_cut(briefing, layout.cut))
        assert "B-01" in shown and "K-01" in shown and "R-01" in shown
        assert f"K-{key:02d}" not in shown and "B-02" in shown


def test_a_body_that_cannot_fit_fails_or_warns_as_its_profile_says(sample: Path) -> None:
    overlong_topic(sample, key=1, detail=0, bullets=1)
    audiences = sample / "content" / "audiences.yaml"
    # A title page's worth of wording per part, and a budget no cut can meet.
    text = audiences.read_text().replace("    page_budget: 2\n", "    page_budget: 1\n")
    audiences.write_text(text)
    topic = sample / "content" / "topics" / "overlong.yaml"
    topic.write_text(topic.read_text().replace(FILLER, " ".join([FILLER] * 12)))
    briefing, ctx = make(sample, "tight")
    with pytest.raises(RenderError) as info:
        PdfRenderer().render(briefing, ctx)
    message = str(info.value)
    assert "over the 1-page budget of audience 'tight'" in message
    assert "raise page_budget, or set over_budget: warn" in message
    audiences.write_text(text.replace("page_budget: 1\n", "page_budget: 1\n    over_budget: warn\n"))
    briefing, ctx = make(sample, "tight")
    rendered = PdfRenderer().render(briefing, ctx)
    assert rendered.body_pages is not None and rendered.body_pages > 1
    assert rendered.layout is not None and rendered.layout.cut == Cut(cut_order(briefing.parts))


def test_body_pages_are_counted_when_the_first_part_is_the_long_one(sample: Path, tmp_path: Path) -> None:
    overlong_topic(sample, key=1, detail=0, bullets=1, first_long=50)
    briefing, ctx = make(sample, "roomy")
    rendered = PdfRenderer().render(briefing, ctx)
    path = tmp_path / "long.pdf"
    path.write_bytes(rendered.data)
    with pdfplumber.open(path) as pdf:
        texts = [page.extract_text() or "" for page in pdf.pages]
    first = next(i for i, t in enumerate(texts) if "B-01" in t)
    last = max(i for i, t in enumerate(texts) if "R-01" in t)
    assert last - first + 1 >= 4  # the bottom line alone runs over several pages
    assert rendered.body_pages == last - first + 1


def test_a_budget_is_met_when_the_first_part_is_the_long_one(sample: Path, tmp_path: Path) -> None:
    # The bottom line runs over pages on its own: the count starts at its first page, and the
    # cut takes from it (the longest list) until the body, read back, fits the two pages.
    overlong_topic(sample, key=1, detail=0, bullets=1, first_long=40)
    briefing, ctx = make(sample, "tight")
    rendered = PdfRenderer().render(briefing, ctx)
    assert rendered.layout is not None and rendered.layout.cut is not None and rendered.layout.cut.dropped
    path = tmp_path / "tight.pdf"
    path.write_bytes(rendered.data)
    with pdfplumber.open(path) as pdf:
        texts = [page.extract_text() or "" for page in pdf.pages]
    first = next(i for i, t in enumerate(texts) if "B-01" in t)
    last = max(i for i, t in enumerate(texts) if "R-01" in t)
    assert rendered.body_pages == last - first + 1 <= 2
    shown = labels(apply_cut(briefing, rendered.layout.cut))
    assert "B-01" in shown and "K-01" in shown and "R-01" in shown and "B-42" not in shown

"""Registers, analytic labels, readability and the date of the information, as a Briefing carries them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from briefgen.assemble.briefing import SourceRef
from briefgen.assemble.furniture import information_row
from briefgen.assemble.markup import plain
from briefgen.assemble.readability import counts, reading_ease, syllables
from briefgen.assemble.standards import lead, statement_spans
from briefgen.assemble.tailor import assemble
from briefgen.commands.validate import check_project
from briefgen.content.load import load_library
from briefgen.content.model import Statement
from briefgen.project.config import load_project


def test_flesch_reading_ease_counts_offline() -> None:
    assert syllables("cat") == 1 and syllables("peacekeeping") == 3 and syllables("organization") == 5
    assert counts("The cat sat. It was happy! Cross-border aid, e.g. in Mali, costs 15,000.") == (3, 14, 17)
    # 206.835 - 1.015 x 6 words per sentence - 84.6 x 1 syllable per word
    assert reading_ease(["The cat sat on the mat."]) == 116.1
    plain_words = "Peacekeepers help keep borders calm. They watch over ceasefires."
    hard_words = (
        "Peacekeeping organizations consolidate multidimensional stabilization mandates internationally."
    )
    assert (reading_ease([plain_words]) or 0) > 60 > (reading_ease([hard_words]) or 0)
    assert reading_ease([]) is None


def test_labels_follow_the_estimative_standards() -> None:
    judgment = Statement(text="Trust matters.", confidence="moderate")
    assert lead(judgment) == "Moderate confidence"
    risk = Statement(text="Borders stay porous.", likelihood="very-likely", impact="high")
    assert lead(risk) == "Very likely (80–95%), high impact"  # ICD 203's term and range
    assert lead(Statement(text="x", likelihood="even-chance")) == "Roughly even chance (45–55%)"
    assert lead(Statement(text="x", impact="low")) == "Low impact"
    option = Statement(
        text="**Lead with people**.", gains="Faster response", costs="Money.", brief="People first."
    )
    full, _ = statement_spans(option, "default")
    assert plain(full) == "Lead with people. Gains: Faster response. Costs: Money."
    one_line, fell_back = statement_spans(option, "brief")
    assert plain(one_line) == "People first." and not fell_back  # the one line states the trade-off itself
    owned, fell_back = statement_spans(Statement(text="Train staff.", owner="Defence ministries"), "plain")
    assert plain(owned) == "Train staff. Owner: Defence ministries." and fell_back
    assert owned[-1].italic


def test_the_information_date_is_stated_honestly() -> None:
    undated = SourceRef("a", "A", "a.txt", ())
    dated = SourceRef("b", "B", "b.txt", (), issued=dt.date(2025, 3, 3))
    later = SourceRef("c", "C", "c.txt", (), issued=dt.date(2026, 5, 9))
    assert (
        information_row((undated,), "1 November 2026").value
        == "Sources undated; content as of 1 November 2026"
    )
    assert (
        information_row((dated, later, undated), "").value
        == "Sources dated 3 March 2025 to 9 May 2026 (1 undated)"
    )
    assert information_row((), "1 May 2026").value == "No sources cited; content as of 1 May 2026"


def read_plain(project: Path, target: int | None = None) -> None:
    """Make the sample's field audience read plain wording (which its statements lack)."""
    audiences = project / "content" / "audiences.yaml"
    extra = "    register: plain\n" + (f"    reading_ease: {target}\n" if target is not None else "")
    audiences.write_text(
        audiences.read_text().replace("    depth: detailed\n", "    depth: detailed\n" + extra)
    )


def test_a_missing_variant_falls_back_to_the_default_and_is_counted(sample: Path) -> None:
    read_plain(sample)
    library, _ = load_library(sample / "content", sample)
    field = assemble(library, "relief", "field", author="x", default_date=None)
    shown = sum(len(part.paragraphs) for part in field.parts)
    assert len(field.fallbacks) == shown + 2  # every statement, the summary and a section intro
    assert all(str(where).startswith("content/topics/relief.yaml:") for where in field.fallbacks)
    assert field.parts[0].paragraphs[0].spans[1].text == "single biggest"  # the default wording, as is


def test_validate_and_build_report_fallbacks_and_readability_below_target(
    sample: Path, cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    read_plain(sample, target=95)
    found = check_project(load_project(sample))
    assert not found.errors
    warnings = [str(p) for p in found.problems]
    fallbacks = [w for w in warnings if "no 'plain' wording, which audience 'field' reads" in w]
    assert len(fallbacks) == 9 and all(w.startswith("content/topics/relief.yaml:") for w in fallbacks)
    (low,) = [w for w in warnings if "Flesch reading ease" in w]
    assert low.startswith("content/topics/relief.yaml:") and "below its audience's target of 95" in low
    result = cli(sample, "validate")
    assert result.exit_code == 0, result.output  # warnings do not make a project invalid
    assert "target 95: 1 of 1 below" in result.output and "fallbacks 9" in result.output
    result = cli(sample, "build", "--audience", "field", "--format", "pdf")
    assert result.exit_code == 0
    assert "9 of 9 texts in the 'field' briefing of 'relief' have no 'plain' wording" in result.output
    assert "warning relief/field.pdf: content/topics/relief.yaml:" in result.output
    assert "have no 'plain' wording, so the default wording is shown" in result.output
    assert (
        "below its audience's target of 95; hardest statements: content/topics/relief.yaml:" in result.output
    )
    table = result.output.split("readability by audience")[1].splitlines()
    (row,) = [line for line in table if line.strip().startswith("field")]
    assert "target 95: 1 of 1 below" in row and "fallbacks 9" in row

"""Assembly: the same topic differs by audience exactly as the profiles say."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from briefgen.assemble.markup import plain
from briefgen.assemble.tailor import assemble
from briefgen.content.load import load_library


def briefings(project: Path):  # type: ignore[no-untyped-def]
    library, _ = load_library(project / "content", project)
    make = lambda a: assemble(library, "relief", a, author="Cell", default_date=dt.date(2026, 1, 1))  # noqa: E731
    return library, make("exec"), make("field")


def texts(briefing) -> list[str]:  # type: ignore[no-untyped-def]
    return [plain(p.spans) for part in briefing.parts for p in part.paragraphs]


def test_summary_depth_keeps_key_points_only(sample: Path) -> None:
    _, exec_, field = briefings(sample)
    assert "Shared depots cut delivery times." in texts(field)
    assert "Shared depots cut delivery times." not in texts(exec_)
    assert all(p.key for part in exec_.parts for p in part.paragraphs)


def test_order_and_headings_follow_the_profile(sample: Path) -> None:
    _, exec_, field = briefings(sample)
    assert exec_.headings == (
        (1, "1", "Bottom line up front"),
        (1, "2", "Key points"),
        (2, "2.1", "Depots and supply"),
        (2, "2.2", "Staff and training"),
    )
    assert [h for _, _, h in field.headings] == [
        "Bottom line up front",
        "History of relief cooperation",
        "Depots and supply",
        "Staff and training",
        "Missions discussed",
        "Timeline of missions",
        "Key figures",
        "Glossary",
    ]
    assert exec_.parts[0].style == "callout" and exec_.parts[0].form == "bullets"
    assert not exec_.show_contents and field.show_contents
    assert exec_.page_budget == 2


def test_notes_are_compact_numbered_and_merged_over_runs_citing_the_same_passages(sample: Path) -> None:
    _, _, field = briefings(sample)
    notes = [p.note for part in field.parts for p in part.paragraphs]
    # bluf: two passages, two notes; each later part's statements cite one passage: one note each.
    assert [n.number for n in notes if n] == [1, 2, 3, 4, 5]
    assert [n.number for n in field.notes] == [1, 2, 3, 4, 5]
    first = field.parts[0].paragraphs
    assert first[0].note is not None and first[0].note.text == "CDR\u00a0§1."  # key derived from the title
    assert first[0].note.full_text == "Coordinating Disaster Relief, “Introduction”."
    assert first[1].note is not None and first[1].note.citations[0].cite == "relief#agencies"
    history = field.parts[1].paragraphs
    assert [p.note is None for p in history] == [True, False]  # the run's note follows its last statement
    assert [(s.id, s.key, s.sections) for s in field.sources] == [
        ("relief", "CDR", ("§1 Introduction", "§2 A Short History", "§3 Agencies at Work"))
    ]


def test_table_rows_are_capped_by_max_points(sample: Path) -> None:
    library, _, _ = briefings(sample)
    audiences = sample / "content" / "audiences.yaml"
    audiences.write_text(
        audiences.read_text().replace("- {kind: missions-table}", "- {kind: missions-table, max_points: 1}")
    )
    library, _ = load_library(sample / "content", sample)
    field = assemble(library, "relief", "field", author="x", default_date=None)
    table = next(p.table for p in field.parts if p.kind == "missions-table")
    assert table is not None and len(table.rows) == 1
    assert table.caption == "Missions discussed in this briefing (1 of 2)"


def test_data_parts_come_from_entities(sample: Path) -> None:
    _, _, field = briefings(sample)
    table = next(p.table for p in field.parts if p.kind == "missions-table")
    assert table is not None
    assert table.rows[0] == (
        "HRO — Harbour Relief Operation",
        "RU",
        "Northport",
        "2003–2018",
        "more than 4,000",
    )
    assert table.rows[1][3] == "from 2011"
    chart = next(p.chart for p in field.parts if p.kind == "timeline")
    assert chart is not None and [(i.label, i.start, i.end) for i in chart.items] == [
        ("HRO", 2003, 2018),
        ("VSM", 2011, None),
    ]
    glossary = next(p.table for p in field.parts if p.kind == "glossary")
    assert glossary is not None and [r[0] for r in glossary.rows] == ["HRO", "RU"]  # XYZ is unused


def test_markdown_emphasis_reaches_the_model(sample: Path) -> None:
    _, exec_, _ = briefings(sample)
    spans = exec_.parts[0].paragraphs[0].spans
    assert [s.text for s in spans if s.bold] == ["single biggest"]
    assert exec_.date_text == "15 January 2026"

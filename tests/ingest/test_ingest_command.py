"""`briefgen ingest`: a drafted topic that validates, checks against its sources and builds at once."""

from __future__ import annotations

import shlex
from collections.abc import Callable
from pathlib import Path

import pdfplumber
import pytest
from click.testing import Result

from briefgen.content.load import load_library
from briefgen.ingest.document import split_sentences
from briefgen.ingest.readers import read_document
from tests.conftest import TESTS

UNSEEN = TESTS / "data" / "ingest" / "sample_unseen.txt"
SHARED = "Shared warehouses cut the time to deliver water by half after the 2019 floods."
MISSION = (
    "The United Nations Mission in Liberia (UNMIL) was established in 2003 with more than 15,000 troops."
)


def next_step(result: Result) -> list[list[str]]:
    """Return the commands ingest said to run next, as argument lists (without 'briefgen')."""
    line = next(ln for ln in result.output.splitlines() if ln.startswith("next:"))
    commands = line.split("then: ", 1)[1].split(" && ")
    return [shlex.split(c)[1:] for c in commands]


def test_unseen_document_becomes_a_topic_that_validates_and_builds(
    sample: Path, cli: Callable[..., Result], tmp_path: Path
) -> None:
    docs = tmp_path / "docs"  # a folder holding only the new document
    docs.mkdir()
    raw = docs / "relief-notes.txt"
    raw.write_bytes(UNSEEN.read_bytes())
    result = cli(sample, "ingest", str(raw), "--topic", "relief-notes")
    assert result.exit_code == 0, result.output
    topic_file = sample / "content" / "topics" / "relief-notes.md"
    assert f"wrote {topic_file.relative_to(sample)}" in result.output
    for command in next_step(result):  # validate --sources <docs> && build --topic relief-notes
        done = cli(sample, *command)
        assert done.exit_code == 0, (command, done.output)
    library, _ = load_library(sample / "content", sample)
    topic = library.topics["relief-notes"]
    texts = [p.text for s in topic.sections for p in s.points]
    # Every bullet item of the document is a statement, quoted as written.
    items = [i.text for s in read_document(raw).sections for i in s.items()]
    assert len(items) == 5 and all(item in texts for item in items)
    assert {s.kind for s in topic.sections} <= {"bluf", "background", "analysis"}  # what the audiences show
    assert all(p.cite for s in topic.sections for p in s.points)
    assert any(p.level == "key" for s in topic.sections for p in s.points)
    for audience in ("exec", "field"):
        with pdfplumber.open(sample / "build" / "relief-notes" / f"{audience}.pdf") as pdf:
            text = " ".join((page.extract_text() or "") for page in pdf.pages)
        assert "Relief Coordination" in text
    with pdfplumber.open(sample / "build" / "relief-notes" / "field.pdf") as pdf:
        field = " ".join(" ".join((page.extract_text() or "").split()) for page in pdf.pages)
    assert "Agreeing on a single needs assessment" in field
    for written in (sample / "content").rglob("*"):
        if written.is_file():
            assert written.stat().st_mode & 0o777 == 0o644, written


def test_two_documents_sharing_facts_merge_into_one_statement(
    sample: Path, cli: Callable[..., Result], tmp_path: Path
) -> None:
    first = tmp_path / "hub-report.txt"
    second = tmp_path / "flood-review.md"
    first.write_text(
        f"Relief Hubs\n\nOverview\n\n{SHARED} {MISSION}\n\nChallenges\n\nRoads flood every spring and cut the hubs off.\n",
        encoding="utf-8",
    )
    second.write_text(
        f"# Flood Review\n\n## Lessons\n\n{SHARED} Volunteers were trained in 2020.\n\n"
        f"## Liberia\n\n{MISSION}\n",
        encoding="utf-8",
    )
    result = cli(sample, "ingest", str(first), str(second), "--topic", "hubs")
    assert result.exit_code == 0, result.output
    library, _ = load_library(sample / "content", sample)
    topic = library.topics["hubs"]
    shared = [p for s in topic.sections if s.kind != "bluf" for p in s.points if p.text == SHARED]
    assert len(shared) == 1
    assert shared[0].cite == ["hub-report#overview", "flood-review#lessons"]
    assert topic.sources == ["hub-report", "flood-review"]
    mission = library.missions["unmil"]
    assert (mission.acronym, mission.start, mission.personnel, mission.place) == (
        "UNMIL",
        2003,
        15000,
        "Liberia",
    )
    assert mission.personnel_note == "more than 15,000" and mission.organization in topic.organizations
    assert [e.term for e in library.glossary.values()].count("UNMIL") == 1
    for command in next_step(result):
        done = cli(sample, *command)
        assert done.exit_code == 0, (command, done.output)


def test_ingest_refuses_to_overwrite_and_checks_ids(
    sample: Path, cli: Callable[..., Result], tmp_path: Path
) -> None:
    assert cli(sample, "ingest", str(UNSEEN), "--topic", "unseen").exit_code == 0
    again = cli(sample, "ingest", str(UNSEEN), "--topic", "unseen")
    assert again.exit_code == 2 and "file already exists; pass --force" in again.output
    assert cli(sample, "ingest", str(UNSEEN), "--topic", "unseen", "--force").exit_code == 0
    taken = cli(sample, "ingest", str(UNSEEN), "--topic", "relief", "--id", "other")
    assert taken.exit_code == 2 and "topic 'relief' is already defined here" in taken.output
    for option in ("--id", "--topic"):
        device = cli(sample, "ingest", str(UNSEEN), option, "con")
        assert (
            device.exit_code == 2 and f"{option} 'con' is a reserved device name on Windows" in device.output
        )
    assert not (sample / "content" / "topics" / "con.md").exists()


def test_a_file_it_cannot_read_is_named_with_the_formats_it_reads(
    sample: Path, cli: Callable[..., Result], tmp_path: Path
) -> None:
    odd = tmp_path / "slides.pptx"
    odd.write_bytes(b"PK\x03\x04")
    result = cli(sample, "ingest", str(odd))
    assert result.exit_code == 2
    assert (
        "slides.pptx: cannot read .pptx: ingest reads plain text" in result.output
        and "Traceback" not in result.output
    )


def test_a_four_megabyte_document_drafts_files_the_project_can_load(
    sample: Path, cli: Callable[..., Result], tmp_path: Path
) -> None:
    big = tmp_path / "archive.txt"
    parts = []
    for n in range(5_300):
        parts.append(f"Report Part {n}\n")
        parts.append(
            " ".join(
                f"Patrol {n}-{k} met {k + 3} village leaders near the river crossing." for k in range(12)
            )
            + "\n"
        )
    big.write_text("".join(parts), encoding="utf-8")
    assert 3_900_000 < big.stat().st_size <= 4 * 1024 * 1024
    result = cli(sample, "ingest", str(big), "--topic", "archive")
    assert result.exit_code == 0, result.output[-2000:]
    assert "long document: the draft quotes it up to section" in result.output
    for written in (sample / "content").rglob("*.*"):
        assert written.stat().st_size <= 2 * 1024 * 1024, written
    assert cli(sample, "validate").exit_code == 0


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le"])
def test_utf16_input_is_ingested(
    sample: Path, cli: Callable[..., Result], tmp_path: Path, encoding: str
) -> None:
    path = tmp_path / "wide.txt"
    path.write_bytes(UNSEEN.read_text(encoding="utf-8").encode(encoding))
    result = cli(sample, "ingest", str(path), "--topic", "wide")
    assert result.exit_code == 0, result.output
    assert "binary" not in result.output
    assert cli(sample, "validate", "--sources", str(tmp_path)).exit_code == 0


def test_statements_are_quotations_of_their_cited_section(sample: Path, cli: Callable[..., Result]) -> None:
    assert cli(sample, "ingest", str(UNSEEN), "--topic", "quotes").exit_code == 0
    library, _ = load_library(sample / "content", sample)
    raw = read_document(UNSEEN)
    source = library.sources["sample-unseen"]
    by_id = {s.id: r for s, r in zip(source.sections, raw.sections, strict=True)}
    for section in library.topics["quotes"].sections:
        for point in section.points:
            passage = by_id[point.cite[0].split("#")[1]]
            quoted = [i.text for i in passage.items()] + [
                t for p in passage.paragraphs() for _, t in split_sentences(p.text)
            ]
            assert point.text.replace("\\", "") in quoted

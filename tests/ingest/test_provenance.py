"""Provenance: numbers in statements must occur in the passage they cite."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from click.testing import Result

from briefgen.ingest.provenance import numbers_in, occurs


def test_number_matching_is_whole_number() -> None:
    assert numbers_in("In 2013, more than 15,000 troops; over 70 operations.") == ["2013", "15,000", "70"]
    assert occurs("70", "over 70 operations")
    assert not occurs("70", "in 1970")
    assert not occurs("15", "15,000 staff")
    assert occurs("2018", "from 2003 to 2018.")


def test_sample_content_matches_its_raw_source(sample: Path, cli: Callable[..., Result]) -> None:
    result = cli(sample, "validate", "--sources", "raw")
    assert result.exit_code == 0, result.output
    assert "project is valid" in result.output


def test_a_year_missing_from_the_cited_passage_fails(sample: Path, cli: Callable[..., Result]) -> None:
    topic = sample / "content" / "topics" / "relief.yaml"
    # 2003-2018 is in "A Short History"; citing "Agencies at Work" instead must fail.
    topic.write_text(topic.read_text().replace("cite: [relief#history]", "cite: [relief#agencies]"))
    result = cli(sample, "validate", "--sources", "raw")
    assert result.exit_code == 2
    assert (
        "content/topics/relief.yaml:26:17: '2003', '2018', '4,000' not found in the cited passage "
        "(relief#agencies)" in result.output
    )


def test_an_invented_year_fails(sample: Path, cli: Callable[..., Result]) -> None:
    topic = sample / "content" / "topics" / "relief.yaml"
    topic.write_text(
        topic.read_text().replace("Early efforts were ad hoc.", "Early efforts in 1999 were ad hoc.")
    )
    result = cli(sample, "validate", "--sources", "raw")
    assert result.exit_code == 2
    assert "'1999' not found in the cited passage (relief#history)" in result.output


def test_mission_years_are_checked(sample: Path, cli: Callable[..., Result]) -> None:
    entities = sample / "content" / "entities.yaml"
    entities.write_text(entities.read_text().replace("start: 2011", "start: 2012"))
    result = cli(sample, "validate", "--sources", "raw")
    assert (
        "content/entities.yaml:18:12: '2012' not found in the cited passage (relief#agencies)"
        in result.output
    )


def test_heading_missing_from_raw_document(sample: Path, cli: Callable[..., Result]) -> None:
    source = sample / "content" / "source.yaml"
    source.write_text(source.read_text().replace("heading: Agencies at Work", "heading: Agencies At Work"))
    result = cli(sample, "validate", "--sources", "raw")
    assert "heading 'Agencies At Work' not found in relief.txt" in result.output

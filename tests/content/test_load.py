"""Loading content: schema errors located at file:line:col, all reported at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.content.load import load_library
from briefgen.errors import ContentError


def problems(project: Path) -> list[str]:
    with pytest.raises(ContentError) as info:
        load_library(project / "content", project)
    return [str(p) for p in info.value.problems]


def test_sample_project_loads(sample: Path) -> None:
    library, _ = load_library(sample / "content", sample)
    assert sorted(library.topics) == ["relief"]
    assert sorted(library.audiences) == ["exec", "field"]
    assert library.missions["harbour"].personnel == 4000
    assert library.files[("topic", "relief")] == "content/topics/relief.yaml"


def test_schema_errors_point_at_the_value(sample: Path) -> None:
    topic = sample / "content" / "topics" / "relief.yaml"
    text = topic.read_text()
    text = text.replace("title: Relief Coordination", "title: NO")
    text = text.replace("      title: Bottom line\n", "      titel: Bottom line\n")
    topic.write_text(text)
    found = problems(sample)
    assert any(
        p.startswith("content/topics/relief.yaml:3:10: topic.title: expected a valid string, got a boolean")
        and "YAML reads 'NO' as false" in p
        for p in found
    ), found
    assert any(
        "relief.yaml:14:7: topic.sections[0].titel: unknown key; did you mean 'title'?" in p for p in found
    ), found
    assert any("topic.sections[0].title: required key is missing" in p for p in found), found


def test_all_files_are_checked_before_reporting(sample: Path) -> None:
    (sample / "content" / "orgs.yaml").write_text("organizations:\n  - id: Bad Id\n    name: x\n")
    (sample / "content" / "figures.yaml").write_text(
        "figures:\n  - id: f\n    label: l\n    value: '3'\n    display: '3'\n"
    )
    found = problems(sample)
    assert any(
        p.startswith("content/orgs.yaml:2:9: organizations[0].id: 'Bad Id' is not a valid id") for p in found
    ), found
    assert any(p.startswith("content/figures.yaml:4:12: figures[0].value:") for p in found), found


def test_dangling_references_are_reported_with_hints(sample: Path) -> None:
    topic = sample / "content" / "topics" / "relief.yaml"
    text = topic.read_text().replace("cite: relief#intro", "cite: relief#intr")
    text = text.replace("missions: [harbour, valley]", "missions: [harbor, valley]")
    topic.write_text(text)
    found = problems(sample)
    assert any(
        "relief.yaml:17:17: cites unknown section 'intr' of source 'relief'; did you mean 'intro'?" in p
        for p in found
    ), found
    assert any("unknown mission 'harbor'; did you mean 'harbour'?" in p for p in found), found


def test_duplicate_ids_across_files(sample: Path) -> None:
    (sample / "content" / "more.yaml").write_text("themes:\n  - id: logistics\n    title: Again\n")
    found = problems(sample)
    assert any(
        p.startswith(
            "content/themes.yaml:2:5: themes 'logistics' is defined twice (first in content/more.yaml)"
        )
        for p in found
    ), found


def test_file_must_name_its_kind(sample: Path) -> None:
    (sample / "content" / "odd.yaml").write_text("topics:\n  - id: x\n")
    found = problems(sample)
    assert any("content/odd.yaml:1:1: unknown kind 'topics'; did you mean 'topic'?" in p for p in found), (
        found
    )


def test_device_names_are_refused_at_load(sample: Path) -> None:
    topic = sample / "content" / "topics" / "relief.yaml"
    topic.write_text(topic.read_text().replace("  id: relief\n", "  id: con\n"))
    found = problems(sample)
    assert any(
        "content/topics/relief.yaml:2:7: id 'con' is a reserved device name on Windows" in p for p in found
    ), found

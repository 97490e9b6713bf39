"""Markdown topics: the same model and checks as YAML, errors at the .md's line and column, lossless conversion."""

from __future__ import annotations

import dataclasses
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from briefgen.assemble.tailor import assemble
from briefgen.content.load import load_library
from briefgen.content.topicfile import read_topic, topic_markdown, topic_yaml
from briefgen.errors import ContentError, Location
from tests.conftest import REPO

BUNDLED = sorted((REPO / "content" / "topics").glob("*.yaml"))

TOPIC = """\
---
title: Relief Hubs
sources: [relief]
themes: [logistics]
---

<!-- a comment is skipped -->

## Bottom line {kind=bluf}

- Hubs cut delivery times. [@relief#agencies] {.key themes=logistics}
- Early efforts were ad hoc [@relief#history; @relief#agencies]. {.key confidence=high}

## Background

> Where the hubs came from.

Early efforts were ad hoc. [@relief#history]
"""


def errors(path: Path, text: str) -> list[str]:
    """Write ``text`` as a topic file in a copy of nothing but itself, and return the load problems."""
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        read_topic(path)
    return [str(p) for p in caught.value.problems]


def test_markdown_topic_reads_into_the_model(tmp_path: Path) -> None:
    path = tmp_path / "relief-hubs.md"
    path.write_text(TOPIC, encoding="utf-8")
    topic = read_topic(path)
    assert topic.id == "relief-hubs"  # from the file name when the front matter gives none
    assert [(s.kind, s.title, s.form) for s in topic.sections] == [
        ("bluf", "Bottom line", "bullets"),
        ("background", "Background", "prose"),
    ]
    first, second = topic.sections[0].points
    assert (first.text, first.cite, first.level, first.themes) == (
        "Hubs cut delivery times.",
        ["relief#agencies"],
        "key",
        ["logistics"],
    )
    # A citation before the full stop leaves no space behind; several cite in order.
    assert second.text == "Early efforts were ad hoc."
    assert second.cite == ["relief#history", "relief#agencies"]
    assert second.confidence == "high"
    assert topic.sections[1].intro == "Where the hubs came from."
    assert topic.sections[1].points[0].level == "detail"


def test_every_field_of_a_statement_round_trips(tmp_path: Path) -> None:
    text = (
        "---\nid: x\ntitle: T\n---\n\n## Risks {kind=challenges form=bullets}\n\n"
        'Supply lines "may" fail {in winter}. [@a#b] {.key likelihood=likely impact=high owner="Logistics cell" '
        'plain="Roads can close in \\"winter\\"." brief="Roads may close." gains="Faster; cheaper." '
        'costs="Needs {staff}." themes=a,b confidence=low}\n'
    )
    path = tmp_path / "x.md"
    path.write_text(text, encoding="utf-8")
    topic = read_topic(path)
    point = topic.sections[0].points[0]
    assert point.text == 'Supply lines "may" fail {in winter}.'
    assert point.plain == 'Roads can close in "winter".'
    assert (point.owner, point.costs, point.likelihood, point.impact) == (
        "Logistics cell",
        "Needs {staff}.",
        "likely",
        "high",
    )
    assert topic.sections[0].form == "bullets"  # paragraphs, but the heading says bullets
    again = tmp_path / "y.md"
    again.write_text(topic_markdown(topic), encoding="utf-8")
    assert read_topic(again) == topic


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.stem)
def test_bundled_topics_convert_both_ways_without_loss(path: Path, tmp_path: Path) -> None:
    topic = read_topic(path)
    md = tmp_path / f"{topic.id}.md"
    md.write_text(topic_markdown(topic), encoding="utf-8")
    from_md = read_topic(md)
    assert from_md == topic
    back = tmp_path / "back.yaml"
    back.write_text(topic_yaml(from_md), encoding="utf-8")
    assert read_topic(back) == topic


def test_a_converted_topic_assembles_to_the_same_briefing(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(REPO / "content", content)
    library, _ = load_library(REPO / "content", REPO)
    for yaml_topic in sorted((content / "topics").glob("*.yaml")):
        yaml_topic.with_suffix(".md").write_text(topic_markdown(read_topic(yaml_topic)), encoding="utf-8")
        yaml_topic.unlink()
    converted, _ = load_library(content, tmp_path)
    assert converted.files[("topic", "technology")] == "content/topics/technology.md"
    for topic in library.topics:
        for audience in library.audiences:
            expected = assemble(library, topic, audience, author="A", default_date=None)
            got = assemble(converted, topic, audience, author="A", default_date=None)
            assert without_places(got) == without_places(expected)
            # Each statement is located in its own file: the .md one, for the converted topic.
            assert all(p.where.startswith("content/topics/") for part in got.parts for p in part.paragraphs)


def without_places(briefing: Any) -> Any:
    """Return ``briefing`` without where its texts stand (the same words from another file)."""
    parts = tuple(
        dataclasses.replace(
            part, where="", paragraphs=tuple(dataclasses.replace(p, where="") for p in part.paragraphs)
        )
        for part in briefing.parts
    )
    return dataclasses.replace(
        briefing,
        parts=parts,
        hardest=tuple((Location(""), score) for _, score in briefing.hardest),
        fallbacks=tuple(Location("") for _ in briefing.fallbacks),
        where=None,
    )


def test_markdown_and_yaml_topics_mix_and_clash_by_id(sample: Path, cli: Callable[..., Result]) -> None:
    topics = sample / "content" / "topics"
    (topics / "relief-hubs.md").write_text(TOPIC, encoding="utf-8")
    result = cli(sample, "validate", "--sources", "raw")
    assert result.exit_code == 0, result.output
    assert "relief-hubs" in cli(sample, "list").output
    (topics / "relief.md").write_text(TOPIC.replace("title: Relief Hubs", "id: relief\ntitle: Again"))
    clash = cli(sample, "validate")
    assert clash.exit_code == 2
    # Files are read in name order, so the YAML one is the second definition.
    assert (
        "content/topics/relief.yaml:2:3: topic 'relief' is defined twice (first in content/topics/relief.md)"
        in clash.output
    )


def test_validation_problems_point_into_the_markdown(tmp_path: Path) -> None:
    path = tmp_path / "t.md"
    text = TOPIC.replace("{.key themes=logistics}", "{.key themse=logistics confidence=sure}")
    found = errors(path, text.replace("[@relief#history]\n", "[@Relief#History]\n"))
    assert any(
        p.endswith("t.md:11:53: topic.sections[0].points[0].themse: unknown key; did you mean 'themes'?")
        for p in found
    ), found
    assert any(
        "t.md:11:81: topic.sections[0].points[0].confidence: expected 'low', 'moderate' or 'high'" in p
        for p in found
    ), found
    assert any(
        "t.md:18:30: topic.sections[1].points[0].cite[0]: 'Relief#History' is not a valid id" in p
        for p in found
    ), found


@pytest.mark.parametrize(
    ("body", "where", "message"),
    [
        ("Loose text.\n\n## Background\n\nText. [@a#b]\n", "6:1", "text before the first section heading"),
        (
            "## Findings\n\nText. [@a#b]\n",
            "6:4",
            "section 'Findings' has no kind; write '## Findings {kind=analysis}'",
        ),
        ("## Background\n\n- One\n  - nested\n", "8:1", "a list item is one statement"),
        ("## Background\n\n```\ncode\n```\n", "8:1", "a code block is not part of a topic"),
        ("## Background\n\nText. {.important}\n", "8:8", "unknown attribute '.important'"),
        ("## Background {kind=background size=big}\n", "6:32", "unknown heading attribute 'size'"),
        ("## Background\n\n## Analysis\n\nText.\n", "6:4", "section 'Background' has no statements"),
        ("## Background\n\nText one.\n\n- Item two.\n", "10:3", "section mixes paragraphs and list items"),
        ("## Background\n\nText.\n\n> Late intro.\n", "10:1", "a quote block ('> ...') is a section's intro"),
        ("## Background\n\n<div>hi</div>\n", "8:1", "raw HTML is not part of a topic"),
    ],
)
def test_syntax_problems_are_located(tmp_path: Path, body: str, where: str, message: str) -> None:
    found = errors(tmp_path / "t.md", "---\ntitle: T\nsources: [a]\n---\n\n" + body)
    assert any(f"t.md:{where}: {message}" in p for p in found), found


def test_front_matter_is_read_strictly_at_its_own_lines(tmp_path: Path) -> None:
    found = errors(
        tmp_path / "t.md", "---\ntitle: T\nsubtitle: !!python/object x\n---\n\n## Background\n\nText.\n"
    )
    assert any("t.md:3:11: YAML tags such as" in p for p in found), found
    found = errors(tmp_path / "t.md", "---\ntitle: NO\n---\n\n## Background\n\nText.\n")
    assert any(
        "t.md:2:8: topic.title: expected a valid string" in p and "put it in quotes" in p for p in found
    ), found
    found = errors(tmp_path / "t.md", "---\ntitle: T\n\n## Background\n")
    assert any("t.md:1:1: front matter opened with '---' is never closed" in p for p in found), found
    found = errors(tmp_path / "t.md", "---\ntitle: T\nsections: []\n---\n\n## Background\n\nText.\n")
    assert any("t.md:3:1: sections are the headings below the front matter" in p for p in found), found


def test_text_that_looks_like_markdown_syntax_survives_conversion(tmp_path: Path) -> None:
    source = tmp_path / "t.yaml"
    source.write_text(
        "topic:\n  id: t\n  title: T\n  sections:\n    - kind: analysis\n      title: '# Not a heading {x}'\n"
        "      points:\n        - text: '- not a list item, and {braces}'\n        - text: '1. Numbered [@not-a-cite]'\n",
        encoding="utf-8",
    )
    topic = read_topic(source)
    md = tmp_path / "t.md"
    md.write_text(topic_markdown(topic), encoding="utf-8")
    back = read_topic(md)
    assert back.sections[0].title == "\\# Not a heading {x}"  # escaped: renders as '# Not a heading {x}'
    assert back.sections[0].points[0].cite == back.sections[0].points[1].cite == []
    assert [p.text.lstrip("\\") for p in back.sections[0].points] == [
        "- not a list item, and {braces}",
        "1. Numbered [\\@not-a-cite]",
    ]


def test_convert_command_writes_and_refuses_to_overwrite(sample: Path, cli: Callable[..., Result]) -> None:
    topic = sample / "content" / "topics" / "relief.yaml"
    printed = cli(sample, "convert", str(topic), "--to", "md")
    assert printed.exit_code == 0 and printed.output.startswith("---\nid: relief\n")
    out = sample / "relief.md"
    assert cli(sample, "convert", str(topic), "--to", "md", "-o", str(out)).exit_code == 0
    assert read_topic(out) == read_topic(topic)
    again = cli(sample, "convert", str(topic), "--to", "md", "-o", str(out))
    assert again.exit_code == 2 and "--force" in again.output
    yaml_out = sample / "relief-again.yaml"
    assert cli(sample, "convert", str(out), "--to", "yaml", "-o", str(yaml_out)).exit_code == 0
    assert read_topic(yaml_out) == read_topic(topic)
    assert oct(yaml_out.stat().st_mode & 0o777) == "0o644"
    broken = sample / "broken.md"
    broken.write_text("---\ntitle: T\n---\n\n## Nope\n\nText.\n", encoding="utf-8")
    failed = cli(sample, "convert", str(broken), "--to", "yaml")
    assert failed.exit_code == 2 and "broken.md:5:4: section 'Nope' has no kind" in failed.output


def test_the_readme_example_is_a_valid_topic(tmp_path: Path) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    example = readme.split("## Markdown topics", 1)[1].split("```markdown\n", 1)[1].split("\n```", 1)[0]
    path = tmp_path / "street-trees.md"
    path.write_text(example + "\n", encoding="utf-8")
    topic = read_topic(path)
    assert [s.kind for s in topic.sections] == ["bluf", "background", "challenges", "recommendations"]
    last = topic.sections[-1]
    assert last.form == "prose" and last.points[0].owner == "Parks department"
    assert topic.sections[1].intro and topic.sections[1].points[0].cite == [
        "street-trees#intro",
        "street-trees#costs",
    ]

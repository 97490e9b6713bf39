"""JSON Schema for editors: valid, generated from the models, accepting what briefgen accepts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import Result

from briefgen.commands.schema import (
    CONFIG_SCHEMA,
    CONTENT_SCHEMA,
    FRONT_MATTER_SCHEMA,
    MODELINE,
    THEME_SCHEMA,
    kind_schema_name,
    schema_for,
    schemas,
)
from briefgen.content.model import FILE_KINDS
from briefgen.content.yamlread import read_yaml
from tests.conftest import REPO

ALL = schemas()


def editor_view(value: Any) -> Any:
    """Return YAML data as an editor's YAML 1.2 parser sees it: bare dates are text."""
    if isinstance(value, dict):
        return {key: editor_view(item) for key, item in value.items()}
    if isinstance(value, list):
        return [editor_view(item) for item in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def errors(schema_name: str, data: Any) -> list[str]:
    validator = jsonschema.Draft202012Validator(ALL[schema_name], format_checker=jsonschema.FormatChecker())
    return [error.message for error in validator.iter_errors(editor_view(data))]


def bundled_files() -> list[Path]:
    files = [*sorted((REPO / "content").rglob("*.yaml")), REPO / "briefgen.yaml"]
    files += sorted((REPO / "templates" / "themes").glob("*/theme.yaml"))
    # The starter's briefgen.yaml holds a placeholder init replaces (tested on init's output below).
    files += sorted(p for p in (REPO / "briefgen" / "starter").rglob("*.yaml") if p.name != "briefgen.yaml")
    files += sorted((REPO / "tests" / "projects").rglob("*.yaml"))
    return files


def test_every_schema_is_valid_json_schema() -> None:
    assert set(ALL) == {
        CONFIG_SCHEMA,
        THEME_SCHEMA,
        CONTENT_SCHEMA,
        FRONT_MATTER_SCHEMA,
        *map(kind_schema_name, FILE_KINDS),
    }
    for schema in ALL.values():
        jsonschema.Draft202012Validator.check_schema(schema)


def test_older_editors_read_them_too() -> None:
    # Some YAML language servers implement draft-07 only: no keyword may need a later draft.
    later = {"prefixItems", "unevaluatedProperties", "unevaluatedItems", "dependentRequired", "dependentSchemas"}

    def keys(value: Any) -> set[str]:
        if isinstance(value, dict):
            return set(value) | {k for item in value.values() for k in keys(item)}
        if isinstance(value, list):
            return {k for item in value for k in keys(item)}
        return set()

    for schema in ALL.values():
        assert not keys(schema) & later
        jsonschema.Draft7Validator.check_schema({k: v for k, v in schema.items() if k != "$schema"})


@pytest.mark.parametrize("path", bundled_files(), ids=lambda p: p.relative_to(REPO).as_posix())
def test_the_bundled_files_pass_their_schema(path: Path) -> None:
    name = schema_for(Path(path.name) if path.name == "briefgen.yaml" else path, path.read_text(encoding="utf-8"))
    assert name is not None
    data = read_yaml(path).data
    if name in (CONFIG_SCHEMA, THEME_SCHEMA) and not isinstance(data, dict):
        pytest.skip("an empty settings file")
    assert errors(name, data) == []
    if name not in (CONFIG_SCHEMA, THEME_SCHEMA):
        assert errors(CONTENT_SCHEMA, data) == []


def front_matter(path: Path) -> Any:
    """Return a Markdown topic's front matter as data, read as briefgen reads it."""
    lines = path.read_text(encoding="utf-8").split("\n")
    assert lines[0] == "---"
    end = lines.index("---", 1)
    return read_yaml(path, "\n".join(lines[1:end]).encode("utf-8")).data


def markdown_topics() -> list[Path]:
    patterns = ("content/**/*.md", "briefgen/starter/content/**/*.md", "tests/projects/*/content/**/*.md")
    return sorted(path for pattern in patterns for path in REPO.glob(pattern))


@pytest.mark.parametrize("path", markdown_topics(), ids=lambda p: p.relative_to(REPO).as_posix())
def test_markdown_front_matter_passes_its_schema(path: Path) -> None:
    assert schema_for(path, path.read_text(encoding="utf-8")) == FRONT_MATTER_SCHEMA
    assert errors(FRONT_MATTER_SCHEMA, front_matter(path)) == []


def test_front_matter_schema_is_the_topic_without_its_sections() -> None:
    assert errors(FRONT_MATTER_SCHEMA, {"title": "Street Trees", "sources": "street-trees"}) == []
    assert errors(FRONT_MATTER_SCHEMA, {"id": "street-trees", "title": "T", "date": "2026-01-15"}) == []
    assert errors(FRONT_MATTER_SCHEMA, {"title": "T", "sumary": "x"})  # misspelt
    assert errors(FRONT_MATTER_SCHEMA, {"title": "T", "sections": []})  # the headings are the sections
    assert errors(FRONT_MATTER_SCHEMA, {"summary": "no title"})
    assert errors(FRONT_MATTER_SCHEMA, {"title": "T", "id": "Not An Id"})


def test_a_misspelt_key_is_flagged() -> None:
    topic = read_yaml(REPO / "content" / "topics" / "border-security.yaml").data
    topic["topic"]["sections"][0]["titel"] = topic["topic"]["sections"][0].pop("title")
    found = errors("topic.schema.json", topic)
    assert any("'titel' was unexpected" in e for e in found) and any("'title' is a required" in e for e in found)
    assert errors(CONTENT_SCHEMA, topic)
    assert errors(CONFIG_SCHEMA, {"title": "x", "outptu": "build"})
    assert errors(THEME_SCHEMA, {"name": "x", "colours": {"primary": "blue"}})  # not #rrggbb


def test_types_and_choices_match_validation() -> None:
    assert errors(CONFIG_SCHEMA, {"matrix": {"formats": ["pdf", "epub"]}})  # not a format briefgen has
    assert errors(CONFIG_SCHEMA, {"matrix": {"formats": ["pdf", "html"]}, "date": "2026-01-15"}) == []
    assert errors(CONFIG_SCHEMA, {"date": "15 January"})
    assert errors(CONFIG_SCHEMA, {"build": {"jobs": 0}})
    one = {"topic": {"id": "t", "title": "T", "sections": [{"kind": "bluf", "title": "B", "points": [
        {"text": "A point.", "cite": "src#sec", "themes": "logistics"}]}]}}  # one value where a list is allowed
    assert errors("topic.schema.json", one) == []
    one["topic"]["sections"][0]["points"][0]["level"] = "headline"
    assert errors("topic.schema.json", one)
    assert errors(CONTENT_SCHEMA, {"topic": one["topic"], "source": {}})  # one kind per file


def test_schema_for_picks_by_name_and_top_level_key() -> None:
    assert schema_for(Path("briefgen.yaml"), "title: x\n") == CONFIG_SCHEMA
    assert schema_for(Path("templates/themes/mine/theme.yaml"), "name: mine\n") == THEME_SCHEMA
    assert schema_for(Path("content/a.yaml"), "# a comment\nmissions:\n  - id: x\n") == "missions.schema.json"
    assert schema_for(Path("content/a.yaml"), "[]\n") == CONTENT_SCHEMA
    assert schema_for(Path("README.md"), "# x\n") is None
    assert schema_for(Path("content/topics/t.md"), "---\ntitle: T\n---\n## Bottom line\n") == FRONT_MATTER_SCHEMA


def test_schema_command_writes_stable_files(sample: Path, cli: Callable[..., Result]) -> None:
    result = cli(sample, "schema")
    assert result.exit_code == 0, result.output
    folder = sample / "schemas"
    first = {p.name: p.read_bytes() for p in folder.iterdir()}
    assert set(first) == set(ALL)
    assert cli(sample, "schema", "-o", "elsewhere").exit_code == 0
    assert {p.name: p.read_bytes() for p in (sample / "elsewhere").iterdir()} == first  # same bytes each time


def test_init_points_every_yaml_file_at_its_schema(tmp_path: Path, cli: Callable[..., Result]) -> None:
    root = tmp_path / "briefs"
    assert cli(tmp_path, "init", str(root)).exit_code == 0
    yaml_files = sorted(p for p in root.rglob("*.yaml"))
    assert yaml_files
    for path in yaml_files:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith(MODELINE), path
        schema = (path.parent / first.removeprefix(MODELINE)).resolve()
        assert schema.is_file() and schema.parent == root / "schemas"
        assert errors(schema.name, read_yaml(path).data) == [], path
    assert "$schema=../../schemas/source.schema.json" in (root / "content/sources/street-trees.yaml").read_text()
    # A Markdown topic carries it as its front matter's first line.
    (topic,) = root.glob("content/topics/*.md")
    assert topic.read_text(encoding="utf-8").splitlines()[:2] == [
        "---",
        f"{MODELINE}../../schemas/{FRONT_MATTER_SCHEMA}",
    ]
    assert errors(FRONT_MATTER_SCHEMA, front_matter(topic)) == []
    result = cli(root, "validate", "--sources", str(root / "raw"))
    assert result.exit_code == 0, result.output  # the modelines are comments to briefgen

"""The safe YAML reader: plain data only, every value located, clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.errors import ContentError
from briefgen.yamlread import read_yaml


def load(tmp_path: Path, text: str | bytes) -> object:
    path = tmp_path / "f.yaml"
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return read_yaml(path)


def error(tmp_path: Path, text: str | bytes) -> str:
    with pytest.raises(ContentError) as info:
        load(tmp_path, text)
    return str(info.value)


def test_values_keep_line_and_column(tmp_path: Path) -> None:
    doc = load(tmp_path, "topic:\n  id: x\n  items:\n    - a\n    - b\n")
    assert doc.data == {"topic": {"id": "x", "items": ["a", "b"]}}
    assert doc.values[("topic", "items", 1)] == (5, 7)
    assert doc.keys[("topic", "id")] == (2, 3)
    assert doc.where(("topic", "items", 1)).line == 5


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: &x 1\nb: *x\n", "f.yaml:1:4: YAML anchors"),
        ("a: [1]\nb: *x\n", "f.yaml:2:4:"),
        ("a: 1\nb: 2\na: 3\n", "f.yaml:3:1: duplicate key 'a' (first defined at line 1)"),
        ("a: !!python/object/apply:os.system [ls]\n", "f.yaml:1:4: YAML tags"),
        ("a:\n\t- 1\n", "indent with spaces, not tabs"),
        ("a: 1\n---\nb: 2\n", "keep one YAML document per file"),
        ('a: "open\n', "f.yaml:2:1: invalid YAML"),
        ("a: 1\n<<: {b: 2}\n", "merge keys"),
    ],
)
def test_risky_or_broken_yaml_is_refused_with_a_location(tmp_path: Path, text: str, expected: str) -> None:
    assert expected in error(tmp_path, text)


def test_invalid_utf8_reports_line_not_byte_offset(tmp_path: Path) -> None:
    message = error(tmp_path, b"a: ok\nb: caf\xe9\n")
    assert "f.yaml:2:7: not valid UTF-8" in message
    assert "save the file as UTF-8" in message


def test_nul_byte_reports_line(tmp_path: Path) -> None:
    assert "f.yaml:3: NUL byte" in error(tmp_path, b"a: 1\nb: 2\nc: \x00\n")


def test_deep_nesting_is_refused(tmp_path: Path) -> None:
    assert "nesting deeper than" in error(tmp_path, "a: " + "[" * 200 + "]" * 200 + "\n")


def test_empty_file_gives_no_data(tmp_path: Path) -> None:
    assert load(tmp_path, "# only a comment\n").data is None

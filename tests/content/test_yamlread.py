"""The safe YAML reader: plain data, every value located (hostile input: tests/hostile/test_yaml.py)."""

from __future__ import annotations

from pathlib import Path

from briefgen.content.yamlread import read_yaml


def load(tmp_path: Path, text: str | bytes) -> object:
    path = tmp_path / "f.yaml"
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return read_yaml(path)


def test_values_keep_line_and_column(tmp_path: Path) -> None:
    doc = load(tmp_path, "topic:\n  id: x\n  items:\n    - a\n    - b\n")
    assert doc.data == {"topic": {"id": "x", "items": ["a", "b"]}}
    assert doc.values[("topic", "items", 1)] == (5, 7)
    assert doc.keys[("topic", "id")] == (2, 3)
    assert doc.where(("topic", "items", 1)).line == 5


def test_empty_file_gives_no_data(tmp_path: Path) -> None:
    assert load(tmp_path, "# only a comment\n").data is None

"""Read one YAML file safely, keeping the line and column of every key and value.

Only plain YAML data is accepted: no tags, no anchors or aliases, no merge keys,
no duplicate keys, one document per file, bounded size and depth.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.events import AliasEvent, MappingStartEvent, ScalarEvent, SequenceStartEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import Resolver
from yaml.scanner import Scanner

from briefgen.errors import ContentError, Location

MAX_BYTES = 4 * 1024 * 1024
MAX_DEPTH = 64
MAX_NODES = 200_000

YamlPath = tuple[str | int, ...]


@dataclass
class YamlDoc:
    """A parsed YAML file: plain data plus where each piece of it stands."""

    path: Path
    data: Any
    values: dict[YamlPath, tuple[int, int]] = field(default_factory=dict)
    keys: dict[YamlPath, tuple[int, int]] = field(default_factory=dict)
    raw: dict[YamlPath, str] = field(default_factory=dict)

    def where(self, path: YamlPath, *, key: bool = False) -> Location:
        """Return the location of the value (or key) at ``path``, or its nearest parent."""
        table = self.keys if key else self.values
        probe = tuple(path)
        while probe:
            if probe in table:
                line, col = table[probe]
                return Location.of(self.path, line, col)
            if probe in self.values:
                line, col = self.values[probe]
                return Location.of(self.path, line, col)
            probe = probe[:-1]
        line, col = self.values.get((), (1, 1))
        return Location.of(self.path, line, col)


class _StrictLoader(Reader, Scanner, Parser, Composer, SafeConstructor, Resolver):
    """PyYAML's safe loader with the risky parts of YAML refused at compose time."""

    def __init__(self, stream: str, path: Path) -> None:
        Reader.__init__(self, stream)
        Scanner.__init__(self)
        Parser.__init__(self)
        Composer.__init__(self)
        SafeConstructor.__init__(self)
        Resolver.__init__(self)
        self._path = path
        self._depth = 0
        self._count = 0

    def _refuse(self, event: Any, message: str) -> None:
        mark = event.start_mark
        raise ContentError.at(Location.of(self._path, mark.line + 1, mark.column + 1), f"{message}")

    def compose_node(self, parent: Node | None, index: Any) -> Node:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        if isinstance(event, AliasEvent):
            self._refuse(event, "YAML aliases (*name) are not allowed; write the value out in full")
        if isinstance(event, (ScalarEvent, SequenceStartEvent, MappingStartEvent)):
            if event.anchor is not None:
                self._refuse(event, "YAML anchors (&name) are not allowed; write the value out in full")
            if event.tag not in (None, "!"):
                self._refuse(
                    event,
                    f"YAML tags such as {event.tag!r} are not allowed; "
                    "remove the tag (quote the value if it should be text)",
                )
        self._count += 1
        if self._count > MAX_NODES:
            self._refuse(event, f"file has more than {MAX_NODES} values; split it into smaller files")
        self._depth += 1
        if self._depth > MAX_DEPTH:
            self._refuse(event, f"nesting deeper than {MAX_DEPTH} levels; flatten the structure")
        try:
            node: Node | None = super().compose_node(parent, index)
            assert node is not None
            return node
        finally:
            self._depth -= 1


def _decode(path: Path, data: bytes) -> str:
    if len(data) > MAX_BYTES:
        raise ContentError.at(
            Location.of(path, 1),
            f"file is {len(data)} bytes, more than the {MAX_BYTES} allowed; split it into smaller files",
        )
    nul = data.find(b"\x00")
    if nul >= 0:
        line = data[:nul].count(b"\n") + 1
        raise ContentError.at(Location.of(path, line), "NUL byte in file; save it as plain UTF-8 text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ContentError.at(
            Location.of(path, line, col),
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x}); save the file as UTF-8",
        ) from None
    return text


def _hint(problem: str) -> str:
    if "'\\t'" in problem or "\\t" in problem:
        return "; indent with spaces, not tabs"
    if "expected a single document" in problem:
        return "; keep one YAML document per file (remove the extra '---')"
    return ""


def read_yaml(path: Path, data: bytes | None = None) -> YamlDoc:
    """Parse ``path`` (or the given bytes) into a YamlDoc, or raise ContentError."""
    if data is None:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise ContentError.at(Location.of(path), f"cannot read file: {exc.strerror}") from None
    text = _decode(path, data)
    loader = _StrictLoader(text, path)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = Location.of(path, mark.line + 1, mark.column + 1) if mark else Location.of(path)
        problem = exc.problem or exc.context or "invalid YAML"
        raise ContentError.at(where, f"invalid YAML: {problem}{_hint(str(exc))}") from None
    except yaml.YAMLError as exc:
        raise ContentError.at(Location.of(path), f"invalid YAML: {exc}") from None
    finally:
        loader.dispose()
    doc = YamlDoc(path=path, data=None)
    if node is None:
        return doc
    doc.data = _build(node, (), doc, loader)
    return doc


def _build(node: Node, path: YamlPath, doc: YamlDoc, loader: _StrictLoader) -> Any:
    doc.values[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, ScalarNode):
        doc.raw[path] = node.value
        return loader.construct_object(node, deep=True)
    if isinstance(node, SequenceNode):
        return [_build(child, (*path, i), doc, loader) for i, child in enumerate(node.value)]
    if isinstance(node, MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            where = Location.of(doc.path, key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            if not isinstance(key_node, ScalarNode):
                raise ContentError.at(where, "mapping keys must be plain words")
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise ContentError.at(where, "merge keys (<<) are not allowed; write the keys out")
            key = str(key_node.value)
            if key in result:
                first = doc.keys[(*path, key)]
                raise ContentError.at(
                    where, f"duplicate key {key!r} (first defined at line {first[0]}); remove one of them"
                )
            doc.keys[(*path, key)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            result[key] = _build(value_node, (*path, key), doc, loader)
        return result
    raise ContentError.at(doc.where(path), "unsupported YAML node")

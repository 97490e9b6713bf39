"""Read one YAML file safely, keeping the line and column of every key and value.

Only plain YAML data is accepted: no tags, no anchors or aliases, no merge keys,
no duplicate keys, no control characters, no YAML 1.1 number surprises (``0777``,
``1:20``, ``0x1F``), one document per file, bounded size, depth and value count.
"""

from __future__ import annotations

import math
import re
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
from briefgen.files import decode_text, read_regular

MAX_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 64
MAX_NODES = 50_000
MAX_DIGITS = 18

YamlPath = tuple[str | int, ...]

# Characters no content needs: C0/C1 controls (tab and line breaks aside), DEL, the
# Unicode line separators (YAML counts them as line breaks and editors do not, so every
# later line number would be off), surrogates and non-characters (invalid in Word XML).
FORBIDDEN_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")
_INT_TAG = "tag:yaml.org,2002:int"
_FLOAT_TAG = "tag:yaml.org,2002:float"
_DECIMAL = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
_FLOAT = re.compile(r"[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+][0-9]+)?")


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


class _Strict:
    """Refuse the risky parts of YAML at compose time; mixed into a PyYAML loader."""

    _path: Path
    _depth: int
    _count: int

    def _refuse(self, event: Any, message: str, hint: str, code: str = "yaml.unsupported") -> None:
        mark = event.start_mark
        where = Location.of(self._path, mark.line + 1, mark.column + 1)
        raise ContentError.at(where, message, code=code, hint=hint)

    def compose_node(self, parent: Node | None, index: Any) -> Node:
        event = self.peek_event()  # type: ignore[attr-defined]
        if isinstance(event, AliasEvent):
            self._refuse(event, "YAML aliases (*name) are not allowed", "write the value out in full")
        if isinstance(event, (ScalarEvent, SequenceStartEvent, MappingStartEvent)):
            if event.anchor is not None:
                self._refuse(event, "YAML anchors (&name) are not allowed", "write the value out in full")
            if event.tag not in (None, "!"):
                self._refuse(
                    event,
                    f"YAML tags such as {event.tag!r} are not allowed",
                    "remove the tag (quote the value if it should be text)",
                )
        self._count += 1
        if self._count > MAX_NODES:
            self._refuse(event, f"file has more than {MAX_NODES} values", "split it into smaller files", "yaml.limit")
        self._depth += 1
        if self._depth > MAX_DEPTH:
            self._refuse(event, f"nesting deeper than {MAX_DEPTH} levels", "flatten the structure", "yaml.limit")
        try:
            node: Node | None = super().compose_node(parent, index)  # type: ignore[misc]
            assert node is not None
            return node
        finally:
            self._depth -= 1


class _PureLoader(_Strict, Reader, Scanner, Parser, Composer, SafeConstructor, Resolver):
    """The strict loader on PyYAML's pure-Python scanner and parser."""

    def __init__(self, stream: str, path: Path) -> None:
        Reader.__init__(self, stream)
        Scanner.__init__(self)
        Parser.__init__(self)
        Composer.__init__(self)
        SafeConstructor.__init__(self)
        Resolver.__init__(self)
        self._path, self._depth, self._count = path, 0, 0


_FastParser: Any = None
try:
    import yaml.cyaml

    _FastParser = getattr(yaml.cyaml, "CParser", None)
except ImportError:  # PyYAML built without libyaml: the pure-Python parser, only slower
    pass
_FastLoader: Any = None
if _FastParser is not None:
    # libyaml scans about five times faster, which bounds what an absurd file costs;
    # Python's composer still builds the nodes, so every node passes _Strict.
    class _FastLoader(_Strict, Composer, _FastParser, SafeConstructor, Resolver):  # type: ignore[no-redef,misc]
        """The strict loader on libyaml's scanner and parser."""

        def __init__(self, stream: str, path: Path) -> None:
            _FastParser.__init__(self, stream)
            Composer.__init__(self)
            SafeConstructor.__init__(self)
            Resolver.__init__(self)
            self._path, self._depth, self._count = path, 0, 0


def decode_content(path: Path, data: bytes) -> str:
    """Decode a content file's bytes (UTF-8 only, bounded, no control characters), or raise ContentError."""
    if len(data) > MAX_BYTES:
        raise ContentError.at(
            Location.of(path, 1),
            f"file is larger than the {MAX_BYTES} bytes allowed",
            code="file.too-large",
            hint="split it into smaller files",
        )
    text = decode_text(data, path).text
    bad = FORBIDDEN_CHARS.search(text)
    if bad:
        start = bad.start()
        line = text.count("\n", 0, start) + 1
        col = start - (text.rfind("\n", 0, start) + 1) + 1
        raise ContentError.at(
            Location.of(path, line, col),
            f"invisible control character U+{ord(bad.group()):04X} in the file",
            code="file.control-character",
            hint="delete it (only tabs and line breaks may appear)",
        )
    return text


def _hint(text: str, exc: yaml.MarkedYAMLError) -> str:
    problem = f"{exc.problem or ''} {exc.context or ''}"
    lines = text.split("\n")
    # libyaml does not name the character it stumbled on: look for a tab in the indentation.
    indents = [
        line[: len(line) - len(line.lstrip(" \t"))]
        for mark in (exc.problem_mark, exc.context_mark)
        if mark is not None and mark.line < len(lines)
        for line in (lines[mark.line],)
    ]
    if "\\t" in problem or any("\t" in indent for indent in indents):  # PyYAML names it '\\t'
        return "indent with spaces, not tabs"
    if "expected a single document" in problem or "another document" in problem:
        return "keep one YAML document per file (remove the extra '---')"
    return ""


def read_yaml(path: Path, data: bytes | None = None) -> YamlDoc:
    """Parse ``path`` (or the given bytes) into a YamlDoc, or raise ContentError."""
    if data is None:
        try:
            data = read_regular(path, MAX_BYTES, hint="split it into smaller files")
        except FileNotFoundError:
            raise ContentError.at(Location.of(path), "file not found", code="file.not-found") from None
    text = decode_content(path, data)
    loader = (_FastLoader or _PureLoader)(text, path)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = Location.of(path, mark.line + 1, mark.column + 1) if mark else Location.of(path)
        problem = exc.problem or exc.context or "invalid YAML"
        raise ContentError.at(where, f"invalid YAML: {problem}", code="yaml.syntax", hint=_hint(text, exc)) from None
    except yaml.YAMLError as exc:
        raise ContentError.at(Location.of(path), f"invalid YAML: {exc}", code="yaml.syntax") from None
    finally:
        loader.dispose()
    doc = YamlDoc(path=path, data=None)
    if node is None:
        return doc
    doc.data = _build(node, (), doc, loader)
    return doc


def _at(path: Path, node: Node) -> Location:
    return Location.of(path, node.start_mark.line + 1, node.start_mark.column + 1)


def _build(node: Node, path: YamlPath, doc: YamlDoc, loader: Any) -> Any:
    doc.values[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, ScalarNode):
        doc.raw[path] = node.value
        return _scalar(node, doc.path, loader)
    if isinstance(node, SequenceNode):
        return [_build(child, (*path, i), doc, loader) for i, child in enumerate(node.value)]
    if isinstance(node, MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                raise ContentError.at(_at(doc.path, key_node), "mapping keys must be plain words", code="yaml.unsupported")
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise ContentError.at(
                    _at(doc.path, key_node),
                    "merge keys (<<) are not allowed",
                    code="yaml.unsupported",
                    hint="write the keys out",
                )
            key = str(key_node.value)
            problem, code = _text_problem(key), "yaml.control-character"
            if key in result:
                first = doc.keys[(*path, key)]
                problem = f"duplicate key {key!r} (first defined at line {first[0]}); remove one of them"
                code = "yaml.duplicate-key"
            if problem:
                message, hint = _split(problem)
                raise ContentError.at(_at(doc.path, key_node), message, code=code, hint=hint)
            doc.keys[(*path, key)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            result[key] = _build(value_node, (*path, key), doc, loader)
        return result
    raise ContentError.at(_at(doc.path, node), "unsupported YAML node", code="yaml.unsupported")


def _scalar(node: ScalarNode, path: Path, loader: Any) -> Any:
    """Construct one scalar, refusing numbers YAML 1.1 reads differently from how they look."""
    raw = str(node.value)
    problem: str | None = None
    code = "yaml.ambiguous-number"
    if node.tag == _INT_TAG:
        problem = _int_problem(raw)
    elif node.tag == _FLOAT_TAG and not _FLOAT.fullmatch(raw):
        problem = (
            f"YAML reads {raw!r} as a special number (infinity, not-a-number or base 60); "
            "write a plain decimal number, or put it in quotes if you mean text"
        )
    if problem is None:
        code = "yaml.value"
        try:
            value = loader.construct_object(node, deep=True)
        except (ValueError, OverflowError, yaml.YAMLError) as exc:
            # A bare 2024-13-45 resolves to a date yet is none; '=' resolves to a tag no one builds.
            reason = getattr(exc, "problem", None) or str(exc)
            problem = f"YAML cannot read {raw[:40]!r}: {reason}; fix it, or put it in quotes if you mean text"
        else:
            if isinstance(value, float) and not math.isfinite(value):
                problem = f"number {raw[:40]!r} is too large; write a smaller number"
            elif isinstance(value, str):
                problem, code = _text_problem(value), "yaml.control-character"
    if problem:
        message, hint = _split(problem)
        raise ContentError.at(_at(path, node), message, code=code, hint=hint)
    return value


def _split(problem: str) -> tuple[str, str]:
    """Split "what is wrong; what to do" into a message and a hint (the value quoted may hold '; ')."""
    message, _, hint = problem.rpartition("; ")
    return (message, hint) if message else (problem, "")


def _int_problem(raw: str) -> str | None:
    """Explain octal, hex, binary, base-60, underscored and over-long integers."""
    digits = raw.lstrip("+-")
    if _DECIMAL.fullmatch(raw):
        if len(digits) > MAX_DIGITS:
            return f"number {raw[:20]}… has more than {MAX_DIGITS} digits; put it in quotes if you mean text"
        return None
    if ":" in raw:
        what = "a base-60 number"
    elif digits[:2].lower() in ("0x", "0b"):
        what = "a hexadecimal or binary number"
    elif "_" in raw:
        what = "a number with the underscores dropped"
    else:
        what = "an octal (base-8) number"
    return (
        f"YAML 1.1 reads {raw[:40]!r} as {what}, not as written; write a plain decimal number "
        "(no leading zeros), or put it in quotes if you mean text"
    )


def _text_problem(value: str) -> str | None:
    """Explain a control character that a double-quoted escape ("\\x07") put into text."""
    bad = FORBIDDEN_CHARS.search(value)
    if bad is None:
        return None
    return (
        f"text contains the control character U+{ord(bad.group()):04X} (from an escape sequence); remove it"
    )

"""Load a project's content files (YAML, and Markdown topics) into the model, reporting every problem at once."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from briefgen.content.ids import MD_SUFFIX
from briefgen.content.validation import split_hint, validation_problems
from briefgen.content.yamlread import YamlDoc, YamlPath, read_yaml
from briefgen.errors import BriefgenError, ContentError, Location, Problem, ProblemCollector, display_path

if TYPE_CHECKING:
    # Imported where used: listing content files (what a no-op build does) needs no model.
    from briefgen.content.model import Library, Schema

log = logging.getLogger(__name__)

CONTENT_SUFFIXES = (".yaml", ".yml", MD_SUFFIX)
# A folder's README is about the content, not part of it.
NOT_CONTENT = frozenset({"readme.md"})
MAX_FILES = 5_000
MAX_TOTAL_BYTES = 32 * 1024 * 1024

_LIBRARY_FIELD = {
    "source": "sources",
    "topic": "topics",
    "themes": "themes",
    "organizations": "organizations",
    "missions": "missions",
    "glossary": "glossary",
    "figures": "figures",
    "audiences": "audiences",
}


def content_files(content_dir: Path, problems: list[Problem] | None = None) -> list[Path]:
    """Return the content files under ``content_dir`` in a stable order.

    Links that lead out of the folder and special files (pipes, devices) are left out;
    when ``problems`` is given, each one left out is reported there.
    """
    if not content_dir.is_dir():
        raise ContentError.at(
            Location.of(content_dir),
            "content folder not found",
            code="content.no-folder",
            hint="create it or set 'content:' in briefgen.yaml",
        )
    root = content_dir.resolve()
    files = []
    total = 0
    for path in sorted(content_dir.rglob("*")):
        if path.suffix not in CONTENT_SUFFIXES or path.name.startswith(".") or path.name.lower() in NOT_CONTENT:
            continue
        refusal = _refusal(path, root)
        if refusal is not None:
            if refusal and problems is not None:
                # Name the link itself, not where it points (Location.of would resolve it).
                where = Location(str(Path(display_path(path.parent)) / path.name))
                message, hint = split_hint(refusal)
                problems.append(Problem(where, message, code="content.refused-file", hint=hint))
            continue
        files.append(path)
        total += path.stat().st_size
    if len(files) > MAX_FILES:
        raise ContentError.at(Location.of(content_dir), f"more than {MAX_FILES} content files", code="content.limit")
    if total > MAX_TOTAL_BYTES:
        raise ContentError.at(
            Location.of(content_dir),
            f"content files hold {total} bytes, more than the {MAX_TOTAL_BYTES} allowed in one project",
            code="content.limit",
        )
    return files


def _refusal(path: Path, root: Path) -> str | None:
    """Say why ``path`` is not read as content ('' to skip it quietly), or None to read it."""
    # A symlink may not pull content in from outside the project.
    if not path.resolve().is_relative_to(root):
        return "a link to something outside the content folder; copy the file in instead"
    if path.is_dir():
        return ""  # folders are walked, not read
    if not path.exists():
        return "a link to a file that does not exist; remove it"
    if not path.is_file():
        return "not a regular file (a pipe, socket or device); remove it"
    return None


def load_library(content_dir: Path, project_root: Path) -> tuple[Library, dict[str, YamlDoc]]:
    """Read, validate and cross-check every content file; raise ContentError listing all problems."""
    from briefgen.content.model import Library

    collector = ProblemCollector()
    library = Library()
    docs: dict[str, YamlDoc] = {}
    origins: dict[tuple[str, str], tuple[str, YamlPath]] = {}
    refused: list[Problem] = []
    for path in content_files(content_dir, refused):
        rel = _relative(path, project_root)
        try:
            doc = read_content_file(path)
        except BriefgenError as exc:
            collector.extend(exc.problems or [Problem(Location.of(path), str(exc))])
            continue
        docs[rel] = doc
        _load_doc(doc, rel, library, origins, collector)
    collector.extend(refused)
    if not collector.problems:
        from briefgen.content.references import check_references

        collector.extend(check_references(library, docs, origins))
    collector.raise_if_any(ContentError, "content is not valid")
    from briefgen.content.coverage import coverage_warnings

    library.warnings = coverage_warnings(library, docs, origins)
    return library, docs


def read_content_file(path: Path, data: bytes | None = None) -> YamlDoc:
    """Read one content file, YAML or a Markdown topic, into located data."""
    if path.suffix == MD_SUFFIX:
        from briefgen.content.mdtopic import read_markdown_topic  # markdown-it and the model

        return read_markdown_topic(path, data)
    return read_yaml(path, data)


def _relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _load_doc(
    doc: YamlDoc,
    rel: str,
    library: Library,
    origins: dict[tuple[str, str], tuple[str, YamlPath]],
    collector: ProblemCollector,
) -> None:
    from briefgen.content.model import FILE_KINDS

    data = doc.data
    kinds = ", ".join(FILE_KINDS)
    if not isinstance(data, dict) or len(data) != 1:
        collector.add(
            doc.where(()),
            f"a content file holds exactly one top-level key naming its kind ({kinds})",
            code="content.unknown-kind",
        )
        return
    ((kind, body),) = data.items()
    if kind not in FILE_KINDS:
        from briefgen.content.validation import close_match

        hint = "; ".join(h for h in (close_match(kind, FILE_KINDS)[2:], f"expected one of {kinds}") if h)
        collector.add(doc.where((kind,), key=True), f"unknown kind {kind!r}", code="content.unknown-kind", hint=hint)
        return
    model, is_list = FILE_KINDS[kind]
    if is_list and not isinstance(body, list):
        collector.add(doc.where((kind,)), f"{kind}: expected a list of entries", code="content.invalid-value")
        return
    items = list(enumerate(body)) if is_list else [(None, body)]
    for index, item in items:
        prefix: YamlPath = (kind,) if index is None else (kind, index)
        record = _validate(model, item, doc, prefix, collector)
        if record is None:
            continue
        _register(kind, record, rel, doc, prefix, library, origins, collector)


def _validate(
    model: type[Schema], item: Any, doc: YamlDoc, prefix: YamlPath, collector: ProblemCollector
) -> Schema | None:
    try:
        return model.model_validate(item)
    except ValidationError as exc:
        collector.extend(validation_problems(exc, doc, prefix, model, doc.where(prefix)))
        return None


def _register(
    kind: str,
    record: Schema,
    rel: str,
    doc: YamlDoc,
    prefix: YamlPath,
    library: Library,
    origins: dict[tuple[str, str], tuple[str, YamlPath]],
    collector: ProblemCollector,
) -> None:
    key = str(getattr(record, "id", None) or getattr(record, "term", ""))
    table: dict[str, Any] = getattr(library, _LIBRARY_FIELD[kind])
    if key in table:
        first_rel, first_path = origins[(kind, key)]
        line = _line_of(first_rel, first_path, doc, rel)
        collector.add(
            doc.where(prefix),
            f"{kind} {key!r} is defined twice (first in {first_rel}{line})",
            code="content.duplicate-id",
            hint="give it another id",
        )
        return
    table[key] = record
    origins[(kind, key)] = (rel, prefix)
    library.files[(kind, key)] = rel
    _record_places(kind, key, record, rel, doc, prefix, library)


def _record_places(
    kind: str, key: str, record: Schema, rel: str, doc: YamlDoc, prefix: YamlPath, library: Library
) -> None:
    """Remember where a topic, its statements and an audience stand, relative to the project."""
    from briefgen.content.model import Topic

    def place(path: YamlPath) -> Location:
        found = doc.where(path)  # the project-relative path keeps briefings the same from any folder
        return Location(rel, found.line, found.col)

    if kind in ("topic", "audiences"):
        library.places[(kind.removesuffix("s"), key)] = place(prefix)
    if isinstance(record, Topic):
        library.places[("topic", key, "summary")] = place((*prefix, "summary"))
        for s, section in enumerate(record.sections):
            library.places[("topic", key, s)] = place((*prefix, "sections", s))
            for p in range(len(section.points)):
                library.places[("topic", key, s, p)] = place((*prefix, "sections", s, "points", p))


def _line_of(first_rel: str, first_path: YamlPath, doc: YamlDoc, rel: str) -> str:
    if first_rel == rel:
        return f":{doc.where(first_path).line}"
    return ""

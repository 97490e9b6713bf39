"""Write what `briefgen ingest` drafts into the project: sources, a Markdown topic and entity files.

Every file is drafted and checked before any is written; nothing existing is replaced
without ``force``; each file is written atomically with the same permissions as every
other file briefgen writes, and a failure part-way removes what this run created.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from briefgen.content.load import read_content_file
from briefgen.content.model import FILE_KINDS, Library, Source
from briefgen.content.topicfile import dump_yaml, topic_markdown
from briefgen.content.validation import validation_problems
from briefgen.content.yamlread import MAX_BYTES
from briefgen.errors import BriefgenError, ConfigError, ContentError, Location, Problem
from briefgen.files import atomic_write
from briefgen.ingest.document import RawDocument
from briefgen.ingest.draft import check_id, draft_source, render_yaml
from briefgen.ingest.entities import draft_entities
from briefgen.ingest.readers import read_document
from briefgen.ingest.topic import draft_topic

DRAFT_NOTE = (
    "# Drafted by `briefgen ingest`: check names, years and figures against the sources before use.\n"
)
FIX = "choose another --topic, or pass --force"
MAX_SECTIONS = 1_500


@dataclass
class Ingested:
    """What an ingest run wrote, and what it noticed on the way."""

    topic: str
    written: list[Path] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


def ingest_files(
    paths: list[Path],
    content_dir: Path,
    library: Library,
    *,
    root: Path,
    topic_id: str | None = None,
    source_id: str | None = None,
    title: str | None = None,
    force: bool = False,
) -> Ingested:
    """Draft sources, a topic and entities from ``paths`` and write them under ``content_dir``."""
    if source_id is not None and len(paths) > 1:
        raise ConfigError("--id names one source; with several files each source id comes from its file name")
    documents: list[tuple[Source, RawDocument]] = []
    warnings: list[Problem] = []
    for path in paths:
        doc = read_document(path)
        warnings.extend(doc.warnings)
        if len(doc.sections) > MAX_SECTIONS:
            # A content file holds at most 50,000 values: a source record lists every section.
            cut = doc.sections[MAX_SECTIONS]
            place = f"page {cut.page}, line {cut.line}" if cut.page else f"line {cut.line}"
            warnings.append(
                Problem.warning(
                    Location.of(path, cut.line),
                    f"long document: {len(doc.sections)} sections; the draft covers the first {MAX_SECTIONS} "
                    f"(up to {place}); split it to draft the rest",
                )
            )
            doc.sections = doc.sections[:MAX_SECTIONS]
        source = draft_source(path, source_id, title if len(paths) == 1 else None, doc)
        if any(s.id == source.id for s, _ in documents):
            raise ConfigError(f"two files give the source id {source.id!r}; rename one of them")
        documents.append((source, doc))
    tid = check_id(topic_id or documents[0][0].id, "--topic")
    topic_title = " ".join(title.split()) if title else documents[0][0].title
    entities = draft_entities(documents, library)
    topic = draft_topic(tid, topic_title, documents, library, warnings)
    topic = topic.model_copy(
        update={"missions": entities.mission_ids, "organizations": entities.organization_ids}
    )
    files: dict[Path, tuple[str, str]] = {}
    for source, _ in documents:
        files[content_dir / "sources" / f"{source.id}.yaml"] = ("source", render_yaml(source))
    entity_dir = content_dir / "entities" / tid
    for kind, records in (
        ("organizations", entities.organizations), ("missions", entities.missions), ("glossary", entities.glossary),
    ):  # fmt: skip
        if records:
            data = {kind: [r.model_dump(exclude_none=True, exclude_defaults=True) for r in records]}
            files[entity_dir / f"{kind}.yaml"] = (kind, dump_yaml(data, DRAFT_NOTE))
    files[content_dir / "topics" / f"{tid}.md"] = ("topic", topic_markdown(topic))
    _check_clashes(files, library, root, force, [s.id for s, _ in documents], tid)
    for path, (_, text) in files.items():
        _check_readable(path, text)
    result = Ingested(tid, warnings=warnings)
    _write_all(files, result)
    return result


def _check_clashes(
    files: dict[Path, tuple[str, str]],
    library: Library,
    root: Path,
    force: bool,
    sources: list[str],
    topic: str,
) -> None:
    """Refuse to overwrite without --force, and to define a source or topic another file already defines."""
    problems: list[Problem] = []
    if not force:
        problems += [
            Problem(
                Location.of(p),
                "file already exists; pass --force to overwrite it or choose another --id or --topic",
            )
            for p in files
            if p.exists() or p.is_symlink()
        ]
    targets = {p.resolve() for p in files}
    for kind, key in [("source", s) for s in sources] + [("topic", topic)]:
        rel = library.files.get((kind, key))
        if rel is not None and (root / rel).resolve() not in targets:
            problems.append(
                Problem(Location.of(root / rel), f"{kind} {key!r} is already defined here; {FIX}")
            )
    if problems:
        raise ContentError("ingest would overwrite existing content", problems)


def _check_readable(path: Path, text: str) -> None:
    """Read a drafted file back as the loader will, so a draft the project cannot load is never written."""
    data = text.encode("utf-8")
    if len(data) > MAX_BYTES:
        raise ContentError.at(
            Location.of(path),
            f"the draft would be {len(data)} bytes, more than the {MAX_BYTES} a content file may hold; "
            "split the document and ingest the parts",
        )
    doc = read_content_file(path, data)
    ((kind, body),) = doc.data.items()
    model, is_list = FILE_KINDS[kind]
    for index, item in enumerate(body) if is_list else [(None, body)]:
        prefix = (kind,) if index is None else (kind, index)
        try:
            model.model_validate(item)
        except ValidationError as exc:  # a drafting bug, reported like any content problem
            raise ContentError(
                "drafted content does not validate",
                validation_problems(exc, doc, prefix, model, doc.where(prefix)),
            ) from None


def _write_all(files: dict[Path, tuple[str, str]], result: Ingested) -> None:
    created: list[Path] = []
    try:
        for path, (_, text) in files.items():
            existed = path.exists()
            atomic_write(path, text.encode("utf-8"), "write to another content folder")
            if not existed:
                created.append(path)
            result.written.append(path)
    except BriefgenError:
        for path in created:
            with contextlib.suppress(OSError):
                path.unlink()
        raise

"""JSON Schema for editors: briefgen.yaml, theme.yaml and every content file kind, from the models that validate them.

`briefgen schema` writes one file per kind into ``schemas/``; a YAML file points at its
schema with a yaml-language-server modeline (``# yaml-language-server: $schema=...``),
which VS Code's YAML extension, Neovim, Helix, Zed and JetBrains IDEs read, so an editor
completes keys and flags mistakes as they are typed; a Markdown topic carries it as the
first line of its front matter. The schemas are generated from the same pydantic models
that validate the files (``ProjectConfig``, ``ThemeSpec``, ``content.model.FILE_KINDS``,
and ``Topic`` without its sections for a Markdown topic's front matter), so they cannot
drift from what briefgen accepts.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Union

from pydantic import BaseModel, ConfigDict, TypeAdapter, create_model

from briefgen.content.mdtopic import MD_SUFFIX
from briefgen.content.model import FILE_KINDS, Id, Topic
from briefgen.files import atomic_write
from briefgen.project.config import CONFIG_NAME, ProjectConfig
from briefgen.project.themes import ThemeSpec

SCHEMA_DIR = "schemas"
DIALECT = "https://json-schema.org/draft/2020-12/schema"
MODELINE = "# yaml-language-server: $schema="
CONFIG_SCHEMA = "briefgen.schema.json"
THEME_SCHEMA = "theme.schema.json"
CONTENT_SCHEMA = "content.schema.json"  # any content file: exactly one of the kinds
FRONT_MATTER_SCHEMA = "topic-front-matter.schema.json"  # a Markdown topic's front matter


def kind_schema_name(kind: str) -> str:
    """Return the schema file name of content file kind ``kind``."""
    return f"{kind}.schema.json"


def _file_model(kind: str) -> type[BaseModel]:
    """Return a model of a whole content file of ``kind``: its one top-level key and what it holds."""
    model, is_list = FILE_KINDS[kind]
    holds: Any = list[model] if is_list else model  # type: ignore[valid-type]
    fields: dict[str, Any] = {kind: (holds, ...)}
    name = "".join(part.title() for part in kind.split("-")) + "File"
    return create_model(name, __config__=ConfigDict(extra="forbid"), __doc__=f"A content file of {kind}.", **fields)


def _front_matter_model() -> type[BaseModel]:
    """Return the model of a Markdown topic's front matter: a Topic's fields but sections, the id optional."""
    fields: dict[str, Any] = {
        name: (info.annotation, info) for name, info in Topic.model_fields.items() if name != "sections"
    }
    fields["id"] = (Id | None, None)  # the file name gives it unless the front matter does
    return create_model(
        "TopicFrontMatter",
        __config__=ConfigDict(extra="forbid"),
        __doc__="The front matter of a Markdown topic (content/topics/ID.md); the sections are its headings.",
        **fields,
    )


def _finish(schema: dict[str, Any], title: str) -> dict[str, Any]:
    return {"$schema": DIALECT, "title": title, **{k: v for k, v in schema.items() if k != "title"}}


def schemas() -> dict[str, dict[str, Any]]:
    """Return every schema by file name, in a stable order."""
    found = {
        CONFIG_SCHEMA: _finish(ProjectConfig.model_json_schema(), "briefgen project configuration (briefgen.yaml)"),
        THEME_SCHEMA: _finish(ThemeSpec.model_json_schema(), "briefgen theme (themes/NAME/theme.yaml)"),
    }
    models = {kind: _file_model(kind) for kind in FILE_KINDS}
    for kind, model in models.items():
        found[kind_schema_name(kind)] = _finish(model.model_json_schema(), f"briefgen content file: {kind}")
    any_kind: Any = Union[tuple(models.values())]  # noqa: UP007 - a Union built at run time
    found[CONTENT_SCHEMA] = _finish(TypeAdapter(any_kind).json_schema(), "briefgen content file (any kind)")
    found[FRONT_MATTER_SCHEMA] = _finish(
        _front_matter_model().model_json_schema(), "briefgen Markdown topic front matter"
    )
    return found


def schema_text(schema: dict[str, Any]) -> str:
    """Return a schema as the file holds it (sorted keys, so regenerating changes no byte)."""
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write_schemas(dest: Path) -> list[Path]:
    """Write every schema into the folder ``dest``; return the files written."""
    dest.mkdir(parents=True, exist_ok=True)
    written = []
    for name, schema in schemas().items():
        atomic_write(dest / name, schema_text(schema).encode("utf-8"))
        written.append(dest / name)
    return written


def schema_for(rel: Path, text: str) -> str | None:
    """Return the schema file name for project file ``rel`` holding ``text``, or None for no YAML file.

    briefgen.yaml and theme.yaml go by name; a content file by its top-level key; a
    Markdown topic with front matter by its suffix.
    """
    if rel.suffix == MD_SUFFIX:
        return FRONT_MATTER_SCHEMA if text.startswith("---") else None
    if rel.suffix not in (".yaml", ".yml"):
        return None
    if rel.as_posix() == CONFIG_NAME:
        return CONFIG_SCHEMA
    if rel.name == "theme.yaml":
        return THEME_SCHEMA
    for line in text.splitlines():
        key = line.split(":", 1)[0].strip()
        if line[:1].isalpha() and key in FILE_KINDS:
            return kind_schema_name(key)
    return CONTENT_SCHEMA


def with_modeline(text: str, yaml_file: Path, schema_file: Path) -> str:
    """Return ``text`` opening with a modeline pointing (relatively) at ``schema_file``; replace an old one.

    In a Markdown file the modeline opens the front matter, just below its first ``---``.
    """
    target = Path(os.path.relpath(schema_file, yaml_file.parent)).as_posix()
    lines = [line for line in text.splitlines(keepends=True) if not line.startswith(MODELINE)]
    at = 1 if yaml_file.suffix == MD_SUFFIX else 0
    return "".join([*lines[:at], f"{MODELINE}{target}\n", *lines[at:]])


def scaffold_schemas(dest: Path, files: list[Path]) -> list[Path]:
    """Write the schemas into ``dest``/schemas and point each YAML file among ``files`` at its own."""
    folder = dest / SCHEMA_DIR
    written = write_schemas(folder)
    for path in files:
        text = path.read_text(encoding="utf-8")
        name = schema_for(path.relative_to(dest), text)
        if name is not None:
            path.write_text(with_modeline(text, path, folder / name), encoding="utf-8")
    return written

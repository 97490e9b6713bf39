"""The project configuration (briefgen.yaml): declared schema, defaults, CLI overrides."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    WithJsonSchema,
)

from briefgen.content.ids import ID_PATTERN
from briefgen.content.validation import validation_problems
from briefgen.content.yamlread import YamlDoc, read_yaml
from briefgen.errors import ConfigError, Location, Problem
from briefgen.formats import DEFAULT_FORMATS, FORMATS
from briefgen.project.locate import CONFIG_NAME as CONFIG_NAME

# Zip entries hold times from 1980 to 2107; SOURCE_DATE_EPOCH must give one of those.
EPOCH_FIRST = 315_532_800  # 1980-01-01T00:00:00Z
EPOCH_LAST = 4_354_819_198  # 2107-12-31T23:59:58Z

Id = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
RelPath = Annotated[str, StringConstraints(min_length=1, max_length=300)]


def _known_format(name: str) -> str:
    if name not in FORMATS:
        raise ValueError(f"unknown format {name!r}; available: {', '.join(FORMATS)}")
    return name


FormatName = Annotated[str, AfterValidator(_known_format), WithJsonSchema({"enum": list(FORMATS)})]


class Matrix(BaseModel):
    """Which topics, audiences and formats `briefgen build` makes by default."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    topics: list[Id] | Literal["all"] = "all"
    audiences: list[Id] | Literal["all"] = "all"
    formats: list[FormatName] = Field(default_factory=lambda: list(DEFAULT_FORMATS), min_length=1)


class BuildOptions(BaseModel):
    """How `briefgen build` runs: parallelism, per-target limits and the cache folder."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    jobs: Annotated[int, Field(ge=1, le=256)] | Literal["auto"] = "auto"  # auto: one per core
    timeout: Annotated[float, Field(gt=0, le=86_400)] = 300.0  # seconds per target
    memory_mib: Annotated[int, Field(ge=64, le=1_048_576)] | None = 2048  # per worker; None: no limit
    cache: RelPath = ".briefgen-cache"  # outside the output folder, so --clean decides


class ServeOptions(BaseModel):
    """Where `briefgen serve` listens."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    host: Annotated[str, StringConstraints(min_length=1, max_length=255)] = "127.0.0.1"
    port: Annotated[int, Field(ge=0, le=65535)] = 8000  # 0: any free port


class WordOptions(BaseModel):
    """How Word files are made beyond their theme."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    # Where the contents' page numbers come from: auto = LibreOffice's layout of the Word
    # file when LibreOffice (soffice) is installed, else the PDF's pagination;
    # libreoffice = require LibreOffice; pdf = never run LibreOffice; none = no numbers
    # (Word fills them when the field is updated).
    paginate: Literal["auto", "libreoffice", "pdf", "none"] = "auto"


class Neutral:
    """Marks a setting that changes no output's bytes (which targets, where, how fast)."""


class ProjectConfig(BaseModel):
    """Everything a project declares; the command line may override any of it.

    Every setting changes what outputs contain, and so is part of their inputs hash,
    unless it is marked Neutral here (Sphinx's ``rebuild``, next to the declaration).
    """

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    title: str = "Briefings"
    author: str = "briefgen"
    language: Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")] = "en"  # BCP 47
    date: Annotated[dt.date, Field(strict=False)] | None = None
    content: RelPath = "content"
    templates: RelPath = "templates"
    output: Annotated[RelPath, Neutral()] = "build"
    theme: Id = "default"
    matrix: Annotated[Matrix, Neutral()] = Matrix()
    build: Annotated[BuildOptions, Neutral()] = BuildOptions()
    serve: Annotated[ServeOptions, Neutral()] = ServeOptions()
    # Neutral for the whole: it reaches the Word files' hash as the paginator it resolves to
    # (RenderContext.paginator, with LibreOffice's version), and changes no other format.
    word: Annotated[WordOptions, Neutral()] = WordOptions()

    def output_settings(self) -> dict[str, Any]:
        """Return the settings that can change an output, as JSON-ready data."""
        neutral = {
            name for name, info in type(self).model_fields.items() if any(isinstance(m, Neutral) for m in info.metadata)
        }
        return self.model_dump(mode="json", exclude=neutral)


@dataclass(frozen=True)
class Project:
    """A loaded configuration bound to the folder it belongs to."""

    root: Path
    config: ProjectConfig
    config_path: Path | None
    # SOURCE_DATE_EPOCH, read once here: the time stamp of zip entries (Word), or None.
    source_date_epoch: int | None = None

    @property
    def content_dir(self) -> Path:
        """Return the folder holding the content YAML files."""
        return self.root / self.config.content

    @property
    def templates_dir(self) -> Path:
        """Return the project's own template folder (may not exist)."""
        return self.root / self.config.templates

    @property
    def output_dir(self) -> Path:
        """Return the folder outputs are written to."""
        return self.root / self.config.output

    @property
    def cache_dir(self) -> Path:
        """Return the folder holding the incremental build cache."""
        return self.root / self.config.build.cache


def load_project(
    root: Path,
    overrides: dict[str, Any] | None = None,
    environ: Mapping[str, str] | None = None,
    options: Mapping[str, str] | None = None,
) -> Project:
    """Load ``root/briefgen.yaml`` (defaults when absent) and apply CLI overrides.

    The environment (``environ``, by default the process's) is read here and only here.
    A bad override is blamed on its command-line option (``options``: setting -> option,
    ``{"build.timeout": "--timeout"}``), never on a line of briefgen.yaml.
    """
    epoch = source_date_epoch(os.environ if environ is None else environ)
    root = root.resolve()
    path = root / CONFIG_NAME
    data: dict[str, Any] = {}
    doc: YamlDoc | None = None
    if path.is_file():
        doc = read_yaml(path)
        if doc.data is not None and not isinstance(doc.data, dict):
            raise ConfigError.at(doc.where(()), "expected a mapping of settings at the top level")
        data = dict(doc.data or {})
    overridden: dict[str, str] = {}  # dotted setting -> the option that gave it
    for key, value in (overrides or {}).items():
        if isinstance(value, dict):
            # A nested override (build: jobs, ...) changes only the settings it names.
            given = {k: v for k, v in value.items() if v is not None}
            if given:
                section = data.get(key)
                data[key] = {**section, **given} if isinstance(section, dict) else given
            overridden.update({f"{key}.{k}": "" for k in given})
        elif value is not None:
            data[key] = value
            overridden[key] = ""
    for dotted in overridden:
        overridden[dotted] = (options or {}).get(dotted) or f"the command-line value of {dotted}"
    try:
        config = ProjectConfig.model_validate(data)
    except ValidationError as exc:
        problems = validation_problems(exc, doc, (), ProjectConfig, Location.of(path), "config")
        raise ConfigError("invalid configuration", _blame_options(problems, overridden)) from None
    problems = _check_paths(root, config, doc, path)
    if problems:
        raise ConfigError("invalid configuration", _blame_options(problems, overridden))
    if "theme" in overridden:  # a theme the command line names is checked here, to blame the option
        _check_theme(root / config.templates, config.theme, overridden["theme"])
    return Project(root=root, config=config, config_path=path if doc else None, source_date_epoch=epoch)


def _check_theme(templates: Path, name: str, option: str) -> None:
    from briefgen.project.searchpath import TemplateDirs
    from briefgen.project.themes import available_themes

    dirs = TemplateDirs.for_project(templates)
    if dirs.find(f"themes/{name}/theme.yaml") is None:
        known = ", ".join(available_themes(dirs)) or "none"
        message = f"{option}: unknown theme {name!r}"
        raise ConfigError.at(Location(""), message, code="theme.unknown", hint=f"available: {known}")


def _blame_options(problems: list[Problem], overridden: Mapping[str, str]) -> list[Problem]:
    """Put a problem with a value the command line gave on its option, not on briefgen.yaml."""
    blamed = []
    for problem in problems:
        setting, _, rest = problem.message.partition(": ")
        option = overridden.get(setting)
        if option is None:
            blamed.append(problem)
            continue
        # Hints about briefgen.yaml's text (how YAML read it, removing the key) do not apply.
        kept = [h for h in problem.hint.split("; ") if h and "YAML" not in h and "the key" not in h]
        blamed.append(replace(problem, location=Location(""), message=f"{option}: {rest}", hint="; ".join(kept)))
    return blamed


def source_date_epoch(environ: Mapping[str, str]) -> int | None:
    """Return SOURCE_DATE_EPOCH as seconds, None when unset; refuse a value zip cannot hold."""
    raw = environ.get("SOURCE_DATE_EPOCH")
    if raw is None or raw == "":
        return None
    text = raw.strip()
    if not text.isascii() or not text.isdigit() or len(text) > 12:
        raise ConfigError(
            f"SOURCE_DATE_EPOCH={raw[:40]!r} is not a whole number of seconds since 1970; "
            "set it to one (e.g. $(git log -1 --format=%ct)) or unset it"
        )
    value = int(text)
    if value > EPOCH_LAST:
        raise ConfigError(
            f"SOURCE_DATE_EPOCH={value} lies after 2107, the last year a zip entry (Word file) can "
            "record; give a time stamp before 2108 or unset it"
        )
    return max(value, EPOCH_FIRST)  # zip has no time before 1980; earlier stamps become 1980-01-01


def _check_paths(root: Path, config: ProjectConfig, doc: YamlDoc | None, path: Path) -> list[Problem]:
    """Refuse folders that lie outside the project (absolute, '..', symlinks out)."""
    problems = []
    settings: list[tuple[tuple[str, ...], str]] = [
        ((key,), getattr(config, key)) for key in ("content", "templates", "output")
    ]
    settings.append((("build", "cache"), config.build.cache))
    for keys, value in settings:
        target = (root / value).resolve()
        if Path(value).is_absolute() or not target.is_relative_to(root):
            where = doc.where(keys) if doc and keys in doc.values else Location.of(path)
            problems.append(
                Problem(
                    where,
                    f"{'.'.join(keys)}: {value!r} lies outside the project",
                    code="config.outside-project",
                    hint="use a folder inside it",
                )
            )
    return problems

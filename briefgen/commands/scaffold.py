"""Start and customise projects: `briefgen init`, `templates list`, `templates eject` and `templates refdoc`."""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass
from pathlib import Path

from briefgen.content.yamlread import read_yaml
from briefgen.errors import ConfigError
from briefgen.project.searchpath import TemplateDirs, safe_relative

STARTER = Path(__file__).resolve().parents[1] / "starter"
TODAY_MARK = "__TODAY__"
SKIP_NAMES = {"__pycache__", ".DS_Store"}


def _files_under(folder: Path) -> list[Path]:
    """Return the regular files below ``folder`` (no links), relative to it, sorted."""
    found = []
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if any(part in SKIP_NAMES for part in rel.parts) or path.is_symlink() or not path.is_file():
            continue
        found.append(rel)
    return found


def _refuse_existing(targets: list[Path], what: str) -> None:
    existing = [t for t in targets if t.exists() or t.is_symlink()]
    if existing:
        names = ", ".join(str(t) for t in existing)
        raise ConfigError(f"{what} would overwrite {names}; use --force to replace them")


def init_project(dest: Path, *, force: bool = False, today: dt.date | None = None) -> list[Path]:
    """Write the starter project into ``dest``; return the files written."""
    if dest.exists() and not dest.is_dir():
        raise ConfigError(f"{dest} exists and is not a folder")
    files = _files_under(STARTER)
    targets = [dest / rel for rel in files]
    if not force:
        _refuse_existing(targets, "briefgen init")
    stamp = (today or dt.date.today()).isoformat()
    for rel, target in zip(files, targets, strict=True):
        target.parent.mkdir(parents=True, exist_ok=True)
        data = (STARTER / rel).read_bytes()
        if rel.name == "briefgen.yaml":
            data = data.replace(TODAY_MARK.encode(), stamp.encode())
        target.write_bytes(data)
    from briefgen.commands.schema import scaffold_schemas  # editors complete keys from the first keystroke

    return targets + scaffold_schemas(dest, targets)


@dataclass(frozen=True)
class TemplateEntry:
    """One built-in template, theme or font folder, and how the project overrides it."""

    name: str  # template-relative: "partials/cover.html", "themes/field", "fonts"
    kind: str  # template | stylesheet | theme | fonts | file
    overrides: tuple[str, ...] = ()  # project files that replace (parts of) it
    description: str = ""
    formats: tuple[str, ...] = ()  # the outputs it shapes; Word takes only the theme (and its fonts)

    @property
    def reaches_word(self) -> bool:
        """Return whether changing this entry can change a Word file."""
        return "docx" in self.formats


# Jinja templates and stylesheets shape the PDF and HTML only: Word is written by
# python-docx from the Briefing, styled by the theme's reference.docx and theme.yaml.
_SPECIAL_FORMATS = {"preview.css": ("serve",), "screen.css": ("html",)}


def _formats(name: str, kind: str) -> tuple[str, ...]:
    if kind in ("theme", "fonts"):
        return ("pdf", "html", "docx")
    return _SPECIAL_FORMATS.get(name, ("pdf", "html"))


def _kind(name: str) -> str:
    suffix = Path(name).suffix
    return {".html": "template", ".css": "stylesheet"}.get(suffix, "file")


def _theme_description(theme_yaml: Path) -> str:
    try:
        data = read_yaml(theme_yaml).data
    except Exception:  # a broken theme file must not break the listing; validate reports it
        return ""
    return str(data.get("description", "")) if isinstance(data, dict) else ""


def list_templates(dirs: TemplateDirs) -> tuple[list[TemplateEntry], list[str]]:
    """Return the built-in entries with the project's overrides, and project-only files."""
    builtin = dirs.dirs[-1]
    own = dirs.dirs[0] if len(dirs.dirs) > 1 else None
    own_files = {rel.as_posix() for rel in _files_under(own)} if own else set()
    claimed: set[str] = set()
    entries: list[TemplateEntry] = []
    groups: dict[str, list[str]] = {}
    for rel in _files_under(builtin):
        name = rel.as_posix()
        top = rel.parts[0]
        if top == "fonts" or (top == "themes" and len(rel.parts) > 2):
            group = "fonts" if top == "fonts" else "/".join(rel.parts[:2])
            groups.setdefault(group, []).append(name)
            continue
        claimed.add(name)
        kind = _kind(name)
        entries.append(TemplateEntry(name, kind, (name,) if name in own_files else (), formats=_formats(name, kind)))
    for group, names in sorted(groups.items()):
        prefix = group + "/"
        mine = tuple(sorted(f for f in own_files if f.startswith(prefix)))
        claimed.update(mine)
        kind = "fonts" if group == "fonts" else "theme"
        description = _theme_description(builtin / group / "theme.yaml") if kind == "theme" else ""
        if kind == "fonts":
            description = (
                f"{sum(1 for n in names if n.endswith(('.ttf', '.otf', '.woff', '.woff2')))} font files"
            )
        entries.append(TemplateEntry(group, kind, mine, description, _formats(group, kind)))
    entries.sort(key=lambda e: (e.kind == "theme", e.kind == "fonts", e.name))
    # A theme of the project's own is one entry, not a file list.
    extra = {"/".join(f.split("/")[:2]) if f.startswith("themes/") else f for f in own_files - claimed}
    return entries, sorted(extra)


def eject(
    name: str, dirs: TemplateDirs, project_templates: Path, *, dest: str | None = None, force: bool = False
) -> list[Path]:
    """Copy built-in template or folder ``name`` into the project's templates; return the copies."""
    builtin = dirs.dirs[-1]
    if project_templates.resolve() == builtin:
        raise ConfigError(
            f"the project's templates folder {project_templates} is the built-in set itself; "
            "set 'templates:' in briefgen.yaml to a folder of your own"
        )
    rel = safe_relative(name.rstrip("/"))
    target_rel = safe_relative(dest.rstrip("/")) if dest else rel
    source = builtin / rel
    if source.is_symlink() or not source.exists():
        raise ConfigError(f"no built-in template {name!r}; 'briefgen templates list' shows them")
    files = [Path()] if source.is_file() else _files_under(source)
    pairs = [(source / f, project_templates / target_rel / f) for f in files]
    if not force:
        _refuse_existing([target for _, target in pairs], f"ejecting {name!r}")
    root = project_templates.resolve()
    for origin, target in pairs:
        target.parent.mkdir(parents=True, exist_ok=True)
        # A link inside the templates folder must not carry the copy elsewhere.
        if target.is_symlink() or not target.parent.resolve().is_relative_to(root):
            raise ConfigError(f"refusing to write {target}: it leads outside {project_templates}")
        shutil.copyfile(origin, target)
    return [target for _, target in pairs]


def regenerate_reference(name: str, dirs: TemplateDirs, project_templates: Path) -> Path:
    """Write the reference.docx of the project's theme ``name`` from its theme.yaml; return its path.

    The built-in themes are not rewritten: eject one first (``templates eject themes/NAME``).
    """
    from briefgen.project.themes import load_theme
    from briefgen.render.docx.refdoc import build_reference

    folder = project_templates / "themes" / safe_relative(name).as_posix()
    if not (folder / "theme.yaml").is_file():
        raise ConfigError(
            f"{folder / 'theme.yaml'} not found: the project has no theme {name!r} of its own; "
            f"copy one first with 'briefgen templates eject themes/{name}' (or --as themes/NEW)"
        )
    theme = load_theme(name, dirs)  # validates theme.yaml, naming file and line
    target = folder / theme.spec.reference_docx
    if not target.resolve().is_relative_to(project_templates.resolve()):
        raise ConfigError(f"refusing to write {target}: it leads outside {project_templates}")
    target.write_bytes(build_reference(theme.spec))
    return target

"""The template search path: the project's templates folder, then the built-in set.

Kept apart from the Jinja environment (templating.py) so that planning a build, hashing
its inputs and loading a theme never import Jinja.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from briefgen.errors import SecurityError
from briefgen.files import where


def builtin_dir() -> Path:
    """Return the folder of the built-in templates (in the wheel, or the source checkout)."""
    package = Path(__file__).resolve().parents[1]
    packaged = package / "_templates"
    if packaged.is_dir():
        return packaged
    return package.parent / "templates"


@dataclass(frozen=True)
class TemplateDirs:
    """An ordered list of template folders; the last one is the built-in set."""

    dirs: tuple[Path, ...]

    @classmethod
    def for_project(cls, project_templates: Path) -> TemplateDirs:
        """Return the search path for a project: its own folder, then the built-ins."""
        builtin = builtin_dir().resolve()
        own = project_templates.resolve()
        if own.is_dir() and own != builtin:
            return cls((own, builtin))
        return cls((builtin,))

    def find(self, name: str, *, builtin_only: bool = False) -> Path | None:
        """Return the file for template-relative ``name``, refusing any path that escapes."""
        rel = safe_relative(name)
        dirs = self.dirs[-1:] if builtin_only else self.dirs
        for folder in dirs:
            candidate = folder / rel
            if not candidate.exists():
                continue
            resolved = candidate.resolve()
            if not resolved.is_relative_to(folder):
                raise SecurityError.at(
                    where(candidate),  # the link itself: where it points is not for messages
                    f"{name!r} is a link that points outside the template folder",
                    code="template.outside",
                )
            if resolved.is_file():
                return resolved
        return None

    def locate(self, path: Path) -> str | None:
        """Return the template-relative name of an absolute path inside one of the folders."""
        resolved = path.resolve()
        for folder in self.dirs:
            if resolved.is_relative_to(folder):
                return resolved.relative_to(folder).as_posix()
        return None


def safe_relative(name: str) -> PurePosixPath:
    """Return ``name`` as a relative path, refusing absolute paths and '..' segments."""
    if "\\" in name or "\x00" in name:
        raise SecurityError(f"template path {name!r} contains a forbidden character")
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise SecurityError(f"template path {name!r} is outside the template folders; use a relative name")
    return path

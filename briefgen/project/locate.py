"""Find the project a command is run in: the nearest folder holding briefgen.yaml, as git finds .git."""

from __future__ import annotations

from pathlib import Path

CONFIG_NAME = "briefgen.yaml"


def find_project_root(start: Path) -> Path | None:
    """Return the nearest folder at or above ``start`` that holds briefgen.yaml, else None."""
    here = start.resolve()
    for folder in (here, *here.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
    return None


def is_project(root: Path, content: str = "content") -> bool:
    """Return whether ``root`` is a project: it holds briefgen.yaml or, without one, a content folder."""
    return (root / CONFIG_NAME).is_file() or (root / content).is_dir()

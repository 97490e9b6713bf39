"""Keep a project's files off the import path of every process a build starts.

A project is semi-trusted: a ``briefgen/__init__.py``, ``yaml.py`` or ``sitecustomize.py``
planted in it must never run. Python puts the current folder first on the import path
of ``python -c`` and ``python -m``, which is how multiprocessing starts its fork server,
its resource tracker and spawned workers, so each of those would import a planted
module from the folder the build runs in. Starting them, briefgen therefore sets
``PYTHONSAFEPATH`` (Python's ``-P``: no current folder), drops the project's folders
from ``PYTHONPATH`` and from the import path multiprocessing copies into spawned
workers, and every worker cleans its own ``sys.path`` again before it imports anything.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

import briefgen


def briefgen_home() -> Path:
    """Return the folder the running briefgen package was imported from (its parent)."""
    return Path(briefgen.__file__).resolve().parent.parent


def _environment() -> list[Path]:
    """Return the Python installation's own folders (a virtual environment may sit in a project)."""
    return [Path(p).resolve() for p in {sys.prefix, sys.base_prefix, sys.exec_prefix}]


def unsafe_folders(folders: Iterable[Path]) -> list[Path]:
    """Return ``folders`` and the current folder, resolved: none of them may be on an import path."""
    found = [Path.cwd().resolve()]
    found += [Path(f).resolve() for f in folders]
    return found


def is_unsafe(entry: str, unsafe: list[Path]) -> bool:
    """Return whether import path ``entry`` would import from a project or the current folder.

    The empty and any relative entry name the current folder. An entry inside one of the
    ``unsafe`` folders is refused, unless it is where briefgen itself is installed from
    (a source checkout used as a project) or inside the Python environment (a project's
    own ``.venv``).
    """
    if not entry or not os.path.isabs(entry):
        return True
    path = Path(entry).resolve()
    if path == briefgen_home() or _in_environment(path):
        return False
    return inside(path, unsafe)


def inside(path: Path, folders: list[Path]) -> bool:
    """Return whether ``path`` is one of ``folders`` or inside one."""
    return any(path.is_relative_to(f) for f in folders)


def _in_environment(path: Path) -> bool:
    return inside(path, _environment())


def safe_path(entries: Iterable[str], unsafe: list[Path]) -> list[str]:
    """Return the import path ``entries`` without those that would import from a project."""
    return [e for e in entries if not is_unsafe(e, unsafe)]


def clean_sys_path(unsafe: list[Path]) -> None:
    """Drop the project's and the current folder from this process's import path, in place."""
    sys.path[:] = safe_path(sys.path, unsafe)


def child_environment(unsafe: list[Path]) -> dict[str, str]:
    """Return the environment variables a started interpreter needs to skip the project's folders."""
    found = {"PYTHONSAFEPATH": "1"}
    entries = safe_path(os.environ.get("PYTHONPATH", "").split(os.pathsep), unsafe)
    home = briefgen_home()
    if inside(home, unsafe) and not _in_environment(home) and str(home) not in entries:
        # A source checkout run in place: the interpreter finds briefgen only through it.
        entries.append(str(home))
    found["PYTHONPATH"] = os.pathsep.join(entries)
    return found


@contextlib.contextmanager
def starting_children(unsafe: list[Path]) -> Iterator[None]:
    """Within this block, processes multiprocessing starts import nothing from the project.

    multiprocessing reads the start-up command's environment and the import path it hands
    to spawned workers from this process's state, with no way to pass either, so they are
    set for the block and restored afterwards. Only what a build starts is affected: the
    change removes entries, it never adds one a thread here could import from.
    """
    saved_env = {k: os.environ.get(k) for k in ("PYTHONSAFEPATH", "PYTHONPATH")}
    saved_path = list(sys.path)
    os.environ.update(child_environment(unsafe))
    sys.path[:] = safe_path(saved_path, unsafe)
    try:
        yield
    finally:
        sys.path[:] = saved_path
        for key, value in saved_env.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value

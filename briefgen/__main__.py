"""Entry point for the ``briefgen`` command and ``python -m briefgen``.

``python -m briefgen`` puts the current folder first on the import path, and Python
imports ``briefgen/__init__.py`` (and what ``runpy`` needs) from there before this module
runs: a folder holding a planted ``briefgen`` package runs that package, and nothing
here can prevent it. What this module does, before importing anything else, is take the
current folder off the import path (unless briefgen itself is installed from it: a
source checkout), so no later import (YAML, click, the renderers) can come from the
project; and it refuses to go on if a module was already imported from there. The
installed ``briefgen`` command never has the current folder on its path.
"""

from __future__ import annotations

import os
import sys

EXIT_PLANTED = 2


def _drop_current_folder() -> None:
    """Remove the current folder from ``sys.path``; refuse if something was imported from it.

    Only ``os`` and ``sys`` are used, which the interpreter imported before any folder
    was on the path.
    """
    cwd = os.path.realpath(os.getcwd())
    home = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
    if home == cwd:
        return  # a source checkout run in place: briefgen is this folder's code
    sys.path[:] = [p for p in sys.path if p and os.path.isabs(p) and os.path.realpath(p) != cwd]
    # A virtual environment may sit in the project folder, and briefgen be installed from it;
    # the user's site folder may sit in the current one (~/.local, run from ~).
    folders = [sys.prefix, sys.base_prefix, sys.exec_prefix, home, *_site_folders()]
    trusted = {os.path.realpath(p) + os.sep for p in folders}
    planted = sorted(
        name
        for name, module in list(sys.modules.items())
        if isinstance(file := getattr(module, "__file__", None), str)
        and (path := os.path.realpath(file)).startswith(cwd + os.sep)
        and not path.startswith(tuple(trusted))
    )
    if planted:
        sys.stderr.write(
            f"briefgen: refusing to run: Python imported {', '.join(planted)} from the current folder "
            f"({cwd}) before briefgen started, as `python -m` does; that code has run already. "
            "Remove those files, and run the installed `briefgen` command (or `python -P -m briefgen`), "
            "which never imports from the current folder\n"
        )
        raise SystemExit(EXIT_PLANTED)


def _site_folders() -> list[str]:
    """Return the site-packages folders, user's included (``site`` ran before any folder was on the path)."""
    site = sys.modules.get("site")  # absent under -S
    if site is None:
        return []
    try:
        return [*site.getsitepackages(), site.getusersitepackages()]
    except AttributeError:  # an embedded or frozen interpreter's reduced site module
        return []


def run() -> None:
    """Run the command line; answer a bare ``--version`` before importing anything else.

    ``briefgen --version`` is what scripts and CI call to probe the tool, so it should
    cost about an interpreter start, not click, pydantic and YAML; anything more
    (``briefgen -C x --version``) goes through click's own option, which prints the same.
    """
    _drop_current_folder()
    if sys.argv[1:] == ["--version"]:
        from briefgen import __version__

        sys.stdout.write(f"briefgen, version {__version__}\n")
        return
    from briefgen.cli.main import main

    main()


if __name__ == "__main__":
    run()

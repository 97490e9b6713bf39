"""Entry point for the ``briefgen`` command and ``python -m briefgen``."""

from __future__ import annotations

import sys


def run() -> None:
    """Run the command line; answer a bare ``--version`` before importing anything else.

    ``briefgen --version`` is what scripts and CI call to probe the tool, so it should
    cost about an interpreter start, not click, pydantic and YAML; anything more
    (``briefgen -C x --version``) goes through click's own option, which prints the same.
    """
    if sys.argv[1:] == ["--version"]:
        from briefgen import __version__

        sys.stdout.write(f"briefgen, version {__version__}\n")
        return
    from briefgen.cli.main import main

    main()


if __name__ == "__main__":
    run()

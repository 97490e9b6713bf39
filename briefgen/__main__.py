"""Entry point for ``python -m briefgen``."""

from __future__ import annotations

from briefgen.cli.main import main

if __name__ == "__main__":
    main()

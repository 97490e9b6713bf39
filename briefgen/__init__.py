"""briefgen: turn source documents into tailored PDF, Word and HTML briefings.

The public Python API is small and lazy (PEP 562): importing briefgen costs nothing
until one of these is used.

    import briefgen

    project = briefgen.load_project(Path("my-briefs"))
    report = briefgen.build(project, topics=["border-security"], formats=["pdf"])
    for result in report.results:
        print(result.status, result.path)

Every error a user can act on is a ``briefgen.BriefgenError`` carrying located problems.
"""

from __future__ import annotations

# Not typing.TYPE_CHECKING: importing typing would be a third of `briefgen --version`'s
# cost; type checkers treat any constant of this name as true.
TYPE_CHECKING = False

__version__ = "0.1.0"
__all__ = ["BriefgenError", "__version__", "build", "load_project"]

if TYPE_CHECKING:
    from typing import Any

    from briefgen.batch.build import build
    from briefgen.errors import BriefgenError
    from briefgen.project.config import load_project

_LAZY = {
    "build": ("briefgen.batch.build", "build"),
    "load_project": ("briefgen.project.config", "load_project"),
    "BriefgenError": ("briefgen.errors", "BriefgenError"),
}


def __getattr__(name: str) -> Any:
    """Import a public name on first use."""
    if name not in _LAZY:
        raise AttributeError(f"module 'briefgen' has no attribute {name!r}")
    import importlib

    module, attribute = _LAZY[name]
    return getattr(importlib.import_module(module), attribute)


def __dir__() -> list[str]:
    return sorted(__all__)

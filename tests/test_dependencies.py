"""Every package briefgen's code imports is declared in pyproject.toml, not borrowed from another's needs."""

from __future__ import annotations

import ast
import importlib.metadata
import re
import sys
import tomllib

from tests.conftest import REPO


def imported_top_level() -> dict[str, str]:
    """Return each third-party top-level module imported in briefgen, with one file importing it."""
    found: dict[str, str] = {}
    for path in sorted((REPO / "briefgen").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            for name in names:
                top = name.split(".")[0]
                if top != "briefgen" and top not in sys.stdlib_module_names:
                    found.setdefault(top, path.relative_to(REPO).as_posix())
    return found


def normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def declared() -> set[str]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return {normalized(re.split(r"[\s<>=!~;\[]", spec, maxsplit=1)[0]) for spec in project["dependencies"]}


def test_every_imported_package_is_a_declared_dependency() -> None:
    owners = importlib.metadata.packages_distributions()
    wanted = declared()
    undeclared = []
    for module, where in imported_top_level().items():
        distributions = {normalized(d) for d in owners.get(module, [])}
        assert distributions, f"{where} imports {module!r}, which no installed distribution provides"
        if not distributions & wanted:
            undeclared.append(f"{module} ({', '.join(sorted(distributions))}), imported in {where}")
    assert not undeclared, "declare in pyproject.toml: " + "; ".join(undeclared)


def test_the_walk_sees_the_imports_that_were_missing() -> None:
    # Pillow, lxml and MarkupSafe once came only as WeasyPrint's and Jinja's dependencies.
    assert {"PIL", "lxml", "markupsafe", "yaml", "pydantic"} <= set(imported_top_level())

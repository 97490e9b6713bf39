"""The tree is the pipeline: each stage imports only the stages below it, and stays small."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import REPO

PACKAGE = REPO / "briefgen"
# Bottom to top. A module may import its own layer and the layers below, never above.
LAYERS = (
    ("errors", "files", "formats"),
    ("content",),
    ("ingest",),
    ("project",),
    ("assemble",),
    ("render",),
    ("batch",),
    ("commands",),
    ("cli", "__main__", "__init__"),
)
RANK = {name: rank for rank, names in enumerate(LAYERS) for name in names}
MAX_LINES = 400


def stage(module: str) -> str:
    """Return the top-level stage of 'briefgen.x.y' (or of a file's dotted name)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def dotted(path: Path) -> str:
    rel = path.relative_to(REPO).with_suffix("")
    return ".".join(rel.parts)


def imported(path: Path) -> list[tuple[int, str]]:
    """Return (line, module) for every briefgen module ``path`` imports, TYPE_CHECKING and local imports too."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.startswith("briefgen")]
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("briefgen"):
            found.append((node.lineno, node.module))
    return found


def test_every_stage_is_placed_in_a_layer() -> None:
    stages = {stage(dotted(p)) for p in modules()}
    assert stages <= set(RANK), stages - set(RANK)


@pytest.mark.parametrize("path", modules(), ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_imports_run_down_the_layers(path: Path) -> None:
    own = RANK[stage(dotted(path))]
    upward = [
        f"{path.relative_to(REPO)}:{line} imports {module}"
        for line, module in imported(path)
        if module != "briefgen" and RANK[stage(module)] > own
    ]
    assert not upward, upward


@pytest.mark.parametrize("path", modules(), ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_no_module_is_over_400_lines(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{path.relative_to(REPO)} has {lines} lines; split it by responsibility"


def test_package_faces_are_docstrings() -> None:
    for init in PACKAGE.rglob("__init__.py"):
        if init.parent == PACKAGE:
            continue  # the public API, lazy by PEP 562 (test_api.py)
        body = ast.parse(init.read_text(encoding="utf-8")).body
        assert len(body) == 1 and isinstance(body[0], ast.Expr), f"{init} does more than document its stage"

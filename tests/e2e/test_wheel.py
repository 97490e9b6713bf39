"""A new user's path from an installed wheel: init, then build."""

from __future__ import annotations

import os
import site
import sys
import zipfile
from pathlib import Path

import pdfplumber
import pytest

from tests.commands.test_scaffold import _run
from tests.conftest import REPO


@pytest.mark.slow
def test_init_and_build_from_an_installed_wheel(tmp_path: Path) -> None:
    """A non-editable install carries templates, themes and the starter, and builds offline."""
    wheels = tmp_path / "wheels"
    _run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(wheels),
            str(REPO),
        ],
        tmp_path,
    )
    (wheel,) = wheels.glob("briefgen-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    for member in (
        "briefgen/_templates/base.html",
        "briefgen/_templates/preview.css",
        "briefgen/_templates/themes/default/reference.docx",
        "briefgen/_templates/themes/field/theme.yaml",
        "briefgen/_templates/fonts/Lato-Regular.ttf",
        "briefgen/starter/briefgen.yaml",
        "briefgen/starter/raw/street-trees.txt",
    ):
        assert member in names
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], tmp_path)
    python = venv / "bin" / "python"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    # The tests usually run inside a venv, whose packages --system-site-packages does not
    # reach; list them after the new venv's own, so dependencies need no download while
    # the wheel's briefgen (installed into the new venv) still comes first.
    purelib = _run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], tmp_path)
    (Path(purelib.stdout.strip()) / "outer-env.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    _run([str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)], tmp_path, env)
    where = _run([str(python), "-c", "import briefgen; print(briefgen.__file__)"], tmp_path, env).stdout
    assert Path(where.strip()).is_relative_to(venv), where  # the wheel, not the editable checkout
    briefgen = str(venv / "bin" / "briefgen")
    _run([briefgen, "init", "briefs"], tmp_path, env)
    root = tmp_path / "briefs"
    listing = _run([briefgen, "templates", "list"], root, env).stdout
    assert str(venv) in listing and "themes/field" in listing
    _run([briefgen, "validate", "--sources", "raw"], root, env)
    _run([briefgen, "build"], root, env)
    _run([briefgen, "build", "--theme", "field", "-o", "field"], root, env)
    for folder in ("build", "field"):
        out = root / folder / "street-trees"
        assert sorted(p.suffix for p in out.iterdir()) == [".docx", ".docx", ".pdf", ".pdf"]
    with pdfplumber.open(root / "field" / "street-trees" / "programme-team.pdf") as pdf:
        assert round(pdf.pages[0].width) == 612  # Letter: the field theme came from the wheel
    # An override extending the packaged original ("!base.html") replaces one block.
    (root / "templates").mkdir()
    (root / "templates" / "base.html").write_text(
        '{% extends "!base.html" %}{% block notes %}<p>Handled by the planning desk</p>{% endblock %}'
    )
    _run([briefgen, "build", "-a", "programme-team", "-f", "pdf", "-o", "custom"], root, env)
    with pdfplumber.open(root / "custom" / "street-trees" / "programme-team.pdf") as pdf:
        text = "\n".join(page.extract_text() or "" for page in pdf.pages)
    assert "Handled by the planning desk" in text and "Street Trees" in text

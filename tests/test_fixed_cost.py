"""The command's fixed cost: each command imports only what it uses (modules, never times).

Every check runs the real entry point in a fresh interpreter and reads ``sys.modules``
at the end: what a command imports is what every user pays on every call.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from briefgen.cli.main import main
from tests.conftest import REPO

# Run the console script's function as the installed `briefgen` does, then list what it imported.
PROBE = """
import json, sys
from briefgen.__main__ import run
sys.argv = ["briefgen", *json.loads(sys.argv[1])]
try:
    run()
except SystemExit as exc:
    code = exc.code
else:
    code = 0
print(json.dumps({"code": code, "modules": sorted(sys.modules)}), file=sys.stderr)
"""

RENDERERS = ("weasyprint", "pydyf", "docx", "jinja2", "cairosvg", "fontTools", "lxml")
# Besides the renderers: what assembly (inline Markdown) and ingest (web pages, PDFs) use.
HEAVY = (*RENDERERS, "markdown_it", "trafilatura", "pypdfium2", "rapidfuzz", "pycountry")
PIPELINE = (
    "briefgen.content.model",
    "briefgen.content.mdtopic",
    "briefgen.ingest",
    "briefgen.assemble.briefing",
    "briefgen.assemble.markup",
    "briefgen.assemble.tailor",
    "briefgen.render.html",
    "briefgen.render.pdf",
    "briefgen.render.docx",
    "briefgen.batch.jobs",
    "briefgen.batch.workers",
)


def probe(*args: str) -> tuple[str, int, list[str]]:
    """Run ``briefgen ARGS`` in a fresh interpreter; return its output, exit code and imported modules."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(args)], capture_output=True, text=True, cwd=REPO, check=False
    )
    report = json.loads(done.stderr.strip().splitlines()[-1])
    return done.stdout, report["code"], report["modules"]


def loaded(modules: list[str], names: tuple[str, ...]) -> list[str]:
    """Return the modules among ``modules`` that are ``names`` or inside them."""
    return sorted(m for m in modules if any(m == n or m.startswith(n + ".") for n in names))


def test_version_imports_neither_click_nor_pydantic_nor_yaml() -> None:
    out, code, modules = probe("--version")
    assert code == 0
    assert loaded(modules, ("pydantic", "yaml", "click", *HEAVY)) == []
    assert [m for m in modules if m.startswith("briefgen")] == ["briefgen", "briefgen.__main__"]
    # The early answer says exactly what click's own --version option says.
    assert out == CliRunner().invoke(main, ["--version"]).output == "briefgen, version 0.1.0\n"


def test_installed_script_and_python_m_answer_version() -> None:
    script = Path(sys.executable).parent / "briefgen"
    for command in ([str(script)], [sys.executable, "-m", "briefgen"]):
        done = subprocess.run([*command, "--version"], capture_output=True, text=True, check=True)
        assert done.stdout == "briefgen, version 0.1.0\n"
    # With other options, click answers: the same words.
    done = subprocess.run([str(script), "-v", "--version"], capture_output=True, text=True, check=True)
    assert done.stdout == "briefgen, version 0.1.0\n"


def test_help_and_commands_without_a_project_load_no_schema() -> None:
    out, code, modules = probe("--help")
    assert code == 0 and "build" in out
    assert loaded(modules, ("pydantic", "yaml", *HEAVY, *PIPELINE)) == []


def test_no_op_build_imports_no_renderer_no_jinja_and_no_content_model(sample: Path) -> None:
    first, code, modules = probe("-C", str(sample), "build")
    assert code == 0 and "0 cached" in first
    # The probe sees what a build with work imports (so an empty list below means something);
    # the renderers themselves load in the worker processes.
    assert {"briefgen.content.model", "briefgen.assemble.tailor", "briefgen.batch.workers"} <= set(modules)
    out, code, modules = probe("-C", str(sample), "build")
    assert code == 0
    assert "0 built, 0 failed, 4 cached" in out
    assert loaded(modules, (*HEAVY, *PIPELINE)) == []
    # A changed content file needs the model again, and only then.
    topic = sample / "content" / "topics" / "relief.yaml"
    topic.write_text(topic.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    out, code, modules = probe("-C", str(sample), "build")
    assert code == 0 and "4 cached" in out
    assert "briefgen.content.model" in modules
    assert loaded(modules, RENDERERS) == []


def imports_of_every_process(project: Path, *args: str) -> set[str]:
    """Run ``briefgen ARGS`` in ``project``; return what any of its processes imported (workers too).

    Python reports each import of every process, a forked worker's too, on standard error
    when PYTHONPROFILEIMPORTTIME is set (not what importlib.import_module loads, such as
    the renderer module itself: the modules it imports are reported).
    """
    script = Path(sys.executable).parent / "briefgen"
    done = subprocess.run(
        [str(script), *args],
        cwd=project,
        env={**os.environ, "PYTHONPROFILEIMPORTTIME": "1", "CI": "true"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr[-2000:]
    lines = [line for line in done.stderr.splitlines() if line.startswith("import time:")]
    return {line.rsplit("|", 1)[1].strip() for line in lines[1:]}


def test_a_build_imports_only_the_renderers_of_its_formats(sample: Path) -> None:
    # Without a page budget, a Word file needs no PDF layout: the field audience has none.
    one = ("build", "--force", "--topic", "relief", "--audience", "field")
    word = imports_of_every_process(sample, *one, "--format", "docx")
    assert {"docx", "briefgen.render.docx.cover"} <= word  # what the build did import
    assert (
        loaded(sorted(word), ("weasyprint", "pydyf", "jinja2", "briefgen.render.pdf", "briefgen.render.html"))
        == []
    )
    pdf = imports_of_every_process(sample, *one, "--format", "pdf")
    assert {"weasyprint", "jinja2"} <= pdf
    assert loaded(sorted(pdf), ("docx", "briefgen.render.docx", "cairosvg")) == []
    # The same through a pool of workers started by a fork server (two briefings, -j 2).
    audiences = sample / "content" / "audiences.yaml"
    audiences.write_text(audiences.read_text(encoding="utf-8").replace("    page_budget: 2\n", ""))
    pool = imports_of_every_process(sample, "build", "--force", "-j", "2", "--format", "docx")
    assert "docx" in pool
    assert loaded(sorted(pool), ("weasyprint", "pydyf", "jinja2", "briefgen.render.pdf")) == []

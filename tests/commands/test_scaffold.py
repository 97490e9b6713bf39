"""`briefgen init`, `templates list` and `templates eject`, and a project built from an installed wheel."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import docx
import pdfplumber
import pytest
from click.testing import Result

from tests.conftest import REPO

BUILTIN_TEMPLATES = REPO / "templates"


@pytest.fixture
def project(tmp_path: Path, cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh project made by `briefgen init`, made the working folder."""
    root = tmp_path / "briefs"
    result = cli(tmp_path, "init", str(root))
    assert result.exit_code == 0, result.output
    monkeypatch.chdir(root)
    return root


def test_init_writes_a_small_valid_project(project: Path, cli: Callable[..., Result]) -> None:
    files = [p.relative_to(project).as_posix() for p in project.rglob("*") if p.is_file()]
    written = sorted(f for f in files if not f.startswith("schemas/"))  # tests/commands/test_schema.py
    assert written == [
        "README.md",
        "briefgen.yaml",
        "content/audiences.yaml",
        "content/sources/street-trees.yaml",
        "content/topics/street-trees.md",
        "raw/street-trees.txt",
    ]
    assert "__TODAY__" not in (project / "briefgen.yaml").read_text()
    result = cli(project, "validate", "--sources", "raw")
    assert result.exit_code == 0, result.output
    assert "project is valid" in result.output
    listing = cli(project, "list")
    assert "street-trees" in listing.output and "decision-makers" in listing.output


def test_init_project_builds_pdf_and_docx_at_once(project: Path, cli: Callable[..., Result]) -> None:
    result = cli(project, "build")
    assert result.exit_code == 0, result.output
    out = project / "build" / "street-trees"
    assert sorted(p.name for p in out.iterdir()) == [
        "decision-makers.docx",
        "decision-makers.pdf",
        "programme-team.docx",
        "programme-team.pdf",
    ]
    with pdfplumber.open(out / "programme-team.pdf") as pdf:
        text = "\n".join(page.extract_text() or "" for page in pdf.pages)
    assert "Street Trees" in text and "1,200 trees" in text
    document = docx.Document(str(out / "decision-makers.docx"))
    cover = document.tables[0].rows[1].cells[0].paragraphs  # the cover: a table of its own section
    paragraphs = [p.text for p in [*cover, *document.paragraphs]]
    assert "Street Trees" in paragraphs
    assert not any("Riverside began planting" in p for p in paragraphs)  # a detail, not for summaries


def test_init_refuses_to_overwrite_unless_forced(project: Path, cli: Callable[..., Result]) -> None:
    config = project / "briefgen.yaml"
    config.write_text("title: Mine\n")
    result = cli(project, "init", str(project))
    assert result.exit_code == 2
    assert "would overwrite" in result.output and "--force" in result.output
    assert config.read_text() == "title: Mine\n"
    assert cli(project, "init", str(project), "--force").exit_code == 0
    assert "Street tree briefings" in config.read_text()


def test_templates_list_shows_builtins_themes_and_overrides(
    project: Path, cli: Callable[..., Result]
) -> None:
    before = cli(project, "templates", "list").output
    for name in (
        "base.html",
        "partials/cover.html",
        "briefing.css",
        "themes/default",
        "themes/field",
        "fonts",
    ):
        assert name in before
    assert "overridden" not in before
    assert cli(project, "templates", "eject", "partials/cover.html").exit_code == 0
    assert cli(project, "templates", "eject", "themes/field", "--as", "themes/mine").exit_code == 0
    after = cli(project, "templates", "list").output.splitlines()
    cover = next(line for line in after if "partials/cover.html" in line)
    assert "overridden by templates/partials/cover.html" in cover
    assert any("themes/mine" in line and "only in templates/" in line for line in after)


def test_eject_copies_and_refuses_to_overwrite(project: Path, cli: Callable[..., Result]) -> None:
    result = cli(project, "templates", "eject", "base.html")
    assert result.exit_code == 0, result.output
    copy = project / "templates" / "base.html"
    assert copy.read_bytes() == (BUILTIN_TEMPLATES / "base.html").read_bytes()
    copy.write_text("{# edited #}")
    again = cli(project, "templates", "eject", "base.html")
    assert again.exit_code == 2 and "--force" in again.output
    assert copy.read_text() == "{# edited #}"
    assert cli(project, "templates", "eject", "base.html", "--force").exit_code == 0
    assert copy.read_bytes() == (BUILTIN_TEMPLATES / "base.html").read_bytes()


def test_eject_theme_folder_then_restyle_it(project: Path, cli: Callable[..., Result]) -> None:
    result = cli(project, "templates", "eject", "themes/default", "--as", "themes/mine")
    assert result.exit_code == 0, result.output
    theme = project / "templates" / "themes" / "mine"
    assert sorted(p.name for p in theme.iterdir()) == ["reference.docx", "theme.yaml"]
    spec = theme / "theme.yaml"
    spec.write_text(spec.read_text().replace("#1f3a5f", "#7a1f2b").replace("name: Default", "name: Mine"))
    built = cli(project, "build", "-a", "decision-makers", "-f", "pdf", "--theme", "mine")
    assert built.exit_code == 0, built.output
    with pdfplumber.open(project / "build" / "street-trees" / "decision-makers.pdf") as pdf:
        colours = {tuple(round(float(c), 3) for c in ch["non_stroking_color"]) for ch in pdf.pages[1].chars}
    assert (0.478, 0.122, 0.169) in colours  # the new primary colour, on the headings


@pytest.mark.parametrize("name", ["../secret.html", "/etc/passwd", "nope.html", "themes/nope"])
def test_eject_refuses_unknown_or_escaping_names(
    project: Path, cli: Callable[..., Result], name: str
) -> None:
    result = cli(project, "templates", "eject", name)
    assert result.exit_code == 2
    assert not (project / "templates").exists()


def test_eject_refuses_a_target_outside_the_templates_folder(
    project: Path, cli: Callable[..., Result]
) -> None:
    outside = project.parent / "elsewhere"
    outside.mkdir()
    (project / "templates").mkdir()
    (project / "templates" / "partials").symlink_to(outside)
    result = cli(project, "templates", "eject", "partials/cover.html")
    assert result.exit_code == 2
    assert "outside" in result.output
    assert list(outside.iterdir()) == []


def test_eject_in_the_source_checkout_does_not_copy_onto_itself(cli: Callable[..., Result]) -> None:
    before = (BUILTIN_TEMPLATES / "base.html").read_bytes()
    result = cli(REPO, "templates", "eject", "base.html", "--force")
    assert result.exit_code == 2
    assert "built-in set itself" in result.output
    assert (BUILTIN_TEMPLATES / "base.html").read_bytes() == before


def _run(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=600, env=env)
    assert done.returncode == 0, f"{args}\n{done.stdout}\n{done.stderr}"
    return done


def test_templates_list_names_what_does_not_reach_word(sample: Path, cli: Callable[..., Result]) -> None:
    (sample / "templates" / "partials").mkdir(parents=True)
    (sample / "templates" / "partials" / "cover.html").write_text("<header>mine</header>")
    listing = cli(sample, "templates", "list").output
    cover = next(line for line in listing.splitlines() if "partials/cover.html" in line)
    assert "PDF, HTML" in cover and "Word" not in cover.split("overridden")[0]
    assert "does not reach Word" in cover
    theme = next(line for line in listing.splitlines() if "themes/field" in line)
    assert "PDF, HTML, Word" in theme
    assert "briefgen templates refdoc THEME" in listing


def test_templates_refdoc_regenerates_a_project_theme(sample: Path, cli: Callable[..., Result]) -> None:
    refused = cli(sample, "templates", "refdoc", "default")
    assert refused.exit_code == 2 and "eject themes/default" in refused.output  # built-ins stay as shipped
    assert cli(sample, "templates", "eject", "themes/default", "--as", "themes/mine").exit_code == 0
    theme = sample / "templates" / "themes" / "mine"
    yaml_text = (theme / "theme.yaml").read_text().replace('primary: "#1f3a5f"', 'primary: "#7a1f1f"')
    (theme / "theme.yaml").write_text(yaml_text)
    before = (theme / "reference.docx").read_bytes()
    done = cli(sample, "templates", "refdoc", "mine")
    assert done.exit_code == 0, done.output
    after = (theme / "reference.docx").read_bytes()
    assert after != before
    document = docx.Document(str(theme / "reference.docx"))
    assert str(document.styles["Heading 1"].font.color.rgb) == "7A1F1F"

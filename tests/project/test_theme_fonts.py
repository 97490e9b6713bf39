"""A theme naming fonts that are neither installed nor shipped says so, at the theme file's line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from click.testing import Result

from briefgen.content.yamlread import read_yaml
from briefgen.project.searchpath import TemplateDirs, builtin_dir
from briefgen.project.themes import ThemeSpec, available_themes, font_warnings, load_theme

THEME = """name: Mine
fonts:
  heading: [Frutiger Next Zz, Lato]
  body: [Minion Pro Zz, Garamond Premier Zz]
  faces:
    - {family: Lato, file: fonts/Lato-Regular.ttf}
"""


def warnings_for(text: str, tmp_path: Path, installed: frozenset[str]) -> list[str]:
    path = tmp_path / "theme.yaml"
    path.write_text(text)
    doc = read_yaml(path)
    return [str(p) for p in font_warnings(ThemeSpec.model_validate(doc.data).fonts, doc, installed)]


def test_only_the_families_fallen_back_past_are_reported(tmp_path: Path) -> None:
    found = warnings_for(THEME, tmp_path, frozenset({"dejavu serif"}))
    assert len(found) == 3
    assert "theme.yaml:3:13: warning: fonts.heading: font 'Frutiger Next Zz' is not installed" in found[0]
    assert "the PDF uses 'Lato' instead" in found[0]
    assert "theme.yaml:4:10: warning: fonts.body: font 'Minion Pro Zz'" in found[1]
    assert "the system's default serif font instead" in found[1]
    # Installed, in any case: nothing to say. A shipped or generic first choice: nothing either.
    assert (
        warnings_for(THEME.replace("Minion Pro Zz", "DejaVu SERIF"), tmp_path, frozenset({"dejavu serif"}))[
            1:
        ]
        == []
    )
    generic = warnings_for(THEME.replace("[Frutiger Next Zz, Lato]", "[sans-serif]"), tmp_path, frozenset())
    assert [w.split("font ")[1].split(" is")[0] for w in generic] == [
        "'Minion Pro Zz'",
        "'Garamond Premier Zz'",
    ]


def test_the_built_in_themes_warn_of_nothing() -> None:
    dirs = TemplateDirs((builtin_dir().resolve(),))
    for name in available_themes(dirs):
        assert load_theme(name, dirs).warnings == ()


def test_validate_and_build_report_a_missing_theme_font(sample: Path, cli: Callable[..., Result]) -> None:
    theme = sample / "templates" / "themes" / "mine"
    theme.mkdir(parents=True)
    (theme / "theme.yaml").write_text(THEME)
    config = sample / "briefgen.yaml"
    config.write_text(config.read_text().replace("theme: default", "theme: mine"))
    result = cli(sample, "validate")
    assert result.exit_code == 0, result.output  # a warning, not an error
    assert (
        "templates/themes/mine/theme.yaml:3:13: warning: fonts.heading: font 'Frutiger Next Zz'"
        in result.output
    )
    built = cli(sample, "build", "--format", "html")
    assert built.exit_code == 0, built.output
    assert (
        "templates/themes/mine/theme.yaml:4:10: fonts.body: font 'Minion Pro Zz' is not installed"
        in built.output
    )

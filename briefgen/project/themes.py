"""Visual themes as data: colours, fonts, page geometry, logo and Word reference document."""

from __future__ import annotations

import functools
import logging
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from briefgen.content.validation import validation_problems
from briefgen.content.yamlread import YamlDoc, read_yaml
from briefgen.errors import ConfigError, Location, Problem
from briefgen.project.searchpath import TemplateDirs

Colour = Annotated[str, StringConstraints(pattern=r"^#[0-9a-fA-F]{6}$")]
FontName = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9 _-]{1,64}$")]
RelPath = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_./-]{1,200}$")]
GENERIC_FAMILIES = frozenset({"serif", "sans-serif", "monospace", "cursive", "fantasy", "system-ui"})

log = logging.getLogger(__name__)


class _Schema(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class Colours(_Schema):
    """The theme's palette."""

    primary: Colour = "#1f3a5f"
    accent: Colour = "#b5832a"
    text: Colour = "#1b1f24"
    muted: Colour = "#5d6773"
    callout: Colour = "#eef2f7"
    rule: Colour = "#c5ced8"
    table_header: Colour = "#1f3a5f"
    table_stripe: Colour = "#f4f6f9"
    subheading: Colour | None = None  # second-level headings; None: the primary colour

    def subheading_colour(self) -> str:
        """Return the colour of second-level headings."""
        return self.subheading or self.primary


class FontFace(_Schema):
    """A font file shipped with the templates, declared to the PDF renderer."""

    family: FontName
    file: RelPath
    weight: Literal["normal", "bold"] = "normal"
    style: Literal["normal", "italic"] = "normal"


class Fonts(_Schema):
    """Font families, first choice first; the last entries are fallbacks."""

    heading: list[FontName] = ["Lato", "DejaVu Sans"]
    body: list[FontName] = ["Noto Serif", "DejaVu Serif"]
    size_pt: float = Field(default=10.5, ge=6, le=24)
    heading_caps: bool = False  # first-level headings in capitals, in PDF and Word
    faces: list[FontFace] = []

    def generic(self, role: Literal["heading", "body"]) -> Literal["serif", "sans-serif"]:
        """Return the generic family ending ``role``'s list, judged from its fallbacks."""
        names = [n.lower() for n in (self.heading if role == "heading" else self.body)]
        if any("serif" in n and "sans" not in n for n in names):
            return "serif"
        if any("sans" in n for n in names):
            return "sans-serif"
        return "sans-serif" if role == "heading" else "serif"


PAGE_SIZES_MM = {"A4": (210.0, 297.0), "Letter": (215.9, 279.4)}


class Page(_Schema):
    """Paper size and margins: the page geometry every format takes from the theme."""

    size: Literal["A4", "Letter"] = "A4"
    margin_top_mm: float = Field(default=24, ge=5, le=60)
    margin_bottom_mm: float = Field(default=22, ge=5, le=60)
    margin_inner_mm: float = Field(default=22, ge=5, le=60)
    margin_outer_mm: float = Field(default=22, ge=5, le=60)

    def size_mm(self) -> tuple[float, float]:
        """Return the paper's width and height in millimetres."""
        return PAGE_SIZES_MM[self.size]

    def text_width_mm(self) -> float:
        """Return the width between the margins."""
        return self.size_mm()[0] - self.margin_inner_mm - self.margin_outer_mm


class Cover(_Schema):
    """The cover's colours, for PDF (as CSS variables) and Word (shaded cells) alike.

    Unset colours follow the palette: a white page, marking bands in the primary colour,
    the title in the primary colour, the kicker in the accent, labels muted.
    """

    background: Colour | None = None  # the page behind the cover; None: white paper
    band: Colour | None = None  # the marking bands at top and bottom; None: primary
    band_text: Colour = "#ffffff"
    kicker: Colour | None = None  # the word above the title; None: accent
    title: Colour | None = None  # None: primary
    subtitle: Colour | None = None  # None: muted
    label: Colour | None = None  # the labels of the details block; None: muted
    value: Colour | None = None  # the details themselves; None: text
    logo_height_mm: float = Field(default=22, ge=5, le=60)  # the logo's height on the cover

    def resolved(self, colours: Colours) -> dict[str, str]:
        """Return every cover colour, unset ones taken from ``colours``."""
        return {
            "background": self.background or "#ffffff",
            "band": self.band or colours.primary,
            "band_text": self.band_text,
            "kicker": self.kicker or colours.accent,
            "title": self.title or colours.primary,
            "subtitle": self.subtitle or colours.muted,
            "label": self.label or colours.muted,
            "value": self.value or colours.text,
            "rule": colours.accent,
        }


class ThemeSpec(_Schema):
    """Everything a theme file (themes/NAME/theme.yaml) may set."""

    name: str
    description: str = ""
    colours: Colours = Colours()
    fonts: Fonts = Fonts()
    page: Page = Page()
    cover: Cover = Cover()
    logo: RelPath | None = None
    # The PDF is tagged (PDF/UA), where every image needs a text alternative.
    logo_alt: Annotated[str, StringConstraints(max_length=200)] = "Logo"
    # Extra print CSS loaded after briefing.css: the PDF's counterpart of reference_docx.
    stylesheet: RelPath | None = None
    reference_docx: RelPath = "reference.docx"


@dataclass(frozen=True)
class Theme:
    """A loaded theme, its folder and its resources resolved through the search path."""

    spec: ThemeSpec
    folder: str  # relative template path of the theme folder, e.g. "themes/default"
    reference_docx: Path
    logo: Path | None
    files: tuple[Path, ...]  # every file the theme depends on
    logo_url: str | None = None  # template-relative names, for HTML
    face_urls: tuple[str, ...] = ()
    face_files: tuple[Path, ...] = ()  # the files of spec.fonts.faces, in order
    stylesheet: Path | None = None
    stylesheet_url: str | None = None
    warnings: tuple[Problem, ...] = ()  # fonts it names that neither the system nor the theme has

    def files_of(self, families: Sequence[str]) -> tuple[str, ...]:
        """Return the shipped font files of ``families`` (any of them), as paths for a rasteriser."""
        wanted = {name.casefold() for name in families}
        faces = zip(self.spec.fonts.faces, self.face_files, strict=True)
        return tuple(str(path) for face, path in faces if face.family.casefold() in wanted)


def available_themes(dirs: TemplateDirs) -> list[str]:
    """Return the names of the themes found along the template search path."""
    names: set[str] = set()
    for folder in dirs.dirs:
        themes = folder / "themes"
        if themes.is_dir():
            names.update(p.parent.name for p in themes.glob("*/theme.yaml"))
    return sorted(names)


def load_theme(name: str, dirs: TemplateDirs) -> Theme:
    """Load theme ``name``; resources it names are looked up theme folder first."""
    rel = f"themes/{name}/theme.yaml"
    path = dirs.find(rel)
    if path is None:
        known = ", ".join(available_themes(dirs)) or "none"
        raise ConfigError.at(
            Location.of("briefgen.yaml"),
            f"unknown theme {name!r}",
            code="theme.unknown",
            hint=f"available: {known}",
        )
    doc = read_yaml(path)
    try:
        spec = ThemeSpec.model_validate(doc.data or {})
    except ValidationError as exc:
        raise ConfigError(
            "invalid theme", validation_problems(exc, doc, (), ThemeSpec, Location.of(path), "theme")
        ) from None
    folder = f"themes/{name}"

    def resource(value: str, key: str) -> Path:
        # Theme folder first, then the template root, then the default theme it builds on.
        found = dirs.find(f"{folder}/{value}") or dirs.find(value) or dirs.find(f"themes/default/{value}")
        if found is None:
            raise ConfigError.at(
                doc.where((key,)),
                f"{key}: {value!r} not found in the theme folder or templates",
                code="theme.missing-file",
            )
        return found

    reference = resource(spec.reference_docx, "reference_docx")
    logo = resource(spec.logo, "logo") if spec.logo else None
    stylesheet = resource(spec.stylesheet, "stylesheet") if spec.stylesheet else None
    faces = [resource(face.file, "fonts") for face in spec.fonts.faces]
    files = tuple(p for p in (path, reference, logo, stylesheet, *faces) if p is not None)
    return Theme(
        spec=spec,
        folder=folder,
        reference_docx=reference,
        logo=logo,
        files=files,
        logo_url=dirs.locate(logo) if logo else None,
        face_urls=tuple(dirs.locate(p) or "" for p in faces),
        face_files=tuple(faces),
        stylesheet=stylesheet,
        stylesheet_url=dirs.locate(stylesheet) if stylesheet else None,
        warnings=tuple(font_warnings(spec.fonts, doc)),
    )


@functools.cache
def fontconfig_faces() -> tuple[tuple[str, str], ...] | None:
    """Return each face fontconfig knows as (families, charset), or None when it cannot be asked.

    One read-only ``fc-list`` per process (it answers from fontconfig's caches and never
    rebuilds them), shared by the theme's font check here and the glyph coverage check of
    the renderers (render/coverage.py).
    """
    program = shutil.which("fc-list")
    if program is None:
        return None
    try:
        listed = subprocess.run(
            [program, "--format", "%{family}\t%{charset}\n"],
            capture_output=True,
            text=True,
            timeout=30,
            check=True,
        ).stdout
    except (OSError, subprocess.SubprocessError) as exc:
        log.debug("fc-list failed (%s): installed fonts are not checked", exc)
        return None
    faces = (line.partition("\t") for line in listed.splitlines())
    return tuple((families, charset) for families, _tab, charset in faces)


def installed_families() -> frozenset[str] | None:
    """Return the font families fontconfig knows (case-folded), or None when it cannot be asked."""
    faces = fontconfig_faces()
    if faces is None:
        return None
    # "Noto Sans,Noto Sans Display" names one family in several ways.
    return frozenset(name.strip().casefold() for families, _ in faces for name in families.split(","))


def font_warnings(fonts: Fonts, doc: YamlDoc, installed: frozenset[str] | None = None) -> list[Problem]:
    """Warn of each family a role falls back past: neither shipped in fonts.faces nor installed.

    A role's families are tried in order, as the PDF renderer tries them, so a missing
    family after one that is available changes nothing and is not reported.
    """
    shipped = {face.family.casefold() for face in fonts.faces}
    problems = []
    for role in ("heading", "body"):
        names: list[str] = getattr(fonts, role)
        missing: list[int] = []
        used = f"the system's default {fonts.generic(role)} font"
        for index, name in enumerate(names):
            folded = name.casefold()
            if folded in shipped or folded in GENERIC_FAMILIES:
                used = repr(name)
                break
            known = installed if installed is not None else installed_families()
            if known is None:  # fontconfig cannot be asked: nothing to compare with
                missing = []
                break
            if folded in known:
                used = repr(name)
                break
            missing.append(index)
        for index in missing:
            problems.append(
                Problem.warning(
                    doc.where(("fonts", role, index)),
                    f"fonts.{role}: font {names[index]!r} is not installed and not shipped in fonts.faces; "
                    f"the PDF uses {used} instead",
                    code="theme.missing-font",
                    hint="install it, add its files under fonts.faces, or name a font that is installed",
                )
            )
    return problems

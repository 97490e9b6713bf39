"""The Word styles of a theme: every style the DOCX renderer uses, set from theme.yaml.

Sizes and spacings follow the print stylesheet (briefing.css), so a Word file laid out
by Word or LibreOffice paginates within a page of the PDF.
"""

from __future__ import annotations

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt, RGBColor
from docx.styles.style import ParagraphStyle

from briefgen.project.themes import ThemeSpec


def _rgb(hex_colour: str) -> RGBColor:
    return RGBColor.from_string(hex_colour.lstrip("#").upper())


def _paragraph_style(doc: docx.document.Document, name: str, base: str = "Normal") -> ParagraphStyle:
    styles = doc.styles
    if name in [s.name for s in styles]:
        style = styles[name]
    else:
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = styles[base]
        style.quick_style = True
    assert isinstance(style, ParagraphStyle)
    return style


def _set(
    style: ParagraphStyle,
    *,
    font: str,
    size: float,
    colour: str,
    bold: bool | None = None,
    italic: bool | None = None,
    before: float = 0,
    after: float = 6,
    keep_next: bool = False,
) -> None:
    style.font.name = font
    style.font.size = Pt(size)
    style.font.color.rgb = _rgb(colour)
    style.font.bold = bold
    style.font.italic = italic
    fmt = style.paragraph_format
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(after)
    fmt.keep_with_next = keep_next
    # Theme-font attributes in the base template would override the font we set.
    rfonts = style.element.get_or_add_rPr().find(qn("w:rFonts"))
    if rfonts is not None:
        for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            rfonts.attrib.pop(qn(attr), None)
        rfonts.set(qn("w:cs"), font)


def _defaults(doc: docx.document.Document, *, font: str, size: float, colour: str) -> None:
    rpr = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for tag in ("w:rFonts", "w:sz", "w:szCs", "w:color"):
        for old in rpr.findall(qn(tag)):
            rpr.remove(old)
    half_points = round(size * 2)
    rpr.append(
        parse_xml(
            f'<w:rFonts {nsdecls("w")} w:ascii="{font}" w:hAnsi="{font}" w:cs="{font}" w:eastAsia="{font}"/>'
        )
    )
    rpr.append(parse_xml(f'<w:color {nsdecls("w")} w:val="{colour.lstrip("#")}"/>'))
    rpr.append(parse_xml(f'<w:sz {nsdecls("w")} w:val="{half_points}"/>'))
    rpr.append(parse_xml(f'<w:szCs {nsdecls("w")} w:val="{half_points}"/>'))


def _border(style: ParagraphStyle, side: str, colour: str, size: int, space: int = 4) -> None:
    ppr = style.element.get_or_add_pPr()
    ppr.append(
        parse_xml(
            f'<w:pBdr {nsdecls("w")}><w:{side} w:val="single" w:sz="{size}" w:space="{space}" '
            f'w:color="{colour.lstrip("#")}"/></w:pBdr>'
        )
    )


def _shade(style: ParagraphStyle, colour: str) -> None:
    style.element.get_or_add_pPr().append(
        parse_xml(f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" w:fill="{colour.lstrip("#")}"/>')
    )


def _outline(style: ParagraphStyle, level: int) -> None:
    style.element.get_or_add_pPr().append(parse_xml(f'<w:outlineLvl {nsdecls("w")} w:val="{level}"/>'))


def table_style(doc: docx.document.Document, spec: ThemeSpec) -> None:
    c = spec.colours
    head = spec.fonts.heading[0]
    xml = (
        f'<w:style {nsdecls("w")} w:type="table" w:customStyle="1" w:styleId="BriefingTable">'
        '<w:name w:val="Briefing Table"/><w:basedOn w:val="TableNormal"/><w:uiPriority w:val="59"/>'
        '<w:pPr><w:spacing w:before="40" w:after="40" w:line="240" w:lineRule="auto"/></w:pPr>'
        f'<w:rPr><w:rFonts w:ascii="{head}" w:hAnsi="{head}" w:cs="{head}"/><w:sz w:val="17"/></w:rPr>'
        '<w:tblPr><w:tblStyleRowBandSize w:val="1"/><w:tblBorders>'
        f'<w:bottom w:val="single" w:sz="4" w:space="0" w:color="{c.rule.lstrip("#")}"/>'
        f'<w:insideH w:val="single" w:sz="4" w:space="0" w:color="{c.rule.lstrip("#")}"/>'
        '</w:tblBorders><w:tblCellMar><w:top w:w="57" w:type="dxa"/><w:left w:w="100" w:type="dxa"/>'
        '<w:bottom w:w="57" w:type="dxa"/><w:right w:w="100" w:type="dxa"/></w:tblCellMar></w:tblPr>'
        '<w:tblStylePr w:type="firstRow"><w:rPr><w:b/><w:color w:val="FFFFFF"/></w:rPr>'
        f'<w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="{c.table_header.lstrip("#")}"/></w:tcPr></w:tblStylePr>'
        '<w:tblStylePr w:type="band2Horz">'
        f'<w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="{c.table_stripe.lstrip("#")}"/></w:tcPr></w:tblStylePr>'
        "</w:style>"
    )
    doc.styles.element.append(parse_xml(xml))


def _caps(style: ParagraphStyle) -> None:
    style.font.all_caps = True
    # Letter-spacing in twentieths of a point, as the PDF's 0.05em on a 12-14pt heading.
    style.element.get_or_add_rPr().append(parse_xml(f'<w:spacing {nsdecls("w")} w:val="12"/>'))


def character_styles(doc: docx.document.Document, spec: ThemeSpec) -> None:
    number = doc.styles.add_style("TOC Number", WD_STYLE_TYPE.CHARACTER)
    number.font.bold = True
    number.font.color.rgb = _rgb(spec.colours.subheading_colour())
    label = doc.styles.add_style("Cover Label", WD_STYLE_TYPE.CHARACTER)
    label.font.name = spec.fonts.heading[0]
    label.font.bold = True
    label.font.size = Pt(8)
    label.font.all_caps = True
    label.font.color.rgb = _rgb(spec.cover.resolved(spec.colours)["label"])
    label.element.get_or_add_rPr().append(parse_xml(f'<w:spacing {nsdecls("w")} w:val="13"/>'))
    note = doc.styles.add_style("Note Reference", WD_STYLE_TYPE.CHARACTER)
    note.font.superscript = True
    note.font.color.rgb = _rgb(spec.colours.accent)
    note.font.name = spec.fonts.heading[0]
    ref = doc.styles.add_style("footnote reference", WD_STYLE_TYPE.CHARACTER)
    ref.font.superscript = True
    ref.font.bold = True
    ref.font.color.rgb = _rgb(spec.colours.accent)
    link = doc.styles.add_style("Hyperlink", WD_STYLE_TYPE.CHARACTER)
    link.font.color.rgb = _rgb(spec.colours.primary)
    link.font.underline = True


def text_styles(doc: docx.document.Document, spec: ThemeSpec) -> None:
    c, f = spec.colours, spec.fonts
    head, body = f.heading[0], f.body[0]
    # Body font, size and colour are document defaults, not Normal's: table cells use
    # Normal, and a table style's text settings only win over defaults, not over Normal.
    _defaults(doc, font=body, size=f.size_pt, colour=c.text)
    doc.styles["Normal"].paragraph_format.space_after = Pt(6)
    doc.styles["Normal"].paragraph_format.line_spacing = 1.15
    table_text = _paragraph_style(doc, "Table Text")
    _set(table_text, font=head, size=8.5, colour=c.text, after=0)
    table_text.paragraph_format.line_spacing = 1.0
    table_heading = _paragraph_style(doc, "Table Heading", "Table Text")
    _set(table_heading, font=head, size=8.5, colour="#ffffff", bold=True, after=0)
    table_heading.paragraph_format.line_spacing = 1.0
    _set(_paragraph_style(doc, "Body Text"), font=body, size=f.size_pt, colour=c.text, after=6)
    _set(_paragraph_style(doc, "List Bullet"), font=body, size=f.size_pt, colour=c.text, after=4)
    _set(
        _paragraph_style(doc, "Summary"), font=body, size=f.size_pt + 1, colour=c.muted, italic=True, after=12
    )
    _set(_paragraph_style(doc, "Source Note"), font=body, size=8, colour=c.text, after=2)
    note_text = _paragraph_style(doc, "footnote text")
    _set(note_text, font=body, size=7.5, colour=c.muted, after=1)
    note_text.paragraph_format.line_spacing = 1.0


def heading_styles(doc: docx.document.Document, spec: ThemeSpec) -> None:
    c, f = spec.colours, spec.fonts
    head, body = f.heading[0], f.body[0]
    cover = spec.cover.resolved(c)
    # The cover's text, placed as the PDF places it (briefing.css: .cover ...).
    _set(_paragraph_style(doc, "Title"), font=head, size=30, colour=cover["title"], bold=True, before=11, after=14)
    title = _paragraph_style(doc, "Title")
    title.paragraph_format.line_spacing = 1.05
    title.element.get_or_add_pPr().remove_all("w:pBdr")
    _border(title, "bottom", cover["rule"], 16, 17)
    subtitle = _paragraph_style(doc, "Subtitle")
    _set(subtitle, font=head, size=14, colour=cover["subtitle"], italic=False, after=62)
    subtitle.element.get_or_add_rPr().remove_all("w:spacing")  # the template's letter-spacing
    _paragraph_style(doc, "Subtitle").paragraph_format.line_spacing = 1.0
    kicker = _paragraph_style(doc, "Cover Kicker")
    _set(kicker, font=head, size=10, colour=cover["kicker"], bold=True, after=0)
    kicker.font.all_caps = True
    kicker.element.get_or_add_rPr().append(parse_xml(f'<w:spacing {nsdecls("w")} w:val="40"/>'))
    for level, size, before in ((1, 14, 16), (2, 11.5, 10), (3, 10.5, 8)):
        style = _paragraph_style(doc, f"Heading {level}")
        colour = c.primary if level == 1 else c.subheading_colour()
        _set(style, font=head, size=size, colour=colour, bold=True, before=before, after=4, keep_next=True)
        if level == 1:
            _border(style, "bottom", c.rule, 6, 3)
    callout_heading = _paragraph_style(doc, "Callout Heading")
    _set(callout_heading, font=head, size=12, colour=c.primary, bold=True, before=6, after=4, keep_next=True)
    callout = _paragraph_style(doc, "Callout")
    _set(callout, font=body, size=f.size_pt, colour=c.text, after=0)
    for style in (callout_heading, callout):
        _shade(style, c.callout)
        _border(style, "left", c.primary, 24, 8)
        style.paragraph_format.left_indent = Pt(10)
        style.paragraph_format.right_indent = Pt(4)
    _outline(callout_heading, 0)
    toc_heading = _paragraph_style(doc, "TOC Heading")
    _set(toc_heading, font=head, size=16, colour=c.primary, bold=True, after=17)
    toc_heading.element.get_or_add_pPr().append(
        parse_xml(f'<w:pBdr {nsdecls("w")}><w:bottom w:val="nil"/></w:pBdr>')  # Heading 1 has a rule; this does not
    )
    if f.heading_caps:
        for name in ("Heading 1", "Callout Heading", "TOC Heading"):
            _caps(_paragraph_style(doc, name))


def furniture_styles(doc: docx.document.Document, spec: ThemeSpec) -> None:
    c, head = spec.colours, spec.fonts.heading[0]
    cover = spec.cover.resolved(c)
    marking = _paragraph_style(doc, "Marking")  # the cover's bands
    _set(marking, font=head, size=9, colour=cover["band_text"], bold=True, after=0)
    marking.font.all_caps = True
    marking.element.get_or_add_rPr().append(parse_xml(f'<w:spacing {nsdecls("w")} w:val="22"/>'))
    meta = _paragraph_style(doc, "Cover Meta")
    _set(meta, font=spec.fonts.body[0], size=10, colour=cover["value"], after=8.5)
    meta.paragraph_format.line_spacing = 1.15
    caption = _paragraph_style(doc, "Caption")
    _set(caption, font=head, size=8.5, colour=c.muted, bold=True, before=6, after=4, keep_next=True)
    # The contents as the PDF sets them: a number column, the text, a dot leader to the page.
    text_width = Mm(spec.page.text_width_mm())
    for name, size, colour, indent in (("TOC 1", 10, c.text, 0.0), ("TOC 2", 9.5, c.muted, 9.0)):
        style = _paragraph_style(doc, name)
        _set(style, font=head, size=size, colour=colour, after=6 if name == "TOC 1" else 5)
        style.paragraph_format.left_indent = Mm(indent + 9)
        style.paragraph_format.first_line_indent = Mm(-9)
        tabs = style.paragraph_format.tab_stops
        tabs.add_tab_stop(Mm(indent + 9))
        tabs.add_tab_stop(text_width, WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
    for name in ("Header", "Footer"):
        _set(_paragraph_style(doc, name), font=head, size=8, colour=c.muted, after=0)
    _border(_paragraph_style(doc, "Header"), "bottom", c.rule, 4, 4)  # the PDF's rule under the running head


def builtin_names(doc: docx.document.Document) -> None:
    """Give Word's own TOC styles their built-in names ("toc 1"), so a TOC update keeps their look."""
    for style in doc.styles.element.findall(qn("w:style")):
        name = style.find(qn("w:name"))
        if name is not None and name.get(qn("w:val")) in ("TOC 1", "TOC 2"):
            name.set(qn("w:val"), name.get(qn("w:val")).lower())
            style.attrib.pop(qn("w:customStyle"), None)


def bullets(doc: docx.document.Document, spec: ThemeSpec) -> None:
    """Draw List Bullet's bullet as the PDF does: a "•" in the body font, in the accent colour.

    The template's bullet is a Symbol-font glyph, which machines without Symbol draw in
    whatever font they have (LibreOffice: OpenSymbol or a maths font).
    """
    style = _paragraph_style(doc, "List Bullet")
    num_pr = style.element.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}")
    if num_pr is None:
        return
    numbering = doc.part.numbering_part.element
    num = next(n for n in numbering.iterchildren(qn("w:num")) if n.get(qn("w:numId")) == num_pr.get(qn("w:val")))
    abstract_id = num.find(qn("w:abstractNumId")).get(qn("w:val"))
    abstract = next(
        a for a in numbering.iterchildren(qn("w:abstractNum")) if a.get(qn("w:abstractNumId")) == abstract_id
    )
    level = abstract.find(qn("w:lvl"))
    level.find(qn("w:lvlText")).set(qn("w:val"), "•")
    old = level.find(qn("w:rPr"))
    if old is not None:
        level.remove(old)
    font = spec.fonts.body[0]
    level.append(
        parse_xml(
            f'<w:rPr {nsdecls("w")}><w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:cs="{font}" w:hint="default"/>'
            f'<w:color w:val="{spec.colours.accent.lstrip("#").upper()}"/></w:rPr>'
        )
    )

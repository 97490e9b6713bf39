"""Cut a font file down to the glyphs some text needs (HarfBuzz's subsetter), the same bytes every time.

Shared by the HTML format (WOFF2 inside the page) and Word (TrueType parts inside the .docx).

HarfBuzz's hb-subset, through uharfbuzz (its maintained Python binding, wheels for every
platform, no downloads), cuts a font in about a millisecond; fontTools' subsetter took
about a second a font, and a Word file embeds five, in every new process. fontTools stays
for the one thing HarfBuzz does not do: wrapping the cut font as WOFF2 (Brotli) for HTML.
"""

from __future__ import annotations

import io
import logging
from pathlib import Path


def subset_font(path: Path, text: str, *, flavor: str | None = "woff2") -> bytes:
    """Return the font at ``path`` cut down to the glyphs ``text`` needs, as ``flavor`` (None: TrueType)."""
    import uharfbuzz as hb

    face = hb.Face(hb.Blob.from_file_path(str(path)))
    wanted = hb.SubsetInput()
    for char in set(text):
        wanted.unicode_set.add(ord(char))
    # Screens, Word and LibreOffice do without hinting (a third smaller or more); the
    # .notdef box keeps its outline, so a missing glyph shows as a box, not as nothing.
    flags = hb.SubsetFlags.NO_HINTING | hb.SubsetFlags.NOTDEF_OUTLINE
    if flavor is not None:
        flags |= hb.SubsetFlags.DESUBROUTINIZE  # CFF outlines compress better as WOFF2
    wanted.flags = flags
    # Every name record travels with the font: the licence and copyright (OFL) among them.
    wanted.sets(hb.SubsetInputSets.NAME_ID).add_range(0, 0xFFFF)
    wanted.sets(hb.SubsetInputSets.NAME_LANG_ID).add_range(0, 0xFFFF)
    cut = hb.subset(face, wanted)
    if cut is None:
        raise ValueError(f"{path.name}: HarfBuzz could not subset this font")
    data = bytes(cut.blob.data)
    if flavor is None:
        return data
    from fontTools.ttLib import TTFont

    # fontTools complains about the fonts' 1904-epoch time stamps; nothing to act on.
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    font = TTFont(io.BytesIO(data), recalcTimestamp=False)
    font.flavor = flavor
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()

"""Cut a font file down to the glyphs some text needs (fontTools' subsetter), the same bytes every time.

Shared by the HTML format (WOFF2 inside the page) and Word (TrueType parts inside the .docx).
"""

from __future__ import annotations

import io
import logging
from pathlib import Path


def subset_font(path: Path, text: str, *, flavor: str | None = "woff2") -> bytes:
    """Return the font at ``path`` cut down to the glyphs ``text`` needs, as ``flavor`` (None: TrueType)."""
    from fontTools import subset

    options = subset.Options()
    options.flavor = flavor
    options.hinting = False  # screens, Word and LibreOffice do without; a third smaller or more
    options.desubroutinize = flavor is not None  # compresses better as WOFF2; TrueType has no subroutines
    options.recalc_timestamp = False  # keep the font's own time stamp: the same bytes every build
    options.name_IDs = ["*"]  # the licence and copyright names travel with the font (OFL)
    options.notdef_outline = True
    # fontTools complains about the fonts' 1904-epoch time stamps; nothing to act on.
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    font = subset.load_font(str(path), options)
    try:
        subsetter = subset.Subsetter(options)
        subsetter.populate(text=text)
        subsetter.subset(font)
        out = io.BytesIO()
        subset.save_font(font, out, options)
    finally:
        font.close()
    return out.getvalue()

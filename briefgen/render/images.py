"""Check an image before a renderer embeds it: known type, sane size, intact, no XML entities."""

from __future__ import annotations

import io
import re
import warnings

MAX_PIXELS = 25_000_000  # 5000 x 5000; decoded RGBA that is 100 MB
RASTER_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif")
# A DTD lets an SVG define entities: exponential expansion ("billion laughs") or a
# SYSTEM entity naming a file or URL. Drawings never need one.
_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)


def image_problem(data: bytes, suffix: str) -> str | None:
    """Return what is wrong with image ``data`` of type ``suffix`` ('.png', '.svg', ...), or None."""
    suffix = suffix.lower()
    if not data.strip():
        return "image file is empty; save the image again or point at another file"
    if suffix == ".svg":
        if _DTD.search(data):
            return "SVG declares a DTD or entities (<!DOCTYPE>/<!ENTITY>); remove them"
        return _svg_problem(data)
    if suffix not in RASTER_SUFFIXES:
        return f"images of type {suffix or '(none)'} are not supported; use PNG, JPEG, GIF or SVG"
    return _raster_problem(data)


def _svg_problem(data: bytes) -> str | None:
    """Refuse what is not an SVG drawing before a library is handed it (an empty one is read as a URL)."""
    from xml.etree import ElementTree

    try:
        # No DTD (refused above), so no entities: the standard parser is safe here.
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as exc:
        line = exc.position[0] if exc.position else 0
        return f"SVG is not well-formed XML (line {line}); save it again"
    if root.tag.rpartition("}")[2] != "svg":
        return f"not an SVG drawing: its root element is <{root.tag.rpartition('}')[2]}>, not <svg>; save it again"
    return None


def _raster_problem(data: bytes) -> str | None:
    from PIL import Image, ImageFile, UnidentifiedImageError

    # WeasyPrint sets this process-wide so that it can draw damaged images; here they must fail.
    truncated_ok = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # Pillow warns about large images; we judge them ourselves
            with Image.open(io.BytesIO(data)) as image:
                width, height = image.size
                if width * height > MAX_PIXELS:
                    return (
                        f"image is {width} x {height} pixels, more than the {MAX_PIXELS} allowed; "
                        "scale it down"
                    )
                # Decode it now: WeasyPrint and Word copy some formats as they are, so a
                # truncated file would otherwise reach the output as a broken picture.
                image.load()
    except Image.DecompressionBombError as exc:  # Pillow refuses to open it at all
        found = re.search(r"\((\d+) pixels\)", str(exc))
        count = found.group(1) if found else "too many"
        return f"image has {count} pixels, more than the {MAX_PIXELS} allowed; scale it down"
    except UnidentifiedImageError:  # its message names the BytesIO object, of no use to anyone
        return "image is damaged or not an image (not a PNG, JPEG or GIF picture); save it again"
    except Exception as exc:  # Pillow raises many types (OSError, SyntaxError, zlib.error, ...)
        why = re.sub(r" ?<[^<>]* at 0x[0-9a-f]+>", "", str(exc)) or type(exc).__name__
        return f"image is damaged or not an image ({why}); save it again"
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = truncated_ok
    return None

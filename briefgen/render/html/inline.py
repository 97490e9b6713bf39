"""Make a briefing's HTML self-contained: stylesheets, fonts and images carried inside the file.

Every address a template or stylesheet names is read under the same rules as the PDF
renderer's fetcher (render/resources.py: regular files from the template folders only)
and replaced by a data: URL, so the finished page asks nothing of anything outside
itself; a script, a frame or any other reference it cannot carry is refused. The
theme's fonts are cut down to the characters the page uses (HarfBuzz's subsetter, render/fonts.py) and
carried as WOFF2, so a page stays small.
"""

from __future__ import annotations

import base64
import posixpath
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import tinycss2
import tinycss2.ast
from lxml import etree  # type: ignore[import-untyped]
from lxml import html as lxml_html

from briefgen.errors import RenderError, SecurityError
from briefgen.project.searchpath import TemplateDirs
from briefgen.project.themes import FontFace
from briefgen.render.fonts import subset_font
from briefgen.render.resources import Resource, ResourceRefused, read_resource, short

MAX_IMPORT_DEPTH = 8
MARKER = "/*briefgen:styles*/"  # the renderer's own <style>, filled once the page's text is known
# Elements whose address would make the page fetch or run something.
_REFUSED = {"script", "iframe", "frame", "object", "embed", "applet", "base", "audio", "video", "source", "track"}
_NAVIGATION = ("http://", "https://", "mailto:")


def data_url(data: bytes, mime: str) -> str:
    """Return ``data`` as a base64 data: URL of type ``mime``."""
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


class Inliner:
    """Replaces every template-relative address in CSS and HTML by the resource's data: URL."""

    def __init__(self, dirs: TemplateDirs) -> None:
        self.dirs = dirs
        self._urls: dict[str, str] = {}  # template name -> data: URL, read once per page

    def resource_url(self, name: str, shown: str) -> str:
        """Return the data: URL of template resource ``name`` (``shown``: the address as written)."""
        if name not in self._urls:
            resource = read_resource(self.dirs, name, shown=shown)
            self._urls[name] = data_url(resource.data, resource.mime)
        return self._urls[name]

    def stylesheet(self, name: str, depth: int = 0) -> str:
        """Return template stylesheet ``name`` with its imports and addresses inlined."""
        resource = read_resource(self.dirs, name)
        if resource.mime != "text/css":
            raise ResourceRefused(f"{name!r} is not a stylesheet")
        return self.css(_css_text(resource), posixpath.dirname(name), depth)

    def css(self, text: str, folder: str = "", depth: int = 0) -> str:
        """Return CSS ``text`` (from template folder ``folder``) with imports and addresses inlined."""
        if depth > MAX_IMPORT_DEPTH:
            raise SecurityError(f"stylesheets import each other more than {MAX_IMPORT_DEPTH} deep; remove the cycle")
        tokens = tinycss2.parse_component_value_list(text, skip_comments=True)
        return str(tinycss2.serialize(self._tokens(tokens, folder, depth)))

    def _tokens(self, tokens: list[Any], folder: str, depth: int) -> list[Any]:
        out: list[Any] = []
        index = 0
        while index < len(tokens):
            token = tokens[index]
            if isinstance(token, tinycss2.ast.AtKeywordToken) and token.lower_value == "import":
                end = next((i for i in range(index, len(tokens)) if _is(tokens[i], ";")), len(tokens) - 1)
                target = next((_address(t) for t in tokens[index + 1 : end] if _address(t) is not None), None)
                if target is None:
                    raise SecurityError("an @import without an address cannot be inlined; remove it")
                imported = self.stylesheet(self._name(target, folder), depth + 1)
                out.extend(tinycss2.parse_component_value_list(imported))
                index = end + 1
                continue
            address = _address(token)
            if address is not None:
                url = self._css_address(address, folder)
                out.append(tinycss2.ast.URLToken(token.source_line, token.source_column, url, f"url({url})"))
            elif hasattr(token, "content") and isinstance(token.content, list):
                token.content = self._tokens(token.content, folder, depth)
                out.append(token)
            elif isinstance(token, tinycss2.ast.FunctionBlock):
                token.arguments = self._tokens(token.arguments, folder, depth)
                out.append(token)
            else:
                out.append(token)
            index += 1
        return out

    def _css_address(self, address: str, folder: str) -> str:
        if address.startswith("#"):
            return address  # an SVG fragment inside the page
        return self.resource_url(self._name(address, folder), address)

    def _name(self, address: str, folder: str) -> str:
        """Return the template name an address written in template folder ``folder`` stands for."""
        parts = urlsplit(address)
        if parts.scheme == "data":
            raise ResourceRefused(
                f"refused to use {short(address, 60)!r}: data: URLs are not allowed; "
                "save the file in the template folder and refer to it by name"
            )
        if parts.scheme or parts.netloc or address.startswith("/"):
            raise ResourceRefused(f"refused to fetch {short(address)!r}: only files in the template folders may be used")
        joined = posixpath.normpath(posixpath.join(folder, unquote(parts.path)))
        if joined == "." or joined.startswith("../"):
            raise ResourceRefused(f"refused to fetch {short(address)!r}: it lies outside the template folders")
        return joined

    def document(self, page: str) -> str:
        """Return HTML ``page`` with every stylesheet link, image and style attribute inlined."""
        tree = lxml_html.document_fromstring(page)
        for element in tree.iter(etree.Element):
            tag = element.tag if isinstance(element.tag, str) else ""
            if tag.lower() in _REFUSED:
                raise SecurityError(
                    f"the template has a <{tag}> element; a self-contained HTML briefing carries no "
                    "script, frame or media; remove it"
                )
            if tag == "link":
                self._link(element)
            for attribute in ("src", "poster", "data"):
                value = element.get(attribute)
                if value is not None and not value.startswith("data:image/"):
                    element.set(attribute, self.resource_url(self._name(value, ""), value))
            href = element.get("href")
            if tag != "link" and href is not None and not href.startswith(("#", *_NAVIGATION)):
                raise ResourceRefused(
                    f"link to {short(href)!r}: a self-contained HTML briefing may link only within "
                    "itself or to http(s) and mailto addresses"
                )
            style = element.get("style")
            if style:
                element.set("style", self.css(style))
            if tag == "style" and element.text and element.text.strip() != MARKER:
                element.text = self.css(element.text)
        return "<!DOCTYPE html>\n" + str(lxml_html.tostring(tree, encoding="unicode"))

    def _link(self, element: Any) -> None:
        rel = (element.get("rel") or "").lower().split()
        href = element.get("href") or ""
        if "stylesheet" not in rel:
            raise ResourceRefused(
                f'<link rel="{" ".join(rel)}" href="{short(href)}">: a self-contained HTML briefing '
                "carries only stylesheets; remove it"
            )
        style = lxml_html.Element("style")
        style.text = self.stylesheet(self._name(href, ""))
        element.addprevious(style)
        element.getparent().remove(element)


def _is(token: Any, literal: str) -> bool:
    return isinstance(token, tinycss2.ast.LiteralToken) and token.value == literal


def _address(token: Any) -> str | None:
    """Return the address of a url() token, a url("...") function or an @import string."""
    if isinstance(token, tinycss2.ast.URLToken):
        return str(token.value)
    if isinstance(token, tinycss2.ast.FunctionBlock) and token.lower_name == "url":
        strings = [t.value for t in token.arguments if isinstance(t, tinycss2.ast.StringToken)]
        return str(strings[0]) if strings else None
    if isinstance(token, tinycss2.ast.StringToken):
        return None  # only an @import's own string is an address; handled by its caller
    return None


def _css_text(resource: Resource) -> str:
    try:
        return resource.data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RenderError(f"stylesheet {resource.name!r} is not UTF-8; save it as UTF-8") from None


# --- fonts -------------------------------------------------------------------------


def font_faces_css(faces: Iterable[tuple[FontFace, Path]], text: str) -> str:
    """Return @font-face rules carrying each face, subset to ``text``, as a data: URL."""
    rules = []
    for face, path in faces:
        url = data_url(subset_font(path, text), "font/woff2")
        rules.append(
            f'@font-face {{ font-family: "{face.family}"; src: url({url}) format("woff2"); '
            f"font-weight: {face.weight}; font-style: {face.style}; font-display: swap; }}"
        )
    return "\n".join(rules)

"""The PDF renderer's URL fetcher: only regular files from the template folders, never the network."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from briefgen.project.searchpath import TemplateDirs
from briefgen.render.resources import ResourceRefused, read_resource, short


class Refused(FatalURLFetchingError):  # type: ignore[misc]
    """A resource request the fetcher refused; stops the render (never silently dropped)."""


class ProjectFetcher(URLFetcher):  # type: ignore[misc]
    """Serve only regular files from the template folders; refuse everything else.

    Relative URLs resolve against the first template folder; a path missing there is
    looked up along the search path, so an override folder need not copy fonts or CSS.
    """

    def __init__(self, dirs: TemplateDirs) -> None:
        super().__init__(allowed_protocols=("file",), fail_on_errors=True)
        self.dirs = dirs
        # WeasyPrint swallows even fatal errors inside SVG drawing; remember every refusal.
        self.refusals: list[str] = []

    def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
        """Return the file behind ``url`` or raise Refused naming it."""
        try:
            return self._fetch(url)
        except Refused as exc:
            self.refusals.append(str(exc))
            raise

    def _fetch(self, url: str) -> URLFetcherResponse:
        parts = urlsplit(url)
        if parts.scheme == "data":
            raise Refused(
                f"refused to use {short(url, 60)!r}: data: URLs are not allowed; "
                "save the file in the template folder and refer to it by name"
            )
        if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
            raise Refused(f"refused to fetch {short(url)!r}: only files in the template folders may be used")
        path = Path(unquote(parts.path))
        name = self._template_name(path)
        if name is None:
            raise Refused(f"refused to fetch {short(url)!r}: it lies outside the template folders")
        try:
            resource = read_resource(self.dirs, name, shown=url)
        except ResourceRefused as exc:
            raise Refused(str(exc)) from None
        return URLFetcherResponse(resource.path.as_uri(), resource.data, {"Content-Type": resource.mime})

    def _template_name(self, path: Path) -> str | None:
        # Not resolved: a '..' or a link must be judged by TemplateDirs.find, not folded away.
        for folder in self.dirs.dirs:
            try:
                rel = path.relative_to(folder)
            except ValueError:
                continue
            return rel.as_posix()
        return None


def base_url(dirs: TemplateDirs) -> str:
    """Return the URL relative references in the HTML resolve against."""
    return dirs.dirs[0].as_uri() + "/"

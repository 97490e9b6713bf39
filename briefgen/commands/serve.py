"""Live preview: serve each briefing's HTML and reload the browser when a project file changes.

`briefgen serve` renders the same print HTML the PDF is made from, with a screen
stylesheet (templates/preview.css) and a tiny script that listens to server-sent events.
Files are watched with watchfiles; every change bumps a version and the pages reload.
Resources (CSS, fonts, logo) come from the template folders through the PDF renderer's
own fetcher, so the preview can read exactly what a PDF build could and nothing more.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import logging
import os
import re
import secrets
import socket
import threading
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from urllib.parse import quote

import uvicorn
from markupsafe import Markup, escape
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response, StreamingResponse
from starlette.routing import Route
from watchfiles import awatch

from briefgen.assemble.tailor import assemble_for
from briefgen.commands.shown import shown_text
from briefgen.commands.watch import ChangeFilter, watch_filter, watch_paths
from briefgen.content.load import load_library
from briefgen.content.model import Library
from briefgen.errors import BriefgenError
from briefgen.project.config import Project, load_project
from briefgen.render.html.document import clear_environments, render_html
from briefgen.render.registry import RenderContext
from briefgen.render.resources import ResourceRefused, read_resource

log = logging.getLogger(__name__)

PREVIEW_STYLESHEET = "preview.css"  # a template resource, so a project may override it
EVENTS_PATH = "/_briefgen/events"
SCRIPT_PATH = "/_briefgen/reload.js"
KEEPALIVE_SECONDS = 15.0
_BODY = re.compile(r"<body\b[^>]*>", re.IGNORECASE)
# Reload when the served version differs from the one the page was rendered at; a
# restarted server has a new token, so open pages reload after a restart too.
RELOAD_JS = """\
(() => {
  const script = document.querySelector("script[data-briefgen-version]");
  const loaded = script.dataset.briefgenVersion;
  const events = new EventSource("/_briefgen/events");
  events.addEventListener("version", (event) => {
    if (event.data !== loaded) { events.close(); window.location.reload(); }
  });
})();
"""
# The page may use its own inline styles (base.html) but run no script except ours.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
HEADERS = {"Cache-Control": "no-store", "Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff"}


class NotFound(Exception):
    """A page the preview does not have (unknown topic or audience)."""


@dataclass(frozen=True)
class _Loaded:
    version: str
    project: Project
    library: Library
    ctx: RenderContext


class Preview:
    """One preview session: the project, its loaded state and the change version."""

    def __init__(self, root: Path, theme: str | None = None) -> None:
        self.root = root.resolve()
        self.theme = theme
        self.token = secrets.token_hex(4)
        self.counter = 0
        self._lock = threading.Lock()
        self._loaded: _Loaded | None = None
        self._changed: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self.stopping = False

    @property
    def version(self) -> str:
        """Return the current version: changes on every watched file change."""
        return f"{self.token}-{self.counter}"

    def load(self) -> _Loaded:
        """Return project, content and templates for the current version, loading once per version."""
        with self._lock:
            version = self.version
            if self._loaded is None or self._loaded.version != version:
                project = load_project(self.root, {"theme": self.theme})
                library, _docs = load_library(project.content_dir, project.root)
                ctx = RenderContext.for_project(project)
                self._loaded = _Loaded(version, project, library, ctx)
            return self._loaded

    def render(self, topic: str, audience: str) -> str:
        """Return the print HTML of one briefing with the preview stylesheet and script."""
        loaded = self.load()
        if topic not in loaded.library.topics or audience not in loaded.library.audiences:
            raise NotFound(f"no briefing {topic}/{audience}; see the index at /")
        briefing = assemble_for(loaded.project.config, loaded.library, topic, audience)
        html = render_html(briefing, loaded.ctx)
        budget = loaded.library.audiences[audience].page_budget
        if budget is not None:
            html = with_note(html, uncut_note(topic, audience, budget))
        # The version the content was read at: a change during rendering still reloads.
        return inject(html, loaded.version)

    def resource(self, name: str) -> tuple[bytes, str]:
        """Return a template resource and its type, refused exactly as the PDF fetcher refuses."""
        try:
            found = read_resource(self.load().ctx.dirs, name)
        except ResourceRefused as exc:
            raise NotFound(shown_text(exc, self.root)) from None
        return found.data, found.mime

    def watch_paths(self) -> list[Path]:
        """Return the folders to watch: the project and the built-in templates."""
        return watch_paths(self.root)

    def watch_filter(self) -> ChangeFilter:
        """Return a filter that ignores outputs, the cache, hidden folders and editor droppings."""
        return watch_filter(self.root)

    def changed(self, paths: set[str]) -> None:
        """Record a change: new version, templates read afresh, waiting pages told."""
        self.counter += 1
        clear_environments()
        log.info("changed: %s -> reload (version %s)", ", ".join(sorted(paths)[:5]), self.version)
        if self._changed is not None:
            self._changed.set()
        self._changed = asyncio.Event()

    async def wait(self, version: str, timeout: float) -> None:
        """Return once the version differs from ``version``, or after ``timeout`` seconds."""
        self._loop = asyncio.get_running_loop()
        if self._changed is None:
            self._changed = asyncio.Event()
        event = self._changed
        if self.version != version or self.stopping:
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(event.wait(), timeout)

    def stop(self) -> None:
        """End the event streams, so that open pages do not hold the server open on shutdown."""
        self.stopping = True
        if self._loop is not None and self._changed is not None:
            self._loop.call_soon_threadsafe(self._changed.set)

    async def watch(self, stop: asyncio.Event) -> None:
        """Bump the version on every change below the watched folders until ``stop`` is set."""
        try:
            async for changes in awatch(
                *self.watch_paths(), watch_filter=self.watch_filter(), stop_event=stop
            ):
                self.changed({path for _change, path in changes})
        except Exception:  # without a watcher the preview still serves; say so
            log.exception("watching for changes failed; pages will not reload by themselves")


def uncut_note(topic: str, audience: str, budget: int) -> str:
    """Return the preview's note that it shows a budgeted briefing before its cut.

    The cut is decided by the PDF's layout, which the preview does not run: WeasyPrint in
    the server's own process would have no time or memory limit over a template.
    """
    pages = f"{budget} page" + ("s" if budget != 1 else "")
    command = f"briefgen build --topic {topic} --audience {audience}"
    return (
        '<aside class="briefgen-preview-note" role="note">'
        f"This preview is the whole briefing. Its audience has a budget of {escape(pages)}: "
        "if the PDF runs longer, the build drops optional material (detail statements, "
        "lowest-ranked first) from the PDF, Word and HTML files alike and names every "
        f"statement dropped. <code>{escape(command)}</code> shows the cut.</aside>"
    )


def with_note(html: str, note: str) -> str:
    """Return ``html`` with ``note`` first in its body (at the start if it has no body tag)."""
    found = _BODY.search(html)
    at = found.end() if found else 0
    return html[:at] + note + html[at:]


def inject(html: str, version: str, *, stylesheet: bool = True) -> str:
    """Add the reload script, and for briefings the preview stylesheet, to a page's head."""
    extra = f'<script src="{SCRIPT_PATH}" data-briefgen-version="{escape(version)}" defer></script>\n'
    if stylesheet:
        extra = f'<link rel="stylesheet" href="{PREVIEW_STYLESHEET}">\n' + extra
    if "</head>" in html:
        return html.replace("</head>", extra + "</head>", 1)
    return extra + html


def page(title: str, body: Markup | str, version: str, status: int = 200) -> HTMLResponse:
    """Return a small HTML page of the preview itself (index, errors), reloading on change."""
    html = (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>"
        "body{font:15px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#1b1f24}"
        "pre{background:#fff4f2;border-left:4px solid #b3261e;padding:1rem;white-space:pre-wrap}"
        "table{border-collapse:collapse}td,th{border:1px solid #ccd;padding:.3rem .7rem;text-align:left}"
        f"</style></head><body><h1>{escape(title)}</h1>{body}</body></html>"
    )
    return HTMLResponse(inject(html, version, stylesheet=False), status_code=status, headers=HEADERS)


def error_page(what: str, exc: Exception, version: str, root: Path | None = None) -> HTMLResponse:
    """Return a readable page for a failure: file:line (project-relative), message, and that it reloads."""
    if isinstance(exc, BriefgenError):
        text = shown_text(exc, root) if root is not None else str(exc)
    else:
        log.exception("preview of %s failed", what)
        shown = shown_text(exc, root) if root is not None else str(exc)
        text = f"{type(exc).__name__}: {shown}\n(an error inside briefgen; run with -vv for the traceback)"
    body = Markup(
        f'<pre class="error">{escape(text)}</pre>'
        '<p>Fix the file and save it: this page reloads by itself. <a href="/">All briefings</a></p>'
    )
    return page(f"briefgen could not render {what}", body, version, status=500)


class _Handlers:
    """The preview's request handlers and lifespan, sharing one Preview."""

    def __init__(self, preview: Preview, on_ready: Callable[[], None] | None) -> None:
        self.preview = preview
        self.on_ready = on_ready

    async def index(self, request: Request) -> Response:
        version = self.preview.version
        try:
            loaded = await run_in_threadpool(self.preview.load)
        except Exception as exc:
            return error_page("the project", exc, version, self.preview.root)
        return page(loaded.project.config.title, index_body(loaded.library), version)

    async def briefing(self, request: Request) -> Response:
        topic, audience = request.path_params["topic"], request.path_params["audience"]
        version = self.preview.version
        try:
            html = await run_in_threadpool(self.preview.render, topic, audience)
        except NotFound as exc:
            return page("Not found", Markup(f"<p>{escape(str(exc))}</p>"), version, status=404)
        except Exception as exc:
            return error_page(f"{topic}/{audience}", exc, version, self.preview.root)
        return HTMLResponse(html, headers=HEADERS)

    async def resource(self, request: Request) -> Response:
        try:
            data, media_type = await run_in_threadpool(self.preview.resource, request.path_params["name"])
        except Exception as exc:  # refused, missing or unreadable: say why, serve nothing
            return PlainTextResponse(shown_text(exc, self.preview.root), status_code=404, headers=HEADERS)
        return Response(data, media_type=media_type, headers=HEADERS)

    async def script(self, request: Request) -> Response:
        return Response(RELOAD_JS, media_type="text/javascript", headers=HEADERS)

    async def no_icon(self, request: Request) -> Response:
        return Response(status_code=204)

    async def events(self, request: Request) -> Response:
        preview = self.preview

        async def stream() -> AsyncIterator[str]:
            yield "retry: 1000\n\n"
            while not preview.stopping:
                version = preview.version
                yield f"event: version\ndata: {version}\n\n"
                await preview.wait(version, KEEPALIVE_SECONDS)

        return StreamingResponse(stream(), media_type="text/event-stream", headers=HEADERS)

    @contextlib.asynccontextmanager
    async def lifespan(self, app: Starlette) -> AsyncIterator[None]:
        stop = asyncio.Event()
        task = asyncio.create_task(self.preview.watch(stop))
        # Let the task run up to its first wait: the watches are in place from then on,
        # so a change made right after the announcement is not missed.
        for _ in range(3):
            await asyncio.sleep(0)
        if self.on_ready is not None:
            self.on_ready()
        try:
            yield
        finally:
            stop.set()
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task


def make_app(
    preview: Preview, allowed_hosts: list[str] | None = None, on_ready: Callable[[], None] | None = None
) -> Starlette:
    """Return the preview web application; ``on_ready`` runs once files are being watched."""
    h = _Handlers(preview, on_ready)
    routes = [
        Route("/", h.index),
        Route("/favicon.ico", h.no_icon),
        Route(SCRIPT_PATH, h.script),
        Route(EVENTS_PATH, h.events),
        Route("/{topic}/{audience}/", h.briefing),
        Route("/{topic}/{audience}/{name:path}", h.resource),
    ]
    hosts = allowed_hosts or ["127.0.0.1", "localhost"]
    middleware = [Middleware(TrustedHostMiddleware, allowed_hosts=hosts)]
    return Starlette(routes=routes, lifespan=h.lifespan, middleware=middleware)


def index_body(library: Library) -> Markup:
    """Return the index table: one row per topic, one link per audience."""
    audiences = list(library.audiences.values())
    head = "".join(f"<th>{escape(a.title)}</th>" for a in audiences)
    rows = []
    for topic in library.topics.values():
        cells = "".join(
            f'<td><a href="/{quote(topic.id)}/{quote(a.id)}/">{escape(topic.id)}/{escape(a.id)}</a></td>'
            for a in audiences
        )
        rows.append(f"<tr><th>{escape(topic.title)}</th>{cells}</tr>")
    return Markup(f"<table><tr><th>Topic</th>{head}</tr>{''.join(rows)}</table>")


def bind(host: str, port: int) -> socket.socket:
    """Return a listening socket on ``host``:``port`` (0: any free port)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(64)
    return sock


def is_loopback(host: str) -> bool:
    """Return whether ``host`` only accepts connections from this machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class PreviewServer(uvicorn.Server):
    """Uvicorn's server, ending the preview's event streams as soon as it is asked to stop."""

    def __init__(self, config: uvicorn.Config, preview: Preview) -> None:
        super().__init__(config)
        self.preview = preview

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        """Stop the event streams, then shut down as uvicorn does."""
        self.preview.stop()
        super().handle_exit(sig, frame)


def serve(root: Path, *, host: str, port: int, theme: str | None, announce: Callable[[str], None]) -> None:
    """Run the preview server until interrupted; ``announce`` receives the URL."""
    preview = Preview(root, theme)
    # Messages name files relative to the working folder: from the project's, every path a
    # page shows is project-relative (shown_text makes sure of the rest).
    os.chdir(preview.root)
    try:
        preview.load()
    except BriefgenError as exc:  # keep serving: the page shows the error until it is fixed
        log.warning("the project does not load yet:\n%s", exc)
    sock = bind(host, port)
    actual = sock.getsockname()[1]
    shown = f"[{host}]" if ":" in host else host
    hosts = None if is_loopback(host) else ["*"]
    # The socket listens already, so requests made once the URL is announced wait in its queue.
    app = make_app(preview, hosts, on_ready=lambda: announce(f"http://{shown}:{actual}/"))
    config = uvicorn.Config(app, log_level="warning", timeout_graceful_shutdown=2, lifespan="on")
    PreviewServer(config, preview).run(sockets=[sock])

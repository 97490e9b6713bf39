"""Watch a project's files: the one set of rules for what a change is, for `serve` and `build --watch`.

A change is a file changed under the content folder, the project's templates or the
built-in templates, or briefgen.yaml itself; never the outputs, the build cache, a
hidden folder (``.git``, ``.venv``) or what editors and tools leave beside files
(watchfiles' DefaultFilter: ``*.swp``, ``*~``, ``__pycache__``, ...). A log written
into the project is no change, so ``briefgen build --watch > build.log`` does not loop.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

from watchfiles import Change, DefaultFilter, watch

from briefgen.batch.report import BuildReport
from briefgen.errors import BriefgenError, display_path
from briefgen.project.config import CONFIG_NAME, load_project
from briefgen.project.searchpath import builtin_dir

ChangeFilter = Callable[[Change, str], bool]
TICK_MS = 200  # how often the watcher wakes to notice Ctrl-C and the stop event


def watch_paths(root: Path) -> list[Path]:
    """Return the folders to watch: the project and the built-in templates."""
    root = root.resolve()
    paths = [root]
    builtin = builtin_dir().resolve()
    if not builtin.is_relative_to(root):
        paths.append(builtin)
    return paths


def watch_filter(root: Path) -> ChangeFilter:
    """Return a filter accepting changes to the project's inputs, not outputs, cache, hidden folders or droppings."""
    root = root.resolve()
    try:
        project = load_project(root)
        inputs, ignored = [project.content_dir, project.templates_dir], [project.output_dir, project.cache_dir]
    except BriefgenError:  # a broken config: its folders are where the defaults put them
        inputs, ignored = [root / "content", root / "templates"], [root / "build", root / ".briefgen-cache"]
    folders = [p.resolve() for p in inputs] + [builtin_dir().resolve()]
    config = root / CONFIG_NAME
    default = DefaultFilter(ignore_paths=[p.resolve() for p in ignored])

    def accept(change: Change, path: str) -> bool:
        p = Path(path)
        if p != config and not any(p.is_relative_to(folder) for folder in folders):
            return False
        # Hidden parts below the watched folder only: the built-in templates may sit in a .venv.
        base = root if p.is_relative_to(root) else next(f for f in folders if p.is_relative_to(f))
        rel = p.relative_to(base).parts
        return default(change, path) and not any(part.startswith(".") for part in rel)

    return accept


def changed_config(root: Path, paths: set[str]) -> bool:
    """Return whether ``paths`` include the project's briefgen.yaml (its folders may have moved)."""
    config = root.resolve() / CONFIG_NAME
    return any(Path(path) == config for path in paths)


def project_changes(root: Path, stop: threading.Event | None = None) -> Iterator[set[str]]:
    """Yield an empty set once the watch is in place, then the changed paths after each burst of changes.

    The first (empty) set comes only when the watcher runs, so nothing changed during the
    first build is missed. It ends when ``stop`` is set or on Ctrl-C between bursts. The
    rules are read again when briefgen.yaml changes, so moved outputs stay ignored.
    """
    first = True
    while stop is None or not stop.is_set():
        for changes in watch(
            *watch_paths(root),
            watch_filter=watch_filter(root),
            stop_event=stop,
            raise_interrupt=False,
            yield_on_timeout=True,  # the first timeout says the watcher is ready
            rust_timeout=TICK_MS,
        ):
            if not changes and not first:
                continue
            first = False
            paths = {path for _change, path in changes}
            yield paths
            if changed_config(root, paths):
                break
        else:
            return  # stopped, or interrupted


def status_line(
    root: Path, changed: set[str], report: BuildReport | None, problems: int = 0, now: dt.datetime | None = None
) -> str:
    """Return the one line a watched build prints: when, what it did, and which change caused it."""
    stamp = (now or dt.datetime.now()).strftime("%H:%M:%S")
    shown = sorted(_shown(root.resolve(), Path(path)) for path in changed)
    why = ""
    if shown:
        more = f" and {len(shown) - 3} more" if len(shown) > 3 else ""
        why = f" after {', '.join(shown[:3])}{more} changed"
    if report is None:
        return f"{stamp} not built: {problems} problem(s){why}; fix them and save"
    counts = ", ".join(f"{report.count(s)} {s}" for s in ("built", "cached", "failed"))
    return f"{stamp} {counts} in {report.seconds:.1f}s{why}"


def _shown(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else display_path(path)

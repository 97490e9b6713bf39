"""What numbering Word's contents from LibreOffice's layout costs: batched, in two processes, and one process per file.

    python benchmarks/paginate.py

Not a test: it prints timings of the 32 bundled Word files; nothing is asserted.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from briefgen.assemble.tailor import assemble_for  # noqa: E402
from briefgen.content.load import load_library  # noqa: E402
from briefgen.project.config import load_project  # noqa: E402
from briefgen.render.docx.paginate import finish  # noqa: E402
from briefgen.render.registry import RenderContext, get_renderer  # noqa: E402


def main() -> None:
    """Render every bundled Word file, then time LibreOffice's numbering of them three ways."""
    project = load_project(REPO)
    library, _ = load_library(project.content_dir, project.root)
    ctx = RenderContext.for_project(project)
    if not ctx.paginator.startswith("libreoffice"):
        print("LibreOffice pagination: skipped, LibreOffice is not installed")
        return
    renderer = get_renderer("docx")
    pairs = [(t, a) for t in sorted(library.topics) for a in sorted(library.audiences)]
    with tempfile.TemporaryDirectory() as tmp:
        files = []
        start = time.perf_counter()
        for topic, audience in pairs:
            path = Path(tmp) / f"{topic}-{audience}.docx"
            path.write_bytes(renderer.render(assemble_for(project.config, library, topic, audience), ctx).data)
            files.append(path)
        render = time.perf_counter() - start
        timings = {}
        for label, jobs, batch in (("1 process", 1, len(files)), ("2 processes", 2, len(files)), ("per file", 1, 1)):
            start = time.perf_counter()
            for first in range(0, len(files), batch):
                finish(ctx, files[first : first + batch], jobs=jobs, timeout=600)
            timings[label] = time.perf_counter() - start
    n = len(files)
    print(f"LibreOffice pagination of {n} Word files (rendering them took {render:.2f}s):")
    for label, seconds in timings.items():
        print(f"  {label:<12} {seconds:7.2f}s  ({seconds / n:.2f}s a file)")


if __name__ == "__main__":
    main()

"""The workers a build starts as soon as it knows what is stale, before it assembles the Briefings."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from briefgen.batch.plan import Target
    from briefgen.batch.workers import Pool


class Early:
    """Workers (workers.Pool) started for the stale targets, held until the render takes them.

    Their start-up (importing the renderers) overlaps the parent's reading and assembling;
    whatever is not taken (the build stopped, or planned again) is stopped by ``close``.
    """

    def __init__(
        self, workers: int, memory_mib: int | None, folders: tuple[Path, ...], head: Pool | None = None
    ) -> None:
        self.workers, self.memory_mib, self.folders = workers, memory_mib, folders
        self.pool: Pool | None = None
        self.head = head  # a worker the command started before reading the project (head_start)

    def start(self, stale: list[Target]) -> None:
        """Start the workers for ``stale`` now, replacing any started for another plan.

        The command's head start becomes one of them if it imports every stale format;
        otherwise it is stopped.
        """
        if self.pool is not None:  # started for an earlier plan
            self.pool.close()
            self.pool = None
        if not stale:
            return
        formats, jobs = {t.format for t in stale}, len({t.pair for t in stale})
        head, self.head = self.head, None
        limits = (self.workers, self.memory_mib, self.folders)
        if head is not None and head.fit(formats, jobs, *limits):
            self.pool = head
            return
        if head is not None:
            head.close()
        from briefgen.batch.workers import Pool  # only a build with work pays for the import

        self.pool = Pool(formats, jobs, *limits)

    def take(self) -> Pool | None:
        """Return the started workers for the render to use (None if none were started)."""
        pool, self.pool = self.pool, None
        return pool

    def close(self) -> None:
        """Stop the workers nobody took."""
        for pool in (self.pool, self.head):
            if pool is not None:
                pool.close()
        self.pool = self.head = None


def head_start(root: Path, formats: list[str] | None) -> Pool | None:
    """Return a worker importing the renderers of ``formats`` (--format) before the project is read.

    Reading the configuration and planning take a quarter of a second before the build
    knows which targets are stale; WeasyPrint takes 0.6 s to import. A command that names
    its formats starts one worker at once, which the build takes if they are stale (Early).
    None without named formats, or with a name the plan will refuse.
    """
    from briefgen.formats import FORMATS

    if not formats or not set(formats) <= FORMATS.keys():
        return None
    from briefgen.batch.workers import Pool

    return Pool.head_start(set(formats), (root,))

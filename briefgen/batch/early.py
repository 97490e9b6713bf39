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

    def __init__(self, workers: int, memory_mib: int | None, folders: tuple[Path, ...]) -> None:
        self.workers, self.memory_mib, self.folders = workers, memory_mib, folders
        self.pool: Pool | None = None

    def start(self, stale: list[Target]) -> None:
        """Start the workers for ``stale`` now, replacing any started for another plan."""
        self.close()
        if not stale:
            return
        from briefgen.batch.workers import Pool  # only a build with work pays for the import

        self.pool = Pool(
            {t.format for t in stale},
            len({t.pair for t in stale}),
            workers=self.workers,
            memory_mib=self.memory_mib,
            folders=self.folders,
        )

    def take(self) -> Pool | None:
        """Return the started workers for the render to use (None if none were started)."""
        pool, self.pool = self.pool, None
        return pool

    def close(self) -> None:
        """Stop the workers nobody took."""
        if self.pool is not None:
            self.pool.close()
            self.pool = None

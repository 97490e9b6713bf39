"""The worker `build --format` starts before it reads the project: taken by the build, or stopped."""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import docx
import pytest
from click.testing import Result

from briefgen.batch import workers
from briefgen.batch.early import head_start
from briefgen.batch.workers import Pool

pytestmark = pytest.mark.skipif(
    not Path("/proc/self/limits").is_file(), reason="reads a worker's limits from /proc"
)


LIMIT = str(512 * 1024 * 1024)


def eventually(check: Callable[[], bool], tries: int = 600) -> bool:
    """Return whether ``check`` holds within ``tries`` looks a tenth of a second apart."""
    for _ in range(tries):
        if check():
            return True
        time.sleep(0.1)
    return False


def address_space_limit(pid: int) -> str:
    """Return the soft 'Max address space' limit of process ``pid``, as /proc writes it."""
    for line in Path(f"/proc/{pid}/limits").read_text().splitlines():
        if line.startswith("Max address space"):
            return line.split()[3]
    raise AssertionError(f"no address-space line for {pid}")


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """Record the pid of every worker process a build starts."""
    pids: list[int] = []
    original = workers._Worker.__init__

    def record(self: workers._Worker, *args: object) -> None:
        original(self, *args)  # type: ignore[arg-type]
        assert self.process.pid is not None
        pids.append(self.process.pid)

    monkeypatch.setattr(workers._Worker, "__init__", record)
    yield pids
    assert multiprocessing.active_children() == []  # every worker stopped at the end


def test_the_head_start_is_the_one_worker_of_a_one_target_build(
    sample: Path, cli: Callable[..., Result], started: list[int]
) -> None:
    one = ("--topic", "relief", "--audience", "field", "--format", "docx")
    result = cli(sample, "build", *one)
    assert result.exit_code == 0, result.output
    assert len(started) == 1  # the build took the worker the command started, none besides
    text = "\n".join(p.text for p in docx.Document(str(sample / "build/relief/field.docx")).paragraphs)
    assert "Relief" in text


def test_a_head_start_the_plan_does_not_need_is_stopped(
    sample: Path, cli: Callable[..., Result], started: list[int]
) -> None:
    one = ("--topic", "relief", "--audience", "field", "--format", "docx")
    assert cli(sample, "build", *one).exit_code == 0
    del started[:]
    # Fresh now: the stamp is not asked (-j 1 is another selection), the plan finds nothing stale.
    result = cli(sample, "build", "-j", "1", *one)
    assert result.exit_code == 0, result.output
    assert "0 built, 0 failed, 1 cached" in result.output
    assert len(started) == 1  # started, then stopped (the fixture checks none is left)


def test_a_configuration_error_stops_the_head_start(
    sample: Path, cli: Callable[..., Result], started: list[int]
) -> None:
    (sample / "briefgen.yaml").write_text("theme: nowhere\n")
    result = cli(sample, "build", "--format", "pdf")
    assert result.exit_code == 2
    assert "briefgen.yaml" in result.output and "nowhere" in result.output
    assert len(started) == 1


def test_only_named_known_formats_get_a_head_start(tmp_path: Path) -> None:
    assert head_start(tmp_path, None) is None
    assert head_start(tmp_path, []) is None
    assert head_start(tmp_path, ["docx", "odt"]) is None  # the plan refuses odt, with its own message


def test_a_head_start_takes_the_projects_memory_limit_and_refuses_what_it_cannot_serve(
    tmp_path: Path,
) -> None:
    pool = Pool.head_start({"docx"}, (tmp_path,))
    try:
        (worker,) = pool.idle
        assert worker.process.pid is not None
        assert address_space_limit(worker.process.pid) == "unlimited"  # not known before the project
        assert not pool.fit({"pdf"}, 1, 1, 512, (tmp_path,))  # WeasyPrint is not what it imports
        assert not pool.fit({"docx"}, 1, 1, 512, (tmp_path.parent / "elsewhere",))  # on its path
        assert pool.fit({"docx"}, 3, 2, 512, (tmp_path, tmp_path / "content"))
        assert pool.size == 2 and len(pool.idle) == 2  # grown to the build's workers
        # Each applies the limit once it gets there: the head start after its imports.
        pids = [w.process.pid for w in pool.idle]
        assert eventually(lambda: all(pid and address_space_limit(pid) == LIMIT for pid in pids))
        newcomer = pool.idle[1]
    finally:
        pool.close()
    assert all(not w.process.is_alive() for w in (worker, newcomer))

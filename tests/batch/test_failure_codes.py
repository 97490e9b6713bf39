"""A failed target's code says what went wrong, for tools: the error's own, or what the batch saw."""

from __future__ import annotations

import os
import signal
import zlib
from collections import deque
from collections.abc import Iterator
from pathlib import Path

import pytest

from briefgen.batch import limits, workers
from briefgen.batch.jobs import Output
from briefgen.batch.plan import Target
from briefgen.errors import BriefgenError, Location, Problem, RenderError, TemplateError


def test_a_render_error_keeps_the_code_of_its_first_problem() -> None:
    error = TemplateError(
        "",
        [
            Problem(Location("templates/b.html", 9), "later", code="template.syntax"),
            Problem(Location("templates/a.html", 3), "undefined variable: 'nope'", code="template.undefined"),
        ],
    )
    assert limits.code(error) == "template.undefined"  # the first line the message prints
    assert limits.code(TemplateError("no problems listed")) == "template.failed"  # its family
    assert limits.code(BriefgenError.at(Location("x.yaml", 1), "bad")) == "briefgen.error"
    assert limits.code(ValueError("a renderer's bug")) == "render.failed"


def test_memory_running_out_is_its_own_code_even_behind_another_error() -> None:
    try:
        try:
            raise MemoryError
        except MemoryError:
            raise RenderError("WeasyPrint could not lay out the document") from None
    except RenderError as exc:
        hidden = exc
    assert hidden.__context__ is not None
    assert limits.code(hidden) == limits.OUT_OF_MEMORY == "render.out-of-memory"
    assert limits.code(zlib.error("Error -4 while compressing data")) == "render.out-of-memory"
    assert limits.code(zlib.error("Error -3 while decompressing data")) == "render.failed"


@pytest.fixture
def worker(tmp_path: Path) -> Iterator[workers._Worker]:
    """A real worker process (importing the Word renderer), with one target waiting on it."""
    started = workers._Worker(workers._Starter({"docx"}, [tmp_path]), None)
    target = Target("t", "a", "docx")
    started.waiting = deque([Output(target, tmp_path / "t" / "a.docx", "t/a.docx")])
    started.job = object()  # type: ignore[assignment]  # busy: _collect only checks one is set
    started.started = 0.0
    yield started
    started.stop(kill=True)


def test_a_worker_killed_under_its_target_fails_it_as_worker_died(worker: workers._Worker) -> None:
    assert worker.process.pid is not None
    os.kill(worker.process.pid, signal.SIGKILL)
    worker.process.join(timeout=60)
    (result,) = workers._collect(worker, {worker.process.sentinel}, timeout=600, memory_mib=None)
    assert (result.status, result.path, result.code) == ("failed", "t/a.docx", "render.worker-died")
    assert "died (signal SIGKILL)" in result.error


def test_a_target_past_its_time_limit_fails_as_timeout(worker: workers._Worker) -> None:
    (result,) = workers._collect(worker, set(), timeout=5, memory_mib=None)  # started at 0: long past
    assert (result.status, result.code) == ("failed", "render.timeout")
    assert result.error.startswith("time limit exceeded: still rendering after 5s")
    assert not worker.process.is_alive()  # stopped, so it cannot write the output late

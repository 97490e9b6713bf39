"""`briefgen build --watch` as a person runs it: a real process, real file changes, Ctrl-C (SIGINT)."""

from __future__ import annotations

import queue
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

WAIT = 120.0  # seconds; generous for a loaded machine, never a speed claim


class Watched:
    """A running `briefgen build --watch`, its stdout read line by line in a thread."""

    def __init__(self, root: Path) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "briefgen", "-C", str(root), "build", "-f", "docx", "--watch"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line.rstrip("\n"))

    def until(self, text: str) -> str:
        """Return the next line containing ``text``, failing if none comes."""
        while True:
            try:
                line = self.lines.get(timeout=WAIT)
            except queue.Empty:
                pytest.fail(f"no line with {text!r}; saw {self.seen}")
            self.seen.append(line)
            if text in line:
                return line


@pytest.fixture
def watched(sample: Path) -> Iterator[Watched]:
    running = Watched(sample)
    yield running
    if running.proc.poll() is None:  # the test failed before Ctrl-C: do not leave it running
        running.proc.kill()
        running.proc.wait()


def test_rebuilds_on_change_reports_problems_and_stops_on_ctrl_c(sample: Path, watched: Watched) -> None:
    first = watched.until(" built, ")
    assert "2 built, 0 cached, 0 failed" in first
    watched.until("watching for changes")
    topic = sample / "content" / "topics" / "relief.yaml"
    good = topic.read_text()
    topic.write_text(good.replace("Relief Coordination", "Relief Coordination, Revised"))
    line = watched.until("relief.yaml changed")
    assert "2 built, 0 cached, 0 failed" in line  # both audiences of the changed topic, nothing else
    assert (sample / "build" / "relief" / "exec.docx").is_file()
    topic.write_text(good.replace("  title: Relief Coordination", "  title: [broken"))
    assert "not built: 1 problem(s) after content/topics/relief.yaml changed" in watched.until("not built")
    topic.write_text(good)
    assert "2 built" in watched.until("relief.yaml changed")
    watched.proc.send_signal(signal.SIGINT)
    assert watched.until("stopped") == "stopped"
    assert watched.proc.wait(timeout=WAIT) == 0
    assert watched.proc.stderr is not None
    err = watched.proc.stderr.read()
    assert "Traceback" not in err and "KeyboardInterrupt" not in err
    assert "content/topics/relief.yaml:" in err  # the problem itself, located, while it lasted

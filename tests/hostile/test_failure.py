"""Failure mid-batch: killed workers and builds, a full disk, a read-only build/.

Whatever fails is listed in the summary, the previous outputs stay as they were, no temp
file outlives the next run, the cache never claims a target whose write failed, and the
manifest lists only files that are there.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import Result

from briefgen.batch.cache import CACHE_FILE, MAX_CACHE_BYTES, Cache, file_sha256
from briefgen.batch.manifest import ManifestError, merge_manifests
from briefgen.files import TEMP_PREFIX
from tests.batch.test_cache import ALL, outcome
from tests.hostile.conftest import edit

DOCX = {"relief/exec.docx", "relief/field.docx"}
PROC = Path("/proc")
needs_proc = pytest.mark.skipif(not (PROC / "self" / "stat").is_file(), reason="finds workers through /proc")
# Lays out the field teams' PDF for 20-40 s (1.6 million characters in one paragraph);
# every other target renders as usual.
SLOW_FIELD_PDF = """{% extends "!briefing.html" %}
{% block body %}{% if briefing.audience_id == "field" %}
<p>{% for chunk in "ab" %}{{ "word " * 160000 }}{% endfor %}</p>
{% endif %}{{ super() }}{% endblock %}
"""
# Runs the CLI under a file size limit, the way a full disk looks to a writer (EFBIG).
FSIZE_WRAPPER = """
import resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # fail the write, do not kill the process
resource.setrlimit(resource.RLIMIT_FSIZE, (int(sys.argv[1]),) * 2)
from briefgen.cli.main import main
main(sys.argv[2:], prog_name="briefgen")
"""


# --- helpers -------------------------------------------------------------------------


def files(root: Path) -> dict[str, bytes]:
    """Return the bytes of every output under ``root``/build, by path relative to build/."""
    build = root / "build"
    return {p.relative_to(build).as_posix(): p.read_bytes() for p in build.rglob("*.*") if p.is_file()}


def temps(root: Path) -> list[Path]:
    """Return every temp file under the project."""
    return sorted(root.rglob(f"{TEMP_PREFIX}*"))


def outcome_lines(lines: list[str]) -> set[str]:
    """Return the targets named by the progress lines seen so far."""
    return {m[2] for line in lines if (m := re.match(r"(built|cached|FAILED) +([^ :]+/[^ :]+)", line))}


def summary_failures(output: str) -> set[str]:
    """Return the targets the summary (not the progress lines) lists as failed."""
    return set(re.findall(r"^FAILED  (\S+):$", output, re.MULTILINE))


def assert_manifest_true(root: Path) -> list[str]:
    """Check every output the manifest lists is there with its sha256; return the paths."""
    manifest = json.loads((root / "build" / "manifest.json").read_text())
    for item in manifest["outputs"]:
        path = root / "build" / item["path"]
        assert path.is_file() and file_sha256(path) == item["sha256"], item["path"]
    return [item["path"] for item in manifest["outputs"]]


def cached_claims(root: Path) -> dict[str, str]:
    """Return the sha256 the cache records for each output (file and journal), by path relative to build/."""
    cache = Cache.load(root / ".briefgen-cache")
    assert cache.warnings == []
    return {key.removeprefix("build/"): entry.sha256 for key, entry in cache.entries.items()}


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def change_content(root: Path) -> None:
    """Edit the sample topic so every target is stale."""
    for topic in (root / "content" / "topics").glob("*.yaml"):
        edit(topic, "Relief works best when", "Relief works better when")


def add_topic(root: Path, topic_id: str) -> None:
    text = (root / "content" / "topics" / "relief.yaml").read_text()
    (root / "content" / "topics" / f"{topic_id}.yaml").write_text(
        text.replace("  id: relief\n", f"  id: {topic_id}\n", 1)
    )


def briefgen(
    root: Path, *args: str, wrapper: list[str] | None = None, **options: object
) -> subprocess.Popen[str]:
    """Start the briefgen CLI in a subprocess on project ``root``, plain line output."""
    env = {**os.environ, "CI": "true", "PYTHONUNBUFFERED": "1"}
    command = [sys.executable, *(wrapper or ["-m", "briefgen"]), "-C", str(root), *args]
    return subprocess.Popen(
        command,
        cwd=root,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        **options,  # type: ignore[call-overload]
    )


def finish(process: subprocess.Popen[str], timeout: float = 120) -> tuple[int, str]:
    """Wait for ``process``; return its exit code and output."""
    output, _ = process.communicate(timeout=timeout)
    return process.returncode, output


def read_until(process: subprocess.Popen[str], pattern: str, timeout: float) -> list[str]:
    """Read ``process``'s output lines until one matches ``pattern``; return them all."""
    assert process.stdout is not None
    lines: list[str] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        lines.append(line)
        if re.search(pattern, line):
            return lines
    raise AssertionError(f"no line matching {pattern!r} in {lines}")


def children() -> dict[int, list[int]]:
    """Return every process's children, from /proc."""
    found: dict[int, list[int]] = {}
    for entry in PROC.iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                stat = (entry / "stat").read_text()
                fields = stat[stat.rindex(")") + 2 :].split()
                if fields[0] != "Z":
                    found.setdefault(int(fields[1]), []).append(int(entry.name))
    return found


def descendants(pid: int) -> list[int]:
    """Return the live processes below ``pid`` (the fork server and the workers)."""
    tree, found, todo = children(), [], [pid]
    while todo:
        kids = tree.get(todo.pop(), [])
        found += kids
        todo += kids
    return found


def cpu_seconds(pid: int) -> float:
    """Return the CPU time process ``pid`` has used (0 if it is gone)."""
    try:
        stat = (PROC / str(pid) / "stat").read_text()
    except OSError:
        return 0.0
    fields = stat[stat.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def alive(pid: int) -> bool:
    try:
        stat = (PROC / str(pid) / "stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2] != "Z"


def busy_worker(pid: int, timeout: float = 30) -> int:
    """Return the one worker below build ``pid`` that is using the CPU: the one rendering.

    Workers are the fork server's children; the fork server itself (busy importing the
    renderers when it starts) and the resource tracker are the build's own children. A
    build of one briefing forks its one worker itself: then the worker is its only child.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        own = set(children().get(pid, []))
        below = [p for p in descendants(pid) if p not in own] or list(own)
        before = {p: cpu_seconds(p) for p in below}
        time.sleep(0.5)
        busy = [p for p in before if alive(p) and cpu_seconds(p) - before[p] >= 0.2]
        if len(busy) == 1:
            return busy[0]
    raise AssertionError(f"no single busy worker below {pid}")


# --- killed workers and builds ------------------------------------------------------------


@pytest.mark.slow
def test_worker_stopped_at_its_time_limit_keeps_the_previous_output(
    sample: Path, cli: Callable[..., Result]
) -> None:
    assert cli(sample, "build").exit_code == 0
    before = files(sample)
    (sample / "templates").mkdir()
    (sample / "templates" / "briefing.html").write_text(SLOW_FIELD_PDF)
    # The limit sits well above what an honest target takes on a loaded machine (a few
    # seconds) and well below the slow template's 20-40 s of layout.
    result = cli(sample, "build", "-j", "2", "--timeout", "12")
    assert result.exit_code == 1
    found = outcome(result)
    # The executive's Word file takes its page-budget cut from the PDF's layout, which the
    # new template shapes, so it is built again too.
    assert found["FAILED"] == {"relief/field.pdf"} and found["built"] == {
        "relief/exec.pdf",
        "relief/exec.docx",
    }
    assert found["cached"] == {"relief/field.docx"}
    assert summary_failures(result.output) == {"relief/field.pdf"}
    assert "relief/field.pdf: time limit exceeded: still rendering after 12s" in result.output
    after = files(sample)
    assert after["relief/field.pdf"] == before["relief/field.pdf"]  # the previous output, intact
    assert temps(sample) == []
    assert sorted(assert_manifest_true(sample)) == sorted(ALL - {"relief/field.pdf"})
    # The cache still describes the file that is there, so the next build renders it.
    assert cached_claims(sample)["relief/field.pdf"] == sha(before["relief/field.pdf"])
    (sample / "templates" / "briefing.html").unlink()
    result = cli(sample, "build", "--audience", "field")
    assert result.exit_code == 0 and "relief/field.pdf" in outcome(result)["built"]


@pytest.mark.slow
@needs_proc
def test_worker_killed_from_outside_fails_only_its_target(sample: Path, cli: Callable[..., Result]) -> None:
    assert cli(sample, "build").exit_code == 0
    before = files(sample)
    change_content(sample)
    (sample / "templates").mkdir()
    (sample / "templates" / "briefing.html").write_text(SLOW_FIELD_PDF)
    process = briefgen(sample, "build", "-j", "2", "--timeout", "120")
    try:
        seen: list[str] = []
        # The field briefing's Word file waits behind its PDF in the same job; the other
        # briefing's two files are built meanwhile.
        while len(ALL - {"relief/field.pdf", "relief/field.docx"} - set(outcome_lines(seen))) > 0:
            seen += read_until(process, r"^(built|FAILED) ", 60)
        os.kill(busy_worker(process.pid), signal.SIGKILL)
        code, rest = finish(process, 60)
    finally:
        if process.poll() is None:
            process.kill()
    output = "".join(seen) + rest
    assert code == 1, output
    assert "FAILED  relief/field.pdf: the worker rendering this target died (signal SIGKILL)" in output
    assert summary_failures(output) == {"relief/field.pdf"}
    assert "3 built, 1 failed, 0 cached" in output
    after = files(sample)
    assert after["relief/field.pdf"] == before["relief/field.pdf"]
    assert temps(sample) == []
    assert sorted(assert_manifest_true(sample)) == sorted(ALL - {"relief/field.pdf"})
    assert cached_claims(sample)["relief/field.pdf"] == sha(before["relief/field.pdf"])


@pytest.mark.slow
@needs_proc
def test_build_killed_midway_is_finished_by_the_next_run(sample: Path, cli: Callable[..., Result]) -> None:
    process = briefgen(sample, "build", "-j", "1")
    try:
        first = read_until(process, r"^built ", 60)
        workers = descendants(process.pid)
        process.send_signal(signal.SIGKILL)
        process.wait(10)
    finally:
        if process.poll() is None:
            process.kill()
    done = outcome_lines(first)
    assert len(done) == 1
    # The fork server and the workers notice their parent is gone and exit: nothing leaks.
    deadline = time.monotonic() + 30
    while any(alive(p) for p in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(alive(p) for p in workers)
    # Each target was journalled as it finished: the cache has the one seen.
    claims = set(cached_claims(sample))
    assert done <= claims < ALL
    # A kill during a write leaves a temp file; plant what one would leave.
    for folder in (sample / "build", sample / "build" / "relief", sample / ".briefgen-cache"):
        (folder / f"{TEMP_PREFIX}abc123").write_bytes(b"half a file")
    result = cli(sample, "build")
    assert result.exit_code == 0, result.output
    found = outcome(result)
    assert found["cached"] == claims and found["built"] == ALL - claims
    assert temps(sample) == []
    assert sorted(assert_manifest_true(sample)) == sorted(ALL)


@pytest.mark.slow
@needs_proc
def test_manifest_of_a_killed_build_matches_the_files(sample: Path, cli: Callable[..., Result]) -> None:
    add_topic(sample, "second")
    assert cli(sample, "build", "--format", "docx").exit_code == 0
    edit(sample / "content" / "topics" / "relief.yaml", "Relief works best when", "Relief works better when")
    process = briefgen(sample, "build", "--format", "docx", "-j", "1")
    try:
        read_until(process, r"^built ", 60)  # relief's first Word file replaced, the other under way
        process.send_signal(signal.SIGKILL)
        process.wait(10)
    finally:
        if process.poll() is None:
            process.kill()
    # What the kill left says so, and lists only files that are there with those bytes.
    assert json.loads((sample / "build" / "manifest.json").read_text())["complete"] is False
    assert sorted(assert_manifest_true(sample)) == ["second/exec.docx", "second/field.docx"]
    with pytest.raises(ManifestError, match="did not finish"):
        merge_manifests([sample / "build" / "manifest.json"])
    result = cli(sample, "build", "--format", "docx")
    assert result.exit_code == 0, result.output
    assert "complete" not in json.loads((sample / "build" / "manifest.json").read_text())
    assert len(assert_manifest_true(sample)) == 4


@pytest.mark.slow
@needs_proc
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers die with their parent on Linux")
def test_workers_do_not_outlive_a_killed_build(sample: Path) -> None:
    (sample / "templates").mkdir()
    (sample / "templates" / "briefing.html").write_text(SLOW_FIELD_PDF)
    process = briefgen(sample, "build", "--audience", "field", "--format", "pdf", "--timeout", "120")
    try:
        worker = busy_worker(process.pid)  # 20-40 s of layout ahead of it
        below = descendants(process.pid)
        process.send_signal(signal.SIGKILL)
        process.wait(10)
    finally:
        if process.poll() is None:
            process.kill()
    deadline = time.monotonic() + 30  # waits only as long as the processes take to die
    while any(alive(p) for p in below) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not alive(worker), "the worker rendered on after its build was killed"
    assert not any(alive(p) for p in below)
    assert not (sample / "build" / "relief" / "field.pdf").exists()


def test_stale_temps_are_removed_without_following_links(
    sample: Path, cli: Callable[..., Result], tmp_path: Path
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / f"{TEMP_PREFIX}theirs").write_text("keep\n")
    relief = sample / "build" / "relief"
    relief.mkdir(parents=True)
    (relief / f"{TEMP_PREFIX}one").write_bytes(b"x")
    (relief / "deeper").mkdir()
    (relief / "deeper" / f"{TEMP_PREFIX}two").write_bytes(b"x")
    (relief / f"{TEMP_PREFIX}link").symlink_to(outside / f"{TEMP_PREFIX}theirs")
    (relief / "linked").symlink_to(outside, target_is_directory=True)
    result = cli(sample, "build", "--format", "docx")
    assert result.exit_code == 0
    assert [p.name for p in temps(sample)] == [f"{TEMP_PREFIX}link"]  # a link is not a temp file
    assert (outside / f"{TEMP_PREFIX}theirs").read_text() == "keep\n"


# --- a damaged cache --------------------------------------------------------------------


def _valid_cache() -> bytes:
    entry = {"inputs": "a" * 64, "sha256": "b" * 64, "size": 3}
    data = {"version": 1, "snapshot": None, "entries": {"build/relief/exec.pdf": entry}}
    return json.dumps(data).encode()


CORRUPT = {
    "truncated": _valid_cache()[:40],
    "empty": b"",
    "binary": b"\x00\xff\xfe garbage \x1b[2J",
    "not utf-8": b'{"version": 1, "entries": {"\xff": 1}}',
    "a list": b"[1, 2]",
    "entries a list": b'{"version": 1, "entries": []}',
    "entry of wrong types": _valid_cache().replace(b'"size": 3', b'"size": "3"'),
    "unknown field": _valid_cache().replace(b'"size": 3', b'"size": 3, "x": 1'),
    "snapshot naming a path": _valid_cache().replace(
        b'"snapshot": null',
        b'"snapshot": {"key": "k", "topics": ["../../escape"], "audiences": ["exec"], "briefings": {}}',
    ),
    "snapshot of wrong types": _valid_cache().replace(
        b'"snapshot": null', b'"snapshot": {"key": "k", "topics": 5, "audiences": []}'
    ),
}


@pytest.mark.parametrize("kind", CORRUPT)
def test_damaged_cache_files_are_ignored_with_a_warning(tmp_path: Path, kind: str) -> None:
    (tmp_path / CACHE_FILE).write_bytes(CORRUPT[kind])
    cache = Cache.load(tmp_path)
    assert cache.entries == {} and cache.snapshot is None
    assert len(cache.warnings) == 1
    assert f"ignoring unreadable build cache {tmp_path / CACHE_FILE}" in cache.warnings[0]
    assert "every target is rebuilt" in cache.warnings[0]


def test_valid_cache_file_is_read(tmp_path: Path) -> None:
    (tmp_path / CACHE_FILE).write_bytes(_valid_cache())
    cache = Cache.load(tmp_path)
    assert list(cache.entries) == ["build/relief/exec.pdf"] and cache.warnings == []


@pytest.mark.parametrize("kind", ["folder", "fifo", "link to a device", "link to a file", "huge"])
def test_cache_paths_that_are_not_plain_files_are_ignored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    path = tmp_path / CACHE_FILE
    if kind == "folder":
        path.mkdir()
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "link to a device":
        path.symlink_to("/dev/zero")
    elif kind == "link to a file":
        (tmp_path / "real.json").write_bytes(_valid_cache())
        path.symlink_to(tmp_path / "real.json")
    else:
        import briefgen.batch.cache

        monkeypatch.setattr(briefgen.batch.cache, "MAX_CACHE_BYTES", 100)
        path.write_bytes(_valid_cache() + b" " * 100)
    assert MAX_CACHE_BYTES > 100 * 1024 * 1024
    cache = Cache.load(tmp_path)
    assert cache.entries == {} and len(cache.warnings) == 1, cache.warnings


def test_damaged_cache_is_reported_in_the_summary(sample: Path, cli: Callable[..., Result]) -> None:
    assert cli(sample, "build", "--format", "docx").exit_code == 0
    cache = sample / ".briefgen-cache" / CACHE_FILE
    cache.write_bytes(cache.read_bytes()[: cache.stat().st_size // 2])
    result = cli(sample, "build", "--format", "docx")
    assert result.exit_code == 0
    assert outcome(result)["built"] == DOCX
    assert "warning ignoring unreadable build cache .briefgen-cache/build-cache.json" in result.output
    assert json.loads(cache.read_text())["version"] == 1  # written whole again


# --- a full disk ----------------------------------------------------------------------


@pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_FSIZE is POSIX")
def test_file_size_limit_fails_the_targets_that_do_not_fit(sample: Path, cli: Callable[..., Result]) -> None:
    # Without a page budget: a budgeted Word file takes its cut from a PDF layout, and
    # WeasyPrint writes the theme's fonts to temporary files to lay out (over this limit).
    audiences = sample / "content" / "audiences.yaml"
    audiences.write_text(audiences.read_text().replace("    page_budget: 2\n", ""))
    assert cli(sample, "build", "--format", "docx").exit_code == 0
    before = files(sample)
    # A limit between the two files' sizes (the embedded fonts make both ~100 KB or more).
    small, large = len(before["relief/exec.docx"]), len(before["relief/field.docx"])
    limit = (small + large) // 2
    assert small + 4_000 < limit < large - 4_000
    change_content(sample)
    wrapper = ["-c", FSIZE_WRAPPER, str(limit)]
    code, output = finish(briefgen(sample, "build", "--format", "docx", wrapper=wrapper))
    assert code == 1, output
    assert "FAILED  relief/field.docx: cannot write build/relief/field.docx: file too large" in output
    assert "raise the limit, free some space or write to another disk" in output
    assert summary_failures(output) == {"relief/field.docx"}
    assert "1 built, 1 failed" in output
    after = files(sample)
    assert after["relief/field.docx"] == before["relief/field.docx"]
    assert after["relief/exec.docx"] != before["relief/exec.docx"]
    assert temps(sample) == []
    assert assert_manifest_true(sample) == ["relief/exec.docx"]
    # The cache does not claim the new field.docx: the next build renders it, and only it.
    result = cli(sample, "build", "--format", "docx")
    assert result.exit_code == 0
    assert outcome(result) == {
        "built": {"relief/field.docx"},
        "cached": {"relief/exec.docx"},
        "FAILED": set(),
    }


@contextlib.contextmanager
def small_disk(folder: Path, size: str) -> Iterator[None]:
    """Mount a tmpfs of ``size`` on ``folder`` (root only); skip the test where that is not allowed."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("mounting a small disk needs root")
    folder.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], capture_output=True, check=False
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        yield
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def fill(folder: Path) -> Path:
    """Fill the disk holding ``folder`` to the last byte; return the filler file."""
    filler = folder / "filler.bin"
    with filler.open("wb", buffering=0) as handle, contextlib.suppress(OSError):
        while True:
            handle.write(b"\0" * 4096)
    return filler


def test_full_disk_keeps_previous_outputs_and_says_so(sample: Path, cli: Callable[..., Result]) -> None:
    assert cli(sample, "build", "--format", "docx").exit_code == 0
    before = files(sample)
    saved = sample.parent / "saved-build"
    shutil.copytree(sample / "build", saved)
    with small_disk(sample / "build", "1m"):
        shutil.copytree(saved, sample / "build", dirs_exist_ok=True)
        filler = fill(sample / "build")
        change_content(sample)
        result = cli(sample, "build", "--format", "docx")
        assert result.exit_code == 1
        assert outcome(result)["FAILED"] == DOCX == summary_failures(result.output)
        assert "the disk is full (no space left on device); free some space and build again" in result.output
        assert (
            "ERROR   manifest not written: cannot write build/manifest.json: the disk is full"
            in result.output
        )
        assert "the previous manifest.json was removed: it no longer matched the outputs" in result.output
        for name in DOCX:
            assert (sample / "build" / name).read_bytes() == before[name]
        assert not (sample / "build" / "manifest.json").exists()
        assert temps(sample) == []
        filler.unlink()
        result = cli(sample, "build", "--format", "docx")
        assert result.exit_code == 0 and outcome(result)["built"] == DOCX
        assert sorted(assert_manifest_true(sample)) == sorted(DOCX)


def test_full_disk_under_the_cache_is_a_warning(sample: Path, cli: Callable[..., Result]) -> None:
    with small_disk(sample / ".briefgen-cache", "64k"):
        fill(sample / ".briefgen-cache")
        result = cli(sample, "build", "--format", "docx")
        assert result.exit_code == 0, result.output  # the outputs are fine
        assert outcome(result)["built"] == DOCX
        warning = (
            "warning build cache not saved, so the next build redoes this work: cannot write "
            ".briefgen-cache/build-cache.json: the disk is full (no space left on device); free some space"
        )
        assert result.output.count(warning) == 1
        assert temps(sample) == []
    assert sorted(assert_manifest_true(sample)) == sorted(DOCX)


# --- a read-only build/ ---------------------------------------------------------------

# Root ignores file permissions through these capabilities (DAC override, DAC read/search,
# file owner); a build run as root without them meets read-only folders as any user does.
CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER = 1, 2, 3
PR_CAPBSET_DROP = 24


def _without_root_overrides() -> None:
    """Drop root's permission overrides from the bounding set: after exec, root has none of them."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER):
        if libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def permissions_apply() -> dict[str, object]:
    """Return Popen options under which file permissions hold; skip where that cannot be arranged."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return {}
    if not sys.platform.startswith("linux"):
        pytest.skip("needs Linux capabilities to run a build as root that respects permissions")
    probe = subprocess.run(
        [sys.executable, "-c", "pass"], preexec_fn=_without_root_overrides, capture_output=True, check=False
    )
    if probe.returncode != 0:
        pytest.skip(f"cannot drop root's permission overrides here: {probe.stderr.decode()[-200:]}")
    return {"preexec_fn": _without_root_overrides}


@contextlib.contextmanager
def read_only(folder: Path) -> Iterator[None]:
    """Make ``folder`` read-only for the duration (and writable again afterwards)."""
    folder.chmod(0o555)
    try:
        yield
    finally:
        folder.chmod(0o755)


def read_only_build(root: Path, folder: Path) -> tuple[int, str]:
    """Build the Word targets of ``root`` with ``folder`` read-only and permissions enforced."""
    options = permissions_apply()
    with read_only(folder):
        return finish(briefgen(root, "build", "--format", "docx", **options))


def test_read_only_topic_folder_fails_its_targets_and_builds_the_rest(
    sample: Path, cli: Callable[..., Result]
) -> None:
    root = sample
    add_topic(root, "other")
    assert cli(root, "build", "--format", "docx").exit_code == 0
    before = files(root)
    change_content(root)
    code, output = read_only_build(root, root / "build" / "relief")
    assert code == 1, output
    found = outcome_lines(output.splitlines())
    assert summary_failures(output) == DOCX
    assert {"other/exec.docx", "other/field.docx"} <= found
    message = (
        "build/relief is not writable (permission denied); make it writable or set output: in briefgen.yaml"
    )
    assert output.count(message) == 4  # each failure, in its line and in the summary
    assert "2 built, 2 failed" in output
    after = files(root)
    for name in DOCX:
        assert after[name] == before[name]
    assert temps(root) == []
    assert sorted(assert_manifest_true(root)) == ["other/exec.docx", "other/field.docx"]


def test_read_only_output_folder_is_named_with_what_to_do(sample: Path, cli: Callable[..., Result]) -> None:
    root = sample
    assert cli(root, "build", "--format", "docx").exit_code == 0
    before = files(root)
    add_topic(root, "other")
    change_content(root)
    code, output = read_only_build(root, root / "build")
    assert code == 1, output
    # build/relief is still writable: its outputs are rebuilt; build/other cannot be made.
    assert outcome_lines(output.splitlines()) >= DOCX
    assert summary_failures(output) == {"other/exec.docx", "other/field.docx"}
    message = "build is not writable (permission denied); make it writable or set output: in briefgen.yaml"
    assert output.count(message) == 5  # two targets twice, and the manifest
    assert "ERROR   manifest not written: " + message in output
    assert "the previous manifest.json could not be removed and is out of date" in output
    after = files(root)
    assert after["relief/exec.docx"] != before["relief/exec.docx"]
    assert not (root / "build" / "other").exists()
    assert temps(root) == []


def test_read_only_project_folder_is_named_with_what_to_do(sample: Path) -> None:
    code, output = read_only_build(sample, sample)
    assert code == 2
    assert f"{sample.name} is not writable (permission denied); make it writable or set output:" in output
    assert not (sample / "build").exists()


def test_clean_of_a_read_only_folder_says_what_to_do(sample: Path, cli: Callable[..., Result]) -> None:
    assert cli(sample, "build", "--format", "docx").exit_code == 0
    before = files(sample)
    options = permissions_apply()
    with read_only(sample / "build" / "relief"):
        code, output = finish(briefgen(sample, "build", "--format", "docx", "--clean", **options))
    assert code == 2
    assert "error: --clean: cannot remove build/relief: " in output
    assert "is not writable; nothing was removed; make it writable or remove it by hand" in output
    assert files(sample) == before

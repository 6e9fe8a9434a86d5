"""Ctrl-C and kills at any moment of a parallel build: one line, no traceback, no process left.

A KeyboardInterrupt used to land inside the process pool's start (an orphaned worker waiting
forever on its queue, and an "Exception ignored" traceback from multiprocessing) and during
Python's shutdown (a traceback from threading).
"""

from __future__ import annotations

import multiprocessing
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import ROOT

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux") or "fork" not in multiprocessing.get_all_start_methods(),
    reason="reads /proc, and the workers are forked",
)


def _command(*arguments: str) -> list[str]:
    return [sys.executable, "-m", "awesomerge", "build", "inputs", "-o", "out", *arguments]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    for seed in sorted((ROOT / "inputs").glob("*.md")):
        for copy in range(4):  # enough files that the workers are busy for a while
            text = seed.read_text(encoding="utf-8").replace("](https://", f"](https://c{copy}.")
            (inputs / f"{seed.stem}-{copy}.md").write_text(text, encoding="utf-8")
    return tmp_path


def _living(group: int) -> list[int]:
    """The processes of a process group that still run (zombies are done)."""
    living = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()  # after "pid (name)": state, ppid, pgrp, ...
        if int(fields[2]) == group and fields[0] != "Z":
            living.append(int(entry.name))
    return living


def _gone(group: int, within: float = 10.0) -> list[int]:
    deadline = time.monotonic() + within
    while (living := _living(group)) and time.monotonic() < deadline:
        time.sleep(0.05)
    return living


def _start(project: Path, *arguments: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        _command("-j", "2", "--no-cache", *arguments),
        cwd=project,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group: the workers are counted by it
    )


def test_ctrl_c_at_any_moment_gives_one_line_and_leaves_no_process(project: Path) -> None:
    started = time.perf_counter()
    subprocess.run(_command("-j", "2", "--no-cache"), cwd=project, check=True, capture_output=True)
    whole = time.perf_counter() - started
    endings = []
    for point in range(16):
        process = _start(project)
        time.sleep(0.15 + (whole + 0.2) * point / 15)  # from the imports to after the end
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=60)
        assert "Traceback" not in stderr and "Exception ignored" not in stderr, stderr
        last = stderr.strip().splitlines()[-1] if stderr.strip() else ""
        # Interrupted, or finished; Ctrl-C during Python's exit ends it at once, by the signal
        # (which a shell reports as 130 too), after the one line or the summary.
        assert (process.returncode, last.startswith("error: interrupted")) in (
            (130, True),
            (-signal.SIGINT, True),
            (0, False),
            (-signal.SIGINT, False),
        ), stderr
        assert _gone(process.pid) == [], f"processes left after Ctrl-C at point {point}"
        endings.append(process.returncode)
    assert 130 in endings, "no Ctrl-C landed before the build was done"


def test_the_workers_end_when_the_build_is_killed(project: Path) -> None:
    process = _start(project, "--timings")
    # Kill it while the workers parse: they are started in the first second.
    deadline = time.monotonic() + 10
    while len(_living(process.pid)) < 3 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert len(_living(process.pid)) >= 3, "the workers never started"
    process.send_signal(signal.SIGKILL)
    process.communicate()
    assert _gone(process.pid) == []

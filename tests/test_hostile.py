"""Every class of hostile input of `hostile_cases`, built beside the seeds as a user builds.

Each build must end within its case's time and memory bounds, with the exit status and the
message the case expects, without a traceback, keeping the URLs the case names and every
occurrence of the seeds.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from .conftest import ROOT
from .hostile_cases import CASES, Case, unreadable_folders


def _peak_rss(pid: int, done: threading.Event, peak: list[int]) -> None:
    page = os.sysconf("SC_PAGE_SIZE")
    while not done.is_set():
        try:
            with open(f"/proc/{pid}/statm") as handle:
                peak[0] = max(peak[0], int(handle.read().split()[1]) * page)
        except (OSError, ValueError):
            pass
        time.sleep(0.02)


def _urls(dataset: dict[str, Any]) -> set[str]:
    found = {link["url"] for source in dataset["sources"] for link in source["links"]}
    for entry in dataset["entries"]:
        found.update(occurrence["url"] for occurrence in entry["occurrences"])
        found.update(link["url"] for link in entry["related"])
    return found


def _seed_occurrences(dataset: dict[str, Any]) -> set[tuple[str, int, str]]:
    return {
        (occurrence["source"], occurrence["line"], occurrence["url"])
        for entry in dataset["entries"]
        for occurrence in entry["occurrences"]
        if not occurrence["source"].startswith(("many-", "list-"))
    }


@pytest.fixture(scope="module")
def seeds_alone(tmp_path_factory: pytest.TempPathFactory) -> set[tuple[str, int, str]]:
    folder = tmp_path_factory.mktemp("seeds")
    shutil.copytree(ROOT / "inputs", folder / "inputs")
    command = [sys.executable, "-m", "awesomerge", "build", "inputs", "-o", "out", "--no-cache"]
    subprocess.run(command, cwd=folder, check=True, capture_output=True)
    return _seed_occurrences(json.loads((folder / "out" / "awesomerge.json").read_text()))


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_a_hostile_input_is_bounded_and_loses_nothing(
    case: Case, tmp_path: Path, seeds_alone: set[tuple[str, int, str]]
) -> None:
    if case.posix_only and os.name != "posix":
        pytest.skip("needs symbolic links, named pipes or file modes")
    if case.name == "an unreadable subfolder" and os.geteuid() == 0:
        pytest.skip("root reads every folder: see test_reading for the walk's error handler")
    inputs = tmp_path / "inputs"
    shutil.copytree(ROOT / "inputs", inputs)
    case.make(inputs)
    command = [sys.executable, "-m", "awesomerge", "build", "inputs", "-o", "out"]
    command += ["--no-cache", "-j", "1"]
    started = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    done, peak = threading.Event(), [0]
    sampler = threading.Thread(target=_peak_rss, args=(process.pid, done, peak), daemon=True)
    sampler.start()
    try:
        _, stderr = process.communicate(timeout=case.seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        pytest.fail(f"the build ran over {case.seconds} s")
    finally:
        done.set()
        sampler.join()
        for folder in unreadable_folders(tmp_path):
            folder.chmod(0o700)
    seconds = time.perf_counter() - started
    assert "Traceback" not in stderr, stderr
    assert process.returncode == case.exit, stderr
    if case.message is not None:
        assert re.search(case.message, stderr), stderr
    assert seconds < case.seconds
    assert peak[0] < case.mib * 2**20, f"peak RSS {peak[0] / 2**20:.0f} MiB"
    if case.exit == 2:
        return  # a usage error: nothing is read, nothing written
    dataset = json.loads((tmp_path / "out" / "awesomerge.json").read_text(encoding="utf-8"))
    urls = _urls(dataset)
    assert [url for url in case.keep if url not in urls] == []
    assert [url for url in case.absent if url in urls] == []
    assert seeds_alone <= _seed_occurrences(dataset)

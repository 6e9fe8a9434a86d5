"""Outputs put in place as one set: killed builds, builds at once, folders in the way."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from awesomerge.publish import publish
from awesomerge.reading import OUTPUT_MARK

from .conftest import ROOT

pytestmark = pytest.mark.skipif(os.name != "posix", reason="sends POSIX signals")

ADDED = "\n## Added\n\n- [Added entry](https://added.example/{})\n"


def _files(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir()) if path.is_file()}


def _leftovers(parent: Path) -> list[str]:
    return sorted(
        path.name
        for path in parent.rglob("*")
        if (".awesomerge-" in path.name and path.name != OUTPUT_MARK) or path.name.endswith(".tmp")
    )


def _command(*arguments: str) -> list[str]:
    return [sys.executable, "-m", "awesomerge", "build", *arguments, "--no-cache", "-j", "1"]


def _build(folder: Path, out: str = "out") -> None:
    subprocess.run(_command("inputs", "-o", out), cwd=folder, check=True, capture_output=True)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    for seed in sorted((ROOT / "inputs").glob("*.md")):
        # Copies, so that the writing phase lasts long enough to be hit.
        for copy in range(6):
            text = seed.read_text(encoding="utf-8").replace("](https://", f"](https://c{copy}.")
            (inputs / f"{seed.stem}-{copy}.md").write_text(text, encoding="utf-8")
    return tmp_path


def test_a_killed_build_leaves_the_whole_previous_output_or_the_whole_new_one(
    project: Path,
) -> None:
    _build(project)
    previous = _files(project / "out")
    shutil.copytree(project / "out", project / "previous")
    (project / "out" / "CNAME").write_text("lists.example\n")  # the user's own file
    with open(project / "inputs" / "awesome-llm-notes-tables-0.md", "a") as handle:
        handle.write(ADDED.format("new"))
    _build(project, "expected")
    new = _files(project / "expected")
    assert new != previous
    started = time.perf_counter()
    timed = subprocess.run(
        _command("inputs", "-o", "timed", "--timings"), cwd=project, capture_output=True, text=True
    )
    whole = time.perf_counter() - started
    writing = sum(
        float(line.split()[-3])
        for line in timed.stderr.splitlines()
        if line.lstrip().startswith(("writing ", "putting in place"))
    )
    # The outputs are written at the end: the points are spread from a little before the first
    # is begun to a little after the set is in place (the process also takes time to exit).
    begin = whole - writing - 0.3
    outcomes = []
    for point in range(20):
        for kill in (signal.SIGKILL, signal.SIGINT):
            delay = begin + (writing + 0.4) * point / 19
            process = subprocess.Popen(
                _command("inputs", "-o", "out"),
                cwd=project,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
            )
            time.sleep(delay)
            process.send_signal(kill)
            _, stderr = process.communicate()
            assert "Traceback" not in stderr, stderr
            found = _files(project / "out")
            assert found.pop("CNAME") == b"lists.example\n"
            which = {
                name: "previous"
                if previous.get(name) == text
                else "new"
                if new.get(name) == text
                else "?"
                for name, text in found.items()
            }
            assert found in (previous, new), f"after {kill!r} at {delay:.2f} s: {which}"
            outcomes.append(found == new)
            if found == new:
                # Start again from the previous output, so that every point can hit a write.
                shutil.rmtree(project / "out")
                shutil.copytree(project / "previous", project / "out")
                (project / "out" / "CNAME").write_text("lists.example\n")
    assert not all(outcomes), "no kill landed before the outputs were in place"
    _build(project)
    assert _files(project / "out") == {**new, "CNAME": b"lists.example\n"}
    assert _leftovers(project) == []


def test_two_builds_into_one_folder_never_mix(project: Path) -> None:
    second = project / "second"
    shutil.copytree(project / "inputs", second)
    with open(second / "awesome-llm-notes-tables-0.md", "a") as handle:
        handle.write(ADDED.format("second"))
    _build(project, "first-alone")
    subprocess.run(_command("second", "-o", "second-alone"), cwd=project, check=True)
    sets = [_files(project / "first-alone"), _files(project / "second-alone")]
    for _ in range(3):
        processes = [
            subprocess.Popen(_command(name, "-o", "out"), cwd=project, stderr=subprocess.PIPE)
            for name in ("inputs", "second")
        ]
        for process in processes:
            _, stderr = process.communicate()
            assert process.returncode == 0, stderr
        assert _files(project / "out") in sets
    assert _leftovers(project) == []


def test_an_output_in_the_way_stops_the_build_before_anything_changes(project: Path) -> None:
    _build(project)
    before = _files(project / "out")
    (project / "out" / "review.md").unlink()
    (project / "out" / "review.md").mkdir()
    completed = subprocess.run(
        _command("inputs", "-o", "out"), cwd=project, capture_output=True, text=True
    )
    assert completed.returncode == 3  # the outputs could not be written
    assert "review.md: a folder where an output goes" in completed.stderr
    assert "nothing was written" in completed.stderr
    del before["review.md"]
    assert _files(project / "out") == before
    assert _leftovers(project) == []


def test_leftovers_of_a_killed_build_are_removed_and_the_users_files_moved_back(
    tmp_path: Path,
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "README.md").write_text("old\n")
    (out / ".README.md.abc123.tmp").write_text("left by an older version\n")
    # A swap that a kill interrupted: the previous set and the user's file, beside the folder.
    stray = tmp_path / ".out.awesomerge-x1y2z3"
    stray.mkdir()
    (stray / "README.md").write_text("older\n")
    (stray / OUTPUT_MARK).write_text(json.dumps({"files": {"README.md": {}}}))
    (stray / ".git").mkdir()
    (stray / ".git" / "HEAD").write_text("ref: refs/heads/main\n")

    def write(folder: Path) -> None:
        (folder / "README.md").write_text("new\n")

    written = publish(out, ["README.md"], write)
    assert written == [out / "README.md"]
    assert (out / "README.md").read_text() == "new\n"
    assert (out / ".git" / "HEAD").read_text() == "ref: refs/heads/main\n"
    manifest = json.loads((out / OUTPUT_MARK).read_text())
    assert list(manifest["files"]) == ["README.md"]
    assert manifest["files"]["README.md"]["size"] == 4
    assert _leftovers(tmp_path) == []


def test_a_failed_write_changes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "README.md").write_text("old\n")

    def write(folder: Path) -> None:
        (folder / "README.md").write_text("half")
        raise RuntimeError("an output failed")

    with pytest.raises(RuntimeError):
        publish(out, ["README.md"], write)
    assert _files(out) == {"README.md": b"old\n"}
    assert _leftovers(tmp_path) == []


def test_an_output_folder_that_is_a_link_keeps_its_link(tmp_path: Path) -> None:
    real = tmp_path / "site"
    real.mkdir()
    (tmp_path / "out").symlink_to(real)
    publish(tmp_path / "out", ["README.md"], lambda folder: (folder / "README.md").write_text("x"))
    assert (tmp_path / "out").is_symlink()
    assert (real / "README.md").read_text() == "x"


def test_the_manifest_lists_every_output_with_its_size_and_digest(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "inputs", tmp_path / "inputs")
    _build(tmp_path)
    out = tmp_path / "out"
    manifest = json.loads((out / OUTPUT_MARK).read_text())
    written = sorted(path.name for path in out.iterdir() if path.name != OUTPUT_MARK)
    assert sorted(manifest["files"]) == written
    for name, facts in manifest["files"].items():
        data = (out / name).read_bytes()
        assert facts == {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()}

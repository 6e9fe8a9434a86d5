"""The outputs' texts kept between builds: made again for what changed, never used stale."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import BinaryIO

import pytest

from awesomerge import pieces
from awesomerge.api import Collection, Output, OutputRegistrar
from awesomerge.build import PIECES, BuildResult, build, write_outputs
from awesomerge.cache import ParseCache
from awesomerge.configure import CommandLine, configure
from awesomerge.errors import PluginError
from awesomerge.hookspecs import hookimpl
from awesomerge.outputs import readme_output
from awesomerge.pieces import FORMAT
from awesomerge.plugins import Plugins
from awesomerge.settings import Settings
from awesomerge.testing import plugins_with

from .conftest import DATA, INPUTS


@pytest.fixture
def lists(tmp_path: Path) -> Path:
    """The seeds and four lists of the corpus, in a folder a test may change."""
    folder = tmp_path / "lists"
    folder.mkdir()
    for path in [*INPUTS.glob("*.md"), *sorted((DATA / "corpus").glob("*.md"))[:4]]:
        if path.name != "README.md":
            shutil.copy(path, folder / path.name)
    return folder


def written(result: BuildResult, plugins: Plugins, folder: Path) -> dict[str, bytes]:
    paths = write_outputs(result.collection, plugins.outputs, folder)
    return {path.name: path.read_bytes() for path in paths}


def fresh(lists: Path, plugins: Plugins, folder: Path) -> dict[str, bytes]:
    """What a build without any cache writes."""
    return written(build([str(lists)], plugins), plugins, folder)


def test_a_rebuild_makes_the_texts_of_changed_entries_only(
    lists: Path, plugins: Plugins, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    first = build([str(lists)], plugins, cache=ParseCache(cache))
    written(first, plugins, tmp_path / "out")
    made: list[str] = []
    item = readme_output.entry_item

    def counted(entry: object, hidden_tags: set[str]) -> str:
        made.append(entry.title)  # type: ignore[attr-defined]
        return item(entry, hidden_tags)  # type: ignore[arg-type]

    monkeypatch.setattr(readme_output, "entry_item", counted)
    listing = lists / "learn-llms-nested-list.md"
    text = listing.read_text(encoding="utf-8")
    assert text.count("[Weight watcher LLM Leaderboard]") == 1
    listing.write_text(
        text.replace("[Weight watcher LLM Leaderboard]", "[WeightWatcher LLM Leaderboard]"),
        encoding="utf-8",
    )
    second = build([str(lists)], plugins, cache=ParseCache(cache))
    again = written(second, plugins, tmp_path / "out")
    assert made == ["WeightWatcher LLM Leaderboard"]
    assert not second.pieces.problems
    monkeypatch.setattr(readme_output, "entry_item", item)
    assert again == fresh(lists, plugins, tmp_path / "fresh")
    assert b"[WeightWatcher LLM Leaderboard](" in again["README.md"]


def test_texts_are_kept_apart_by_the_options_of_their_output(
    lists: Path, plugins: Plugins, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    biblatex = configure(plugins, Settings(), CommandLine(options=("bibtex.dialect=biblatex",)))
    outputs = {}
    for name, chosen in (("bibtex", plugins), ("biblatex", biblatex), ("bibtex again", plugins)):
        result = build([str(lists)], chosen, cache=ParseCache(cache))
        outputs[name] = written(result, chosen, tmp_path / "out")["bibliography.bib"]
    assert outputs["bibtex"].count(b"@misc{") > 300
    assert b"@misc{" not in outputs["biblatex"] and b"@online{" in outputs["biblatex"]
    assert outputs["bibtex again"] == outputs["bibtex"]
    no_cache = written(build([str(lists)], biblatex), biblatex, tmp_path / "fresh")
    assert outputs["biblatex"] == no_cache["bibliography.bib"]


def test_a_damaged_file_of_texts_is_reported_and_its_texts_made_again(
    lists: Path, plugins: Plugins, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    written(build([str(lists)], plugins, cache=ParseCache(cache)), plugins, tmp_path / "out")
    files = sorted((cache / PIECES).glob("*.pieces"))
    assert len(files) == 4  # BibTeX, CSL-JSON and README texts, and the citation keys
    truncated, edited = files[0], files[1]
    truncated.write_bytes(truncated.read_bytes()[:500])
    # Still JSON: only the digest on the first line can tell.
    edited.write_bytes(edited.read_bytes().replace(b'":"', b'":"X', 1))
    again = build([str(lists)], plugins, cache=ParseCache(cache))
    output = written(again, plugins, tmp_path / "out")
    problems = again.pieces.problems
    assert len(problems) == 2 and all("damaged or truncated" in p for p in problems)
    assert output == fresh(lists, plugins, tmp_path / "fresh")
    third = build([str(lists)], plugins, cache=ParseCache(cache))
    written(third, plugins, tmp_path / "out")
    assert third.pieces.problems == []
    # Whole, by its digest, but not what this version writes.
    body = b'["not", "texts"]'
    files[2].write_bytes(FORMAT + b" " + hashlib.sha256(body).hexdigest().encode() + b"\n" + body)
    fourth = build([str(lists)], plugins, cache=ParseCache(cache))
    assert written(fourth, plugins, tmp_path / "out") == output
    (problem,) = fourth.pieces.problems
    assert problem.endswith("cannot be read; its pieces remade")


def test_a_file_of_texts_holds_only_what_the_last_build_used(
    lists: Path, plugins: Plugins, tmp_path: Path
) -> None:
    """Texts of entries gone, of options no longer set, of former code: none is kept. The
    files of another output folder (another project) are left alone."""
    cache = tmp_path / "cache"
    other = build([str(INPUTS)], plugins, cache=ParseCache(cache))
    written(other, plugins, tmp_path / "other project")
    theirs = set((cache / PIECES).glob("*.pieces"))
    everything = build([str(lists)], plugins, cache=ParseCache(cache))
    written(everything, plugins, tmp_path / "out")
    ours = set((cache / PIECES).glob("*.pieces")) - theirs
    # The README's texts depend on the lists' own tags: with other lists, they are another kind.
    alone = build([str(lists / "llm-primer-gist.md")], plugins, cache=ParseCache(cache))
    written(alone, plugins, tmp_path / "out")
    assert len(alone.dataset.entries) < len(everything.dataset.entries)
    now = set((cache / PIECES).glob("*.pieces"))
    assert theirs <= now and len(now - theirs) == len(ours) == 4 and now - theirs != ours
    for path in now - theirs:
        header, body = path.read_bytes().split(b"\n", 1)
        assert header.startswith(FORMAT + b" ")
        assert len(json.loads(body)) == len(alone.dataset.entries), path.name


def test_a_cache_that_cannot_keep_texts_is_a_warning(
    lists: Path, plugins: Plugins, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / PIECES).write_text("a file where the folder would go\n")
    result = build([str(lists)], plugins, cache=ParseCache(cache))
    output = written(result, plugins, tmp_path / "out")
    assert output == fresh(lists, plugins, tmp_path / "fresh")
    (problem,) = result.pieces.problems
    assert "cannot write the cache" in problem


_PLUGIN = """
from awesomerge.api import Collection, Output
from awesomerge.hookspecs import hookimpl


class Titles(Output):
    name = "titles"
    filename = "titles.txt"

    def render(self, collection: Collection) -> str:
        return "".join(collection.each_entry(self, lambda entry: MARK + entry.title + "\\n"))


@hookimpl
def register_outputs(register):
    register(Titles)


MARK = "{mark}"
"""


def test_a_plugin_that_changes_never_gets_the_texts_of_its_former_code(tmp_path: Path) -> None:
    plugins_dir = tmp_path / "plugins"
    plugins_dir.mkdir()
    plugin = plugins_dir / "titles.py"

    def run(mark: str) -> str:
        plugin.write_text(_PLUGIN.replace("{mark}", mark), encoding="utf-8")
        command = [sys.executable, "-m", "awesomerge", "build", str(INPUTS), "-q"]
        command += ["-o", str(tmp_path / "out"), "--cache", str(tmp_path / "cache")]
        command += ["--plugins-dir", str(plugins_dir), "--write", "titles"]
        completed = subprocess.run(command, capture_output=True, text=True)
        assert completed.returncode == 0, completed.stderr
        return (tmp_path / "out" / "titles.txt").read_text(encoding="utf-8")

    first = run("* ")
    assert first.count("\n") > 300 and all(line.startswith("* ") for line in first.splitlines())
    second = run("- ")
    assert all(line.startswith("- ") for line in second.splitlines())
    assert [line[2:] for line in second.splitlines()] == [line[2:] for line in first.splitlines()]


class _Failing(Output):
    """Asks for texts, writes some, and fails: the build must keep no half-made file."""

    name = "zz-failing"
    filename = "failing.txt"

    def render(self, collection: Collection) -> str:
        texts = collection.each_entry(self, lambda entry: entry.title)
        raise RuntimeError(f"stopped after {texts[0]!r}")


class _FailingPlugin:
    @hookimpl
    def register_outputs(self, register: OutputRegistrar) -> None:
        register(_Failing)


def test_a_failed_build_keeps_the_texts_it_had_and_no_half_made_file(
    lists: Path, plugins: Plugins, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    written(build([str(lists)], plugins, cache=ParseCache(cache)), plugins, tmp_path / "out")
    before = {path: path.read_bytes() for path in (cache / PIECES).iterdir()}
    failing = plugins_with(_FailingPlugin())
    result = build([str(lists)], failing, cache=ParseCache(cache))
    with pytest.raises(PluginError, match="stopped after"):
        write_outputs(result.collection, failing.outputs, tmp_path / "out")
    after = {path: path.read_bytes() for path in (cache / PIECES).iterdir()}
    assert after == before  # the four outputs before it changed nothing; no .tmp is left


class _FullDisk:
    """A file that takes a few kilobytes and then says the disk is full."""

    def __init__(self, stream: BinaryIO) -> None:
        self.stream, self.taken = stream, 0

    def write(self, data: bytes) -> int:
        self.taken += len(data)
        if self.taken > 4096:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return self.stream.write(data)

    def seek(self, offset: int) -> int:
        return self.stream.seek(offset)

    def close(self) -> None:
        self.stream.close()


def test_a_full_disk_while_texts_are_kept_is_a_warning(
    lists: Path, plugins: Plugins, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened = os.fdopen

    def fdopen(handle: int, mode: str = "r", **options: object) -> object:
        stream = opened(handle, mode, **options)  # type: ignore[call-overload]
        return _FullDisk(stream) if mode == "wb" else stream  # the outputs are text files

    cache = tmp_path / "cache"
    result = build([str(lists)], plugins, cache=ParseCache(cache))
    monkeypatch.setattr(pieces.os, "fdopen", fdopen)
    output = written(result, plugins, tmp_path / "out")
    monkeypatch.undo()
    assert output == fresh(lists, plugins, tmp_path / "fresh")
    assert result.pieces.problems == [
        f"cannot write the cache in {cache / PIECES} (No space left on device); not updated"
    ]
    assert list((cache / PIECES).iterdir()) == []  # nothing half-written is left


def test_a_killed_builds_temporary_files_are_removed_and_a_running_ones_kept(
    lists: Path, plugins: Plugins, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    written(build([str(lists)], plugins, cache=ParseCache(cache)), plugins, tmp_path / "out")
    prefix = next((cache / PIECES).glob("*.pieces")).name.split("-")[0]
    killed, running = (cache / PIECES / f".{prefix}-{name}.tmp" for name in ("old", "new"))
    for path in (killed, running):
        path.write_bytes(b"half a file")
    two_hours_ago = time.time() - 7200
    os.utime(killed, (two_hours_ago, two_hours_ago))
    written(build([str(lists)], plugins, cache=ParseCache(cache)), plugins, tmp_path / "out")
    assert not killed.exists() and running.exists()


def test_texts_asked_for_outside_a_build_are_made_and_not_kept(
    lists: Path, plugins: Plugins, tmp_path: Path
) -> None:
    result = build([str(lists)], plugins, cache=ParseCache(tmp_path / "cache"))
    text = plugins.outputs["bibtex"].render(result.collection)
    assert text.count("@misc{") > 300
    assert not (tmp_path / "cache" / PIECES).exists()

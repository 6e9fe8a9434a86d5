"""Workers and the parse cache change how fast a build is, never what it writes."""

from __future__ import annotations

import dataclasses
import hashlib
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from types import ModuleType

import pytest

from awesomerge.api import Source, SourceRegistrar
from awesomerge.build import BuildResult, build, write_outputs
from awesomerge.cache import FORMAT, ParseCache
from awesomerge.configure import CommandLine, configure
from awesomerge.document import Document
from awesomerge.errors import PluginInputError
from awesomerge.hookspecs import hookimpl
from awesomerge.models import Item, ParseResult
from awesomerge.parsing import Job, _keys
from awesomerge.plugins import Plugins
from awesomerge.reading import find_inputs
from awesomerge.settings import Settings, input_roots, load_settings
from awesomerge.testing import plugins_with

from .conftest import DATA, INPUTS, ROOT

CORPUS = DATA / "corpus"


@pytest.fixture(scope="module")
def lists(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeds and the corpus in one folder: 27 lists of many shapes."""
    folder = tmp_path_factory.mktemp("lists")
    for path in [*INPUTS.glob("*.md"), *CORPUS.glob("*.md")]:
        if path.name != "README.md":
            shutil.copy(path, folder / path.name)
    return folder


def plugin(name: str, register: object) -> ModuleType:
    """A plugin module that registers sources with `register`."""
    module = ModuleType(name)
    module.register_sources = register  # type: ignore[attr-defined]
    return module


def outputs_of(result: BuildResult, plugins: Plugins, folder: Path) -> dict[str, bytes]:
    written = write_outputs(result.collection, plugins.outputs, folder)
    return {path.name: path.read_bytes() for path in written}


def test_outputs_are_the_same_bytes_with_any_workers_and_cache(
    lists: Path, plugins: Plugins, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    runs = {
        "one process, no cache": {"jobs": 1},
        "two workers, no cache": {"jobs": 2},
        "two workers, cold cache": {"jobs": 2, "cache": ParseCache(cache)},
        "two workers, warm cache": {"jobs": 2, "cache": ParseCache(cache)},
        "one process, warm cache": {"jobs": 1, "cache": ParseCache(cache)},
    }
    written = {}
    for name, options in runs.items():
        result = build([str(lists)], plugins, **options)  # type: ignore[arg-type]
        assert not result.report.cache_problems, name
        written[name] = outputs_of(result, plugins, tmp_path / name)
    first = written["one process, no cache"]
    assert len(first) == 5 and all(first.values())
    for name, files in written.items():
        assert files == first, f"{name} wrote other bytes"
    # The warm builds found every file in the cache: one entry per input.
    assert len(list(cache.rglob("*.json"))) == len(list(lists.glob("*.md")))


def test_the_order_workers_finish_in_does_not_matter(tmp_path: Path) -> None:
    """The first file is the slowest: with two workers it finishes last, yet comes first."""
    folder = tmp_path / "lists"
    folder.mkdir()
    (folder / "a.md").write_text("- [Slow](https://example.com/slow) - takes its time\n")
    for index in range(6):
        (folder / f"b{index}.md").write_text(f"- [Quick {index}](https://example.com/{index})\n")
    loaded = plugins_with(plugin("slow", _register_slow))
    one = build([str(folder)], loaded, jobs=1, explicit_format="slow")
    two = build([str(folder)], loaded, jobs=2, explicit_format="slow")
    assert one.dataset.model_dump_json() == two.dataset.model_dump_json()
    assert two.dataset.entries[0].url == "https://example.com/slow"


class SlowSource(Source):
    name = "slow"

    def parse(self, document: Document) -> ParseResult:
        if document.path.endswith("a.md"):
            time.sleep(0.5)
        url = document.text.split("(", 1)[1].split(")", 1)[0]
        return ParseResult(items=[Item(url=url, title=document.path, line=1)])


@hookimpl
def _register_slow(register: SourceRegistrar) -> None:
    register(SlowSource)


def test_a_changed_file_is_parsed_again(tmp_path: Path, plugins: Plugins) -> None:
    folder = tmp_path / "lists"
    folder.mkdir()
    listing = folder / "tools.md"
    listing.write_text("- [Ruff](https://docs.astral.sh/ruff/) - a linter\n")
    cache = ParseCache(tmp_path / "cache")
    before = build([str(folder)], plugins, cache=cache)
    listing.write_text("- [Black](https://black.readthedocs.io/) - a formatter\n")
    after = build([str(folder)], plugins, cache=cache)
    assert [entry.title for entry in before.dataset.entries] == ["Ruff"]
    assert [entry.title for entry in after.dataset.entries] == ["Black"]


def test_a_damaged_cache_entry_is_reported_and_never_trusted(
    plugins: Plugins, tmp_path: Path
) -> None:
    lists = INPUTS
    cache_folder = tmp_path / "cache"
    clean = build([str(lists)], plugins, cache=ParseCache(cache_folder))
    entries = sorted(cache_folder.rglob("*.json"))
    truncated, edited, emptied = entries[0], entries[1], entries[2]
    truncated.write_bytes(truncated.read_bytes()[:200])
    # A change that keeps the file's shape: only the digest in its header can tell.
    edited.write_bytes(edited.read_bytes().replace(b'"title":"', b'"title":"X', 1))
    emptied.write_bytes(b"")
    again = build([str(lists)], plugins, cache=ParseCache(cache_folder))
    problems = again.report.cache_problems
    assert len(problems) == 3
    assert all("damaged or truncated; parsed again" in problem for problem in problems)
    assert again.dataset.model_dump_json() == clean.dataset.model_dump_json()
    # The entries were written anew, and a third build finds them whole.
    third = build([str(lists)], plugins, cache=ParseCache(cache_folder))
    assert third.report.cache_problems == []


def test_a_whole_entry_that_is_not_a_result_is_parsed_again(
    plugins: Plugins, tmp_path: Path
) -> None:
    """An entry whose digest matches but whose JSON is not a parse result is not trusted."""
    cache_folder = tmp_path / "cache"
    clean = build([str(INPUTS)], plugins, cache=ParseCache(cache_folder))
    entry = sorted(cache_folder.rglob("*.json"))[0]
    payload = b'{"record": {"id": ""}, "items": []}'
    entry.write_bytes(
        FORMAT + b" " + hashlib.sha256(payload).hexdigest().encode() + b"\n" + payload
    )
    again = build([str(INPUTS)], plugins, cache=ParseCache(cache_folder))
    assert [
        problem.endswith("cannot be read; parsed again") for problem in again.report.cache_problems
    ] == [True]
    assert again.dataset.model_dump_json() == clean.dataset.model_dump_json()


def test_a_cache_that_cannot_be_written_is_a_warning(tmp_path: Path, plugins: Plugins) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would go\n")
    result = build([str(INPUTS)], plugins, cache=ParseCache(blocker / "cache"))
    assert len(result.dataset.entries) > 300
    assert len(result.report.cache_problems) == 1
    assert "cannot write the cache" in result.report.cache_problems[0]


class OptionedSource(Source):
    name = "optioned"

    class Options(Source.Options):
        prefix: str = ""

    def detect(self, document: Document) -> float:
        return 0.0

    def parse(self, document: Document) -> ParseResult:
        return ParseResult()


@hookimpl
def _register_optioned(register: SourceRegistrar) -> None:
    register(OptionedSource)


def test_the_key_covers_everything_a_result_depends_on(tmp_path: Path) -> None:
    """Change any one thing a parse depends on, and the file's key changes with it."""
    (tmp_path / "a.md").write_text("- [Ruff](https://docs.astral.sh/ruff/)\n")
    files = find_inputs([tmp_path])
    loaded = plugins_with(plugin("optioned", _register_optioned))
    settings = load_settings([file.path for file in files], input_roots([tmp_path]))
    job = Job(configure(loaded, settings, CommandLine()), settings)
    key = _keys(files, job)[0]
    assert key is not None and _keys(files, job) == [key]

    def key_with(**changes: object) -> str | None:
        return _keys(files, dataclasses.replace(job, **changes))[0]  # type: ignore[arg-type]

    optioned = configure(loaded, settings, CommandLine(options=("optioned.prefix=x",)))
    assert key_with(plugins=optioned) != key
    assert key_with(explicit_format="markdown") != key
    assert key_with(strict=True) != key
    newer = [
        dataclasses.replace(info, version="9") if "optioned" in info.sources else info
        for info in job.plugins.plugins
    ]
    assert key_with(plugins=dataclasses.replace(job.plugins, plugins=newer)) != key
    fewer = {name: source for name, source in job.plugins.sources.items() if name != "optioned"}
    assert key_with(plugins=dataclasses.replace(job.plugins, sources=fewer)) != key
    (tmp_path / "awesomerge.toml").write_text('[files."a.md"]\nbase_url = "https://x.org/"\n')
    configured = load_settings([file.path for file in files], input_roots([tmp_path]))
    assert key_with(settings=configured) != key
    (tmp_path / "a.md").write_text("- [Ruff](https://docs.astral.sh/ruff/) \n")
    assert _keys(files, job)[0] != key


def test_awesomerge_code_is_part_of_the_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a.md").write_text("- [Ruff](https://docs.astral.sh/ruff/)\n")
    files = find_inputs([tmp_path])
    job = Job(plugins_with(), Settings())
    key = _keys(files, job)
    monkeypatch.setattr("awesomerge.parsing.code_digest", lambda *paths: "another version")
    assert _keys(files, job) != key


def test_a_rejected_input_in_a_worker_is_reported_by_name(tmp_path: Path, plugins: Plugins) -> None:
    folder = tmp_path / "lists"
    shutil.copytree(INPUTS, folder)
    (folder / "broken.md").write_bytes(b"- [Caf\xe9](https://example.com/cafe)\n")
    one = build([str(folder)], plugins, jobs=1)
    two = build([str(folder)], plugins, jobs=2, cache=ParseCache(tmp_path / "cache"))
    assert [str(error) for error in two.report.rejected] == [
        str(error) for error in one.report.rejected
    ]
    assert len(two.report.rejected) == 1 and "broken.md:1: not valid utf-8" in str(
        two.report.rejected[0]
    )
    assert two.dataset.model_dump_json() == one.dataset.model_dump_json()


class FailingSource(Source):
    name = "failing"

    def parse(self, document: Document) -> ParseResult:
        raise ValueError("cannot read this")


@hookimpl
def _register_failing(register: SourceRegistrar) -> None:
    register(FailingSource)


def test_strict_plugins_stop_the_build_from_a_worker(tmp_path: Path) -> None:
    loaded = plugins_with(plugin("failing", _register_failing))
    with pytest.raises(PluginInputError, match="failed while parsing it: ValueError"):
        build([str(INPUTS)], loaded, jobs=2, explicit_format="failing", strict=True)


def test_the_command_line_uses_the_cache_it_is_given(tmp_path: Path) -> None:
    def run(*arguments: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "awesomerge", "build", "inputs/", *arguments],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )

    cold = run("-o", str(tmp_path / "cold"), "--cache", str(tmp_path / "cache"), "-j", "2")
    warm = run("-o", str(tmp_path / "warm"), "--cache", str(tmp_path / "cache"), "--timings")
    off = run("-o", str(tmp_path / "off"), "--no-cache", "-j", "1")
    for completed in (cold, warm, off):
        assert completed.returncode == 0, completed.stderr
    assert len(list((tmp_path / "cache").rglob("*.json"))) == 5
    for name in ("awesomerge.json", "README.md", "bibliography.bib"):
        committed = (ROOT / "output" / name).read_bytes()
        for run_name in ("cold", "warm", "off"):
            assert (tmp_path / run_name / name).read_bytes() == committed, (run_name, name)
    assert "timings (wall-clock seconds):" in warm.stderr
    assert any(line.lstrip().startswith("reading") for line in warm.stderr.splitlines())
    both = run("--cache", str(tmp_path / "cache"), "--no-cache")
    assert both.returncode == 2 and "contradict" in both.stderr


def test_temporary_files_a_killed_build_left_in_the_cache_are_removed(
    tmp_path: Path, plugins: Plugins
) -> None:
    folder = tmp_path / "lists"
    folder.mkdir()
    (folder / "tools.md").write_text("- [Ruff](https://docs.astral.sh/ruff/) - a linter\n")
    cache = ParseCache(tmp_path / "cache")
    build([str(folder)], plugins, cache=cache)
    (shard,) = (tmp_path / "cache").iterdir()
    old, fresh = shard / ".abc.tmp", shard / ".def.tmp"
    for temporary in (old, fresh):
        temporary.write_bytes(b"half a result")
    hours_ago = time.time() - 2 * 3600
    os.utime(old, (hours_ago, hours_ago))
    build([str(folder)], plugins, cache=cache)
    assert not old.exists()
    assert fresh.exists(), "a young one may be another build's, still being written"

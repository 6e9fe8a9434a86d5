"""The corpus of 22 real lists (tests/data/corpus): built whole, as a user would build them.

It builds with no warning, keeps every link exactly as written, and titles almost no entry
with a bare link label.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from awesomerge.models import Dataset

from .gold import CORPUS
from .linkcheck import web_links

LISTS = sorted(path for path in CORPUS.glob("*.md") if path.name != "README.md")
#: Link texts that say what a link is, never what it names; written here independently of
#: anatomy.toml, so that the test does not grade the program with its own rules.
LABELS = frozenset(
    {
        "paper", "papers", "pdf", "[pdf]", "abs", "arxiv", "code", "github", "repo",
        "repository", "project", "homepage", "website", "link", "here", "tweet", "blog",
        "video", "slides", "demo", "dataset", "data", "model", "models", "docs", "official",
        "[paper]", "[code]", "论文", "代码", "项目", "crate",
    }
)  # fmt: skip
SHARED_CHECK = Path(__file__).parents[2] / "shared" / "tools" / "check-dataset"


@pytest.fixture(scope="module")
def built(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[subprocess.CompletedProcess[str], Path]:
    out = tmp_path_factory.mktemp("corpus")
    completed = subprocess.run(
        # The corpus is read, not kept: its citation keys are not locked beside it.
        [
            sys.executable,
            "-m",
            "awesomerge",
            "build",
            *map(str, LISTS),
            "-o",
            str(out),
            "--no-key-lock",
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "AWESOMERGE_DISABLE_PLUGIN_AUTOLOAD": "1"},
        check=False,
    )
    return completed, out


def dataset(out: Path) -> Dataset:
    return Dataset.model_validate_json((out / "awesomerge.json").read_text(encoding="utf-8"))


def test_the_corpus_builds_without_a_warning(
    built: tuple[subprocess.CompletedProcess[str], Path],
) -> None:
    completed, out = built
    assert completed.returncode == 0, completed.stderr
    assert "warning:" not in completed.stderr
    warned = {source.path: source.warnings for source in dataset(out).sources if source.warnings}
    assert warned == {}


def test_every_link_is_kept_exactly_as_written(
    built: tuple[subprocess.CompletedProcess[str], Path],
) -> None:
    _, out = built
    data = dataset(out)
    kept = {link.url for source in data.sources for link in source.links}
    for entry in data.entries:
        kept.update(occurrence.url for occurrence in entry.occurrences)
        kept.update(link.url for link in entry.related)
    lost = {
        path.name: sorted(web_links(path.read_text(encoding="utf-8")) - kept)[:3] for path in LISTS
    }
    assert {name: urls for name, urls in lost.items() if urls} == {}


@pytest.mark.skipif(not SHARED_CHECK.is_file(), reason="the shared check-dataset tool is absent")
def test_the_independent_dataset_check_passes(
    built: tuple[subprocess.CompletedProcess[str], Path],
) -> None:
    _, out = built
    completed = subprocess.run(
        [sys.executable, str(SHARED_CHECK), str(out / "awesomerge.json"), *map(str, LISTS)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout
    assert " 0 lost;" in completed.stdout


def test_link_labels_title_at_most_one_entry_in_a_hundred(
    built: tuple[subprocess.CompletedProcess[str], Path],
) -> None:
    _, out = built
    entries = dataset(out).entries
    labelled = [entry.title for entry in entries if entry.title.strip().casefold() in LABELS]
    assert len(labelled) <= len(entries) / 100, labelled[:20]


def test_related_links_are_not_entries_of_their_own(
    built: tuple[subprocess.CompletedProcess[str], Path],
) -> None:
    """A paper's [code] link is its related link; no entry is titled "Code" or "Tweet"."""
    _, out = built
    raw = json.loads((out / "awesomerge.json").read_text(encoding="utf-8"))
    titles = [entry["title"].casefold() for entry in raw["entries"]]
    assert titles.count("code") + titles.count("tweet") + titles.count("paper") <= 3
    roles = {link["role"] for entry in raw["entries"] for link in entry["related"]}
    assert {"paper", "code", "badge", "package", "project"} <= roles

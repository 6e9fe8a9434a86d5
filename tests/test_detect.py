"""Choosing the source for a file: explicit choice, scores, threshold, ties, fallback."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from awesomerge.api import Source
from awesomerge.detect import FALLBACK, THRESHOLD, choose_source
from awesomerge.document import Document
from awesomerge.errors import ConfigError
from awesomerge.models import ParseResult
from awesomerge.plugins import Plugins

from .conftest import ROOT

SEED_FORMATS = {
    "lm-resources-blog-post.md": "blog-post",
    "llm-primer-gist.md": "gist",
    "llm-primer-references.md": "reference-list",
    "awesome-llm-notes-tables.md": "readme-table",
    "learn-llms-nested-list.md": "nested-list",
}


class Scored(Source):
    """A source that gives every document the same score."""

    name = "scored"
    score = 0.0

    def detect(self, document: Document) -> float:
        return self.score

    def parse(self, document: Document) -> ParseResult:
        return ParseResult()


def scored(name: str, score: float) -> Source:
    source = type(name, (Scored,), {"name": name, "score": score})
    return source()


def sources(**scores: float) -> dict[str, Source]:
    found: dict[str, Source] = {FALLBACK: scored(FALLBACK, 0.0)}
    found.update({name: scored(name, value) for name, value in scores.items()})
    return found


DOCUMENT = Document("lists/a.md", "- [A](https://a.example/)\n")


def test_the_best_score_above_the_threshold_wins() -> None:
    choice = choose_source(DOCUMENT, sources(one=0.9, two=0.6, three=0.1))
    assert choice.source == "one"
    assert choice.scores == {"one": 0.9, "two": 0.6, "three": 0.1}
    assert choice.warning is None


def test_a_tie_falls_back_to_markdown_with_a_warning_naming_both() -> None:
    choice = choose_source(DOCUMENT, sources(one=0.8, two=0.8))
    assert choice.source == FALLBACK
    assert choice.warning is not None
    assert "one, two" in choice.warning and '[files."a.md"]' in choice.warning


def test_no_score_above_the_threshold_falls_back_without_a_warning() -> None:
    """The generic reader reads an ordinary list as well as a shape does: no doubt to report."""
    choice = choose_source(DOCUMENT, sources(one=THRESHOLD - 0.01))
    assert (choice.source, choice.warning) == (FALLBACK, None)
    assert "one at 0.49" in choice.reason


def test_nothing_recognised_falls_back_silently() -> None:
    choice = choose_source(DOCUMENT, sources(one=0.0))
    assert (choice.source, choice.warning) == (FALLBACK, None)


def test_an_explicit_choice_wins_over_scores() -> None:
    choice = choose_source(DOCUMENT, sources(one=1.0, two=0.0), explicit="two")
    assert choice.source == "two"
    assert "explicitly" in choice.reason


def test_an_unknown_explicit_choice_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match='unknown format "nope"'):
        choose_source(DOCUMENT, sources(one=1.0), explicit="nope")


def test_scores_are_clamped_and_a_failing_detector_is_reported() -> None:
    class Broken(Scored):
        name = "broken"

        def detect(self, document: Document) -> float:
            raise RuntimeError("no")

    choice = choose_source(DOCUMENT, {**sources(loud=7.0), "broken": Broken()})
    assert choice.source == "loud"
    assert choice.scores == {"loud": 1.0}
    assert choice.failures == (("broken", "detect() raised RuntimeError: no"),)


@pytest.mark.parametrize("name", sorted(SEED_FORMATS))
def test_each_seed_is_claimed_by_its_own_shape(name: str, plugins: Plugins) -> None:
    text = (ROOT / "inputs" / name).read_text(encoding="utf-8")
    choice = choose_source(Document(f"inputs/{name}", text), plugins.sources)
    assert choice.source == SEED_FORMATS[name], choice.scores
    assert choice.warning is None
    others = [score for source, score in choice.scores.items() if source != choice.source]
    assert max(others) < THRESHOLD


def test_explain_lists_every_candidate_and_the_choice() -> None:
    completed = subprocess.run(
        ["awesomerge", "explain", "inputs/llm-primer-gist.md"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    lines = completed.stdout.splitlines()
    for source in set(SEED_FORMATS.values()):
        assert any(source in line for line in lines), source
    assert "* gist" in completed.stdout
    assert "chosen: gist" in completed.stdout


def test_a_per_file_format_in_awesomerge_toml_wins(tmp_path: Path) -> None:
    lists = tmp_path / "lists"
    lists.mkdir()
    gist = (ROOT / "inputs" / "llm-primer-gist.md").read_text(encoding="utf-8")
    (lists / "gist.md").write_text(gist, encoding="utf-8")
    (lists / "awesomerge.toml").write_text('[files."gist.md"]\nformat = "markdown"\n')
    completed = subprocess.run(
        ["awesomerge", "build", "lists", "-o", "out"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    import json

    dataset = json.loads((tmp_path / "out" / "awesomerge.json").read_text())
    assert [source["format"] for source in dataset["sources"]] == ["markdown"]

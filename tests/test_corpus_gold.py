"""What awesomerge reads from real lists, and from lists of our own in each shape, against
expectations written by hand from the raw Markdown (tests/data/gold.md says how).

The thresholds are the ones users need: the right title for almost every item, the authors and
years the lists state, and the related links of each item. ``python -m tests.gold`` prints the
figures and every miss.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .gold import ANATOMY, CORPUS, Score, gold_files, score

CORPUS_CASES = gold_files(CORPUS)
OWN_CASES = gold_files(ANATOMY)
#: Overall, over all the gold items of a folder.
OVERALL = {"title": 0.97, "url": 0.97, "authors": 0.95, "year": 0.95, "related": 0.95}
#: For any one file: a single list may hold a quirk or two, never a misread style. A ratio
#: over fewer than MIN_CASES cases says little, and is only counted overall.
PER_FILE = {"title": 0.9, "url": 0.9, "authors": 0.85, "year": 0.9, "related": 0.9}
MIN_CASES = 5


def ratios(result: Score) -> dict[str, tuple[float, int]]:
    """Each figure with the number of cases it is over."""
    return {
        "title": (result.title_ratio, result.items),
        "url": (result.url_ratio, result.items),
        "authors": (result.author_ratio, result.authors_named),
        "year": (result.year_ratio, result.years_stated),
        "related": (result.related_ratio, result.related_named),
    }


def below(result: Score, floors: dict[str, float], min_cases: int = 1) -> dict[str, float]:
    return {
        name: round(value, 3)
        for name, (value, cases) in ratios(result).items()
        if cases >= min_cases and value < floors[name]
    }


def case_id(case: tuple[Path, Path]) -> str:
    return case[0].stem


@pytest.mark.parametrize("case", CORPUS_CASES + OWN_CASES, ids=case_id)
def test_each_list_is_read_as_written(case: tuple[Path, Path]) -> None:
    result = score(*case)
    assert result.items >= 8, "a gold file holds at least 8 items"
    assert below(result, PER_FILE, MIN_CASES) == {}, "\n".join(result.misses)


@pytest.mark.parametrize("folder", [CORPUS, ANATOMY], ids=["corpus", "own-lists"])
def test_overall_figures(folder: Path) -> None:
    total = Score()
    for case in gold_files(folder):
        total.add(score(*case))
    assert total.items >= 100 if folder == CORPUS else total.items >= 90
    assert below(total, OVERALL) == {}, "\n".join(total.misses)


def test_every_corpus_list_has_gold() -> None:
    lists = {path.stem for path in CORPUS.glob("*.md") if path.name != "README.md"}
    assert {markdown.stem for markdown, _ in CORPUS_CASES} == lists


def test_a_misread_title_is_counted() -> None:
    """The scorer itself can fail: a wrong expectation gives a miss, not a pass."""
    markdown, gold = OWN_CASES[0]
    wrong = gold.parent / "wrong.yaml"
    right = score(markdown, gold)
    try:
        text = gold.read_text(encoding="utf-8")
        first_title = next(line for line in text.splitlines() if "title:" in line)
        wrong.write_text(text.replace(first_title, "    title: Not What It Says", 1), "utf-8")
        result = score(markdown, wrong)
    finally:
        wrong.unlink(missing_ok=True)
    assert result.titles == right.titles - 1

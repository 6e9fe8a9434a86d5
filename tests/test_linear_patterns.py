"""Every pattern applied to a list's text runs in time proportional to it.

Each case is the input of about 100 KB that made the pattern (or the function that applies it)
quadratic before: a run of spaces searched from each of its positions, a word tried from each of
its letters, a "(" never closed read to the end from each "(". Each must finish in well under a
second; before, each took from a few seconds to hours.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable

import pytest

from awesomerge import anatomy, extract, titles
from awesomerge.sources import gist, nested_list, readme_table

#: Well under a second, with room for a busy machine.
BOUND = 1.0
N = 100_000
SPACES = " " * N


def _search(pattern: re.Pattern[str], text: str) -> Callable[[], object]:
    return lambda: pattern.search(text)


def _all(pattern: re.Pattern[str], text: str) -> Callable[[], object]:
    return lambda: list(pattern.finditer(text))


def _split(pattern: re.Pattern[str], text: str) -> Callable[[], object]:
    return lambda: pattern.split(text)


CASES: dict[str, Callable[[], object]] = {
    # anatomy: an item's parts.
    "APA citation, newlines": lambda: anatomy._APA.match("\n" * N),
    "authors label, newlines": _search(anatomy._AUTHORS_LABEL, "\n" * N),
    "authors label, indented lines": _search(anatomy._AUTHORS_LABEL, " \n" * (N // 2)),
    "label tails, spaces": lambda: anatomy._without_tails("code" + SPACES + "x"),
    "label tails, digits": lambda: anatomy._without_tails("1" * N + "x"),
    "end of a run of names": _search(anatomy._NAME_RUN_END, SPACES + "x"),
    "names split": _split(anatomy._NAME_SPLIT, SPACES),
    "runs of separators": lambda: anatomy._RUNS_OF_SEPARATORS.sub(" ", SPACES + "|x"),
    "someone et al., capitals": _search(anatomy._SOMEONE_ET_AL, "A" * N),
    "someone et al., capitals after digits": _search(anatomy._SOMEONE_ET_AL, "A1" * (N // 2)),
    "space before a stop": lambda: anatomy._SPACE_BEFORE_STOP.sub(r"\1", SPACES + "x"),
    "dash before a description": lambda: anatomy._DASH.split(SPACES + "x", maxsplit=1),
    "separators at the end": lambda: anatomy._SEPARATORS.sub("", "a" + " -" * (N // 2) + "x"),
    # extract: the reading every source shares.
    "separators stripped": lambda: extract.strip_separators("a" + " -" * (N // 2) + "x"),
    "year in parentheses": lambda: extract.year_in_parentheses(SPACES + "x"),
    "remark in a header": lambda: extract.without_remarks("(" * N),
    "column role of a header": lambda: readme_table.column_role("(" * N),
    # titles: the merge's keys.
    "year after a title, a venue's capitals": lambda: titles.normalise_title("(" + "A" * N),
    "year after a title, spaces": lambda: titles._YEAR_AFTER.sub("", SPACES + "x"),
    "by and names": _search(titles._BY_NAMES, SPACES + "x"),
    "subtitle": _search(titles._SEGMENT, SPACES + "x"),
    # sources.
    "pipe-joined names": _all(readme_table._LIST_SEPARATOR, "a" + SPACES + "b"),
    "legend split": _split(gist._LEGEND_SPLIT, SPACES),
    "gist authors split": _split(gist._AUTHOR_SPLIT, SPACES),
    "gist et al.": _search(gist._ET_AL, SPACES + "x"),
    "not a name": _search(gist._NOT_A_NAME, "|" * N),
    "literal bold": _all(nested_list._LITERAL_EMPHASIS, "*" * N),
    "literal underline": _all(nested_list._LITERAL_EMPHASIS, "_" * N),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_a_pattern_reads_100_kb_in_well_under_a_second(case: Callable[[], object]) -> None:
    started = time.perf_counter()
    case()
    elapsed = time.perf_counter() - started
    assert elapsed < BOUND, f"took {elapsed:.2f} s"


def test_the_linear_patterns_find_what_they_found() -> None:
    """The rewritten patterns match where the old ones did."""
    names = anatomy._NAME_SPLIT.split("Ann Lee ,  Bob and Cy &Di")
    assert names == ["Ann Lee", "Bob", "Cy", "Di"]
    assert readme_table._LIST_SEPARATOR.split("a | b||c  ·  d") == ["a", "b", "", "c", "d"]
    assert gist._LEGEND_SPLIT.split("🟢 = easy , 🟠 = hard;x") == ["🟢 = easy", "🟠 = hard", "x"]
    assert anatomy._SOMEONE_ET_AL.search("a framework, Wu Li et al. 2023").group(1) == "Wu Li"
    assert anatomy._SOMEONE_ET_AL.search("see 张三 et al.").group(1) == "张三"
    assert extract.strip_separators(" - Title - ") == "Title"
    assert extract.year_in_parentheses("Title  (2018)") == ("Title", 2018)
    for header in ("Year (first (release)) x", "a (b\nc) d", "((x", "(a)(b) c ( d", ""):
        assert extract.without_remarks(header) == re.sub(r"\(.*?\)", "", header)
    assert titles.normalise_title("Deep Nets (NeurIPS 2020)") == "deep nets"
    assert titles.normalise_title("Attention, by Ann Lee") == "attention"
    (match,) = nested_list._LITERAL_EMPHASIS.finditer("x ***NEW*** y")
    assert match.group(1) == "NEW"
    apa = anatomy._APA.match("Smith, J. (2020). A title. Journal.")
    assert apa is not None and apa.group("authors") == "Smith, J."


#: Bare URLs that run together on one line: linkify-it read the rest of the line again from
#: each "http://", 5 s for 72 KB of ``http://a.example/(``.
RUN_TOGETHER = ["http://a.example/(", "http://a.example/[", "http://a.example/{"]
RUN_TOGETHER += ["http://a.example/?q=(", "[a](http://a.example/", "https://a.example/)"]


@pytest.mark.parametrize("unit", RUN_TOGETHER)
def test_bare_urls_that_run_together_are_read_in_well_under_a_second(unit: str) -> None:
    from awesomerge.markdown import parse_markdown

    # A ratio within one run, not a time: ten times the text takes about ten times as long
    # when the reading is linear, a hundred when it is quadratic, whatever the machine's load
    # (the small run's time is floored: a few hundredths of a second are mostly noise).
    for prefix in ("", "- "):
        seconds = []
        for count in (N // len(unit) // 10, N // len(unit)):
            started = time.perf_counter()
            tree = parse_markdown(prefix + unit * count + "\n")
            seconds.append(time.perf_counter() - started)
            assert any(block.inline.links for block in tree.blocks)  # type: ignore[union-attr]
        small, large = seconds
        assert large < 4 * BOUND, f"took {large:.2f} s"
        assert large < 30 * max(small, 0.05), f"{small:.2f} s, then {large:.2f} s"

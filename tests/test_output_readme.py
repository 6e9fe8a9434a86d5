"""The readme output: README.md passes awesome-lint, reads back to the same entries, keeps
hostile text inert, and files every entry once under a Contents that matches its headings."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest

from awesomerge.api import Collection
from awesomerge.build import BuildResult, build
from awesomerge.markdown import ListItem, parse_markdown
from awesomerge.models import Dataset, Entry, Occurrence, RelatedLink, SourceRecord
from awesomerge.outputs.readme_markdown import (
    Slugger,
    code_span,
    destination,
    heading_name,
    inline,
    quotes_balance,
    title_case,
)
from awesomerge.outputs.readme_output import ReadmeOptions, ReadmeOutput
from awesomerge.plugins import Plugins

from .conftest import DATA, INPUTS, ROOT, require_tool

CASES = DATA / "outputs" / "readme"
REPOSITORY_RULES = {"awesome-github", "awesome-contributing"}
_REPORT_LINE = re.compile(r"^\s*(✖|⚠)\s+(\d+):(\d+)\s+(.*?)\s+(?:remark-lint:)?([\w-]+)\s*$")


@pytest.fixture(scope="module")
def seeds(plugins: Plugins) -> BuildResult:
    return build([str(INPUTS)], plugins)


def render(dataset: Dataset, **options: object) -> str:
    return ReadmeOutput(ReadmeOptions.model_validate(options)).render(Collection(dataset))


# awesome-lint, run as a user would: on README.md, in its folder, outside any git repository.


def awesome_lint(folder: Path, text: str) -> tuple[int, list[str], list[str]]:
    """Exit status, error rule ids and warning rule ids of awesome-lint on `text`."""
    program = require_tool("awesome-lint")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "README.md").write_text(text, encoding="utf-8")
    # Keep git from finding a repository above the folder: awesome-github would ask GitHub.
    environment = {**os.environ, "GIT_CEILING_DIRECTORIES": str(folder.parent), "NO_COLOR": "1"}
    completed = subprocess.run(
        [program, "README.md"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=180,
        env=environment,
        check=False,
    )
    errors, warnings = [], []
    for line in completed.stdout.splitlines():
        match = _REPORT_LINE.match(line)
        if match:
            (errors if match[1] == "✖" else warnings).append(match[5])
    problems = [line for line in completed.stdout.splitlines() if "✖" in line or "⚠" in line]
    assert len(problems) == len(errors) + len(warnings), completed.stdout
    return completed.returncode, errors, warnings


def test_seeds_readme_passes_awesome_lint(seeds: BuildResult, tmp_path: Path) -> None:
    status, errors, warnings = awesome_lint(tmp_path / "out", render(seeds.dataset))
    assert (status, errors) == (0, [])
    # Only the spelling of names as the lists wrote them ("Youtube"), which is a warning.
    assert set(warnings) <= {"awesome-spell-check"}


def test_the_disabled_rules_fail_only_for_want_of_a_repository(
    seeds: BuildResult, tmp_path: Path
) -> None:
    """Without the first-line comment, exactly the rules it names fail, and nothing else."""
    plain = render(seeds.dataset)
    first, rest = plain.split("\n", 1)
    assert first == "<!--lint disable awesome-github awesome-contributing awesome-badge-->"
    status, errors, _ = awesome_lint(tmp_path / "plain", rest)
    assert status == 1
    assert sorted(errors) == sorted(REPOSITORY_RULES | {"awesome-badge"})

    badged = render(seeds.dataset, badge=True)
    first, rest = badged.split("\n", 1)
    assert first == "<!--lint disable awesome-github awesome-contributing-->"
    assert "[![Awesome](https://awesome.re/badge.svg)](https://awesome.re)" in rest
    status, errors, _ = awesome_lint(tmp_path / "badge", rest)
    assert (status, sorted(errors)) == (1, sorted(REPOSITORY_RULES))
    status, errors, _ = awesome_lint(tmp_path / "badge-whole", badged)
    assert (status, errors) == (0, [])


def test_hostile_and_golden_readmes_pass_awesome_lint(tmp_path: Path) -> None:
    for name, text in (("hostile", render(hostile_dataset())), ("small", golden("small"))):
        status, errors, warnings = awesome_lint(tmp_path / name, text)
        assert (name, status, errors) == (name, 0, [])
        assert set(warnings) <= {"awesome-spell-check"}


def test_awesome_lint_catches_a_broken_readme(seeds: BuildResult, tmp_path: Path) -> None:
    """The lint runs for real: the same link twice and a lower-case description are errors."""
    text = render(seeds.dataset)
    text += "\n- [Twice](https://arxiv.org/abs/1706.03762) - again.\n"
    status, errors, _ = awesome_lint(tmp_path, text)
    assert status == 1
    assert {"double-link", "awesome-list-item"} <= set(errors)


# Reading the README back.


def test_round_trip_gives_the_same_entry_urls(
    seeds: BuildResult, plugins: Plugins, tmp_path: Path
) -> None:
    path = tmp_path / "README.md"
    path.write_text(render(seeds.dataset), encoding="utf-8")
    again = build([str(path)], plugins)
    assert again.report.rejected == []
    assert {entry.url for entry in again.dataset.entries} == {
        entry.url for entry in seeds.dataset.entries
    }


def test_the_cli_writes_readme_with_a_title_flag(tmp_path: Path) -> None:
    command = ["awesomerge", "build", "inputs/", "-o", str(tmp_path), "--write", "readme"]
    completed = subprocess.run(
        [*command, "--readme-title", "awesome LLM resources"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    lines = (tmp_path / "README.md").read_text(encoding="utf-8").splitlines()
    assert lines[2] == "# Awesome LLM Resources"


# Structure, checked on the seeds.


def items_by_url(text: str) -> dict[str, list[ListItem]]:
    """The list items outside Contents, by the URL of their first link."""
    found: dict[str, list[ListItem]] = {}
    for block in parse_markdown(text).blocks:
        if isinstance(block, ListItem) and block.section != "Contents" and block.inline.links:
            found.setdefault(block.inline.links[0].url, []).append(block)
    return found


def test_each_entry_is_listed_once_with_how_many_lists_hold_it(seeds: BuildResult) -> None:
    text = render(seeds.dataset)
    items = items_by_url(text)
    entries = seeds.dataset.entries
    assert sorted(items) == sorted(entry.url for entry in entries)
    assert all(len(found) == 1 for found in items.values())
    for entry in entries:
        lists = len({occurrence.source for occurrence in entry.occurrences})
        item_text = items[entry.url][0].inline.plain
        assert (f"Listed in {lists} lists." in item_text) == (lists > 1), item_text
        assert "Listed in 1 list" not in item_text


def test_known_seed_entries(seeds: BuildResult) -> None:
    """Read off the seeds: the Transformer paper is in the table list and the references;
    GPT-3's paper is in four of the five lists."""
    items = items_by_url(render(seeds.dataset))
    (attention,) = items["https://arxiv.org/abs/1706.03762"]
    assert attention.section == "Known LLM Models Classified by Year"
    assert attention.inline.plain.startswith("Attention Is All You Need - Transformer: The focus")
    assert attention.inline.plain.endswith(" 2017. Listed in 2 lists.")
    (gpt3,) = items["https://arxiv.org/abs/2005.14165"]
    assert "Listed in 4 lists." in gpt3.inline.plain


def test_title_and_contents_match_the_headings(seeds: BuildResult) -> None:
    lines = render(seeds.dataset).splitlines()
    assert lines[2] == "# Awesome Merged List"
    assert [line for line in lines if line.startswith("# ")] == [lines[2]]
    contents_at = lines.index("## Contents")
    assert [line for line in lines[:contents_at] if line.startswith("#")] == [lines[2]]
    contents, headings = [], []
    for line in lines[contents_at + 1 :]:
        toc = re.fullmatch(r"( *)- \[(.*)\]\(#(.*)\)", line)
        if toc and not headings:
            contents.append((len(toc[1]) // 2 + 2, toc[2], toc[3]))
        heading = re.fullmatch(r"(#{2,3}) (.*)", line)
        if heading:
            headings.append((len(heading[1]), heading[2]))
    assert [(level, text) for level, text, _ in contents] == headings
    anchors = [anchor for _, _, anchor in contents]
    assert len(set(anchors)) == len(anchors)
    top = [text for level, text in headings if level == 2]
    # Equivalent headings of several lists are one section; the catch-all "References" is
    # split by kind; a front-matter category is never a section while a heading says more.
    assert {"Articles", "Papers", "Videos", "Link Collections"} <= set(top)
    assert not {"Blog Articles", "Research Papers", "Blog", "Other"} & set(top)
    # The order is the lists' own, not the alphabet's: the table list's year, size, name.
    by_year, by_size, by_name = (
        top.index(f"Known LLM Models Classified by {word}") for word in ("Year", "Size", "Name")
    )
    assert by_year < by_size < by_name
    assert top != sorted(top)


def test_renders_are_identical(seeds: BuildResult, plugins: Plugins) -> None:
    first = render(seeds.dataset)
    assert render(seeds.dataset) == first
    assert render(build([str(INPUTS)], plugins).dataset) == first


# A golden file, written by hand from the dataset beside it.


def golden(name: str) -> str:
    data = json.loads((CASES / f"{name}.json").read_text(encoding="utf-8"))
    return render(Dataset.model_validate(data))


@pytest.mark.parametrize("name", sorted(path.stem for path in CASES.glob("*.json")))
def test_golden(name: str) -> None:
    assert golden(name) == (CASES / f"{name}.md").read_text(encoding="utf-8")


# Hostile text.

HOSTILE = (
    "]) [x](https://evil.example/) | <script>alert(1)</script> `code` *em* _u_ # \\ "
    "@user a@b.org $x$ & ~ ^ { } %"
)


def _entry(
    number: int, url: str, title: str, description: str | None, *categories: str, **fields: object
) -> Entry:
    sources = fields.pop("sources", ("a",))
    assert isinstance(sources, tuple)
    occurrences = [
        Occurrence(source=source, url=url, title=title, section=None, line=number)
        for source in sources
    ]
    return Entry.model_validate(
        {"id": f"e{number}", "url": url, "title": title, "description": description}
        | {"kind": "website", "categories": list(categories), "occurrences": occurrences}
        | fields
    )


def hostile_dataset() -> Dataset:
    entries = [
        _entry(1, "https://example.com/a", "Normal title", "A fine description.", "Tools"),
        _entry(2, "https://example.com/b", HOSTILE, HOSTILE + "\nsecond\r\nthird", "T > <b>B</b>"),
        _entry(3, "javascript:alert(1)", "Click [me](javascript:alert(1))", "Bad link", "Tools"),
        _entry(4, "data:text/html,<script>alert(1)</script>", "- not a nested list", None),
        _entry(5, "https://example.com/a b/(c)", "Spaces (parens)", 'Wow!! So?? "hi', "Weird"),
        _entry(6, "https://example.com/c", "https://example.com/c", "www.example.org a@b.org"),
        _entry(
            7,
            "https://example.com/d",
            "漢字",
            "日本語の説明",
            "日本語",
            year=2023,
            authors=["山田 太郎", "<img src=x>"],
            tags=["easy", "*bold*"],
        ),
        _entry(8, "https://example.com/e", "שלום \u202eevil", "ثبت نام", "RTL", sources=("a", "b")),
        _entry(
            9,
            "https://example.com/f",
            "Emoji 🎉",
            "🔥🔥",
            "License",
            related=[
                RelatedLink(title="code", url="https://example.com/code"),
                RelatedLink(title="bad", url="javascript:x"),
            ],
        ),
        _entry(10, "https://example.com/g", "Paper", None, "Contents", kind="paper"),
        _entry(11, "https://example.com/h", "Über", "über cool", "contributing"),
        _entry(12, "`https://example.com/i`", "https://x.example/t", None, "Tools"),
        _entry(13, 'https://example.com/j?q={x}&r=%41#f"', "Query {x}", "Has % and #.", "Tools"),
        _entry(14, "https://例え.jp/パス", "Non-ASCII URL", "Ünïcödé.", "Tools"),
        _entry(15, "relative/path.html", "Relative", "Relative link.", "Tools > Sub > Deep"),
        _entry(16, "ftp://files.example/x", "1. not ordered", "No list opens.", "Tools"),
    ]
    sources = [
        SourceRecord(
            id="a",
            path="a.md",
            format="markdown",
            title="A [x](javascript:y)",
            metadata={"url": "https://lists.example/a"},
            sha256="0" * 64,
        ),
        SourceRecord(
            id="b",
            path="b`.md",
            format="markdown",
            title="B `list`",
            metadata={"url": "javascript:alert(1)"},
            sha256="1" * 64,
        ),
    ]
    return Dataset(sources=sources, entries=entries)


def test_hostile_text_makes_no_links_html_or_extra_items() -> None:
    text = render(hostile_dataset())
    tree = parse_markdown(text)
    links = {
        link.url
        for block in tree.blocks
        for link in block.inline.links
        if not link.url.startswith("#")
    }
    assert links == {
        "https://lists.example/a",
        "https://example.com/a",
        "https://example.com/b",
        "https://example.com/a%20b/(c)",
        "https://example.com/c",
        "https://example.com/d",
        "https://example.com/e",
        "https://example.com/f",
        "https://example.com/code",
        "https://example.com/g",
        "https://example.com/h",
        'https://example.com/j?q={x}&r=%41#f"',
        "https://例え.jp/パス",
    }
    assert all(not block.inline.html_tags and not block.inline.images for block in tree.blocks)
    items = [block for block in tree.blocks if isinstance(block, ListItem)]
    entries = [item for item in items if item.section != "Contents"]
    assert len(entries) == 16
    assert all(item.depth == 0 and not item.extra for item in entries)
    # One line each: no text broke out of its item.
    contents_end = text.index("\n\n## ", text.index("## Contents"))
    assert sum(line.startswith("- ") for line in text[contents_end:].splitlines()) == 16


def test_hostile_titles_read_back_as_written() -> None:
    items = items_by_url(render(hostile_dataset()))
    (hostile,) = items["https://example.com/b"]
    assert hostile.inline.links[0].text == HOSTILE
    assert hostile.inline.plain.endswith(f"Website: {HOSTILE} second third.")
    (rtl,) = items["https://example.com/e"]
    assert rtl.inline.links[0].text == "שלום evil"  # the override is dropped
    assert "Listed in 2 lists." in rtl.inline.plain


def test_unlinkable_entries_are_text_with_their_address_in_code() -> None:
    text = render(hostile_dataset())
    assert "- Click \\[me\\](javascript:alert(1)) (not a web link: `javascript:alert(1)`)" in text
    assert "- \\- not a nested list (not a web link: `data:text/html," in text
    assert "- 1\\. not ordered (not a web link: `ftp://files.example/x`) - No list opens." in text
    assert "- Entry `https://x.example/t` (not a web link: `` `https://example.com/i` ``)" in text
    assert "- Relative (not a web link: `relative/path.html`) - Website: Relative link." in text
    assert "Related: [code](https://example.com/code), bad (`javascript:x`)." in text


def test_reserved_and_punctuated_section_names() -> None:
    text = render(hostile_dataset())
    for heading in ("## Contents Links", "## Contributing Links", "## License Links"):
        assert heading in text.splitlines()
    assert "### \\<b\\>B\\</b\\>" in text.splitlines()
    assert "### Sub \\> Deep" in text.splitlines()


# The Markdown helpers.


def test_inline_escapes_markup_and_shows_addresses_in_code() -> None:
    assert inline(HOSTILE) == (
        "\\]) \\[`x](https://evil.example/)` \\| \\<script\\>alert(1)\\</script\\> \\`code\\` "
        "\\*em\\* \\_u\\_ \\# \\\\ \\@user `a@b.org` \\$x\\$ \\& \\~ \\^ \\{ \\} %"
    )
    assert inline("See (https://a.example/b_(c)).") == "See (`https://a.example/b_(c)`)."
    assert inline("Wow!! Really??") == "Wow`!!` Really`??`"
    assert inline('He said "hi') == 'He said `"`hi'
    assert inline("line\nbreak\u202e\x00") == "line break"


def test_quotes_balance_as_awesome_lint_counts_them() -> None:
    assert quotes_balance('He said "hi" and “bye”.')
    assert quotes_balance("Don’t worry, it’s the students’ books.")
    assert not quotes_balance('He said "hi')
    assert not quotes_balance("「open")
    assert not quotes_balance("close”")
    # awesome-lint reads a ’ after a letter as an apostrophe, so ‘this’ never closes.
    assert not quotes_balance("He said ‘bye’.")
    assert inline("He said ‘bye’.") == "He said `‘`bye’."


def test_code_span_fences_its_backticks() -> None:
    assert code_span("a`b") == "``a`b``"
    assert code_span("`x") == "`` `x ``"
    assert code_span("plain") == "`plain`"


def test_destination_keeps_parentheses_and_encodes_spaces() -> None:
    assert destination("https://a.example/x") == "https://a.example/x"
    assert destination("https://a.example/a b") == "https://a.example/a%20b"
    assert destination("https://a.example/(x)") == "<https://a.example/(x)>"
    assert destination("https://a.example/<x>\\") == "<https://a.example/\\<x\\>\\\\>"


def test_headings_are_title_cased_without_closing_punctuation() -> None:
    assert title_case("known LLM models classified by year") == (
        "Known LLM Models Classified by Year"
    )
    assert title_case("random fun/interesting applications") == (
        "Random Fun/Interesting Applications"
    )
    assert heading_name("Know their limitations!") == "Know Their Limitations"
    assert heading_name("What's so special about HuggingFace?") == (
        "What's So Special About HuggingFace"
    )
    assert heading_name("license") == "License Links"
    assert heading_name(" ?! ") == "Untitled"


def test_slugs_follow_github_slugger() -> None:
    slugger = Slugger()
    slugs = [
        slugger.slug(heading)
        for heading in (
            "Blogs & Learning Resources",
            "(Local) Model Comparisons and Rankings",
            "What's So Special About HuggingFace",
            "日本語",
            "References",
            "References",
            "Ⓐ circled",
            "café ☕",
            "CONVFINQ - Oct 2022",
            "Emoji 🎉 ✔️",
        )
    ]
    assert slugs == [
        "blogs--learning-resources",
        "local-model-comparisons-and-rankings",
        "whats-so-special-about-huggingface",
        "日本語",
        "references",
        "references-1",
        "ⓐ-circled",
        "café-",
        "convfinq---oct-2022",
        "emoji--",
    ]


def test_a_paper_shows_its_authors_venue_and_year_and_no_label_title(tmp_path: Path) -> None:
    from awesomerge.testing import build_lists

    built = build_lists(
        tmp_path,
        {
            "papers.md": "# Papers\n\n## Reasoning\n\n"
            "- **Chain-of-Thought Prompting Elicits Reasoning in Large Language Models**"
            " *Jason Wei, Xuezhi Wang, et al.* NeurIPS 2022"
            " [[Paper]](https://arxiv.org/abs/2201.11903) [[Code]](https://github.com/o/cot)\n"
        },
        write=["readme"],
    )
    readme = (built.output / "README.md").read_text(encoding="utf-8")
    (line,) = [line for line in readme.splitlines() if "2201.11903" in line]
    assert line.startswith(
        "- [Chain-of-Thought Prompting Elicits Reasoning in Large Language Models]"
        "(https://arxiv.org/abs/2201.11903)"
    )
    assert "Jason Wei, Xuezhi Wang et al., NeurIPS 2022." in line
    assert "[Code](https://github.com/o/cot)" in line
    assert "others" not in line

"""Any input, bounded: hostile Markdown and HTML lose no link and take time in proportion.

Each case is written in more than one style of list (a plain awesome-list, a table, a nested
list, an HTML block): a rule that holds for one style only is a defect. Sizes are about 100 KB,
and each must be read in well under a second.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import TypeVar

import pytest

from awesomerge.document import Document
from awesomerge.html_blocks import html_to_markdown
from awesomerge.markdown import ListItem, MarkdownTree, parse_markdown
from awesomerge.models import ParseResult
from awesomerge.plugins import Plugins

T = TypeVar("T")

#: The time a 100 KB hostile input may take: well under a second, with room for a busy machine.
BOUND = 1.0

_URL = re.compile(r"https?://[^\s\"'<>()\[\]|`]+")


def quickly(function: Callable[[], T], bound: float = BOUND) -> T:
    started = time.perf_counter()
    result = function()
    elapsed = time.perf_counter() - started
    assert elapsed < bound, f"took {elapsed:.2f} s"
    return result


def parsed(plugins: Plugins, text: str, source: str = "markdown") -> ParseResult:
    return plugins.sources[source].parse(Document("hostile.md", text))


def kept(result: ParseResult) -> set[str]:
    """Every URL the result keeps: items, their related links, the source's prose links."""
    urls = {item.url for item in result.items}
    urls |= {link.url for item in result.items for link in item.related}
    return urls | {link.url for link in result.links}


def written(text: str) -> set[str]:
    """Every http(s) URL written in a text, as a reader copies it."""
    return {match.group().rstrip(".,;:*_") for match in _URL.finditer(text)}


def tree_urls(tree: MarkdownTree) -> list[str]:
    urls = [link.url for block in tree.blocks for part in _inlines(block) for link in part.links]
    return urls + [link.url for link in tree.loose_links + tree.unused_references]


def _inlines(block: object) -> list[object]:
    cells = getattr(block, "cells", None)
    if cells is not None:
        return list(cells)
    return [block.inline, *getattr(block, "extra", ())]  # type: ignore[attr-defined]


# HTML that never closes: one pass, whatever is left open.

UNCLOSED_HTML = {
    "anchor without quotes closed": '<a href="https://x.example/a ',
    "anchor attribute without value": "<a href=",
    "tag opened again and again": "<a ",
    "tag names": "<x",
    "single quote never closed": "<a b='",
    "comment": "<!-- ",
    "comment with words": "<!-- x ",
    "processing instruction": "<?x ",
}


@pytest.mark.parametrize("unit", UNCLOSED_HTML.values(), ids=UNCLOSED_HTML.keys())
def test_unclosed_html_of_100_kb_is_read_in_well_under_a_second(unit: str) -> None:
    html = "<div>\n" + unit * (100_000 // len(unit)) + "\n"
    quickly(lambda: html_to_markdown(html))
    quickly(lambda: parse_markdown("# List\n\n## Links\n\n" + html))


def test_an_unclosed_comment_hides_no_link(plugins: Plugins) -> None:
    # A browser hides what follows "<!--" to the end; a reader of the source sees the links.
    text = (
        "# List\n\n## Tools\n\n- [A](https://a.example/) - first\n"
        "<!-- TODO\n\n- [B](https://b.example/) - second\n"
    )
    assert kept(parsed(plugins, text)) == {"https://a.example/", "https://b.example/"}
    block = (
        '<div>\n<a href="https://c.example/">C</a> <!-- open\n<a href="https://d.example/">D</a>\n'
    )
    assert kept(parsed(plugins, "# List\n\n## Tools\n\n" + block)) == {
        "https://c.example/",
        "https://d.example/",
    }


UNCLOSED_ANCHORS = {
    "in a paragraph": 'See <a href="https://x.example/a">the guide for it\n',
    "in a bullet": '- <a href="https://x.example/a">Guide - what it is\n',
    "in an HTML block": '<div>\n<a href="https://x.example/a">Guide\n</div>\n',
    "in an HTML list": '<ul>\n<li><a href="https://x.example/a">Guide\n</ul>\n',
    "in a table": '| Name | About |\n|---|---|\n| <a href="https://x.example/a">Guide | x |\n',
    "a second one opened": (
        'See <a href="https://x.example/a">one and <a href="https://x.example/b">two\n'
    ),
    "a second one in a block": (
        '<p>\n<a href="https://x.example/a">one <a href="https://x.example/b">two\n</p>\n'
    ),
}


@pytest.mark.parametrize("source", ["markdown", "readme-table", "nested-list", "gist"])
@pytest.mark.parametrize("text", UNCLOSED_ANCHORS.values(), ids=UNCLOSED_ANCHORS.keys())
def test_an_anchor_never_closed_keeps_its_link(plugins: Plugins, text: str, source: str) -> None:
    document = "# List\n\n## Guides\n\n" + text
    assert kept(parsed(plugins, document, source)) == written(text)
    # In the tree itself, each link is a link: not a URL found again in the source text.
    assert sorted(set(tree_urls(parse_markdown(document)))) == sorted(written(text))


def test_an_anchor_inside_another_ends_it() -> None:
    tree = parse_markdown('See <a href="https://x.example/a">one <a href="https://x.example/b">two')
    (paragraph,) = tree.blocks
    assert [(link.text, link.url) for link in paragraph.inline.links] == [
        ("one ", "https://x.example/a"),
        ("two", "https://x.example/b"),
    ]


# URLs in attributes other than an anchor's href.

MEDIA = (
    '<iframe src="https://www.youtube.com/embed/abc123"></iframe>\n'
    '<video src="https://v.example/talk.mp4" poster="https://v.example/poster.png">'
    '<source src="https://v.example/talk.webm"><track src="https://v.example/talk.vtt"></video>\n'
    '<embed src="https://v.example/demo.swf">\n'
    '<object data="https://v.example/slides.pdf"></object>\n'
    '<map><area href="https://v.example/region" alt="Region"></map>\n'
    '<picture><source srcset="https://v.example/wide.png"><img src="https://v.example/logo.png">'
    "</picture>\n"
)
MEDIA_LINKS = {
    "https://www.youtube.com/embed/abc123",
    "https://v.example/talk.mp4",
    "https://v.example/talk.webm",
    "https://v.example/talk.vtt",
    "https://v.example/demo.swf",
    "https://v.example/slides.pdf",
    "https://v.example/region",
}


@pytest.mark.parametrize("source", ["markdown", "readme-table", "nested-list", "blog-post"])
def test_urls_in_media_attributes_are_links(plugins: Plugins, source: str) -> None:
    block = "# Talks\n\n## Videos\n\n<details>\n<summary>Videos</summary>\n\n" + MEDIA
    result = parsed(plugins, block + "</details>\n", source)
    # Images (src of <img>, srcset, poster) stay out, as the contract leaves images out.
    assert kept(result) == MEDIA_LINKS
    inline = "# Talks\n\n## Videos\n\n- The talk " + MEDIA.replace("\n", " ") + "\n"
    assert kept(parsed(plugins, inline, source)) == MEDIA_LINKS


def test_an_attribute_url_inside_a_link_is_written_after_it() -> None:
    tree = parse_markdown(
        '<div><a href="https://x.example/page"><iframe src="https://x.example/embed"></iframe>'
        "Page</a></div>\n"
    )
    links = [(link.text, link.url) for block in tree.blocks for link in block.inline.links]
    assert links == [("Page", "https://x.example/page"), ("https://x.example/embed",) * 2]


def test_nested_details_of_100_kb_are_read_in_well_under_a_second() -> None:
    html = "<details><summary><a href='https://x.example/a'>a</a></summary>\n" * 1600
    tree = quickly(lambda: parse_markdown("# List\n\n## Links\n\n" + html))
    assert len(tree_urls(tree)) == 1600


# Nesting deeper than markdown-it reads.


def _deep_list(depth: int, indent: str = "  ", marker: str = "- ") -> str:
    lines = (f"{indent * d}{marker}[Item {d}](https://deep.example/{d})\n" for d in range(depth))
    return "".join(lines)


def _deep_quote(depth: int, mark: str = ">") -> str:
    lines = (f"{mark * d} [Quote {d}](https://deep.example/{d})\n" for d in range(1, depth + 1))
    return "".join(lines)


DEEP = {
    "bullets": _deep_list(40),
    "numbers": _deep_list(40, "   ", "1. "),
    "tabs": _deep_list(40, "\t"),
    "quotes": _deep_quote(80),
    "spaced quotes": _deep_quote(80, "> "),
    "bullets on one line": "- " * 200 + "[Item](https://deep.example/one)\n",
    "quotes in bullets": "".join(
        f"{'  ' * d}{'> ' if d % 2 else '- '}[Item {d}](https://deep.example/{d})\n"
        for d in range(80)
    ),
    "HTML lists": "<ul>" * 80 + '<li><a href="https://deep.example/html">Deep</a></li>\n',
    "details": "".join(
        f"<details><summary><a href='https://deep.example/{d}'>{d}</a></summary>\n"
        for d in range(40)
    ),
}


@pytest.mark.parametrize("source", ["markdown", "nested-list", "readme-table", "gist"])
@pytest.mark.parametrize("text", DEEP.values(), ids=DEEP.keys())
def test_no_link_nested_too_deep_is_lost(plugins: Plugins, text: str, source: str) -> None:
    result = parsed(plugins, "# Deep\n\n## Items\n\n" + text, source)
    assert kept(result) == written(text)


def test_items_nest_thirty_levels_deep_and_deeper_ones_are_siblings_with_a_warning() -> None:
    tree = parse_markdown(_deep_list(40))
    read = [block for block in tree.of_type(ListItem) if block.inline.links]
    depths = [block.depth for block in read]
    assert depths == [*range(30), *[30] * 10]
    assert not tree.loose_links
    (warning,) = tree.warnings
    assert warning.line == 32 and "lines 32 to 40" in warning.message


def test_a_list_ten_thousand_deep_is_read_in_well_under_a_few_seconds() -> None:
    # 100 MB of indentation: markdown-it alone took a minute over it, and lost all but 9 links.
    text = _deep_list(10_000)
    started = time.perf_counter()
    tree = parse_markdown(text)
    assert time.perf_counter() - started < 4 * BOUND
    assert len(set(tree_urls(tree))) == 10_000


def test_a_quote_ten_thousand_deep_is_read_in_well_under_a_few_seconds() -> None:
    text = _deep_quote(10_000)
    started = time.perf_counter()
    tree = parse_markdown(text)
    assert time.perf_counter() - started < 4 * BOUND
    assert len(set(tree_urls(tree))) == 10_000


def test_shallow_indentation_means_what_it_meant() -> None:
    # A code block inside a list keeps its place: deep indentation is cut only past any nesting.
    text = "- [A](https://a.example/)\n\n" + " " * 300 + "https://code.example/x\n"
    tree = parse_markdown(text)
    assert [link.url for link in tree.loose_links] == ["https://code.example/x"]
    assert not tree.warnings


def test_a_reference_defined_twice_keeps_both_urls(plugins: Plugins) -> None:
    text = (
        "# List\n\n## Tools\n\n- [Tool][tool]\n\n"
        "[tool]: https://first.example/\n[tool]: https://second.example/\n"
    )
    assert kept(parsed(plugins, text)) == {"https://first.example/", "https://second.example/"}


# Cells past the header's last column.

WIDE_ROWS = {
    "links after the last column": (
        "| Name | Paper |\n|---|---|\n"
        "| BERT | [paper](https://arxiv.org/abs/1810.04805) | [code](https://github.com/g/bert)"
        " | https://bert.example/demo |\n"
    ),
    "a row of a table in a quote": (
        "> | Name | Link |\n> |---|---|\n"
        "> | A | [a](https://a.example/) | [b](https://b.example/) |\n"
    ),
    "a header of one column": (
        "| Tools |\n|---|\n| [A](https://a.example/) | [docs](https://a.example/docs) |\n"
    ),
    "only past the last column": (
        "| Name | Year |\n|---|---|\n| X | 2020 | [X](https://x.example/) |\n"
    ),
}


@pytest.mark.parametrize("source", ["markdown", "readme-table", "nested-list", "blog-post"])
@pytest.mark.parametrize("text", WIDE_ROWS.values(), ids=WIDE_ROWS.keys())
def test_links_in_cells_past_the_last_column_are_kept(
    plugins: Plugins, text: str, source: str
) -> None:
    assert kept(parsed(plugins, "# Models\n\n## Table\n\n" + text, source)) == written(text)


def test_cells_past_the_last_column_belong_to_the_rows_item(plugins: Plugins) -> None:
    text = "# Models\n\n## Table\n\n" + WIDE_ROWS["links after the last column"]
    for source in ("markdown", "readme-table"):
        (item,) = parsed(plugins, text, source).items
        assert item.url == "https://arxiv.org/abs/1810.04805"
        assert {link.url for link in item.related} == {
            "https://github.com/g/bert",
            "https://bert.example/demo",
        }


def test_a_row_of_100_kb_of_cells_is_read_in_well_under_a_second(plugins: Plugins) -> None:
    row = "| " + "".join(f"[a](https://x.example/{n}) | " for n in range(3_500)) + "\n"
    text = "# Models\n\n## Table\n\n| Name | Link |\n|---|---|\n" + row
    for source in ("readme-table", "markdown"):
        result = quickly(lambda source=source: parsed(plugins, text, source))
        assert kept(result) == written(row)


# Link reference definitions inside HTML blocks.


@pytest.mark.parametrize(
    "block",
    [
        "<div>[docs]: https://docs.example/</div>\n",
        "<div>\n[docs]: https://docs.example/\n</div>\n",
        "<details><summary>More</summary>\n[docs]: https://docs.example/\n</details>\n",
        "<p>\n[docs]: https://docs.example/ 'The docs'\n</p>\n",
    ],
)
def test_a_reference_defined_inside_an_html_block_is_kept(plugins: Plugins, block: str) -> None:
    result = parsed(plugins, "# List\n\n## Tools\n\n- [A](https://a.example/)\n\n" + block)
    assert kept(result) == {"https://a.example/", "https://docs.example/"}


def test_a_reference_used_inside_an_html_block_is_its_link(plugins: Plugins) -> None:
    # The document's definitions hold inside its HTML blocks, and a block's own hold in it.
    text = (
        "# List\n\n## Tools\n\n<div>\n- [Docs][docs] - the manual\n</div>\n\n"
        "<div>\n[guide]: https://guide.example/\n- [Guide][guide] - how to\n</div>\n\n"
        "[docs]: https://docs.example/\n"
    )
    result = parsed(plugins, text)
    assert {item.url for item in result.items} == {
        "https://docs.example/",
        "https://guide.example/",
    }
    assert not result.links


# One long line: link after link, or one word.


def test_a_line_of_link_after_link_is_read_in_linear_time() -> None:
    # Each link's text was cut from all the text before it: 300 KB took 2 s, 1 MB over 20 s.
    # Half a second per 100 KB here: markdown-it alone takes a quarter.
    for unit in ("[l{n}](https://x.example/{n}) ", '<a href="https://x.example/{n}">l{n}</a> '):
        links = "".join(unit.format(n=number) for number in range(25_000))
        started = time.perf_counter()
        tree = parse_markdown("# List\n\n## Links\n\n" + links)
        assert time.perf_counter() - started < 5 * len(links) / 1_000_000 * BOUND
        assert len(tree_urls(tree)) == 25_000


# What the source plugins read in an item, however many times it is written.

ITEM_SHAPES = {
    "a run of emoji markers": "- " + "🟢" * 25_000 + " [A](https://x.example/a)\n",
    "bold markers": "- [A](https://x.example/a) " + "**AB** " * 14_000 + "\n",
    "HTML markers": "- [A](https://x.example/a) " + "<b>AB</b> " * 10_000 + "\n",
    "bracketed markers": "- [A](https://x.example/a) " + "(NEW) " * 16_000 + "\n",
    "pipes between links": "- " + "[a](https://x.example/a) | " * 3_700 + "\n",
    "spaces in an item": "- [A](https://x.example/a) x" + " " * 100_000 + "x\n",
}
#: Shapes that grew quadratically too, but slowly enough to show only past 100 KB: 200 to 400 KB.
LARGE_ITEM_SHAPES = {
    "bold names posting links": "**Ann posted to [x](https://x.example/a)** and wrote " * 7_700,
    "badge after badge": "- " + "[![b](https://img.example/b.svg)](https://x.example/b) " * 7_200,
    "emphasis inside emphasis": "- " + "*" * 100_000 + "[A](https://x.example/a)" + "*" * 100_000,
    "pipes between names": "- " + "a | " * 100_000 + "\n",
}
SOURCES = ["markdown", "readme-table", "nested-list", "gist", "blog-post", "reference-list"]


def _read_item(plugins: Plugins, text: str, source: str, bound: float) -> None:
    document = Document("hostile.md", "# List\n\n## Items\n\n" + text)
    started = time.perf_counter()
    document.markdown  # noqa: B018 (parsed once, outside the plugin's time)
    # markdown-it's own pace: about half a second per 100 KB of bold runs.
    assert time.perf_counter() - started < 2 * bound
    result = quickly(lambda: plugins.sources[source].parse(document), bound)
    assert kept(result) == written(text) - {"https://img.example/b.svg"}  # images aside


@pytest.mark.parametrize("source", SOURCES)
@pytest.mark.parametrize("text", ITEM_SHAPES.values(), ids=ITEM_SHAPES.keys())
def test_an_item_of_100_kb_is_read_in_well_under_a_second(
    plugins: Plugins, text: str, source: str
) -> None:
    _read_item(plugins, text, source, BOUND)


@pytest.mark.parametrize("source", SOURCES)
@pytest.mark.parametrize("text", LARGE_ITEM_SHAPES.values(), ids=LARGE_ITEM_SHAPES.keys())
def test_an_item_of_400_kb_is_read_in_well_under_four_seconds(
    plugins: Plugins, text: str, source: str
) -> None:
    _read_item(plugins, text, source, 2 * BOUND)


def test_a_source_reads_a_line_of_link_after_link_in_linear_time(plugins: Plugins) -> None:
    links = "".join(f"[l{n}](https://x.example/{n}) " for n in range(30_000))
    for source in ("gist", "nested-list", "markdown"):
        document = Document(
            "hostile.md", "# List\n\n## Links\n\n- [A](https://x.example/) " + links
        )
        started = time.perf_counter()
        result = plugins.sources[source].parse(document)
        assert time.perf_counter() - started < 5 * len(links) / 1_000_000 * BOUND
        assert len(kept(result)) == 30_001


# The list's title heading: its text is the title, its links are kept.

BADGE = "[![Awesome](https://awesome.re/badge.svg)](https://awesome.re)"
TITLES = {
    "a link": ("# [Awesome Things](https://github.com/o/things)", "Awesome Things"),
    "a link in words": (
        "# The [Awesome Things](https://github.com/o/things) list",
        "The Awesome Things list",
    ),
    "a link and a badge": (
        f"# [Awesome Things](https://github.com/o/things) {BADGE}",
        "Awesome Things",
    ),
    "words and a badge": (f"# Awesome Things {BADGE}", "Awesome Things"),
    "a badge in words": (f"# Awesome {BADGE} Things", "Awesome Things"),
    "a setext heading": ("[Awesome Things](https://github.com/o/things)\n===", "Awesome Things"),
}
BODIES = {
    "bullets": "## Tools\n\n- [Tool](https://tool.example/) - what it does.\n",
    "a table": "## Models\n\n| Name | Paper |\n|---|---|\n| M | [p](https://arxiv.org/abs/1) |\n",
    "a nested list": "- Topic\n  - [Paper](https://paper.example/)\n    - Code: https://c.example/\n",
    "references": "1. Doe, J. (2020). [A paper](https://ref.example/). Journal.\n",
}


@pytest.mark.parametrize("body", BODIES.values(), ids=BODIES.keys())
@pytest.mark.parametrize(("heading", "title"), TITLES.values(), ids=TITLES.keys())
def test_the_title_heading_is_the_title_and_keeps_its_links(
    plugins: Plugins, heading: str, title: str, body: str
) -> None:
    document = Document("hostile.md", f"{heading}\n\n{body}")
    for source in sorted(plugins.sources):
        result = plugins.sources[source].parse(document)
        assert result.title == title, source
        assert kept(result) == written(heading + body) - {"https://awesome.re/badge.svg"}
        links = {link.url: link for link in result.links}
        if "https://github.com/o/things" in links:  # kept as the source's own link
            repository = links["https://github.com/o/things"]
            assert (repository.text, repository.line) == ("Awesome Things", 1)

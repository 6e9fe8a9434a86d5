"""Regression tests for the bugs the fuzzer of whole builds (test_fuzz.py) found, each cut down
to the few lines that show it and written again in other styles of list.

The bugs of HTML blocks it found are tested in test_html_blocks.py.
"""

from __future__ import annotations

import pytest

from awesomerge.document import Document
from awesomerge.markdown import ListItem, parse_markdown
from awesomerge.plugins import Plugins

from .test_hostile_markup import kept, parsed

# An item whose link has no text and that goes on in a second paragraph: the nested-list source
# failed on it (IndexError), and the whole file was rejected.

EMPTY_LINK_ITEMS = {
    "bullet": "- [](https://a.example/)\n\n  more about it\n",
    "numbered": "1. [](https://a.example/)\n\n   more about it\n",
    "under a label": "- Tools\n  - [](https://a.example/)\n\n    more about it\n",
    "image only, no alt": "- [![](logo.png)](https://a.example/)\n\n  more about it\n",
}


@pytest.mark.parametrize("source", ["nested-list", "markdown", "gist"])
@pytest.mark.parametrize("text", EMPTY_LINK_ITEMS.values(), ids=EMPTY_LINK_ITEMS.keys())
def test_an_item_of_a_link_without_text_and_a_second_paragraph_is_read(
    plugins: Plugins, text: str, source: str
) -> None:
    assert "https://a.example/" in kept(parsed(plugins, text, source))


# A URL that cannot be split (an unclosed IPv6 bracket, a port that is no number): the
# reference-list source's detection raised ValueError on it, and the whole file was rejected.

UNSPLITTABLE = ["http://[::1", "https://[fe80::1%eth0]:x/", "http://a.example:port/"]


@pytest.mark.parametrize("url", UNSPLITTABLE)
def test_every_source_detects_and_reads_a_list_with_an_unsplittable_url(
    plugins: Plugins, url: str
) -> None:
    references = "".join(
        f"{n}. A. Author. Paper {n}. In *Venue*, 2020. [pdf](https://papers.example/{n})\n"
        for n in range(1, 12)
    )
    document = Document("list.md", f"# References\n\n{references}12. B. Bad. [pdf]({url})\n")
    for name, source in plugins.sources.items():
        source.detect(document)
        urls = kept(source.parse(document))
        assert url in urls, name


# Lines nested deeper than markdown-it reads are read again for their links; markdown-it drops
# the rest of the document after them, so they are most of what follows.

#: One line nested deeper than MAX_NESTING, in three styles of marker.
DEEP = {
    "bullets": "- " * 40 + "deep\n",
    "numbers": "1. " * 40 + "deep\n",
    "mixed markers": "* 1) + " * 14 + "deep\n",
}


def _deep_links(deep: str, tail: str) -> list[tuple[str, int]]:
    text = deep + tail
    tree = parse_markdown(text)
    lines = text.count("\n") + (not text.endswith("\n"))
    found = [(link.url, link.line) for link in tree.loose_links + tree.unused_references]
    assert all(1 <= line <= lines for _, line in found), f"{lines} lines: {found}"
    assert tree.warnings
    return found


@pytest.mark.parametrize("deep", DEEP.values(), ids=DEEP.keys())
@pytest.mark.parametrize(
    "tail",
    [
        "<br/>\n[a](https://a.example/)\n",  # lazy lines of the deepest item
        "- one<br>two<br>three\n- [a](https://a.example/)\n",
        "- x <br /> y\n  <BR> z [a](https://a.example/)\n",
    ],
    ids=["br alone", "br in an item", "br then a continuation"],
)
def test_a_line_break_tag_in_deep_lines_does_not_move_the_links_after_it(
    deep: str, tail: str
) -> None:
    assert _deep_links(deep, tail) == [("https://a.example/", 3)]


@pytest.mark.parametrize("deep", DEEP.values(), ids=DEEP.keys())
def test_a_tag_written_over_two_deep_lines_counts_both(deep: str) -> None:
    tail = "- <a\n  href='https://b.example/'>b</a>\n- [a](https://a.example/)\n"
    assert _deep_links(deep, tail) == [("https://b.example/", 2), ("https://a.example/", 4)]


@pytest.mark.parametrize("deep", DEEP.values(), ids=DEEP.keys())
@pytest.mark.parametrize(
    ("tail", "expected"),
    [
        (  # a definition among deep items, and a link to it
            "- [b][r]\n- [r]: https://r.example/x\n",
            [("https://r.example/x", 2)],
        ),
        (  # a definition no link uses, with a URL a bare-URL search cannot hold
            "- item\n- [c]: http://[::1]:8080/\n",
            [("http://[::1]:8080/", 3)],
        ),
        (  # numbered items, a definition written with a title
            "1. x\n2. [d]: <https://d.example/a b> 'Title'\n",
            [("https://d.example/a b", 3)],
        ),
        (  # a definition further down, after a heading and blank lines
            "- [see][down]\n\n## Later\n\n[down]: https://down.example/\n",
            [("https://down.example/", 2)],
        ),
    ],
    ids=["used", "unused IPv6", "numbered with title", "further down"],
)
def test_deep_lines_keep_their_reference_definitions(
    deep: str, tail: str, expected: list[tuple[str, int]]
) -> None:
    assert _deep_links(deep, tail) == expected


@pytest.mark.parametrize("deep", DEEP.values(), ids=DEEP.keys())
def test_deep_html_and_fenced_lines_are_read_for_their_links(deep: str) -> None:
    tail = (
        "- <div>\n  <a href='https://h.example/'>h</a>\n"
        "- ```\n- https://f.example/ and [g](https://g.example/)\n"
    )
    assert _deep_links(deep, tail) == [
        ("https://h.example/", 3),
        ("https://f.example/", 5),
        ("https://g.example/", 5),
    ]


def test_deep_lines_of_a_quote_keep_their_definitions(plugins: Plugins) -> None:
    quote = "".join(f"{'>' * depth} level {depth}\n" for depth in range(1, 70))
    text = f"# Deep\n\n{quote}{'>' * 70} [q]: https://q.example/\n"
    assert "https://q.example/" in kept(parsed(plugins, text))


# A list indented deeper than markdown-it nests: its items stay items, siblings at the deepest
# level read, so that markdown-it does not drop the rest of the document.

INDENTED = {
    "bullets": ("  ", "- "),
    "numbers": ("   ", "1. "),
    "tabs": ("\t", "- "),
    "stars, four spaces": ("    ", "* "),
}


@pytest.mark.parametrize(("indent", "marker"), INDENTED.values(), ids=INDENTED.keys())
def test_a_list_indented_too_deep_keeps_its_items_and_what_follows(
    indent: str, marker: str
) -> None:
    deep = "".join(f"{indent * d}{marker}[Item {d}](https://deep.example/{d})\n" for d in range(60))
    text = f"{deep}\n## After\n\n- [After](https://after.example/)\n"
    tree = parse_markdown(text)
    items = [block for block in tree.of_type(ListItem) if block.inline.links]
    assert [item.inline.links[0].url for item in items] == [
        *(f"https://deep.example/{d}" for d in range(60)),
        "https://after.example/",
    ]
    depths = [item.depth for item in items[:60]]
    assert depths[:10] == list(range(10))
    assert depths == sorted(depths) and items[-1].depth == 0 and items[-1].section == "After"
    (warning,) = tree.warnings
    first = depths.index(depths[-1]) + 2  # the first item cut is the deepest's first sibling
    assert warning.line == first and f"lines {first} to 60" in warning.message


# A link in a table's header row: the row was read as column names only, and its links lost.

HEADER_LINKS = {
    "markdown table": (
        "| [Name](https://h.example/name) | Paper |\n|---|---|\n| [A](https://a.example/) | b |\n"
    ),
    "bare URL in the header, no outer pipes": (
        "Name | see https://h.example/name\n--- | ---\n[A](https://a.example/) | b\n"
    ),
    "HTML table": (
        "<table>\n<tr><th><a href='https://h.example/name'>Name</a></th><th>Paper</th></tr>\n"
        "<tr><td><a href='https://a.example/'>A</a></td><td>b</td></tr>\n</table>\n"
    ),
    "in a quote": (
        "> | Name [ref][h] | Paper |\n> |---|---|\n> | [A](https://a.example/) | b |\n\n"
        "[h]: https://h.example/name\n"
    ),
}


@pytest.mark.parametrize("source", ["markdown", "readme-table"])
@pytest.mark.parametrize("table", HEADER_LINKS.values(), ids=HEADER_LINKS.keys())
def test_a_link_in_a_table_header_is_kept(plugins: Plugins, table: str, source: str) -> None:
    urls = kept(parsed(plugins, f"# Papers\n\n## Some\n\n{table}", source))
    assert {"https://h.example/name", "https://a.example/"} <= urls


@pytest.mark.parametrize(
    ("code", "url"),
    [
        ("<a href='https://a.example/x>y'>text</a>", "https://a.example/x>y"),
        ('<img src="https://a.example/i.png?w=1>2" alt=x>', "https://a.example/i.png?w=1>2"),
        ("<a href='https://a.example/plain'>text</a>", "https://a.example/plain"),
        ("see https://a.example/x>y here", "https://a.example/x"),  # no attribute: GitHub's end
    ],
)
def test_a_url_in_a_tag_written_in_indented_code_is_its_whole_attribute(
    code: str, url: str
) -> None:
    # Found by the fuzzer: a tag in an indented block (read as code) gave the URL up to its `>`.
    text = f"# List\n\nSome text.\n\n    {code}\n"
    tree = parse_markdown(text)
    assert [link.url for link in tree.loose_links] == [url]

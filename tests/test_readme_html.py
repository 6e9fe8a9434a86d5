"""The merged README as a reader sees it: rendered to HTML (by pandoc's GitHub reader, and by
markdown-it's GitHub-like preset), then read with an HTML parser, on the seeds and the corpus.

A reader sees a Contents list whose entries are the headings below it, in order, each linking
to its heading; each resource once, as one list item that opens with a working link; no made-up
text and no placeholder where a title should be; no empty section.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from awesomerge.api import Collection
from awesomerge.build import BuildResult, build
from awesomerge.outputs.readme_output import ReadmeOutput
from awesomerge.plugins import Plugins

from .conftest import INPUTS, require_tool
from .gold import CORPUS

#: What a list never wrote and a reader must not see: the filler the README once made up from
#: an entry's kind, and placeholders. Written here, not taken from the program.
FILLER = re.compile(
    r"^(?:Article|Document|Website|Post|Video|Dataset|Model|Resource|Entry|Code repository"
    r"|Paper)(?: on (?:arXiv|GitHub|YouTube))?\.?$"
)
PLACEHOLDERS = frozenset({"untitled", "here", "link", "click here", "paper", "code", "pdf"})
_VOID = frozenset({"br", "hr", "img", "input", "meta", "link", "col", "source", "wbr"})


@dataclass
class Node:
    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Node | str] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The text a reader sees, its whitespace as a browser collapses it."""
        return " ".join(self.raw_text.split())

    @property
    def raw_text(self) -> str:
        return "".join(c if isinstance(c, str) else c.raw_text for c in self.children)

    def elements(self) -> list[Node]:
        return [child for child in self.children if isinstance(child, Node)]

    def find_all(self, tag: str) -> list[Node]:
        found = []
        for child in self.elements():
            if child.tag == tag:
                found.append(child)
            found.extend(child.find_all(tag))
        return found


class TreeBuilder(HTMLParser):
    """A tree of the HTML's elements; entities are decoded, as a browser shows them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("root")
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {name: value or "" for name, value in attrs})
        self.stack[-1].children.append(node)
        if tag not in _VOID:
            self.stack.append(node)

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            return
        for index in range(len(self.stack) - 1, 0, -1):
            if self.stack[index].tag == tag:
                del self.stack[index:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse_html(html: str) -> Node:
    builder = TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


def pandoc_html(markdown: str) -> str:
    pandoc = require_tool("pandoc")
    completed = subprocess.run(
        [pandoc, "--from", "gfm", "--to", "html", "--wrap=none"],
        input=markdown,
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    return completed.stdout


def markdown_it_html(markdown: str) -> str:
    return MarkdownIt("gfm-like").render(markdown)


@dataclass
class Reading:
    """What a reader of the rendered README finds."""

    contents: list[tuple[int, str, str]]
    """Each Contents entry: its level (2 or 3), its text and the anchor it links to."""
    headings: list[tuple[int, str, str]]
    """Each heading after Contents: level, text, id (empty where the renderer gives none)."""
    items: dict[str, list[str]]
    """Each list item after Contents, by section: its first link's text."""
    links: list[tuple[str, str, str]]
    """Each item's first link: href, text, and the item's description (the text after the
    link, without the byline in emphasis)."""
    empty: list[str]
    """Headings with neither items nor sub-headings under them."""


def read(html: str) -> Reading:
    body = parse_html(html)
    blocks = body.elements()
    at = next(i for i, n in enumerate(blocks) if n.tag == "h2" and n.text.strip() == "Contents")
    contents = []
    for item in blocks[at + 1].elements():
        contents.append((2, item.find_all("a")[0].text, item.find_all("a")[0].attrs["href"]))
        for nested in item.find_all("ul"):
            for child in nested.elements():
                anchor = child.find_all("a")[0]
                contents.append((3, anchor.text, anchor.attrs["href"]))
    contents = [(level, text, href.removeprefix("#")) for level, text, href in contents]
    headings, items, links, empty = [], {}, [], []
    current = ""
    for index, block in enumerate(blocks[at + 2 :], start=at + 2):
        if block.tag in ("h2", "h3"):
            current = block.text
            headings.append((int(block.tag[1]), block.text, block.attrs.get("id", "")))
            following = blocks[index + 1] if index + 1 < len(blocks) else None
            deeper = following is not None and block.tag == "h2" and following.tag == "h3"
            if not deeper and (following is None or following.tag != "ul"):
                empty.append(block.text)
        elif block.tag == "ul":
            for item in block.elements():
                assert item.tag == "li"
                first = item.find_all("a")[0] if item.find_all("a") else None
                assert first is not None, f"an item with no link: {item.text!r}"
                items.setdefault(current, []).append(first.text)
                # The description: what follows the link, without the byline in emphasis.
                rest = item.children[item.children.index(first) + 1 :]
                paragraph = [c for c in item.children if isinstance(c, Node) and c.tag == "p"]
                if paragraph:  # a loose list wraps the item in a paragraph
                    rest = paragraph[0].children[paragraph[0].children.index(first) + 1 :]
                while rest and isinstance(rest[-1], Node) and rest[-1].tag == "em":
                    rest = rest[:-1]
                description = Node("span", children=list(rest)).text.removeprefix("- ")
                links.append((first.attrs["href"], first.text, description))
    return Reading(contents, headings, items, links, empty)


@pytest.fixture(scope="module")
def seeds(plugins: Plugins) -> BuildResult:
    return build([str(INPUTS)], plugins)


@pytest.fixture(scope="module")
def corpus(plugins: Plugins) -> BuildResult:
    lists = sorted(str(path) for path in CORPUS.glob("*.md") if path.name != "README.md")
    return build(lists, plugins)


def readme(result: BuildResult) -> str:
    return ReadmeOutput().render(Collection(result.dataset))


@pytest.mark.parametrize("lists", ["seeds", "corpus"])
@pytest.mark.parametrize("renderer", ["pandoc", "markdown-it"])
def test_a_reader_sees_sections_items_and_no_placeholders(
    lists: str, renderer: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    result: BuildResult = request.getfixturevalue(lists)
    markdown = readme(result)
    html = pandoc_html(markdown) if renderer == "pandoc" else markdown_it_html(markdown)
    seen = read(html)

    # The Contents are the headings, in order and level; pandoc's ids are GitHub's anchors.
    assert [(level, text) for level, text, _ in seen.contents] == [
        (level, text) for level, text, _ in seen.headings
    ]
    if renderer == "pandoc":
        # pandoc keeps an emoji's invisible variation selector (U+FE0F) in an id; GitHub's
        # slugger drops it.
        ids = [id_.replace("\ufe0f", "") for *_, id_ in seen.headings]
        assert [anchor for *_, anchor in seen.contents] == ids
    assert seen.empty == []

    # Every entry once, as one item whose link is the entry's URL.
    entries = result.dataset.entries
    hrefs = [href for href, _, _ in seen.links]
    assert len(hrefs) == len(entries)
    assert sorted(set(hrefs)) == sorted(hrefs)
    assert all(href.startswith(("https://", "http://")) for href in hrefs)

    # No filler, placeholders or bare URLs where a title should be.
    for _, text, description in seen.links:
        assert not FILLER.match(description.split("Related: ")[0].strip()), (text, description)
        assert text.strip().casefold() not in PLACEHOLDERS, text
        assert not re.match(r"(?:https?://|www\.)", text), text
    # A reader sees the merged taxonomy, not the lists' overlapping headings side by side.
    top = [text for level, text, _ in seen.headings if level == 2]
    assert len(top) == len(set(top))
    assert "Papers" in top
    if lists == "seeds":
        assert not {"Blog Articles", "Research Papers", "Other"} & set(top)
        # The 109 items of the catch-all "References" went to the sections of their kinds;
        # the kinds it held one or two of stay under it.
        assert len(seen.items["References"]) < 2 * 3
        largest = max(seen.items, key=lambda name: len(seen.items[name]))
        assert largest == "Articles"
        assert len(seen.items["Papers"]) > 20


def test_the_corpus_readme_passes_awesome_lint(corpus: BuildResult, tmp_path: Path) -> None:
    from .test_output_readme import awesome_lint

    status, errors, warnings = awesome_lint(tmp_path / "corpus", readme(corpus))
    assert (status, errors) == (0, [])
    assert set(warnings) <= {"awesome-spell-check"}

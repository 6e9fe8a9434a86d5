"""Hostile list text through every output, rendered by the programs its readers use: README.md
and review.md by markdown-it (linkify on, as GitHub links) and by pandoc (``gfm`` and pandoc's
own ``markdown``), bibliography.csl.json and bibliography.bib by ``pandoc --citeproc``, the
.bib also by bibtex. In the HTML they make, nothing the lists wrote comes alive: no element,
event attribute, link, math or formatting from a title, a description, a name or a URL; the
text still shows what the lists wrote; and no link leads through an invisible character."""

from __future__ import annotations

import json
import re
import subprocess
import tomllib
from collections.abc import Callable, Sequence
from html import escape as html_escape
from html import unescape as html_unescape
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from markdown_it import MarkdownIt

from awesomerge.api import Collection, Output
from awesomerge.build import build, write_outputs
from awesomerge.models import Dataset, Entry, Occurrence, RelatedLink, ReviewPair, SourceRecord
from awesomerge.outputs.bibtex_output import BibtexOutput
from awesomerge.outputs.csl_output import CslJsonOutput
from awesomerge.outputs.readme_output import ReadmeOutput
from awesomerge.outputs.review_output import ReviewOutput
from awesomerge.plugins import Plugins

from .conftest import require_tool

TIMEOUT = 60
#: The invisible characters that must never be part of a link: zero-width, bidi controls, BOM.
INVISIBLE = (
    "\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
    "\u2066\u2067\u2068\u2069\ufeff\u2060"
)
#: The bidi controls that would reorder the text around them, if any output showed them.
REORDERING = re.compile("[\u202a-\u202e\u2066-\u2069]")

# Each piece of markup holds a word of capitals, which must never end up formatted, in a link
# or in math: only as text.
MARKUP = [
    "<img src=x onerror=alert(1)>",
    "<script>alert(1)</script>",
    "<i>ITALIC</i>",
    "<b>BOLD</b>",
    "<sup>SUPTAG</sup>",
    "<sub>SUBTAG</sub>",
    "<sc>SMALLCAPS</sc>",
    '<span class="nocase">NOCASE</span>',
    "*EMPH*",
    "_UNDER_",
    "~~STRIKE~~",
    "$MATH$",
    "x^SUPER^",
    "H~SUBSCRIPT~O",
    "[LINKED](https://evil.example/t)",
    "www.evil.example",
    "`TICKED`",
    "a|b",
    "{c}",
    "\\",
    "50%",
    "#1",
    "&lt;i&gt;ENTITY&lt;/i&gt;",
    "Wow!!{onclick=alert(1)}",
    "@CITED",
]
MARKED_WORDS = re.findall(r"\b[A-Z]{3,}\b", " ".join(MARKUP))  # ITALIC, BOLD...
HOSTILE_TITLE = "Markup " + " ".join(MARKUP) + " \u202eEVIL\u202c"
HOSTILE_DESCRIPTION = "Described <img src=x onerror=alert(2)> [DLINK](javascript:alert(1)) $DMATH$"
HOSTILE_URL = "https://x.example.com/a<img src=x onerror=alert(1)>"
INVISIBLE_URL = f"https://zw.example/a{INVISIBLE}b"
TICK_URL = "https://tick.example/a`<img src=x onerror=alert(4)>`"
LINKED_HOSTS = {"x.example.com", "github.com", "zw.example", "tick.example", "doi.org"}


def _entry(number: int, url: str, title: str, kind: str = "website", **fields: object) -> Entry:
    occurrence = Occurrence(source="hostile", url=url, title=title, section="Tools", line=number)
    return Entry.model_validate(
        {"id": f"url:{number}", "url": url, "title": title, "kind": kind}
        | {"categories": ["Tools"], "occurrences": [occurrence]}
        | fields
    )


ENTRIES = [
    _entry(
        1,
        HOSTILE_URL,
        HOSTILE_TITLE,
        "article",
        description=HOSTILE_DESCRIPTION,
        authors=["<script>alert(3)</script>", "Ev{il} Na%me", "<b>BOLDNAME</b>"],
        year=2024,
        related=[RelatedLink(title="code <b>RELATED</b>", url=f"https://zw.example/r{INVISIBLE}")],
    ),
    _entry(2, "https://github.com/evil/attention", HOSTILE_TITLE, "repository"),
    _entry(3, "javascript:alert(1)", "Click [CLICK](javascript:alert(1))"),
    _entry(4, INVISIBLE_URL, "Zero\u200bwidth and bidi \u202eEVIL\u202c"),
    _entry(5, TICK_URL, "Backticks in the URL"),
]
PAIRS = (
    ReviewPair(first=ENTRIES[0], second=ENTRIES[1], score=100, reason="same <b>title</b>"),
    ReviewPair(first=ENTRIES[2], second=ENTRIES[3], score=90, reason="similar titles"),
    ReviewPair(first=ENTRIES[3], second=ENTRIES[4], score=90, reason="similar titles"),
)
SOURCE = SourceRecord(id="hostile", path="hostile.md", format="markdown", title="H", sha256="0")
COLLECTION = Collection(Dataset(sources=[SOURCE], entries=ENTRIES), PAIRS)


def written(output: Output) -> str:
    return output.render(COLLECTION)


class Page(HTMLParser):
    """An HTML page as a browser builds it: its elements, attributes and links, its text, and
    the text of each element that formats or links (emphasis, math, superscripts, links...)."""

    FORMATTING = frozenset(
        {"i", "b", "em", "strong", "sup", "sub", "del", "s", "u", "mark", "small", "math", "a"}
    )
    VOID = frozenset({"img", "br", "hr", "input", "meta", "link", "source", "wbr"})

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: list[str] = []
        self.links: list[str] = []
        self.formatted: list[str] = []
        self._text: list[str] = []
        self._open: list[tuple[str, list[str] | None]] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes += [name for name, _ in attrs]
        self.links += [value or "" for name, value in attrs if name in ("href", "src")]
        # A span with a class or a style is pandoc's math, small caps or citation; a nocase
        # span (pandoc's for a BibTeX group) changes nothing a reader sees.
        classes = [value for name, value in attrs if name in ("class", "style")]
        formats = tag in self.FORMATTING or (tag == "span" and classes not in ([], ["nocase"]))
        if tag not in self.VOID:
            self._open.append((tag, [] if formats else None))

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self._open) - 1, -1, -1):
            if self._open[depth][0] == tag:
                for _, text in self._open[depth:]:
                    if text is not None:
                        self.formatted.append(" ".join("".join(text).split()))
                del self._open[depth:]
                return

    def handle_data(self, data: str) -> None:
        self._text.append(data)
        for _, text in self._open:
            if text is not None:
                text.append(data)

    @property
    def text(self) -> str:
        # Citation styles and pandoc's smart quotes turn quotes curly, single or double.
        quotes = str.maketrans("“”‘’'\u202f", '"""""' + " ")
        return " ".join("".join(self._text).translate(quotes).split())


def assert_inert(html: str, folded: bool = False, shown: Sequence[str] = MARKUP) -> Page:
    """Nothing from the lists alive in `html`, and the `shown` pieces of their text shown
    (case-folded where a citation style changes case)."""
    page = Page(html)
    alive = {"img", "script", "iframe", "object", "embed", "svg", "style", "form", "math"}
    assert alive.isdisjoint(page.tags), page.tags
    assert not [name for name in page.attributes if name.startswith("on")], page.attributes
    for link in page.links:
        if link.startswith("#"):
            continue
        parts = urlsplit(link)
        assert parts.scheme in ("http", "https"), link
        assert parts.hostname in LINKED_HOSTS, link
        assert not set(link) & set(INVISIBLE), ascii(link)
    # Markup from the lists would format its word alone (a style may format a whole title).
    assert not set(MARKED_WORDS) & set(page.formatted), page.formatted
    assert not REORDERING.search(page.text), ascii(page.text)
    text = page.text.casefold() if folded else page.text
    for piece in shown:
        piece = Page(html_escape(piece)).text  # its quotes as the page's
        assert (piece.casefold() if folded else piece) in text, piece
    return page


def markdown_it(text: str) -> str:
    """markdown-it with raw HTML on and linkify linking what GitHub links (``www.``, ``http``
    and e-mail addresses; not bare domains such as ``example.com``)."""
    md = MarkdownIt("gfm-like", {"linkify": True})
    assert md.linkify is not None
    md.linkify.set({"fuzzy_link": False})
    return str(md.render(text))


def pandoc(text: str, reader: str) -> str:
    program = require_tool("pandoc")
    completed = subprocess.run(
        [program, "-f", reader, "-t", "html"],
        input=text,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=True,
    )
    return completed.stdout


def citeproc(bibliography: Path) -> str:
    """pandoc --citeproc on a document that cites every item of `bibliography`."""
    program = require_tool("pandoc")
    document = bibliography.parent / "cite-all.md"
    document.write_text("---\nnocite: '@*'\n---\n\n# References\n", encoding="utf-8")
    completed = subprocess.run(
        [program, str(document), "--citeproc", "--bibliography", str(bibliography), "-t", "html"],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=True,
    )
    return completed.stdout


RENDERERS: dict[str, Callable[[str], str]] = {
    "markdown-it": markdown_it,
    "pandoc-gfm": lambda text: pandoc(text, "gfm"),
    "pandoc-markdown": lambda text: pandoc(text, "markdown"),
}
MARKDOWN_OUTPUTS: dict[str, Callable[[], Output]] = {
    "README.md": ReadmeOutput,
    "review.md": ReviewOutput,
}


@pytest.mark.parametrize("renderer", sorted(RENDERERS))
@pytest.mark.parametrize("filename", sorted(MARKDOWN_OUTPUTS))
def test_markdown_outputs_render_as_inert_text(filename: str, renderer: str) -> None:
    page = assert_inert(RENDERERS[renderer](written(MARKDOWN_OUTPUTS[filename]())))
    for piece in ("<img src=x onerror=alert(2)>", "[DLINK](javascript:alert(1))", "$DMATH$"):
        assert piece in page.text, piece
    # The address with invisible characters is linked without them.
    assert "https://zw.example/ab" in page.links


def test_csl_json_renders_as_inert_text_with_citeproc(tmp_path: Path) -> None:
    bibliography = tmp_path / "bibliography.csl.json"
    bibliography.write_text(written(CslJsonOutput()), encoding="utf-8")
    page = assert_inert(citeproc(bibliography), folded=True)
    assert "<script>alert(3)</script>" in page.text  # pandoc reads names as plain text
    assert "<b>BOLDNAME</b>" in page.text
    assert "https://zw.example/ab" in page.links


@pytest.mark.parametrize(("dialect", "suffix"), [("bibtex", ".bibtex"), ("biblatex", ".bib")])
def test_bibtex_renders_as_inert_text_with_citeproc(
    tmp_path: Path, dialect: str, suffix: str
) -> None:
    """pandoc reads a .bibtex file as BibTeX and a .bib file as biblatex."""
    bibliography = tmp_path / f"bibliography{suffix}"
    output = BibtexOutput(BibtexOutput.Options.model_validate({"dialect": dialect}))
    bibliography.write_text(written(output), encoding="utf-8")
    # pandoc's LaTeX reader drops \textbar and \textbraceleft/right, the forms of | { } that
    # BibTeX and LaTeX's OT1 fonts need, and reads a backtick as TeX's opening quote.
    shown = [piece for piece in MARKUP if not set(piece) & set("|{}`")]
    page = assert_inert(citeproc(bibliography), folded=True, shown=shown)
    assert "https://zw.example/ab" in page.links


def test_bibtex_prints_urls_without_invisible_characters(tmp_path: Path) -> None:
    bibtex = require_tool("bibtex")
    (tmp_path / "out.bib").write_text(written(BibtexOutput()), encoding="ascii")
    aux = "\\relax\n\\citation{*}\n\\bibstyle{plainnat}\n\\bibdata{out}\n"
    (tmp_path / "check.aux").write_text(aux, encoding="ascii")
    completed = subprocess.run(
        [bibtex, "-terse", "check"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout
    urls = re.findall(r"\\url\{([^}]*)\}", (tmp_path / "check.bbl").read_text(encoding="ascii"))
    assert "https://zw.example/ab" in urls
    assert not [url for url in urls if re.search("%E2%80|%EF%BB", url, re.IGNORECASE)], urls


def markdown_destinations(text: str) -> list[str]:
    """The destinations of the Markdown links and autolinks that start a line's address."""
    return re.findall(r"\]\(<?([^)>\s]+)", text) + re.findall(r"^ *<(http[^>]*)>", text, re.M)


WRITTEN_LINKS: dict[str, tuple[Callable[[], Output], Callable[[str], list[str]]]] = {
    "README.md": (ReadmeOutput, markdown_destinations),
    "review.md": (ReviewOutput, markdown_destinations),
    "bibliography.bib": (BibtexOutput, lambda text: re.findall(r"^  url = \{(.*)\},$", text, re.M)),
    "bibliography.csl.json": (
        CslJsonOutput,
        lambda text: [item["URL"] for item in json.loads(text) if "URL" in item],
    ),
}


@pytest.mark.parametrize("filename", sorted(WRITTEN_LINKS))
def test_no_written_link_holds_an_invisible_character(filename: str) -> None:
    """Checked in the files themselves, for the readers no test renders with: neither the
    characters nor their percent-encodings."""
    output, links_in = WRITTEN_LINKS[filename]
    links = links_in(written(output()))
    assert "https://zw.example/ab" in links
    for link in links:
        assert not set(link) & set(INVISIBLE), ascii(link)
        assert not re.search("%E2%80%8|%E2%80%A|%E2%81%A|%EF%BB%BF", link, re.I), link


def test_review_decisions_copy_into_toml_as_the_entries_urls() -> None:
    """The ``same = [...]`` a curator copies names the two entries by their URLs exactly, the
    invisible characters written as escapes, so the override finds them."""
    html = markdown_it(written(ReviewOutput()))
    decisions = [
        tomllib.loads(html_unescape(code))
        for code in re.findall(r"<code>((?:same|distinct) = .*?)</code>", html)
    ]
    assert [decision.get("same") for decision in decisions[::2]] == [
        [[pair.first.url, pair.second.url]] for pair in PAIRS
    ]
    assert [decision.get("distinct") for decision in decisions[1::2]] == [
        [[pair.first.url, pair.second.url]] for pair in PAIRS
    ]


HOSTILE_LIST = """\
# Awesome Hostile

## Tools

- [Attention &lt;i&gt;is&lt;/i&gt; \\<b\\>all\\</b\\> you need](<https://x.example.com/a\\<img src=x onerror=alert(1)\\>>) - A www.evil.example $E=mc^2$ description.
- [Attention &lt;i&gt;is&lt;/i&gt; \\<b\\>all\\</b\\> you need](https://github.com/evil/attention) - The code.
"""  # noqa: E501


def test_a_hostile_list_built_end_to_end(tmp_path: Path, plugins: Plugins) -> None:
    """The issue's case: a URL holding an HTML tag, and a title holding tags as entities and as
    escapes, read by the source plugins and written by every output."""
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "hostile.md").write_text(HOSTILE_LIST, encoding="utf-8")
    result = build([str(tmp_path / "in")], plugins)
    assert result.collection.review, "the two entries are left apart for review"
    out = tmp_path / "out"
    write_outputs(result.collection, plugins.outputs, out)
    for name in ("README.md", "review.md"):
        for renderer in RENDERERS.values():
            page = Page(renderer((out / name).read_text(encoding="utf-8")))
            assert "img" not in page.tags and "i" not in page.tags and "b" not in page.tags
            assert "www.evil.example" in page.text and "$E=mc^2$" in page.text
            assert "Attention <i>is</i> <b>all</b> you need" in page.text
            assert not [link for link in page.links if "evil.example" in link], page.links
    for name in ("bibliography.csl.json", "bibliography.bib"):
        page = Page(citeproc(out / name))
        assert not {"i", "b", "em", "strong"} & set(page.tags), page.tags
        assert "attention <i>is</i> <b>all</b> you need" in page.text.casefold()

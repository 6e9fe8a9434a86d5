"""Fuzzing the whole build: random lists of every shape, full of hostile text, built as a user
builds them, must build without an error, keep every link and give the same bytes every time.

Each case is one to three files that mix every shape the sources read (headings, linked
headings, bullets, nested and numbered lists, tables with missing and extra cells, quotes, HTML
blocks, comments, reference definitions, code, YAML front matter) with hostile atoms (brackets,
pipes, backticks, unclosed HTML, odd URLs, control, invisible and bidirectional characters,
emoji, CJK). The generator keeps every URL it writes as a link, so "nothing lost" is checked
against what was written, never against a regular expression over the text.

Per case: no rejected input and no plugin error; every link in the dataset exactly as written,
on a line the file has; a valid dataset; the same bytes of every output from another process
(another hash seed) and from the files written and named in reverse order; a build time within
`TIME_BOUND`.

Profiles (hypothesis settings), chosen by the environment variable AWESOMERGE_FUZZ:

* ``ci`` (the default): a fixed set of derandomised examples, the same on every run, about a
  minute on two cores;
* ``long``: many more examples from a random seed, failures kept in hypothesis's example
  database, to run by hand::

      AWESOMERGE_FUZZ=long python -m pytest tests/test_fuzz.py -x --hypothesis-show-statistics

A class of loss found and being fixed can be listed in `KNOWN_BUGS`: links written with that
feature are not checked until the fix lands, so that the rest of the fuzzing still runs. It is
empty: every class found so far is fixed, each with its regression test (test_fuzz_found.py,
test_html_blocks.py, test_bare_urls.py).
"""

from __future__ import annotations

import json
import os
import re
import select
import string
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import chdir
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, event, given, settings
from hypothesis import strategies as st

from awesomerge.build import build, write_outputs
from awesomerge.plugins import Plugins, load_plugins
from awesomerge.reading import InputFile, read_document
from awesomerge.schema import validation_errors
from awesomerge.urls import is_web_url

_QUIET = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example]
#: No "explain" phase: it traces every line the build runs, which makes builds ten times
#: slower and the time bound fail for no fault of awesomerge's. No shrinking in CI either: a
#: failing case here shrinks for many minutes; CI reports it as generated, with the blob that
#: reproduces it, and the long profile shrinks it.
_PHASES = [Phase.explicit, Phase.reuse, Phase.generate, Phase.target]
PROFILES = {
    # About 0.25 s a case on the 2-core machine (up to three builds, and generating one): ~50 s.
    "ci": settings(
        max_examples=200,
        deadline=None,
        derandomize=True,
        database=None,
        phases=_PHASES,
        suppress_health_check=_QUIET,
        print_blob=True,
    ),
    "long": settings(
        max_examples=4000,
        deadline=None,
        phases=[*_PHASES, Phase.shrink],
        suppress_health_check=_QUIET,
        print_blob=True,
    ),
}


def _profile() -> settings:
    name = os.environ.get("AWESOMERGE_FUZZ", "ci")
    if name not in PROFILES:
        raise pytest.UsageError(f"AWESOMERGE_FUZZ={name}: the profiles are {', '.join(PROFILES)}")
    return PROFILES[name]


#: Processor seconds a build (read, merge, write every output) may take: a fixed part and a
#: part for each KB of input. Measured on the 2-core machine: at most 0.25 s for a generated
#: case (1-110 KB; the median 0.04 s), and 0.004-0.007 s/KB for the seed lists and the corpus;
#: the bound leaves four times the first and seven times the second. Processor time, not wall
#: time, and hypothesis's deadline off: a machine busy with other builds slows the wall clock
#: of a case (to 6 s, seen) without its own work changing.
TIME_BOUND = (1.0, 0.05)

#: Links written with one of these features are not checked for loss, nor URLs that the bug
#: makes up: each is a class of bug found and being fixed. Remove a feature once its fix
#: lands, and the fuzzing checks it again.
KNOWN_BUGS: dict[str, str] = {}


# What the generator writes.


@dataclass
class Written:
    """One generated input file: its text, and the URLs a reader sees as links in it."""

    name: str
    text: str = ""
    encoding: str = "utf-8"
    newline: str = "\n"
    links: dict[str, list[frozenset[str]]] = field(default_factory=dict)
    """Each URL written as a link (images aside): the hostile features around each writing."""
    images: set[str] = field(default_factory=set)
    html: bool = False
    """Whether the file has an HTML block."""

    def data(self) -> bytes:
        return self.text.replace("\n", self.newline).encode(self.encoding)

    def line_count(self) -> int:
        """How many lines a reader counts, once line endings are made one."""
        text = self.data().decode(self.encoding).removeprefix("\ufeff")
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        return text.count("\n") + (not text.endswith("\n"))


@dataclass(frozen=True)
class Case:
    files: tuple[Written, ...]

    def __repr__(self) -> str:
        shown = "\n".join(
            f"--- inputs/{file.name} ({file.encoding}, newline {file.newline!r})\n{file.text!r}"
            for file in self.files
        )
        return f"Case(\n{shown}\n)"


# Atoms.

WORDS = st.one_of(
    st.sampled_from(["Attention", "transformers", "GPT", "tokenizer", "a", "RLHF", "the"]),
    st.text(string.ascii_letters, min_size=1, max_size=8),
    st.sampled_from(
        # CJK, right-to-left, emoji (with ZWJ, flags, skin tones), combining marks, ligatures,
        # full width, zero-width and bidirectional controls, mojibake (repaired on reading).
        ["Attention", "GPT-2", "日本語", "注意力机制", "한국어", "Привет", "Ελληνικά", "عربى",
         "עברית", "🟢", "🔥🚀", "👩\u200d💻", "🇫🇷", "👍🏽", "e\u0301", "ﬁnal", "Ｆｕｌｌ",
         "naïve", "x\u200by", "\u202eevil", "\u2066iso\u2069", "a\u200db", "\ufeffbom",
         "\u200f\u200e", "ğŸŸ¢", "ÅŁukasz", "Ã©tÃ©", "\u00a0nbsp", "𝔘𝔫𝔦"]
    ),
)  # fmt: skip

#: Text that sits between links without changing what is a link: joined with spaces, none can
#: open a tag, a code span or a comment that would take in a link written after it.
TEXT_ATOMS = st.sampled_from(
    ["[", "]", "[x]", "[[wiki]]", "[^1]", "[ ]", "]]", "(", ")", "()", "\\|", "*", "**", "_",
     "__", "~~", "~", "\\", "\\*", "#", "##", ">", "<", "< >", "<>", "!", "1.", "- ", "+",
     ":", "---", "===", "&amp;", "&#0;", "&#x202E;", "&bogus;", "&lt;a&gt;", "<b>", "</b>",
     "</i>", "<span>", "</div>", "<br>", "<br/>", "<i>x</i>", "<!-- note -->", "<!---->",
     "<?php ?>", "`code`", "`` a`b ``", "`[t](https://code.example/x)`",
     "https://bare.example/x", "http://bare.example/(y).", "www.bare.example", "http://",
     "mailto:a@b.example", "a@b.example", "$x$", "{onclick=x}", "^2^", "@cite", "%", "%%20",
     "\t", "..."]
)  # fmt: skip
#: Pipes: outside a table they are text, in a table row they start a cell.
PIPES = st.sampled_from(["|", "||", " | "])
#: Control and invisible characters: at most MAX_CONTROLS in a file, as more make a binary one.
CONTROLS = st.sampled_from(
    ["\x01", "\x07", "\x08", "\x1b[31m", "\x7f", "\x0b", "\x0c", "\x1c", "\x1f", "\x85",
     "\u2028", "\u2029", "\ufeff", "\u200b", "\u202e", "\u2066", "\u2067", "\u2069"]
)  # fmt: skip
MAX_CONTROLS = 6
#: Atoms that may only end an inline: after them the rest of it is a code span, a comment, a
#: tag or a new line.
LAST_ATOMS = st.sampled_from(["`", "``", "<!--", "<!-- open", "\r", "<a", "<a href"])

SCHEMES = st.sampled_from(["https://", "http://", "HTTPS://", "Http://"])
HOSTS = st.sampled_from(
    ["a.example", "b.example", "www.a.example", "docs.b.example", "bücher.example",
     "例え.テスト", "xn--bcher-kva.example", "[::1]:8080", "[2001:db8::1]", "a.example:8080",
     "127.0.0.1:3000", "user:pw@a.example", "A.EXAMPLE", "a.example.", "github.com",
     "arxiv.org", "www.youtube.com", "youtu.be", "doi.org", "en.wikipedia.org"]
)  # fmt: skip
PATHS = st.sampled_from(
    ["", "/", "/x", "/x/", "/wiki/A_(b)", "/%E2%82%AC/100%", "/%zz", "/パス/日本語", "/🔥/🟢",
     "/a_b_c*d*", "/x[1]", "/x\\y", "/a\u200bb", "/a\u202eb", "/a\u2066b\u2069", "/x.",
     "/x>", "/é.html", "/abs/1706.03762", "/abs/1706.03762v2", "/pdf/1706.03762.pdf",
     "/owner/repo", "/owner/repo/tree/main/src", "/watch", "/10.1000/xyz(1)", "/~user/",
     "/a;b", "/a:b", "/x,y", "/a//b", "/$x", "/a+b"]
)  # fmt: skip
QUERIES = st.sampled_from(
    ["", "", "", "", "?q=1", "?a=1&b=2", "?lang=en&region=us", "?page=2&section=news",
     "?q=日本", "?", "?v=dQw4w9WgXcQ&t=10s", "?q=a+b%20c", "?x=(y)", "?utm_source=x&id=2",
     "?a=&b", "?q=%26amp%3B"]
)  # fmt: skip
FRAGMENTS = st.sampled_from(["", "", "#frag", "#", "#L10-L20", "#:~:text=a"])
#: URLs that a parser of addresses refuses, or that are links only in some forms.
ODD_URLS = st.sampled_from(
    ["http://[::1", "http://a.example:x/", "http://a.example:65536/", "https://", "http://",
     "http:///x", "http://a..example/", "http://a.example/x(y", "http://a.example/x)y",
     "http://a.example/a b", "https://a.example/" + "x" * 3000, "https://a.example/x>y",
     "http://[::1]:x/", "http://a.example/%"]
)  # fmt: skip
IMAGE_URLS = st.sampled_from(
    [
        "https://img.example/badge.svg",
        "https://img.shields.io/badge/a-b-green",
        "logo.png",
        "https://a.example/x.png",
    ]
)

#: An HTML entity that may be written without its ";" (&sect, &para, &reg) at the start of a
#: query's name: in an attribute a browser keeps it as written, unlike in HTML text.
_LEGACY_ENTITY = re.compile(r"&(?:sect|para|reg|copy|not|times|amp|lt|gt)", re.IGNORECASE)
_ANCHORS = ["anchor", "open-anchor", "upper-anchor", "single-anchor", "bare-anchor"]


@st.composite
def urls(draw: st.DrawFn) -> str:
    if draw(st.integers(0, 9)) == 0:
        return draw(ODD_URLS)
    return draw(SCHEMES) + draw(HOSTS) + draw(PATHS) + draw(QUERIES) + draw(FRAGMENTS)


def _balanced(url: str) -> bool:
    depth = 0
    for character in url:
        depth += {"(": 1, ")": -1}.get(character, 0)
        if depth < 0:
            return False
    return depth == 0


def link_forms(url: str, context: str) -> list[str]:
    """The ways `url` can be written as a link in `context`, read back exactly as written.

    In an HTML block (context "html") only HTML links are links; Markdown lines inside one
    ("html-markdown") are read as Markdown, but reference links, autolinks and <destinations>
    would be read as HTML tags first.
    """
    anchors = [form for form in _ANCHORS if '"' not in url or form == "single-anchor"]
    if re.search(r"[\s\"'=<>`]", url):  # what an unquoted attribute cannot hold
        anchors = [form for form in anchors if form != "bare-anchor"]
    if context == "html" or (context == "html-markdown" and _LEGACY_ENTITY.search(url)):
        return anchors
    forms = []
    if " " not in url and _balanced(url):
        forms += ["inline", "titled", "badge"]
        if context != "html-markdown":
            forms.append("reference")
    if context != "html-markdown":
        if not re.search(r"[<>\s]", url):
            forms.append("autolink")
        if "<" not in url and ">" not in url:
            forms.append("pointy")
    return forms + anchors


# The generator.


class _Writer:
    """Writes one random document, keeping each URL it writes as a link."""

    def __init__(self, draw: st.DrawFn, pool: list[str], name: str, flavour: str) -> None:
        self.draw = draw
        self.pool = pool
        self.flavour = flavour
        self.file = Written(name=name)
        self.lines: list[str] = []
        self.features: list[str] = []
        """The hostile features around what is being written, for `KNOWN_BUGS`."""
        self.counting = True
        """False in code and comments, where nothing is a link."""
        self.controls = 0
        self.labels = 0
        self.pending: list[str] = []
        """Reference definitions used by a link and not yet written."""
        self.open_end = False
        """Whether the last block ended in an atom that a following line could continue."""
        self.anchor_open_in_html = False
        """Whether the HTML block being written has an <a href> never closed."""
        self.beyond_nesting = False
        """Whether a list or quote has come near NESTING_LIMIT: the rest is tagged "deep"."""

    def feature(self, *names: str) -> _Feature:
        return _Feature(self.features, names)

    # Links and inline text.

    def url(self) -> str:
        if self.draw(st.integers(0, 3)) > 0:
            return self.draw(st.sampled_from(self.pool))
        return self.draw(urls())

    def keep(self, url: str, *features: str) -> None:
        if not self.counting:
            return
        tags = frozenset((*self.features, *features, *["deep"] * self.beyond_nesting))
        if tags & {"html-markdown", "html-definition"} and self.anchor_open_in_html:
            return  # Markdown inside an HTML block's unclosed <a> is that link's text
        if _LEGACY_ENTITY.search(url) and tags & {*_ANCHORS, "html"}:
            tags |= {"legacy-entity"}
        if ">" in url and "html" in tags:
            tags |= {"angle-in-html"}
        self.file.links.setdefault(url, []).append(tags)

    def image(self) -> str:
        url = self.draw(IMAGE_URLS)
        self.file.images.add(url)
        return f"![{self.draw(WORDS)}]({url})"

    def words(self, most: int = 3) -> str:
        return " ".join(self.draw(st.lists(WORDS, min_size=1, max_size=most)))

    def link_text(self) -> str:
        kind = self.draw(st.sampled_from(["words", "words", "empty", "code", "strong", "nested"]))
        if kind == "empty":
            return ""
        if kind == "code":
            return f"`{self.draw(WORDS)}`"
        if kind == "strong":
            return f"**{self.words()}**"
        if kind == "nested":
            return f"{self.words()} [{self.draw(WORDS)}]"  # balanced brackets, not a label
        return self.words()

    def link(self, context: str) -> str:
        url = self.url()
        forms = link_forms(url, context)
        if context == "gist" and "inline" in forms and self.draw(st.integers(0, 3)):
            forms = ["inline"]  # a gist's item: **Author** [Title](url)
        form = self.draw(st.sampled_from(forms))
        text = self.words(2) if form in _ANCHORS else self.link_text()
        self.keep(url, form, context)
        self.anchor_open_in_html |= form == "open-anchor" and "html" in self.features
        if form == "inline":
            return f"[{text}]({url})"
        if form == "titled":
            return f'[{text}]({url} "{self.draw(WORDS)}")'
        if form == "pointy":
            return f"[{text}](<{url}>)"
        if form == "badge":
            return f"[{self.image()}]({url})"
        if form == "autolink":
            return f"<{url}>"
        if form == "reference":
            return self.reference(text, url)
        if form == "anchor":
            return f'<a href="{url}">{text}</a>'
        if form == "upper-anchor":
            return f'<A title="t" HREF="{url}" target=_blank>{text}</A>'
        if form == "single-anchor":
            return f"<a href='{url}'>{text}</a>"
        if form == "bare-anchor":
            return f"<a href={url}>{text}</a>"
        return f'<a href="{url}">{text}'  # open-anchor: a browser links the rest of the text

    def reference(self, text: str, url: str) -> str:
        self.labels += 1
        label = f"ref{self.labels}"
        self.pending.append(self.definition(label, url))
        style = self.draw(st.sampled_from(["full", "collapsed", "shortcut"]))
        if style == "full":
            return f"[{text or label}][{label.upper()}]"
        return f"[{label}][]" if style == "collapsed" else f"[{label}]"

    def definition(self, label: str, url: str) -> str:
        title = self.draw(st.sampled_from(["", ' "Title"', " 'Title'", " (Title)"]))
        written = f"<{url}>" if " " in url or not _balanced(url) else url
        return f"[{label}]: {written}{title}"

    def atom(self, context: str) -> str:
        if context == "html":
            return self.draw(WORDS)
        choice = self.draw(st.integers(0, 11))
        if choice < 4:
            return self.draw(WORDS)
        if choice == 4 and self.controls < MAX_CONTROLS:
            self.controls += 1
            return self.draw(CONTROLS)
        if choice == 5:
            return self.deep_inline()
        if choice == 6 and context != "cell":
            return self.draw(PIPES)
        return self.draw(TEXT_ATOMS)

    def deep_inline(self) -> str:
        """A link inside deep emphasis or brackets."""
        depth = self.draw(st.integers(2, 60))
        with self.feature("deep-inline"):
            link = self.link("inline")
        if self.draw(st.booleans()):
            marks = [("*", "_")[level % 2] for level in range(depth)]
            return "".join(marks) + link + "".join(reversed(marks))
        return "[" * depth + link + "]" * depth

    def inline(self, context: str = "inline", last: bool = True) -> str:
        """One line of inline Markdown, links and atoms, that never starts with an atom: one
        could open a block. With `last`, it may end with an atom that takes in what follows."""
        if context == "gist":
            marker = self.draw(st.sampled_from(["🟢", "🟠🕰️", "🔴", "ğŸŸ¢", "🔥"]))
            parts = [marker, f"**{self.draw(WORDS)}**", self.link(context)]
        else:
            parts = [self.link(context) if self.draw(st.booleans()) else self.draw(WORDS)]
        for _ in range(self.draw(st.integers(0, 5))):
            part = self.link(context) if self.draw(st.integers(0, 2)) == 0 else self.atom(context)
            if context != "html" and self.draw(st.integers(0, 7)) == 0:
                mark = self.draw(st.sampled_from(["**", "*", "_", "~~"]))
                part = f"{mark}{part}{mark}"
            parts.append(part)
        if last and context not in ("cell", "html") and self.draw(st.integers(0, 5)) == 0:
            parts.append(self.draw(LAST_ATOMS))
            self.open_end = True
        return " ".join(parts)

    # Blocks.

    def add(self, *lines: str) -> None:
        self.lines.extend(lines)

    def blank(self) -> None:
        if self.lines and self.lines[-1] != "":
            self.add("")

    def document(self) -> Written:
        if self.flavour == "blog" or self.draw(st.integers(0, 3)) == 0:
            self.front_matter()
        if self.draw(st.booleans()):
            with self.feature("h1"):
                self.add(f"# {self.inline('heading')}")
        kinds = BLOCKS + FLAVOURS[self.flavour]
        previous = "heading"
        for _ in range(self.draw(st.integers(1, 10))):
            kind = self.draw(st.sampled_from(kinds))
            if kind == "rule" and not self.lines:
                kind = "heading"  # a "---" first and another later would be front matter
            together = previous in LOOSE and kind in LOOSE and not self.open_end
            if not together or self.draw(st.integers(0, 4)):
                self.blank()
            self.open_end = False
            getattr(self, kind)()
            previous = kind
        if self.pending:
            self.blank()
            self.add(*self.pending)
        if self.beyond_nesting:  # the definitions may lie beyond it, out of the links' reach
            for writings in self.file.links.values():
                writings[:] = [
                    tags | {"deep"} if "reference" in tags else tags for tags in writings
                ]
        if self.draw(st.integers(0, 5)) == 0:
            self.swallow()
        ending = self.draw(st.sampled_from(["\n", "\n", "", "\n\n"]))
        self.file.text = "\n".join(self.lines) + ending
        self.file.encoding = self.draw(st.sampled_from(["utf-8"] * 6 + ["utf-8-sig", "utf-16"]))
        self.file.newline = self.draw(st.sampled_from(["\n"] * 6 + ["\r\n", "\r"]))
        return self.file

    def front_matter(self) -> None:
        lines = self.draw(st.lists(st.sampled_from(FRONT_MATTER), max_size=8))
        if self.draw(st.integers(0, 9)) == 0:
            lines += ALIAS_BOMB
        self.add("---", *"\n".join(lines).split("\n"), "---")

    def heading(self) -> None:
        level = self.draw(st.integers(1, 6))
        with self.feature(f"h{level}"):
            text = self.inline("heading")
        closing = self.draw(st.sampled_from(["", "", " #", " ##"]))
        self.add(f"{'#' * level} {text}{closing}")

    def linked_heading(self) -> None:
        """A blog post's heading: a link, then the text under it."""
        level = self.draw(st.integers(1, 3))
        with self.feature(f"h{level}"):
            link = self.link("heading")
        self.add(f"{'#' * level} {link}", "", self.inline())

    def paragraph(self) -> None:
        count = self.draw(st.integers(1, 3))
        self.add(*(self.inline(last=number == count) for number in range(1, count + 1)))

    def items(self, prefix: str = "", deep: bool = False) -> None:
        """A list, each item at most one level below the one before it (deeper would be code):
        at most MAX_LIST_DEPTH levels, or one more each item when `deep`."""
        depth = -1
        markers: dict[int, str] = {}
        for _ in range(self.draw(st.integers(1, 40 if deep else 8))):
            depth = depth + 1 if deep else self.draw(st.integers(0, min(depth + 1, MAX_LIST_DEPTH)))
            marker = self.draw(st.sampled_from(MARKERS))
            starts = marker.startswith(("1.", "1)")) or marker[-1] not in ".)"
            if not starts and markers.get(depth, "")[-1:] != marker[-1]:
                # Only "1." or "1)" may start a list right after a paragraph's line; a "2)" or
                # "10." there would continue that paragraph, and what is nested under it, after
                # a blank line, would be code.
                marker = "1" + marker[-1]
            markers = {level: mark for level, mark in markers.items() if level < depth}
            markers[depth] = marker
            indent = "    " * depth
            content = prefix + indent + " " * (len(marker.split(" ")[0]) + 1)
            self.beyond_nesting |= prefix.count(">") + 2 * (depth + 1) > NESTING_LIMIT - 8
            with self.feature(f"list-depth-{depth}"):
                if self.draw(st.integers(0, 6)) == 0:
                    text = self.draw(WORDS)  # an unlinked label, as nested lists have
                else:
                    text = self.inline("gist" if self.flavour == "gist" else "inline", last=False)
                lines = [f"{prefix}{indent}{marker} {text}"]
                if self.draw(st.integers(0, 4)) == 0:
                    lines.append(content + self.inline(last=False))
                if self.draw(st.integers(0, 6)) == 0:
                    lines += [prefix.rstrip(), content + self.inline(last=False)]
                self.open_end = False
                if self.draw(st.integers(0, 5)) == 0:
                    last = self.draw(LAST_ATOMS)  # the next item starts afresh
                    # In a quote a new line would be an unquoted blank line, ending the quote.
                    lines[-1] += " " + (last if last != "\r" or not prefix else "`")
                    self.open_end = True
            self.add(*lines)

    def bullets(self) -> None:
        self.items()

    def deep_list(self) -> None:
        with self.feature("deep-list"):
            self.items(deep=True)

    def quote(self) -> None:
        if self.draw(st.integers(0, 5)):
            depth = self.draw(st.integers(1, 3))
        else:
            depth = self.draw(st.integers(4, 70))
        prefix = "> " * depth
        self.beyond_nesting |= depth > NESTING_LIMIT - 8
        with self.feature("deep-quote" if depth > 3 else "quote"):
            if self.draw(st.booleans()):
                self.items(prefix=prefix)
            else:
                self.add(prefix + self.inline(last=False), prefix + self.inline(last=False))

    def table(self) -> None:
        columns = self.draw(st.integers(1, 4))
        names = self.draw(
            st.lists(st.sampled_from(COLUMN_NAMES), min_size=columns, max_size=columns)
        )
        header = []
        for name in names:
            if self.draw(st.integers(0, 9)) == 0:
                with self.feature("table-header"):
                    header.append(self.link("cell"))
            else:
                header.append(name)
        start, end = self.draw(st.sampled_from([("| ", " |"), ("", ""), ("| ", "")]))
        rule = [self.draw(st.sampled_from(["---", ":---", "---:", ":-:", "-"])) for _ in names]
        self.add(start + " | ".join(header) + end, start + " | ".join(rule) + end)
        for _ in range(self.draw(st.integers(1, 12 if self.flavour == "table" else 5))):
            cells = []
            for number in range(columns + self.draw(st.sampled_from([0, 0, 0, -1, 1, 2]))):
                with self.feature("extra-cell" if number >= columns else "cell"):
                    cells.append(self.inline("cell") if self.draw(st.integers(0, 3)) else "")
            self.add("| " + " | ".join(cells) + " |")

    def html(self) -> None:
        """An HTML block: everything up to the blank line is HTML, read as the Markdown a
        curator meant."""
        self.file.html = True
        opener = self.draw(st.sampled_from(HTML_OPENERS))
        ending = self.draw(st.sampled_from(["comment", "closed", "closed", "closed", "open"]))
        lines = [opener]
        self.anchor_open_in_html = False
        unclosed = ["table-then-comment"] if opener == "<table>" and ending == "comment" else []
        with self.feature("html", *unclosed):
            lines += [self.html_line() for _ in range(self.draw(st.integers(1, 6)))]
        if ending == "comment":
            lines.append("<!-- never closed")  # the rest of the block is a comment
        elif ending == "closed":
            lines.append("</" + opener[1:].split(">")[0].split(" ")[0] + ">")
        self.add(*lines)

    def html_line(self) -> str:
        kind = self.draw(st.sampled_from(HTML_LINES))
        if kind == "markdown":
            return f"- {self.link('html-markdown')} {self.draw(WORDS)}"
        if kind == "definition":
            url = self.url()
            if " " in url or not _balanced(url) or _LEGACY_ENTITY.search(url):
                return self.draw(WORDS)
            self.labels += 1
            self.keep(url, "html-definition")
            return f"[html{self.labels}]: {url}"
        if kind == "iframe":
            url = self.url()
            if '"' in url:
                return self.draw(WORDS)
            self.keep(url, "iframe")
            return f'<iframe src="{url}"></iframe>'
        if kind == "image":
            url = self.draw(IMAGE_URLS)
            self.file.images.add(url)
            return f'<img src="{url}" alt="{self.draw(WORDS)}">'
        if kind == "comment":
            return f"<!-- {self.draw(WORDS)} https://comment.example/x -->"
        if kind == "deep":
            depth = self.draw(st.integers(5, 60))
            with self.feature("deep-html"):
                return "<div>" * depth + self.inline("html") + "</div>" * depth
        return kind.format(text=self.inline("html"), word=self.draw(WORDS))

    def details(self) -> None:
        """A <details> block holding Markdown lines without blank lines: read as Markdown too."""
        self.anchor_open_in_html = False
        self.file.html = True
        with self.feature("html"):
            summary = self.link("html") if self.draw(st.booleans()) else self.draw(WORDS)
            lines = [f"<details><summary>{summary}</summary>"]
            lines += [
                f"- {self.link('html-markdown')}" for _ in range(self.draw(st.integers(0, 3)))
            ]
        if self.draw(st.integers(0, 3)):
            lines.append("</details>")
        self.add(*lines)

    def definitions(self) -> None:
        for _ in range(self.draw(st.integers(1, 3))):
            url = self.url()
            self.labels += 1
            self.keep(url, "definition")
            self.add(self.definition(f"def{self.labels}", url))
        self.add(*self.pending)
        self.pending.clear()

    def code(self) -> None:
        """Code: nothing in it is a link."""
        self.counting = False
        lines = [self.inline(last=False) for _ in range(self.draw(st.integers(1, 3)))]
        self.counting = True
        fence = self.draw(st.sampled_from(["```", "~~~", "````md", "indented"]))
        if fence == "indented":
            # After a list an indented line continues its last item: a paragraph comes first.
            self.add(self.draw(WORDS), "", *("    " + line for line in lines))
        else:
            self.add(fence, *lines, fence.removesuffix("md"))

    def comment(self) -> None:
        self.counting = False
        self.file.html = True  # a comment is an HTML block
        self.add("<!--", self.inline(last=False), "-->")
        self.counting = True

    def rule(self) -> None:
        self.add(self.draw(st.sampled_from(["---", "***", "___", "- - -"])))

    def legend(self) -> None:
        self.add("## Key", "", "* 🟢 = easy, 🟠 = medium, 🔴 = hard", "* 🕰️ = long, 🙉 = low audio")

    def references(self) -> None:
        """A folded list of bare references, as reference lists are written."""
        self.file.html = True
        self.add("<details><summary>References</summary>", "")
        self.add(*(f"- {self.link('inline')}" for _ in range(self.draw(st.integers(1, 10)))))
        self.add("", "</details>")

    def swallow(self) -> None:
        """An unclosed fence or comment: the rest of the document is inside it."""
        self.blank()
        opener = self.draw(st.sampled_from(["```", "<!--", "~~~~"]))
        self.file.html |= opener == "<!--"
        self.add(opener)
        self.counting = False
        self.paragraph()
        self.items()


@dataclass
class _Feature:
    """Hostile features around what is written inside ``with writer.feature(name):``."""

    features: list[str]
    names: tuple[str, ...]

    def __enter__(self) -> None:
        self.features.extend(self.names)

    def __exit__(self, *exception: object) -> None:
        del self.features[len(self.features) - len(self.names) :]


BLOCKS = ["heading", "paragraph", "bullets", "bullets", "table", "quote", "html", "details",
          "definitions", "code", "comment", "rule", "deep_list"]  # fmt: skip
#: Blocks that may follow one another without a blank line: what one line more or less of
#: either is read as changes where a link sits, never whether it is one.
LOOSE = {"heading", "paragraph", "bullets", "table", "rule", "quote", "linked_heading"}
FLAVOURS = {
    "mixed": [],
    "gist": ["legend", "legend", "bullets", "bullets", "bullets", "bullets", "bullets"],
    "table": ["table"] * 10,
    "nested": ["bullets", "bullets", "bullets", "deep_list"],
    "references": ["references", "references"],
    "blog": ["linked_heading", "linked_heading", "linked_heading"],
}
MARKERS = ["-", "*", "+", "1.", "1)", "2)", "10.", "- [ ]", "- [x]"]
#: Lists nested deeper than this are the `deep_list` block's.
MAX_LIST_DEPTH = 6
#: The nesting (a list and its item count two, a quote one) that awesomerge's markdown-it
#: parses; it reads the lines beyond for their links only.
NESTING_LIMIT = 64
COLUMN_NAMES = ["Name", "Link", "Paper", "Year", "Code", "Description", "Model", "Notes",
                "Implementation", "Date", "|", "", "Demo", "名前", "🔗"]  # fmt: skip
HTML_OPENERS = ["<div>", '<div align="center">', "<details>", "<p>", '<p align="center">',
                "<table>", "<ul>", "<center>", "<section>", "<div><div><div>"]  # fmt: skip
HTML_LINES = [
    "{text}", "<p>{text}</p>", "<li>{text}</li>", "<ul><li>{text}</li></ul>", "<br>{text}<br>",
    "<tr><td>{word}</td><td>{text}</td></tr>", "<td>{text}", "<h2>{text}</h2>",
    "<summary>{text}</summary>", "<b>{word}</b> {text}", "markdown", "definition", "iframe",
    "image", "comment", "deep",
]  # fmt: skip
FRONT_MATTER = [
    "title: Fuzzed post", "title: '[x](https://fm.example/t)'", 'title: "\\u202e\\x00"',
    "date: 2021-01-01", "date: 2021-13-45", "date: 2021-01-01T10:00:00Z", "lastmod: 12:30",
    "layout: post", "tags: [a, b, 日本]", "tags:\n  - a\n  - b", "categories: ~",
    "defaults: &defaults\n  a: 1\n  b: [x, y]", "post:\n  <<: *defaults\n  c: 2",
    "again: *defaults", "nan: .nan", "inf: -.inf", "big: 123456789012345678901234567890",
    "bin: !!binary aGVsbG8=", "set: !!set {a, b}", "dates: {2021-01-01: x}",
    "numbers: {1: a, 2.5: b}", "nulls: {~: x}", "yes: no", "url: https://fm.example/x",
    "links: ['[t](https://fm.example/y)']", "broken: [unclosed", "\ttab: x",
    "python: !!python/object:os.system x", "? [a, b]\n: c", "- a list", "text: |\n  ---x\n  y",
    "emoji: 🟢", "0o17: octal", "deep: [[[[[[[[[[[[[[[[[[[[x]]]]]]]]]]]]]]]]]]]]",
]  # fmt: skip
#: Ten aliases of ten aliases...: a few lines that stand for a million values.
ALIAS_BOMB = ["b0: &b0 [x, x, x, x, x, x, x, x, x, x]"] + [
    f"b{level}: &b{level} [{', '.join([f'*b{level - 1}'] * 10)}]" for level in range(1, 6)
]
NAMES = ["a.md", "b.md", "list.markdown", "notes.txt", "sub/a.md", "sub/deeper/README.md",
         "Ünïcode 名前.md", "z-last.md"]  # fmt: skip


@st.composite
def cases(draw: st.DrawFn) -> Case:
    """One to three generated files sharing some URLs, so that their entries merge."""
    pool = draw(st.lists(urls(), min_size=1, max_size=8))
    names = draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=3, unique=True))
    files = []
    for name in names:
        flavour = draw(st.sampled_from(sorted(FLAVOURS)))
        files.append(_Writer(draw, pool, name, flavour).document())
    return Case(tuple(files))


# Building.


@pytest.fixture(scope="module")
def fuzz_plugins() -> Plugins:
    return load_plugins(entry_points=False, strict=True)


_WORKER = """
import json, os, sys, traceback
from pathlib import Path
from awesomerge.build import build, write_outputs
from awesomerge.errors import PluginInputError
from awesomerge.plugins import load_plugins

plugins = load_plugins(entry_points=False, strict=True)
for line in sys.stdin:
    job = json.loads(line)
    try:
        os.chdir(job["cwd"])
        result = build(job["inputs"], plugins, strict=True)
        write_outputs(result.collection, plugins.outputs, Path(job["out"]))
        print(json.dumps({"error": None}), flush=True)
    except BaseException:
        print(json.dumps({"error": traceback.format_exc()}), flush=True)
"""


@dataclass
class OtherProcess:
    """A second Python, with another hash seed than this one, that builds what it is sent: the
    same inputs must give the same bytes there too."""

    process: subprocess.Popen[str]

    def start(self, cwd: Path, inputs: list[str], out: Path) -> None:
        """Start a build from `cwd` into `out`; `finish` waits for it."""
        assert self.process.stdin is not None
        job = {"cwd": str(cwd), "inputs": inputs, "out": str(out)}
        self.process.stdin.write(json.dumps(job) + "\n")
        self.process.stdin.flush()

    def finish(self) -> str | None:
        """Wait for the build started; what went wrong, or None."""
        assert self.process.stdout is not None
        ready, _, _ = select.select([self.process.stdout], [], [], 120)
        if not ready:
            return "it took over 120 s"
        line = self.process.stdout.readline() or '{"error": "it ended"}'
        error: str | None = json.loads(line)["error"]
        return error


@pytest.fixture(scope="module")
def other_process() -> Iterator[OtherProcess]:
    seed = "2" if os.environ.get("PYTHONHASHSEED") == "1" else "1"
    process = subprocess.Popen(
        [sys.executable, "-c", _WORKER],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONHASHSEED": seed},
    )
    try:
        yield OtherProcess(process)
    finally:
        assert process.stdin is not None and process.stdout is not None
        process.stdin.close()
        process.stdout.close()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _write_inputs(folder: Path, files: tuple[Written, ...]) -> list[str]:
    """Write the files in the given order; their paths, as given to a build from `folder`."""
    paths = []
    for file in files:
        path = folder / "inputs" / file.name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(file.data())
        paths.append(f"inputs/{file.name}")
    return paths


def _build(folder: Path, inputs: list[str], plugins: Plugins) -> tuple[dict[str, bytes], float]:
    """Build from `folder` as a user would, into folder/out: every file written, and the
    processor seconds it took (a machine shared with other builds leaves them as they are).
    A rejected input or a plugin's failure fails the test."""
    with chdir(folder):
        started = time.process_time()
        result = build(inputs, plugins, strict=True)
        write_outputs(result.collection, plugins.outputs, folder / "out")
        seconds = time.process_time() - started
    assert not result.report.rejected, [str(error) for error in result.report.rejected]
    assert not result.report.plugin_failures
    return _outputs(folder / "out"), seconds


def _outputs(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir()) if path.is_file()}


def _kept_urls(dataset: dict[str, Any], source_id: str) -> set[str]:
    """Every URL the dataset keeps from one source: its occurrences, the related links of the
    entries it lists, and its prose links."""
    kept: set[str] = set()
    for entry in dataset["entries"]:
        own = [item for item in entry["occurrences"] if item["source"] == source_id]
        if own:
            kept.update(occurrence["url"] for occurrence in own)
            kept.update(link["url"] for link in entry["related"])
    for source in dataset["sources"]:
        if source["id"] == source_id:
            kept.update(link["url"] for link in source["links"])
    return kept


def _lines_beyond(dataset: dict[str, Any], source_id: str, lines: int) -> list[dict[str, Any]]:
    """What the dataset places from one source on a line the file does not have: occurrences,
    prose links, unlinked items and warnings."""
    found = [
        occurrence
        for entry in dataset["entries"]
        for occurrence in entry["occurrences"]
        if occurrence["source"] == source_id and not 1 <= occurrence["line"] <= lines
    ]
    for source in dataset["sources"]:
        if source["id"] == source_id:
            for kind in ("links", "unlinked", "warnings"):
                found += [
                    record
                    for record in source[kind]
                    if record.get("line") is not None and not 1 <= record["line"] <= lines
                ]
    return found


def _check_as_written(folder: Path, case: Case, dataset: dict[str, Any]) -> None:
    """Every URL the dataset holds as written (occurrences, related and prose links) is in the
    text of an input as awesomerge reads it: none is made up or rewritten."""
    texts = [
        read_document(InputFile(folder / "inputs" / file.name, file.name)).text
        for file in case.files
    ]
    held = {link["url"] for source in dataset["sources"] for link in source["links"]}
    for entry in dataset["entries"]:
        held.update(occurrence["url"] for occurrence in entry["occurrences"])
        held.update(link["url"] for link in entry["related"])
    written = {url for file in case.files for url in file.links} | {
        url for file in case.files for url in file.images
    }
    made_up = sorted(
        url
        for url in held - written
        if is_web_url(url) and not any(_whole_in(url, text, written) for text in texts)
    )
    assert not made_up, f"URLs that no input holds as written: {made_up}"


def _whole_in(url: str, text: str, written: set[str]) -> bool:
    """Whether `url` is in the text somewhere other than as the start of a longer URL written
    there as a link: a piece of a link's URL is made up, not read."""
    longer = [other for other in written if len(other) > len(url) and other.startswith(url)]
    start = text.find(url)
    while start != -1:
        if not any(text.startswith(other, start) for other in longer):
            return True
        start = text.find(url, start + 1)
    return False


def _check_nothing_lost(case: Case, dataset: dict[str, Any]) -> None:
    ids = {source["path"]: source["id"] for source in dataset["sources"]}
    for file in case.files:
        source_id = ids[f"inputs/{file.name}"]
        kept = _kept_urls(dataset, source_id)
        lost = {url: writings for url, writings in file.links.items() if url not in kept}
        unknown = {}
        for url, writings in lost.items():
            # A definition whose URL a link also uses is kept through that link.
            links = [tags for tags in writings if "definition" not in tags] or writings
            excuses = [sorted(tags & KNOWN_BUGS.keys()) for tags in links]
            if all(excuses):
                event(f"known bug: {excuses[0][0]}")
            else:
                unknown[url] = [sorted(tags) for tags in writings]
        assert not unknown, f"inputs/{file.name}: links lost: {unknown}"
        beyond = _lines_beyond(dataset, source_id, file.line_count())
        assert not beyond, f"inputs/{file.name} has {file.line_count()} lines: {beyond}"


@_profile()
@given(case=cases())
def test_a_random_list_builds_keeps_every_link_and_gives_the_same_bytes(
    case: Case, fuzz_plugins: Plugins, other_process: OtherProcess
) -> None:
    with tempfile.TemporaryDirectory(prefix="awesomerge-fuzz-") as scratch:
        first = Path(scratch) / "first"
        inputs = _write_inputs(first, case.files)
        written, seconds = _build(first, ["inputs"], fuzz_plugins)
        kilobytes = sum(len(file.data()) for file in case.files) / 1000
        fixed, per_kilobyte = TIME_BOUND
        bound = fixed + per_kilobyte * kilobytes
        if seconds >= bound:  # a slow build is slow again; a busy moment of the machine is not
            seconds = min(seconds, _build(first, ["inputs"], fuzz_plugins)[1])
        traced = sys.gettrace() is not None  # under coverage, every line costs ten times more
        assert traced or seconds < bound, f"{seconds:.2f} s for {kilobytes:.1f} KB, twice"
        event(f"build: {'under' if seconds < 0.2 else 'over'} 0.2 s")

        dataset = json.loads(written["awesomerge.json"])
        for source in dataset["sources"]:
            event(f"format: {source['format']}")
        assert validation_errors(dataset) == []
        _check_nothing_lost(case, dataset)
        _check_as_written(first, case, dataset)

        # The other process builds the files named one by one while this one builds them
        # written and named in reverse order, elsewhere: both must write the same bytes.
        other_process.start(first, inputs, first / "again")
        in_reverse = written
        try:
            if len(case.files) > 1:
                backwards = Path(scratch) / "backwards"
                reversed_inputs = _write_inputs(backwards, case.files[::-1])
                in_reverse, _ = _build(backwards, reversed_inputs, fuzz_plugins)
        finally:
            failure = other_process.finish()
        assert failure is None, f"the other process failed:\n{failure}"
        differing = _differing(written, _outputs(first / "again"))
        assert not differing, f"another process wrote other bytes in {differing}"
        differing = _differing(written, in_reverse)
        assert not differing, f"the files in reverse order gave other bytes in {differing}"


def _differing(outputs: dict[str, bytes], others: dict[str, bytes]) -> list[str]:
    return sorted(
        name for name in outputs.keys() | others.keys() if outputs.get(name) != others.get(name)
    )

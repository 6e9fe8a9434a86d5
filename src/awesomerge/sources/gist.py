"""The ``gist`` source: annotated bullet lists of ``markers **Author** [Title](url) description``.

A "Key" or "Legend" section says what the markers mean (``🟢 = easy, 🕰️ = long``); its pairs go
to the source metadata and become the tags of every item that carries the marker before its link.
Bold names before the link are the authors, a "(2018)" in the title is the year, further links are
related links, and a nested item keeps its parent item as a related link for context.

Markers are matched as written and, failing that, after undoing mojibake on the marker alone: the
core repairs whole lines, so a line holding an unrepairable marker (``ğŸ•°ï¸``, a byte lost) keeps
its other markers broken too (``ğŸŸ¢`` beside a legend that reads ``🟢``).
"""

from __future__ import annotations

import bisect
import itertools
import re
import unicodedata
from typing import Any

from awesomerge.anatomy import split_names, without_publications
from awesomerge.api import Source, SourceRegistrar
from awesomerge.document import Document
from awesomerge.extract import Extractor, link_title, strip_separators, year_in_parentheses
from awesomerge.hookspecs import hookimpl
from awesomerge.markdown import (
    Block,
    Heading,
    InlineText,
    Link,
    ListItem,
    MarkdownTree,
    Paragraph,
    clean_text,
    section_name,
    without_spans,
)
from awesomerge.models import SECTION_SEPARATOR, Item, ParseResult, ProseLink, RelatedLink

LEGEND_HEADINGS = re.compile(r"^(?:emoji )?(?:key|keys|legend|markers|symbols)$", re.IGNORECASE)
LEGEND_LEAD = re.compile(r"^\s*(?:key|legend)\s*:\s*", re.IGNORECASE)
# Code pages that UTF-8 emoji are commonly misread with, tried per marker.
CODE_PAGES = ("cp1252", "cp1254", "cp1250", "mac_roman")

# Not \s: a broken marker may hold a no-break space (ğŸŸ\xa0 is 🟠).
_TOKEN_SPLIT = re.compile(r"[ \t\r\n]+")
_LEGEND_PAIR = re.compile(r"^([^ \t]+?)[ \t]*(?:=|:|–|—| - | )[ \t]*([^ \t].*)$")
# A pattern that starts with spaces is tried where a run of spaces starts, or at the sign when
# the last match took the spaces: from inside a long run each try would read the run again.
_LEGEND_SPLIT = re.compile(r"(?<![ \t])[ \t]*[,;][ \t]*|(?<=[ \t])[,;][ \t]*")
_PUNCTUATION = ",;:|-–—."
_KEYCAP = re.compile("[0-9#*]\u20e3")
_NOT_A_NAME = re.compile(r"[:?!]|(?<!\S)(?:\S+\s+){8}")
_AUTHOR_SPLIT = re.compile(r"(?<!\s)\s*(?:,|;|&|\band\b)\s*|(?<=\s)(?:,|;|&|\band\b)\s*")
_ET_AL = re.compile(r"(?<!\s)\s*\bet\.?\s*al\b\.?\s*$", re.IGNORECASE)
_LABEL = re.compile(r"""\(([^()]{1,30})\)|["“]([^"“”]{1,30})["”]""")
_MARKER_CATEGORIES = frozenset({"So", "Sk", "Sm", "Mn", "Me", "Cf"})
_JOINERS = frozenset({"\u200d", "\ufe0f", "\ufe0e"})


def repaired_marker(text: str) -> str:
    """A marker's emoji with mojibake undone and variation selectors dropped, for matching.

    Lost bytes leave an incomplete sequence, which is dropped: ``ğŸ•°ï¸`` gives 🕰.
    """
    if text.isascii():
        return text
    # Each character a code page encodes is one byte of it: what it leaves out, it cannot.
    page = min(CODE_PAGES, key=lambda name: len(text) - len(text.encode(name, errors="ignore")))
    encodable = {char for char in set(text) if not char.isascii() and _encodes(char, page)}
    parts: list[str] = []
    run: list[str] = []
    for char in text:
        if char in encodable:
            run.append(char)
            continue
        if run:
            parts.append(_decoded_run("".join(run).encode(page), page))
            run.clear()
        parts.append(char)
    parts.append(_decoded_run("".join(run).encode(page), page))
    return "".join(parts).replace("\ufe0f", "").replace("\ufe0e", "")


def _encodes(char: str, page: str) -> bool:
    try:
        char.encode(page)
    except UnicodeEncodeError:
        return False
    return True


def _decoded_run(run: bytes, page: str) -> str:
    if not any(0xC2 <= byte <= 0xF4 for byte in run):  # no UTF-8 lead byte: not mojibake
        return run.decode(page)
    return run.decode("utf-8", errors="ignore")


def is_marker(text: str) -> bool:
    """True for a run of symbols such as ``🟢🕰️`` or ``1️⃣``, written well or broken."""
    symbols = _KEYCAP.sub("\u2b1c", repaired_marker(text))
    return bool(symbols) and all(
        char in _JOINERS or unicodedata.category(char) in _MARKER_CATEGORIES for char in symbols
    )


def graphemes(symbols: str) -> list[str]:
    """Split a run of symbols into single markers, keeping joiners and keycaps with their base."""
    markers: list[str] = []
    for char in symbols:
        joins = markers and (
            char in _JOINERS or markers[-1].endswith("\u200d") or unicodedata.combining(char)
        )
        if joins or (markers and unicodedata.category(char) == "Me"):
            markers[-1] += char
        else:
            markers.append(char)
    return markers


def legend_pairs(text: str) -> dict[str, str]:
    """``{marker: tag}`` from a legend line such as ``🟢 = easy, 🟠 = medium``; {} otherwise."""
    pairs: dict[str, str] = {}
    marker = None
    for part in _LEGEND_SPLIT.split(
        " ".join(_TOKEN_SPLIT.split(LEGEND_LEAD.sub("", text))).strip()
    ):
        match = _LEGEND_PAIR.match(part)
        if match is not None and is_marker(match.group(1)):
            marker = match.group(1)
            pairs[marker] = strip_separators(match.group(2))
        elif marker is None:
            return {}
        else:  # a comma inside a meaning: "🙉 = bad audio, sorry"
            pairs[marker] = f"{pairs[marker]}, {part}"
    return pairs


def read_legend(tree: MarkdownTree) -> tuple[dict[str, str], set[int]]:
    """The document's legend, and the lines that state it (they are not items)."""
    legend: dict[str, str] = {}
    lines: set[int] = set()
    for block in tree.blocks:
        if not isinstance(block, ListItem | Paragraph):
            continue
        text = block.inline.text
        in_legend = _is_legend_section(block.section) or LEGEND_LEAD.match(text) is not None
        pairs = legend_pairs(text) if in_legend else {}
        if pairs:
            legend.update(pairs)
            lines.add(block.line)
    return legend, lines


def _is_legend_section(section: str | None) -> bool:
    name = section.rsplit(SECTION_SEPARATOR, 1)[-1] if section else ""
    return LEGEND_HEADINGS.match(section_name(name)) is not None


class MarkerReader:
    """Reads the markers before an item's link into tags, using the legend."""

    def __init__(self, legend: dict[str, str]) -> None:
        self.tags = {repaired_marker(marker): tag for marker, tag in legend.items()}
        self.tags.update(legend)
        self.longest_first: dict[str, list[str]] = {}
        """The markers by their first character, longest first."""
        for marker in sorted(self.tags, key=len, reverse=True):
            if marker:
                self.longest_first.setdefault(marker[0], []).append(marker)

    def read(self, token: str) -> list[str] | None:
        """The tags a token carries, or None when it is not a marker."""
        if not token:
            return None
        if token in self.tags:
            return [self.tags[token]]
        if not is_marker(token):
            return None
        symbols = repaired_marker(token)
        tags: list[str] = []
        # The run split once, then walked: splitting the rest again after each marker, and
        # cutting it, made a run of many markers quadratic.
        places = list(itertools.accumulate((len(part) for part in graphemes(symbols)), initial=0))
        position = 0
        while position < len(symbols):
            candidates = self.longest_first.get(symbols[position], ())
            known = next((key for key in candidates if symbols.startswith(key, position)), None)
            if known:
                tags.append(self.tags[known])
                position += len(known)
                continue
            following = places[bisect.bisect_right(places, position)]
            marker = symbols[position:following]
            position = following
            if unicodedata.category(marker[0]) == "So" and not _KEYCAP.search(marker):
                tags.append(marker)  # an emoji the legend does not define is a tag as it is
        return tags


def split_authors(text: str) -> list[str]:
    """``Jay Alammar and Cohere`` gives both names; ``Sasha Rush et. al.`` the named one and
    ``others``, as the anatomy reads any author list; names it does not know are split as is."""
    known = split_names(text)
    if known:
        return known
    cleaned = clean_text(text)
    names = [name.strip(" .") for name in _AUTHOR_SPLIT.split(_ET_AL.sub("", cleaned))]
    return [name for name in names if name] + (["others"] if _ET_AL.search(cleaned) else [])


class GistExtractor(Extractor):
    """Reads authors, legend tags, years and parent context into the generic items."""

    def __init__(self, document: Document) -> None:
        super().__init__(document)
        self.legend, self.legend_lines = read_legend(self.tree)
        self.markers = MarkerReader(self.legend)
        self.items_by_block: dict[int, Item] = {}
        self.current: ListItem | None = None

    def title(self) -> str | None:
        return super().title() or _opening_heading(self.tree.blocks)

    def metadata(self) -> dict[str, Any]:
        metadata = super().metadata()
        if self.legend:
            metadata["legend"] = dict(self.legend)
        return metadata

    def list_item(self, item: ListItem) -> None:
        if item.line in self.legend_lines:
            self.keep_links(item)
            return
        count = len(self.items)
        self.current = item
        super().list_item(item)
        self.current = None
        if len(self.items) > count:
            self.items_by_block[item.index] = self.items[-1]

    def keep_links(self, item: ListItem) -> None:
        for link in item.web_links:
            self.links.append(ProseLink(text=link_title(link), url=link.url, line=item.line))

    def item_from_link(
        self,
        inline: InlineText,
        link: Link,
        line: int,
        section: str | None,
        related: list[Link] | None = None,
    ) -> Item:
        item = super().item_from_link(inline, link, line, section, related)
        authors, tags, words = self.read_lead(inline, link)
        # A blog's name in bold among the authors ("**Justin Weinberg, Daily Nous**") is where
        # the piece was published, as the shared reading takes it for every other shape.
        authors, publication = without_publications(authors, link.url)
        item = item.model_copy(
            update={
                "authors": authors,
                "venue": item.venue or publication,
                "tags": tags,
                "description": _description(inline, link, words),
                "related": self.parent_context() + item.related,
            }
        )
        if link.kind != "link":  # the text before a bare URL, without its markers, is the title
            title = strip_separators(self.leading_markers(inline.text[: link.start])[1])
            return item.model_copy(update={"title": title or link_title(link)})
        title, year = year_in_parentheses(item.title)
        return self.retitle(item, title, year=year) if year else item

    def read_lead(self, inline: InlineText, link: Link) -> tuple[list[str], list[str], str]:
        """Authors, tags and leftover words from the text before the item's link.

        A label such as ``(GPT-1)`` is a tag too; words that are neither go to the description.
        """
        if link.kind != "link":  # before a bare URL the text is its title
            return [], self.leading_markers(inline.text[: link.start])[0], ""
        bold = [
            (start, end)
            for start, end in inline.strong
            if end <= link.start and not _NOT_A_NAME.search(inline.text[start:end])
        ]
        authors = [name for start, end in bold for name in split_authors(inline.text[start:end])]
        plain = without_spans(inline.text[: link.start], bold, " ")
        labels = [clean_text(match.group(1) or match.group(2)) for match in _LABEL.finditer(plain)]
        tags: list[str] = []
        words: list[str] = []
        for token in _TOKEN_SPLIT.split(_LABEL.sub(" ", plain)):
            marker_tags = self.markers.read(token.strip(_PUNCTUATION))
            if marker_tags is not None:
                tags.extend(marker_tags)
            elif any(char.isalnum() for char in token):
                words.append(token)
        return authors, list(dict.fromkeys(tags + labels)), " ".join(words)

    def leading_markers(self, text: str) -> tuple[list[str], str]:
        """The tags of the markers a text starts with, and the text after them."""
        tags: list[str] = []
        tokens = _TOKEN_SPLIT.split(text)
        tokens = [token for token in tokens if token]
        while tokens and (marker_tags := self.markers.read(tokens[0])) is not None:
            tags.extend(marker_tags)
            tokens.pop(0)
        return list(dict.fromkeys(tags)), " ".join(tokens)

    def parent_context(self) -> list[RelatedLink]:
        """The item a nested item sits under, as its first related link."""
        parent = self.current.parent if self.current is not None else None
        if parent is None or parent not in self.items_by_block:
            return []
        item = self.items_by_block[parent]
        return [RelatedLink(title=item.title, url=item.url)]


def _opening_heading(blocks: tuple[Block, ...]) -> str | None:
    """A gist often opens with a level-1 heading that has no items under it: its name."""
    if not blocks or not isinstance(blocks[0], Heading) or blocks[0].level != 1:
        return None
    for block in blocks[1:]:
        if isinstance(block, Heading) and block.level == 1:
            return blocks[0].inline.plain
        if not isinstance(block, Paragraph):
            return None
    return None


def _description(inline: InlineText, link: Link, words: str) -> str | None:
    """The text after the link, without bare URLs or stray brackets; None when only links."""
    after = inline.text[link.end :]
    others = [other for other in inline.links if other.start >= link.end]
    prose = without_spans(after, [(o.start - link.end, o.end - link.end) for o in others])
    bare = [
        (o.start - link.end, o.end - link.end) for o in others if o.kind in ("bare", "autolink")
    ]
    after = without_spans(after, bare)
    text = strip_separators(re.sub(r"^[\s)\]+]+", "", clean_text(after)))
    if not any(char.isalnum() for char in prose):
        text = ""
    text = clean_text(f"{words} {text}")
    return text or None


class GistSource(Source):
    name = "gist"
    description = "Annotated bullets: markers **Author** [Title](url) description, with a legend"

    def detect(self, document: Document) -> float:
        return gist_score(document.markdown)

    def parse(self, document: Document) -> ParseResult:
        return GistExtractor(document).run()


def gist_score(tree: MarkdownTree) -> float:
    """How much the document looks like an annotated gist, from its legend and bullet shapes.

    A legend whose markers items use counts for 0.35; the rest comes from the share of linked
    bullets written ``**Name** [Title](url)`` or led by a legend marker (bare-URL bullets count a
    fifth as much).
    """
    legend, _ = read_legend(tree)
    markers = MarkerReader(legend)
    meanings = set(legend.values())
    shaped = bare = marked = linked = 0
    for item in tree.of_type(ListItem):
        links = item.inline.web_links
        if not links:
            continue
        linked += 1
        link, inline = links[0], item.inline
        lead = inline.text[: link.start]
        tags = [markers.read(token) or [] for token in _TOKEN_SPLIT.split(lead)]
        has_marker = any(meanings.intersection(token_tags) for token_tags in tags)
        marked += has_marker
        if link.kind == "link" and (
            has_marker or any(end <= link.start for _, end in inline.strong)
        ):
            shaped += 1
        elif link.kind in ("bare", "autolink") and not any(char.isalnum() for char in lead):
            bare += 1
    if linked < 3:
        return 0.0
    shape = min(1.0, 1.25 * shaped / linked + 0.2 * bare / linked)
    if not marked:
        # Without a legend whose markers the items use, bold text before a link is as likely a
        # paper's title as its author: the generic reader tells them apart, this shape cannot.
        return round(0.4 * shape, 2)
    return round(0.35 + 0.65 * shape, 2)


@hookimpl
def register_sources(register: SourceRegistrar) -> None:
    register(GistSource)

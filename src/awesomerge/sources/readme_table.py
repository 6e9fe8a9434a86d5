"""The ``readme-table`` source: READMEs that catalogue models in Markdown tables.

A table row gives one item per linked resource. Its other cells are read by their column's name
(COLUMN_ROLES): the year column gives the year; the name, info and other text columns give the
description; links under code-like columns (Implementation, Code, Demo...) become related links.
A bullet that joins names with pipes or middle dots, ``[A](u) | [B](u) | C``, gives one item per
link and one unlinked item per bare name. Other bullets read as in the generic source.
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from dataclasses import dataclass

from awesomerge.anatomy import Reading, label_role, link_role, read_item, role_of
from awesomerge.api import Source, SourceRegistrar
from awesomerge.document import Document
from awesomerge.extract import (
    Extractor,
    cell_text,
    join_inlines,
    link_title,
    related_link,
    row_hints,
    strip_separators,
    without_remarks,
)
from awesomerge.hookspecs import hookimpl
from awesomerge.markdown import InlineText, Link, ListItem, MarkdownTree, TableRow, clean_text
from awesomerge.models import Item, ParseResult

#: What a column holds, by header name: matched case-insensitively, first on the whole header
#: (without a parenthesised remark), then on any of its words. Other columns are "other".
COLUMN_ROLES: dict[str, frozenset[str]] = {
    "year": frozenset({"year", "released", "release", "date", "published", "when"}),
    "related": frozenset(
        {"implementation", "implementations", "code", "repo", "repository", "github", "demo"}
        | {"weights", "checkpoints", "notebook", "colab"}
    ),
    "about": frozenset(
        {"info", "description", "notes", "note", "summary", "details", "comments", "remarks"}
    ),
    "name": frozenset({"name", "model", "dataset", "project", "tool", "library"}),
}
#: Columns whose links support the row's resource instead of being resources of their own.
SUPPORTING_ROLES = frozenset({"related", "about"})
#: Link texts that say what a link is but not what it is about: they borrow the row's name.
GENERIC_LINK_TEXTS = frozenset(
    {"paper", "pdf", "arxiv", "link", "here", "code", "github", "repo", "website", "homepage"}
    | {"blog", "demo", "article"}
)

_YEAR = re.compile(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)")
_YEAR_BEFORE_TITLE = re.compile(r"(1[89]\d\d|20\d\d)\s*\|\s*(?=\S)")
#: A pipe or a middle dot with the spaces around it. A match starts where a run of spaces does,
#: or at the sign: searching from inside a long run of spaces would read the run again each time.
_LIST_SEPARATOR = re.compile(r"(?<!\s)\s*[|·]\s*|(?<=\s)[|·]\s*")
_WORD = re.compile(r"[^\W_]+")


def column_role(header: str) -> str:
    """The role of a column: "year", "related", "about", "name" or "other"."""
    key = clean_text(without_remarks(header)).casefold()
    for role, names in COLUMN_ROLES.items():
        if key in names:
            return role
    words = _WORD.findall(key)
    for role, names in COLUMN_ROLES.items():
        if any(word in names for word in words):
            return role
    return "other"


def squashed(text: str) -> str:
    return "".join(_WORD.findall(text.casefold()))


@dataclass(frozen=True)
class RowFacts:
    """What a row says about every resource linked in it."""

    year: int | None = None
    name: str = ""
    about: str = ""
    labelled: tuple[str, ...] = ()

    def description(self, title: str, own: str) -> str | None:
        """The description of one resource: its own text, then the row's name and info, then
        the other columns as "Header: value". The name is left out when the title holds it."""
        name = "" if squashed(self.name) in squashed(title) else self.name
        lead = f"{name}: {self.about}" if name and self.about else name or self.about
        return "; ".join(part for part in (own, lead, *self.labelled) if part) or None


def row_facts(row: TableRow) -> RowFacts:
    """Read the cells without links of a row by their column's role."""
    facts = RowFacts()
    for header, cell in zip(row.header, row.cells, strict=False):
        role, text = column_role(header), cell_text(cell)
        year = _YEAR.search(text) if role == "year" else None
        if year and facts.year is None:
            facts = dataclasses.replace(facts, year=int(year.group(1)))
        elif role == "name" and text and not facts.name:
            facts = dataclasses.replace(facts, name=text)
        elif role == "about" and text:
            facts = dataclasses.replace(facts, about=clean_text(f"{facts.about} {text}"))
        elif text and not cell.web_links:
            label = f"{header}: {text}" if header else text
            facts = dataclasses.replace(facts, labelled=(*facts.labelled, label))
    return facts


def row_links(
    row: TableRow, reading: Reading | None
) -> tuple[list[tuple[InlineText, Link]], list[tuple[InlineText, Link]]]:
    """The row's resources (each with its cell) and the links that support them.

    A row whose only links are supporting ones makes the one its `reading` chose the resource,
    so none is lost.
    """
    resources: list[tuple[InlineText, Link]] = []
    supporting: list[tuple[InlineText, Link]] = []
    for header, cell in zip(row.header, row.cells, strict=False):
        for link in cell.web_links:
            # A labelled link ("[code](u)", "[论文](u)", a badge) supports the row's resource.
            labelled = link_role(cell, link) is not None and link.kind not in ("bare", "autolink")
            bucket = (
                supporting if column_role(header) in SUPPORTING_ROLES or labelled else resources
            )
            bucket.append((cell, link))
    for cell in row.overflow:  # cells past the last column: they tell about the row
        supporting += [(cell, link) for link in cell.web_links]
    if not resources and supporting:
        # Only labels: the anatomy picks the resource among them (the paper before its code).
        chosen = reading.primary if reading is not None else supporting[0][1]
        index = next(
            (index for index, (_, link) in enumerate(supporting) if link.url == chosen.url), 0
        )
        return [supporting[index]], supporting[:index] + supporting[index + 1 :]
    return resources, supporting


def resource_title(link: Link, name: str) -> str:
    """A link's text, or the row's name where the text cannot name the resource: a bare URL
    takes the name, a generic "paper" or "code" becomes "Name (paper)"."""
    title = link_title(link)
    if not name:
        return title
    if link.kind in ("bare", "autolink") or title == link.url or label_role(title) is not None:
        return name
    return f"{name} ({title})" if title.casefold() in GENERIC_LINK_TEXTS else title


def sub_inline(
    inline: InlineText, start: int, end: int, links: tuple[Link, ...] | None = None
) -> InlineText:
    """The part of an inline text between two offsets, with the links that lie inside it;
    `links`, when given, are the only ones to look at."""
    links = tuple(
        dataclasses.replace(link, start=link.start - start, end=link.end - start)
        for link in (inline.links if links is None else links)
        if start <= link.start and link.end <= end
    )
    return InlineText(text=inline.text[start:end], links=links)


def _segment_edges(inline: InlineText) -> list[tuple[int, int]] | None:
    """(start, end) of the parts of a text between pipes or middle dots outside its links;
    None if there is no such separator.

    One sweep over the separators and the links together, both in text order: a bullet of
    thousands of pipes and links is read in one pass.
    """
    text = inline.text
    if "|" not in text and "·" not in text:
        return None
    links = sorted(inline.links, key=lambda link: link.start)
    edges = [0]
    first = 0  # the first link that may still reach a separator
    for match in _LIST_SEPARATOR.finditer(text):
        while first < len(links) and links[first].end <= match.start():
            first += 1
        if first < len(links) and links[first].start < match.end():
            continue  # inside a link, or touching one
        edges += match.span()
    if len(edges) == 1:
        return None
    edges.append(len(text))
    return list(zip(edges[::2], edges[1::2], strict=True))


def list_segments(inline: InlineText) -> list[InlineText] | None:
    """The parts of a text joined by pipes or middle dots outside its links; None if none."""
    edges = _segment_edges(inline)
    if edges is None:
        return None
    links = sorted(inline.links, key=lambda link: link.start)
    pieces = []
    taken = 0
    for start, end in edges:
        while taken < len(links) and links[taken].start < start:
            taken += 1
        inside = taken
        while inside < len(links) and links[inside].start < end:
            inside += 1
        pieces.append(sub_inline(inline, start, end, tuple(links[taken:inside])))
        taken = inside
    return [piece for piece in pieces if piece.plain]


def has_segments(inline: InlineText) -> bool:
    """Whether `list_segments` finds a part with text, without making the parts."""
    edges = _segment_edges(inline)
    return edges is not None and any(inline.text[start:end].strip() for start, end in edges)


def joins_links(inline: InlineText) -> bool:
    """True for a text that joins two or more links with separators: ``[A](u) | [B](u)``."""
    edges = _segment_edges(inline)
    if edges is None:
        return False
    starts = [start for start, _ in edges]
    linked: set[int] = set()
    for link in inline.web_links:
        number = bisect.bisect_right(starts, link.start) - 1
        start, end = edges[number]
        if link.end <= end and inline.text[start:end].strip():
            linked.add(number)
            if len(linked) >= 2:
                return True
    return False


def index_lists(tree: MarkdownTree) -> set[tuple[str | None, int | None]]:
    """The lists (by section and parent item) that are indexes of names: some item joins links
    with separators, and at least half the items have separators. There, every item with a
    separator is a list of names, linked or not."""
    items: dict[tuple[str | None, int | None], list[ListItem]] = {}
    for item in tree.of_type(ListItem):
        items.setdefault((item.section, item.parent), []).append(item)
    return {
        key
        for key, members in items.items()
        if any(joins_links(item.inline) for item in members)
        and 2 * sum(1 for item in members if has_segments(item.inline)) >= len(members)
    }


class ReadmeTableExtractor(Extractor):
    """Reads table rows by their columns and splits index bullets; the rest as Extractor does."""

    def __init__(self, document: Document) -> None:
        super().__init__(document)
        self.index_lists = index_lists(self.tree)

    def table_row(self, row: TableRow) -> None:
        hints = row_hints(row)[0]
        reading = read_item(join_inlines(row.cells), hints)
        resources, supporting = row_links(row, reading)
        if not resources:
            text = " | ".join(filter(None, (cell_text(cell) for cell in row.cells)))
            self.add_unlinked(text, row.line, row.section)
            return
        facts = row_facts(row)
        name = facts.name or hints.name or ""
        for cell, link in resources:
            title = resource_title(link, name)
            own = strip_separators(cell.after(link)) if len(cell.web_links) == 1 else ""
            item = Item(
                url=link.url,
                title=link_title(link),
                description=facts.description(title, own),
                section=row.section,
                line=row.line,
                year=facts.year or (reading.year if reading else None),
                authors=list(reading.authors if reading else hints.authors),
                venue=reading.venue if reading else hints.venue,
                related=[related_link(other, role_of(home, other)) for home, other in supporting],
            )
            self.add_item(self.retitle(item, title) if title != item.title else item)

    def list_item(self, item: ListItem) -> None:
        segments = list_segments(item.inline)
        in_index = (item.section, item.parent) in self.index_lists
        if segments is None or item.extra or not (in_index or joins_links(item.inline)):
            super().list_item(item)
            return
        lead = ""
        if segments[0].web_links:
            lead = strip_separators(segments[0].before(segments[0].web_links[0]))
        for segment in segments:
            links = segment.web_links
            if not links:
                self.add_unlinked(strip_separators(segment.plain), item.line, item.section)
                continue
            entry = self.item_from_link(segment, links[0], item.line, item.section, [*links[1:]])
            own = link_title(links[0])
            if (
                lead and entry.title == lead and own != lead
            ):  # "Lectures: [Part 1](u) | [Part 2](u)"
                entry = self.retitle(entry.model_copy(update={"title": own}), f"{lead}: {own}")
            elif lead and entry.title != lead:
                entry = self.retitle(entry, f"{lead}: {entry.title}")
            self.add_item(entry)

    def add_item(self, item: Item) -> None:
        """Take a year written before the title, "[2014 | Title](url)", out of the title."""
        match = _YEAR_BEFORE_TITLE.match(item.title)
        if match and item.year is None:
            item = self.retitle(item, item.title[match.end() :], year=int(match.group(1)))
        super().add_item(item)


class ReadmeTableSource(Source):
    name = "readme-table"
    description = (
        "READMEs with tables of models (Year, Name, Paper, Info, Code) and pipe-separated "
        "indexes of names"
    )

    def detect(self, document: Document) -> float:
        """High for tables whose rows carry links under known column names, and for bullets
        that join links with pipes; scaled by how much of the list lives in tables."""
        tree = document.markdown
        linked_rows = [row for row in tree.of_type(TableRow) if row.web_links]
        linked_items = [item for item in tree.of_type(ListItem) if item.web_links]
        roles = {column_role(header) for row in linked_rows for header in row.header}
        known_roles = len(roles - {"other"})
        joined = sum(1 for item in linked_items if joins_links(item.inline))
        share = len(linked_rows) / max(1, len(linked_rows) + len(linked_items))
        score = (
            0.3 * min(len(linked_rows), 10) / 10
            + 0.3 * known_roles / len(COLUMN_ROLES)
            + 0.2 * min(1.0, 4 * share)
            + 0.2 * min(joined, 3) / 3
        )
        return round(min(score, 0.95), 2)

    def parse(self, document: Document) -> ParseResult:
        return ReadmeTableExtractor(document).run()


@hookimpl
def register_sources(register: SourceRegistrar) -> None:
    register(ReadmeTableSource)

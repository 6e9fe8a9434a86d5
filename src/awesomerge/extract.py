"""Turning Markdown blocks into items: the reading every source plugin shares.

`Extractor` walks a document's blocks once and files every http(s) link somewhere: as an item,
as an item's related link, or as a prose link of the source. A source plugin subclasses it and
overrides only what its shape reads differently (a table row, a heading, a nested item), so no
plugin copies the walk, and no plugin can lose a link by forgetting a block type.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from typing import Any

from awesomerge.anatomy import (
    Hints,
    Reading,
    host_role,
    is_bare_label,
    label_role,
    link_role,
    read_item,
    split_names,
    venue_in,
    vocabulary,
    year_in,
)
from awesomerge.document import Document
from awesomerge.markdown import (
    Block,
    Heading,
    InlineText,
    Link,
    ListItem,
    Paragraph,
    TableRow,
    bare_urls,
    clean_text,
    without_spans,
)
from awesomerge.models import (
    SECTION_SEPARATOR,
    Item,
    ParseResult,
    ProseLink,
    RelatedLink,
    SourceWarning,
    UnlinkedItem,
)
from awesomerge.urls import is_web_url

_YEAR_IN_PARENTHESES = re.compile(r"(?<!\s)\s*\((1[89]\d\d|20\d\d)\)")
_LEADING_SEPARATORS = re.compile(r"^[\s\-–—:|,;.·•+]+")
#: Searched only from where a run of separators starts: from inside a long run, each try would
#: read the run again.
_TRAILING_SEPARATORS = re.compile(r"(?<![\s\-–—:|,;·•])[\s\-–—:|,;·•]+$")


def strip_separators(text: str) -> str:
    """Remove the dashes, colons and pipes that join a title to its description."""
    return _TRAILING_SEPARATORS.sub("", _LEADING_SEPARATORS.sub("", text))


def without_remarks(text: str) -> str:
    r"""The text without its remarks in brackets, "(...)" on one line, as a header writes them:
    "Year (first release)". What ``re.sub(r"\(.*?\)", "", text)`` gives, in one pass: that
    pattern reads to the end of the line from each "(" never closed."""
    pieces: list[str] = []
    position = 0
    while (opening := text.find("(", position)) >= 0:
        line_end = text.find("\n", opening)
        line_end = len(text) if line_end < 0 else line_end
        closing = text.find(")", opening, line_end)
        if closing < 0:  # no "(" after this one on the line closes either
            pieces.append(text[position:line_end])
            position = line_end
            continue
        pieces.append(text[position:opening])
        position = closing + 1
    pieces.append(text[position:])
    return "".join(pieces)


def year_in_parentheses(text: str) -> tuple[str, int | None]:
    """Take a year written as "(2018)" out of a text: ("Title", 2018) from "Title (2018)"."""
    match = _YEAR_IN_PARENTHESES.search(text)
    if match is None:
        return text, None
    return clean_text(text[: match.start()] + text[match.end() :]), int(match.group(1))


def link_title(link: Link) -> str:
    return clean_text(link.text) or link.url


def related_link(link: Link, role: str | None = None) -> RelatedLink:
    """A related link; its role, unless given, from its label or else its host."""
    if role is None:
        role = label_role(link.text) or host_role(link.url)
    title = link_title(link)
    bracketed = re.fullmatch(r"\[([^\[\]]+)\]|\(([^()]+)\)", title)
    if bracketed is not None:  # "[[Code]](u)" is labelled Code
        title = clean_text(bracketed.group(1) or bracketed.group(2))
    return RelatedLink(title=title, url=link.url, role=role)


def is_navigation(links: tuple[Link, ...]) -> bool:
    """True when every link points into the page itself, as a table of contents does."""
    return bool(links) and all(link.url.startswith("#") for link in links)


def join_inlines(inlines: Iterable[InlineText]) -> InlineText:
    """Several paragraphs of one item as one text, a line break between them."""
    joined = InlineText()
    for inline in inlines:
        joined = joined.joined(inline)
    return joined


#: Cells that hold nothing: "-", "—", "n/a", ":-:".
_PLACEHOLDER_CELL = re.compile(r"[\s:\-–—]*|n/?a", re.IGNORECASE)


def cell_text(cell: InlineText) -> str:
    """A cell's text; empty for placeholders such as ``:-:``, ``—`` and ``n/a``."""
    text = cell.plain
    return "" if _PLACEHOLDER_CELL.fullmatch(text) else text


_LABEL_LINE = re.compile(r"^\W*([^\W\d][^:：]{0,24})[:：]")


def is_part(item: ListItem, strict: bool = False) -> bool:
    """True for a bullet that tells about the item above it rather than naming a resource.

    ``- Paper: <u>``, ``- [Code](u)`` and ``- Authors: A, B`` are parts; under a linked item, so
    are link-less notes and prose with a link in mid-sentence. ``- [Name](u) - what it is`` and
    ``- **Title** [pdf](u)`` are items of their own. `strict` asks for the first kinds only, for
    bullets after a title line.
    """
    inline = item.inline
    label = _LABEL_LINE.match(inline.text)
    if label is not None and label_role(label.group(1)) is not None:
        return True
    if label is not None and label.group(1).strip().casefold() in _PART_LABELS:
        return True
    if _starts_with_title(inline):
        return False
    links = inline.web_links
    if not links:
        return not strict or len(inline.plain.split()) <= 6
    if all(link_role(inline, link) is not None for link in links):
        if strict and any(link.kind in ("bare", "autolink") for link in links):
            return False  # a bare URL bullet is a reference of its own
        return not strict or len(_outside_links(inline).split()) <= 6
    if strict:
        return False
    first = links[0]
    lead = _unstyled(inline, first.start)
    # Prose that mentions a link ("See the [open PR](u) for details") tells about its parent;
    # a short lead ("GPT-1: Liu et al. [Title](u)") introduces a resource of its own, and so
    # does one whose words are in bold: the authors ("**Kim and Lee et al.** [Title](u)").
    return len(re.findall(r"[^\W\d_]{2,}", lead)) >= 5 and not _starts_styled(inline, first)


def _unstyled(inline: InlineText, end: int) -> str:
    """The text before `end` with its strong and underlined runs left out."""
    kept = list(inline.text[:end])
    for span in inline.spans:
        if span.kind in ("strong", "underline"):
            kept[span.start : min(span.end, end)] = [" "] * max(0, min(span.end, end) - span.start)
    return "".join(kept)


#: Labels of a bullet that states a fact about the item above: "Authors: A, B".
_PART_LABELS = frozenset(
    {"authors", "author", "by", "venue", "year", "published", "conference", "作者", "会议"}
)


def _outside_links(inline: InlineText) -> str:
    return without_spans(inline.text, [(link.start, link.end) for link in inline.links])


def _starts_with_title(inline: InlineText) -> bool:
    """True when the text opens with a bold or underlined title of its own."""
    text = inline.text
    start = len(text) - len(text.lstrip(" \t⭐🔥✨"))
    for span in inline.spans:
        if span.start > start + 3:
            return False
        if span.kind in ("strong", "underline") and not any(
            link.start <= span.start and span.end <= link.end for link in inline.links
        ):
            content = clean_text(text[span.start : span.end])
            return len(content) > 3 and not content.endswith(":")
    return False


def _starts_styled(inline: InlineText, first: Link) -> bool:
    """True when the text before the first link is a bold or underlined name: ``**X** [u]``."""
    lead_end = len(inline.text[: first.start].rstrip())
    return any(
        span.kind in ("strong", "underline") and span.start <= 3 and span.end >= lead_end - 3
        for span in inline.spans
    )


def opens_with_resource(inline: InlineText) -> bool:
    """True when a paragraph starts with a link, a bold title or a citation number: an entry.

    Newsletters and reference lists write their entries as paragraphs; running prose that
    merely contains a link does not start this way.
    """
    links = inline.web_links
    if not links:
        return False
    text = inline.text
    start = len(text) - len(text.lstrip())
    number = re.match(r"\s*(?:\*\*)?\[?\d{1,4}[\].)]\s*", text)
    if number is not None:
        return True  # a numbered reference: "[12] Surname, G. ...", "**[3]** ..."
    if any(link.start <= start + 3 and link_role(inline, link) != "badge" for link in links):
        return True
    for span in inline.spans:
        if span.start > start + 3:
            break
        if span.kind in ("strong", "underline"):
            content = clean_text(text[span.start : span.end])
            return (
                len(content) > 3
                and not content.endswith(":")
                and bool(re.search(r"[^\W\d_]", content))
            )
    return False


class Extractor:
    """Reads a document's blocks into a ParseResult; subclass it to read a shape differently.

    The blocks decide what an item is; `awesomerge.anatomy.read_item` reads each item's parts.
    Two shapes span several blocks and are joined here: a list item with sub-bullets that tell
    about it (``- Paper: u``), and a short title line followed by such bullets.
    """

    def __init__(self, document: Document) -> None:
        self.document = document
        self.tree = document.markdown
        self.items: list[Item] = []
        self.unlinked: list[UnlinkedItem] = []
        self.links: list[ProseLink] = []
        self.warnings: list[SourceWarning] = []
        self.kids: dict[int, list[ListItem]] = {}
        for block in self.tree.blocks:
            if isinstance(block, ListItem) and block.parent is not None:
                self.kids.setdefault(block.parent, []).append(block)
        self.folded: set[int] = set()
        self.pending: Paragraph | None = None
        self.group: list[ListItem] = []
        self._reading: tuple[InlineText, Link, Reading] | None = None

    def run(self) -> ParseResult:
        front_matter = self.document.front_matter
        if front_matter.warning is not None:
            self.warnings.append(front_matter.warning)
        self.warnings.extend(self.tree.warnings)
        for block in self.tree.blocks:
            self.dispatch(block)
        self.flush_group()
        self.finish()
        for reference in (*self.tree.unused_references, *self.tree.loose_links):
            if is_web_url(reference.url):
                self.links.append(
                    ProseLink(text=reference.label, url=reference.url, line=reference.line)
                )
        self.keep_unread_urls()
        return ParseResult(
            title=self.title(),
            metadata=self.metadata(),
            items=self.items,
            unlinked=self.unlinked,
            links=self.links,
            warnings=self.warnings,
        )

    def dispatch(self, block: Block) -> None:
        """Hold a title line back while bullets that tell about it follow; then read the block."""
        if self.pending is not None:
            if isinstance(block, ListItem) and (
                block.index in self.folded or (block.parent is None and self.tells_about(block))
            ):
                if block.parent is None:
                    self.group.append(block)
                    self.fold_descendants(block)
                return
            self.flush_group()
        if isinstance(block, Paragraph) and self.is_title_line(block):
            self.pending = block
            return
        self.block(block)

    def finish(self) -> None:
        """Called after the last block: flush anything a subclass held back."""

    def keep_unread_urls(self) -> None:
        """Keep, as prose links, URLs in a block's text that no link was parsed from.

        Malformed Markdown hides URLs from the parser: ``[![b](i)]([u1](u2))`` parses as one
        link to ``[u1](u2)``. A reader still sees u2, so it must not be lost. The URLs of the
        links read are left out by where they are written, not by what they say: read as bare
        URLs, ``[T](https://w.example/A_(b))`` or ``http://[::1]/`` would give pieces of them.
        """
        found = {link.url for link in self.links}
        for item in self.items:
            found.add(item.url)
            found.update(link.url for link in item.related)
        # Tags are not left out by place: <a href=u> is read by the HTML reader, and its URL
        # read again as a bare URL may come out shorter ("href=u." or "href='x>y'").
        ordered = sorted(found)
        for block in self.tree.blocks:
            inlines = _block_inlines(block)
            images = {image.url for inline in inlines for image in inline.images}
            for inline in inlines:
                if "://" not in inline.source:
                    continue
                unread = [without_spans(inline.source, inline.url_spans, filler=None)]
                # A link's text that shows a URL shows it to the reader, escaped or not; but
                # only as written: not with "*d*" in it read as emphasis, nor cut where an
                # autolink's text decoded "%20".
                unread += [
                    inline.text[link.start : link.end]
                    for link in inline.links
                    if link.kind not in ("bare", "autolink")  # their text is their URL
                ]
                unescaped = ""
                for number, text in enumerate(unread):
                    for start, end in bare_urls(text):
                        url = text[start:end]
                        if url in found or url in images or _piece(text, start, url, ordered):
                            continue
                        if number:
                            unescaped = unescaped or inline.source.replace("\\", "")
                            if not _written_whole(unescaped, url, ordered):
                                continue
                        if is_web_url(url):
                            found.add(url)
                            self.links.append(ProseLink(text=url, url=url, line=block.line))

    # What the document says about itself.

    def title(self) -> str | None:
        title = self.document.front_matter.data.get("title")
        if isinstance(title, str) and title.strip():
            return clean_text(title)
        return self.tree.title

    def metadata(self) -> dict[str, Any]:
        return dict(self.document.front_matter.data)

    # One method per block type; each files every web link it sees.

    def block(self, block: Block) -> None:
        if isinstance(block, ListItem):
            self.list_item(block)
        elif isinstance(block, TableRow):
            self.table_row(block)
        elif isinstance(block, Heading):
            self.heading(block)
        elif isinstance(block, Paragraph):
            self.paragraph(block)

    def list_item(self, item: ListItem) -> None:
        if item.index in self.folded:
            return
        parts = self.parts_of(item)
        for kid in parts:
            self.fold_descendants(kid)
        inline = join_inlines(
            [
                item.inline,
                *item.extra,
                *(
                    part
                    for kid in parts
                    for node in (kid, *self.descendants(kid))
                    for part in (node.inline, *node.extra)
                ),
            ]
        )
        if not inline.web_links:
            every_link = tuple(inline.links)
            if not is_navigation(every_link):
                text = item.inline.plain or " ".join(extra.plain for extra in item.extra)
                self.add_unlinked(text, item.line, item.section)
            return
        self.add_read_item(inline, item.line, item.section)

    def table_row(self, row: TableRow) -> None:
        hints, used = self.row_hints(row)
        inline = join_inlines(row.cells)
        if not inline.web_links:
            text = " | ".join(cell.plain for cell in row.cells if cell.plain)
            if text:
                self.add_unlinked(text, row.line, row.section)
            return
        reading = self.read(inline, hints)
        if reading is None:
            return
        if reading.title != hints.name:
            used = {number for number in used if row.cells[number].plain != hints.name}
        primary_url = reading.primary.url
        others = " | ".join(
            cell_text(cell)
            for number, cell in enumerate(row.cells)
            if cell_text(cell)
            and number not in used
            and (not cell.web_links or _describes(cell, primary_url))
        )
        item = self.item_from_link(inline, reading.primary, row.line, row.section)
        item = item.model_copy(update={"description": others or None})
        self.add_item(item)

    def row_hints(self, row: TableRow) -> tuple[Hints, set[int]]:
        """What a row's named columns say: its name, authors, year and venue."""
        return row_hints(row)

    def heading(self, heading: Heading) -> None:
        if heading.inline.web_links:
            self.add_read_item(heading.inline, heading.line, heading.section)

    def paragraph(self, paragraph: Paragraph) -> None:
        in_body = paragraph.section is not None or self.document.front_matter.present
        if in_body and opens_with_resource(paragraph.inline):
            self.add_read_item(paragraph.inline, paragraph.line, paragraph.section)
            return
        for link in paragraph.inline.web_links:
            self.links.append(ProseLink(text=link_title(link), url=link.url, line=paragraph.line))

    # Items that span blocks.

    def is_title_line(self, paragraph: Paragraph) -> bool:
        """A short paragraph that may title the bullets after it: plain, or one linked title."""
        inline = paragraph.inline
        if not 0 < len(inline.plain.split()) <= 40:
            return False
        return not inline.web_links or (len(inline.web_links) == 1 and opens_with_resource(inline))

    def tells_about(self, bullet: ListItem) -> bool:
        """A top-level bullet after a title line tells about it: a part, with only parts
        below it. A bullet that heads items of its own ("Kernels", then linked papers) is a
        heading of the list, and the title line stays a paragraph."""
        if not is_part(bullet, strict=True):
            return False
        return all(is_part(kid) for kid in self.descendants(bullet))

    def parts_of(self, item: ListItem) -> list[ListItem]:
        """The sub-bullets that tell about a list item, each with all of its own sub-bullets.

        A note without a link belongs to a linked item only; a sub-bullet that heads items of
        its own is never a part.
        """
        linked = bool(item.web_links)
        found = []
        for kid in self.kids.get(item.index, []):
            nested = self.descendants(kid)
            if not is_part(kid) or not all(is_part(node) for node in nested):
                continue
            if linked or any(node.web_links for node in (kid, *nested)):
                found.append(kid)
        return found

    def fold_descendants(self, item: ListItem) -> None:
        self.folded.add(item.index)
        for kid in self.kids.get(item.index, []):
            self.fold_descendants(kid)

    def flush_group(self) -> None:
        """A held title line: with the bullets that followed it, one item; alone, nothing."""
        pending, group = self.pending, self.group
        self.pending, self.group = None, []
        if pending is None:
            return
        if not group:
            self.paragraph(pending)
            return
        inlines = [pending.inline]
        for bullet in group:
            inlines.append(bullet.inline)
            inlines.extend(bullet.extra)
            for kid in self.descendants(bullet):
                inlines.extend((kid.inline, *kid.extra))
        inline = join_inlines(inlines)
        if not inline.web_links:  # a short line before an unlinked list: read them as usual
            self.paragraph(pending)
            for bullet in group:
                self.folded.discard(bullet.index)
                for kid in self.descendants(bullet):
                    self.folded.discard(kid.index)
            for bullet in group:
                self.block(bullet)
                for kid in self.descendants(bullet):
                    self.block(kid)
            return
        hints = Hints(name=None if pending.inline.web_links else pending.inline.plain)
        self.add_read_item(inline, pending.line, pending.section, hints)

    def descendants(self, item: ListItem) -> list[ListItem]:
        found: list[ListItem] = []
        for kid in self.kids.get(item.index, []):
            found.append(kid)
            found.extend(self.descendants(kid))
        return found

    # Helpers for subclasses.

    def hints(self) -> Hints:
        """What this shape knows about every item; a subclass may say more."""
        return Hints()

    def read(self, inline: InlineText, hints: Hints | None = None) -> Reading | None:
        """The parts of an item's text, kept for the `item_from_link` call that follows."""
        reading = read_item(inline, hints or self.hints())
        if reading is not None:
            self._reading = (inline, reading.primary, reading)
        return reading

    def add_read_item(
        self, inline: InlineText, line: int, section: str | None, hints: Hints | None = None
    ) -> None:
        reading = self.read(inline, hints)
        if reading is not None:
            self.add_item(self.item_from_link(inline, reading.primary, line, section))

    def item_from_link(
        self,
        inline: InlineText,
        link: Link,
        line: int,
        section: str | None,
        related: list[Link] | None = None,
    ) -> Item:
        """An item for `link` as the resource of `inline`, its other parts read by the anatomy.

        `related`, when given, limits the related links to those.
        """
        cached = self._reading
        if cached is not None and cached[0] is inline and cached[1] is link:
            reading = cached[2]
        else:
            reading = read_item(inline, self.hints(), primary=link) or Reading(
                primary=link, title=link_title(link)
            )
        self._reading = None
        links = reading.related
        if related is not None:
            wanted = {id(other) for other in related}
            links = tuple(part for part in links if id(part.link) in wanted)
        title = reading.title or link_title(link)
        written = clean_text(reading.written_title) if reading.written_title else None
        return Item(
            url=link.url,
            title=title,
            written_title=written if written and written != title else None,
            description=reading.description,
            section=section,
            line=line,
            authors=list(reading.authors),
            venue=reading.venue,
            year=reading.year,
            related=[related_link(part.link, part.role) for part in links],
        )

    @staticmethod
    def retitle(item: Item, title: str, **changes: object) -> Item:
        """The item with a cleaned title; the occurrence keeps the title as the list wrote it."""
        written = item.written_title or item.title
        updates = {"title": title, "written_title": written if written != title else None}
        return item.model_copy(update={**updates, **changes})

    def add_item(self, item: Item) -> None:
        if is_bare_label(item.title) and item.section:
            # Nothing but labels ("[Paper](u) [Code](u)"): the heading names the resource.
            heading = item.section.rsplit(SECTION_SEPARATOR, 1)[-1]
            item = self.retitle(item, f"{heading} {item.title}")
        self.items.append(item)

    def add_unlinked(self, text: str, line: int, section: str | None) -> None:
        if text:
            self.unlinked.append(UnlinkedItem(text=clean_text(text), line=line, section=section))

    def warn(self, message: str, line: int | None = None) -> None:
        self.warnings.append(SourceWarning(message=message, line=line))


def _describes(cell: InlineText, primary_url: str) -> bool:
    """A cell with links that still reads as a description: "Formatter, see [docs](u)"."""
    if any(link.url == primary_url for link in cell.web_links):
        return False
    return len(_outside_links(cell).split()) >= 3


def _block_inlines(block: Block) -> tuple[InlineText, ...]:
    if isinstance(block, ListItem):
        return (block.inline, *block.extra)
    if isinstance(block, TableRow):
        return block.cells
    return (block.inline,)


def row_hints(row: TableRow) -> tuple[Hints, set[int]]:
    """A row's name, authors, year and venue from its columns, and which cells gave them."""
    columns = vocabulary().columns
    used: set[int] = set()
    found: dict[str, tuple[int, int]] = {}
    for number, header in enumerate(row.header):
        key = clean_text(without_remarks(header)).casefold()
        for role, names in columns.items():
            rank = names.index(key) if key in names else None
            if rank is None:
                words = re.findall(r"[^\W_]+", key)
                rank = min(
                    (names.index(word) + 100 for word in words if word in names), default=None
                )
            if rank is not None and (role not in found or rank < found[role][1]):
                found[role] = (number, rank)
    cells = row.cells

    def cell(role: str) -> InlineText | None:
        if role not in found or found[role][0] >= len(cells):
            return None
        return cells[found[role][0]]

    name_cell = cell("title")
    if name_cell is None and cells and cells[0].plain and not cells[0].web_links:
        name_cell = cells[0]
    name = name_cell.plain if name_cell is not None and name_cell.plain else None
    authors_cell, year_cell, venue_cell = cell("authors"), cell("year"), cell("venue")
    authors = tuple(split_names(authors_cell.plain) or ()) if authors_cell is not None else ()
    year = year_in(year_cell.plain) if year_cell is not None else None
    venue = venue_in(venue_cell.plain) if venue_cell is not None else None
    for role in ("title", "authors", "year", "venue"):
        if role in found and (role != "title" or name):
            used.add(found[role][0])
    name_links = name_cell.web_links if name_cell is not None else ()
    name_url = name_links[0].url if name_links else None
    hints = Hints(name=name, name_url=name_url, authors=authors, year=year, venue=venue)
    return hints, used


def _piece(text: str, start: int, url: str, ordered: list[str]) -> bool:
    """Whether the URL at text[start:] is the start of a longer URL already read that is
    written there: a piece of a link, not a link. `ordered` is sorted, so the URLs that start
    with `url` follow each other from where it would go."""
    index = bisect.bisect_right(ordered, url)
    while index < len(ordered) and ordered[index].startswith(url):
        longer = ordered[index]
        # A URL written with spaces after it in quotes (href="u ") is the same URL.
        if longer[len(url) :].strip() and text.startswith(longer, start):
            return True
        index += 1
    return False


def _written_whole(text: str, url: str, ordered: list[str]) -> bool:
    """Whether `url` is written in the text other than as a piece of a longer URL read."""
    start = text.find(url)
    while start != -1:
        if not _piece(text, start, url, ordered):
            return True
        start = text.find(url, start + 1)
    return False

"""Turning Markdown blocks into items: the reading every source plugin shares.

`Extractor` walks a document's blocks once and files every http(s) link somewhere: as an item,
as an item's related link, or as a prose link of the source. A source plugin subclasses it and
overrides only what its shape reads differently (a table row, a heading, a nested item), so no
plugin copies the walk, and no plugin can lose a link by forgetting a block type.
"""

from __future__ import annotations

import re
from typing import Any

from awesomerge.document import Document
from awesomerge.markdown import (
    Block,
    Heading,
    InlineText,
    Link,
    ListItem,
    Paragraph,
    TableRow,
    clean_text,
)
from awesomerge.models import (
    Item,
    ParseResult,
    ProseLink,
    RelatedLink,
    SourceWarning,
    UnlinkedItem,
)
from awesomerge.urls import is_web_url

_YEAR_IN_PARENTHESES = re.compile(r"\s*\((1[89]\d\d|20\d\d)\)")
_LEADING_SEPARATORS = re.compile(r"^[\s\-–—:|,;.·•+]+")
_TRAILING_SEPARATORS = re.compile(r"[\s\-–—:|,;·•]+$")


def strip_separators(text: str) -> str:
    """Remove the dashes, colons and pipes that join a title to its description."""
    return _TRAILING_SEPARATORS.sub("", _LEADING_SEPARATORS.sub("", text))


def year_in_parentheses(text: str) -> tuple[str, int | None]:
    """Take a year written as "(2018)" out of a text: ("Title", 2018) from "Title (2018)"."""
    match = _YEAR_IN_PARENTHESES.search(text)
    if match is None:
        return text, None
    return clean_text(text[: match.start()] + text[match.end() :]), int(match.group(1))


def link_title(link: Link) -> str:
    return clean_text(link.text) or link.url


def related_link(link: Link) -> RelatedLink:
    return RelatedLink(title=link_title(link), url=link.url)


def is_navigation(links: tuple[Link, ...]) -> bool:
    """True when every link points into the page itself, as a table of contents does."""
    return bool(links) and all(link.url.startswith("#") for link in links)


class Extractor:
    """Reads a document's blocks into a ParseResult; subclass it to read a shape differently."""

    def __init__(self, document: Document) -> None:
        self.document = document
        self.tree = document.markdown
        self.items: list[Item] = []
        self.unlinked: list[UnlinkedItem] = []
        self.links: list[ProseLink] = []
        self.warnings: list[SourceWarning] = []

    def run(self) -> ParseResult:
        front_matter = self.document.front_matter
        if front_matter.warning is not None:
            self.warnings.append(front_matter.warning)
        for block in self.tree.blocks:
            self.block(block)
        self.finish()
        for reference in self.tree.unused_references:
            if is_web_url(reference.url):
                self.links.append(
                    ProseLink(text=reference.label, url=reference.url, line=reference.line)
                )
        return ParseResult(
            title=self.title(),
            metadata=self.metadata(),
            items=self.items,
            unlinked=self.unlinked,
            links=self.links,
            warnings=self.warnings,
        )

    def finish(self) -> None:
        """Called after the last block: flush anything a subclass held back."""

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
        inlines = (item.inline, *item.extra)
        links = [(inline, link) for inline in inlines for link in inline.web_links]
        if not links:
            every_link = tuple(link for inline in inlines for link in inline.links)
            if not is_navigation(every_link):
                text = item.inline.plain or " ".join(inline.plain for inline in item.extra)
                self.add_unlinked(text, item.line, item.section)
            return
        inline, first = links[0]
        rest = [link for _, link in links[1:]]
        self.add_item(self.item_from_link(inline, first, item.line, item.section, rest))

    def table_row(self, row: TableRow) -> None:
        links = [(cell, link) for cell in row.cells for link in cell.web_links]
        if not links:
            text = " | ".join(cell.plain for cell in row.cells if cell.plain)
            if text:
                self.add_unlinked(text, row.line, row.section)
            return
        cell, first = links[0]
        others = " | ".join(
            other.plain for other in row.cells if other.plain and not other.web_links
        )
        item = self.item_from_link(
            cell, first, row.line, row.section, [link for _, link in links[1:]]
        )
        if others:
            description = f"{item.description} | {others}" if item.description else others
            item = item.model_copy(update={"description": description})
        self.add_item(item)

    def heading(self, heading: Heading) -> None:
        links = heading.inline.web_links
        if links:
            self.add_item(
                self.item_from_link(
                    heading.inline, links[0], heading.line, heading.section, list(links[1:])
                )
            )

    def paragraph(self, paragraph: Paragraph) -> None:
        for link in paragraph.inline.web_links:
            self.links.append(ProseLink(text=link_title(link), url=link.url, line=paragraph.line))

    # Helpers for subclasses.

    def item_from_link(
        self,
        inline: InlineText,
        link: Link,
        line: int,
        section: str | None,
        related: list[Link] | None = None,
    ) -> Item:
        """An item for `link`: its text is the title, the text after it the description.

        A bare URL has no text of its own; the text before it, if any, is the title then.
        """
        title = link_title(link)
        before = strip_separators(inline.before(link))
        description = strip_separators(inline.after(link)) or None
        if link.kind in ("bare", "autolink") and before:
            title = before
        return Item(
            url=link.url,
            title=title,
            description=description,
            section=section,
            line=line,
            related=[related_link(other) for other in related or []],
        )

    @staticmethod
    def retitle(item: Item, title: str, **changes: object) -> Item:
        """The item with a cleaned title; the occurrence keeps the title as the list wrote it."""
        written = item.written_title or item.title
        updates = {"title": title, "written_title": written if written != title else None}
        return item.model_copy(update={**updates, **changes})

    def add_item(self, item: Item) -> None:
        self.items.append(item)

    def add_unlinked(self, text: str, line: int, section: str | None) -> None:
        if text:
            self.unlinked.append(UnlinkedItem(text=clean_text(text), line=line, section=section))

    def warn(self, message: str, line: int | None = None) -> None:
        self.warnings.append(SourceWarning(message=message, line=line))

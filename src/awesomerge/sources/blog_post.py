"""The ``blog-post`` source: a Jekyll or Hugo post whose linked headings are the resources it lists.

A heading whose text is a link is an item. The bullets (nested ones too), paragraphs and quotes
under it, up to the next heading, are its description, and the links among them are its related
links. Headings without a link are sections. The front matter's categories and tags become the
categories and tags of every item. Spacers (``<p>&nbsp;</p>``), excerpt markers and images leave
nothing behind; a line that only introduces an image ("Table of contents:") is left out too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from awesomerge.api import Source, SourceRegistrar
from awesomerge.document import Document
from awesomerge.extract import Extractor, related_link, year_in_parentheses
from awesomerge.hookspecs import hookimpl
from awesomerge.markdown import Heading, InlineText, Link, ListItem, Paragraph, clean_text
from awesomerge.models import Item, ParseResult, RelatedLink

POST_KEYS = frozenset(
    {
        "title",
        "date",
        "lastmod",
        "layout",
        "categories",
        "category",
        "tags",
        "tag",
        "excerpt_separator",
        "excerpt",
        "author",
        "permalink",
        "slug",
        "published",
        "draft",
        "summary",
    }
)

_SENTENCE_END = (".", "!", "?", ":", ";", "…")
_CLOSING = "\"'”’)]*_"
_HEADING_MARKS = re.compile(r"^#+\s+")
_LAZY_BULLET_LINE = re.compile(r"\n[ \t]*([*+-])[ \t]")


class BlogPostSource(Source):
    name = "blog-post"
    description = (
        "A Jekyll or Hugo post: YAML front matter, one resource per linked heading, "
        "described by the bullets under it"
    )

    def detect(self, document: Document) -> float:
        return round(min(1.0, _front_matter_score(document) + _linked_heading_score(document)), 2)

    def parse(self, document: Document) -> ParseResult:
        return BlogPostExtractor(document).run()


def _front_matter_score(document: Document) -> float:
    """Up to 0.65: any front matter hints at a post, each post-like key (up to three) more."""
    front_matter = document.front_matter
    if not front_matter.present:
        return 0.0
    post_keys = len(POST_KEYS.intersection(front_matter.data))
    return 0.2 + 0.15 * min(post_keys, 3)


def _linked_heading_score(document: Document) -> float:
    """Up to 0.6, by the share of headings that are links, once at least two are."""
    headings = list(document.markdown.of_type(Heading))
    linked = sum(1 for heading in headings if heading.inline.web_links)
    if linked < 2:
        return 0.0
    return 0.6 * linked / len(headings)


@dataclass
class _HeadingItem:
    """A heading item whose description is still being read: the blocks under its heading."""

    index: int
    """Where the item sits in `Extractor.items`."""
    blocks: list[ListItem | Paragraph] = field(default_factory=list)


class BlogPostExtractor(Extractor):
    """Reads headings that are links as items, and what follows them as their description."""

    def __init__(self, document: Document) -> None:
        super().__init__(document)
        data = document.front_matter.data
        self.default_categories = front_matter_terms(data, "categories", "category")
        self.default_tags = front_matter_terms(data, "tags", "tag")
        self.excerpt_marker = _excerpt_marker(data)
        self.open_item: _HeadingItem | None = None

    def heading(self, heading: Heading) -> None:
        self.close_item()
        links = heading.inline.web_links
        if not links:
            return
        item = self.item_from_link(
            heading.inline, links[0], heading.line, heading.section, list(links[1:])
        )
        title = _HEADING_MARKS.sub("", item.title) or item.title
        description, year = year_in_parentheses(item.description or "")
        self.add_item(
            self.retitle(item, title, description=description or None, year=year or item.year)
        )
        self.open_item = _HeadingItem(index=len(self.items) - 1)

    def list_item(self, item: ListItem) -> None:
        if self.open_item is not None:
            self.open_item.blocks.append(item)
        elif item.web_links or not _only_introduces_images(item):
            super().list_item(item)

    def paragraph(self, paragraph: Paragraph) -> None:
        if self.open_item is not None:
            self.open_item.blocks.append(paragraph)
        else:
            super().paragraph(paragraph)

    def finish(self) -> None:
        self.close_item()

    def add_item(self, item: Item) -> None:
        super().add_item(
            item.model_copy(
                update={
                    "categories": _unique([*item.categories, *self.default_categories]),
                    "tags": _unique([*item.tags, *self.default_tags]),
                }
            )
        )

    def close_item(self) -> None:
        """Give the open heading item the description and related links read under it."""
        if self.open_item is None:
            return
        index, blocks = self.open_item.index, self.open_item.blocks
        self.open_item = None
        item = self.items[index]
        description = join_sentences([item.description or "", *self.describe(blocks)])
        related = _unique_links(
            item.url, item.related, (related_link(link) for link in _web_links(blocks))
        )
        self.items[index] = item.model_copy(
            update={"description": description or None, "related": related}
        )

    def describe(self, blocks: list[ListItem | Paragraph]) -> list[str]:
        """One text per paragraph and per top-level bullet, its nested bullets folded in."""
        bullets = {block.index: block for block in blocks if isinstance(block, ListItem)}
        children: dict[int, list[ListItem]] = {}
        for bullet in bullets.values():
            if bullet.parent in bullets:
                children.setdefault(bullet.parent, []).append(bullet)
        texts = []
        for block in blocks:
            if isinstance(block, Paragraph):
                texts.append(self.paragraph_text(block.inline))
            elif block.parent not in bullets:
                texts.append(self.bullet_text(block, children))
        return texts

    def bullet_text(self, bullet: ListItem, children: dict[int, list[ListItem]]) -> str:
        own = join_sentences([self.own_text(inline) for inline in (bullet.inline, *bullet.extra)])
        nested = [self.bullet_text(child, children) for child in children.get(bullet.index, [])]
        return join_list(own, nested)

    def paragraph_text(self, inline: InlineText) -> str:
        """A paragraph's text; bullets that a quote swallowed as lazy lines become a list."""
        text = self.own_text(inline)
        markers = sorted(set(_LAZY_BULLET_LINE.findall(inline.source)))
        if not markers or not text:
            return text
        lead_in, *entries = re.split(rf"\s+[{re.escape(''.join(markers))}]\s+", text)
        return join_list(lead_in, entries)

    def own_text(self, inline: InlineText) -> str:
        if _introduces_image(inline):
            return ""
        text = inline.plain
        if self.excerpt_marker:
            text = clean_text(text.replace(self.excerpt_marker, " "))
        return text


def front_matter_terms(data: dict[str, Any], plural: str, singular: str) -> list[str]:
    """Categories or tags as Jekyll reads them: a list, or a string split on commas or spaces."""
    terms: list[str] = []
    for key in (plural, singular):
        value = data.get(key)
        if isinstance(value, str):
            if "," in value:
                terms.extend(value.split(","))
            else:
                terms.extend(value.split() if key == plural else [value])
        elif isinstance(value, list):
            terms.extend(str(term) for term in value if isinstance(term, str | int | float))
    return _unique(clean_text(term) for term in terms)


def join_sentences(texts: Iterable[str]) -> str:
    """Texts as one run of sentences: each but the last ends with a stop."""
    kept = [text for text in texts if text]
    return " ".join([_with_stop(text) for text in kept[:-1]] + kept[-1:])


def _with_stop(text: str) -> str:
    """The text ending in a stop: 'said "so."' has one already, 'said "so"' gets one."""
    return text if text.rstrip(_CLOSING).endswith(_SENTENCE_END) else f"{text}."


def join_list(lead_in: str, entries: list[str]) -> str:
    """A bullet and its nested bullets: "Lead-in: a; b; c" after a colon, else sentences."""
    entries = [entry for entry in entries if entry]
    if not lead_in.endswith(":") or not entries:
        return join_sentences([lead_in, *entries])
    listed = [entry.rstrip(".") for entry in entries[:-1]] + entries[-1:]
    return f"{lead_in} {'; '.join(listed)}"


def _introduces_image(inline: InlineText) -> bool:
    """True for a caption such as "Table of contents:" followed by a picture."""
    return bool(inline.images) and (not inline.plain or inline.plain.endswith(":"))


def _only_introduces_images(item: ListItem) -> bool:
    return all(_introduces_image(inline) for inline in (item.inline, *item.extra))


def _excerpt_marker(data: dict[str, Any]) -> str | None:
    """The excerpt separator when it is visible text; HTML comments never reach the text."""
    marker = data.get("excerpt_separator")
    if not isinstance(marker, str) or marker.strip().startswith("<!--"):
        return None
    return clean_text(marker) or None


def _web_links(blocks: list[ListItem | Paragraph]) -> list[Link]:
    links: list[Link] = []
    for block in blocks:
        links.extend(block.web_links if isinstance(block, ListItem) else block.inline.web_links)
    return links


def _unique_links(
    own_url: str, known: list[RelatedLink], found: Iterable[RelatedLink]
) -> list[RelatedLink]:
    """Related links in order, each URL once, without the item's own URL."""
    seen = {own_url, *(link.url for link in known)}
    related = list(known)
    for link in found:
        if link.url not in seen:
            seen.add(link.url)
            related.append(link)
    return related


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(value for value in values if value))


@hookimpl
def register_sources(register: SourceRegistrar) -> None:
    register(BlogPostSource)

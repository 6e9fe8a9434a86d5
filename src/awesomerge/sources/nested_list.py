"""The ``nested-list`` source: numbered and bulleted lists nested several levels deep, with few or
no headings, where the nesting itself is the list's table of contents.

On top of the shared Extractor it reads:

* a parent item without a link as a label: the section of everything under it, not an unlinked
  item; a parent item with a link is an item and also the section of its children. Sections chain
  through every level, after the heading path, because the nesting is the list's only structure;
* a linked item's link-less sub-bullets as its description, and bare URLs in such prose as its
  related links; a label holding one titled link among bare URLs and prose reads as one resource;
* a generic child title ("paper", "code") as the nearest parent's name plus that word;
* emphasised all-caps markers (``****READ THIS ****``, ``<b>SUPER</b>``, ``**MUST READ**``,
  ``(NEW)``) outside link texts as tags; a label's markers tag everything under it;
* a paragraph that looks numbered but is not a Markdown list (``13A. [Title](url)``) as an item.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from dataclasses import dataclass, field

from awesomerge.api import Source, SourceRegistrar
from awesomerge.document import Document
from awesomerge.extract import Extractor, join_inlines, related_link, year_in_parentheses
from awesomerge.hookspecs import hookimpl
from awesomerge.markdown import (
    Heading,
    InlineText,
    Link,
    ListItem,
    Paragraph,
    clean_text,
    join_section,
    section_name,
    without_spans,
)
from awesomerge.models import Item, ParseResult, RelatedLink

GENERIC_TITLES = frozenset(
    {
        "paper", "code", "github", "repo", "repository", "slides", "video", "talk", "blog",
        "post", "article", "website", "site", "homepage", "demo", "dataset", "data", "pdf",
        "arxiv", "link", "here", "source", "docs", "documentation", "notebook", "colab",
        "tweet", "thread", "model", "weights",
    }
)  # fmt: skip
"""Link texts that name a facet of a resource rather than the resource itself."""

MARKER_WORDS = (
    "MUST READ|READ THIS|RECOMMENDED|START HERE|NEW|UPDATED|HOT|TOP|SUPER|BEST|ESSENTIAL|"
    "CLASSIC|FAVOURITE|FAVORITE|WIP|DEPRECATED|OUTDATED"
)
"""All-caps words that count as a marker in plain brackets, where emphasis does not show it."""

# From where a run of stars starts: inside a long run, each try would read the rest of the run.
_LITERAL_EMPHASIS = re.compile(
    r"(?<!\*)\*{2,}\s*([^*\n]+?)\s*\*{2,}|(?<!_)_{2,}\s*([^_\n]+?)\s*_{2,}"
)
_BRACKETED = re.compile(rf"[(\[]\s*({MARKER_WORDS})\s*!*\s*[)\]]")
_HTML_EMPHASIS = re.compile(r"<(b|strong|mark|em|i|u)\b[^>]*>([^<]+)</\1\s*>", re.IGNORECASE)
_NUMBERED_PARAGRAPH = re.compile(r"\s*\d{1,3}[A-Za-z]{0,2}[.)]\s+")
_MARKER_PUNCTUATION = " !.:-"

Tags = tuple[str, ...]
Span = tuple[int, int, str]
"""Where a marker sits in an inline's text, and the tag it stands for."""


@dataclass(frozen=True)
class Scope:
    """What a parent item passes down to the items nested in it."""

    path: str | None
    name: str
    tags: Tags
    describes: int | None
    """Block index of the item that link-less children describe, if any."""
    label: bool
    """True for a parent without a link of its own."""


@dataclass
class Notes:
    """Description and related links gathered from sub-bullets for one item."""

    descriptions: list[str] = field(default_factory=list)
    related: list[RelatedLink] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)


class NestedListExtractor(Extractor):
    """Reads parent items as sections and sub-bullets as descriptions; see the module docstring."""

    def __init__(self, document: Document) -> None:
        super().__init__(document)
        self.scopes: dict[int, Scope] = {}
        self.positions: dict[int, int] = {}
        self.notes: dict[int, Notes] = {}

    def list_item(self, item: ListItem) -> None:
        inlines, tags = unmarked((item.inline, *item.extra))
        parent = self.scopes.get(item.parent) if item.parent is not None else None
        if any(inline.web_links for inline in inlines):
            self.linked_item(item, inlines, tags, parent)
        else:
            self.link_less_item(item, inlines, tags, parent)

    def link_less_item(
        self, item: ListItem, inlines: tuple[InlineText, ...], tags: Tags, parent: Scope | None
    ) -> None:
        """A label if it has children, else a note on the item it describes, else unlinked."""
        section = parent.path if parent else item.section
        text = " ".join(inline.plain for inline in inlines if inline.plain)
        kids = self.kids.get(item.index, [])
        if kids:
            name = section_name(text)
            path = join_section(section, name) if name else section
            inherited = parent.tags if parent else ()
            self.scopes[item.index] = Scope(
                path, name, unique(inherited + tags), card_lead(kids), label=True
            )
        elif parent and parent.describes is not None:
            self.note(parent.describes, [text], [], tags)
        else:
            self.add_unlinked(text, item.line, section)

    def linked_item(
        self, item: ListItem, inlines: tuple[InlineText, ...], tags: Tags, parent: Scope | None
    ) -> None:
        """An item and the section of its children, or bare URLs describing the parent's item."""
        links = [link for inline in inlines for link in inline.web_links]
        kids = self.kids.get(item.index, [])
        described = described_item(inlines, bool(kids), parent)
        if described is not None:
            prose = [inline.plain for inline in inlines if text_outside_links(inline)]
            self.note(described, prose, [related_link(link) for link in links], tags)
            return
        section = parent.path if parent else item.section
        inherited = parent.tags if parent else ()
        built = self.build_item(inlines, item.line, section, parent, unique(inherited + tags))
        self.scopes[item.index] = Scope(
            join_section(section, built.title), built.title, inherited, item.index, label=False
        )
        self.positions[item.index] = len(self.items)
        self.add_item(built)

    def paragraph(self, paragraph: Paragraph) -> None:
        number = _NUMBERED_PARAGRAPH.match(paragraph.inline.text)
        links = paragraph.inline.web_links
        if number is None or not links or links[0].start != number.end():
            super().paragraph(paragraph)
            return
        inline = blank(paragraph.inline, [(0, number.end())])
        inlines, tags = unmarked((inline,))
        self.add_item(self.build_item(inlines, paragraph.line, paragraph.section, None, tags))

    def build_item(
        self,
        inlines: tuple[InlineText, ...],
        line: int,
        section: str | None,
        parent: Scope | None,
        tags: Tags,
    ) -> Item:
        inline = join_inlines(inlines)
        reading = self.read(inline)
        primary = reading.primary if reading is not None else inline.web_links[0]
        item = self.item_from_link(inline, primary, line, section)
        title, year = year_in_parentheses(item.title)
        if parent and parent.name and title.casefold().strip(".:") in GENERIC_TITLES:
            title = f"{parent.name} {title}"
        return self.retitle(item, title, year=year or item.year, tags=list(tags))

    def note(
        self, index: int, descriptions: list[str], related: list[RelatedLink], tags: Tags
    ) -> None:
        notes = self.notes.setdefault(index, Notes())
        notes.descriptions.extend(descriptions)
        notes.related.extend(related)
        notes.tags.extend(tags)

    def finish(self) -> None:
        """Fold the gathered sub-bullets into the items they describe.

        Notes only ever name a linked parent or a card's titled lead, and both became items.
        """
        for index, notes in self.notes.items():
            position = self.positions[index]
            item = self.items[position]
            description = join_descriptions([item.description or "", *notes.descriptions])
            self.items[position] = item.model_copy(
                update={
                    "description": description,
                    "related": item.related + notes.related,
                    "tags": list(unique((*item.tags, *notes.tags))),
                }
            )


def card_lead(kids: list[ListItem]) -> int | None:
    """The one titled link among bare URLs and prose under a label: the resource they describe."""
    if len(kids) < 2 or any(kid.extra for kid in kids):
        return None
    titled = [kid for kid in kids if any(not is_bare(link) for link in kid.web_links)]
    if len(titled) == 1:
        return titled[0].index
    return None


def described_item(
    inlines: tuple[InlineText, ...], has_kids: bool, parent: Scope | None
) -> int | None:
    """The item a childless sub-bullet of bare URLs describes: always when the URLs sit in prose,
    and a lone URL only under a label (a card), since under a linked item it may be a resource."""
    if parent is None or parent.describes is None or has_kids:
        return None
    if not all(is_bare(link) for inline in inlines for link in inline.web_links):
        return None
    if parent.label or any(text_outside_links(inline) for inline in inlines):
        return parent.describes
    return None


def is_bare(link: Link) -> bool:
    return link.kind in ("bare", "autolink")


def text_outside_links(inline: InlineText) -> bool:
    """True when the inline says something besides its links."""
    text = without_spans(inline.text, [(link.start, link.end) for link in inline.links])
    return any(character.isalpha() for character in text)


def join_descriptions(parts: list[str]) -> str | None:
    """Sub-bullets as one description: sentences joined by a space, fragments by a semicolon."""
    joined = ""
    for part in filter(None, (clean_text(part) for part in parts)):
        if joined:
            joined += " " if joined[-1] in ".!?;:" else "; "
        joined += part
    return joined or None


def unique(tags: Tags) -> Tags:
    return tuple(dict.fromkeys(tags))


# Markers.


def unmarked(inlines: tuple[InlineText, ...]) -> tuple[tuple[InlineText, ...], Tags]:
    """The inlines with their markers blanked out, and the markers as tags."""
    cleaned: list[InlineText] = []
    tags: list[str] = []
    for inline in inlines:
        spans = marker_spans(inline)
        cleaned.append(blank(inline, [(start, end) for start, end, _ in spans]))
        tags.extend(tag for _, _, tag in spans)
    return tuple(cleaned), unique(tuple(tags))


def marker_spans(inline: InlineText) -> list[Span]:
    """(start, end, tag) of each marker in the inline's text, outside its links, in text order."""
    candidates: list[Span] = []
    for match in _LITERAL_EMPHASIS.finditer(inline.text):
        candidates.append((match.start(), match.end(), match.group(1) or match.group(2)))
    for match in _BRACKETED.finditer(inline.text):
        candidates.append((match.start(), match.end(), match.group(1)))
    candidates.extend((start, end, inline.text[start:end]) for start, end in inline.strong)
    candidates.extend(html_emphasis_spans(inline))
    spans: list[Span] = []
    for start, end, content in sorted(candidates):
        # The spans taken so far start no later and do not overlap: the last ends latest.
        if spans and start < spans[-1][1]:
            continue
        tag = marker_tag(content)
        if tag and not inline.overlaps_link(start, end):
            spans.append((start, end, tag))
    return spans


#: An item's ``<b>`` runs looked at as markers: each is looked for in all of the item's text,
#: and an item carries a few markers, not thousands.
MAX_HTML_MARKERS = 32


def html_emphasis_spans(inline: InlineText) -> list[Span]:
    """Where the text of each ``<b>...</b>`` landed: extraction keeps its text, not its place."""
    spans: list[Span] = []
    for match in itertools.islice(_HTML_EMPHASIS.finditer(inline.source), MAX_HTML_MARKERS):
        if marker_tag(match.group(2)) is None:
            continue
        words = clean_text(match.group(2)).split()
        pattern = re.compile(r"\s+".join(re.escape(word) for word in words))
        places = [found.span() for found in pattern.finditer(inline.text)]
        free = (
            place
            for place in reversed(places)  # the last free place: looked for from the end
            if not overlaps(place, spans) and not inline.overlaps_link(*place)
        )
        if (place := next(free, None)) is not None:
            spans.append((*place, " ".join(words)))
    return spans


def marker_tag(content: str) -> str | None:
    """The tag an emphasised text stands for, if it reads as a marker: a few all-caps words."""
    text = clean_text(content).strip(_MARKER_PUNCTUATION)
    letters = [character for character in text if character.isalpha()]
    if len(letters) < 2 or len(text.split()) > 4:
        return None
    if not all(character.isupper() or character in " '&-!" for character in text):
        return None
    return text.lower()


def overlaps(span: tuple[int, int], taken: list[Span]) -> bool:
    return any(span[0] < end and start < span[1] for start, end, _ in taken)


def blank(inline: InlineText, spans: list[tuple[int, int]]) -> InlineText:
    """The inline with the spans replaced by spaces, so every link keeps its offsets."""
    if not spans:
        return inline
    return dataclasses.replace(inline, text=without_spans(inline.text, spans, filler=None))


# Detection.


def nested_list_score(document: Document) -> float:
    """High for deep nesting, many nested and numbered items and few headings."""
    items = list(document.markdown.of_type(ListItem))
    if len(items) < 5:
        return 0.0
    headings = sum(1 for _ in document.markdown.of_type(Heading))
    parents = {item.parent for item in items if item.parent is not None}
    labels = sum(1 for item in items if item.index in parents and not item.web_links)
    nested = sum(1 for item in items if item.depth >= 1) / len(items)
    numbered = sum(1 for item in items if item.ordered) / len(items)
    depth = max(item.depth for item in items)
    return round(
        0.4 * ramp(nested, 0.15, 0.5)
        + 0.2 * min(depth, 2) / 2
        + 0.15 * ramp(numbered, 0.05, 0.3)
        + 0.15 * (1 - ramp(headings / max(len(parents), 1), 0.5, 2.0))
        + 0.1 * ramp(labels, 0, 3),
        2,
    )


def ramp(value: float, low: float, high: float) -> float:
    """0 at or below `low`, 1 at or above `high`, linear between."""
    return min(max((value - low) / (high - low), 0.0), 1.0)


class NestedListSource(Source):
    name = "nested-list"
    description = (
        "Lists nested several levels deep: parent items are sections, all-caps markers are tags"
    )

    def detect(self, document: Document) -> float:
        return nested_list_score(document)

    def parse(self, document: Document) -> ParseResult:
        return NestedListExtractor(document).run()


@hookimpl
def register_sources(register: SourceRegistrar) -> None:
    register(NestedListSource)

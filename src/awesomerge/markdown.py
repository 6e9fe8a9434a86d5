"""The Markdown extraction layer: one parse per file, shared by every source plugin.

`parse_markdown(text)` turns a document into a flat, ordered tuple of blocks that a source plugin
interprets without walking markdown-it tokens itself:

* `Heading`: its text, level and the section path above it;
* `ListItem`: a bullet or numbered item at any depth, with its parent item and its section;
* `TableRow`: one body row of a table, with the header's column names;
* `Paragraph`: running text outside any item, table or heading.

Every block carries a 1-based line number and its text as `InlineText`: plain text plus the links
in it (Markdown links, autolinks, bare URLs and HTML anchors), with offsets into the text, and
where the URLs of those links are written in its source.
Lists inside HTML blocks such as ``<details>`` are parsed as Markdown too. The function is pure,
so files can be parsed in parallel.
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from collections.abc import Callable, Container, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache, cached_property, lru_cache
from typing import Any, Literal, TypeVar
from urllib.parse import urljoin

from markdown_it import MarkdownIt, rules_inline
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from mdit_py_plugins.front_matter import front_matter_plugin

from awesomerge.html_blocks import attribute_urls, html_to_markdown, image_urls, read_tag
from awesomerge.limits import raise_hint
from awesomerge.models import SECTION_SEPARATOR, SourceWarning
from awesomerge.urls import is_web_url

_B = TypeVar("_B", bound="Heading | ListItem | TableRow | Paragraph")

LinkKind = Literal["link", "autolink", "bare", "html", "reference"]

#: Where a bare URL starts: "http://" or "https://" that no word or scheme runs into, a host after.
_BARE_URL_START = re.compile(r"(?<![A-Za-z0-9.+\-])https?://(?=[\w\[])", re.IGNORECASE)
#: What a bare URL ends at, or must look past: a space, a quote, an angle bracket, a backtick, a
#: bracket.
_URL_BREAK = re.compile(r"[\s<>\"`()\[\]{}]")
_CLOSING = {"(": ")", "[": "]", "{": "}"}
#: What ends a sentence rather than a URL: "see http://x.example/." (GitHub's list, and ";").
_TRAILING_PUNCTUATION = ".,:;!?*_~'"
_HAS_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:|^//")


_SPACE = re.compile(r"\s")


def bare_urls(text: str) -> Iterator[tuple[int, int]]:
    """Where each bare http(s) URL of a text starts and ends (see `bare_url_end`)."""
    position = 0
    while (start := _BARE_URL_START.search(text, position)) is not None:
        end = bare_url_end(text, start.start())
        if end > start.end():
            yield start.start(), end
        position = max(end, start.end())


def code_urls(text: str) -> Iterator[tuple[int, int]]:
    """`bare_urls` of a line of code, where HTML is not read as tags: a URL that opens a quoted
    attribute value (``href='https://a.example/x>y'``) is the whole value, up to its closing
    quote or a space, as the tag would be read in HTML; not the piece before its ``>``."""
    for start, end in bare_urls(text):
        quote = text[start - 1] if start >= 2 and text[start - 2] == "=" else ""
        if quote in ("'", '"'):
            closing = text.find(quote, start)
            space = _SPACE.search(text, start)
            value_end = min(
                closing if closing >= 0 else len(text), space.start() if space else len(text)
            )
            end = max(end, value_end)
        yield start, end


def bare_url_end(text: str, start: int, stop: int | None = None) -> int:
    """Where the bare URL written at `start` ends, read as GitHub links one: up to a space, a
    quote or an angle bracket, brackets taken whole when the URL closes them (``http://[::1]/``,
    ``https://en.wikipedia.org/wiki/A_(b)``) and ended before when not (``(see http://x/)``),
    trailing punctuation left out.

    Hand-written, because linkify-it's patterns read the rest of the text again from each
    "http://": a line of URLs that run together (``http://x/(`` repeated) took quadratic time.
    This reads each character once, jumping over brackets closed (`_bracket_pairs`).
    """
    stop = len(text) if stop is None else stop
    end, position = stop, start
    while (found := _URL_BREAK.search(text, position, stop)) is not None:
        index = found.start()
        closing = _bracket_pairs(text).get(index, stop) if found.group() in _CLOSING else stop
        if closing >= stop:
            end = index
            break
        position = closing + 1
    while end > start and text[end - 1] in _TRAILING_PUNCTUATION:
        end -= 1
    return end


@lru_cache(maxsize=16)
def _bracket_pairs(text: str) -> dict[int, int]:
    """Where each bracket of a text closes, for those closed before a space, a quote or an angle
    bracket: in one pass, as each URL of a line may ask."""
    pairs: dict[int, int] = {}
    opened: list[int] = []
    for found in _URL_BREAK.finditer(text):
        char, index = found.group(), found.start()
        if char in _CLOSING:
            opened.append(index)
        elif char in ")]}":
            if opened and _CLOSING[text[opened[-1]]] == char:
                pairs[opened.pop()] = index
        else:
            opened.clear()
    return pairs


def clean_text(text: str) -> str:
    """Collapse runs of whitespace to one space and trim the ends."""
    # str.split() splits on exactly the characters the regex \s matches, and runs in C.
    return " ".join(text.split())


def without_spans(text: str, spans: Iterable[tuple[int, int]], filler: str | None = "") -> str:
    """The text with each span cut out, in one pass: replaced by `filler`, or by as many spaces
    as it is long when `filler` is None, so that the offsets after it stay. Cutting one span at
    a time copies the text once per span."""
    pieces: list[str] = []
    position = 0
    for start, end in sorted(spans):
        start = max(start, position)
        if start >= end:
            continue
        pieces += [text[position:start], " " * (end - start) if filler is None else filler]
        position = end
    pieces.append(text[position:])
    return "".join(pieces)


@dataclass(frozen=True)
class Link:
    """A link inside an InlineText; `start` and `end` delimit its text within the inline's."""

    text: str
    url: str
    start: int
    end: int
    kind: LinkKind = "link"


SpanKind = Literal["strong", "emphasis", "code", "underline"]


@dataclass(frozen=True)
class Span:
    """A run of styled text inside an InlineText: ``text[start:end]`` is its content."""

    kind: SpanKind
    start: int
    end: int


@dataclass(frozen=True)
class InlineText:
    """Inline Markdown reduced to plain text, keeping where each link and strong run sits."""

    text: str = ""
    links: tuple[Link, ...] = ()
    images: tuple[Link, ...] = ()
    strong: tuple[tuple[int, int], ...] = ()
    html_tags: tuple[str, ...] = ()
    source: str = ""
    spans: tuple[Span, ...] = ()
    """Emphasis, strong, code and underline runs, from Markdown and from inline HTML tags."""
    url_spans: tuple[tuple[int, int], ...] = ()
    """Where, in `source`, the URLs of its Markdown links, images, autolinks and bare URLs are
    written: what is left of the source around them holds the URLs no link was read from."""

    @cached_property
    def web_links(self) -> tuple[Link, ...]:
        """The links whose URL is absolute http(s)."""
        return tuple(link for link in self.links if is_web_url(link.url))

    @cached_property
    def link_ends(self) -> frozenset[int]:
        """Where links end: what follows a link right away is asked of each link of an item."""
        return frozenset(link.end for link in self.links)

    @cached_property
    def _link_reach(self) -> tuple[list[int], list[int]]:
        return _reach(self.links)

    @cached_property
    def _web_link_reach(self) -> tuple[list[int], list[int]]:
        return _reach(self.web_links)

    def holds_only_images(self, link: Link) -> bool:
        """True when a link holds only images: a shield or a logo."""
        inside = self.images_within(link.start, link.end)
        if not inside:
            return False
        spans = [(image.start - link.start, image.end - link.start) for image in inside]
        return not without_spans(self.text[link.start : link.end], spans).strip()

    @property
    def plain_without_badges(self) -> str:
        """The cleaned text without the links that hold only images: a heading's name beside
        its shields. The whole text when nothing else is left."""
        badges = [(link.start, link.end) for link in self.links if self.holds_only_images(link)]
        if not badges:
            return self.plain
        return clean_text(without_spans(self.text, badges)) or self.plain

    def overlaps_link(self, start: int, end: int) -> bool:
        """Whether text[start:end] overlaps a link. This and `within_web_link` bisect: an item
        of thousands of links and bold runs asks them of each run."""
        starts, reach = self._link_reach
        last = bisect.bisect_left(starts, end) - 1  # the links that start before `end`
        return last >= 0 and reach[last] > start

    def within_web_link(self, start: int, end: int) -> bool:
        """Whether text[start:end] lies inside one web link."""
        starts, reach = self._web_link_reach
        last = bisect.bisect_right(starts, start) - 1  # the links that start at `start` or before
        return last >= 0 and reach[last] >= end

    @cached_property
    def _images_in_order(self) -> tuple[tuple[int, ...], tuple[Link, ...]]:
        ordered = tuple(sorted(self.images, key=lambda image: image.start))
        return tuple(image.start for image in ordered), ordered

    def images_within(self, start: int, end: int) -> tuple[Link, ...]:
        """The images that lie between two offsets: found by bisection, as a line of badges
        asks this of every link."""
        starts, ordered = self._images_in_order
        first = bisect.bisect_left(starts, start)
        last = bisect.bisect_right(starts, end)
        return tuple(image for image in ordered[first:last] if image.end <= end)

    @cached_property
    def plain(self) -> str:
        return clean_text(self.text)

    def before(self, link: Link) -> str:
        """The cleaned text before a link."""
        return clean_text(self.text[: link.start])

    def after(self, link: Link) -> str:
        """The cleaned text after a link."""
        return clean_text(self.text[link.end :])

    def strong_texts(self) -> list[str]:
        return [clean_text(self.text[start:end]) for start, end in self.strong]

    def joined(self, other: InlineText) -> InlineText:
        """This text and another as one, the other after a line break; offsets shifted."""
        if not self.text and not self.links and not self.images:
            return other
        shift, source_shift = len(self.text) + 1, len(self.source) + 1

        def moved(link: Link) -> Link:
            return dataclasses.replace(link, start=link.start + shift, end=link.end + shift)

        return InlineText(
            text=f"{self.text}\n{other.text}",
            links=self.links + tuple(moved(link) for link in other.links),
            images=self.images + tuple(moved(image) for image in other.images),
            strong=self.strong + tuple((a + shift, b + shift) for a, b in other.strong),
            html_tags=tuple(dict.fromkeys(self.html_tags + other.html_tags)),
            source=f"{self.source}\n{other.source}",
            spans=self.spans
            + tuple(Span(span.kind, span.start + shift, span.end + shift) for span in other.spans),
            url_spans=self.url_spans
            + tuple((a + source_shift, b + source_shift) for a, b in other.url_spans),
        )


def _reach(links: Iterable[Link]) -> tuple[list[int], list[int]]:
    """The links' starts in order, and the furthest end among the links up to each."""
    starts: list[int] = []
    reach: list[int] = []
    for start, end in sorted((link.start, link.end) for link in links):
        starts.append(start)
        reach.append(max(end, reach[-1]) if reach else end)
    return starts, reach


@dataclass(frozen=True)
class Heading:
    line: int
    level: int
    inline: InlineText
    section: str | None
    """The section path above this heading (excluding it)."""

    @property
    def path(self) -> str:
        """The section path including this heading."""
        return join_section(self.section, section_name(self.inline.plain))


@dataclass(frozen=True)
class ListItem:
    line: int
    depth: int
    """0 for a top-level item, 1 for an item nested in another, and so on."""
    ordered: bool
    marker: str
    inline: InlineText
    """The item's own text: its first paragraph, without nested lists."""
    extra: tuple[InlineText, ...]
    """Further paragraphs inside the item (not its nested lists)."""
    parent: int | None
    """Index in `MarkdownTree.blocks` of the list item this one is nested in."""
    section: str | None
    index: int

    @property
    def web_links(self) -> tuple[Link, ...]:
        return self.inline.web_links + tuple(
            link for inline in self.extra for link in inline.web_links
        )


@dataclass(frozen=True)
class TableRow:
    line: int
    header: tuple[str, ...]
    cells: tuple[InlineText, ...]
    """One per column; then, when the row writes cells past the header's last column, one more
    that holds them all (`overflow`)."""
    section: str | None
    table: int
    """The table's number in the document, from 0."""

    @property
    def web_links(self) -> tuple[Link, ...]:
        return tuple(link for cell in self.cells for link in cell.web_links)

    @property
    def overflow(self) -> tuple[InlineText, ...]:
        """What the row writes past the header's last column: links a reader still sees."""
        return self.cells[len(self.header) :]

    def cell(self, column: str) -> InlineText | None:
        """The cell under a header name (case-insensitive), if the table has that column."""
        wanted = column.casefold()
        for name, cell in zip(self.header, self.cells, strict=False):
            if name.casefold() == wanted:
                return cell
        return None


@dataclass(frozen=True)
class Paragraph:
    line: int
    inline: InlineText
    section: str | None


Block = Heading | ListItem | TableRow | Paragraph


@dataclass(frozen=True)
class ReferenceLink:
    """A link reference definition (``[label]: url``) that no link in the text uses."""

    label: str
    url: str
    line: int


@dataclass(frozen=True)
class MarkdownTree:
    blocks: tuple[Block, ...]
    title: str | None
    """The text of the document's only level-1 heading when it comes first and there is no
    front matter; that heading is not a section."""
    front_matter: str | None
    unused_references: tuple[ReferenceLink, ...] = ()
    loose_links: tuple[ReferenceLink, ...] = ()
    """Links outside any block: in the document's title heading, in an indented code block
    that a reader sees as text (a list item's continuation indented one level too deep), in
    lines nested deeper than MAX_NESTING."""
    warnings: tuple[SourceWarning, ...] = ()
    """What the reader of the list should know: lines read only for their links."""

    def of_type(self, kind: type[_B]) -> Iterator[_B]:
        return (block for block in self.blocks if isinstance(block, kind))

    def children(self, item: ListItem) -> list[ListItem]:
        return [block for block in self.of_type(ListItem) if block.parent == item.index]


def section_name(heading_text: str) -> str:
    """A heading's text as a section name: cleaned, without a trailing colon."""
    return clean_text(heading_text).rstrip(":").strip()


def join_section(section: str | None, name: str) -> str:
    return f"{section}{SECTION_SEPARATOR}{name}" if section else name


#: How deep blocks may nest by default (a list item holds two levels, a quote one): lists to
#: about 30 levels, quotes to 60; ``[limits] nesting`` sets it (`Limits.nesting`). markdown-it's
#: own limit, 20, dropped items from the tenth level without a word. Deeper lines are still read,
#: for their links (`_Walker.recover`); the bound keeps the parser's and the walker's recursion
#: far from Python's limit.
MAX_NESTING = 64
#: How deep inline markup may nest (links in emphasis in links...): markdown-it's own limit.
#: Inline nesting costs markdown-it far more than block nesting: 64 levels made a run of
#: ``[`` ten times slower. A link inside more brackets than this is still read
#: (`_reading_again_where_cut`).
MAX_INLINE_PARSER_NESTING = 20


@dataclass(frozen=True)
class _Depth:
    """What a nesting limit bounds.

    Leading whitespace wider than `indent` columns is cut to it before parsing, so that a list
    indented deeper is read as nested as deep as that (a bullet's level takes two columns), the
    levels below it as siblings, and markdown-it never reaches the limit on indentation alone:
    there it stops reading the document. It also reads indentation a character at a time, and a
    list nested ten thousand deep is a hundred megabytes of it.
    """

    nesting: int

    @property
    def indent(self) -> int:
        return self.nesting - 4

    @cached_property
    def wide(self) -> int:
        """The fewest characters of whitespace that can be wider than `indent`: a tab is up to
        four columns."""
        return self.indent // 4 + 1

    @cached_property
    def wide_indent(self) -> re.Pattern[str]:
        return re.compile(rf"^[ \t]{{{self.wide}}}", re.MULTILINE)

    @cached_property
    def deep_quote(self) -> re.Pattern[str]:
        return re.compile(rf"^[ \t]*(?:>[ \t]*){{{self.nesting + 1}}}", re.MULTILINE)


@cache
def _depth(nesting: int) -> _Depth:
    return _Depth(nesting)


def _make_parser() -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"maxNesting": MAX_NESTING}).enable(
        ["table", "strikethrough"]
    )
    parser.use(front_matter_plugin)
    # Bare URLs, read in linear time, in place of markdown-it's linkify (see `bare_url_end`); only
    # with an explicit scheme: "e.g. example.com" in prose is not a link.
    parser.inline.ruler.after("text", "bare_url", _bare_url)
    # Where each link's URL is written, so that no piece of it is read again as a bare URL.
    for name, label_at in (("link", 0), ("image", 1)):
        rule = _noting_destination(getattr(rules_inline, name), label_at)
        parser.inline.ruler.at(name, _reading_again_where_cut(rule))
    parser.inline.ruler.at("autolink", _noting_autolink)
    parser.inline.skipToken = _skip_token  # type: ignore[method-assign]
    # One parser, two limits: blocks nest to the env's "nesting", inline markup to its own bound.
    parser.core.ruler.before("normalize", "block_nesting", _block_nesting)
    parser.core.ruler.before("inline", "inline_nesting", _nesting(MAX_INLINE_PARSER_NESTING))
    parser.core.ruler.before("inline", "outer_references", _outer_references)
    # Keep URLs as written; markdown-it would otherwise percent-encode them.
    parser.normalizeLink = lambda url: url  # type: ignore[method-assign]
    return parser


def _block_nesting(state: StateCore) -> None:
    state.md.options["maxNesting"] = state.env.get("nesting", MAX_NESTING)


def _nesting(limit: int) -> Callable[[StateCore], None]:
    """A core rule that sets how deep the rules after it may nest."""

    def set_limit(state: StateCore) -> None:
        state.md.options["maxNesting"] = limit

    return set_limit


def _outer_references(state: StateCore) -> None:
    """For a text recovered from a document (`_Walker.recover`): once its own definitions are
    read, those of the document resolve its links too. Its own are listed in "own_references"
    of the env, each kept even when the document defined its label before."""
    outer = state.env.pop("outer_references", None)
    if outer is not None:
        references = state.env.setdefault("references", {})
        state.env["own_references"] = list(references)
        for label, definition in outer.items():
            references.setdefault(label, definition)


def _bare_url(state: StateInline, silent: bool) -> bool:
    """markdown-it's inline linkify rule, reading the URL with `bare_url_end`: at the "://" of an
    "http" or "https" just written, outside links."""
    position = state.pos
    if state.linkLevel > 0 or not state.src.startswith("://", position, state.posMax):
        return False
    scheme = "https" if state.src[max(position - 5, 0) : position].lower() == "https" else "http"
    start = position - len(scheme)
    if not state.pending.endswith(state.src[start:position]):
        return False
    if _BARE_URL_START.match(state.src, start, state.posMax) is None:
        return False
    end = bare_url_end(state.src, start, state.posMax)
    if end <= position + 3:
        return False
    if not silent:
        url = state.src[start:end]
        state.pending = state.pending[: -len(scheme)]
        token = state.push("link_open", "a", 1)
        token.attrs = {"href": url}
        token.markup, token.info = "linkify", "auto"
        token.meta["url_span"] = (start, end)
        token = state.push("text", "", 0)
        token.content = state.md.normalizeLinkText(url)
        token = state.push("link_close", "a", -1)
        token.markup, token.info = "linkify", "auto"
    state.pos = end
    return True


_InlineRule = Callable[[StateInline, bool], bool]


def _noting_destination(rule: _InlineRule, label_at: int) -> _InlineRule:
    """The link or image rule, noting on the token where its destination is written (none for a
    reference link): the label is found again as the rule found it, from the skipped tokens'
    cache, and the destination read by markdown-it's own helper."""

    def noting(state: StateInline, silent: bool) -> bool:
        start, count = state.pos, len(state.tokens)
        if not rule(state, silent):
            return False
        if silent or count >= len(state.tokens):
            return True
        end, src = state.pos, state.src
        label_end = state.md.helpers.parseLinkLabel(state, start + label_at, label_at == 0)
        state.pos = end
        position = label_end + 1
        if label_end < 0 or not src.startswith("(", position, end):
            return True
        position += 1
        while position < end and src[position] in " \t\n":
            position += 1
        destination = state.md.helpers.parseLinkDestination(src, position, end)
        if destination.ok:
            _note_url_span(state.tokens, count, (position, destination.pos))
        return True

    return noting


def _noting_autolink(state: StateInline, silent: bool) -> bool:
    """The autolink rule, noting on the token where its URL is written."""
    start, count = state.pos, len(state.tokens)
    if not rules_inline.autolink(state, silent):
        return False
    if not silent:
        _note_url_span(state.tokens, count, (start + 1, state.pos - 1))
    return True


def _note_url_span(tokens: list[Token], first: int, span: tuple[int, int]) -> None:
    """Note the span on the link or image a rule made: its first token from `first`, after the
    text that was pending."""
    for token in tokens[first : first + 2]:
        if token.type in ("link_open", "image"):
            token.meta["url_span"] = span
            return


#: Keys of `StateInline.cache` that are no position (those are 0 or more): the last position
#: read where markdown-it's nesting bound had cut the reading short, and the level it was read
#: at; ``-3 - position`` marks such a position.
_CUT_POSITION, _CUT_LEVEL = -1, -2


def _skip_token(state: StateInline) -> None:
    """markdown-it's `ParserInline.skipToken`, noting where a result its nesting bound cut short
    is read again (see `_reading_again_where_cut`)."""
    position, cache = state.pos, state.cache
    if position in cache:
        state.pos = cache[position]
        if -3 - position in cache:
            cache[_CUT_POSITION], cache[_CUT_LEVEL] = position, state.level
        return
    ok = False
    if state.level < state.md.options["maxNesting"]:
        for rule in state.md.inline.ruler.getRules(""):
            # As markdown-it does: the level bounds the rules' recursion; no token is made.
            state.level += 1
            ok = rule(state, True)
            state.level -= 1
            if ok:
                if state.pos <= position:
                    raise RuntimeError("inline rule didn't increment state.pos")
                break
    else:
        # Too deep: markdown-it skips to the end, which keeps a run of "[" linear.
        state.pos = state.posMax
        cache[-3 - position] = 1
    if not ok:
        state.pos += 1
    cache[position] = state.pos


def _reading_again_where_cut(rule: _InlineRule) -> _InlineRule:
    """The link or image rule, read once more when its own label was found never closed where
    the nesting bound had cut a reading from further out short.

    markdown-it caches the jump to the end it makes there: the innermost link of exactly that
    many brackets (``[`` 20 times, then ``[T](https://x/a*)``) found its label never closed, and
    its URL went to the bare-URL reading, cut. That position is read again at this level, once
    per link, and the cut result kept for the others: linear still.
    """

    def reading(state: StateInline, silent: bool) -> bool:
        cache = state.cache
        cache.pop(_CUT_POSITION, None)
        if rule(state, silent):
            return True
        cut = cache.pop(_CUT_POSITION, None)
        # A cut at a "[" is one more "[" of a run, read as never closed anyway: reading it again
        # would triple the time a run of them takes.
        if silent or cut is None or cache.get(_CUT_LEVEL) != state.level or state.src[cut] == "[":
            return False
        # Read again without the cut result, then put it back: left for the next link, it keeps
        # what is read at each "[" of a run of them short.
        result = cache.pop(cut)
        del cache[-3 - cut]
        ok = rule(state, silent)
        cache[cut], cache[-3 - cut] = result, 1
        return ok

    return reading


_PARSER = _make_parser()


def parse_markdown(
    text: str, base_url: str | None = None, nesting: int = MAX_NESTING
) -> MarkdownTree:
    """Parse a document into blocks. Pure: the same text always gives the same tree.

    With `base_url`, relative link destinations are resolved against it (``papers/x.pdf``
    becomes ``https://github.com/o/r/blob/main/papers/x.pdf``); in-page anchors stay as they are.
    Blocks nest `nesting` levels deep at most (see MAX_NESTING).
    """
    text = _NEWLINES.sub("\n", text)  # as markdown-it does: its lines are the text's
    depth = _depth(nesting)
    env: dict[str, Any] = {"nesting": nesting}
    shallow, cut = _shallow(text, depth)
    tokens = _PARSER.parse(shallow, env)
    _limit_inline_nesting(tokens)
    nodes = _tree(tokens)
    walker = _Walker(
        title_line=_title_heading_line(nodes),
        base_url=base_url,
        env=env,
        lines=text.split("\n"),
        bounds=depth,
    )
    walker.warn_of_cut_indentation(cut, offset=0)
    walker.walk(nodes, offset=0, container=None, depth=0)
    walker.recover(tokens, env, offset=0)
    unused = [
        ReferenceLink(label=label, url=url, line=line)
        for label, url, line in _definitions(env)
        if url not in walker.used_urls
    ]
    return MarkdownTree(
        blocks=tuple(walker.blocks),
        title=walker.title,
        front_matter=walker.front_matter,
        unused_references=tuple(sorted(unused, key=lambda ref: ref.line)),
        loose_links=tuple(walker.loose_links),
        warnings=tuple(walker.warnings),
    )


_NEWLINES = re.compile(r"\r\n?")
_INDENT = re.compile(r"[ \t]*")
_CELL_SEPARATOR = re.compile(r"(?<!\\)\|")
_OPENS_CONTAINER = re.compile(r"(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)|>")


def _shallow(text: str, depth: _Depth) -> tuple[str, list[int]]:
    """The text markdown-it is given, and the indexes of the list items and quotes in it whose
    indentation was cut: the same lines, but leading whitespace wider than `depth.indent` is cut
    to it (see `_Depth`), and a line quoted more than `depth.nesting` times is blank: no quote
    nests that deep, and markdown-it would read every such line again at each level.
    `_Walker.recover` reads the links of those from the text itself."""
    if depth.wide_indent.search(text) is None and depth.deep_quote.search(text) is None:
        return text, []
    lines = text.split("\n")
    cut: list[int] = []
    wide, indent = depth.wide, depth.indent
    for number, line in enumerate(lines):
        # lstrip() without characters runs many times faster than lstrip(" \t"): look first.
        if len(line) - len(line.lstrip()) >= wide:
            end = _INDENT.match(line).end()  # type: ignore[union-attr]
            if end >= wide and len(line[:end].expandtabs(4)) > indent:
                lines[number] = line = " " * indent + line[end:]
                if _OPENS_CONTAINER.match(line, indent):
                    cut.append(number)
        if depth.deep_quote.match(line):
            lines[number] = ""
    return "\n".join(lines), cut


def _definitions(
    env: dict[str, Any], skip: Container[str] = (), only: Container[str] | None = None
) -> Iterator[tuple[str, str, int]]:
    """(label, URL, line) of each reference definition markdown-it kept, but those in `skip`,
    or of those in `only`."""
    references = env.get("references", {})
    for label, definition in references.items() if isinstance(references, dict) else ():
        if label not in skip and (only is None or label in only):
            yield label, str(definition.get("href", "")), definition.get("map", [0])[0] + 1


#: Tokens that hold the lines they map: every line of the text is in one, or blank, or a line
#: markdown-it dropped.
_LEAF_TOKENS = frozenset(
    {"paragraph_open", "heading_open", "fence", "code_block", "html_block", "hr", "table_open",
     "front_matter"}
)  # fmt: skip
#: What opens a line inside quotes and lists: ">", "-", "*", "+", "1." and the spaces around.
_CONTAINER_MARKS = re.compile(r"[ \t>]*(?:(?:[-*+]|\d{1,9}[.)])(?=[ \t]|$)[ \t>]*)*")


def _dropped_lines(
    lines: list[str], tokens: list[Token], env: dict[str, Any], skip: Container[str] = ()
) -> list[tuple[int, str, bool]]:
    """(index, content, opens an item) of the lines that no block holds although they say
    something: those markdown-it dropped, nested deeper than MAX_NESTING, or a reference
    definition it ignored because its label was defined before. Container marks are taken off
    the content; whether they held a list marker is the third value."""
    covered = bytearray(len(lines) + 1)
    for token in tokens:
        if token.type in _LEAF_TOKENS and token.map:
            start, end = token.map
            covered[start:end] = b"\x01" * (end - start)
    references = env.get("references", {})
    for label, definition in references.items() if isinstance(references, dict) else ():
        if label not in skip:  # a definition's lines: its URL is read from the env
            start, end = definition.get("map", [0, 0])
            covered[start:end] = b"\x01" * (end - start)
    dropped = []
    for index, line in enumerate(lines):
        if covered[index] or not line.strip():
            continue
        marks = _CONTAINER_MARKS.match(line)
        end = marks.end() if marks else 0
        content = line[end:]
        if content.strip():
            dropped.append((index, content, bool(line[:end].strip(" \t>"))))
    return dropped


#: Inline markup nested deeper than this (emphasis in emphasis...) is flattened: it says nothing
#: about links, and walking it would exceed Python's recursion limit.
MAX_INLINE_NESTING = 32


def _limit_inline_nesting(tokens: list[Token]) -> None:
    """Drop inline open/close pairs nested deeper than MAX_INLINE_NESTING, keeping their text."""
    for token in tokens:
        if not token.children:
            continue
        kept: list[Token] = []
        stack: list[bool] = []
        depth = 0  # how many of the open pairs are kept: sum(stack), counted as it goes
        for child in token.children:
            if child.nesting == 1:
                keep = depth < MAX_INLINE_NESTING or child.type == "link_open"
                stack.append(keep)
                depth += keep
                if keep:
                    kept.append(child)
            elif child.nesting == -1:
                if not stack:
                    kept.append(child)
                elif stack.pop():
                    depth -= 1
                    kept.append(child)
            else:
                kept.append(child)
        token.children = kept


class _Node:
    """A block or inline element: its opening token's facts and the elements inside it.

    markdown-it's own SyntaxTreeNode does the same with a property per access and more
    bookkeeping; building it cost a quarter of the time of tokenising, for facts the walker
    reads once.
    """

    __slots__ = ("attrs", "children", "content", "info", "map", "markup", "meta", "tag", "type")

    def __init__(self, token: Token, kind: str) -> None:
        self.type = kind
        self.tag = token.tag
        self.map = token.map
        self.content = token.content
        self.info = token.info
        self.markup = token.markup
        self.attrs = token.attrs
        self.meta = token.meta
        self.children: list[_Node] = _tree(token.children) if token.children else []


def _tree(tokens: list[Token]) -> list[_Node]:
    """The elements that a flat token stream opens and closes, nested."""
    top: list[_Node] = []
    stack: list[list[_Node]] = [top]
    for token in tokens:
        if token.nesting == 1:
            node = _Node(token, token.type.removesuffix("_open"))
            stack[-1].append(node)
            stack.append(node.children)
        elif token.nesting == -1:
            if len(stack) > 1:
                stack.pop()
        else:
            stack[-1].append(_Node(token, token.type))
    return top


def _title_heading_line(nodes: list[_Node]) -> int | None:
    """The map line of the document title: the only level-1 heading, if it is the first.

    A document with front matter has its title there, and its headings are all sections.
    """
    if any(node.type == "front_matter" for node in nodes):
        return None
    headings = [node for node in nodes if node.type == "heading"]
    level_one = [node for node in headings if node.tag == "h1"]
    if len(level_one) == 1 and headings[0] is level_one[0] and headings[0].map:
        return headings[0].map[0]
    return None


@dataclass
class _Walker:
    title_line: int | None
    base_url: str | None = None
    blocks: list[Block] = field(default_factory=list)
    headings: list[tuple[int, str]] = field(default_factory=list)
    title: str | None = None
    front_matter: str | None = None
    used_urls: set[str] = field(default_factory=set)
    loose_links: list[ReferenceLink] = field(default_factory=list)
    tables: int = 0
    extras: dict[int, list[InlineText]] = field(default_factory=dict)
    in_html: bool = False
    env: dict[str, Any] = field(default_factory=dict)
    """The document's link reference definitions, which HTML blocks may use too."""
    lines: list[str] = field(default_factory=list)
    """The lines of the text being walked: the document's, or an HTML block's Markdown."""
    warnings: list[SourceWarning] = field(default_factory=list)
    bounds: _Depth = field(default_factory=lambda: _depth(MAX_NESTING))

    @property
    def section(self) -> str | None:
        return SECTION_SEPARATOR.join(name for _, name in self.headings) or None

    def walk(self, nodes: list[_Node], offset: int, container: int | None, depth: int) -> None:
        for node in nodes:
            self.visit(node, offset, container, depth)

    def visit(self, node: _Node, offset: int, container: int | None, depth: int) -> None:
        line = (node.map[0] if node.map else 0) + offset + 1
        if node.type == "front_matter":
            self.front_matter = node.content
        elif node.type == "heading":
            self.heading(node, line, offset)
        elif node.type in ("bullet_list", "ordered_list"):
            for item in node.children:
                self.list_item(node, item, offset, container, depth)
        elif node.type == "paragraph":
            inline = self.inline(node.children[0])
            if container is None:
                self.blocks.append(Paragraph(line=line, inline=inline, section=self.section))
            else:
                self.extras.setdefault(container, []).append(inline)
        elif node.type == "table":
            self.table(node, offset)
        elif node.type == "html_block":
            self.html_block(node, offset, container, depth)
        elif node.type == "blockquote":
            self.walk(node.children, offset, container, depth)
        elif node.type == "code_block":
            for number, text in enumerate(node.content.split("\n"), start=line):
                for start, end in code_urls(text):
                    url = text[start:end]
                    self.loose_links.append(ReferenceLink(label=url, url=url, line=number))

    def heading(self, node: _Node, line: int, offset: int) -> None:
        inline = self.inline(node.children[0])
        if self.title_line is not None and node.map and node.map[0] + offset == self.title_line:
            self.title = inline.plain_without_badges
            self.loose_links.extend(
                ReferenceLink(label=clean_text(link.text) or link.url, url=link.url, line=line)
                for link in inline.web_links
            )
            return
        level = int(node.tag[1:])
        while self.headings and self.headings[-1][0] >= level:
            self.headings.pop()
        heading = Heading(line=line, level=level, inline=inline, section=self.section)
        self.blocks.append(heading)
        self.headings.append((level, section_name(inline.plain)))

    def list_item(
        self,
        listing: _Node,
        node: _Node,
        offset: int,
        parent: int | None,
        depth: int,
    ) -> None:
        index = len(self.blocks)
        line = (node.map[0] if node.map else 0) + offset + 1
        children = list(node.children)
        inline = InlineText()
        if children and children[0].type == "paragraph":
            inline = self.inline(children.pop(0).children[0])
        placeholder = ListItem(
            line=line,
            depth=depth,
            ordered=listing.type == "ordered_list",
            marker=node.info + node.markup if listing.type == "ordered_list" else node.markup,
            inline=inline,
            extra=(),
            parent=parent,
            section=self.section,
            index=index,
        )
        self.blocks.append(placeholder)
        self.walk(children, offset, container=index, depth=depth + 1)
        extra = tuple(self.extras.pop(index, []))
        if extra:
            self.blocks[index] = dataclasses.replace(placeholder, extra=extra)

    def table(self, node: _Node, offset: int) -> None:
        header: tuple[str, ...] = ()
        number = self.tables
        self.tables += 1
        for part in node.children:
            for row in part.children:
                cells = tuple(self.inline(cell.children[0]) for cell in row.children)
                line = (row.map[0] if row.map else 0) + offset + 1
                if part.type == "thead":
                    # Column names; a link among them is a link of the list.
                    header = tuple(cell.plain for cell in cells)
                    self.loose_links.extend(
                        ReferenceLink(clean_text(link.text) or link.url, link.url, line)
                        for cell in cells
                        for link in cell.web_links
                    )
                    continue
                beyond = self.cells_beyond(row, len(header))
                cells += (beyond,) if beyond is not None else ()
                self.blocks.append(
                    TableRow(
                        line=line, header=header, cells=cells, section=self.section, table=number
                    )
                )

    def cells_beyond(self, row: _Node, columns: int) -> InlineText | None:
        """The cells a row writes past the header's last column, as one text: markdown-it
        drops them, and their links with them."""
        if not row.map or row.map[0] >= len(self.lines):
            return None
        line = self.lines[row.map[0]].strip().lstrip(" \t>").removeprefix("|")
        if line.endswith("|") and not line.endswith("\\|"):
            line = line[:-1]
        cells = _CELL_SEPARATOR.split(line)
        if len(cells) <= columns:
            return None
        children = _PARSER.parseInline(" | ".join(cells[columns:]).strip(), self.env)
        _limit_inline_nesting(children)
        return self.inline(_tree(children)[0])

    def html_block(self, node: _Node, offset: int, container: int | None, depth: int) -> None:
        """Read the Markdown inside an HTML block such as <details>, keeping its lines.

        Once only: what still looks like HTML inside (a tag never closed) is read as text.
        """
        markdown = html_to_markdown(node.content)
        if not markdown.strip():
            return
        if self.in_html:
            markdown = markdown.replace("<", "&lt;")
        start = (node.map[0] if node.map else 0) + offset
        outer_references = self.env.get("references", {})
        env: dict[str, Any] = {"references": dict(outer_references), "nesting": self.bounds.nesting}
        shallow, cut = _shallow(markdown, self.bounds)
        tokens = _PARSER.parse(shallow, env)
        _limit_inline_nesting(tokens)
        self.warn_of_cut_indentation(cut, offset=start)
        outer, self.in_html = self.in_html, True
        outer_lines, self.lines = self.lines, markdown.split("\n")
        try:
            self.walk(_tree(tokens), offset=start, container=container, depth=depth)
            self.recover(tokens, env, offset=start, skip=outer_references)
        finally:
            self.in_html, self.lines = outer, outer_lines
        # A definition written inside the block: kept as a link unless a link here used it.
        self.loose_links.extend(
            ReferenceLink(label=label, url=url, line=line + start)
            for label, url, line in _definitions(env, skip=outer_references)
            if url not in self.used_urls
        )

    def warn_of_cut_indentation(self, cut: list[int], offset: int) -> None:
        if cut:
            first, last = cut[0] + offset + 1, cut[-1] + offset + 1
            where = _line_range(first, last)
            what = f"{len(cut)} list items or quotes are" if len(cut) > 1 else "a list item is"
            indent = self.bounds.indent
            message = (
                f"{where}: {what} indented more than {indent} columns, and read as if indented"
                f" {indent}: items nested deeper become siblings at that depth"
                f" ({raise_hint('nesting')})"
            )
            self.warnings.append(SourceWarning(message=message, line=first))

    def recover(
        self,
        tokens: list[Token],
        env: dict[str, Any],
        offset: int,
        skip: Container[str] = (),
    ) -> None:
        """Read the links of the lines markdown-it dropped, and say where they were.

        Runs of such lines are read as one text each, without their container marks, so that a
        list nested ten thousand deep takes one pass, not one per line. The text is parsed as
        blocks, so that reference definitions in it count; what is not inline text there (HTML,
        code, unclosed fences) is read as inline text: what those lines meant is not known.
        """
        runs: list[list[tuple[int, str, bool]]] = []
        for dropped in _dropped_lines(self.lines, tokens, env, skip):
            # One run across blank lines: markdown-it drops the rest of a document nested too
            # deep, and a link there may use a definition further down.
            if runs and self.blank_between(runs[-1][-1][0], dropped[0]):
                runs[-1].append(dropped)
            else:
                runs.append([dropped])
        outer = env.get("references", {})
        for run in runs:
            first, last = run[0][0] + offset + 1, run[-1][0] + offset + 1
            # Each item its own block, as it was: a blank line before it, and where each
            # line of the text was written.
            texts: list[str] = []
            where: list[int] = []
            for index, content, opens_item in run:
                if texts and (opens_item or where[-1] < index - 1):
                    texts.append("")
                    where.append(index)
                texts.append(content)
                where.append(index)
            run_env: dict[str, Any] = {"outer_references": outer}
            found = 0
            for line, children in self.run_inlines("\n".join(texts), run_env):
                builder = self.read_inline(_tree(children)[0])
                for link in builder.links:
                    if is_web_url(link.url):
                        found += 1
                        below = bisect.bisect_left(builder.line_ends, link.start)
                        number = where[min(line + below, len(where) - 1)] + offset + 1
                        label = clean_text(link.text) or link.url
                        self.loose_links.append(ReferenceLink(label, link.url, number))
            own = run_env.get("own_references", ())
            for label, url, line in _definitions(run_env, only=own):
                found += 1
                if url not in self.used_urls:
                    number = where[min(line - 1, len(where) - 1)] + offset + 1
                    self.loose_links.append(ReferenceLink(label, url, number))
            if found:
                lines = _line_range(first, last)
                message = (
                    f"{lines} could not be read as Markdown (nested deeper than"
                    f" {self.bounds.nesting} levels of lists and quotes, or a reference defined"
                    " twice); their links are kept as links of the list, not as items"
                    f" ({raise_hint('nesting')})"
                )
                self.warnings.append(SourceWarning(message=message, line=first))

    def blank_between(self, before: int, after: int) -> bool:
        """Whether only blank lines lie between two lines of the text."""
        return all(not self.lines[index].strip() for index in range(before + 1, after))

    def run_inlines(self, text: str, env: dict[str, Any]) -> Iterator[tuple[int, list[Token]]]:
        """The inline tokens of a recovered text, each with the line it starts on (from 0)."""
        tokens = _PARSER.parse(text, env)
        _limit_inline_nesting(tokens)
        line = 0
        for token in tokens:
            if token.map:
                line = token.map[0]
            if token.type == "inline":
                yield line, [token]
            elif token.type in ("html_block", "fence", "code_block") and token.content:
                children = _PARSER.parseInline(token.content, env)
                _limit_inline_nesting(children)
                yield line + (token.type == "fence"), children

    def read_inline(self, node: _Node) -> _InlineBuilder:
        builder = _InlineBuilder(base_url=self.base_url)
        builder.add(node.children)
        builder.end_open_anchor()
        self.used_urls.update(link.url for link in builder.links)
        return builder

    def inline(self, node: _Node) -> InlineText:
        builder = self.read_inline(node)
        return InlineText(
            text=builder.text,
            links=tuple(builder.links),
            images=tuple(builder.images),
            strong=tuple(builder.strong),
            html_tags=tuple(builder.tags),
            source=node.content,
            spans=tuple(sorted(builder.spans, key=lambda span: (span.start, -span.end))),
            url_spans=tuple(builder.url_spans),
        )


#: Inline HTML tags read as styled runs, by the span kind they give.
HTML_SPAN_TAGS: dict[str, SpanKind] = {
    "b": "strong", "strong": "strong", "mark": "strong",
    "i": "emphasis", "em": "emphasis", "cite": "emphasis",
    "u": "underline", "ins": "underline",
    "code": "code", "kbd": "code", "tt": "code",
}  # fmt: skip


@dataclass
class _InlineBuilder:
    base_url: str | None = None
    parts: list[str] = field(default_factory=list)
    size: int = 0
    links: list[Link] = field(default_factory=list)
    images: list[Link] = field(default_factory=list)
    strong: list[tuple[int, int]] = field(default_factory=list)
    spans: list[Span] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    open_anchor: tuple[str, int, int] | None = None
    """The open <a href>: its URL, where its text starts, and the part it starts at."""
    open_html: list[tuple[str, int]] = field(default_factory=list)
    link_depth: int = 0
    url_spans: list[tuple[int, int]] = field(default_factory=list)
    """Where, in the source, the URLs of its links and images are written."""
    in_alt: int = 0
    """How many images' alt texts are being read: their tokens' places are in the alt text."""
    line_ends: list[int] = field(default_factory=list)
    """Where each line of the source ends in the text: not every line break of the text is
    one (a ``<br>``), nor is every source line's end a break (a tag written over two lines)."""

    @property
    def text(self) -> str:
        return "".join(self.parts)

    def append(self, text: str) -> None:
        self.parts.append(text)
        self.size += len(text)

    def text_since(self, part: int) -> str:
        """The text written since `part` parts were: a link's own text, joined alone so that a
        line of many links is not joined again for each."""
        return "".join(self.parts[part:])

    def add(self, nodes: list[_Node]) -> None:
        for node in nodes:
            kind = node.type
            if kind == "text":
                self.append(node.content)
            elif kind == "code_inline":
                start = self.size
                self.append(node.content)
                self.spans.append(Span("code", start, self.size))
            elif kind in ("softbreak", "hardbreak"):
                self.line_ends.append(self.size)
                self.append("\n")
            elif kind == "link":
                self.note_url_span(node, "href")
                start, part = self.size, len(self.parts)
                self.link_depth += 1
                self.add(node.children)
                self.link_depth -= 1
                url = self.resolved(str(node.attrs.get("href", "")))
                text = self.text_since(part)
                self.links.append(Link(text, url, start, self.size, _link_kind(node.markup)))
            elif kind == "image":
                # Alt text counts only inside a link, where it names the link (a badge).
                self.note_url_span(node, "src")
                start = self.size
                if self.link_depth:
                    self.in_alt += 1
                    self.add(node.children)
                    self.in_alt -= 1
                url = str(node.attrs.get("src", ""))
                alt = clean_text(str(node.attrs.get("alt", "")) or node.content)
                self.images.append(Link(alt, url, start, self.size, "link"))
            elif kind in ("strong", "em"):
                start = self.size
                self.add(node.children)
                if kind == "strong":
                    self.strong.append((start, self.size))
                self.spans.append(
                    Span("strong" if kind == "strong" else "emphasis", start, self.size)
                )
            elif kind == "html_inline":
                self.line_ends.extend(self.size for _ in range(node.content.count("\n")))
                self.html(node.content)
            else:
                self.add(node.children)

    def note_url_span(self, node: _Node, attribute: str) -> None:
        """Note where a link's URL is written, when it is a web URL: one that is not, such as
        ``[u1](u2)``, may hold the URL the reader sees."""
        span = node.meta.get("url_span")
        if span is not None and not self.in_alt and is_web_url(str(node.attrs.get(attribute))):
            self.url_spans.append(span)

    def end_open_anchor(self) -> None:
        """Close the open <a href>; at the end of the text, one never closed links the rest of
        it, so that its URL is not lost."""
        if self.open_anchor is not None:
            url, start, part = self.open_anchor
            self.open_anchor = None
            text = self.text_since(part)
            self.links.append(Link(text, self.resolved(url), start, self.size, "html"))

    def resolved(self, url: str) -> str:
        """A relative destination joined to the base URL, when the source gives one."""
        if not self.base_url or not url or url.startswith("#") or _HAS_SCHEME.match(url):
            return url
        return urljoin(self.base_url, url)

    def html(self, raw: str) -> None:
        tag = read_tag(raw)
        if tag is None:
            return
        name, closing, href = tag.name, tag.closing, tag.attribute("href")
        if name not in self.tags:
            self.tags.append(name)
        alt = clean_text(tag.attribute("alt") or "")
        for url in image_urls(name, tag.attrs):  # images, as ![alt](src) is
            self.images.append(Link(alt, self.resolved(url), self.size, self.size, "html"))
        for url in attribute_urls(name, tag.attrs):  # <iframe src>: a link of its own
            start = self.size
            self.append(url)
            self.links.append(Link(url, url, start, self.size, "html"))
        if name == "a" and not closing:
            self.end_open_anchor()  # an <a> inside another ends it, as in a browser
            if href is not None:
                self.open_anchor = (href, self.size, len(self.parts))
        elif name == "a":
            self.end_open_anchor()
        elif name == "br":
            self.append("\n")
        elif name in HTML_SPAN_TAGS and not closing:
            self.open_html.append((name, self.size))
        elif name in HTML_SPAN_TAGS:
            for index in range(len(self.open_html) - 1, -1, -1):
                if self.open_html[index][0] == name:
                    start = self.open_html.pop(index)[1]
                    kind = HTML_SPAN_TAGS[name]
                    self.spans.append(Span(kind, start, self.size))
                    if kind == "strong":
                        self.strong.append((start, self.size))
                    break


def _line_range(first: int, last: int) -> str:
    return f"line {first}" if first == last else f"lines {first} to {last}"


def _link_kind(markup: str) -> LinkKind:
    if markup == "linkify":
        return "bare"
    if markup == "autolink":
        return "autolink"
    return "link"

"""HTML blocks read as the Markdown a curator meant, with the standard library's HTML parser.

Lists written in HTML say the same things as Markdown ones: a ``<li>`` or a ``<summary>`` is an
item, a ``<br>``-ended line that opens with a link is an item, a ``<tr>`` is a table row, the
content of a ``<details>`` belongs to its summary. `html_to_markdown` rewrites an HTML block into
that Markdown, each piece on the line it came from where it can, so the Markdown layer reads it
with the same blocks and line numbers as any other list. Inline styling tags (``<b>``, ``<i>``,
``<u>``, ``<code>``) are kept: the inline reader turns them into spans. A URL in any other
attribute (``<iframe src>``, ``<video src>``, ``<source src>``) is written as a link of its own,
so that it is not lost; images stay images.

The HTML is split into tags, comments and text by `html_tokens`, in one pass that never goes
back: the standard library's parser slows down quadratically on unclosed tags and comments, and
a list is any text someone wrote.
"""

from __future__ import annotations

import html as entities
import re
import string
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.entities import html5 as NAMED_REFERENCES

from awesomerge.urls import is_web_url

#: Tags that end a line of text: what follows them starts a new block.
BREAKING_TAGS = frozenset(
    {"p", "div", "br", "li", "ul", "ol", "tr", "table", "thead", "tbody", "tfoot", "details",
     "summary", "blockquote", "center", "section", "article", "header", "footer", "nav", "hr",
     "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "figure", "figcaption"}
)  # fmt: skip
#: Inline tags passed through for the inline reader, which reads them as styled spans.
KEPT_INLINE_TAGS = frozenset(
    {"b", "strong", "i", "em", "u", "ins", "mark", "cite", "code", "kbd", "tt"}
)
#: Lists and details nested deeper than this are read at this depth: their indentation would
#: otherwise grow with the square of the block's length.
MAX_DEPTH = 16
_HEADINGS = {f"h{level}": level for level in range(1, 7)}
_KEPT_TAG = re.compile("</?(?:" + "|".join(sorted(KEPT_INLINE_TAGS)) + ")>")
_STARTS_WITH_LINK = re.compile(r"^[\s*_]*(?:<(?:b|strong|i|em|u)>[\s*_]*)*!?\[")
_CELL_ESCAPES = str.maketrans({"|": "\\|", "\n": " "})
#: A reference definition written inside the block, its URL not between angles: what Markdown
#: would read as one were it alone, "[label]: url" and whatever follows.
_DEFINITION = re.compile(
    r"^( {0,3}\[[^\[\]]+\]:[ \t]*)([A-Za-z][A-Za-z0-9+.-]{1,31}:[^<>\s]*)(?=\s|$)"
)
#: What Markdown would read in a URL as an escape or a character reference of its own: a
#: backslash before punctuation or at the end, an "&" that starts "&name;" or "&#number;".
_MARKDOWN_ESCAPE = re.compile(r"\\(?=[!-/:-@\[-`{-~]|$)|&(?=[A-Za-z#][A-Za-z0-9]{1,31};)")
#: A URL that Markdown reads whole as a destination without angles (parentheses aside).
_PLAIN_DESTINATION = re.compile(r"[^<\\\x00-\x20\x7f][^\\\x00-\x20\x7f]*")


@dataclass
class _Piece:
    """One line's worth of Markdown: an item, a paragraph, a heading or a table."""

    line: int
    text: str
    kind: str = "paragraph"
    depth: int = 0
    rows: list[_Row] = field(default_factory=list)
    """A table's: its header (read as column names), then its rows."""


@dataclass
class _Row:
    line: int
    cells: list[str] = field(default_factory=list)
    header: bool = False


class _Converter:
    def __init__(self) -> None:
        self.line = 1
        """The line of the token being read."""
        self.pieces: list[_Piece] = []
        self.parts: list[str] = []
        self.start_line = 1
        self.kind = "paragraph"
        self.lists = 0
        self.summary_depth: int | None = None
        self.details: list[bool] = []
        """Per open <details>: whether its content is nested under a linked summary."""
        self.summary_links = False
        self.has_anchor = False
        """Whether the text being gathered holds an <a> tag: only HTML lines can be items."""
        self.has_tag = False
        """Whether it holds any tag: only plain Markdown lines keep their indentation."""
        self.anchors: list[tuple[str, int]] = []
        """Open <a> tags: href, and how many blocks were open around it."""
        self.depth = 0
        """How many block tags are open."""
        self.rows: list[_Row] | None = None
        self.cell: list[str] | None = None
        self.inner_tables = 0
        """Tables inside a table's cell: read as the cell's text."""
        self.blank = True
        self.attribute_links: list[str] = []
        """URLs of attributes met inside an open <a>, written once it closes."""

    def feed(self, html: str) -> None:
        for token in html_tokens(html):
            self.line = token.line
            tag = token.tag
            if tag is None:
                self.handle_data(token.text)
            elif tag.closing:
                self.handle_endtag(tag.name)
            elif tag.self_closing:
                self.handle_startendtag(tag.name, tag.attrs)
            else:
                self.handle_starttag(tag.name, tag.attrs)

    # Text and inline tags.

    def write(self, text: str, line: int | None = None) -> None:
        if self.cell is not None:
            self.cell.append(text)
            return
        if self.rows is not None and not _blank(text):
            # Text outside the cells ends the table, so that what follows keeps its place.
            self.flush_table()
        if self.blank and not _blank(text):
            self.start_line = line or self.line
            self.blank = False
        self.parts.append(text)

    def handle_data(self, data: str) -> None:
        if self.anchors:
            data = _link_text(data)
        if self.cell is not None or self.anchors:
            self.write(data)
            return
        # Markdown written inside the block keeps its lines: each is read as Markdown.
        line = self.line
        first, *rest = data.split("\n")
        self.write(first, line)
        for number, text in enumerate(rest, start=line + 1):
            self.flush()
            self.write(text, number)

    def handle_starttag(self, tag: str, attrs: Attributes) -> None:
        values = {name: value or "" for name, value in attrs}
        self.has_tag = True
        self.attribute_links += attribute_urls(tag, attrs)
        if tag == "a":
            while self.anchors:  # an <a> inside another ends it, as in a browser
                self.close_anchor()
            self.anchors.append((values.get("href", ""), self.depth))
            self.write("[")
            self.has_anchor = True
        elif tag == "img":
            alt = _link_text(values.get("alt", ""))
            self.write(f"![{alt}]({_destination(values.get('src', ''))})")
        elif tag in KEPT_INLINE_TAGS:
            self.write(f"<{tag}>")
        elif tag == "table" and self.rows is not None:
            self.inner_tables += 1
        elif tag in ("tr", "td", "th") and self.inner_tables:
            self.write(" ")
        elif tag == "table":
            self.close_anchors(self.depth)
            self.flush()
            self.rows = []
        elif tag == "tr" and self.rows is not None:
            self.end_cell()
            self.rows.append(_Row(line=self.line))
        elif tag in ("td", "th") and self.rows is not None:
            self.end_cell()
            if not self.rows:
                self.rows.append(_Row(line=self.line))
            self.rows[-1].header = self.rows[-1].header or tag == "th"
            self.cell = []
        elif tag in BREAKING_TAGS:
            if tag not in ("br", "hr"):
                self.depth += 1
            if not self.anchors:  # a block inside a link stays inside it
                self.flush()
                self.open_block(tag)
        self.write_attribute_links()

    def write_attribute_links(self) -> None:
        """Write the URLs of attributes as links, outside any link: a link holds no link."""
        if self.anchors:
            return
        for url in self.attribute_links:
            self.write(f" [{_link_text(url)}]({_destination(url)}) ")
        self.attribute_links = []

    def handle_startendtag(self, tag: str, attrs: Attributes) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in ("img", "br", "hr"):
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        self.has_tag = True
        if tag == "a":
            if self.anchors:
                self.close_anchor()
        elif tag in KEPT_INLINE_TAGS:
            self.write(f"</{tag}>")
        elif tag == "table" and self.inner_tables:
            self.inner_tables -= 1
        elif tag in ("tr", "td", "th") and self.inner_tables:
            self.write(" ")
        elif tag in ("td", "th") and self.rows is not None:
            self.close_anchors(self.depth)
            self.end_cell()
        elif tag == "table":
            self.close_anchors(self.depth)
            self.end_cell()
            self.flush_table()
        elif tag in BREAKING_TAGS and tag not in ("br", "hr"):
            self.depth = max(0, self.depth - 1)
            # An <a> never closed inside this block ends with it, so its URL is kept.
            self.close_anchors(self.depth)
            if not self.anchors:
                self.flush()
                self.close_block(tag)
        elif tag in BREAKING_TAGS and not self.anchors:
            self.flush()

    def close_anchor(self) -> None:
        url, _ = self.anchors.pop()
        self.write(f"]({_destination(url)})" if url else "]")
        self.write_attribute_links()

    def close_anchors(self, depth: int) -> None:
        """Close the links opened inside blocks that have ended (deeper than `depth`)."""
        while self.anchors and self.anchors[-1][1] > depth:
            self.close_anchor()

    def end_cell(self) -> None:
        if self.cell is not None and self.rows:
            self.rows[-1].cells.append(" ".join("".join(self.cell).split()))
        self.cell = None

    # Blocks.

    def open_block(self, tag: str) -> None:
        if tag in ("ul", "ol"):
            self.lists += 1
        elif tag == "li":
            self.kind = "item"
        elif tag in _HEADINGS:
            self.kind = f"heading:{_HEADINGS[tag]}"
        elif tag == "details":
            self.details.append(False)
        elif tag == "summary":
            self.kind = "summary"

    def close_block(self, tag: str) -> None:
        if tag in ("ul", "ol"):
            self.lists = max(0, self.lists - 1)
        elif tag == "details" and self.details:
            self.details.pop()
        elif tag == "summary" and self.details:
            self.details[-1] = self.summary_links

    def flush(self) -> None:
        raw = "".join(self.parts)
        self.parts = []
        self.blank = True
        has_anchor, self.has_anchor = self.has_anchor, False
        has_tag, self.has_tag = self.has_tag, False
        kind = self.kind
        if kind != "summary":
            self.kind = "paragraph"
        text = " ".join(raw.split())
        if _blank(_KEPT_TAG.sub("", text)):
            return  # nothing but whitespace and styling tags
        nested = min(MAX_DEPTH, sum(self.details) + max(0, self.lists - 1))
        if kind == "summary":
            # A summary that links is an item, its details nested under it; one that does not
            # names what follows, as a bold line does.
            self.kind = "paragraph"
            linked = "](" in text
            self.summary_links = linked
            kind = "item" if linked else "paragraph"
            text = text if linked else f"<b>{text}</b>"
        elif kind == "paragraph" and has_anchor and _STARTS_WITH_LINK.match(text):
            kind = "item"
        elif kind == "paragraph" and not nested and not has_tag:
            text = raw.expandtabs(4).rstrip()  # Markdown inside the block, indentation kept
            text = _DEFINITION.sub(_pointy_definition, text)
        self.pieces.append(_Piece(self.start_line, _no_html_start(text), kind, nested))

    def flush_table(self) -> None:
        rows = [row for row in self.rows or [] if row.cells]
        self.rows = None
        self.inner_tables = 0
        if not rows:
            return
        header = rows.pop(0) if rows[0].header else _Row(rows[0].line)
        self.pieces.append(_Piece(header.line, "", "table", rows=[header, *rows]))


def _destination(url: str) -> str:
    """A URL as a Markdown link's destination, read back as it is written, with as few
    escapes as can be: a search for bare URLs in the Markdown would read them as the URL's."""
    escaped = _MARKDOWN_ESCAPE.sub(r"\\\g<0>", url)
    if _PLAIN_DESTINATION.fullmatch(url) and _balanced(url):
        return escaped  # "https://a.example/x>y" in angles would need "\\>"
    return "<" + escaped.replace("<", "\\<").replace(">", "\\>") + ">"


def _balanced(url: str) -> bool:
    """Whether a URL's parentheses pair up, as Markdown's destination without angles needs."""
    depth = 0
    for character in url:
        if character in "()":
            depth += 1 if character == "(" else -1
            if depth < 0 or depth > 32:
                return False
    return depth == 0


def _blank(text: str) -> bool:
    """Whether text shows nothing but white space ("&nbsp;" is white space too)."""
    return not entities.unescape(text).strip()


def _link_text(text: str) -> str:
    """Text inside a Markdown link's brackets: its brackets escaped, so that they do not end
    the link, and the colon of any "://" too, so that a search for bare URLs in the Markdown
    never reads an escape as part of a URL ("http://\\[::1")."""
    return text.replace("[", "\\[").replace("]", "\\]").replace("://", "\\://")


def _no_html_start(line: str) -> str:
    """A line that opens with a "<" other than a kept tag's, escaped: text such as a comment
    never closed would start an HTML block in Markdown and take in the lines after it."""
    start = len(line) - len(line.lstrip(" "))
    if line.startswith("<", start) and not _KEPT_TAG.match(line, start):
        return line[:start] + "\\" + line[start:]
    return line


def _pointy_definition(match: re.Match[str]) -> str:
    """A reference definition with its URL between angles: the same definition, and where
    Markdown reads the line as text (it goes on a paragraph), an autolink to the URL as
    written, which a search for bare URLs may cut short ("HTTPS://a.example./x")."""
    return f"{match.group(1)}<{match.group(2)}>"


def html_to_markdown(html: str) -> str:
    """The Markdown an HTML block means, each piece on the line it came from: pieces of one
    line are joined on it, and a table's rows are as near their lines as the header and
    delimiter rows before them let them be, within the block."""
    converter = _Converter()
    converter.feed(html)
    converter.close_anchors(-1)
    converter.end_cell()
    if converter.rows is not None:
        converter.flush_table()
    converter.flush()
    layout = _Layout(last_line=html.count("\n") + (not html.endswith("\n")))
    for piece in converter.pieces:
        layout.add(piece)
    return textwrap.dedent("\n".join(layout.lines))


@dataclass
class _Layout:
    """The lines of Markdown, each piece put on its own line."""

    last_line: int
    lines: list[str] = field(default_factory=list)
    last_kind: str = "paragraph"

    def add(self, piece: _Piece) -> None:
        if piece.kind == "table":
            self.add_table(piece.rows)
            return
        if len(self.lines) >= piece.line:  # its line is taken: the piece goes on it
            if self.last_kind == "table":
                self.lines[-1] += f" {piece.text.translate(_CELL_ESCAPES)} |"
            else:
                self.lines[-1] += f" {piece.text}"
            return
        self.lines.extend([""] * (piece.line - 1 - len(self.lines)))
        indent = "  " * piece.depth
        if piece.kind == "item":
            self.lines.append(f"{indent}- {piece.text}")
        elif piece.kind.startswith("heading:"):
            self.lines.append("#" * int(piece.kind.split(":")[1]) + " " + piece.text)
        else:
            self.lines.append(f"{indent}  {piece.text}" if piece.depth else piece.text)
        self.last_kind = piece.kind

    def add_table(self, rows: list[_Row]) -> None:
        """A Markdown table, its header and delimiter rows on the lines before its first row
        where they are free, each row on its line or the first free one after it, rows with
        no cells filling the lines between; the rows that would end past the block are
        joined to the last that does not."""
        header, body = rows[0], rows[1:]
        start = len(self.lines) + 1
        if self.lines and self.lines[-1] and self.last_kind == "item":
            start += 1  # a blank line, or the table would go on the item
        start = max(start, body[0].line - 2 if body else header.line)
        room = self.last_line - start - 1
        if 0 < room < len(body):
            for row in body[room:]:
                body[room - 1].cells += row.cells
            del body[room:]
        width = max(len(row.cells) for row in rows)
        self.lines.extend([""] * (start - 1 - len(self.lines)))
        self.lines += [_table_line(header.cells, width), "|" + " --- |" * width]
        for row in body:
            while len(self.lines) + 1 < row.line:
                self.lines.append(_table_line([], width))
            self.lines.append(_table_line(row.cells, width))
        self.last_kind = "table"


def _table_line(cells: list[str], width: int) -> str:
    padded = [cell.translate(_CELL_ESCAPES) for cell in cells] + [""] * (width - len(cells))
    return "| " + " | ".join(padded) + " |"


def read_tag(tag: str) -> Tag | None:
    """An inline HTML tag as markdown-it hands it over, read; None when it is no tag."""
    return next((token.tag for token in html_tokens(tag) if token.tag is not None), None)


def attribute_urls(name: str, attrs: Attributes) -> list[str]:
    """The web URLs a tag's attributes hold, besides an anchor's href and an image's sources:
    ``<iframe src>``, ``<video src>``, ``<source src>``, ``<object data>``, ``<area href>``."""
    if name in IMAGE_TAGS:
        return []
    return [
        value.strip()
        for attribute, value in attrs
        if value
        and is_web_url(value.strip())
        and attribute not in IMAGE_ATTRIBUTES
        and not (name == "a" and attribute == "href")
    ]


def image_urls(name: str, attrs: Attributes) -> list[str]:
    """The URLs of the images a tag shows: an <img>'s src, every srcset candidate, a poster."""
    urls = []
    for attribute, value in attrs:
        if not value:
            continue
        if attribute == "srcset":  # "small.png 1x, large.png 2x"
            urls += [part.split()[0] for part in value.split(",") if part.split()]
        elif attribute == "poster" or (name in IMAGE_TAGS and attribute == "src"):
            urls.append(value.strip())
    return urls


# Tokens.

Attributes = tuple[tuple[str, str | None], ...]
#: Tags whose content is text up to their own end tag.
RAW_TEXT_TAGS = frozenset({"script", "style"})
#: Tags and attributes that hold images, which stay images: the contract leaves them out.
IMAGE_TAGS = frozenset({"img"})
IMAGE_ATTRIBUTES = frozenset({"srcset", "poster"})

_TAG_START = re.compile(r"</?([A-Za-z][^\t\n\f\r />]*)")
_BETWEEN_ATTRIBUTES = re.compile(r"[\t\n\f\r /]*")
_ATTRIBUTE_NAME = re.compile(r"[^\t\n\f\r />=<\"']+")
_EQUALS = re.compile(r"[\t\n\f\r ]*=[\t\n\f\r ]*")
_UNQUOTED = re.compile(r"[^\t\n\f\r >]*")
_RAW_TEXT_END = {
    name: re.compile(rf"</{name}[\t\n\f\r />]", re.IGNORECASE) for name in RAW_TEXT_TAGS
}


@dataclass(frozen=True)
class Tag:
    """A start or end tag: its lower-case name and attributes, values unescaped as a browser
    unescapes them (`unescape_attribute`)."""

    name: str
    attrs: Attributes = ()
    closing: bool = False
    self_closing: bool = False

    def attribute(self, name: str) -> str | None:
        return next((value or "" for key, value in self.attrs if key == name), None)


@dataclass(frozen=True)
class HtmlToken:
    """A tag, or a run of text (`tag` None), and the line it starts on.

    Text is as written, its character references left for the Markdown it goes into to read:
    read twice, "&amp;amp;" would be "&", and Markdown written in the block, such as
    "[a](https://a.example/?a=1&section=2)", would be given a URL nobody wrote ("§ion=2").
    """

    line: int
    text: str = ""
    tag: Tag | None = None


def html_tokens(html: str) -> Iterator[HtmlToken]:
    """The tags and texts of an HTML fragment, comments left out, in one pass that never goes
    back.

    As in a browser, a tag runs to the first ``>`` outside quotes and a comment to ``-->``. Unlike
    one, an unclosed comment, and a tag that the fragment ends inside, are text, so that what
    they hold is still read; a quote never closed quotes nothing; a ``<`` where an attribute
    would start ends the tag before it.
    """
    reader = _TokenReader(html)
    return reader.tokens()


class _TokenReader:
    def __init__(self, html: str) -> None:
        self.html = html
        self.last_close = html.rfind(">")
        self.last_quote = {'"': html.rfind('"'), "'": html.rfind("'")}
        self.last_comment_end = html.rfind("-->")
        self.budget = 2 * len(html) + 1024
        """How much text tags that turn out unclosed may read: past it, the rest is text."""
        self.line = 1
        self.counted = 0

    def line_at(self, position: int) -> int:
        """The line of a position; positions are asked for in increasing order."""
        self.line += self.html.count("\n", self.counted, position)
        self.counted = position
        return self.line

    def tokens(self) -> Iterator[HtmlToken]:
        html, length = self.html, len(self.html)
        text_start = position = 0
        while position < length and self.budget >= 0:
            opening = html.find("<", position)
            if opening < 0:
                break
            found = self.construct(opening)
            if found is None:
                position = opening + 1
                continue
            tag, end = found
            if text_start < opening:
                yield self.text(text_start, opening)
            if tag is not None:
                yield HtmlToken(self.line_at(opening), tag=tag)
            position = text_start = end
            if tag is not None and tag.name in RAW_TEXT_TAGS and not tag.closing:
                close = _RAW_TEXT_END[tag.name].search(html, end)
                position = close.start() if close is not None else length
                if end < position:
                    yield HtmlToken(self.line_at(end), text=html[end:position])
                text_start = position
        if text_start < length:
            yield self.text(text_start, length)

    def text(self, start: int, end: int) -> HtmlToken:
        return HtmlToken(self.line_at(start), text=self.html[start:end])

    def construct(self, opening: int) -> tuple[Tag | None, int] | None:
        """What starts at a ``<``: a tag, or a comment (no tag), and where it ends; None for
        a ``<`` that is text."""
        html = self.html
        after = html[opening + 1 : opening + 2]
        if html.startswith("<!--", opening):
            for empty in ("<!-->", "<!--->"):
                if html.startswith(empty, opening):
                    return None, opening + len(empty)
            if self.last_comment_end < opening + 4:
                return None  # never closed: text
            return None, html.find("-->", opening + 4) + 3
        name_start = html[opening + 2 : opening + 3] if after == "/" else after
        if name_start.isascii() and name_start.isalpha():
            return self.tag(opening)
        if after in ("!", "?", "/") and self.last_close > opening:
            return None, html.find(">", opening) + 1  # a declaration or a bogus comment
        return None

    def tag(self, opening: int) -> tuple[Tag, int] | None:
        html, length = self.html, len(self.html)
        start = _TAG_START.match(html, opening)
        assert start is not None  # construct() saw a letter after "<" or "</"
        closing = html.startswith("</", opening)
        attrs: list[tuple[str, str | None]] = []
        position = start.end()
        while True:
            gap = position
            position = _BETWEEN_ATTRIBUTES.match(html, position).end()  # type: ignore[union-attr]
            if position >= length:
                self.budget -= position - opening
                return None  # the fragment ends inside the tag: it is text
            char = html[position]
            if char in "<>":
                end = position + 1 if char == ">" else position
                # A "/" ending an unquoted value ("<a href=https://a.example/>") is the URL's.
                self_closing = position > gap and html[position - 1] == "/" and char == ">"
                name = start.group(1).lower()
                return Tag(name, tuple(attrs), closing, self_closing), end
            if char in "\"'=":
                position += 1  # a stray quote or equals sign, where a name should be
                continue
            name_match = _ATTRIBUTE_NAME.match(html, position)
            assert name_match is not None  # char is none of what a name excludes
            position = name_match.end()
            value: str | None = None
            equals = _EQUALS.match(html, position)
            if equals is not None:
                position = equals.end()
                quote = html[position : position + 1]
                if quote in ('"', "'") and self.last_quote[quote] > position:
                    close = html.find(quote, position + 1)
                    value, position = html[position + 1 : close], close + 1
                else:
                    unquoted = _UNQUOTED.match(html, position)
                    assert unquoted is not None  # it matches the empty string
                    value, position = unquoted.group(), unquoted.end()
                value = unescape_attribute(value)
            attrs.append((name_match.group().lower(), value))


#: A character reference where `html.unescape` looks for one (its own pattern).
_CHARACTER_REFERENCE = re.compile(r"&(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\t\n\f <&#;]{1,32};?)")
#: What after a named reference without its ";" keeps it as written in an attribute.
_CONTINUING_NAME = frozenset(string.ascii_letters + string.digits + "=")


def unescape_attribute(value: str) -> str:
    """An attribute's value as a browser reads it (the HTML standard's "character reference
    in attribute"): unlike in text, a named reference without its ";" that a letter, a digit
    or "=" follows is kept as written, so "?a=1&section=2" is no "?a=1§ion=2"."""
    return _CHARACTER_REFERENCE.sub(_attribute_reference, value)


def _attribute_reference(match: re.Match[str]) -> str:
    name = match.group(1)
    if name.startswith("#") or name in NAMED_REFERENCES:
        return entities.unescape(match.group())
    # The longest name it starts with, as `html.unescape` looks for it; only names without
    # their ";" (the legacy ones) can be followed by more of the run.
    for end in range(len(name) - 1, 1, -1):
        if name[:end] in NAMED_REFERENCES:
            if name[end] in _CONTINUING_NAME:
                return match.group()
            return NAMED_REFERENCES[name[:end]] + name[end:]
    return match.group()

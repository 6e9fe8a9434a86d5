"""HTML blocks read as the Markdown a curator meant, with the standard library's HTML parser.

Lists written in HTML say the same things as Markdown ones: a ``<li>`` or a ``<summary>`` is an
item, a ``<br>``-ended line that opens with a link is an item, a ``<tr>`` is a table row, the
content of a ``<details>`` belongs to its summary. `html_to_markdown` rewrites an HTML block into
that Markdown, each piece on the line it came from where it can, so the Markdown layer reads it
with the same blocks and line numbers as any other list. Inline styling tags (``<b>``, ``<i>``,
``<u>``, ``<code>``) are kept: the inline reader turns them into spans.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass, field
from html.parser import HTMLParser

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
_HEADINGS = {f"h{level}": level for level in range(1, 7)}
_KEPT_TAG = re.compile("</?(?:" + "|".join(sorted(KEPT_INLINE_TAGS)) + ")>")
_STARTS_WITH_LINK = re.compile(r"^[\s*_]*(?:<(?:b|strong|i|em|u)>[\s*_]*)*!?\[")
_CELL_ESCAPES = str.maketrans({"|": "\\|", "\n": " "})


@dataclass
class _Piece:
    """One line's worth of Markdown: an item, a paragraph, a heading or a table."""

    line: int
    text: str
    kind: str = "paragraph"
    depth: int = 0


@dataclass
class _Row:
    line: int
    cells: list[str] = field(default_factory=list)
    header: bool = False


class _Converter(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
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

    # Text and inline tags.

    def write(self, text: str, line: int | None = None) -> None:
        if self.cell is not None:
            self.cell.append(text)
            return
        if self.blank and text.strip():
            self.start_line = line or self.getpos()[0]
            self.blank = False
        self.parts.append(text)

    def handle_data(self, data: str) -> None:
        if self.anchors:  # a link's text: brackets in it must not end the link
            data = data.replace("[", "\\[").replace("]", "\\]")
        if self.cell is not None or self.anchors:
            self.write(data)
            return
        # Markdown written inside the block keeps its lines: each is read as Markdown.
        line = self.getpos()[0]
        first, *rest = data.split("\n")
        self.write(first, line)
        for number, text in enumerate(rest, start=line + 1):
            self.flush()
            self.write(text, number)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        self.has_tag = True
        if tag == "a":
            self.anchors.append((values.get("href", ""), self.depth))
            self.write("[")
            self.has_anchor = True
        elif tag == "img":
            alt = values.get("alt", "").replace("]", "\\]").replace("[", "\\[")
            self.write(f"![{alt}](<{values.get('src', '')}>)")
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
            self.rows.append(_Row(line=self.getpos()[0]))
        elif tag in ("td", "th") and self.rows is not None:
            self.end_cell()
            if not self.rows:
                self.rows.append(_Row(line=self.getpos()[0]))
            self.rows[-1].header = self.rows[-1].header or tag == "th"
            self.cell = []
        elif tag in BREAKING_TAGS:
            if tag not in ("br", "hr"):
                self.depth += 1
            if not self.anchors:  # a block inside a link stays inside it
                self.flush()
                self.open_block(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
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
        self.write(f"](<{url}>)" if url else "]")

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
        if not _KEPT_TAG.sub("", text).strip():
            return  # nothing but whitespace and styling tags
        nested = sum(self.details) + max(0, self.lists - 1)
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
        self.pieces.append(_Piece(self.start_line, text, kind, nested))

    def flush_table(self) -> None:
        rows = [row for row in self.rows or [] if row.cells]
        self.rows = None
        if not rows:
            return
        width = max(len(row.cells) for row in rows)
        header = rows.pop(0) if rows[0].header else _Row(rows[0].line, [""] * width)
        lines = [_table_line(header.cells, width), "|" + " --- |" * width]
        lines += [_table_line(row.cells, width) for row in rows]
        self.pieces.append(_Piece(header.line, "\n".join(lines), "table"))


def _table_line(cells: list[str], width: int) -> str:
    padded = [cell.translate(_CELL_ESCAPES) for cell in cells] + [""] * (width - len(cells))
    return "| " + " | ".join(padded) + " |"


def html_to_markdown(html: str) -> str:
    """The Markdown an HTML block means, its pieces on their own lines where possible."""
    converter = _Converter()
    converter.feed(html)
    converter.close()
    converter.close_anchors(-1)
    converter.end_cell()
    converter.flush()
    if converter.rows is not None:
        converter.flush_table()
    out: list[str] = []
    previous = "paragraph"
    for piece in converter.pieces:
        # A blank line ends the previous block, except between items of one list.
        wanted = piece.line - 1
        if len(out) < wanted:
            out.extend([""] * (wanted - len(out)))
        elif len(out) > wanted and not (piece.kind == "item" and previous == "item"):
            out.append("")
        indent = "  " * piece.depth
        if piece.kind == "item":
            out.append(f"{indent}- {piece.text}")
        elif piece.kind.startswith("heading:"):
            out.append("#" * int(piece.kind.split(":")[1]) + " " + piece.text)
        elif piece.kind == "table":
            out.extend(piece.text.split("\n"))
        else:
            out.append(f"{indent}  {piece.text}" if piece.depth else piece.text)
        previous = piece.kind
    return textwrap.dedent("\n".join(out))


class _TagReader(HTMLParser):
    """Reads one inline tag, as markdown-it hands it over: its name, whether it closes, href."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.name = ""
        self.closing = False
        self.href: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.name = self.name or tag
        if tag == "a" and self.href is None:
            self.href = next((value or "" for name, value in attrs if name == "href"), None)

    def handle_endtag(self, tag: str) -> None:
        if not self.name:
            self.name, self.closing = tag, True


def read_tag(tag: str) -> tuple[str, bool, str | None]:
    """An inline HTML tag's lower-case name, whether it is a closing tag, and an anchor's href."""
    reader = _TagReader()
    reader.feed(tag)
    reader.close()
    return reader.name, reader.closing, reader.href

"""An awesomerge source for browser bookmark exports (bookmarks.html from any browser)."""

from html.parser import HTMLParser
from typing import ClassVar

import awesomerge
from awesomerge import Document, Item, ParseResult, Source, SourceRegistrar, UnlinkedItem

DOCTYPE = "<!doctype netscape-bookmark-file-1>"


class BookmarksSource(Source):
    name = "bookmarks"
    description = "Browser bookmark exports (Netscape bookmark files): folders are sections"
    suffixes: ClassVar[tuple[str, ...]] = (".html", ".htm")

    def detect(self, document: Document) -> float:
        return 1.0 if document.text.lstrip().lower().startswith(DOCTYPE) else 0.0

    def parse(self, document: Document) -> ParseResult:
        reader = _BookmarkReader()
        reader.feed(document.text)
        reader.close()
        reader.end_note()
        return ParseResult(title=reader.title, items=reader.items, unlinked=reader.unlinked)


class _BookmarkReader(HTMLParser):
    """Folders are <H3> names, each opening a <DL>; a bookmark is an <A>, its note a <DD>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.title: str | None = None
        self.items: list[Item] = []
        self.unlinked: list[UnlinkedItem] = []
        self.folders: list[str] = []
        self.folder = ""  # the last folder name read, opened by the next <DL>
        self.text: list[str] | None = None  # the text of the tag being read
        self.link: dict[str, str] = {}
        self.line = 0
        self.noted: Item | None = None  # the bookmark a <DD> would describe

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("dt", "dl", "dd", "hr", "h3", "a"):
            self.end_note()
        if tag in ("dl", "h3"):
            self.noted = None
        if tag == "dl":
            self.folders.append(self.folder)
        elif tag in ("a", "h1", "h3", "dd"):
            self.text, self.line = [], self.getpos()[0]
            self.link = {name: value or "" for name, value in attrs} | {"tag": tag}

    def handle_endtag(self, tag: str) -> None:
        if tag == "dl" and self.folders:
            self.end_note()
            self.folders.pop()
        elif self.text is not None and tag == self.link["tag"] and tag != "dd":
            text = " ".join("".join(self.text).split())
            self.text = None
            if tag == "h1":
                self.title = text
            elif tag == "h3":
                self.folder = text
            else:
                self.add(text)

    def handle_data(self, data: str) -> None:
        if self.text is not None:
            self.text.append(data)

    def add(self, title: str) -> None:
        url = self.link.get("href", "")
        section = " > ".join(name for name in self.folders if name) or None
        if url.startswith(("http://", "https://")):
            tags = [tag.strip() for tag in self.link.get("tags", "").split(",") if tag.strip()]
            self.noted = Item(
                url=url, title=title or url, line=self.line, section=section, tags=tags
            )
            self.items.append(self.noted)
        else:
            self.noted = None
            self.unlinked.append(UnlinkedItem(text=title or url, line=self.line, section=section))

    def end_note(self) -> None:
        """A <DD> runs to the next tag: its text is the description of the bookmark before."""
        if self.text is not None and self.link["tag"] == "dd":
            note = " ".join("".join(self.text).split())
            self.text = None
            if note and self.noted is not None and self.items[-1] is self.noted:
                self.items[-1] = self.noted.model_copy(update={"description": note})
            self.noted = None


@awesomerge.hookimpl
def register_sources(register: SourceRegistrar) -> None:
    register(BookmarksSource)

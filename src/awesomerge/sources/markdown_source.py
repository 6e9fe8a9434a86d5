"""The generic ``markdown`` source: reads any ordinary awesome-list, and every file no other
source claims."""

from __future__ import annotations

from awesomerge.api import Source, SourceRegistrar
from awesomerge.document import Document
from awesomerge.extract import Extractor
from awesomerge.hookspecs import hookimpl
from awesomerge.models import ParseResult


class MarkdownSource(Source):
    name = "markdown"
    description = "Any Markdown list: list items, table rows and linked headings become items"

    def detect(self, document: Document) -> float:
        # The fallback: chosen when no specific shape is recognised, never by its score.
        return 0.0

    def parse(self, document: Document) -> ParseResult:
        return Extractor(document).run()


@hookimpl
def register_sources(register: SourceRegistrar) -> None:
    register(MarkdownSource)

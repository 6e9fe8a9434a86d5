"""A drop-in plugin, as a user would write one: the ``lines`` source reads one link a line,
``Title | URL``, and the ``titles`` output writes ``titles.txt``, one entry a line."""

from __future__ import annotations

import awesomerge


class LinesSource(awesomerge.Source):
    name = "lines"
    description = "One link a line: Title | URL"

    def parse(self, document: awesomerge.Document) -> awesomerge.ParseResult:
        items = []
        for number, line in enumerate(document.lines, start=1):
            title, bar, url = line.partition("|")
            if bar:
                items.append(awesomerge.Item(url=url.strip(), title=title.strip(), line=number))
        return awesomerge.ParseResult(items=items)


class TitlesOutput(awesomerge.Output):
    name = "titles"
    filename = "titles.txt"
    description = "Every entry's title and URL, one a line"

    def render(self, collection: awesomerge.Collection) -> str:
        return "".join(f"{entry.title} <{entry.url}>\n" for entry in collection.dataset.entries)


@awesomerge.hookimpl
def register_sources(register: awesomerge.SourceRegistrar) -> None:
    register(LinesSource)


@awesomerge.hookimpl
def register_outputs(register: awesomerge.OutputRegistrar) -> None:
    register(TitlesOutput)

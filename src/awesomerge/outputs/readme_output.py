"""The ``readme`` output: ``README.md``, the merged lists as one awesome-list.

Layout: a title, an introduction naming the merged lists (as text with their paths; linked
only to a web address their metadata gives), a Contents section, then the sections. Each entry
appears once (awesome-lint's double-link rule forbids a link twice).

The sections are a taxonomy, not the lists' headings side by side (``readme_sections``): the
headings that name one kind of resource in different lists are one section ("Blog posts" and
"Articles" are Articles), a heading that says nothing ("References", "Misc") files its items by
their kind, and each entry goes under the most specific heading its lists give it. A heading
path ``Models > Papers`` is a level-2 heading ``Models`` and a level-3 ``Papers``; a deeper path
keeps its tail in the level-3 heading, as awesome-lint allows two levels of contents. Sections
come in the order the lists agree on, not the alphabet's; a large section of dated entries is
split by year. The words are data in ``readme.toml``, extended by the ``sections`` and
``generic_headings`` options (``[[outputs.readme.sections]]`` in awesomerge.toml).

How an entry reads is in ``readme_items``: no description is made up, and no title is a bare
URL or a link label while a better one can be had.

awesome-lint (2.3.0, run on the file in its folder) passes with no error. The comment on the
first line switches off the rules that check the repository around the file, not the list:

* ``awesome-github``: the list must be the root of a git repository on GitHub, with a
  description, the topics "awesome" and "awesome-list", and a license GitHub detects;
* ``awesome-contributing``: a contributing.md must sit next to the README; no output writes one;
* ``awesome-badge``, unless the ``badge`` option is on: the Awesome badge says a list follows the
  Awesome manifesto, a claim for its curator to make, not for a merge of other people's lists.

Its ``awesome-spell-check`` warnings (warnings, not errors) remain where a list spells a name
its own way ("Youtube"): the README keeps the lists' words.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any, ClassVar, TextIO

from pydantic import field_validator

from awesomerge.api import Collection, OutputRegistrar, PluginOptions
from awesomerge.hookspecs import hookimpl
from awesomerge.models import Dataset, Entry, SourceRecord
from awesomerge.outputs.readme_items import entry_item
from awesomerge.outputs.readme_markdown import (
    Slugger,
    clean,
    code_span,
    destination,
    heading_name,
    inline,
    is_linkable,
)
from awesomerge.outputs.readme_sections import (
    Filing,
    Section,
    Taxonomy,
    default_taxonomy,
    make_category,
)
from awesomerge.outputs.streamed import StreamedOutput
from awesomerge.urls import url_key

_BADGE = "[![Awesome](https://awesome.re/badge.svg)](https://awesome.re)"
_REPOSITORY_RULES = ("awesome-github", "awesome-contributing")


class SectionOptions(PluginOptions):
    """One more category of sections, or more words for a category of the same name."""

    name: str
    headings: tuple[str, ...] = ()
    """Headings filed under it, in any case ("Blog posts")."""
    patterns: tuple[str, ...] = ()
    """Regular expressions searched in a heading's key (lower case, words and spaces only)."""
    kinds: tuple[str, ...] = ()
    """Entry kinds filed under it when no heading says anything ("paper")."""

    @field_validator("patterns")
    @classmethod
    def _compiles(cls, patterns: tuple[str, ...]) -> tuple[str, ...]:
        for pattern in patterns:
            try:
                re.compile(pattern)
            except re.error as error:
                raise ValueError(f"{pattern!r} is not a regular expression: {error}") from None
        return patterns


class ReadmeOptions(PluginOptions):
    title: str = "Awesome Merged List"
    """The level-1 heading, written in title case as awesome-lint wants."""
    badge: bool = False
    """Put the Awesome badge next to the title (see the module docstring before you do)."""
    sections: tuple[SectionOptions, ...] = ()
    """Categories added to those of readme.toml (``[[outputs.readme.sections]]``)."""
    generic_headings: tuple[str, ...] = ()
    """More headings that say nothing, such as "Stuff": filed by what is under them."""

    def taxonomy(self) -> Taxonomy:
        base = default_taxonomy()
        extra = [
            make_category(base, option.name, option.headings, option.patterns, option.kinds)
            for option in self.sections
        ]
        return base.extended(extra, self.generic_headings)


class ReadmeOutput(StreamedOutput):
    name = "readme"
    filename = "README.md"
    description = "The merged awesome-list, one item per entry; passes awesome-lint"
    Options = ReadmeOptions
    flags: ClassVar[dict[str, str]] = {"readme-title": "title"}

    def write(self, collection: Collection, stream: TextIO) -> None:
        """The blocks one at a time, a blank line between them: a section's items at most are
        in memory at once."""
        for number, block in enumerate(self._blocks(collection)):
            stream.write(f"\n\n{block}" if number else block)
        stream.write("\n")

    def _blocks(self, collection: Collection) -> Iterator[str]:
        dataset = collection.dataset
        options = self.options
        assert isinstance(options, ReadmeOptions)
        sections = file_entries(dataset, options.taxonomy())
        disabled = _REPOSITORY_RULES + (() if options.badge else ("awesome-badge",))
        title = heading_name(options.title)
        yield f"<!--lint disable {' '.join(disabled)}-->"
        yield f"# {inline(title)} {_BADGE}" if options.badge else f"# {inline(title)}"
        yield _introduction(dataset)
        if sections:
            # remark reads the badge as its alt text, "Awesome", when it counts anchors.
            yield _contents(sections, f"{title} Awesome" if options.badge else title)
        else:
            yield "No resources yet: the lists held no links."
        yield from _section_blocks(sections, self._items(collection))

    def _items(self, collection: Collection) -> Callable[[Entry], str]:
        """Each entry's list item: kept between builds, made again for an entry that changed,
        or for all when a list's own tags (which items leave out) did."""
        list_tags = _list_tags(collection.dataset)
        options = self.options
        assert isinstance(options, ReadmeOptions)
        # entry_item knows the default taxonomy; it is given one only when the options add to it.
        extended = options.sections or options.generic_headings
        taxonomy = (options.taxonomy(),) if extended else ()
        items = collection.each_entry(
            self,
            lambda entry: entry_item(entry, _hidden_tags(entry, list_tags), *taxonomy),
            kind=repr(sorted((source, sorted(tags)) for source, tags in list_tags.items())),
        )
        where = {id(entry): index for index, entry in enumerate(collection.dataset.entries)}
        return lambda entry: items[where[id(entry)]]


def file_entries(dataset: Dataset, taxonomy: Taxonomy | None = None) -> list[Section]:
    """The level-2 sections, in order, each entry filed once (see `readme_sections`)."""
    filing = Filing(taxonomy or default_taxonomy(), dataset.sources)
    return filing.sections(dataset.entries)


def _introduction(dataset: Dataset) -> str:
    sources = dataset.sources
    counts = _entries_per_source(dataset.entries)
    # A url_key costs a URL parse per entry: made only when a list gives a web address.
    linked = any(_source_url(source.metadata) for source in sources)
    taken = {url_key(entry.url) for entry in dataset.entries} if linked else set()
    mentions = [source_mention(source, counts[source.id], taken) for source in sources]
    lists = "list" if len(sources) == 1 else "lists"
    named = ", ".join(mentions[:-1]) + " and " + mentions[-1] if len(mentions) > 1 else ""
    merged = f"This list merges {len(sources)} {lists}" + (f": {named}." if named else ".")
    if len(mentions) == 1:
        merged = f"This list is made from one list: {mentions[0]}."
    resources = "resource" if len(dataset.entries) == 1 else "resources"
    return (
        f"{merged} It holds {len(dataset.entries)} {resources}. Each appears once, under "
        "the most specific section the lists give it; “listed in N lists” marks the ones "
        "that several lists share. Generated by awesomerge: edit the lists, not this file."
    )


def _entries_per_source(entries: list[Entry]) -> Counter[str]:
    """How many entries each list gave, counted in one pass over the entries."""
    counts: Counter[str] = Counter()
    for entry in entries:
        counts.update({occurrence.source for occurrence in entry.occurrences})
    return counts


def _contents(sections: list[Section], title: str) -> str:
    """The Contents list; its anchors are counted over every heading, as GitHub does."""
    slugger = Slugger()
    slugger.slug(title)
    slugger.slug("Contents")
    lines = ["## Contents", ""]
    for section in sections:
        lines.append(f"- [{inline(section.name)}](#{slugger.slug(section.name)})")
        for child in section.children:
            lines.append(f"  - [{inline(child.name)}](#{slugger.slug(child.name)})")
    return "\n".join(lines)


def _section_blocks(sections: list[Section], item: Callable[[Entry], str]) -> Iterator[str]:
    for section in sections:
        yield f"## {inline(section.name)}"
        if section.entries:
            yield "\n".join(map(item, section.entries))
        for child in section.children:
            yield f"### {inline(child.name)}"
            yield "\n".join(map(item, child.entries))


def _list_tags(dataset: Dataset) -> dict[str, set[str]]:
    """The tags each list gives itself in its front matter, which its every item carries: they
    describe the list, not the entry, so items leave them out (awesomerge.json keeps them)."""
    found: dict[str, set[str]] = {}
    for source in dataset.sources:
        value = source.metadata.get("tags", source.metadata.get("tag"))
        if isinstance(value, str):
            value = re.split(r"[,\s]+" if "," not in value else r"\s*,\s*", value)
        if isinstance(value, list):
            found[source.id] = {clean(str(tag)).casefold() for tag in value}
    return found


def _hidden_tags(entry: Entry, list_tags: dict[str, set[str]]) -> set[str]:
    """The tags of the lists that hold the entry."""
    return set().union(
        *(list_tags.get(occurrence.source, set()) for occurrence in entry.occurrences)
    )


def source_mention(source: SourceRecord, entries: int, taken: set[str]) -> str:
    """A source list in the introduction: its title, linked when its metadata gives a web
    address no entry links already, then its path and how many entries it gave."""
    title = inline(clean(source.title) or source.id)
    url = _source_url(source.metadata)
    if url is not None and url_key(url) not in taken:
        taken.add(url_key(url))
        title = f"[{title}]({destination(url)})"
    path = f"{code_span(clean(source.path))}, " if clean(source.path) else ""
    return f"{title} ({path}{entries} {'entry' if entries == 1 else 'entries'})"


def _source_url(metadata: dict[str, Any]) -> str | None:
    for key in ("url", "homepage"):
        value = metadata.get(key)
        if isinstance(value, str) and is_linkable(value):
            return value
    return None


@hookimpl
def register_outputs(register: OutputRegistrar) -> None:
    register(ReadmeOutput)

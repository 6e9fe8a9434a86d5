"""The sections of the merged README: equivalent headings of different lists under one heading,
each entry under its most specific section, in the order the lists agree on.

The words are data, in ``readme.toml`` (``[[sections]]`` and ``[headings]``), extended by the
readme output's ``sections`` and ``generic_headings`` options. A section path, such as
``Resources > Videos``, is read as:

* its parts, without the list's numbering or counts ("1. ", "(19)"), without the parts that say
  nothing ("Resources", "Misc", "References"), and without a first part that repeats the
  list's own title;
* the first part left is the level-2 heading: the name of the category that takes it
  ("Blog posts" and "Articles" are both "Articles"), or the heading itself; the rest, joined
  with " > ", is the level-3 heading;
* nothing left: the entry is filed by its kind, under the category that takes the kind
  ("Papers" for a paper), so that a catch-all "References" is split into what it holds; a
  kind it holds fewer than `SMALL_KIND_SECTION` of stays under it.

An entry listed under several headings goes under the most specific one: the deepest path left,
then a heading of the list's own (a topic) before a category (a kind of resource), then the one
more of its lists gave, then the first in the README's order. The order of the sections is the
lists' own order where they agree (each list's headings in order give "A before B"; a pair that
lists give both ways is dropped), the rest by the median of the positions the lists give a
heading (from 0 at a list's start to 1 at its end), then by name. Nothing depends on the order
of the inputs.
"""

from __future__ import annotations

import heapq
import itertools
import re
import statistics
import tomllib
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache, cached_property
from importlib import resources
from typing import Any

from awesomerge.models import SECTION_SEPARATOR, Entry, Occurrence, SourceRecord
from awesomerge.outputs.readme_markdown import clean, heading_name

OTHER = "Other"
"""The section of an entry that nothing files elsewhere."""

#: A section holding more entries than this is split by year when `DATED_SHARE` of them have
#: one: past a hundred items a reader no longer scans a section, and lists of papers of that
#: size group them by year.
LARGE_SECTION = 100
#: A section made only of the entries of one kind that a catch-all heading held is kept only
#: from this size up: one or two entries of a kind read better under the list's own heading.
SMALL_KIND_SECTION = 3
DATED_SHARE = 0.9
_OTHER_KEY = "other"
#: How many heading keys a taxonomy keeps: lists repeat their headings, and a bound keeps a
#: hostile input's million distinct headings from holding memory.
_KEPT_KEYS = 1 << 16
_NON_WORD = re.compile(r"[\W_]+")


@dataclass(frozen=True)
class Category:
    """A section of the merged README and the headings and kinds it takes."""

    name: str
    headings: frozenset[str] = frozenset()
    """Heading keys (see `Taxonomy.key`) that file an item here."""
    patterns: tuple[re.Pattern[str], ...] = ()
    """Regular expressions searched in a heading key."""
    kinds: frozenset[str] = frozenset()
    """Entry kinds filed here when no heading says anything."""


@dataclass(frozen=True)
class Taxonomy:
    """The categories, the headings that say nothing, and the noise around a heading."""

    categories: tuple[Category, ...]
    generic: frozenset[str]
    noise: tuple[re.Pattern[str], ...]
    _categories_of: dict[str, Category | None] = field(default_factory=dict, compare=False)
    _keys: dict[str, str] = field(default_factory=dict, compare=False)

    def stripped(self, heading: str) -> str:
        """The heading as written, without its numbering and count."""
        text = clean(heading)
        for pattern in self.noise:
            shorter = pattern.sub("", text)
            text = shorter if shorter.strip() else text
        return text.strip()

    def key(self, heading: str) -> str:
        """What two headings that name the same section share: the words, case, accents and
        punctuation removed, plurals folded."""
        found = self._keys.get(heading)
        if found is None:
            text = unicodedata.normalize("NFKD", self.stripped(heading).casefold())
            text = "".join(char for char in text if not unicodedata.combining(char))
            found = " ".join(_singular(word) for word in _NON_WORD.sub(" ", text).split())
            if len(self._keys) < _KEPT_KEYS:
                self._keys[heading] = found
        return found

    def category(self, key: str) -> Category | None:
        """The category that takes a heading key: one naming it first, else a pattern's."""
        if key not in self._categories_of:
            found = next((c for c in self.categories if key in c.headings), None)
            if found is None:
                found = next(
                    (c for c in self.categories if any(p.search(key) for p in c.patterns)), None
                )
            if len(self._categories_of) < _KEPT_KEYS:
                self._categories_of[key] = found
            return found
        return self._categories_of[key]

    def kind_section(self, kind: str) -> str:
        return next((c.name for c in self.categories if kind in c.kinds), OTHER)

    def extended(self, sections: Iterable[Category], generic: Iterable[str]) -> Taxonomy:
        """This taxonomy with more categories (first, so that they win) or more words for one
        of the same name, and more headings that say nothing."""
        known = {category.name.casefold(): category for category in self.categories}
        added: list[Category] = []
        for extra in sections:
            old = known.get(extra.name.casefold())
            if old is None:
                added.append(extra)
                continue
            known[old.name.casefold()] = Category(
                old.name,
                old.headings | extra.headings,
                extra.patterns + old.patterns,
                old.kinds | extra.kinds,
            )
        categories = (*added, *(known[c.name.casefold()] for c in self.categories))
        keys = frozenset(self.key(word) for word in generic)
        return Taxonomy(categories, self.generic | keys, self.noise)


def _singular(word: str) -> str:
    if len(word) > 3 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


@cache
def readme_words() -> dict[str, Any]:
    """``readme.toml``, read once for the README's sections, titles and descriptions."""
    text = resources.files("awesomerge.outputs").joinpath("readme.toml").read_text("utf-8")
    return tomllib.loads(text)


@cache
def default_taxonomy() -> Taxonomy:
    """The taxonomy of ``readme.toml``."""
    data = readme_words()
    bare = Taxonomy((), frozenset(), tuple(map(re.compile, data["headings"]["noise"])))
    categories = [
        make_category(bare, table["name"], table.get("headings", ()), table.get("patterns", ()),
                      table.get("kinds", ()))
        for table in data["sections"]
    ]  # fmt: skip
    return bare.extended(categories, data["headings"]["generic"])


def make_category(
    taxonomy: Taxonomy,
    name: str,
    headings: Iterable[str],
    patterns: Iterable[str],
    kinds: Iterable[str],
) -> Category:
    """A category from the words a reader writes: headings as written, patterns as text."""
    keys = frozenset(taxonomy.key(heading) for heading in (name, *headings))
    return Category(name, keys, tuple(map(re.compile, patterns)), frozenset(kinds))


@dataclass
class Section:
    """A heading and the entries filed under it; level-2 sections hold level-3 ones."""

    name: str
    entries: list[Entry] = field(default_factory=list)
    children: list[Section] = field(default_factory=list)


@dataclass(frozen=True)
class Place:
    """Where one occurrence would file its entry: the level-2 and level-3 heading keys, and how
    specific that is."""

    top: str
    sub: str
    depth: int
    """How many parts of the section path say something; 0 when filed by kind."""
    topic: bool
    """Whether the level-2 heading is a list's own, not a category."""


@dataclass
class Filing:
    """The sections of a README: every entry filed once, the sections in order."""

    taxonomy: Taxonomy
    sources: Sequence[SourceRecord]
    _names: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    _places: dict[tuple[str, str | None, str], tuple[Place, ...]] = field(default_factory=dict)

    _title_headings: dict[str, set[str]] = field(default_factory=dict)

    @cached_property
    def _title_keys(self) -> dict[str, str]:
        return {source.id: self.taxonomy.key(source.title) for source in self.sources}

    def _find_title_headings(self, entries: Sequence[Entry]) -> None:
        """The heading each list writes above all its sections, when it has one: its title (a
        list titled by its file name may head its sections with its real name)."""
        firsts: dict[str, set[str]] = defaultdict(set)
        deeper: set[str] = set()
        for entry in entries:
            for occurrence in entry.occurrences:
                parts = [p for p in (occurrence.section or "").split(SECTION_SEPARATOR) if clean(p)]
                if parts:
                    firsts[occurrence.source].add(self.taxonomy.key(parts[0]))
                    if len(parts) > 1:
                        deeper.add(occurrence.source)
        self._title_headings = {
            source: {self._title_keys.get(source, "")}
            | (keys if source in deeper and len(keys) == 1 else set())
            for source, keys in firsts.items()
        }

    def place(self, source: str, section: str | None, kind: str) -> Place:
        """Where an occurrence under `section` of list `source` files an entry of `kind`."""
        cached = self._places.get((source, section, kind))
        if cached is not None:
            return cached[0]
        taxonomy = self.taxonomy
        parts = [part for part in (section or "").split(SECTION_SEPARATOR) if clean(part)]
        titles = self._title_headings.get(source) or {self._title_keys.get(source, "")}
        if len(parts) > 1 and taxonomy.key(parts[0]) in titles:
            parts = parts[1:]  # the list's own title, written as a heading above its sections
        kept = [
            part
            for part in parts
            if taxonomy.key(part) and taxonomy.key(part) not in taxonomy.generic
        ]
        if not kept:
            name = taxonomy.kind_section(kind)
            found = Place(self._named(name, taxonomy.key(name)), "", 0, False)
        else:
            first = taxonomy.key(kept[0])
            category = taxonomy.category(first)
            top = category.name if category else heading_name(taxonomy.stripped(kept[0]))
            top_key = self._named(top, taxonomy.key(top) if category else first)
            rest = " > ".join(heading_name(taxonomy.stripped(part)) for part in kept[1:])
            sub_key = self._named(rest, f"{top_key}\n{taxonomy.key(rest)}") if rest else ""
            found = Place(top_key, sub_key, len(kept), category is None)
        self._places[(source, section, kind)] = (found,)
        return found

    def _places_of(self, entry: Entry) -> list[tuple[Occurrence, Place]]:
        """Where each occurrence would file the entry; when no list's heading says anything,
        where the entry's other categories (a list's front matter) would, else its kind."""
        found = [
            (occurrence, self.place(occurrence.source, occurrence.section, entry.kind))
            for occurrence in entry.occurrences
        ]
        if any(place.depth for _, place in found) or not entry.occurrences:
            return found
        first = min(entry.occurrences, key=lambda occurrence: (occurrence.source, occurrence.line))
        listed = {occurrence.section for occurrence in entry.occurrences}
        others = [
            (first, self.place("", category, entry.kind))
            for category in entry.categories
            if category not in listed
        ]
        return [pair for pair in others if pair[1].depth] or found

    def _named(self, name: str, key: str) -> str:
        self._names[key][name] += 1
        return key

    def name(self, key: str) -> str:
        """The heading a key is shown as: its most common spelling, the first of equals."""
        names = self._names[key]
        return min(names, key=lambda name: (-names[name], name))

    def sections(self, entries: Sequence[Entry]) -> list[Section]:
        """The level-2 sections, in order, each entry filed once under its home."""
        self._find_title_headings(entries)
        listed = [self._places_of(entry) for entry in entries]
        tops, subs = _sequences(listed)
        top_rank = _merged_order(tops)
        chosen = []
        for occurrences in listed:
            places = Counter(place for _, place in occurrences)
            chosen.append(
                max(
                    places,
                    key=lambda p: (p.depth, p.topic, places[p], -top_rank[p.top], p.top, p.sub),
                )
            )
        self._fold_small_kinds(chosen, listed, top_rank)
        homes: dict[str, dict[str, list[Entry]]] = defaultdict(lambda: defaultdict(list))
        for entry, home in zip(entries, chosen, strict=True):
            homes[home.top][home.sub].append(entry)
        order = sorted(homes, key=lambda key: (key == _OTHER_KEY, top_rank[key], key))
        result = []
        for top in order:
            filed = homes[top]
            sub_rank = _merged_order(subs[top])
            section = Section(self.name(top), filed.get("", []))
            named = sorted((key for key in filed if key), key=lambda key: (sub_rank[key], key))
            section.children = [Section(self.name(key), filed[key]) for key in named]
            result.append(_by_year(section))
        return result

    def _fold_small_kinds(
        self,
        chosen: list[Place],
        listed: Sequence[Sequence[tuple[Occurrence, Place]]],
        rank: dict[str, float],
    ) -> None:
        """The entries of a kind's section that holds fewer than `SMALL_KIND_SECTION`, and that
        only a heading saying nothing filed there, back under that heading ("References")."""
        sizes = Counter(place.top for place in chosen)
        by_heading = {place.top for place in chosen if place.depth}
        small = {
            top
            for top, size in sizes.items()
            if size < SMALL_KIND_SECTION and top not in by_heading and top != _OTHER_KEY
        }
        for index, place in enumerate(chosen):
            if place.top not in small:
                continue
            first = min(listed[index], key=lambda pair: (pair[0].source, pair[0].line))[0]
            parts = [p for p in (first.section or "").split(SECTION_SEPARATOR) if clean(p)]
            name = heading_name(self.taxonomy.stripped(parts[0])) if parts else OTHER
            key = self._named(name, self.taxonomy.key(name) or _OTHER_KEY)
            rank[key] = min(rank.get(key, rank[place.top]), rank[place.top])
            chosen[index] = Place(key, "", 0, False)


def _by_year(section: Section) -> Section:
    """A section of more than `LARGE_SECTION` entries of its own, nearly all dated (a list of
    papers), with them in a sub-section per year, the newest first, as paper lists do."""
    entries = section.entries
    dated = [entry for entry in entries if entry.year]
    if len(entries) <= LARGE_SECTION or len(dated) < DATED_SHARE * len(entries):
        return section
    years = sorted({entry.year for entry in dated if entry.year}, reverse=True)
    children = [
        Section(str(year), [entry for entry in dated if entry.year == year]) for year in years
    ]
    undated = [entry for entry in entries if not entry.year]
    if undated:
        children.append(Section("Undated", undated))
    return Section(section.name, [], children + section.children)


def _sequences(
    listed: Sequence[Sequence[tuple[Occurrence, Place]]],
) -> tuple[dict[str, list[str]], dict[str, dict[str, list[str]]]]:
    """Each list's level-2 headings in the order of its lines, and under each level-2 heading
    each list's level-3 headings."""
    tops: dict[str, dict[str, int]] = defaultdict(dict)
    subs: dict[tuple[str, str], dict[str, int]] = defaultdict(dict)
    for occurrences in listed:
        for occurrence, place in occurrences:
            for seen, key in ((tops[occurrence.source], place.top),
                              (subs[(place.top, occurrence.source)], place.sub)):  # fmt: skip
                if key and (key not in seen or occurrence.line < seen[key]):
                    seen[key] = occurrence.line
    by_top: dict[str, dict[str, list[str]]] = defaultdict(dict)
    for (top, source), seen in subs.items():
        by_top[top][source] = _in_order(seen)
    return {source: _in_order(seen) for source, seen in tops.items()}, by_top


def _in_order(lines: dict[str, int]) -> list[str]:
    return sorted(lines, key=lambda key: (lines[key], key))


def _merged_order(sequences: dict[str, list[str]]) -> dict[str, float]:
    """The rank of every heading: "A before B" where a list puts A just before B and none puts
    B just before A; among the headings free to come next, the lowest median position first."""
    positions: dict[str, list[float]] = defaultdict(list)
    after: set[tuple[str, str]] = set()
    for sequence in sequences.values():
        last = max(len(sequence) - 1, 1)
        for index, key in enumerate(sequence):
            positions[key].append(index / last if len(sequence) > 1 else 0.5)
        after.update(itertools.pairwise(sequence))
    agreed = {(a, b) for a, b in after if (b, a) not in after}
    priority = {key: (statistics.median(values), key) for key, values in positions.items()}
    incoming: Counter[str] = Counter(b for _, b in agreed)
    following: dict[str, list[str]] = defaultdict(list)
    for a, b in sorted(agreed):
        following[a].append(b)
    ready = [priority[key] for key in priority if not incoming[key]]
    heapq.heapify(ready)
    left = set(priority)
    rank: dict[str, float] = defaultdict(float)
    while left:
        if not ready:  # the agreed pairs make a cycle: the lowest median breaks it
            heapq.heappush(ready, min(priority[key] for key in left))
        _, key = heapq.heappop(ready)
        if key not in left:
            continue
        left.discard(key)
        rank[key] = float(len(rank))
        for later in following[key]:
            incoming[later] -= 1
            if incoming[later] == 0 and later in left:
                heapq.heappush(ready, priority[later])
    return rank

"""Merging occurrences into entries: one entry per resource, every merge with its evidence.

The cascade, strongest evidence first, over a union-find (`clusters.Clusters`):

1. exact keys: the URL key, the URL key of a known mirror, and each identifier (arXiv, DOI,
   GitHub repository, YouTube video or playlist);
2. a curator's ``same`` overrides;
3. the file name of a distinctively named document on different hosts, confirmed by the titles;
4. titles (`lookalikes`), compared only between clusters a hash join or blocking brings
   together, so the work grows with the input, not with its square.

A veto stops any merge of clusters with different identifiers of one kind, or that a curator
declared ``distinct``. Weak evidence (file names, titles) never joins incompatible kinds, such as
a paper and its talk, nor two links that one item gives together. Pairs that are alike but not
merged go to the review list for a curator, with repositories of one name under two owners.
Everything is ordered by (source id, line) first, so nothing depends on the order of the inputs.
"""

from __future__ import annotations

import gc
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import NamedTuple

from awesomerge.clusters import Clusters
from awesomerge.entries import Listed, Listing, build_entry
from awesomerge.identifiers import STRENGTH, identifier_key, identifiers_of, kind_of
from awesomerge.lookalikes import Near, compatible_kinds, merge_titles, offer_moved_repositories
from awesomerge.models import Entry, Item, ReviewPair, SourceRecord
from awesomerge.progress import Stages
from awesomerge.titles import Title, compare
from awesomerge.urls import clean_url, clean_url_key, file_key, is_web_url, mirror_key, url_key

_EVIDENCE = {"youtube_playlist": "youtube"}


class Address(NamedTuple):
    """What the merge works out of a URL as written, once for each URL."""

    url: str
    """The clean URL (`canonical`, tracking removed), still a working link."""
    key: str
    """url_key of the clean URL."""
    identifiers: dict[str, str]
    """The identifiers it names."""
    mirror: str
    """mirror_key of the key: the key of the original, for a known mirror."""
    document: str | None
    """file_key of the clean URL: the name of a distinctively named document."""
    kind: str
    """The kind of resource the URL names (`kind_of`), by its own identifiers."""


def address_of(written: str, canonical: Callable[[str], str] = clean_url) -> Address:
    """The `Address` of a URL as written, its clean form made by `canonical`."""
    url = canonical(written)
    key = clean_url_key(url)
    identifiers = identifiers_of(url)
    return Address(url, key, identifiers, mirror_key(key), file_key(url), kind_of(url, identifiers))


@dataclass(frozen=True)
class ParsedSource:
    """One input after parsing: its dataset record and the items it listed.

    `addresses`, when given, holds the `Address` of each item's URL, worked out (in a worker
    process, or kept in the parse cache) with the canonical URL rule the merge is given.
    """

    record: SourceRecord
    items: Sequence[Item | Listing]
    addresses: Sequence[Address] | None = None


@dataclass(frozen=True)
class Overrides:
    """A curator's decisions, by URL: groups that are one resource, and pairs that are not."""

    same: tuple[tuple[str, ...], ...] = ()
    distinct: tuple[tuple[str, ...], ...] = ()


@dataclass
class Merged:
    entries: list[Entry]
    review: list[ReviewPair] = field(default_factory=list)
    unknown: frozenset[str] = frozenset()
    """URLs of the curator's decisions (`Overrides`) that no input lists."""


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector: reading and merging build many long-lived objects
    and no cycles, and each full collection would scan them all again, making the work grow
    faster than the input."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@contextmanager
def collector_frozen() -> Iterator[None]:
    """Keep the cyclic garbage collector off every object that exists now, such as a dataset
    that outputs are about to write: each full collection would scan all of it again. What is
    made meanwhile is collected as usual."""
    frozen_before = gc.get_freeze_count()
    gc.freeze()
    try:
        yield
    finally:
        if not frozen_before:  # a program that froze objects of its own keeps them frozen
            gc.unfreeze()


def merge(
    sources: Iterable[ParsedSource],
    overrides: Overrides = Overrides(),
    canonical: Callable[[str], str] = clean_url,
    stages: Stages | None = None,
) -> Merged:
    """Merge the items of all sources into entries; `canonical` cleans each URL.

    Each pass of the cascade is a stage of `stages`, named "merging: <pass>".
    """
    with collector_paused():
        return _merge(sources, overrides, canonical, stages or Stages())


def _merge(
    sources: Iterable[ParsedSource],
    overrides: Overrides,
    canonical: Callable[[str], str],
    stages: Stages,
) -> Merged:
    stages.start("merging: preparing")
    seen = _Seen(canonical)
    listed = sorted(
        (
            _prepare(source.record.id, item, seen, address)
            for source in sources
            for item, address in _addressed(source, seen)
        ),
        key=lambda member: member.order,
    )
    occurrences = f"{len(listed):,} occurrences"
    first_by_key: dict[str, int] = {}
    for index, member in enumerate(listed):
        first_by_key.setdefault(member.key, index)
    clusters = Clusters(
        len(listed),
        [
            {kind: identifier_key(kind, value) for kind, value in m.identifiers.items()}
            for m in listed
        ],
        _override_pairs(first_by_key, overrides.distinct),
        _given_together(listed, first_by_key, seen),
    )
    del seen
    near: list[Near] = []
    stages.start("merging: exact keys", detail=occurrences)
    _merge_exact_keys(listed, clusters, near)
    for first, other in _override_pairs(first_by_key, overrides.same):
        clusters.union(first, other, "override", force=True)
    stages.start("merging: file names", detail=occurrences)
    _merge_documents(listed, clusters, near)
    stages.start("merging: titles", detail=occurrences)
    merge_titles(listed, clusters, near)
    offer_moved_repositories(listed, clusters, near)

    stages.start("merging: entries", detail=occurrences)
    entries: dict[int, Entry] = {}
    held: list[Listed | None] = list(listed)
    del listed  # each occurrence is let go once its entry holds what it needs of it
    for group in clusters.groups():
        members = [held[index] for index in group]
        entries[clusters.find(group[0])] = build_entry(
            [member for member in members if member is not None], clusters.reasons(group[0])
        )
        for index in group:
            held[index] = None
    review = _review(near, clusters, entries)
    ordered = sorted(entries.values(), key=lambda entry: (_first_place(entry), entry.id))
    decided = (url for group in (*overrides.same, *overrides.distinct) for url in group)
    unknown = frozenset(url for url in decided if url_key(url) not in first_by_key)
    stages.stop()
    return Merged(entries=ordered, review=review, unknown=unknown)


@dataclass
class Addresses:
    """The `Address` of each URL worked out so far: lists give the same URLs again and again,
    and each is worked out once, by the merge or by a parse worker."""

    canonical: Callable[[str], str] = clean_url
    urls: dict[str, Address] = field(default_factory=dict)

    def url(self, written: str) -> Address:
        found = self.urls.get(written)
        if found is None:
            found = self.urls[written] = address_of(written, self.canonical)
        return found


@dataclass
class _Seen(Addresses):
    """What preparing has worked out for each URL and title so far. A title's `Title` is
    shared, with what comparing it works out."""

    titles: dict[str, Title] = field(default_factory=dict)

    def title(self, text: str) -> Title:
        found = self.titles.get(text)
        if found is None:
            found = self.titles[text] = Title(text)
        return found


def _addressed(source: ParsedSource, seen: _Seen) -> Iterator[tuple[Item | Listing, Address]]:
    """Each item of a source with the address of its URL: given, or worked out here."""
    if source.addresses is None:
        return ((item, seen.url(item.url)) for item in source.items)
    for item, address in zip(source.items, source.addresses, strict=True):
        seen.urls.setdefault(item.url, address)  # for related links that other items list
    return zip(source.items, source.addresses, strict=True)


def _prepare(source: str, given: Item | Listing, seen: _Seen, address: Address) -> Listed:
    """One occurrence ready to merge."""
    item = Listing.of(given)
    if item.identifiers:
        identifiers = {**item.identifiers, **address.identifiers}
        kind = item.kind or kind_of(address.url, identifiers)
    else:
        identifiers, kind = address.identifiers, item.kind or address.kind
    return Listed(
        source=source,
        item=item,
        url=address.url,
        key=address.key,
        identifiers=identifiers,
        kind=kind,
        title=seen.title(item.title),
        mirror=address.mirror,
        document=address.document,
    )


def _buckets(keys: Iterable[tuple[str, int]]) -> list[list[int]]:
    """Members grouped by key, given in member order: groups in the order of their first
    member, each in member order. (No sort of a million keys is needed for a stable order.)"""
    grouped: dict[str, list[int]] = defaultdict(list)
    for key, index in keys:
        grouped[key].append(index)
    return [group for group in grouped.values() if len(group) > 1]


def _given_together(
    listed: Sequence[Listed], first_by_key: dict[str, int], seen: _Seen
) -> list[tuple[int, int]]:
    """Pairs of an occurrence and another listing of one of its item's related links.

    A list that gives a paper with its code, or a talk with its slides, says they are two
    resources: weak evidence must not merge them, nor offer them for review.
    """
    by_identifier: dict[tuple[str, str], int] = {}
    for index, member in enumerate(listed):
        for kind, value in member.identifiers.items():
            by_identifier.setdefault((kind, identifier_key(kind, value)), index)
    pairs = []
    for index, member in enumerate(listed):
        own = {(kind, identifier_key(kind, value)) for kind, value in member.identifiers.items()}
        for link in member.item.related:
            if not is_web_url(link.url):
                continue
            address = seen.url(link.url)  # often the URL of another item, worked out once
            key = address.key
            found = {(kind, identifier_key(kind, v)) for kind, v in address.identifiers.items()}
            if key == member.key or not own.isdisjoint(found):
                continue  # the item's own resource, under another address
            other = first_by_key.get(key)
            if other is None:
                other = next((by_identifier[i] for i in sorted(found) if i in by_identifier), None)
            if other is not None:
                pairs.append((index, other))
    return pairs


def _merge_exact_keys(listed: Sequence[Listed], clusters: Clusters, near: list[Near]) -> None:
    for reason, keys in _exact_keys(listed):
        for bucket in _buckets(keys):
            for other in bucket[1:]:
                veto = clusters.conflict(bucket[0], other)
                if veto is None:
                    clusters.union(bucket[0], other, reason)
                else:
                    near.append((bucket[0], other, 100.0, f"same {reason} key, but {veto}"))


def _exact_keys(listed: Sequence[Listed]) -> Iterator[tuple[str, Iterable[tuple[str, int]]]]:
    """(evidence, (key, member) pairs) for each exact-key pass, made as each pass comes."""
    yield "url", ((member.key, index) for index, member in enumerate(listed))
    yield "mirror", ((member.mirror, index) for index, member in enumerate(listed))
    by_kind: dict[str, list[tuple[str, int]]] = {}
    for index, member in enumerate(listed):
        for kind, value in member.identifiers.items():
            by_kind.setdefault(kind, []).append((identifier_key(kind, value), index))
    for kind in STRENGTH:
        if kind in by_kind:
            yield _EVIDENCE.get(kind, kind), by_kind[kind]


def _merge_documents(listed: Sequence[Listed], clusters: Clusters, near: list[Near]) -> None:
    """The same distinctive file on two hosts merges when the titles do not disagree."""
    keys = ((key, index) for index, member in enumerate(listed) if (key := member.document))
    for bucket in _buckets(keys):
        for other in bucket[1:]:
            first, second = listed[bucket[0]], listed[other]
            if clusters.find(bucket[0]) == clusters.find(other):
                continue
            verdict = compare(first.title, second.title)
            generic = not (first.title.informative and second.title.informative)
            if not compatible_kinds(first.kind, second.kind):
                continue
            if clusters.conflict(bucket[0], other, weak=True):
                continue
            if generic or verdict.score >= 90:
                clusters.union(bucket[0], other, "mirror", weak=True)
            else:
                near.append((bucket[0], other, verdict.score, "same file name, different titles"))


def _override_pairs(
    first_by_key: dict[str, int], groups: Iterable[Sequence[str]]
) -> list[tuple[int, int]]:
    """Occurrence pairs for a curator's URL groups: the first listing of each URL, paired."""
    pairs = []
    for group in groups:
        found = [first_by_key[key] for key in map(url_key, group) if key in first_by_key]
        pairs += [(found[0], other) for other in found[1:]]
    return pairs


def _review(
    near: Iterable[Near], clusters: Clusters, entries: dict[int, Entry]
) -> list[ReviewPair]:
    """The near misses between entries that stayed apart, once per pair, best first."""
    found: dict[tuple[str, str], ReviewPair] = {}
    for first, second, score, reason in near:
        a, b = entries[clusters.find(first)], entries[clusters.find(second)]
        if a.id == b.id or clusters.declared_distinct(first, second):
            continue
        a, b = sorted((a, b), key=lambda entry: entry.id)
        pair = ReviewPair(first=a, second=b, score=round(score, 1), reason=reason)
        found.setdefault((a.id, b.id), pair)
    return sorted(found.values(), key=lambda pair: (-pair.score, pair.first.id, pair.second.id))


def _first_place(entry: Entry) -> tuple[str, int]:
    first = entry.occurrences[0]
    return (first.source, first.line)

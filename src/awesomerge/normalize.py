"""Merging occurrences into entries: one entry per resource, every merge with its evidence.

The cascade, strongest evidence first, over a union-find (`clusters.Clusters`):

1. exact keys: the URL key, the URL key of a known mirror, and each identifier (arXiv, DOI,
   GitHub repository, YouTube video or playlist);
2. a curator's ``same`` overrides;
3. the file name of a distinctively named document on different hosts, confirmed by the titles;
4. titles, compared only between cluster representatives that share a rare word (blocking), so
   the work grows with the input, not with its square.

A veto stops any merge of clusters with different identifiers of one kind, or that a curator
declared ``distinct``; weak evidence (file names, titles) never joins incompatible kinds, such as
a paper and its talk. Pairs that are alike but not merged go to the review list for a curator.
Everything is ordered by (source id, line) first, so nothing depends on the order of the inputs.
"""

from __future__ import annotations

import gc
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

from awesomerge.clusters import Clusters
from awesomerge.entries import Listed, best_title, build_entry
from awesomerge.identifiers import identifier_key, identifiers_of, kind_of
from awesomerge.models import Entry, Item, ReviewPair, SourceRecord
from awesomerge.titles import Title, compare
from awesomerge.urls import clean_url, clean_url_key, file_key, mirror_key, url_key

#: Words in more cluster titles than this are too common to block on.
BLOCK_LIMIT = 50
#: How many of a title's rarest words it is indexed under.
BLOCK_WORDS = 2

_EVIDENCE = {"youtube_playlist": "youtube"}
_KIND_GROUPS = {
    "paper": "paper", "document": "paper", "article": "page", "website": "page",
    "repository": "repository", "video": "video", "playlist": "playlist",
    "dataset": "dataset", "model": "model",
}  # fmt: skip


@dataclass(frozen=True)
class ParsedSource:
    """One input after parsing: its dataset record and the items it listed."""

    record: SourceRecord
    items: list[Item]


@dataclass(frozen=True)
class Overrides:
    """A curator's decisions, by URL: groups that are one resource, and pairs that are not."""

    same: tuple[tuple[str, ...], ...] = ()
    distinct: tuple[tuple[str, ...], ...] = ()


@dataclass
class Merged:
    entries: list[Entry]
    review: list[ReviewPair] = field(default_factory=list)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector: merging builds many long-lived objects and no cycles,
    and each collection would scan them all again, making the work grow faster than the input."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def merge(
    sources: Iterable[ParsedSource],
    overrides: Overrides = Overrides(),
    canonical: Callable[[str], str] = clean_url,
) -> Merged:
    """Merge the items of all sources into entries; `canonical` cleans each URL."""
    with _collector_paused():
        return _merge(sources, overrides, canonical)


def _merge(
    sources: Iterable[ParsedSource], overrides: Overrides, canonical: Callable[[str], str]
) -> Merged:
    listed = sorted(
        (
            _prepare(source.record.id, item, canonical)
            for source in sources
            for item in source.items
        ),
        key=lambda member: member.order,
    )
    clusters = Clusters(
        len(listed),
        [
            {kind: identifier_key(kind, value) for kind, value in m.identifiers.items()}
            for m in listed
        ],
        _override_pairs(listed, overrides.distinct),
    )
    near: list[tuple[int, int, float, str]] = []
    _merge_exact_keys(listed, clusters, near)
    for first, other in _override_pairs(listed, overrides.same):
        clusters.union(first, other, "override", force=True)
    _merge_documents(listed, clusters, near)
    _merge_titles(listed, clusters, near)

    entries: dict[int, Entry] = {}
    for group in clusters.groups():
        members = [listed[index] for index in group]
        entries[clusters.find(group[0])] = build_entry(members, clusters.reasons(group[0]))
    review = _review(near, clusters, entries)
    ordered = sorted(entries.values(), key=lambda entry: (_first_place(entry), entry.id))
    return Merged(entries=ordered, review=review)


def _prepare(source: str, item: Item, canonical: Callable[[str], str]) -> Listed:
    url = canonical(item.url)
    identifiers = {**item.identifiers, **identifiers_of(url)}
    return Listed(
        source=source,
        item=item,
        url=url,
        key=clean_url_key(url),
        identifiers=identifiers,
        kind=item.kind or kind_of(url, identifiers),
        title=Title(item.title),
    )


def _buckets(keys: Iterable[tuple[str, int]]) -> list[list[int]]:
    """Members grouped by key, in key order; each group in member order."""
    grouped: dict[str, list[int]] = defaultdict(list)
    for key, index in keys:
        grouped[key].append(index)
    return [grouped[key] for key in sorted(grouped) if len(grouped[key]) > 1]


def _merge_exact_keys(
    listed: Sequence[Listed], clusters: Clusters, near: list[tuple[int, int, float, str]]
) -> None:
    passes: list[tuple[str, list[tuple[str, int]]]] = [
        ("url", [(member.key, index) for index, member in enumerate(listed)]),
        ("mirror", [(mirror_key(member.key), index) for index, member in enumerate(listed)]),
    ]
    for kind in ("arxiv", "doi", "github", "youtube", "youtube_playlist"):
        keys = [
            (identifier_key(kind, member.identifiers[kind]), index)
            for index, member in enumerate(listed)
            if kind in member.identifiers
        ]
        passes.append((_EVIDENCE.get(kind, kind), keys))
    for reason, keys in passes:
        for bucket in _buckets(keys):
            for other in bucket[1:]:
                veto = clusters.conflict(bucket[0], other)
                if veto is None:
                    clusters.union(bucket[0], other, reason)
                else:
                    near.append((bucket[0], other, 100.0, f"same {reason} key, but {veto}"))


def _merge_documents(
    listed: Sequence[Listed], clusters: Clusters, near: list[tuple[int, int, float, str]]
) -> None:
    """The same distinctive file on two hosts merges when the titles do not disagree."""
    keys = ((key, index) for index, member in enumerate(listed) if (key := file_key(member.url)))
    for bucket in _buckets(keys):
        for other in bucket[1:]:
            first, second = listed[bucket[0]], listed[other]
            if clusters.find(bucket[0]) == clusters.find(other):
                continue
            verdict = compare(first.title, second.title)
            generic = not (first.title.informative and second.title.informative)
            if not _compatible(first.kind, second.kind) or clusters.conflict(bucket[0], other):
                continue
            if generic or verdict.score >= 90:
                clusters.union(bucket[0], other, "mirror")
            else:
                near.append((bucket[0], other, verdict.score, "same file name, different titles"))


def _merge_titles(
    listed: Sequence[Listed], clusters: Clusters, near: list[tuple[int, int, float, str]]
) -> None:
    """Compare cluster representatives that share one of their rarest title words."""
    representatives: list[tuple[int, Title, str]] = []
    for group in clusters.groups():
        members = [listed[index] for index in group]
        title = Title(best_title(members))
        if title.tokens:
            kinds = Counter(member.kind for member in members)
            representatives.append((group[0], title, kinds.most_common(1)[0][0]))
    frequency = Counter(token for _, title, _ in representatives for token in set(title.tokens))
    blocks: dict[str, list[int]] = defaultdict(list)
    for position, (_, title, _) in enumerate(representatives):
        rare = sorted(set(title.tokens), key=lambda token: (frequency[token], token))
        for token in rare[:BLOCK_WORDS]:
            if frequency[token] <= BLOCK_LIMIT:
                blocks[token].append(position)
    pairs = sorted({(a, b) for block in blocks.values() for a in block for b in block if a < b})
    for a, b in pairs:
        (first, title_a, kind_a), (second, title_b, kind_b) = representatives[a], representatives[b]
        if clusters.find(first) == clusters.find(second):
            continue
        verdict = compare(title_a, title_b)
        if verdict.decision == "distinct":
            continue
        if verdict.decision == "merge" and _compatible(kind_a, kind_b):
            veto = clusters.conflict(first, second)
            if veto is None:
                clusters.union(first, second, "title")
                continue
            near.append((first, second, verdict.score, f"same title, but {veto}"))
        elif verdict.decision == "merge":
            near.append(
                (first, second, verdict.score, f"same title, but {_a(kind_a)} and {_a(kind_b)}")
            )
        else:
            near.append((first, second, verdict.score, verdict.reason))


def _a(kind: str) -> str:
    return f"an {kind}" if kind[:1] in "aeiou" else f"a {kind}"


def _compatible(first: str, second: str) -> bool:
    """Whether two kinds can be one resource: a paper and its PDF yes, a paper and a talk no."""
    return _KIND_GROUPS.get(first, first) == _KIND_GROUPS.get(second, second)


def _override_pairs(
    listed: Sequence[Listed], groups: Iterable[Sequence[str]]
) -> list[tuple[int, int]]:
    """Occurrence pairs for a curator's URL groups: the first listing of each URL, paired."""
    first_by_key: dict[str, int] = {}
    for index, member in enumerate(listed):
        first_by_key.setdefault(member.key, index)
    pairs = []
    for group in groups:
        found = [first_by_key[key] for key in map(url_key, group) if key in first_by_key]
        pairs += [(found[0], other) for other in found[1:]]
    return pairs


def _review(
    near: Iterable[tuple[int, int, float, str]], clusters: Clusters, entries: dict[int, Entry]
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

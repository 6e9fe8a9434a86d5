"""The merge policy: how the occurrences of one resource become one entry.

* The id comes from the strongest identifier (arXiv, DOI, a venue's id, GitHub, YouTube), and
  the URL from that identifier's page, else from the most common URL: never from input order.
* The title is the most common informative one, never a generic link text or one that starts
  with an arXiv id; the description is the longest.
* Tags, categories, authors and related links are the union; every occurrence is kept.
* The year is the most common one the lists state, else the one its arXiv id records; each
  derived fact says where it comes from (`dating`), and the outputs read it through
  `entry_dating`, so it is derived in one place.
"""

from __future__ import annotations

import hashlib
import sys
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType
from typing import Any, TypeVar

from pydantic import BaseModel

from awesomerge.anatomy import is_bare_label
from awesomerge.identifiers import STRENGTH, arxiv_submitted, identifier_key, identifier_page
from awesomerge.models import Entry, Item, Occurrence, RelatedLink
from awesomerge.titles import Title

_V = TypeVar("_V", int, str)

#: When members disagree on the kind, the first of these present wins.
_KIND_ORDER = (
    "paper", "repository", "video", "playlist", "dataset", "model", "document", "article",
    "website",
)  # fmt: skip


# Every field of an entry is always given, so all entries share one set of field names: a
# million occurrences would otherwise carry a million copies of it.
_ENTRY_FIELDS = set(Entry.model_fields)
_OCCURRENCE_FIELDS = set(Occurrence.model_fields)
_M = TypeVar("_M", bound=BaseModel)


def _trusted(model: type[_M], fields: set[str], values: dict[str, Any]) -> _M:
    """What ``model.model_construct(fields, **values)`` makes, for `values` that give every
    field by its name, in order: the instance pydantic's own code makes, without its walk over
    the fields for aliases and defaults, which made a tenth of the merge (an entry and each of
    its occurrences are built this way). A test compares the two."""
    instance = model.__new__(model)
    object.__setattr__(instance, "__dict__", values)
    object.__setattr__(instance, "__pydantic_fields_set__", fields)
    object.__setattr__(instance, "__pydantic_extra__", None)
    object.__setattr__(instance, "__pydantic_private__", None)
    return instance


_NO_IDENTIFIERS: Mapping[str, str] = MappingProxyType({})


@dataclass(frozen=True, slots=True)
class Listing:
    """An item as the merge keeps it: `Item`'s fields in a record of a third of its size.

    A million items are held at once while they merge; as pydantic models, each would carry
    a dictionary of its fields and a list for every empty list field.
    """

    url: str
    title: str
    written_title: str | None
    description: str | None
    section: str | None
    line: int
    authors: tuple[str, ...]
    venue: str | None
    year: int | None
    tags: tuple[str, ...]
    categories: tuple[str, ...]
    related: tuple[RelatedLink, ...]
    identifiers: Mapping[str, str]
    kind: str | None

    @classmethod
    def of(cls, item: Item | Listing) -> Listing:
        if isinstance(item, Listing):
            return item
        return cls(
            url=item.url,
            title=item.title,
            written_title=item.written_title,
            description=item.description,
            section=item.section and sys.intern(item.section),
            line=item.line,
            authors=tuple(item.authors),
            venue=item.venue,
            year=item.year,
            tags=tuple(item.tags),
            categories=tuple(item.categories),
            related=tuple(item.related),
            identifiers=item.identifiers or _NO_IDENTIFIERS,
            kind=item.kind,
        )


@dataclass(frozen=True, slots=True)
class Listed:
    """One occurrence prepared for merging: what the source said and what was derived."""

    source: str
    item: Listing
    url: str
    """The clean URL (tracking removed), still a working link."""
    key: str
    """url_key of the URL."""
    identifiers: dict[str, str]
    kind: str
    title: Title
    mirror: str
    """mirror_key of the key."""
    document: str | None
    """file_key of the URL."""

    @property
    def order(self) -> tuple[str, int, str, str]:
        return (self.source, self.item.line, self.item.url, self.item.title)


#: Where a date comes from: a list states it, or the resource's arXiv id records it.
LISTED = "listed"
ARXIV_ID = "arxiv-id"


@dataclass(frozen=True, slots=True)
class Dating:
    """When a resource dates from, each part with its origin (`LISTED`, `ARXIV_ID`), or None."""

    year: int | None = None
    year_origin: str | None = None
    month: int | None = None
    month_origin: str | None = None


_UNDATED = Dating()


def dating(listed_year: int | None, identifiers: Mapping[str, str]) -> Dating:
    """The year a list states, else the year the arXiv id records (the first version's
    submission, a fact); the id's month when its year is that year."""
    arxiv = identifiers.get("arxiv")
    submitted = arxiv_submitted(arxiv) if arxiv else None
    if listed_year is not None:
        year, origin = listed_year, LISTED
    elif submitted is not None:
        year, origin = submitted[0], ARXIV_ID
    else:
        return _UNDATED
    if submitted is not None and submitted[0] == year:
        return Dating(year, origin, submitted[1], ARXIV_ID)
    return Dating(year, origin)


def entry_dating(entry: Entry) -> Dating:
    """What an entry dates from, for an output to write: what the dataset stores, worked out
    by `dating` for an entry made without it (by a plugin or a test, with only `year`)."""
    if entry.year_origin is not None or entry.month_origin is not None:
        return Dating(entry.year, entry.year_origin, entry.month, entry.month_origin)
    return dating(entry.year, entry.identifiers)


def build_entry(members: Sequence[Listed], evidence: Iterable[str]) -> Entry:
    """One entry from the occurrences of one resource, given in (source, line) order."""
    identifiers = _identifiers(members)
    strongest = next((kind for kind in STRENGTH if kind in identifiers), None)
    if strongest is not None:
        url = identifier_page(strongest, identifiers[strongest]) or _most_common_url(
            [member for member in members if strongest in member.identifiers]
        )
        entry_id = f"{strongest}:{identifier_key(strongest, identifiers[strongest])}"
    else:
        url = _most_common_url(members)
        first_key = min(member.key for member in members)
        entry_id = "url:" + hashlib.sha256(first_key.encode("utf-8")).hexdigest()[:16]
    items = [member.item for member in members]
    dated = dating(_most_common(item.year for item in items), identifiers)
    # Built from validated items, by code that keeps the types: validating again would only
    # cost time. The JSON output checks every entry's types as it writes the dataset.
    occurrences = [
        _trusted(
            Occurrence,
            _OCCURRENCE_FIELDS,
            {
                "source": member.source,
                "url": member.item.url,
                "title": member.item.written_title or member.item.title,
                "description": member.item.description,
                "section": member.item.section,
                "line": member.item.line,
            },
        )
        for member in members
    ]
    return _trusted(
        Entry,
        _ENTRY_FIELDS,
        {
            "id": entry_id,
            "url": url,
            "title": best_title(members),
            "description": max(
                (item.description for item in items if item.description), key=len, default=None
            ),
            "kind": _kind(members, strongest),
            "identifiers": identifiers,
            "authors": _fullest_authors(items),
            "venue": _most_common(item.venue for item in items),
            "year": dated.year,
            "year_origin": dated.year_origin,
            "month": dated.month,
            "month_origin": dated.month_origin,
            "tags": sorted({tag for item in items for tag in item.tags}),
            "categories": _union(
                category
                for item in items
                for category in (item.section, *item.categories)
                if category
            ),
            "related": _related(members),
            "occurrences": occurrences,
            "evidence": sorted(set(evidence)) if len(members) > 1 else [],
        },
    )


def best_title(members: Sequence[Listed]) -> str:
    """The most common informative title, without an arXiv id prefix; never a bare URL or label.

    Ties go to the title with more words, then to the first in alphabetical order: never to the
    file that happened to come first.
    """
    return best_title_of(members).clean


def best_title_of(members: Sequence[Listed]) -> Title:
    """The member's `Title` whose text `best_title` gives."""
    if len(members) == 1:
        return members[0].title
    written = Counter(member.title for member in members)  # in order of first appearance
    if len(written) == 1:
        return members[0].title
    counts: Counter[str] = Counter()
    for title, count in written.items():
        counts[title.key] += count

    def rank(title: Title) -> tuple[bool, bool, bool, int, int]:
        says_something, not_a_label, informative, words = _standing(title)
        return (says_something, not_a_label, informative, counts[title.key], words)

    ranked = [(rank(title), title) for title in written]
    best = max(key for key, _ in ranked)
    return min((title for key, title in ranked if key == best), key=lambda title: title.clean)


@lru_cache(maxsize=1 << 16)
def _standing(title: Title) -> tuple[bool, bool, bool, int]:
    """What ranks a title, but for how often it is written: whether it says something, is not
    a bare label, is informative, and how many words it has."""
    says_something = bool(title.tokens) and not title.key.startswith(("http ", "https "))
    return (says_something, not is_bare_label(title.clean), title.informative, len(title.tokens))


def _most_common(values: Iterable[_V | None]) -> _V | None:
    """The most common value, the smallest of equals; None when there is none."""
    given = [value for value in values if value is not None]
    if len(given) <= 1:
        return given[0] if given else None
    counts = Counter(given)
    if not counts:
        return None
    return min(counts, key=lambda value: (-counts[value], value))


def _fullest_authors(items: Sequence[Listing]) -> list[str]:
    """The longest author list the occurrences give (the first in order of equals by text)."""
    lists = [item.authors for item in items if item.authors]
    if not lists:
        return []
    return list(min(lists, key=lambda names: (-len([n for n in names if n != "others"]), names)))


def _identifiers(members: Sequence[Listed]) -> dict[str, str]:
    """Each kind of identifier the members carry, in its most common spelling."""
    if len(members) == 1:
        return dict(sorted(members[0].identifiers.items()))
    spellings: dict[str, Counter[str]] = {}
    for member in members:
        for kind, value in member.identifiers.items():
            spellings.setdefault(kind, Counter())[value] += 1
    return {
        kind: max(sorted(counter), key=lambda value: counter[value])
        for kind, counter in sorted(spellings.items())
    }


def _most_common_url(members: Sequence[Listed]) -> str:
    if len(members) == 1:
        return members[0].url
    counts = Counter(member.url for member in members)
    return max(
        (member.url for member in members),
        key=lambda url: (counts[url], url.startswith("https://")),
    )


def _kind(members: Sequence[Listed], strongest: str | None) -> str:
    if strongest is not None:
        return next(member.kind for member in members if strongest in member.identifiers)
    if len(members) == 1:
        return members[0].kind
    kinds = Counter(member.kind for member in members)
    return max(
        kinds,
        key=lambda kind: (
            kinds[kind],
            -_KIND_ORDER.index(kind) if kind in _KIND_ORDER else -len(_KIND_ORDER),
        ),
    )


def _related(members: Sequence[Listed]) -> list[RelatedLink]:
    """Related links of all members, each URL once exactly as written, except the entry's own.

    URLs that differ only in a fragment or a tracking parameter are different links here: a
    paper's two sections, a repository and its issues page.
    """
    own = {member.item.url for member in members}
    seen: dict[str, RelatedLink] = {}
    for member in members:
        for link in member.item.related:
            if link.url not in own:
                seen.setdefault(link.url, link)
    return list(seen.values())


def _union(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(values))

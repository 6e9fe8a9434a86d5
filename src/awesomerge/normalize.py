"""Merging occurrences into entries: one entry per resource, with the evidence of each merge.

For now occurrences merge only when their URLs are identical. Everything here is independent of
input order: occurrences are ordered by (source id, line) before any choice is made.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from awesomerge.models import Entry, Item, Occurrence, RelatedLink, SourceRecord


@dataclass(frozen=True)
class ParsedSource:
    """One input after parsing: its dataset record and the items it listed."""

    record: SourceRecord
    items: list[Item]


def merge(sources: Iterable[ParsedSource]) -> list[Entry]:
    """Group the items of all sources into entries, ordered by where they first appear."""
    groups: dict[str, list[tuple[str, Item]]] = {}
    for source in sorted(sources, key=lambda parsed: parsed.record.id):
        for item in source.items:
            groups.setdefault(url_key(item.url), []).append((source.record.id, item))
    entries = [build_entry(key, members) for key, members in groups.items()]
    return sorted(entries, key=lambda entry: (_first_place(entry), entry.id))


def url_key(url: str) -> str:
    """The exact-match key of a URL."""
    return url.strip()


def entry_id(key: str) -> str:
    """A stable id from an entry's strongest key, never from order."""
    return "url:" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def kind_of(url: str) -> str:
    """A first guess at the kind of resource a URL names, from its host and path."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    path = parts.path.lower()
    if host.endswith("arxiv.org") or host in {"openreview.net", "aclanthology.org"}:
        return "paper"
    if host in {"github.com", "www.github.com"} and len(path.strip("/").split("/")) == 2:
        return "repository"
    if host.endswith(("youtube.com", "youtu.be", "vimeo.com")):
        return "video"
    if host.endswith("huggingface.co"):
        if path.startswith("/datasets/"):
            return "dataset"
        if path.startswith("/spaces/"):
            return "website"
        return "model" if path.count("/") == 2 else "website"
    if path.endswith((".pdf", ".ps", ".ppt", ".pptx", ".doc", ".docx", ".ipynb")):
        return "document"
    if path.strip("/"):
        return "article"
    return "website"


def build_entry(key: str, members: list[tuple[str, Item]]) -> Entry:
    members = sorted(members, key=lambda member: (member[0], member[1].line, member[1].url))
    items = [item for _, item in members]
    occurrences = [
        Occurrence(
            source=source,
            url=item.url,
            title=item.title,
            description=item.description,
            section=item.section,
            line=item.line,
        )
        for source, item in members
    ]
    return Entry(
        id=entry_id(key),
        url=key,
        title=_best_title(items),
        description=max(
            (item.description for item in items if item.description), key=len, default=None
        ),
        kind=next((item.kind for item in items if item.kind), None) or kind_of(key),
        identifiers={
            name: value for item in reversed(items) for name, value in item.identifiers.items()
        },
        authors=_union(author for item in items for author in item.authors),
        year=next((item.year for item in items if item.year is not None), None),
        tags=sorted(set(tag for item in items for tag in item.tags)),
        categories=_union(
            category
            for item in items
            for category in ([item.section] if item.section else []) + item.categories
        ),
        related=_union_related(link for item in items for link in item.related),
        occurrences=occurrences,
        evidence=["url"] if len(occurrences) > 1 else [],
    )


def _best_title(items: list[Item]) -> str:
    """The first title that is not just the URL, in (source, line) order."""
    for item in items:
        if item.title and item.title != item.url:
            return item.title
    return items[0].title


def _union(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(values))


def _union_related(links: Iterable[RelatedLink]) -> list[RelatedLink]:
    seen: dict[str, RelatedLink] = {}
    for link in links:
        seen.setdefault(link.url, link)
    return list(seen.values())


def _first_place(entry: Entry) -> tuple[str, int]:
    first = entry.occurrences[0]
    return (first.source, first.line)

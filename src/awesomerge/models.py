"""The data model: what source plugins return and what the dataset publishes.

Two layers, both pydantic and frozen:

* what a source plugin returns for one file: `ParseResult` holding `Item`s, unlinked items, prose
  links and warnings;
* the published dataset (`Dataset`): `SourceRecord`s and merged `Entry`s, each entry keeping
  every `Occurrence`. `schema/awesomerge.schema.json` is generated from `Dataset`.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION: Literal[1] = 1

#: Separator between the headings of a section path, as in ``"Models > Papers"``.
SECTION_SEPARATOR = " > "


#: Fields added to schema version 1 after its first release, by record. awesomerge always
#: writes them, but the published schema does not require them: a dataset written before them
#: stays valid. A field added later goes here, and schema_version stays 1.
ADDED_IN_VERSION_1: dict[str, frozenset[str]] = {
    "Dataset": frozenset({"generator"}),
    "Entry": frozenset({"year_origin", "month", "month_origin"}),
}


class _Model(BaseModel):
    # Every field is always written, so the schema marks every field required (but those of
    # ADDED_IN_VERSION_1). Unknown fields are refused here, where plugins build items and
    # awesomerge builds the dataset, so a misspelt field fails at once; the published schema
    # leaves records open, for consumers to ignore what a later awesomerge adds.
    model_config = ConfigDict(
        frozen=True, extra="forbid", json_schema_serialization_defaults_required=True
    )


class SourceWarning(_Model):
    """Something in an input that was read with a doubt, or not at all."""

    message: str
    line: int | None = Field(None, description="1-based line in the input, when known.")


class UnlinkedItem(_Model):
    """A list item or table row that carries no http(s) URL."""

    text: str
    line: int
    section: str | None = Field(None, description="Heading path, joined with ' > '.")


class ProseLink(_Model):
    """A link in running text, outside any list item, table row or heading."""

    text: str
    url: str
    line: int | None = None


class RelatedLink(_Model):
    """A further link given inside an item: companion article, code, slides."""

    title: str
    url: str = Field(description="The URL exactly as written (after encoding repair).")
    role: str | None = Field(
        None,
        description="What the link is to the item: paper, code, tweet, video, slides, demo, "
        "project, dataset, blog, package, model, citation, badge or link; null when unknown.",
    )


class Item(_Model):
    """One listed resource as a source plugin read it, before merging."""

    url: str = Field(description="The URL exactly as written (after encoding repair).")
    title: str
    written_title: str | None = Field(
        None, description="The title as the list wrote it, when the source cleaned `title`."
    )
    description: str | None = None
    section: str | None = None
    line: int
    authors: list[str] = Field(
        [], description='As named; "et al." is kept as a last author "others".'
    )
    venue: str | None = Field(None, description='Where it was published: "CVPR", "arXiv".')
    year: int | None = None
    tags: list[str] = []
    categories: list[str] = Field(
        [], description="Extra categories beyond the section, e.g. from front matter."
    )
    related: list[RelatedLink] = []
    identifiers: dict[str, str] = {}
    kind: str | None = None


class ParseResult(_Model):
    """Everything a source plugin read from one file."""

    title: str | None = None
    metadata: dict[str, Any] = {}
    items: list[Item] = []
    unlinked: list[UnlinkedItem] = []
    links: list[ProseLink] = []
    warnings: list[SourceWarning] = []


class SourceRecord(_Model):
    """One input list, as published in the dataset."""

    id: str = Field(description="Stable slug derived from the file's path.")
    path: str = Field(description="The file's path as given, relative, with '/' separators.")
    format: str = Field(description="Name of the source plugin that read the file.")
    title: str
    metadata: dict[str, Any] = Field({}, description="Front matter and other document-level facts.")
    sha256: str = Field(description="SHA-256 of the input bytes, hex.")
    repairs: int = Field(0, description="How many mojibake runs were repaired in the text.")
    unlinked: list[UnlinkedItem] = []
    links: list[ProseLink] = []
    warnings: list[SourceWarning] = []


class Occurrence(_Model):
    """One place a resource was listed."""

    source: str = Field(description="The `id` of the source that lists it.")
    url: str = Field(description="The URL exactly as written (after encoding repair).")
    title: str = Field(description="The title exactly as written (after encoding repair).")
    description: str | None = None
    section: str | None = Field(None, description="Heading path, joined with ' > '.")
    line: int


class Entry(_Model):
    """One resource, after merging all the places it was listed."""

    id: str = Field(description="Stable id derived from the entry's strongest key.")
    url: str = Field(description="The canonical URL, a working link.")
    title: str
    description: str | None = None
    kind: str = Field(
        description="paper, repository, video, playlist, article, website, dataset, model, "
        "document, post, ..."
    )
    identifiers: dict[str, str] = Field(
        {},
        description="Any of arxiv, doi, acl, openreview, neurips, pmlr, jmlr, cvf, ijcai, aaai, "
        "ieee, pmid, pmc, github (owner/repo), youtube, youtube_playlist.",
    )
    authors: list[str] = Field(
        [], description='As the lists name them; "others" stands for "et al.".'
    )
    venue: str | None = Field(None, description='Where it was published: "CVPR", "arXiv".')
    year: int | None = Field(
        None,
        description="The year it dates from, where known: the year a list states, else the "
        "year its arXiv id records.",
    )
    year_origin: str | None = Field(
        None,
        description='Where `year` comes from: "listed" (a list states it) or "arxiv-id" (its '
        "arXiv id records it); null when `year` is. Later versions may add origins.",
    )
    month: int | None = Field(
        None,
        description="The month it dates from (1 to 12), where known: the month its arXiv id "
        "records, when the id's year is `year`.",
    )
    month_origin: str | None = Field(
        None,
        description='Where `month` comes from: "arxiv-id"; null when `month` is. Later '
        "versions may add origins.",
    )
    tags: list[str] = []
    categories: list[str] = Field([], description="Section paths it was listed under.")
    related: list[RelatedLink] = []
    occurrences: list[Occurrence]
    evidence: list[str] = Field(
        [],
        description="Why occurrences were merged: url, mirror, title, override, or the kind of "
        "identifier they share (arxiv, doi, acl, openreview, github, youtube, ...).",
    )


class ReviewPair(_Model):
    """Two entries that look alike but were not merged, for a curator to decide."""

    first: Entry
    second: Entry
    score: float = Field(description="Title similarity, 0 to 100.")
    reason: str


class Generator(_Model):
    """The program that wrote a dataset."""

    name: str = Field(description='The program\'s name: "awesomerge".')
    version: str = Field(description="Its version (PEP 440), fixed per release.")


def this_generator() -> Generator:
    """awesomerge, as installed: the same for every build of one release (no time, no host)."""
    from awesomerge import __version__

    return Generator(name="awesomerge", version=__version__)


class Dataset(_Model):
    """The published dataset: `awesomerge.json`."""

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        json_schema_serialization_defaults_required=True,
        title="awesomerge dataset",
    )

    schema_version: Literal[1] = SCHEMA_VERSION
    generator: Generator = Field(default_factory=this_generator)
    sources: list[SourceRecord]
    entries: list[Entry]

"""The ``bibtex`` output: ``bibliography.bib``, one entry per dataset entry.

Two dialects, chosen with ``[outputs.bibtex] dialect`` or ``--bib-dialect``:

* ``bibtex`` (the default) is classic BibTeX that every tool reads: pure ASCII, every entry
  ``@misc`` with a ``howpublished`` that classic styles print, a raw ``url`` (without the
  invisible characters `link_targets` drops), and for arXiv
  papers ``eprint``, ``archivePrefix`` and the arXiv DOI. biber reads it too.
* ``biblatex`` is for biber: UTF-8, ``@online`` and ``@software``, ``date`` and ``eprinttype``.

Nothing is invented. A resource without a known year gets none (biber then says it misses a
date, which is true); an arXiv id gives its submission year and month, which are facts. Authors
are the ones the lists name, or the owner of a GitHub or Hugging Face repository. In the
``bibtex`` dialect an entry without them is credited, braced as an organisation, to who
publishes it (`credit`): plainnat prints ``key`` before the title of an entry without an
author, and labels it with ``key`` and no year, so that ``key = {title}`` printed every such
title twice and cited "[Title]". A keyword is an item's tag, not the tags of its whole list.

Citation keys are ``surname + year + first significant title word`` (``vaswani2017attention``),
or ``surname_word`` without a year. They depend on the entry alone, never on its position; when
two entries would share a key, the one whose entry id sorts first keeps it and the others get
``a``, ``b``... (research/bibtex.md §7.3). Entries are written in key order.
"""

from __future__ import annotations

import hashlib
import tomllib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, ClassVar, Literal, TextIO
from urllib.parse import urlsplit

from awesomerge.api import Collection, Output, OutputRegistrar, PluginOptions
from awesomerge.hookspecs import hookimpl
from awesomerge.identifiers import arxiv_id, identifiers_of
from awesomerge.models import Entry
from awesomerge.outputs.bibtex_text import (
    USER_SUBDOMAIN_HOSTS,
    clean_text,
    fold_to_key,
    is_corporate,
    join_key,
    latex_text,
    latex_title,
    site_token,
    surname,
    title_word,
    unique_keys,
    verbatim,
)
from awesomerge.outputs.dates import entry_date
from awesomerge.outputs.link_targets import link_target
from awesomerge.outputs.shown_titles import shown_title
from awesomerge.outputs.streamed import StreamedOutput
from awesomerge.urls import is_web_url

Dialect = Literal["bibtex", "biblatex"]

_MEDIA = {
    ("GitHub", "repository"): "GitHub repository",
    ("YouTube", "video"): "YouTube video",
    ("Wikipedia", "article"): "Wikipedia, The Free Encyclopedia",
}
_KIND_LABELS = {
    "article": "Article",
    "dataset": "Dataset",
    "document": "Document",
    "model": "Model",
    "paper": "Paper",
    "post": "Post",
    "repository": "Repository",
    "video": "Video",
    "website": "Website",
}
# Kinds whose medium a reader needs told; an article or website needs no note.
_NOTED_KINDS = ("dataset", "document", "model", "video")
_LABEL_LENGTH = 60
_HUGGING_FACE_REPOSITORIES = ("spaces", "datasets", "models")
#: plainnat tells apart works of one label and year by a letter, a to z: past z it writes a
#: brace, which breaks the bibliography. A larger group of credited entries is keyed instead.
_LETTERS = 26


@cache
def _words() -> dict[str, Any]:
    """bibliography.toml: site names, and the front-matter fields that tag a whole list."""
    text = resources.files("awesomerge.outputs").joinpath("bibliography.toml").read_text("utf-8")
    return tomllib.loads(text)


@dataclass(frozen=True)
class BibContext:
    """What an entry's text depends on beyond the entry: the tags of whole lists, and the
    credits too many entries share for plainnat's labels."""

    list_tags: dict[str, frozenset[str]]
    crowded: frozenset[tuple[str, int | None]]

    @property
    def digest(self) -> str:
        """Names the context in the kind of `Collection.each_entry`'s texts."""
        tags = sorted((source, sorted(tags)) for source, tags in self.list_tags.items())
        crowded = sorted(self.crowded, key=repr)
        return hashlib.sha256(repr((tags, crowded)).encode()).hexdigest()[:16]

    @classmethod
    def of(cls, collection: Collection) -> BibContext:
        fields = _words()["keywords"]["list_fields"]
        list_tags = {
            source.id: frozenset(
                _tag_form(tag) for name in fields for tag in _terms(source.metadata.get(name))
            )
            for source in collection.dataset.sources
        }
        credits = Counter(
            (credit(facts), facts.year)
            for facts in map(_Facts.of, collection.dataset.entries)
            if not facts.authors and not (facts.owner and facts.owner_is_author)
        )
        crowded = frozenset(label for label, count in credits.items() if count > _LETTERS)
        return cls({key: tags for key, tags in list_tags.items() if tags}, crowded)


_NO_CONTEXT = BibContext({}, frozenset())
#: The name under which the context is shared between outputs (`Collection.derived`).
BIB_CONTEXT = "bibliography context"


def _terms(value: object) -> list[str]:
    """Tags as front matter writes them: a list, or a string split on commas."""
    if isinstance(value, str):
        return value.split(",")
    if isinstance(value, list):
        return [str(term) for term in value if isinstance(term, str | int | float)]
    return []


def _tag_form(tag: str) -> str:
    return clean_text(tag).casefold()


class BibtexOutput(StreamedOutput):
    name = "bibtex"
    filename = "bibliography.bib"
    description = "BibTeX (pure ASCII, @misc) or, with --bib-dialect biblatex, biblatex for biber"

    class Options(PluginOptions):
        dialect: Dialect = "bibtex"

    flags: ClassVar[dict[str, str]] = {"bib-dialect": "dialect"}
    options: Options

    def write(self, collection: Collection, stream: TextIO) -> None:
        """The entries in key order, a blank line between them. Each entry's text is made
        without its key, which depends on the other entries, and is kept between builds."""
        keys = collection.derived(CITATION_KEYS, lambda: collection_keys(collection, self))
        dialect = self.options.dialect
        context = collection.derived(BIB_CONTEXT, lambda: BibContext.of(collection))
        texts = collection.each_entry(
            self,
            lambda entry: _bib_entry("", _Facts.of(entry), dialect, context),
            kind=context.digest,
        )
        for number, index in enumerate(sorted(range(len(keys)), key=keys.__getitem__)):
            text = texts[index]
            start = text.index("{") + 1
            text = f"{text[:start]}{keys[index]}{text[start:]}"
            stream.write(f"\n{text}" if number else text)


@dataclass(frozen=True)
class _Facts:
    """What the fields are made of, read once from an entry."""

    entry: Entry
    title: str
    authors: tuple[str, ...]
    venue: str
    arxiv: str | None
    year: int | None
    month: int | None
    url: str | None
    host: str
    site: str | None
    owner: str | None
    hugging_face_space: bool
    account: str | None = None
    """The account a post is under, where its URL says (medium.com/@jane/...): its credit."""

    @classmethod
    def of(cls, entry: Entry) -> _Facts:
        arxiv = arxiv_id(entry.identifiers.get("arxiv", ""))
        target = link_target(entry.url).strip()
        url = target if is_web_url(target) else None
        host, path = _host_and_path(url)
        year, month = entry_date(entry)
        # Four digits, the only years both BibTeX styles and biblatex dates read.
        if year is not None and year < 1000:
            year = month = None
        # Never a bare URL where a better title can be had: what the README shows too.
        title = clean_text(shown_title(entry)) or clean_text(url or "") or entry.id
        names = (clean_text(name) for name in authors_of(entry))
        return cls(
            entry=entry,
            title=title,
            authors=tuple(name for name in names if name),
            venue=venue(entry),
            arxiv=arxiv,
            year=year,
            month=month,
            url=url,
            host=host,
            site=_site_name(host),
            owner=_owner(entry, host, path),
            hugging_face_space=host == "huggingface.co" and path[:1] == ["spaces"],
            account=path[0] if host == "medium.com" and path[:1] and path[0][:1] == "@" else None,
        )

    @property
    def is_software(self) -> bool:
        return self.entry.kind == "repository" or self.hugging_face_space

    @property
    def owner_is_author(self) -> bool:
        """A repository's account made it; a file in someone's repository may be a copy."""
        return self.entry.kind == "repository" or self.host == "huggingface.co"

    @property
    def medium(self) -> str:
        """What and where the resource is, as classic styles print ``howpublished``."""
        if self.arxiv:
            return f"arXiv preprint arXiv:{self.arxiv}"
        if self.hugging_face_space:
            return "Hugging Face Space"
        label = _KIND_LABELS.get(self.entry.kind, self.entry.kind.capitalize())
        where = self.site or self.host
        if (where, self.entry.kind) in _MEDIA:
            return _MEDIA[(where, self.entry.kind)]
        return f"{label}, {where}" if where else label

    def medium_after(self, credited: str) -> str:
        """`medium` without what the credit already says: "arXiv preprint" after the arXiv
        id, "Video" after "YouTube", nothing for an article after its site's name."""
        if not credited:
            return self.medium
        if self.arxiv:
            return "arXiv preprint"
        if credited != (self.site or self.host):
            return self.medium
        kind = self.entry.kind
        return "" if kind in ("article", "website") else _KIND_LABELS.get(kind, kind.capitalize())


def _bib_entry(key: str, facts: _Facts, dialect: Dialect, context: BibContext = _NO_CONTEXT) -> str:
    if dialect == "biblatex":
        entry_type, fields = _biblatex_fields(facts, context)
    else:
        entry_type, fields = "misc", _bibtex_fields(facts, context)
    lines = [f"@{entry_type}{{{key},"]
    lines += [f"  {name} = {{{value}}}," for name, value in fields if value]
    return "\n".join([*lines, "}"]) + "\n"


def _bibtex_fields(facts: _Facts, context: BibContext) -> list[tuple[str, str]]:
    entry = facts.entry
    authors = _authors(facts, ascii_only=True)
    credited = ""
    if not authors and (credit(facts), facts.year) not in context.crowded:
        credited = credit(facts)
        authors = "{" + latex_text(credited, ascii_only=True) + "}" if credited else ""
    fields = [
        ("author", authors),
        ("title", latex_title(facts.title, ascii_only=True)),
        ("howpublished", latex_text(facts.venue or facts.medium_after(credited), True)),
        ("year", str(facts.year) if facts.year else ""),
        ("key", "" if authors else latex_text(_label(facts.title), ascii_only=True)),
    ]
    if facts.arxiv:
        fields += [("eprint", verbatim(facts.arxiv)), ("archivePrefix", "arXiv")]
    fields += [
        ("doi", _doi(facts)),
        ("url", verbatim(facts.url) if facts.url else ""),
        ("keywords", _keywords(entry, context, ascii_only=True)),
        ("annote", latex_text(entry.description or "", ascii_only=True)),
    ]
    return fields


def _biblatex_fields(facts: _Facts, context: BibContext) -> tuple[str, list[tuple[str, str]]]:
    entry = facts.entry
    fields = [
        ("author", _authors(facts, ascii_only=False)),
        ("title", latex_title(facts.title, ascii_only=False)),
        ("date", _date(facts)),
    ]
    if facts.arxiv:
        entry_type = "online"
        fields += [("eprint", verbatim(facts.arxiv)), ("eprinttype", "arxiv")]
        fields += [("pubstate", "prepublished")]
    elif facts.is_software:
        entry_type = "software"
        fields += [("howpublished", latex_text(facts.medium, ascii_only=False))]
    else:
        entry_type = "online" if facts.url else "misc"
        where = facts.site or facts.host
        fields += [("organization", latex_text(where, ascii_only=False))]
        if entry.kind in _NOTED_KINDS:
            fields += [("note", _KIND_LABELS[entry.kind])]
    if facts.venue and not any(name == "note" for name, _ in fields):
        fields += [("note", latex_text(facts.venue, ascii_only=False))]
    fields += [
        ("doi", _doi(facts)),
        ("url", verbatim(facts.url) if facts.url else ""),
        ("keywords", _keywords(entry, context, ascii_only=False)),
        ("annotation", latex_text(entry.description or "", ascii_only=False)),
    ]
    return entry_type, fields


#: How the lists write "et al." in an author list (see the dataset reference).
OTHERS = "others"
#: Venues that only say "a preprint": the eprint fields say it already.
_PREPRINT_VENUES = frozenset({"arxiv", "preprint", "biorxiv", "medrxiv", "ssrn"})


def authors_of(entry: Entry) -> list[str]:
    """The entry's authors, without a name the lists also give as its venue: a blog's name
    written among the authors ("Justin Weinberg, Daily Nous") is where it was published."""
    published = clean_text(entry.venue or "").casefold()
    return [name for name in entry.authors if clean_text(name).casefold() != published]


def venue(entry: Entry) -> str:
    """Where the entry was published, unless that is only a preprint server."""
    name = clean_text(entry.venue or "")
    return "" if name.casefold() in _PREPRINT_VENUES else name


def _authors(facts: _Facts, ascii_only: bool) -> str:
    names = list(facts.authors)
    if names and names != [OTHERS]:
        # "et al." is read as a last author "others": BibTeX's own keyword for it, unbraced.
        return " and ".join(
            OTHERS if name == OTHERS else _written_name(name, ascii_only) for name in names
        )
    if facts.owner and facts.owner_is_author:
        return "{" + latex_text(facts.owner, ascii_only) + "}"
    return ""


def _written_name(name: str, ascii_only: bool) -> str:
    """A person as BibTeX parses "First Last"; anything else braced, to be read as one name."""
    written = latex_text(name, ascii_only)
    return "{" + written + "}" if is_corporate(name) else written


def _label(title: str) -> str:
    """What natbib styles sort and label an entry without an author by: its title, cut short.

    Not the site: plainnat tells apart works with one label and year by a letter, and runs out
    of letters after about thirty (one site lists more undated pages than that).
    """
    if len(title) <= _LABEL_LENGTH:
        return title
    cut = title[:_LABEL_LENGTH].rsplit(" ", 1)[0]
    return cut + "..."


def _doi(facts: _Facts) -> str:
    doi = facts.entry.identifiers.get("doi")
    if doi:
        return verbatim(doi)
    return verbatim(f"10.48550/arXiv.{facts.arxiv}") if facts.arxiv else ""


def _date(facts: _Facts) -> str:
    if facts.year is None:
        return ""
    return f"{facts.year:04d}-{facts.month:02d}" if facts.month else f"{facts.year:04d}"


def _keywords(entry: Entry, context: BibContext, ascii_only: bool) -> str:
    """The entry's own tags, without those its lists' front matter gives the whole list."""
    sources = {occurrence.source for occurrence in entry.occurrences}
    of_lists: set[str] = set().union(*(context.list_tags.get(source, ()) for source in sources))
    tags = dict.fromkeys(clean_text(tag.replace(",", " ")) for tag in entry.tags)
    kept = (tag for tag in tags if tag and _tag_form(tag) not in of_lists)
    return ", ".join(latex_text(tag, ascii_only) for tag in kept)


def _host_and_path(url: str | None) -> tuple[str, list[str]]:
    if url is None:
        return "", []
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").removeprefix("www.")
    except ValueError:
        return "", []
    return host, [segment for segment in parts.path.split("/") if segment]


def _site_name(host: str) -> str | None:
    """The name bibliography.toml gives the host, or its parent domain (not github.com's)."""
    names: dict[str, str] = _words()["sites"]
    if host in names:
        return names[host]
    labels = host.split(".")
    for start in range(1, len(labels) - 1):
        parent = ".".join(labels[start:])
        if parent in USER_SUBDOMAIN_HOSTS:
            return None  # jane.medium.com is Jane's blog, which its host names
        if parent in names and parent != "github.com":
            return names[parent]
    return None


def credit(facts: _Facts) -> str:
    """Who an entry without named authors is credited to: the account that holds it, the
    arXiv id of a preprint (arXiv is not its author), else the site's name or host."""
    if facts.owner or facts.account:
        return facts.owner or facts.account or ""
    if facts.arxiv:
        return f"arXiv:{facts.arxiv}"
    return facts.site or facts.host


def _owner(entry: Entry, host: str, path: list[str]) -> str | None:
    """The GitHub or Hugging Face account that holds the resource, when its URL says."""
    github = entry.identifiers.get("github", "")
    if "/" in github:
        return github.split("/")[0]
    if host == "github.com" and path:
        # The core's GitHub rules know which first segments are accounts, not site pages.
        return path[0] if identifiers_of(f"https://github.com/{path[0]}/x") else None
    if host == "gist.github.com" and len(path) >= 2:
        return path[0]
    if host == "huggingface.co":
        if len(path) >= 3 and path[0] in _HUGGING_FACE_REPOSITORIES:
            return path[1]
        if len(path) == 2 and entry.kind == "model":
            return path[0]
    return None


#: The name under which the citation keys are shared between outputs (`Collection.derived`).
CITATION_KEYS = "citation keys"


def citation_keys(entries: Sequence[Entry]) -> list[str]:
    """One key per entry, in the entries' order: unique, lower-case, stable across builds.

    The bibtex and csl-json outputs both use these keys, so that a work is cited by the same
    key from bibliography.bib and from bibliography.csl.json.
    """
    return _keyed([base_key(_Facts.of(entry)) for entry in entries], entries)


def collection_keys(collection: Collection, output: Output) -> list[str]:
    """`citation_keys` of the collection's entries, each entry's own key kept between builds
    (`Collection.each_entry`) by the `output` that asks first."""
    bases = list(
        collection.each_entry(output, lambda entry: base_key(_Facts.of(entry)), kind=CITATION_KEYS)
    )
    entries = collection.dataset.entries
    lock = collection.key_lock
    if lock is None:
        return _keyed(bases, entries)

    def new_keys(positions: Sequence[int], reserved: frozenset[str]) -> dict[int, str]:
        chosen = _keyed(
            [bases[at] for at in positions], [entries[at] for at in positions], reserved
        )
        return dict(zip(positions, chosen, strict=True))

    return lock.keys(entries, new_keys)


def _keyed(
    bases: list[str], entries: Sequence[Entry], reserved: frozenset[str] = frozenset()
) -> list[str]:
    """The keys, from each entry's own: where entries would share one, or one an earlier
    build gave (`reserved`), made unique."""
    tie_breaks = [(entry.id, entry.url, entry.title) for entry in entries]
    return unique_keys(bases, tie_breaks, reserved)


def base_key(facts: _Facts) -> str:
    """The key an entry would have alone: surname + year + word, folded to [a-z0-9_]."""
    author = _key_author(facts)
    return join_key(author, facts.year, title_word(facts.entry.title, author))


def _key_author(facts: _Facts) -> str:
    """The first author's surname, else the account, else the site, folded; "" if none folds."""
    first = facts.authors[0] if facts.authors else ""
    candidates = [surname(first), facts.owner or "", site_token(facts.host)]
    return next((folded for folded in map(fold_to_key, candidates) if folded), "")


@hookimpl
def register_outputs(register: OutputRegistrar) -> None:
    register(BibtexOutput)

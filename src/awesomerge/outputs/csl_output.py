"""The ``csl-json`` output: ``bibliography.csl.json``, one CSL item per dataset entry.

CSL-JSON is what pandoc --citeproc, Zotero and citeproc-js read. Every item is valid against the
CSL data schema v1.0.2, which forbids unknown keys: awesomerge's own facts (lists, sections, tags,
entry id) go into ``custom``, the schema's place for them. Nothing is invented: an author, a date,
a publisher or a container appears only where the entry, its identifiers or its URL's host say so.

Strings are CSL rich text: CSL processors read a few HTML-like tags in them as formatting
(pandoc: ``<i>``, ``<b>``, ``<u>``, ``<sup>``, ``<sub>``, ``<sc>`` and four ``<span>`` forms;
citeproc-js much the same), and nothing else (no links, no entities, no Markdown). CSL has no
escape for a tag a title shows as text, such as ``<i>`` in "Why <i> is not <em>": each ``<``
that could open a tag is put alone in a ``nocase`` span, which is inert and still reads ``<``.
The other markup added here is a ``nocase`` span around code-like tokens. Bidirectional
controls are dropped from text, as README.md does, and invisible characters from the ``URL``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from typing import Any, TextIO
from urllib.parse import urlsplit

from awesomerge.api import Collection, OutputRegistrar
from awesomerge.hookspecs import hookimpl
from awesomerge.models import Entry
from awesomerge.outputs.bibtex_output import (
    CITATION_KEYS,
    OTHERS,
    authors_of,
    citation_keys,
    collection_keys,
    venue,
)
from awesomerge.outputs.dates import entry_date
from awesomerge.outputs.json_text import encode_floatless, write_array
from awesomerge.outputs.link_targets import link_target
from awesomerge.outputs.shown_titles import shown_title
from awesomerge.outputs.streamed import StreamedOutput
from awesomerge.urls import hostname, is_web_url

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_REORDERING = re.compile("[\u202a-\u202e\u2066-\u2069]")
_TAG_START = re.compile(r"<(?=/?[A-Za-z])")
_INERT_TAG_START = '<span class="nocase"><</span>'
_NOT_IN_URL = re.compile(r'[\s"<>\\^`{|}\x00-\x1f\x7f]')
_PLAIN_TOKEN = re.compile(r"^[\w.~%/?#=&+:@-]+$")
_JOINED_WORDS = re.compile(r"[^\W_][._/][^\W_]")
_OPENERS = "([{\"'“‘"
_CLOSERS = ")]}\"'”’,;:!?."
_PLATFORMS = {
    "youtube.com": "YouTube",
    "m.youtube.com": "YouTube",
    "youtu.be": "YouTube",
    "youtube-nocookie.com": "YouTube",
    "vimeo.com": "Vimeo",
    "github.com": "GitHub",
    "huggingface.co": "Hugging Face",
}
_BLOG_HOSTS = (".substack.com", ".medium.com", ".blogspot.com", ".wordpress.com")


class CslJsonOutput(StreamedOutput):
    name = "csl-json"
    filename = "bibliography.csl.json"
    description = "CSL-JSON for pandoc --citeproc, Zotero and citeproc-js (CSL data schema 1.0.2)"

    def write(self, collection: Collection, stream: TextIO) -> None:
        """The items as one indented JSON array, in citation-key order. Each item's text is
        made without its key, which depends on the other entries, and is kept between builds."""
        keys = collection.derived(CITATION_KEYS, lambda: collection_keys(collection, self))
        texts = collection.each_entry(self, lambda entry: encode_floatless(csl_item(entry, "")))
        order = sorted(range(len(keys)), key=keys.__getitem__)
        write_array((_with_key(texts[index], keys[index]) for index in order), stream)
        stream.write("\n")


def csl_items(collection: Collection) -> Iterator[dict[str, Any]]:
    """One item per entry, in citation-key order so that a rebuild diffs line by line."""
    entries = collection.dataset.entries
    keys = collection.derived(CITATION_KEYS, lambda: citation_keys(entries))
    keyed = sorted(zip(keys, entries, strict=True), key=lambda pair: pair[0])
    return (csl_item(entry, key) for key, entry in keyed)


_KEYLESS = '{\n  "id": "",\n  "citation-key": ""'


def _with_key(text: str, key: str) -> str:
    """An encoded item made with the empty key, given `key`."""
    assert text.startswith(_KEYLESS), "csl_item puts the key first"
    encoded = encode_floatless(key)
    return f'{{\n  "id": {encoded},\n  "citation-key": {encoded}{text[len(_KEYLESS) :]}'


def csl_item(entry: Entry, key: str) -> dict[str, Any]:
    url = web_url(entry)
    site = _site(url) if url else ""
    csl_type, fields = type_and_fields(entry, site, urlsplit(url).path if url else "")
    item: dict[str, Any] = {"id": key, "citation-key": key, "type": csl_type}
    title = clean_text(shown_title(entry))  # never a bare URL where a better one exists
    if title:
        item["title"] = protect_code_tokens(title)
    # CSL has no mark for "et al."; a style adds it from the number of authors.
    authors = [clean_text(author) for author in authors_of(entry) if author != OTHERS]
    if any(authors):
        item["author"] = [csl_name(author) for author in authors if author]
    date = issued(entry)
    if date:
        item["issued"] = {"date-parts": [date]}
    item.update(fields)
    published = venue(entry)
    if published and "container-title" not in item:
        item["container-title"] = rich_text(published)
    if url:
        item["URL"] = url
    description = clean_text(entry.description or "")
    if description:
        item["abstract"] = rich_text(description)
    item["custom"] = awesomerge_facts(entry)
    return item


def type_and_fields(entry: Entry, site: str, path: str) -> tuple[str, dict[str, str]]:
    """The CSL type, and the variables that name where the resource is published."""
    arxiv = entry.identifiers.get("arxiv")
    platform = _PLATFORMS.get(site)
    if arxiv:
        # Zotero's mapping for preprints; a container-title would print "arXiv" twice.
        return "article", {
            "publisher": "arXiv",
            "number": f"arXiv:{arxiv}",
            "DOI": f"10.48550/arXiv.{arxiv}",
        }
    if entry.kind == "paper":
        doi = entry.identifiers.get("doi")
        return "article", {"DOI": doi} if doi else {}
    if entry.kind == "repository":
        if "github" in entry.identifiers:
            return "software", {"publisher": "GitHub", "genre": "GitHub repository"}
        return "software", {}
    if entry.kind == "video":
        if "youtube" in entry.identifiers:
            platform = "YouTube"
        return "motion_picture", {"medium": "Video", **_container(platform)}
    if entry.kind == "playlist":
        return "webpage", {"genre": "Playlist", **_container(platform)}
    if entry.kind == "dataset":
        return "dataset", _publisher(platform)
    if entry.kind == "model":
        return "software", _publisher(platform)
    if entry.kind == "document":
        return "document", {}
    return _web_page(entry.kind, site, path)


def _web_page(kind: str, site: str, path: str) -> tuple[str, dict[str, str]]:
    """Articles, websites and kinds this output does not know: a page, more precise by host."""
    if site.endswith(".wikipedia.org"):
        return "entry-encyclopedia", {"container-title": "Wikipedia"}
    if site == "huggingface.co" and path.startswith("/spaces/"):
        return "software", {"publisher": "Hugging Face", "genre": "Hugging Face Space"}
    if kind == "post":
        return "post", {}  # CSL's type for a post on a forum or social network
    blog = site.endswith(_BLOG_HOSTS) or site.startswith("blog.") or "/blog/" in path + "/"
    if kind == "article" and blog:
        return "post-weblog", {}
    return "webpage", {}


def _container(platform: str | None) -> dict[str, str]:
    return {"container-title": platform} if platform else {}


def _publisher(platform: str | None) -> dict[str, str]:
    return {"publisher": platform} if platform else {}


def web_url(entry: Entry) -> str | None:
    """The entry's http(s) URL, else one of its occurrences': never a javascript: or data: URL,
    and without invisible characters (`link_target`).

    Characters a URL may not hold (spaces, quotes, braces) are percent-encoded, so that no
    consumer splits the link; non-ASCII stays, as browsers and pandoc take IRIs.
    """
    for url in (entry.url, *(occurrence.url for occurrence in entry.occurrences)):
        url = link_target(url).strip()
        if is_web_url(url) and _site(url):
            return _NOT_IN_URL.sub(_percent_encode, url)
    return None


def _percent_encode(match: re.Match[str]) -> str:
    return "".join(f"%{byte:02X}" for byte in match.group().encode("utf-8"))


def _site(url: str) -> str:
    """The host without ``www.``; empty when the URL has none or does not parse."""
    return hostname(url).removeprefix("www.")


def clean_text(text: str) -> str:
    """NFC text on one line: controls and newlines become spaces, runs of spaces one, and
    bidirectional controls, which would reorder the text around them, are dropped."""
    text = _CONTROL.sub(" ", unicodedata.normalize("NFC", _REORDERING.sub("", text)))
    return " ".join(text.split())


def rich_text(text: str) -> str:
    """CSL rich text that shows `text` as written: each ``<`` that could open a tag inert."""
    return _TAG_START.sub(_INERT_TAG_START, text) if "<" in text else text


def protect_code_tokens(title: str) -> str:
    """Rich text for a title: code-like tokens (``llama.cpp``, ``openai/tiktoken``, ``GPT3``,
    URLs) in a nocase span, so that a style's title case keeps them as written; the other words
    as `rich_text`."""
    return "".join(_protect_token(token) for token in re.split(r"(\s+)", title))


def _protect_token(token: str) -> str:
    if token.isalpha():  # most words: neither marks around them nor anything code-like
        return token
    core = token.lstrip(_OPENERS)
    opening = token[: len(token) - len(core)]
    stripped = core.rstrip(_CLOSERS)
    closing = core[len(stripped) :]
    if not _is_code_like(stripped):
        return rich_text(token)
    return f'{opening}<span class="nocase">{stripped}</span>{closing}'


def _is_code_like(word: str) -> bool:
    """A URL, letters mixed with digits (pandoc prints GPT3 as "Gpt3" in title case), or a
    lowercase name joined by ``.``, ``/`` or ``_``; never a token holding markup."""
    if not _PLAIN_TOKEN.match(word):
        return False
    if word.startswith(("http://", "https://")):
        return True
    if any(char.isdigit() for char in word) and any(char.isalpha() for char in word):
        return True
    return word == word.lower() and _JOINED_WORDS.search(word) is not None


def csl_name(name: str) -> dict[str, str]:
    """Given and family only for the unambiguous "Given Family"; anything else as written."""
    words = name.split()
    if len(words) == 2 and all(_is_plain_name_word(word) for word in words):
        return {"family": words[1], "given": words[0]}
    return {"literal": name}


def _is_plain_name_word(word: str) -> bool:
    """A capitalised word of letters (``Jean-Pierre``, ``O'Neil``), not an acronym like AI."""
    parts = re.split(r"[-'’]", word)
    return word[0].isupper() and all(
        part.isalpha() and part[1:] == part[1:].lower() for part in parts
    )


def issued(entry: Entry) -> list[int] | None:
    """The year the list gives, else the arXiv id's; the id's month when the years agree."""
    year, month = entry_date(entry)
    if year is None:
        return None
    return [year, month] if month is not None else [year]


def awesomerge_facts(entry: Entry) -> dict[str, Any]:
    """What CSL has no variable for: where the entry was listed and how awesomerge knows it."""
    facts: dict[str, Any] = {
        "awesomerge_id": entry.id,
        "kind": entry.kind,
        "lists": sorted({occurrence.source for occurrence in entry.occurrences}),
        "categories": list(entry.categories),
        "tags": list(entry.tags),
    }
    if entry.identifiers:
        facts["identifiers"] = dict(sorted(entry.identifiers.items()))
    return facts


@hookimpl
def register_outputs(register: OutputRegistrar) -> None:
    register(CslJsonOutput)

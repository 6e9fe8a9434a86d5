"""The title a reader is shown for an entry, by every output that shows one.

The entry's title, unless that is a bare URL or a link label ("here", "Paper"): then another
occurrence's, else one made from the entry's identifiers or its URL ("owner/repo",
"arXiv:1706.03762", "Capturing the flag with gpt 4 (micahflee.com)"). The dataset keeps the
title the lists wrote; the README and the bibliographies show this one. The words are data, in
``readme.toml`` (``[titles]``).
"""

from __future__ import annotations

import re
from functools import cache
from urllib.parse import unquote, urlsplit

from awesomerge.anatomy import is_bare_label
from awesomerge.models import Entry
from awesomerge.outputs.readme_markdown import capitalise, clean
from awesomerge.outputs.readme_sections import Taxonomy, default_taxonomy, readme_words
from awesomerge.titles import GENERIC, Title
from awesomerge.urls import hostname

__all__ = ["says_nothing", "shown_title", "url_title", "visible_title"]

_BARE_URL = re.compile(r"(?:https?://|www\.|[\w-]+(?:\.[\w-]+)+/)\S*$", re.IGNORECASE)
_ID_LIKE = re.compile(r"[\W_]*(?:\d+|[0-9a-f]{8,}|[\w-]*\d[\w-]*)[\W_]*$", re.IGNORECASE)
_HASH = re.compile(r"(?=[a-z]*\d)[0-9a-f]{8,}", re.IGNORECASE)
_EXTENSION = re.compile(r"\.(?:html?|php|aspx?|md|pdf|ipynb)$", re.IGNORECASE)
#: The most words a link label has ("project page", "mentioned in awesome").
_LONGEST_LABEL = 3


def shown_title(entry: Entry) -> str:
    """The title a bibliography shows: `visible_title` with the built-in taxonomy, unless that
    is only the site's host, which a bibliography prints as the entry's maker already
    ("chatpdf.com. chatpdf.com."): then the title as the lists wrote it. A made title leaves
    out the host it names."""
    title = visible_title(entry, default_taxonomy())
    host = hostname(entry.url).removeprefix("www.")
    if title == clean(entry.title) or (host and title == host):
        return entry.title  # as written: each output cleans it in its own way
    # "Rellm (matt-rickard.com)": a bibliography prints the site beside the title already.
    return title.removesuffix(f" ({host})") if host else title


def visible_title(entry: Entry, taxonomy: Taxonomy) -> str:
    """The entry's title, or when it is a bare URL or a link label, another occurrence's, or one
    made from the entry's identifiers or URL.

    Where a list gave only a label ("[here](u)"), the dataset names the entry by the heading
    and the label ("References here"): that title says something only when the heading does.
    """
    title = clean(entry.title)
    if title and not says_nothing(title) and not _heading_label(title, taxonomy):
        return title
    written = sorted({clean(occurrence.title) for occurrence in entry.occurrences})
    better = [text for text in written if text and not says_nothing(text)]
    if title in better:  # the list wrote the heading and the label itself
        return title
    if better:
        return max(better, key=lambda text: (len(text.split()), text))
    return url_title(entry.url, entry.identifiers) or title or clean(entry.url) or "Untitled"


def _heading_label(title: str, taxonomy: Taxonomy) -> bool:
    """Whether a title is a heading that says nothing and a link label: "References here"."""
    words = title.split(" ")
    return any(
        taxonomy.key(" ".join(words[:cut])) in taxonomy.generic
        and says_nothing(" ".join(words[cut:]))
        for cut in range(max(1, len(words) - _LONGEST_LABEL), len(words))
    )


def says_nothing(title: str) -> bool:
    """A bare URL, or a link label such as "here", "Paper" or "[pdf]"."""
    return bool(_BARE_URL.match(title)) or Title(title).key in GENERIC or is_bare_label(title)


def url_title(url: str, identifiers: dict[str, str]) -> str:
    """A title made from an identifier ("owner/repo", "arXiv:1706.03762"), else from the URL's
    last path segment that names something, and its host: "Neural networks (3blue1brown.com)".
    "" for a URL that is no web address."""
    words = readme_words()
    for kind, template in words["titles"]["identifiers"].items():
        if identifiers.get(kind):
            return str(template).format(value=identifiers[kind])
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").removeprefix("www.")
    except ValueError:
        return ""
    if not host or parts.scheme not in ("http", "https"):
        return ""
    segments = [unquote(part) for part in parts.path.split("/") if part]
    template = words["titles"]["hosts"].get(host)
    if template is not None:
        needed = len(re.findall(r"\{\d+\}", template))
        if len(segments) >= needed:
            return str(template).format(*segments)
    skipped = _skipped_segments()
    named = [
        text
        for segment_ in segments
        if (text := _segment_words(segment_))
        and text.casefold() not in skipped
        and not _ID_LIKE.match(text)
    ]
    if not named:
        return host
    return f"{capitalise(named[-1])} ({host})"


def _segment_words(segment_: str) -> str:
    """The words of a path segment: "gpt-from-scratch.html" is "gpt from scratch"; a trailing
    id such as Medium's hash is left out."""
    words = re.split(r"[-_+\s]+", _EXTENSION.sub("", segment_))
    while len(words) > 1 and _HASH.fullmatch(words[-1]):
        words.pop()
    return " ".join(words).strip()


@cache
def _skipped_segments() -> frozenset[str]:
    return frozenset(word.casefold() for word in readme_words()["titles"]["skipped_segments"])

"""Where the outputs' links lead: an entry's address without the characters no reader sees.

A list may hold zero-width characters, bidirectional controls or a byte-order mark inside a URL,
by a copy and paste or to make a link read as another. Every link an output writes leaves them
out: README.md's and review.md's links, BibTeX's ``url`` field, CSL-JSON's ``URL``. Left in, a
browser would send them percent-encoded, to an address other than the one shown. The dataset
keeps each URL as the lists wrote it in its occurrences; the core's `clean_url` removes them
from the entries' URLs, but an output also links occurrences' and sources' URLs, and datasets
whose URLs another `canonical_url` cleaned.
"""

from __future__ import annotations

from awesomerge.urls import INVISIBLE as _INVISIBLE


def link_target(url: str) -> str:
    """`url` without zero-width characters, bidirectional controls and byte-order marks."""
    return _INVISIBLE.sub("", url)


def invisible_escaped(text: str) -> str:
    """`text` with those characters written as ``\\uXXXX`` escapes: in a JSON or TOML string,
    the same text, that a reader sees."""
    return _INVISIBLE.sub(lambda match: f"\\u{ord(match[0]):04x}", text)

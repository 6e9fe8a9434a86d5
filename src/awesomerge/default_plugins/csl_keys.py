"""Citation keys: surname + year + first significant title word (research/bibtex.md §7.3).

``vaswani2017attention``; ``openai_tiktoken`` when there is no year. Keys match
``[a-z][a-z0-9_]*``, so that no format or tool has to escape them, and are unique across the
whole output. Nothing here knows CSL: the bibtex output keys its entries by the same scheme, and
one module shared by both should replace this one and its twin there.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import count
from urllib.parse import urlsplit

from awesomerge.urls import is_web_url

_STOP_WORDS = (
    "a about after against among an and are as at be between by de der die do does for from how "
    "i in into is it its la le les of on onto or our over per so than that the their this to "
    "under up via vs was we what when why will with without you your http https www"
)
_SKIP_WORDS = frozenset(_STOP_WORDS.split())
_FOLDS = str.maketrans(
    {"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i"}
)
_HOSTED_NAMES = (
    *(".github.io", ".gitlab.io", ".notion.site", ".netlify.app", ".pages.dev", ".vercel.app"),
    *(".substack.com", ".medium.com", ".blogspot.com", ".wordpress.com"),
)
_ACCOUNT_HOSTS = ("github.com", "gist.github.com", "huggingface.co", "twitter.com", "x.com")
_SECOND_LEVEL = frozenset({"ac", "co", "com", "edu", "gov", "net", "org"})
_LONGEST_PART = 20


@dataclass(frozen=True)
class KeySource:
    """What a key is made of, for one entry."""

    author: str
    """The first author's family name, or the whole name when it cannot be split; or ''."""
    url: str
    """The entry's http(s) URL, or ''."""
    year: int | None
    title: str
    stable_id: str
    """The entry's id: orders entries whose keys clash."""


def citation_keys(sources: Sequence[KeySource]) -> list[str]:
    """A key per entry, unique: entries that would share one are ordered by their stable id,
    the first keeps it and the others get a, b, ... z, aa (never a key already in use)."""
    bare = [bare_key(source) for source in sources]
    taken = set(bare)
    keys = list(bare)
    groups: dict[str, list[int]] = {}
    for index, key in enumerate(bare):
        groups.setdefault(key, []).append(index)
    for key in sorted(groups):
        clashing = sorted(groups[key], key=lambda index: (sources[index].stable_id, index))
        for index in clashing[1:]:
            keys[index] = next(
                key + _letters(n) for n in count(1) if key + _letters(n) not in taken
            )
            taken.add(keys[index])
    return keys


def bare_key(source: KeySource) -> str:
    """The key before clashes are resolved."""
    author = key_author(source)
    word = key_word(source.title, author)
    if source.year is not None:
        key = f"{author}{source.year}{word}"
    else:
        key = "_".join(part for part in (author, word) if part)
    return key if key[0].isalpha() else "x" + key


def key_author(source: KeySource) -> str:
    """The author, else the account in the URL (GitHub, Hugging Face, X), else the site's
    name, else ``anon``; a name that folds to nothing (CJK) falls through to the next."""
    site = _site(source.url)
    candidates = (source.author, _account(site, source.url), _site_label(site))
    return next((folded for folded in map(ascii_fold, candidates) if folded), "anon")[
        :_LONGEST_PART
    ]


def key_word(title: str, author: str) -> str:
    """The first title word that says something: not a stop word, not the author again; for a
    title that is a URL, a word of its path."""
    if is_web_url(title):
        title = _path(title)
    for word in re.split(r"[\s/:.]+", title):
        folded = ascii_fold(word)
        if folded and folded not in _SKIP_WORDS and folded != author:
            return folded[:_LONGEST_PART]
    return ""


def ascii_fold(text: str) -> str:
    """Lowercase ASCII letters and digits only: accents dropped, ß to ss; CJK folds to ''."""
    decomposed = unicodedata.normalize("NFKD", text.lower().translate(_FOLDS))
    return re.sub(r"[^a-z0-9]", "", decomposed)


def _account(site: str, url: str) -> str:
    """The owner a URL names on a hosting site: ``openai`` for github.com/openai/tiktoken."""
    segments = [part for part in _path(url).split("/") if part]
    if site == "huggingface.co" and segments[:1] in (["datasets"], ["spaces"]):
        segments = segments[1:]
    elif site == "huggingface.co" and segments[:1] in (["docs"], ["blog"], ["learn"], ["papers"]):
        return ""
    return segments[0] if site in _ACCOUNT_HOSTS and len(segments) >= 2 else ""


def _site_label(site: str) -> str:
    """The name a site is known by: ``openai`` for cdn.openai.com, ``jalammar`` for
    jalammar.github.io, ``bbc`` for bbc.co.uk."""
    labels = site.split(".")
    if site.endswith(_HOSTED_NAMES) and len(labels) > 2:
        return labels[0]
    if len(labels) > 2 and labels[-2] in _SECOND_LEVEL and len(labels[-1]) == 2:
        return labels[-3]
    return labels[-2] if len(labels) > 1 else labels[0]


def _site(url: str) -> str:
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return ""
    return host.removeprefix("www.")


def _path(url: str) -> str:
    try:
        return urlsplit(url).path
    except ValueError:
        return ""


def _letters(number: int) -> str:
    """1 → a, 26 → z, 27 → aa: the suffixes that tell clashing keys apart."""
    letters = ""
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(ord("a") + remainder) + letters
    return letters

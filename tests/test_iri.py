"""IRIs, percent-encoding and international host names: one address, however it is written.

Two lists of our own, a bullet list and a table (``tests/data/iri/``), write the same addresses
in different forms: an IRI and its percent-encoding, escapes in lower and upper case, a host in
Unicode and in punycode. Each pair is one entry, merged on the evidence ``url``, and every
occurrence keeps its URL exactly as written.
"""

from __future__ import annotations

import string

import pytest
from hypothesis import given
from hypothesis import strategies as st
from w3lib.url import safe_url_string

from awesomerge.build import build
from awesomerge.plugins import Plugins
from awesomerge.urls import INVISIBLE, as_uri, clean_url, url_key, url_problem

from .conftest import DATA

LISTS = DATA / "iri"

#: Each resource the two lists give: the URL each list writes, and the published URL.
SAME = [
    (
        "https://ja.wikipedia.org/wiki/東京",
        "https://ja.wikipedia.org/wiki/%E6%9D%B1%E4%BA%AC",
        "https://ja.wikipedia.org/wiki/%E6%9D%B1%E4%BA%AC",
    ),
    (
        "https://ru.wikipedia.org/wiki/%d0%9c%d0%be%d1%81%d0%ba%d0%b2%d0%b0",
        "https://ru.wikipedia.org/wiki/Москва",
        "https://ru.wikipedia.org/wiki/%D0%9C%D0%BE%D1%81%D0%BA%D0%B2%D0%B0",
    ),
    ("https://bücher.de/", "https://XN--BCHER-KVA.de/", "https://xn--bcher-kva.de/"),
    (
        "https://example.org/caf%c3%a9/guide?lang=fr",
        "https://example.org/café/guide?lang=fr",
        "https://example.org/caf%C3%A9/guide?lang=fr",
    ),
    (
        "https://example.org/search?q=%e6%9d%b1%e4%ba%ac",
        "https://example.org/search?q=%E6%9D%B1%E4%BA%AC",
        "https://example.org/search?q=%E6%9D%B1%E4%BA%AC",
    ),
]


@pytest.fixture(scope="module")
def entries(plugins: Plugins) -> dict[str, dict[str, object]]:
    dataset = build([str(LISTS / "bullets.md"), str(LISTS / "table.md")], plugins).dataset
    assert {source.format for source in dataset.sources} == {"markdown", "readme-table"}
    return {entry.url: entry.model_dump(mode="json") for entry in dataset.entries}


@pytest.mark.parametrize(("in_bullets", "in_table", "published"), SAME)
def test_two_spellings_of_one_address_are_one_entry(
    entries: dict[str, dict[str, object]], in_bullets: str, in_table: str, published: str
) -> None:
    entry = entries[published]
    written = [(o["source"], o["url"]) for o in entry["occurrences"]]  # type: ignore[attr-defined]
    assert written == [("bullets", in_bullets), ("table", in_table)]
    assert entry["evidence"] == ["url"]


def test_different_pages_and_lone_links_stay_apart(entries: dict[str, dict[str, object]]) -> None:
    assert len(entries) == len(SAME) + 2
    kyoto = entries["https://ja.wikipedia.org/wiki/%E4%BA%AC%E9%83%BD"]
    assert [o["url"] for o in kyoto["occurrences"]] == [  # type: ignore[attr-defined]
        "https://ja.wikipedia.org/wiki/京都"
    ]
    assert entries["https://fr.wikipedia.org/wiki/Paris"]["evidence"] == []


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("https://ja.wikipedia.org/wiki/東京", "https://ja.wikipedia.org/wiki/%e6%9d%b1%e4%ba%ac"),
        ("http://münchen.example/straße", "https://xn--mnchen-3ya.example/stra%C3%9Fe"),
        ("https://example.org/a b", "https://example.org/a%20b"),
        ("https://example.org/a|b", "https://example.org/a%7cb"),
        ("https://example.org/?q=ü&r=1", "https://example.org/?r=1&q=%c3%bc"),
        ("https://example.org/%7Euser", "https://example.org/~user"),
        # A redirect wrapper's target is an IRI too, its host written in punycode.
        (
            "https://www.google.com/url?q=https%3A%2F%2Fb%C3%BCcher.de%2F",
            "https://xn--bcher-kva.de",
        ),
    ],
)
def test_equivalent_spellings_share_a_key(first: str, second: str) -> None:
    assert url_key(first) == url_key(second)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("https://ja.wikipedia.org/wiki/東京", "https://ja.wikipedia.org/wiki/京都"),
        ("https://bücher.de/", "https://bucher.de/"),
        ("https://example.org/a%2Fb", "https://example.org/a/b"),
    ],
)
def test_different_addresses_keep_different_keys(first: str, second: str) -> None:
    assert url_key(first) != url_key(second)


@pytest.mark.parametrize(
    ("written", "cleaned"),
    [
        ("http://[::1", "http://%5B::1"),  # cannot be split: only made safe, as before
        ("https://h.example:x/ü", "https://h.example:x/%C3%BC"),
        ("https://[fe80::1%eth0]:x/", "https://%5Bfe80::1%eth0%5D:x/"),
        ("https://a..b/ü", "https://a..b/%C3%BC"),  # an empty label: IDNA has nothing to do
        ("https://" + "é" * 70 + ".de/", "https://" + "é" * 70 + ".de/"),  # IDNA refuses it
    ],
)
def test_a_url_w3lib_cannot_encode_stays_as_it_is(written: str, cleaned: str) -> None:
    assert clean_url(written) == cleaned
    url_key(written)  # and never raises


_URI_TEXT = st.text(alphabet=string.ascii_letters + string.digits + "-._~/?#&=+%!$'()*,;:@")


@given(host=st.from_regex(r"[a-z][a-z0-9]{0,10}\.example", fullmatch=True), rest=_URI_TEXT)
def test_a_uri_is_what_w3lib_makes_of_it(host: str, rest: str) -> None:
    """`as_uri` leaves a URL of URI characters alone without asking w3lib. w3lib may still
    change it (an empty query or fragment dropped, a quote in the query encoded, as browsers
    do), but never so that its key changes: a URL and w3lib's form of it are one address."""
    url = f"https://{host}/{rest}"
    assert as_uri(url) == url
    assert url_key(url) == url_key(safe_url_string(url))


@given(
    host=st.sampled_from(["example.org", "bücher.de", "xn--bcher-kva.de", "[::1]"]),
    text=st.text(max_size=40).filter(lambda text: not INVISIBLE.search(text)),
)
def test_an_iri_and_what_w3lib_makes_of_it_are_one_address(host: str, text: str) -> None:
    """Any text after a host: the URL is made an ASCII URI (or left alone, when w3lib cannot
    encode it), and it has the key of w3lib's own form of it. Characters no reader sees are
    removed from a URL before anything else, so they are left out here."""
    url = f"https://{host}/{text}".strip()
    uri = as_uri(url)
    assert uri.isascii() or uri == url
    if url_problem(url) is None:
        assert url_key(url) == url_key(safe_url_string(url))
    else:
        clean_url(url)  # never raises

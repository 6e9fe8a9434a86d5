"""URL canonicalisation and identifiers: the published URL still works, the key folds noise."""

from __future__ import annotations

import time

import pytest

from awesomerge.identifiers import arxiv_id, identifiers_of, kind_of
from awesomerge.urls import clean_url, file_key, mirror_key, url_key, url_problem


@pytest.mark.parametrize(
    ("url", "cleaned"),
    [
        ("HTTPS://WWW.Example.COM:443/a/./b/../c/", "https://www.example.com/a/c/"),
        ("https://x.org/p?utm_source=a&id=7&fbclid=z", "https://x.org/p?id=7"),
        ("https://www.google.com/url?q=https://example.org/x&sa=D", "https://example.org/x"),
        ("https://youtu.be/dQw4w9WgXcQ?si=abc&t=42", "https://youtu.be/dQw4w9WgXcQ?t=42"),
        ("https://github.com/o/r?tab=readme-ov-file#readme", "https://github.com/o/r"),
        ("https://x.org/a#:~:text=Hello", "https://x.org/a"),
        ("https://x.org/a#section", "https://x.org/a#section"),
        ("  <https://x.org/a>  ", "https://x.org/a"),
        ("https://x.org/caf%c3%a9/%41", "https://x.org/caf%C3%A9/A"),
    ],
)
def test_clean_url_keeps_a_working_link(url: str, cleaned: str) -> None:
    assert clean_url(url) == cleaned


def test_the_key_folds_scheme_www_slash_index_and_query_order() -> None:
    variants = [
        "http://www.example.org/docs/index.html?b=2&a=1",
        "https://example.org/docs/?a=1&b=2&utm_medium=email",
        "https://EXAMPLE.org:443/docs?a=1&b=2#intro",
    ]
    assert {url_key(url) for url in variants} == {"example.org/docs?a=1&b=2"}


def test_the_key_never_lowercases_a_path_or_drops_a_ref() -> None:
    assert url_key("https://bit.ly/AbC") != url_key("https://bit.ly/abc")
    assert url_key("https://github.com/o/r?ref=main") == "github.com/o/r?ref=main"
    assert identifiers_of("https://github.com/o/r?ref=main") == {"github": "o/r"}


def test_routing_fragments_name_pages() -> None:
    assert url_key("https://livebench.ai/#/leaderboard") != url_key("https://livebench.ai/#/faq")
    assert url_key("https://x.org/#!/a") == "x.org#!/a"


def test_mirrors_are_rewritten_from_the_table() -> None:
    key = url_key("https://d4mucfpksywv.cloudfront.net/better-language-models/lm.pdf")
    assert mirror_key(key) == "cdn.openai.com/better-language-models/lm.pdf"
    assert mirror_key("example.org/x") == "example.org/x"


@pytest.mark.parametrize(
    ("url", "key"),
    [
        (
            "https://cdn.openai.com/better-language-models/"
            "language_models_are_unsupervised_multitask_learners.pdf",
            "better-language-models/language_models_are_unsupervised_multitask_learners.pdf",
        ),
        ("https://x.org/files/paper.pdf", None),
        ("https://x.org/files/slides.pdf", None),
        ("https://x.org/a/intro.pdf", None),
        ("https://x.org/blog/post", None),
    ],
)
def test_file_keys_only_for_distinctive_documents(url: str, key: str | None) -> None:
    assert file_key(url) == key


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("1706.03762", "1706.03762"),
        ("1706.03762v7", "1706.03762"),
        ("2303.18223.pdf", "2303.18223"),
        ("hep-th/9901001", "hep-th/9901001"),
        ("math.GT/0309136", "math/0309136"),
        ("1234.5678", None),
        ("0612.1234", None),
        ("1501.0001", None),
        ("1412.12345", None),
        ("hep-th/1201001", None),
    ],
)
def test_arxiv_ids_are_validated(text: str, found: str | None) -> None:
    assert arxiv_id(text) == found


def test_identifiers_and_kinds() -> None:
    assert identifiers_of("https://arxiv.org/list/cs.CL/recent") == {}
    assert identifiers_of("https://github.com/features/copilot") == {}
    assert identifiers_of("https://github.com/o/r/blob/main/README.md") == {"github": "o/r"}
    assert identifiers_of("https://github.com/o/r/blob/main/train.py") == {}
    assert identifiers_of("https://doi.org/10.1000/ABC).") == {"doi": "10.1000/abc"}
    assert kind_of("https://huggingface.co/datasets/x/y", {}) == "dataset"
    assert kind_of("https://huggingface.co/EleutherAI/gpt-neox-20b", {}) == "model"
    assert kind_of("https://example.org/", {}) == "website"
    assert kind_of("https://example.org/a.pdf", {}) == "document"


def test_arxiv_ids_record_when_the_paper_was_submitted() -> None:
    from awesomerge.identifiers import arxiv_submitted

    assert arxiv_submitted("1706.03762") == (2017, 6)
    assert arxiv_submitted("2303.18223v2") == (2023, 3)
    assert arxiv_submitted("hep-th/9901001") == (1999, 1)
    assert arxiv_submitted("math/0309136") == (2003, 9)
    assert arxiv_submitted("1234.5678") is None


@pytest.mark.parametrize(
    ("written", "cleaned"),
    [
        ("https://[::1]:8080/x", "https://[::1]:8080/x"),
        ("http://[2001:db8::1]:80/a", "http://[2001:db8::1]/a"),
        ("https://x.example/a>", "https://x.example/a%3E"),  # a URI holds no ">"
        ("<https://x.example/a>", "https://x.example/a"),
        ("https://ex\u200bample.com/a\u202e", "https://example.com/a"),
        ("http://[::1", "http://%5B::1"),
        ("https://[fe80::1%eth0]:x/", "https://%5Bfe80::1%eth0%5D:x/"),
    ],
)
def test_odd_urls_are_cleaned_without_losing_what_they_say(written: str, cleaned: str) -> None:
    assert clean_url(written) == cleaned
    url_key(written)  # and never raises


def test_a_url_that_cannot_be_split_says_why() -> None:
    assert url_problem("http://[::1") == "Invalid IPv6 URL"
    assert "Port" in (url_problem("https://h.example:x/") or "")
    assert url_problem("https://[::1]:8080/x") is None


@pytest.mark.parametrize(
    "url",
    [
        "https://x.example/" + "/" * 100_000,
        "https://x.example/" + "%2" * 50_000,
        "https://x.example/?" + "a=1&" * 25_000,
        "https://[" + ":" * 100_000,
        "https://x.example/" + "index." * 20_000 + "html",
        "https://www." * 10_000 + "x.example/",
    ],
)
def test_a_url_of_100_kb_is_cleaned_in_well_under_a_second(url: str) -> None:
    started = time.perf_counter()
    url_key(url)
    file_key(clean_url(url))
    assert time.perf_counter() - started < 1.0

"""Identifiers and kinds read out of URLs, from the fixtures in tests/data/identifiers.yaml."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from awesomerge.identifiers import (
    STRENGTH,
    identifier_page,
    identifiers_of,
    is_short_link,
    is_topic_page,
    kind_of,
    rules,
)

FIXTURES: dict[str, Any] = yaml.safe_load(
    (Path(__file__).parent / "data" / "identifiers.yaml").read_text(encoding="utf-8")
)
KINDS = {kind: block for kind, block in FIXTURES.items() if kind != "kinds"}
VALID = [(kind, url, ids) for kind, block in KINDS.items() for url, ids in block["valid"]]
UNLIKE = [(kind, url) for kind, block in KINDS.items() for url in block.get("unlike", [])]
RESOURCE_KINDS = [(kind, url) for kind, urls in FIXTURES["kinds"].items() for url in urls]


@pytest.mark.parametrize(("kind", "url", "expected"), VALID, ids=[url for _, url, _ in VALID])
def test_an_identifier_is_read_from_each_form_of_url(
    kind: str, url: str, expected: dict[str, str]
) -> None:
    del kind
    assert identifiers_of(url) == {key: str(value) for key, value in expected.items()}


@pytest.mark.parametrize(("kind", "url"), UNLIKE, ids=[url for _, url in UNLIKE])
def test_a_look_alike_gives_no_identifier(kind: str, url: str) -> None:
    assert kind not in identifiers_of(url)


def test_every_kind_of_identifier_has_fixtures_both_ways() -> None:
    kinds = {pattern.kind for patterns in rules().patterns.values() for pattern in patterns}
    kinds |= {"arxiv", "doi"}
    assert kinds <= set(KINDS)
    for kind in kinds:
        assert len(KINDS[kind]["valid"]) >= 2 and len(KINDS[kind]["unlike"]) >= 2, kind


@pytest.mark.parametrize(("kind", "url"), RESOURCE_KINDS, ids=[url for _, url in RESOURCE_KINDS])
def test_the_kind_of_a_page_without_identifier(kind: str, url: str) -> None:
    assert kind_of(url, identifiers_of(url)) == kind


def test_a_venue_identifier_makes_a_paper() -> None:
    url = "https://aclanthology.org/N19-1423/"
    assert kind_of(url, identifiers_of(url)) == "paper"


def test_each_identifier_an_entry_can_take_its_url_from_has_a_working_page() -> None:
    assert identifier_page("acl", "N19-1423") == "https://aclanthology.org/N19-1423/"
    assert (
        identifier_page("openreview", "uyTL5Bvosj") == "https://openreview.net/forum?id=uyTL5Bvosj"
    )
    assert identifier_page("neurips", "2020/1457c0d6bfcb4967418bfb8ac142f64a") is None
    for kind in STRENGTH:
        page = identifier_page(kind, "x")
        assert page is None or page.startswith("https://")


def test_short_links_and_topic_pages() -> None:
    assert is_short_link("https://lnkd.in/eAbC123")
    assert is_short_link("https://t.co/xYz")
    assert not is_short_link("https://tco.example/xYz")
    assert is_topic_page("https://en.wikipedia.org/wiki/METEOR")
    assert is_topic_page("https://crates.io/keywords/redis")
    assert not is_topic_page("https://crates.io/crates/redis")

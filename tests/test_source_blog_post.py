"""The blog-post source on the seed post and on a post written in another style."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from awesomerge.detect import choose_source
from awesomerge.document import Document
from awesomerge.models import Item, ParseResult
from awesomerge.plugins import Plugins, load_plugins
from awesomerge.sources.blog_post import front_matter_terms

from .conftest import DATA, INPUTS, SEEDS
from .linkcheck import web_links

SEED = INPUTS / "lm-resources-blog-post.md"
CASES = DATA / "sources" / "blog-post"
OTHER_SEEDS = [seed for seed in SEEDS if seed != SEED]


def document(path: Path) -> Document:
    return Document(path=path.name, text=path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def all_plugins() -> Plugins:
    return load_plugins(entry_points=False)


@pytest.fixture(scope="module")
def seed(all_plugins: Plugins) -> ParseResult:
    return all_plugins.sources["blog-post"].parse(document(SEED))


def item(result: ParseResult, title: str) -> Item:
    return next(found for found in result.items if found.title == title)


@pytest.mark.parametrize(
    "path",
    [SEED, CASES / "hugo-reading-list.md", CASES / "jekyll-spacers-and-images.md"],
    ids=lambda path: path.stem,
)
def test_posts_are_read_as_blog_posts(path: Path, all_plugins: Plugins) -> None:
    choice = choose_source(document(path), all_plugins.sources)
    assert choice.source == "blog-post"
    assert choice.scores["blog-post"] >= 0.7


@pytest.mark.parametrize("path", OTHER_SEEDS, ids=lambda path: path.stem)
def test_other_seeds_are_not_blog_posts(path: Path, all_plugins: Plugins) -> None:
    assert all_plugins.sources["blog-post"].detect(document(path)) <= 0.3


def test_a_post_with_bad_yaml_is_still_a_post(all_plugins: Plugins) -> None:
    post = document(CASES / "bad-yaml.md")
    assert post.front_matter.warning is not None
    assert choose_source(post, all_plugins.sources).source == "blog-post"


def test_every_linked_heading_of_the_seed_is_an_item(seed: ParseResult) -> None:
    assert len(seed.items) == 21
    assert [found.line for found in seed.items[:3]] == [38, 42, 48]
    assert seed.unlinked == []


def test_the_front_matter_is_metadata_and_every_items_default(seed: ParseResult) -> None:
    assert seed.title == "Language Model Resources"
    assert seed.metadata["categories"] == ["Blog", "Resources Directory"]
    assert len(seed.metadata["tags"]) == 20
    for found in seed.items:
        assert found.categories == ["Blog", "Resources Directory"]
        assert found.tags == seed.metadata["tags"]


def test_bullets_are_the_description_and_their_links_are_related(seed: ParseResult) -> None:
    software = item(seed, "Software 2.0")
    assert software.url == "https://karpathy.medium.com/software-2-0-a64152b37c35"
    assert software.section == "LMs Impact on Programming Paradigms"
    assert software.description is not None
    assert software.description.startswith("This sensational article written by Andrej Karpathy")
    assert "Software 1.0 : Programmers write explicit instructions in code." in (
        software.description
    )
    assert software.description.endswith("1 hour video Intro to Large Language Models")
    assert [(link.title, link.url) for link in software.related] == [
        ("Intro to Large Language Models", "https://www.youtube.com/watch?v=zjkBMFhNj_g")
    ]
    state = item(seed, "State of AI Report 2023")
    assert [link.url for link in state.related] == [
        "https://nathanbenaich.substack.com/",
        "https://bleedingedge.ai/",
    ]


def test_a_link_in_a_description_is_not_an_item(seed: ParseResult) -> None:
    urls = [found.url for found in seed.items]
    assert "https://www.youtube.com/watch?v=zjkBMFhNj_g" not in urls
    assert "https://arxiv.org/pdf/1706.03762" not in urls


def test_nested_bullets_and_quotes_join_the_description(seed: ParseResult) -> None:
    assert item(seed, "Scaling ChatGPT: Five Real-World Engineering Challenges").description == (
        "The (scaling) challenges discussed within: KV Cache & GPU RAM; Optimizing batch size; "
        "Finding the right metrics to measure; Finding GPUs wherever they are; "
        "Inability to autoscale"
    )
    failures = item(seed, "LLM failure archive (ChatGPT and beyond)").description
    assert failures is not None
    assert failures.startswith("An interesting and useful GitHub. From the README: A repo ")
    assert failures.endswith(
        "useful for: comparison with other models; creation of synthetic "
        "data for testing and/or training"
    )


def test_spacers_images_and_heading_marks_leave_no_junk(seed: ParseResult) -> None:
    assert item(seed, "What We Know About LLMs (Primer)").description is None
    rise = item(seed, "The Rise and Rise of A.I. Large Language Models")
    assert rise.description is not None
    assert rise.description.startswith("Very cool chart visualizing data")
    assert "(Almost) Everything I know about LLMs" in [found.title for found in seed.items]
    for found in seed.items:
        assert "Table of contents" not in (found.description or "")
        assert "diagram:" not in (found.description or "")


def test_prose_outside_items_keeps_its_links(seed: ParseResult) -> None:
    assert [(link.text, link.line) for link in seed.links] == [("directory", 30)]


def test_no_link_of_the_seed_is_lost(seed: ParseResult) -> None:
    found: set[str] = set()
    for listed in seed.items:
        found.add(listed.url)
        found.update(link.url for link in listed.related)
    found.update(link.url for link in seed.links)
    assert web_links(SEED.read_text(encoding="utf-8")) <= found


@pytest.mark.parametrize(
    ("front_matter", "categories", "tags"),
    [
        ({"categories": ["Blog", "AI"], "tags": ["a b", 2024]}, ["Blog", "AI"], ["a b", "2024"]),
        (
            {"categories": "Blog Links", "tags": "rag, vector search"},
            ["Blog", "Links"],
            ["rag", "vector search"],
        ),
        ({"category": "Deep Learning", "tag": "llm"}, ["Deep Learning"], ["llm"]),
        ({"tags": {"not": "a list"}}, [], []),
    ],
)
def test_categories_and_tags_are_read_as_jekyll_reads_them(
    front_matter: dict[str, Any], categories: list[str], tags: list[str]
) -> None:
    assert front_matter_terms(front_matter, "categories", "category") == categories
    assert front_matter_terms(front_matter, "tags", "tag") == tags

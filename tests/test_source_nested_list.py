"""The nested-list source on the learn-LLMs seed: detection against the other seeds, sections from
parent items, markers as tags, and sub-bullets read as descriptions."""

from __future__ import annotations

from pathlib import Path

import pytest

from awesomerge.detect import choose_source
from awesomerge.document import Document
from awesomerge.markdown import Block, Link, ListItem, TableRow
from awesomerge.models import Item, ParseResult
from awesomerge.plugins import Plugins, load_plugins
from awesomerge.reading import InputFile, read_document

from .conftest import DATA, INPUTS, SEEDS

SEED = INPUTS / "learn-llms-nested-list.md"
OWN_STYLE = DATA / "sources" / "nested-list" / "study-plan.md"


def read(path: Path) -> Document:
    return read_document(InputFile(path, path.name))


@pytest.fixture(scope="module")
def builtin() -> Plugins:
    return load_plugins(entry_points=False)


@pytest.fixture(scope="module")
def seed(builtin: Plugins) -> ParseResult:
    return builtin.sources["nested-list"].parse(read(SEED))


def item_at(result: ParseResult, line: int) -> Item:
    (item,) = [item for item in result.items if item.line == line]
    return item


@pytest.mark.parametrize("path", [SEED, OWN_STYLE], ids=lambda path: path.stem)
def test_built_in_plugins_choose_nested_list(path: Path, builtin: Plugins) -> None:
    choice = choose_source(read(path), builtin.sources)
    assert choice.source == "nested-list"
    assert choice.scores["nested-list"] >= 0.7


@pytest.mark.parametrize("path", [seed for seed in SEEDS if seed != SEED], ids=lambda p: p.stem)
def test_other_seeds_score_low(path: Path, builtin: Plugins) -> None:
    assert builtin.sources["nested-list"].detect(read(path)) <= 0.3


def test_label_parents_are_sections_at_every_depth(seed: ParseResult) -> None:
    # A label under a linked item (depth 1), and a label under a label (depth 0, then 1).
    assert item_at(seed, 19).section == "Learn LLM > Transformers from Scratch"
    assert item_at(seed, 26).title == "Primers • Transformers - Excellent Primer from Aman"
    assert item_at(seed, 26).section == "Learn LLM > Aman Primers - Excellent"
    assert item_at(seed, 45).section == "Learn LLM > Context Length"
    assert item_at(seed, 80).section == "Generating dataset"
    assert item_at(seed, 87).section == "Financial LLMs > FinGPT"
    assert item_at(seed, 102).section == "Financial Datasets > FinQA - May 2022"
    labels = {"Transformers from Scratch", "Aman Primers - Excellent", "Generating dataset"}
    assert labels.isdisjoint(unlinked.text for unlinked in seed.unlinked)


def test_linked_parents_are_items_and_sections(seed: ParseResult) -> None:
    learn = item_at(seed, 14)
    assert (learn.title, learn.section) == ("Learn LLM", None)
    assert item_at(seed, 15).section == "Learn LLM"
    assert item_at(seed, 62).section == "LLM Ecosystem & Evaluation"
    harness = item_at(seed, 63)
    assert harness.title == "EleutherAI - LM Evaluation Harness"
    assert harness.section == "LLM Ecosystem & Evaluation > LLM Evaluation"


def test_markers_become_tags_and_leave_the_text(seed: ParseResult) -> None:
    assert item_at(seed, 16).tags == ["read this"]
    assert item_at(seed, 16).title == "Catching up on the weird world of LLMs"
    assert item_at(seed, 21).tags == ["super"]
    assert item_at(seed, 24).tags == ["super resources"]
    assert item_at(seed, 40).tags == ["super"]
    assert item_at(seed, 43).tags == []
    for item in seed.items:
        text = f"{item.title} {item.description or ''}"
        assert "READ THIS" not in text and "SUPER" not in text and "*" not in text


def test_sub_bullets_describe_their_parent(seed: ParseResult) -> None:
    alpaca = item_at(seed, 98)
    assert alpaca.description is not None
    assert alpaca.description.startswith("combination of Stanford's Alpaca")
    assert alpaca.description.endswith("; 68.9k")
    assert [link.url for link in alpaca.related] == [
        "https://github.com/tatsu-lab/stanford_alpaca",
        "https://sites.google.com/view/fiqa/",
    ]
    camels = item_at(seed, 82)
    assert camels.description is not None and camels.description.startswith("We introduce Tülu")
    pacific = item_at(seed, 112)
    assert [link.url for link in pacific.related] == [
        "https://github.com/dengyang17/PACIFIC/",
        "https://github.com/dengyang17/PACIFIC/tree/main/data",
    ]


def test_generic_titles_take_their_parents_name(seed: ParseResult) -> None:
    assert item_at(seed, 87).title == "FinGPT paper"
    assert item_at(seed, 87).written_title == "paper"
    assert item_at(seed, 91).title == "PIXIU code"


def test_numbered_paragraph_is_an_item_and_prose_stays_prose(seed: ParseResult) -> None:
    assert item_at(seed, 95).title == "Closed Domain QA"
    assert [link.line for link in seed.links] == [1]
    top = [unlinked for unlinked in seed.unlinked if unlinked.section is None]
    assert [unlinked.line for unlinked in top] == [2, 3, 4, 5]
    assert [unlinked.line for unlinked in seed.unlinked if unlinked.section == "Hardware"] == [
        118,
        119,
    ]


def test_every_web_link_of_the_seed_is_kept(seed: ParseResult) -> None:
    tree = read(SEED).markdown
    written = {link.url for block in tree.blocks for link in block_links(block)}
    kept = {item.url for item in seed.items}
    kept |= {link.url for item in seed.items for link in item.related}
    kept |= {link.url for link in seed.links}
    assert len(written) > 70
    assert written - kept == set()


def block_links(block: Block) -> tuple[Link, ...]:
    if isinstance(block, ListItem | TableRow):
        return block.web_links
    return block.inline.web_links

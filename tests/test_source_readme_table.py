"""The readme-table source on its seed (checked against a reading of the seed by hand), on a
README of another style, and its detection against the other seeds."""

from __future__ import annotations

from pathlib import Path

import pytest

from awesomerge.detect import choose_source
from awesomerge.document import Document
from awesomerge.models import Item, ParseResult
from awesomerge.plugins import Plugins, load_plugins
from awesomerge.reading import InputFile, read_document
from awesomerge.sources.readme_table import column_role

from .conftest import DATA, INPUTS, SEEDS
from .linkcheck import web_links

SEED = INPUTS / "awesome-llm-notes-tables.md"
OWN_STYLE = DATA / "sources" / "readme-table" / "open-model-catalogue.md"
BY_NAME = "Known LLM models classified by name"


def document(path: Path) -> Document:
    return read_document(InputFile(path, path.name))


@pytest.fixture(scope="module")
def builtin() -> Plugins:
    return load_plugins(entry_points=False)


@pytest.fixture(scope="module")
def seed(builtin: Plugins) -> ParseResult:
    return builtin.sources["readme-table"].parse(document(SEED))


def item_at(result: ParseResult, line: int, url: str) -> Item:
    [item] = [item for item in result.items if item.line == line and item.url == url]
    return item


@pytest.mark.parametrize("path", [SEED, OWN_STYLE], ids=lambda path: path.stem)
def test_readme_table_is_chosen_for_readmes_with_tables(path: Path, builtin: Plugins) -> None:
    choice = choose_source(document(path), builtin.sources)
    assert choice.source == "readme-table"
    assert choice.scores["readme-table"] >= 0.7


@pytest.mark.parametrize("path", [seed for seed in SEEDS if seed != SEED], ids=lambda p: p.stem)
def test_other_seeds_score_low(path: Path, builtin: Plugins) -> None:
    assert builtin.sources["readme-table"].detect(document(path)) <= 0.3


def test_counts_on_the_seed(seed: ParseResult) -> None:
    assert seed.title == "Awesome-LLM-Large-Language-Models-Notes"
    assert len(seed.items) == 102
    assert len(seed.unlinked) == 42
    assert sum(1 for item in seed.items if item.year) == 23
    assert sum(len(item.related) for item in seed.items) == 4
    assert seed.links == []


def test_a_table_row_gives_year_description_and_implementation_links(seed: ParseResult) -> None:
    transformer = item_at(seed, 9, "https://arxiv.org/abs/1706.03762")
    assert transformer.title == "Attention is All you Need"
    assert transformer.year == 2017
    assert transformer.description == (
        "Transformer: The focus of the original research was on translation tasks."
    )
    assert [link.url for link in transformer.related] == [
        "https://github.com/edumunozsala/Transformer-NMT",
        "https://towardsdatascience.com/attention-is-all-you-need-discovering-the-transformer-paper-73e5ff5e0634",
    ]
    bert = item_at(seed, 11, "https://arxiv.org/abs/1810.04805")
    assert (bert.year, [link.title for link in bert.related]) == (2018, ["PyTorch"])
    gpt4 = item_at(seed, 27, "https://cdn.openai.com/papers/gpt-4.pdf")
    assert (gpt4.year, gpt4.related) == (2023, [])
    implementations = {link.url for item in seed.items for link in item.related}
    assert not implementations & {item.url for item in seed.items if 9 <= item.line <= 28}


def test_placeholder_cells_are_not_text(seed: ParseResult) -> None:
    texts = [item.description or "" for item in seed.items] + [row.text for row in seed.unlinked]
    assert not [text for text in texts if ":-:" in text]


def test_size_table_cells_are_labelled(seed: ParseResult) -> None:
    falcon = item_at(seed, 39, "https://falconllm.tii.ae/")
    assert falcon.title == "Falcon40B"
    assert falcon.description == (
        "Size (# Parameters): 40B; Training Tokens: 1T; Training data: 1,000B tokens of RefinedWeb"
    )


def test_the_index_gives_one_item_per_link_and_one_unlinked_per_name(seed: ParseResult) -> None:
    linked = [item.title for item in seed.items if item.section == BY_NAME]
    assert len(linked) == 23
    assert linked[:5] == ["ALBERT", "Alpaca", "BART", "BERT", "Big Bird"]
    names = [row.text for row in seed.unlinked if row.section == BY_NAME]
    assert len(names) == 32
    assert {"BLOOM", "CLIP", "DALL-E-2", "Wu Dao 2.0", "Turing-NLG"} <= set(names)
    assert not [name for name in names if "|" in name]
    legend = [row.text for row in seed.unlinked if row.line == 41]
    assert legend == ["M=Million | B=billion | T=Trillion"]


def test_rows_without_links_are_unlinked(seed: ParseResult) -> None:
    rows = [row for row in seed.unlinked if row.section == "Classification by architecture"]
    assert [row.line for row in rows] == [70, 71, 72]
    assert rows[2].text.startswith("Encoder-Decoder, aka sequence-to-sequence Transformer models")


def test_plain_bullets_read_as_a_list(seed: ParseResult) -> None:
    parts = [item.title for item in seed.items if item.line == 102]
    assert parts == [f"4-part tutorial on how transformers work: Part {n}" for n in range(1, 5)]
    written = [item.written_title for item in seed.items if item.line == 102]
    assert written == [f"Part {n}" for n in range(1, 5)]
    paper = item_at(seed, 81, "https://arxiv.org/abs/1409.0473")
    assert (paper.title, paper.year) == (
        "Neural Machine Translation by Jointly Learning to Align and Translate",
        2014,
    )
    assert paper.written_title == (
        "2014 | Neural Machine Translation by Jointly Learning to Align and Translate"
    )
    wolfram = [item for item in seed.items if item.line == 120]
    assert [item.title for item in wolfram] == ["ChatGPT and Wolfram|Alpha"]


def test_no_link_of_the_seed_is_lost(seed: ParseResult) -> None:
    found = {item.url for item in seed.items}
    found |= {link.url for item in seed.items for link in item.related}
    found |= {link.url for link in seed.links}
    assert sorted(web_links(SEED.read_text(encoding="utf-8")) - found) == []


@pytest.mark.parametrize(
    ("header", "role"),
    [
        ("Year", "year"),
        ("Released", "year"),
        ("Release date", "year"),
        ("Implementation", "related"),
        ("Code/Repo", "related"),
        ("Info", "about"),
        ("NOTES", "about"),
        ("Model name", "name"),
        ("Paper", "other"),
        ("Size (# Parameters)", "other"),
    ],
)
def test_columns_are_known_by_name_or_synonym(header: str, role: str) -> None:
    assert column_role(header) == role

"""The gist source on the llm-primer gist and on a gist of another style: it is chosen for both,
its legend tags items even where the marker is mojibake that could not be repaired, bold names
become authors, nested items keep their parent as context, and no link is lost."""

from __future__ import annotations

from pathlib import Path

import pytest

from awesomerge.detect import choose_source
from awesomerge.document import Document
from awesomerge.markdown import ListItem, Paragraph
from awesomerge.models import Item, ParseResult, RelatedLink
from awesomerge.plugins import load_plugins
from awesomerge.reading import InputFile, read_document
from awesomerge.sources.gist import (
    GistSource,
    legend_pairs,
    repaired_marker,
    split_authors,
)

from .conftest import DATA, INPUTS, SEEDS

SEED = INPUTS / "llm-primer-gist.md"
OWN_STYLE = DATA / "sources" / "gist" / "rag-reading-list.md"
MARK_CHEN = "https://www.youtube.com/watch?v=qGkzHFllWDY"


def document(path: Path) -> Document:
    """The file as the pipeline hands it to sources: decoded and mojibake-repaired."""
    return read_document(InputFile(path, path.name))


@pytest.fixture(scope="module")
def seed() -> ParseResult:
    return GistSource().parse(document(SEED))


@pytest.fixture(scope="module")
def by_line(seed: ParseResult) -> dict[int, Item]:
    return {item.line: item for item in seed.items}


@pytest.mark.parametrize("path", [SEED, OWN_STYLE], ids=lambda path: path.name)
def test_chosen_among_all_built_in_sources(path: Path) -> None:
    sources = load_plugins(entry_points=False).sources
    choice = choose_source(document(path), sources)
    assert choice.source == "gist"
    assert choice.scores["gist"] >= 0.9


@pytest.mark.parametrize(
    "path", [seed for seed in SEEDS if seed != SEED], ids=lambda path: path.name
)
def test_other_seeds_score_low(path: Path) -> None:
    assert GistSource().detect(document(path)) <= 0.3


def test_seed_counts(seed: ParseResult) -> None:
    assert seed.title == "LLM"
    assert len(seed.items) == 81
    assert sum(bool(item.authors) for item in seed.items) == 54
    assert sum(item.year is not None for item in seed.items) == 3
    assert sum("long" in item.tags for item in seed.items) == 10
    assert seed.unlinked == []
    assert seed.links == []


def test_legend_is_metadata_and_not_items(seed: ParseResult) -> None:
    assert seed.metadata["legend"] == {
        "🟢": "easy",
        "🟠": "medium",
        "🔴": "hard",
        "ğŸ•°ï¸": "long",  # as the document writes it: a byte of 🕰️ was lost
        "🙉": "low quality audio",
    }
    assert not [item for item in seed.items if item.line in (19, 20)]


def test_markers_give_tags_also_where_mojibake_stayed(by_line: dict[int, Item]) -> None:
    assert by_line[24].tags == ["easy", "long"]  # ğŸŸ¢ğŸ•°ï¸ left unrepaired
    assert by_line[27].tags == ["long"]
    assert by_line[29].tags == ["easy"]  # 🟢 repaired
    assert by_line[33].tags == ["medium", "long"]  # ğŸŸ\xa0: a no-break space inside
    assert by_line[34].tags == ["hard", "long"]
    assert by_line[39].tags == ["easy", "long", "low quality audio"]  # 🟢🕰ï¸ğŸ™‰
    assert by_line[60].tags == []


def test_markers_outside_the_legend(by_line: dict[int, Item]) -> None:
    assert by_line[38].tags == ["🔥"]
    assert by_line[73].tags == ["GPT-1"]  # 1️⃣ numbers the list: not a tag
    assert by_line[40].tags == ["GPT-1"]


def test_bold_names_before_the_link_are_authors(by_line: dict[int, Item]) -> None:
    assert by_line[25].authors == ["Andrej Karpathy"]
    assert by_line[51].authors == ["Sasha Rush", "others"]
    # The publisher named beside the person is the venue, as in every other shape: Cohere
    # publishes docs.cohere.com, and Daily Nous is the blog of dailynous.com.
    assert (by_line[59].authors, by_line[59].venue) == (["Jay Alammar"], "Cohere")
    assert (by_line[82].authors, by_line[82].venue) == (["Justin Weinberg"], "Daily Nous")
    assert by_line[76].authors == ["Kaplan", "others"]  # not Gwern Branwen, named after the link
    assert by_line[76].related == [
        RelatedLink(
            title="The Scaling Hypothesis", url="https://gwern.net/scaling-hypothesis", role="link"
        )
    ]


def test_year_in_parentheses_leaves_the_title(by_line: dict[int, Item]) -> None:
    assert (by_line[73].title, by_line[73].year) == (
        "Improving Language Understanding by Generative Pre-Training",
        2018,
    )
    assert (by_line[74].title, by_line[74].year) == (
        "Language Models are Unsupervised Multitask Learners",
        2019,
    )
    assert by_line[73].written_title == (
        "Improving Language Understanding by Generative Pre-Training (2018)"
    )
    assert (by_line[81].title, by_line[81].year) == ("The Last Question", 1956)


def test_nested_items_keep_their_parent_as_context(by_line: dict[int, Item]) -> None:
    parent = RelatedLink(
        title="Transformers in Language: The development of GPT Models including GPT3",
        url=MARK_CHEN,
    )
    for line in (40, 41, 42):
        assert by_line[line].related[0] == parent
        assert by_line[line].section == "Purpose > Youtube Lessons"
    assert by_line[40].authors == ["Liu", "others"]
    assert by_line[41].url.endswith("language_models_are_unsupervised_multitask_learners.pdf")
    assert [link.url for link in by_line[41].related[1:]] == [
        "https://github.com/openai/gpt-2",
        "https://openai.com/research/better-language-models",
        "https://www.fermatslibrary.com/s/language-models-are-unsupervised-multitask-learners",
    ]
    assert by_line[53].related[0].url == "https://jalammar.github.io/illustrated-transformer/"


def test_bare_url_bullets(by_line: dict[int, Item]) -> None:
    marvin = by_line[101]
    assert (marvin.url, marvin.title, marvin.description) == (
        "https://github.com/PrefectHQ/marvin",
        "https://github.com/PrefectHQ/marvin",
        "implement entire python functions just by describing them in a comment",
    )
    assert by_line[123].description is None
    assert by_line[123].related[0].url == (
        "https://matt-rickard.com/context-free-grammar-parsing-with-llms"
    )
    assert by_line[128].title.startswith("Not what you've signed up for")
    assert by_line[128].authors == []


def test_seed_loses_no_link(seed: ParseResult) -> None:
    tree = document(SEED).markdown
    written = {link.url for item in tree.of_type(ListItem) for link in item.web_links}
    written |= {link.url for text in tree.of_type(Paragraph) for link in text.inline.web_links}
    found = {item.url for item in seed.items} | {link.url for link in seed.links}
    found |= {link.url for item in seed.items for link in item.related}
    assert written == found


def test_broken_markers_are_matched_by_their_repaired_emoji() -> None:
    assert repaired_marker("ğŸ•°ï¸") == repaired_marker("🕰️") == "🕰"
    assert repaired_marker("ğŸŸ¢") == "🟢"
    assert repaired_marker("1ï¸âƒ£") == "1\u20e3"


def test_legend_lines() -> None:
    assert legend_pairs("⭐ = must read; 📹: video") == {"⭐": "must read", "📹": "video"}
    assert legend_pairs("🙉 = bad audio, sorry") == {"🙉": "bad audio, sorry"}
    assert legend_pairs("Items are roughly in order") == {}
    assert legend_pairs("ğŸŸ¢ = easy, ğŸŸ\xa0 = medium") == {"ğŸŸ¢": "easy", "ğŸŸ\xa0": "medium"}


def test_author_names() -> None:
    assert split_authors("Kelvin Guu, Kenton Lee & Zora Tung") == [
        "Kelvin Guu",
        "Kenton Lee",
        "Zora Tung",
    ]
    assert split_authors("Chris Olah et. al.") == ["Chris Olah", "others"]

"""One README item: no made-up description, no sentence that points elsewhere in its list, a
long description cut after a sentence, and a title that names the resource, never a bare URL
or a link label."""

from __future__ import annotations

from pathlib import Path

import pytest

from awesomerge.api import Collection
from awesomerge.models import Dataset, Entry, Occurrence, SourceRecord
from awesomerge.outputs.readme_items import MAX_DESCRIPTION, entry_item, readable_description
from awesomerge.outputs.readme_output import ReadmeOutput
from awesomerge.outputs.shown_titles import says_nothing, url_title

from .test_output_readme import awesome_lint


def entry(
    url: str,
    title: str,
    description: str | None = None,
    *written: str,
    **fields: object,
) -> Entry:
    occurrences = [
        Occurrence(source="s", url=url, title=text, section="Tools", line=line)
        for line, text in enumerate(written or (title,), start=1)
    ]
    return Entry.model_validate(
        {"id": url, "url": url, "title": title, "description": description, "kind": "article"}
        | {"occurrences": occurrences}
        | fields
    )


def test_an_entry_without_a_description_has_none() -> None:
    assert entry_item(entry("https://a.example/", "Plain")) == "- [Plain](https://a.example/)"
    paper = entry("https://arxiv.org/abs/1706.03762", "Attention Is All You Need", kind="paper")
    assert entry_item(paper) == "- [Attention Is All You Need](https://arxiv.org/abs/1706.03762)"
    dated = entry("https://a.example/d", "Dated", authors=["Ada Lovelace"], year=1843)
    assert entry_item(dated) == "- [Dated](https://a.example/d) - *Ada Lovelace, 1843.*"


@pytest.mark.parametrize(
    ("written", "kept"),
    [
        ("Companion video above.", ""),
        ("Companion video lecture above.", ""),
        ("Great intro. See the previous entry for the code.", "Great intro."),
        ("As mentioned above, the best primer.", ""),
        ("Same as above.", ""),
        ("Slides for the talk below.", ""),
        ("The following paper explains it.", ""),
        ("Ditto.", ""),
        ("Un bon résumé. Voir ci-dessus.", "Un bon résumé."),
        ("Gute Einführung, siehe oben.", ""),
        ("Buena guía. Ver arriba.", "Buena guía."),
        ("Хороший обзор, см. выше.", ""),
        ("同上。", ""),
        ("很好的教程。见上。", "很好的教程。"),
        # Words that only look like it.
        ("Performs above human level on reading.", "Performs above human level on reading."),
        ("Explains what comes next in training.", "Explains what comes next in training."),
        ("An article below the chart tells it.", "An article below the chart tells it."),
        ("とても良い。上記参照。", "とても良い。"),
    ],
)  # fmt: skip
def test_sentences_that_point_elsewhere_in_their_list_are_dropped(written: str, kept: str) -> None:
    assert readable_description(written) == kept


def test_a_long_description_is_cut_after_a_whole_sentence() -> None:
    first = "A first sentence of some length, about the widget and its many uses in widgetry."
    second = "A second sentence that says more about how the widget was built and shipped."
    third = "A third one, which would carry the text past the limit of the README, is left out, "
    third += "however short the fourth one is, and however well it would have read there."
    fourth = "And a fourth."
    text = " ".join((first, second, third, fourth))
    assert len(f"{first} {second} {third}") > MAX_DESCRIPTION >= len(f"{first} {second}")
    assert readable_description(text) == f"{first} {second}"
    # Abbreviations do not end a sentence.
    assert readable_description("Uses e.g. widgets. Ends here.") == "Uses e.g. widgets. Ends here."
    # One sentence longer than the limit: cut after a word, with an ellipsis.
    long = "word " * 100
    cut = readable_description(long)
    assert cut.endswith("word…") and len(cut) <= MAX_DESCRIPTION


@pytest.mark.parametrize(
    ("url", "identifiers", "title"),
    [
        ("https://github.com/sw-yx/ai-notes/tree/main", {"github": "sw-yx/ai-notes"},
         "sw-yx/ai-notes"),
        ("https://github.com/densmirnov/git2gpt/commits/main", {}, "densmirnov/git2gpt"),
        ("https://arxiv.org/abs/2005.14165", {"arxiv": "2005.14165"}, "arXiv:2005.14165"),
        ("https://doi.org/10.1145/3442188.3445922", {"doi": "10.1145/3442188.3445922"},
         "doi:10.1145/3442188.3445922"),
        ("https://www.youtube.com/watch?v=aircAruvnKk", {"youtube": "aircAruvnKk"},
         "YouTube video aircAruvnKk"),
        ("https://twitter.com/goodside/status/1598874674204618753?lang=en", {},
         "Post by @goodside on Twitter"),
        ("https://gist.github.com/rain-1/eebd5e5eb2784feecf450324e3341c8d", {}, "Gist by rain-1"),
        ("https://www.reddit.com/r/LocalLLaMA/comments/13j3747/tutorial_a_simple_way/", {},
         "Tutorial a simple way (reddit.com)"),
        ("https://medium.com/syncedreview/ai-deciphers-tablets-afc69af3f244", {},
         "Ai deciphers tablets (medium.com)"),
        ("https://jaykmody.com/blog/gpt-from-scratch.html", {}, "Gpt from scratch (jaykmody.com)"),
        ("https://www.3blue1brown.com/topics/neural-networks", {},
         "Neural networks (3blue1brown.com)"),
        ("https://llm-attacks.org/", {}, "llm-attacks.org"),
        ("https://www.infoq.cn/article/xIX9lekuuLcXewc5iphF", {}, "infoq.cn"),
        ("ftp://files.example/x", {}, ""),
    ],
)  # fmt: skip
def test_a_title_made_from_a_url(url: str, identifiers: dict[str, str], title: str) -> None:
    assert url_title(url, identifiers) == title


def test_a_bare_url_or_label_is_never_the_title_when_a_better_one_exists() -> None:
    assert says_nothing("https://github.com/PrefectHQ/marvin")
    assert says_nothing("www.example.com")
    assert says_nothing("example.com/path")
    assert says_nothing("here") and says_nothing("[pdf]") and says_nothing("Paper")
    assert not says_nothing("Socket.io") and not says_nothing("f/awesome-chatgpt-prompts")
    # Another occurrence's title, then the URL's.
    url = "https://github.com/PrefectHQ/marvin"
    other = entry(url, url, None, url, "Marvin: build AI functions", identifiers={})
    assert entry_item(other).startswith("- [Marvin: build AI functions](")
    bare = entry(url, url, None, url, identifiers={"github": "PrefectHQ/marvin"})
    assert entry_item(bare) == f"- [PrefectHQ/marvin]({url})"
    label = entry("https://www.youtube.com/watch?v=x1", "here", identifiers={"youtube": "x1"})
    assert entry_item(label).startswith("- [YouTube video x1](")
    # The dataset names an item of labels only by its heading: not when the heading is "References".
    heading = entry("https://www.youtube.com/watch?v=x2", "References here", None, "here",
                    identifiers={"youtube": "x2"})  # fmt: skip
    assert entry_item(heading).startswith("- [YouTube video x2](")
    topical = entry("https://a.example/t", "Tokenizers here", None, "here")
    assert entry_item(topical).startswith("- [Tokenizers here](")


def test_a_description_that_repeats_the_title_loses_the_title() -> None:
    foundry = entry("https://f.example/", "Foundry", "Foundry is a blazing fast toolkit.")
    assert entry_item(foundry) == "- [Foundry](https://f.example/) - A blazing fast toolkit."
    learn = entry("https://l.example/", "Learn Docker", "Learn Docker - curated list of courses")
    assert entry_item(learn) == "- [Learn Docker](https://l.example/) - Curated list of courses."
    brave = entry("https://b.example/", "Brave", "Brave browser for desktops.", kind="website")
    assert (
        entry_item(brave) == "- [Brave](https://b.example/) - Website: Brave browser for desktops."
    )


def test_every_shape_of_item_passes_awesome_lint(tmp_path: Path) -> None:
    entries = [
        entry("https://a.example/1", "No description"),
        entry("https://a.example/2", "Byline only", authors=["Ada Lovelace"], year=1843),
        entry("https://a.example/3", "Context", "Companion video above."),
        entry("https://github.com/o/r", "https://github.com/o/r", identifiers={"github": "o/r"}),
        entry("https://a.example/5", "here"),
        entry("https://a.example/6", "Long", "A sentence of words. " * 30),
        entry("https://a.example/7", "Foundry", "Foundry is a toolkit"),
        entry("https://a.example/8", "Jay Mody", None, authors=["Jay Mody"]),
        entry(
            "https://a.example/9",
            "Related only",
            related=[{"title": "code", "url": "https://a.example/code"}],
        ),
    ]
    source = SourceRecord(id="s", path="s.md", format="markdown", title="S", sha256="0" * 64)
    text = ReadmeOutput().render(Collection(Dataset(sources=[source], entries=entries)))
    status, errors, warnings = awesome_lint(tmp_path / "shapes", text)
    assert (status, errors) == (0, []), text
    assert set(warnings) <= {"awesome-spell-check"}
    # The one whose byline would repeat its title keeps a kind in front of it.
    assert "- [Jay Mody](https://a.example/8) - Article: *Jay Mody.*" in text.splitlines()


def test_every_context_pattern_names_one_of_the_words_that_let_it_be_tried() -> None:
    import tomllib
    from importlib import resources

    text = resources.files("awesomerge.outputs").joinpath("readme.toml").read_text("utf-8")
    descriptions = tomllib.loads(text)["descriptions"]
    for pattern in descriptions["context_bound"]:
        assert any(word in pattern for word in descriptions["context_words"]), pattern


def test_a_closing_quote_after_a_letter_is_no_apostrophe(tmp_path: Path) -> None:
    """Found in the corpus: "(^･o･^)ﾉ”." has a closing quote that no opening one pairs."""
    faces = entry("https://github.com/m/cat-ascii-faces", "cat-ascii-faces", "(=ↀωↀ=)✧ (^･o･^)ﾉ”.")
    source = SourceRecord(id="s", path="s.md", format="markdown", title="S", sha256="0" * 64)
    text = ReadmeOutput().render(Collection(Dataset(sources=[source], entries=[faces])))
    assert "ﾉ`”`." in text
    status, errors, _ = awesome_lint(tmp_path / "faces", text)
    assert (status, errors) == (0, [])

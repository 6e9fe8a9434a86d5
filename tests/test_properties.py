"""Properties that hold for every input: no crash, nothing lost, same input gives same result."""

from __future__ import annotations

import string

from hypothesis import given, settings
from hypothesis import strategies as st

from awesomerge.document import Document
from awesomerge.markdown import parse_markdown
from awesomerge.models import ParseResult
from awesomerge.sources.markdown_source import MarkdownSource

WORDS = st.text(string.ascii_letters + " -:'", min_size=1, max_size=30).map(str.strip).filter(bool)
URLS = st.builds(
    "https://{}.example/{}".format,
    st.text(string.ascii_lowercase, min_size=1, max_size=8),
    st.text(string.ascii_letters + string.digits + "-_/", max_size=20),
)


@st.composite
def linked(draw: st.DrawFn) -> tuple[str, list[str]]:
    """Text holding one or more links, written as Markdown links or bare URLs, and the URL of
    each as a reader follows it: a bare URL ends before a trailing "_", as GitHub links it."""
    urls = draw(st.lists(URLS, min_size=1, max_size=3))
    parts = []
    followed = []
    for url in urls:
        if draw(st.booleans()):
            parts.append(f"[{draw(WORDS)}]({url})")
            followed.append(url)
        else:
            parts.append(f"{url} ")
            followed.append(url.rstrip("_"))
        parts.append(draw(WORDS))
    return " ".join(parts), followed


@st.composite
def documents(draw: st.DrawFn) -> tuple[str, list[str]]:
    """A Markdown list mixing every shape the extraction layer knows, and its URLs."""
    lines: list[str] = []
    urls: list[str] = []
    list_depth = -1  # depth of the list item just written; -1 when the last block was not one
    for _ in range(draw(st.integers(1, 12))):
        shape = draw(
            st.sampled_from(["bullet", "numbered", "table", "heading", "prose", "details", "plain"])
        )
        text, found = draw(linked())
        # Nest at most one level below the previous item: deeper is an indented code block.
        depth = (
            draw(st.integers(0, list_depth + 1)) if shape in ("bullet", "numbered", "plain") else 0
        )
        list_depth = depth if shape in ("bullet", "numbered", "plain") else -1
        indent = "    " * depth
        if shape == "bullet":
            lines.append(f"{indent}- {text}")
        elif shape == "numbered":
            lines.append(f"{indent}1. {text}")
        elif shape == "table":
            lines += ["", "| Name | Link |", "| --- | --- |", f"| {draw(WORDS)} | {text} |", ""]
        elif shape == "heading":
            lines += ["", f"## {text}", ""]
        elif shape == "prose":
            lines += ["", text, ""]
        elif shape == "details":
            lines += ["<details><summary>More</summary>", f"- {text}", "</details>", ""]
        else:
            lines.append(f"{indent}- {draw(WORDS)}")
            found = []
        urls += found
    return "\n".join(lines) + "\n", urls


def all_urls(result: ParseResult) -> set[str]:
    urls = {item.url for item in result.items}
    urls |= {link.url for item in result.items for link in item.related}
    urls |= {link.url for link in result.links}
    return urls


@settings(max_examples=300, deadline=None)
@given(documents())
def test_no_link_is_lost_whatever_the_shape(document: tuple[str, list[str]]) -> None:
    text, urls = document
    result = MarkdownSource().parse(Document("generated.md", text))
    assert set(urls) <= all_urls(result)
    lines = len(text.split("\n"))
    assert all(1 <= item.line <= lines for item in result.items)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=400))
def test_any_text_parses_without_crashing_and_the_same_way_twice(text: str) -> None:
    first = MarkdownSource().parse(Document("any.md", text))
    second = MarkdownSource().parse(Document("any.md", text))
    assert first == second
    assert parse_markdown(text) == parse_markdown(text)


MARKDOWNISH = st.lists(
    st.sampled_from(
        [
            *"<>[]()*_`#-|:!\\ \n\t1.~=&;/\"'",
            "https://a.example/b",
            "<details>",
            "</details>",
            "---\n",
            "| a | b |\n|---|---|\n",
            "    ",
            "\n\n",
            "🟢",
            "ğŸ",
            '<a href="x">',
            "</a>",
            "<!--",
            "-->",
            "**",
            "1. ",
            "- ",
        ]
    ),
    max_size=150,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(MARKDOWNISH)
def test_every_built_in_source_reads_any_markdown_without_crashing(text: str) -> None:
    from awesomerge.plugins import load_plugins

    for source in load_plugins(entry_points=False).sources.values():
        score = source.detect(Document("any.md", text))
        assert 0.0 <= score <= 1.0
        assert isinstance(source.parse(Document("any.md", text)), ParseResult)

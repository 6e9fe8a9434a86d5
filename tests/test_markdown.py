"""The shared Markdown extraction layer: every block type, section paths and line numbers."""

from __future__ import annotations

from awesomerge.markdown import (
    Heading,
    ListItem,
    Paragraph,
    TableRow,
    parse_markdown,
)


def items(text: str) -> list[ListItem]:
    return list(parse_markdown(text).of_type(ListItem))


def test_section_paths_follow_heading_levels() -> None:
    tree = parse_markdown(
        "# Title\n\n## Papers:\n\n### Old\n\n- a\n\n## Videos\n\n- b\n\n#### Deep\n\n- c\n"
    )
    assert tree.title == "Title"
    sections = [item.section for item in tree.of_type(ListItem)]
    assert sections == ["Papers > Old", "Videos", "Videos > Deep"]


def test_several_level_one_headings_are_sections_not_a_title() -> None:
    tree = parse_markdown("# One\n\n- a\n\n# Two\n\n## Sub\n\n- b\n")
    assert tree.title is None
    assert [item.section for item in tree.of_type(ListItem)] == ["One", "Two > Sub"]


def test_nested_bullets_and_numbers_at_any_depth() -> None:
    text = (
        "1. [A](https://a.example/)\n"
        "    1. Label\n"
        "       - [B](https://b.example/)\n"
        "         * [C](https://c.example/)\n"
        "2. D\n"
    )
    found = items(text)
    assert [(item.inline.plain, item.depth, item.ordered) for item in found] == [
        ("A", 0, True),
        ("Label", 1, True),
        ("B", 2, False),
        ("C", 3, False),
        ("D", 0, True),
    ]
    parents = {item.inline.plain: item.parent for item in found}
    by_index = {item.index: item.inline.plain for item in found}
    assert by_index[parents["Label"]] == "A"
    assert by_index[parents["B"]] == "Label"
    assert by_index[parents["C"]] == "B"
    assert parents["D"] is None
    assert [item.line for item in found] == [1, 2, 3, 4, 5]
    assert [item.marker for item in found] == ["1.", "1.", "-", "*", "2."]


def test_tables_give_rows_with_header_names_and_lines() -> None:
    text = (
        "## Models\n\n"
        "| Year | Name | Paper |\n"
        "| :-: | --- | --- |\n"
        "| 2017 | Transformer | [Attention](https://arxiv.org/abs/1706.03762) |\n"
        "| 2018 | GPT | |\n"
    )
    rows = list(parse_markdown(text).of_type(TableRow))
    assert [row.line for row in rows] == [5, 6]
    assert rows[0].header == ("Year", "Name", "Paper")
    assert rows[0].section == "Models"
    paper = rows[0].cell("paper")
    assert paper is not None and paper.links[0].url == "https://arxiv.org/abs/1706.03762"
    assert rows[1].web_links == ()


def test_a_heading_whose_text_is_a_link() -> None:
    tree = parse_markdown("# Top\n\n# Section:\n## [Software 2.0](https://example.org/s2)\n")
    heading = next(block for block in tree.of_type(Heading) if block.level == 2)
    assert heading.inline.web_links[0].url == "https://example.org/s2"
    assert heading.section == "Section"
    assert heading.path == "Section > Software 2.0"
    assert heading.line == 4


def test_links_inside_item_text_keep_their_order_and_offsets() -> None:
    (item,) = items(
        "- **Kaplan** [Scaling Laws](https://arxiv.org/abs/2001.08361) see also "
        "[The Scaling Hypothesis](https://gwern.net/scaling-hypothesis) and https://x.example/y.\n"
    )
    inline = item.inline
    assert [link.url for link in inline.web_links] == [
        "https://arxiv.org/abs/2001.08361",
        "https://gwern.net/scaling-hypothesis",
        "https://x.example/y",
    ]
    first = inline.web_links[0]
    assert inline.before(first) == "Kaplan"
    assert inline.text[first.start : first.end] == "Scaling Laws"
    assert inline.strong_texts() == ["Kaplan"]
    assert inline.web_links[2].kind == "bare"


def test_bare_urls_need_a_scheme_and_lose_trailing_punctuation() -> None:
    (item,) = items(
        "- https://github.com/PrefectHQ/marvin - see github.com too (https://a.example/b).\n"
    )
    assert [link.url for link in item.inline.web_links] == [
        "https://github.com/PrefectHQ/marvin",
        "https://a.example/b",
    ]


def test_urls_are_kept_as_written() -> None:
    url = "https://www.mosaicml.com/blog/gpt-3-quality-for-500k#:~:text=The%20bottom%20line%3A"
    (item,) = items(f"- [Mosaic]({url})\n- [Tübingen](https://de.example/Tübingen_(Stadt))\n")[:1]
    assert item.inline.links[0].url == url
    second = items(f"- [x]({url})\n- [Tübingen](https://de.example/Tübingen_(Stadt))\n")[1]
    assert second.inline.links[0].url == "https://de.example/Tübingen_(Stadt)"


def test_lists_inside_details_without_blank_lines() -> None:
    text = (
        "## Refs\n"
        "<details><summary>All references</summary>\n"
        "- [One](https://one.example/)\n"
        '- <a href="https://two.example/">Two</a>\n'
        "</details>\n"
    )
    found = items(text)
    assert [(item.inline.plain, item.line, item.section) for item in found] == [
        ("One", 3, "Refs"),
        ("Two", 4, "Refs"),
    ]
    assert found[1].inline.links[0].url == "https://two.example/"


def test_lists_inside_details_with_blank_lines() -> None:
    text = "<details>\n  <summary>~120 References</summary>\n\n  - [A](https://a.example/)\n"
    (item,) = items(text)
    assert item.line == 4
    assert item.inline.links[0].url == "https://a.example/"


def test_prose_paragraphs_are_kept_apart_from_items() -> None:
    tree = parse_markdown(
        "Read the [intro](https://intro.example/) first.\n\n- [Item](https://item.example/)\n"
    )
    (paragraph,) = tree.of_type(Paragraph)
    assert paragraph.line == 1
    assert paragraph.inline.links[0].url == "https://intro.example/"


def test_paragraphs_inside_an_item_belong_to_the_item() -> None:
    (item,) = items("- [A](https://a.example/)\n\n  More at [B](https://b.example/).\n")
    assert [link.url for link in item.web_links] == ["https://a.example/", "https://b.example/"]


def test_images_are_not_links_but_badges_inside_links_are() -> None:
    (item,) = items(
        "- Chart ![alt text](https://img.example/c.png) and "
        "[![Build](https://img.example/badge.svg)](https://ci.example/)\n"
    )
    assert [link.url for link in item.inline.links] == ["https://ci.example/"]
    assert item.inline.links[0].text == "Build"
    assert "alt text" not in item.inline.plain
    assert [image.url for image in item.inline.images] == [
        "https://img.example/c.png",
        "https://img.example/badge.svg",
    ]


def test_front_matter_is_not_a_heading_and_lines_count_from_the_file_start() -> None:
    tree = parse_markdown("---\ntitle: Post\ntags: [a]\n---\n\n# Intro\n\n- x\n")
    assert tree.front_matter == "title: Post\ntags: [a]"
    (item,) = tree.of_type(ListItem)
    assert item.line == 8
    assert item.section == "Intro"


def test_unused_reference_definitions_are_reported() -> None:
    tree = parse_markdown(
        "- [Used][u]\n\n[u]: https://used.example/\n[spare]: https://spare.example/\n"
    )
    assert [(ref.url, ref.line) for ref in tree.unused_references] == [
        ("https://spare.example/", 4)
    ]


def test_javascript_urls_never_become_links() -> None:
    (item,) = items("- [click](javascript:alert(1)) <b>SUPER</b>\n")
    assert item.inline.links == ()
    assert item.inline.html_tags == ("b",)
    assert "SUPER" in item.inline.plain


def test_deeply_nested_emphasis_does_not_crash_and_keeps_links() -> None:
    text = "- " + "**" * 1500 + "[deep](https://deep.example/)" + "**" * 1500 + "\n"
    (item,) = items(text)
    assert [link.url for link in item.inline.links] == ["https://deep.example/"]


def test_an_html_block_that_never_closes_its_tag_is_read_as_text() -> None:
    tree = parse_markdown("<details\nsee https://kept.example/ here\n")
    links = [link.url for block in tree.of_type(Paragraph) for link in block.inline.links]
    assert links == ["https://kept.example/"]

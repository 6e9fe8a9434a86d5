"""HTML blocks read with a real HTML parser into the Markdown they mean (awesomerge.html_blocks)."""

from __future__ import annotations

from awesomerge.markdown import ListItem, Paragraph, TableRow, parse_markdown
from awesomerge.sources.markdown_source import MarkdownSource
from awesomerge.testing import parse_snippet


def test_lines_of_html_links_are_items() -> None:
    result = parse_snippet(
        "## Speech\n\n<p>\n"
        '<a href="https://github.com/openai/whisper"><b>Whisper</b></a> - robust speech'
        " recognition<br>\n"
        '<a href="https://github.com/coqui-ai/TTS" target="_blank"><strong>Coqui TTS</strong></a>'
        ' — text to speech <a href="https://arxiv.org/abs/2106.06103">(paper)</a><br/>\n'
        "</p>\n",
        MarkdownSource,
    )
    assert [(item.title, item.url, item.line) for item in result.items] == [
        ("Whisper", "https://github.com/openai/whisper", 4),
        ("Coqui TTS", "https://github.com/coqui-ai/TTS", 5),
    ]
    assert result.items[0].description == "robust speech recognition"
    assert [(link.url, link.role) for link in result.items[1].related] == [
        ("https://arxiv.org/abs/2106.06103", "paper")
    ]


def test_a_multi_line_html_table_gives_rows_with_its_header() -> None:
    tree = parse_markdown(
        "<table>\n"
        "  <tr><th>Name</th><th>Year</th><th>Links</th></tr>\n"
        "  <tr>\n"
        "    <td>Graph Attention Networks</td>\n"
        "    <td>2018</td>\n"
        '    <td><a href="https://arxiv.org/abs/1710.10903">paper</a> |\n'
        '        <a href="https://github.com/PetarV-/GAT">code</a></td>\n'
        "  </tr>\n"
        "</table>\n"
    )
    (row,) = (block for block in tree.blocks if isinstance(block, TableRow))
    assert row.header == ("Name", "Year", "Links")
    assert [cell.plain for cell in row.cells] == [
        "Graph Attention Networks",
        "2018",
        "paper | code",
    ]
    assert [link.url for link in row.web_links] == [
        "https://arxiv.org/abs/1710.10903",
        "https://github.com/PetarV-/GAT",
    ]


def test_a_linked_summary_is_an_item_with_its_details_nested() -> None:
    tree = parse_markdown(
        "## Apps\n\n"
        "<details><summary><b>[Caprine](https://github.com/sindresorhus/caprine)</b> - Messenger"
        ' app</summary><p><b>Website:</b> <a href="https://sindresorhus.com/caprine">site</a></p>'
        "</details>\n"
    )
    items = [block for block in tree.blocks if isinstance(block, ListItem)]
    assert [item.inline.plain for item in items] == ["Caprine - Messenger app"]
    links = [link.url for item in items for link in item.web_links]
    assert links == ["https://github.com/sindresorhus/caprine", "https://sindresorhus.com/caprine"]


def test_a_plain_summary_titles_the_bullets_after_it() -> None:
    result = parse_snippet(
        "## PEFT\n\n<details><summary>LoRA: Low-Rank Adaptation of Large Language Models"
        "</summary>\n\n- Paper: https://arxiv.org/abs/2106.09685\n"
        "- [Code](https://github.com/microsoft/LoRA)\n- Venue: ICLR 2022\n\n</details>\n",
        MarkdownSource,
    )
    (item,) = result.items
    assert (item.title, item.url, item.year) == (
        "LoRA: Low-Rank Adaptation of Large Language Models",
        "https://arxiv.org/abs/2106.09685",
        2022,
    )
    assert [link.role for link in item.related] == ["code"]


def test_markdown_inside_a_block_keeps_its_lines_and_nesting() -> None:
    tree = parse_markdown(
        "<details>\n<summary>Papers (click to open)</summary>\n"
        "* [One](https://one.example/)\n"
        "  * [Two](https://two.example/)\n"
        "</details>\n"
    )
    items = [block for block in tree.blocks if isinstance(block, ListItem)]
    assert [(item.inline.plain, item.line, item.depth) for item in items] == [
        ("One", 3, 0),
        ("Two", 4, 1),
    ]


def test_a_link_around_block_tags_stays_one_link() -> None:
    tree = parse_markdown(
        '<div>\n\t<a href="https://depot.dev?utm_source=github">\n\t\t<div>\n\t\t\t<b>Depot</b>\n'
        "\t\t</div>\n\t</a>\n"
        '\t<sub>Follow me on <a href="https://twitter.com/someone">Twitter</a>.</sub>\n</div>\n'
    )
    links = [link.url for block in tree.blocks for link in block.inline.web_links]
    assert links == ["https://depot.dev?utm_source=github", "https://twitter.com/someone"]
    assert all(isinstance(block, ListItem | Paragraph) for block in tree.blocks)


def test_broken_html_is_read_without_error() -> None:
    cases = {
        "<a href='https://x.example/'>unclosed": ["https://x.example/"],
        "<table><tr><td>cell": [],
        "<details><b>": [],
        '<table><tr><td><a href="https://e.com/1">One</a><table></td></tr></table>': [
            "https://e.com/1"
        ],
        '<ul><li><a href="https://e.com/1">Foo</li>'
        '<li><a href="https://e.com/2">Bar</a></li></ul>': [
            "https://e.com/1",
            "https://e.com/2",
        ],
    }
    for html, urls in cases.items():
        tree = parse_markdown(html + "\n")
        inlines = [
            inline
            for block in tree.blocks
            for inline in (block.cells if isinstance(block, TableRow) else (block.inline,))
        ]
        assert "<" not in " ".join(inline.plain for inline in inlines), html
        assert [link.url for inline in inlines for link in inline.web_links] == urls, html


def test_a_table_inside_a_cell_is_the_cells_text() -> None:
    tree = parse_markdown(
        '<table><tr><td><a href="https://e.com/0">Zero</a></td>'
        "<td><table><tr><td>inner</td></tr></table></td>"
        '<td><a href="https://e.com/3">Three</a></td></tr></table>\n'
    )
    (row,) = (block for block in tree.blocks if isinstance(block, TableRow))
    assert [cell.plain for cell in row.cells] == ["Zero", "inner", "Three"]

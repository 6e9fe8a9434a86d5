"""HTML blocks read with a real HTML parser into the Markdown they mean (awesomerge.html_blocks)."""

from __future__ import annotations

from awesomerge.markdown import ListItem, Paragraph, TableRow, parse_markdown
from awesomerge.sources.markdown_source import MarkdownSource
from awesomerge.testing import document, parse_snippet


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
    # All on one line: the details have no line of their own, and go on the summary's.
    (item,) = [block for block in tree.blocks if isinstance(block, ListItem)]
    assert item.inline.plain.startswith("Caprine - Messenger app")
    assert item.line == 3
    links = [link.url for link in item.web_links]
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


def _kept(text: str) -> dict[str, set[int]]:
    """Each URL a Markdown list gives, as an item's, a related or a prose link, and its lines."""
    result = MarkdownSource().parse(document(text, dedent=False))
    kept: dict[str, set[int]] = {}
    for item in result.items:
        for url in (item.url, *(link.url for link in item.related)):
            kept.setdefault(url, set()).add(item.line)
    for link in result.links:
        kept.setdefault(link.url, set()).add(link.line)
    return kept


def _row_links(text: str) -> list[tuple[str, int]]:
    tree = parse_markdown(text)
    rows = (block for block in tree.blocks if isinstance(block, TableRow))
    return [(link.url, row.line) for row in rows for link in row.web_links]


def test_a_named_reference_without_its_semicolon_stays_as_written_in_an_attribute() -> None:
    # A browser keeps "&sect" in "&section=" as written in an attribute (a letter, digit or
    # "=" follows it), and reads "&amp;", "&copy" at the end and "&not;" as the characters.
    written = {
        '<div>\n<a href="https://a.example/?page=2&section=news">News</a>\n</div>\n': (
            "https://a.example/?page=2&section=news"
        ),
        "<details><summary><a href='https://a.example/?lang=en&region=us'>R</a></summary>\n": (
            "https://a.example/?lang=en&region=us"
        ),
        "<p>\n<a href=https://a.example/x?a=1&copy2=3&amp=4&not5>C</a> - c\n</p>\n": (
            "https://a.example/x?a=1&copy2=3&amp=4&not5"
        ),
        '<div>\n<iframe src="https://a.example/v?x&para=1&times=2"></iframe>\n</div>\n': (
            "https://a.example/v?x&para=1&times=2"
        ),
        '<ul>\n<li><a href="https://a.example/?a=1&amp;b=2&copy&not;">A</a></li>\n</ul>\n': (
            "https://a.example/?a=1&b=2©¬"
        ),
        'Read <a href="https://a.example/?q=1&reg=eu">this</a> first.\n': (
            "https://a.example/?q=1&reg=eu"
        ),
        # Markdown written in the block: its references are Markdown's, read once.
        "<div>\n- [N](https://a.example/?page=2&section=news&amp;x=1) - n\n</div>\n": (
            "https://a.example/?page=2&section=news&x=1"
        ),
    }
    for text, url in written.items():
        assert url in _kept(text), text
    cell = '| Name | Link |\n| --- | --- |\n| x | <a href="https://a.example/?a&sect=2">s</a> |\n'
    assert _row_links(cell) == [("https://a.example/?a&sect=2", 3)]
    html_cell = (
        "<table>\n<tr><td><a href='https://a.example/?x=1&not=2'>n</a></td></tr>\n</table>\n"
    )
    assert [url for url, _ in _row_links(html_cell)] == ["https://a.example/?x=1&not=2"]
    tree = parse_markdown('<p>\n<img src="https://img.example/b.svg?a=1&copy=2" alt="b">\n</p>\n')
    images = [image.url for block in tree.blocks for image in block.inline.images]
    assert images == ["https://img.example/b.svg?a=1&copy=2"]


def test_a_url_in_an_html_block_is_kept_whatever_markdown_would_read_in_it() -> None:
    # ">" and "<" would end a Markdown destination; "\\" and "&amp;" would be read as escapes.
    urls = [
        "https://a.example/x>y",
        "https://a.example/<x>",
        "https://a.example/x\\[1]",
        "https://a.example/?q=%26amp%3B&amp;",
    ]
    for url in urls:
        written = url.replace("&", "&amp;")
        for text in (
            f'<div>\n<a href="{written}">A</a>\n</div>\n',
            f"<p>\n<a href='{written}'>A</a> - a<br>\n</p>\n",
            f'<div>\n<iframe src="{written}"></iframe>\n</div>\n',
        ):
            assert url in _kept(text), text
        table = f'<table>\n<tr><td>a</td><td><a href="{written}">A</a></td></tr>\n</table>\n'
        assert [found for found, _ in _row_links(table)] == [url], table
        tree = parse_markdown(f'<p>\n<img src="{written}" alt="a">\n</p>\n')
        assert [image.url for block in tree.blocks for image in block.inline.images] == [url]


def test_every_line_of_an_html_block_stays_where_it_was() -> None:
    assert _kept("<div>\nx<br>y\n- [a](https://u.example/)\n</div>\n") == {
        "https://u.example/": {3}
    }
    kept = _kept(
        "## Links\n\n<p>\n"
        '<a href="https://a.example/">A</a> - a<br><a href="https://b.example/">B</a> - b<br>\n'
        '<a href="https://c.example/">C</a> - c<br/>\n</p>\n'
    )
    assert kept == {
        "https://a.example/": {4},
        "https://b.example/": {4},
        "https://c.example/": {5},
    }
    table = (
        "<table>\n  <tr>\n"
        '    <td><a href="https://a.example/">A</a></td>\n'
        "  </tr>\n  <tr>\n"
        '    <td><a href="https://b.example/">B</a></td>\n'
        "  </tr>\n</table>\n"
        '<p><a href="https://c.example/">C</a> - after the table</p>\n'
    )
    assert _row_links(table) == [("https://a.example/", 3), ("https://b.example/", 5)]
    assert _kept(table)["https://c.example/"] == {9}
    # Rows one to a line right after <table>: no lines for a header before them, yet none past
    # the block's last line, and no link lost.
    compact = "".join(
        f'<tr><td>{name}</td><td><a href="https://{name}.example/">{name}</a></td></tr>\n'
        for name in "abcd"
    )
    for text in ("<table>\n" + compact, "<div>\n<table>\n" + compact + "</table>\n</div>\n"):
        lines = text.count("\n")
        links = _row_links(text)
        assert {url for url, _ in links} == {f"https://{name}.example/" for name in "abcd"}
        assert all(1 <= line <= lines for _, line in links), links
    one_line = (
        "<details><summary><b>[Caprine](https://github.com/sindresorhus/caprine)</b> - Messenger"
        ' app</summary><p><b>Website:</b> <a href="https://sindresorhus.com/caprine">site</a></p>'
        "</details>\n"
    )
    assert _kept(one_line) == {
        "https://github.com/sindresorhus/caprine": {1},
        "https://sindresorhus.com/caprine": {1},
    }


def test_a_comment_never_closed_after_a_table_takes_nothing_in() -> None:
    written = [
        "<table>\n<tr><td><a href=https://u.example/>V</a></td></tr>\n<!-- x\n",
        "<div><table>\n<tr><td>W</td><td><a href='https://u.example/'>V</a></td></tr>\n"
        "<!-- never closed\n",
        '<table>\n<tr><td><a href="https://u.example/">V</a></td></tr>\n<!-- x\n'
        '<tr><td><a href="https://w.example/">W</a></td></tr>\n',
    ]
    for text in written:
        lines = text.count("\n")
        kept = _kept(text)
        assert "https://u.example/" in kept, text
        assert all(1 <= line <= lines for found in kept.values() for line in found), kept
    tree = parse_markdown(written[0])
    (row,) = (block for block in tree.blocks if isinstance(block, TableRow))
    assert [link.text for link in row.web_links] == ["V"]
    # Nor does one after other HTML: the Markdown after it is still read.
    assert _kept("<div>\n<!-- open\n- [a](https://a.example/)\n") == {"https://a.example/": {3}}


def test_no_url_is_made_of_the_escaped_text_of_a_link() -> None:
    written = [
        '<div>\n<a href="https://u.example/">http://[::1\n- [x](http://[::1)\n',
        '<div>\n<iframe src="https://[::1]:8080"></iframe>\n</div>\n',
        '<p>\n<a href="https://u.example/">see https://a.example/x[1] and http://b.example/]</a>\n',
        '<p>\n<img src="https://img.example/i.png" alt="http://[2001:db8::1]">\n</p>\n',
        # Nor of a destination's escapes.
        '<div>\nA <a href="https://a.example?a=1&b=2">B</a> <a href="https://a.example/x>y">C</a>\n',
    ]
    for text in written:
        kept = _kept(text)
        assert all(url in text for url in kept), kept


def test_a_definition_in_an_html_block_is_kept_after_a_line_of_text() -> None:
    written = {
        "<div>\nfoo\n[x]: HTTPS://a.example./owner/repo#\n</div>\n": (
            "HTTPS://a.example./owner/repo#"
        ),
        '<ul>\n<li><a href="https://a.example/">a</a></li>\n[y]: https://[2001:db8::1]\n</ul>\n': (
            "https://[2001:db8::1]"
        ),
        '<p>\ntext\n[z]: Http://a.example:8080/x# "Title"\n</p>\n': "Http://a.example:8080/x#",
        "<div>\n[w]: https://w.example/x.\n</div>\n": "https://w.example/x.",
    }
    for text, url in written.items():
        assert url in _kept(text), text
    # A definition the block's links use is still one.
    used = "<div>\n[r]: https://r.example/\n- [R][r] - used\n</div>\n"
    assert _kept(used) == {"https://r.example/": {3}}

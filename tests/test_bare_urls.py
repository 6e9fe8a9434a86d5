"""Bare URLs and the links around them, as the fuzzer of whole builds found them read wrong.

A bare URL is taken whole, brackets it closes and all (``http://[::1]/``), as GitHub links it;
no piece of a link already read is read again as one (``[T](https://w.example/A_(b))`` gave a
prose link to ``https://w.example/A_(b``); a link inside any number of brackets is read, its URL
whole. Each case is written in more than one style of list.
"""

from __future__ import annotations

import pytest

from awesomerge.plugins import Plugins

from .test_hostile_markup import kept, parsed

#: Links whose URL holds brackets or a character bare URLs end at: the link, and nothing else.
LINKS = [
    "http://[::1]/",
    "https://en.wikipedia.org/wiki/A_(b)",
    "https://a.example/x>y",
    "https://a.example/x*",
]
STYLES = {
    "paragraph": "[C]({url})\n",
    "bullet": "- [T]({url})\n",
    "table": "| Name | Link |\n|---|---|\n| T | [T]({url}) |\n",
    "nested list": "- Tools\n  - [T]({url}) - a tool\n",
    "HTML block": "<details><summary>Tools</summary>\n\n- [T]({url})\n\n</details>\n",
    "badge": "- [![i](logo.png)]({url})\n",
}


@pytest.mark.parametrize("source", ["markdown", "nested-list", "readme-table"])
@pytest.mark.parametrize("style", STYLES.values(), ids=STYLES.keys())
@pytest.mark.parametrize("url", LINKS)
def test_a_link_gives_its_url_and_no_piece_of_it(
    plugins: Plugins, url: str, style: str, source: str
) -> None:
    text = "# List\n\n## Items\n\n" + style.format(url=url)
    assert kept(parsed(plugins, text, source)) == {url}


IMAGE_BESIDE_LINK = {
    "bullet": "- ![i](https://img.example/a_(b).png) [a](https://a.example/)\n",
    "table": (
        "| A | B |\n|---|---|\n| ![i](https://img.example/a_(b).png) | [a](https://a.example/) |\n"
    ),
    "paragraph": "![i](https://img.example/a_(b).png) and [a](https://a.example/)\n",
}


@pytest.mark.parametrize("text", IMAGE_BESIDE_LINK.values(), ids=IMAGE_BESIDE_LINK.keys())
def test_an_image_url_is_not_read_again_as_a_link(plugins: Plugins, text: str) -> None:
    assert kept(parsed(plugins, "# List\n\n## Items\n\n" + text)) == {"https://a.example/"}


BARE = {
    "paragraph": "x {url} y\n",
    "bullet": "- A tool: {url}\n",
    "in parentheses": "- A tool ({url})\n",
    "sentence end": "- See {url}.\n",
    "table": "| Name | Link |\n|---|---|\n| T | {url} |\n",
    "nested list": "- Tools\n  - A tool\n    - {url}\n",
    "code block": "    see {url}\n",
}


@pytest.mark.parametrize("style", BARE.values(), ids=BARE.keys())
@pytest.mark.parametrize("url", ["http://[::1]/", "https://en.wikipedia.org/wiki/A_(b)"])
def test_a_bare_url_is_taken_whole(plugins: Plugins, url: str, style: str) -> None:
    text = "# List\n\n## Items\n\n" + style.format(url=url)
    assert kept(parsed(plugins, text)) == {url}


def test_a_bare_url_ends_where_github_ends_it(plugins: Plugins) -> None:
    text = "Read (see https://a.example/x), https://b.example/y. And **https://c.example/z**\n"
    assert kept(parsed(plugins, text)) == {
        "https://a.example/x",
        "https://b.example/y",
        "https://c.example/z",
    }


def test_a_url_hidden_in_a_malformed_link_is_still_kept(plugins: Plugins) -> None:
    text = "- [![b](https://i.example/b.png)]([u1](https://u2.example/))\n"
    assert "https://u2.example/" in kept(parsed(plugins, text))


def _brackets(count: int, inner: str) -> str:
    """The link inside `count` "[", closed again; a badge's link opens with the last of them."""
    return "[" * count + inner + "]" * (count - inner.startswith("!"))


@pytest.mark.parametrize("count", [18, 19, 20, 21, 22, 40])
@pytest.mark.parametrize(
    "inner",
    [
        "[Title]({url})",
        "![i](logo.png)]({url})",  # a badge: the link opens with the last "["
        "[a [b] c]({url})",
    ],
)
@pytest.mark.parametrize("url", ["https://a.example/x*", "http://[::1]/"])
@pytest.mark.parametrize("style", ["- {0}\n", "{0}\n", "| A |\n|---|\n| {0} |\n"])
def test_a_link_inside_any_number_of_brackets_is_read(
    plugins: Plugins, count: int, inner: str, url: str, style: str
) -> None:
    text = "# List\n\n## Items\n\n" + style.format(_brackets(count, inner.format(url=url)))
    result = parsed(plugins, text)
    assert kept(result) == {url}
    assert [item.url for item in result.items] == [url] or not result.items


#: Inline HTML tags whose URL, read again as a bare URL, comes out shorter: the HTML reader
#: reads the tag, and the bare-URL reading must give no piece of it. (tag, URL written)
TAGS = {
    "unquoted, a trailing dot": (
        "<a href=Http://docs.b.example/x.>Docs</a>",
        "Http://docs.b.example/x.",
    ),
    "double quotes, a >": ('<A HREF="https://a.example/x>y">A</A>', "https://a.example/x>y"),
    "single quotes, a )": ("<a href='https://w.example/A_(b))'>W</a>", "https://w.example/A_(b))"),
    "quoted with a space after it, shown as its text": (
        '<a href="https://s.example/x/ ">https://s.example/x/ </a>',
        "https://s.example/x/",
    ),
    "an iframe, a trailing comma": (
        "<iframe src='https://v.example/embed/a,'></iframe>",
        "https://v.example/embed/a,",
    ),
}
TAG_STYLES = {
    "bullet": "- before {tag} after\n",
    "paragraph": "Some words {tag} and more.\n",
    "table": "| Name | Link |\n|---|---|\n| T | {tag} |\n",
}


@pytest.mark.parametrize("style", TAG_STYLES.values(), ids=TAG_STYLES.keys())
@pytest.mark.parametrize(("tag", "url"), TAGS.values(), ids=TAGS.keys())
def test_a_url_in_an_html_tag_gives_no_piece_of_it(
    plugins: Plugins, tag: str, url: str, style: str
) -> None:
    urls = kept(parsed(plugins, "# List\n\n## Items\n\n" + style.format(tag=tag)))
    assert url in urls
    assert not {other for other in urls if other != url and url.startswith(other)}


EMPHASIS_IN_SHOWN_URL = {
    "bullet": "- [https://a.example/a_b_c*d*?q=1](https://a.example/real)\n",
    "table": "| A |\n|---|\n| [see https://a.example/a_b_c*d*?q=1](https://a.example/real) |\n",
    "HTML anchor never closed": (
        '<details>\n<a href="https://a.example/real">\n'
        "- [![b](logo.png)](https://a.example/a_b_c*d*?q=1)\n</details>\n"
    ),
    "autolink in an anchor never closed": (
        '- x <a href="https://a.example/real">the <https://a.example/a?q=a+b%20c#L1> `\n'
    ),
}


@pytest.mark.parametrize("text", EMPHASIS_IN_SHOWN_URL.values(), ids=EMPHASIS_IN_SHOWN_URL.keys())
def test_a_url_shown_in_a_links_text_is_read_as_written_not_as_rendered(
    plugins: Plugins, text: str
) -> None:
    urls = kept(parsed(plugins, "# List\n\n## Items\n\n" + text))
    assert "https://a.example/real" in urls
    assert all(url in text for url in urls), urls  # not "a_b_cd": "*d*" is no emphasis there
    assert not [url for url in urls for other in urls if other != url and other.startswith(url)]

"""An independent reading of the http(s) links in a Markdown file, for the nothing-lost tests.

Deliberately not built on awesomerge's parser: two regular expressions, one for Markdown link
destinations and one for bare URLs, with image destinations left out. What a reader never sees
as a link is blanked first: HTML comments, images, fenced code and code spans.
"""

from __future__ import annotations

import re

_MARKDOWN_LINK = re.compile(
    r"(!?)\[(?:[^\[\]]|\[[^\]]*\])*\]"  # [text], allowing one level of nested brackets
    r"\(\s*<?(https?://(?:[^\s()<>]|\([^\s()]*\))+)>?"  # (destination, balanced parens
    r"(?:\s+\"[^\"]*\")?\s*\)"  # optional "title")
)
_BARE_URL = re.compile(r"https?://[^\s<>\"'`|\[\]]+")
_NOT_LINKS = (
    re.compile(r"<!--.*?-->", re.DOTALL),
    re.compile(r"^ {0,3}(`{3,}|~{3,}).*?(?:^ {0,3}\1[ \t]*$|\Z)", re.DOTALL | re.MULTILINE),
    re.compile(r"<(?:img|source)\s[^>]*>", re.IGNORECASE),
    re.compile(r"!\[[^\[\]]*\]\(\s*<?https?://[^\s)>]*>?(?:\s+\"[^\"]*\")?\s*\)"),
    re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)", re.DOTALL),
)


def _blank(match: re.Match[str]) -> str:
    return re.sub(r"[^\n]", " ", match.group(0))


def web_links(text: str) -> set[str]:
    """Every http(s) URL in the text, images aside."""
    for pattern in _NOT_LINKS:
        text = pattern.sub(_blank, text)
    found: set[str] = set()
    destinations: list[tuple[int, int]] = []
    for match in _MARKDOWN_LINK.finditer(text):
        destinations.append(match.span(2))
        if not match.group(1):
            found.add(match.group(2))
    for match in _BARE_URL.finditer(text):
        if any(start <= match.start() < end for start, end in destinations):
            continue
        url = match.group(0).rstrip(".,;:!?*")
        while url.endswith(")") and url.count(")") > url.count("("):
            url = url[:-1]
        found.add(url)
    return found

"""An independent reading of the http(s) links in a Markdown file, for the nothing-lost tests.

Deliberately not built on awesomerge's parser: two regular expressions, one for Markdown link
destinations and one for bare URLs, with image destinations left out.
"""

from __future__ import annotations

import re

_MARKDOWN_LINK = re.compile(
    r"(!?)\[(?:[^\[\]]|\[[^\]]*\])*\]"  # [text], allowing one level of nested brackets
    r"\(\s*<?(https?://(?:[^\s()<>]|\([^\s()]*\))+)>?"  # (destination, balanced parens
    r"(?:\s+\"[^\"]*\")?\s*\)"  # optional "title")
)
_BARE_URL = re.compile(r"https?://[^\s<>\"'`|\[\]]+")


def web_links(text: str) -> set[str]:
    """Every http(s) URL in the text, images aside."""
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

"""The ``review`` output: ``review.md``, the near duplicates a curator should decide on.

Its text is written as README.md's is (``readme_markdown``), so that no title, description or
URL opens a link, HTML, math or emphasis wherever review.md is read: each entry's address is
linked only when it is a web address, without invisible characters, and shown as written; the
``same``/``distinct`` lines a curator copies name the URLs exactly, in TOML that the build reads.
"""

from __future__ import annotations

import json
import re

from awesomerge.api import Collection, Output, OutputRegistrar
from awesomerge.hookspecs import hookimpl
from awesomerge.models import Entry, ReviewPair
from awesomerge.outputs.link_targets import invisible_escaped, link_target
from awesomerge.outputs.readme_markdown import clean, code_span, destination, inline, is_linkable

#: How much of an entry's description review.md shows, to tell two entries apart.
DESCRIPTION_CHARACTERS = 200
# What a CommonMark autolink <...> may hold; markdown-it and pandoc read the same.
_AUTOLINKABLE = re.compile(r"[^\s<>\x00-\x1f\x7f]+")

_INTRO = """\
# Possible duplicates to review

awesomerge left these pairs apart: they look alike, but the evidence was not strong enough to
merge them. Each pair says why it is here. Decide each one in `awesomerge.toml` next to your
inputs, then build again:

```toml
[merge]
same = [["URL of one", "URL of the other"]]      # they are one resource: merge them
distinct = [["URL of one", "URL of the other"]]  # they are different: stop listing them here
```
"""


class ReviewOutput(Output):
    name = "review"
    filename = "review.md"
    description = "Near-duplicate pairs that were not merged, with scores and reasons"

    def render(self, collection: Collection) -> str:
        pairs = collection.review
        parts = [_INTRO]
        if not pairs:
            parts.append("\nNothing to review: no near duplicates were found.\n")
        for number, pair in enumerate(pairs, start=1):
            parts.append(_pair(number, pair))
        return "".join(parts)


def _pair(number: int, pair: ReviewPair) -> str:
    # JSON strings are TOML strings; an invisible character is shown as its escape.
    urls = invisible_escaped(json.dumps([pair.first.url, pair.second.url], ensure_ascii=False))
    return (
        f"\n## {number}. {inline(pair.first.title)}\n\n"
        f"Similarity {pair.score:g}: {inline(pair.reason)}"
        f"{'' if pair.reason.endswith('?') else '.'}\n\n"
        f"{_entry('A', pair.first)}{_entry('B', pair.second)}\n"
        f"Same: {code_span(f'same = [{urls}]')}  \n"
        f"Different: {code_span(f'distinct = [{urls}]')}\n"
    )


def _entry(label: str, entry: Entry) -> str:
    sources = ", ".join(
        sorted({f"{occurrence.source}:{occurrence.line}" for occurrence in entry.occurrences})
    )
    described = f"  {inline(_shortened(entry.description))}  \n" if entry.description else ""
    return (
        f"- **{label}** {inline(entry.title)} ({inline(entry.kind)})  \n"
        f"  {_address(entry.url)}  \n"
        f"{described}"
        f"  listed in {inline(sources)}\n"
    )


def _address(url: str) -> str:
    """The entry's address, shown as written: a link to its `link_target` when it is a web
    address, an autolink where one can hold it, else a link whose text is in a code span."""
    if not is_linkable(url):
        return f"not a web link: {code_span(clean(url))}" if clean(url) else "no address"
    target = link_target(url)
    if _AUTOLINKABLE.fullmatch(target):
        return f"<{target}>"
    return f"[{code_span(clean(target))}]({destination(target)})"


def _shortened(text: str, limit: int = DESCRIPTION_CHARACTERS) -> str:
    """A description on one line, cut at a word near `limit` characters."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + " …"


@hookimpl
def register_outputs(register: OutputRegistrar) -> None:
    register(ReviewOutput)

"""The ``review`` output: ``review.md``, the near duplicates a curator should decide on."""

from __future__ import annotations

import json

from awesomerge.api import Collection, Output, OutputRegistrar
from awesomerge.hookspecs import hookimpl
from awesomerge.models import Entry, ReviewPair

#: How much of an entry's description review.md shows, to tell two entries apart.
DESCRIPTION_CHARACTERS = 200

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
    urls = json.dumps([pair.first.url, pair.second.url], ensure_ascii=False)
    return (
        f"\n## {number}. {_inline(pair.first.title)}\n\n"
        f"Similarity {pair.score:g}: {pair.reason}{'' if pair.reason.endswith('?') else '.'}\n\n"
        f"{_entry('A', pair.first)}{_entry('B', pair.second)}\n"
        f"Same: `same = [{urls}]`  \nDifferent: `distinct = [{urls}]`\n"
    )


def _entry(label: str, entry: Entry) -> str:
    sources = ", ".join(
        sorted({f"{occurrence.source}:{occurrence.line}" for occurrence in entry.occurrences})
    )
    described = f"  {_inline(_shortened(entry.description))}  \n" if entry.description else ""
    return (
        f"- **{label}** {_inline(entry.title)} ({entry.kind})  \n"
        f"  <{entry.url}>  \n"
        f"{described}"
        f"  listed in {sources}\n"
    )


def _shortened(text: str, limit: int = DESCRIPTION_CHARACTERS) -> str:
    """A description on one line, cut at a word near `limit` characters."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + " …"


def _inline(text: str) -> str:
    """Text that Markdown shows as written: no links, emphasis or HTML from a title."""
    for char in "\\`*_[]<>#|":
        text = text.replace(char, "\\" + char)
    return text


@hookimpl
def register_outputs(register: OutputRegistrar) -> None:
    register(ReviewOutput)

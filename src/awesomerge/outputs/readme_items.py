"""One entry as one README.md list item, in the form awesome-lint's list-item rules accept::

    - [Title](url) - Description. Related: [code](url). *Karpathy, 2023. Listed in 2 lists.*

The description is the entry's own, capitalised and ended with a full stop, or when it has none
a true one made from its kind ("Paper on arXiv."). A label goes in front ("Paper: ...") when the
text would start in a way awesome-lint refuses or repeat the title. The emphasised part gives
authors, year, tags and, when more than one list holds the entry, how many. An entry whose URL
is not an http(s) address is written as text with its address in a code span, never as a link.
"""

from __future__ import annotations

import re

from awesomerge.models import Entry, RelatedLink
from awesomerge.outputs.readme_markdown import (
    capitalise,
    clean,
    code_span,
    destination,
    inline,
    is_linkable,
    starts_with_valid_casing,
)

_KIND_LABELS = {
    "paper": "Paper",
    "post": "Post",
    "repository": "Code repository",
    "video": "Video",
    "article": "Article",
    "website": "Website",
    "dataset": "Dataset",
    "model": "Model",
    "document": "Document",
}
_HOSTS = (("arxiv", "arXiv"), ("github", "GitHub"), ("youtube", "YouTube"))
_ENDS_SENTENCE = re.compile(r"[.!?…][\"”]?$")
_ORDERED_MARKER = re.compile(r"\d{1,9}(?=[.)])")


def entry_item(entry: Entry, hidden_tags: set[str] | frozenset[str] = frozenset()) -> str:
    """``- [Title](url) - Description. Related: [...](...). *Authors, year. Tags. Listed in N
    lists.*``, or the title as text with the address in a code span when it is no web link."""
    title = clean(entry.title) or clean(entry.url) or "Untitled"
    linked = is_linkable(entry.url)
    related, related_text = _related(entry.related, linked)
    meta = _meta(entry, hidden_tags)
    text = _description(entry, title, f"{related_text} {meta}")
    description = inline(text)
    if description.endswith("`"):  # the item must end in punctuation, not in a code span
        description += "."
    tail = "".join(f" {part}" for part in (related, f"*{inline(meta)}*" if meta else "") if part)
    if linked:
        return f"- [{inline(title)}]({destination(entry.url)}) - {description}{tail}"
    address = f" (not a web link: {code_span(clean(entry.url))})" if clean(entry.url) else ""
    return f"- {_unlinked_title(title)}{address} - {description}{tail}"


def _unlinked_title(title: str) -> str:
    """The title at the start of a line: it must not open a nested list, and must start with
    text, as awesome-lint reads an item that starts with a code span as a broken link."""
    markdown = inline(title)
    number = _ORDERED_MARKER.match(markdown)
    if number:  # "1." or "1)" would open an ordered list: escape the dot or parenthesis
        markdown = f"{number[0]}\\{markdown[number.end() :]}"
    elif markdown[:1] in ("-", "+"):
        markdown = "\\" + markdown
    return f"Entry {markdown}" if markdown.startswith("`") else markdown


def _description(entry: Entry, title: str, after: str) -> str:
    """The entry's description as one sentence awesome-lint accepts, or a true one made from its
    kind; a label goes in front when the text would start badly or repeat the title."""
    text = capitalise(clean(entry.description or "")) or _kind_phrase(entry)
    if not _ENDS_SENTENCE.search(text):
        text += "."
    if not starts_with_valid_casing(text) or _repeats(title, f"{text} {after}"):
        label = next(
            label
            for label in (_kind_label(entry.kind), "Resource", "Entry")
            if label[0].casefold() != title[0].casefold()
        )
        text = f"{label}: {text}"
    return text


def _kind_label(kind: str) -> str:
    if kind in _KIND_LABELS:
        return _KIND_LABELS[kind]
    return kind.capitalize() if re.fullmatch(r"[a-z][a-z ]*", kind) else "Resource"


def _kind_phrase(entry: Entry) -> str:
    label = _kind_label(entry.kind)
    for key, host in _HOSTS:
        if key in entry.identifiers:
            return f"{label} on {host}."
    return f"{label}."


def _repeats(title: str, description: str) -> bool:
    """Whether awesome-lint's no-repeat-item-in-description rule sees the title repeated."""
    text, name = description.strip().lower(), title.lower()
    return text.startswith(name) and (len(text) == len(name) or text[len(name)] in " .,!?:-")


def _related(links: list[RelatedLink], linked: bool) -> tuple[str, str]:
    """The further links of an entry, as Markdown and as plain text; as text with their
    addresses in code spans when the entry itself is no link, so none is taken for it."""
    if not links:
        return "", ""
    parts, names = [], []
    for link in links:
        name = clean(link.title) or clean(link.url) or "link"
        names.append(name)
        if linked and is_linkable(link.url):
            parts.append(f"[{inline(name)}]({destination(link.url)})")
        elif clean(link.url):
            parts.append(f"{inline(name)} ({code_span(clean(link.url))})")
        else:
            parts.append(inline(name))
    return f"Related: {', '.join(parts)}.", f"Related: {', '.join(names)}."


def _meta(entry: Entry, hidden_tags: set[str] | frozenset[str]) -> str:
    """Authors and year, tags, and in how many lists the entry was found, when more than one."""
    names = [name for name in map(clean, entry.authors) if name]
    authors = ", ".join(names[:-1] if names[-1:] == ["others"] else names)
    if names[-1:] == ["others"] and authors:
        authors += " et al."
    published = " ".join(part for part in (clean(entry.venue or ""), str(entry.year or "")) if part)
    byline = ", ".join(part for part in (authors, published) if part)
    tags = ", ".join(
        tag for tag in map(clean, entry.tags) if tag and tag.casefold() not in hidden_tags
    )
    lists = len({occurrence.source for occurrence in entry.occurrences})
    parts = [
        byline,
        f"Tags: {tags}" if tags else "",
        f"Listed in {lists} lists" if lists > 1 else "",
    ]
    return " ".join(part if _ENDS_SENTENCE.search(part) else f"{part}." for part in parts if part)

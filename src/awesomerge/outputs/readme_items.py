"""One entry as one README.md list item, in the form awesome-lint's list-item rules accept::

    - [Title](url) - Description. Related: [code](url). *Karpathy, 2023. Listed in 2 lists.*

The title is the entry's, unless that is a bare URL or a link label ("here", "Paper"): then
another occurrence's, else one made from the entry's identifiers or its URL ("owner/repo",
"arXiv:1706.03762", "Capturing the flag with gpt 4 (micahflee.com)").

The description is the entry's own, capitalised and ended with a full stop; an entry without one
has none (awesome-lint accepts ``- [Title](url)``, and ``- [Title](url) - *Authors.*``). Its
sentences that point elsewhere in their own list ("Companion video above.") are dropped, and a
long one is cut after the last whole sentence within `MAX_DESCRIPTION` characters. A label goes
in front ("Paper: ...") when the text would start in a way awesome-lint refuses or repeat the
title. The emphasised part gives authors, year, tags and, when more than one list holds the
entry, how many. An entry whose URL is not an http(s) address is written as text with its
address in a code span, never as a link. The words are data, in ``readme.toml``.
"""

from __future__ import annotations

import re
from functools import cache

from sentencex import segment  # type: ignore[import-untyped]  # no type information

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
from awesomerge.outputs.readme_sections import Taxonomy, default_taxonomy, readme_words
from awesomerge.outputs.shown_titles import visible_title

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
#: A description longer than this is cut after its last whole sentence within it: an item is
#: read at a glance, and the lists' 99th percentile is about 250 characters, so only the few
#: that paste a whole abstract are cut.
MAX_DESCRIPTION = 280
_ELLIPSIS = "…"
_SCRIPTS = (
    ("ru", re.compile("[\u0400-\u04ff]")),
    ("ja", re.compile("[\u3040-\u30ff]")),
    ("zh", re.compile("[\u4e00-\u9fff]")),
    ("el", re.compile("[\u0370-\u03ff]")),
)
#: What joins an item's name to the rest of a description that starts with it.
_AFTER_TITLE = re.compile(r"\s*(?:(?:[,:]\s*|\s[-–—]\s*)(?:(?:is|are)\s+)?|\s+(?:is|are)\s+)(?=\w)")
_ENDS_SENTENCE = re.compile(r"[.!?…][\"”]?$")
_ORDERED_MARKER = re.compile(r"\d{1,9}(?=[.)])")


def entry_item(
    entry: Entry,
    hidden_tags: set[str] | frozenset[str] = frozenset(),
    taxonomy: Taxonomy | None = None,
) -> str:
    """``- [Title](url) - Description. Related: [...](...). *Authors, year. Tags. Listed in N
    lists.*``, or the title as text with the address in a code span when it is no web link.
    `taxonomy` tells the headings that say nothing (see `visible_title`)."""
    title = visible_title(entry, taxonomy or default_taxonomy())
    linked = is_linkable(entry.url)
    related, related_text = _related(entry.related, linked)
    meta = _meta(entry, hidden_tags)
    text = _description(entry, title, f"{related_text} {meta}")
    description = inline(text)
    if description.endswith("`"):  # the item must end in punctuation, not in a code span
        description += "."
    parts = (description, related, f"*{inline(meta)}*" if meta else "")
    tail = " ".join(part for part in parts if part)
    tail = f" - {tail}" if tail else ""
    if linked:
        return f"- [{inline(title)}]({destination(entry.url)}){tail}"
    address = f" (not a web link: {code_span(clean(entry.url))})" if clean(entry.url) else ""
    return f"- {_unlinked_title(title)}{address}{tail}"


@cache
def _contextreadme_words() -> tuple[str, ...]:
    return tuple(word.casefold() for word in readme_words()["descriptions"]["context_words"])


@cache
def _context_bound() -> re.Pattern[str]:
    """The context-bound phrases of readme.toml as one pattern."""
    patterns = readme_words()["descriptions"]["context_bound"]
    return re.compile("|".join(f"(?:{pattern})" for pattern in patterns), re.IGNORECASE)


def _language(text: str) -> str:
    """The language whose abbreviations the sentence splitter knows, told by the script: the
    lists do not say which language they are in, and Latin-script ones are mostly English."""
    for language, script in _SCRIPTS:
        if script.search(text):
            return language
    return "en"


def readable_description(text: str) -> str:
    """The description without its sentences that point elsewhere in their list, and cut after
    the last whole sentence within `MAX_DESCRIPTION` characters; a first sentence longer than
    that is cut after a word, with an ellipsis."""
    text = clean(text)
    context_bound = _context_bound()
    folded = text.casefold()
    bound = any(word in folded for word in _contextreadme_words())
    if len(text) <= MAX_DESCRIPTION and not (bound and context_bound.search(text)):
        return text  # most descriptions: nothing to drop or cut, and no sentence to split
    sentences = [clean(sentence) for sentence in segment(_language(text), text)]
    kept = [sentence for sentence in sentences if sentence and not context_bound.search(sentence)]
    result = ""
    for sentence in kept:
        longer = f"{result} {sentence}" if result else sentence
        if len(longer) > MAX_DESCRIPTION:
            break
        result = longer
    if not result and kept:
        cut = kept[0][: MAX_DESCRIPTION - 1].rsplit(" ", 1)[0].rstrip(" ,;:-–—")
        result = cut + _ELLIPSIS
    return result


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
    """The entry's description as text awesome-lint accepts, "" when it has none; a label goes
    in front when the text would start badly or repeat the title."""
    text = capitalise(readable_description(entry.description or ""))
    if not text:
        # awesome-lint's no-repeat rule reads what follows the dash: the byline may not start
        # with the title.
        return _label(entry, title) + ":" if _repeats(title, after) else ""
    if not _ENDS_SENTENCE.search(text):
        text += "."
    if _repeats(title, text):
        text = _without_title(title, text)
    if not starts_with_valid_casing(text) or _repeats(title, f"{text} {after}"):
        text = f"{_label(entry, title)}: {text}"
    return text


def _without_title(title: str, text: str) -> str:
    """A description that names its item first, as awesome-lint forbids, without the name:
    "Foundry is a blazing fast toolkit." is "A blazing fast toolkit.", "Learn Docker - curated
    list." is "Curated list."; the text as it is when what follows the name is no such
    phrase."""
    rest = _AFTER_TITLE.match(text[len(title) :])
    if rest is None or not text[len(title) + rest.end() :].strip():
        return text
    shorter = capitalise(text[len(title) + rest.end() :])
    return shorter if starts_with_valid_casing(shorter) else text


def _label(entry: Entry, title: str) -> str:
    """The entry's kind, as a word that does not start as the title does."""
    return next(
        label
        for label in (_kind_label(entry.kind), "Resource", "Entry")
        if label[0].casefold() != title[0].casefold()
    )


def _kind_label(kind: str) -> str:
    if kind in _KIND_LABELS:
        return _KIND_LABELS[kind]
    return kind.capitalize() if re.fullmatch(r"[a-z][a-z ]*", kind) else "Resource"


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

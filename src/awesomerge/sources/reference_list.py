"""The ``reference-list`` source: long lists of bare ``- [Title](url)`` references, often folded
in ``<details>``, whose link texts are web page titles copied from a browser.

Such a title carries the page's clutter: an arXiv id in brackets (``[1706.03762] Attention Is All
You Need``), the site's name after a separator (``… | TechCrunch``) or GitHub's page title form
(``GitHub - owner/repo: description``). The source reads the list like any other and cleans those
titles; the arXiv id becomes an identifier, a repository's description the item's description.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

from awesomerge.anatomy import tidy_title
from awesomerge.api import Source, SourceRegistrar
from awesomerge.document import Document
from awesomerge.extract import Extractor
from awesomerge.hookspecs import hookimpl
from awesomerge.markdown import InlineText, Link, ListItem
from awesomerge.models import Item, ParseResult
from awesomerge.urls import hostname

MIN_REFERENCES = 8
"""Fewer linked items than this is too little to call a document a reference list."""

_LEADING_BRACKET = re.compile(r"\[(?P<inner>[^\]\s]+)\]\s+(?=\S)")
_ARXIV_NEW_STYLE = re.compile(r"(?P<yy>\d\d)(?P<mm>\d\d)\.(?P<number>\d{4,5})(?:v\d+)?")
_ARXIV_OLD_STYLE = re.compile(
    r"(?P<archive>[a-z]+(?:-[a-z]+)?)(?:\.[A-Z]{2})?/(?P<yy>\d\d)(?P<mm>\d\d)(?P<number>\d{3})"
    r"(?:v\d+)?"
)
_GITHUB_PAGE_TITLE = re.compile(
    r"GitHub - (?P<repository>[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9._-]+)(?:: (?P<about>.+))?"
)
_SITE_SEPARATOR = re.compile(r" [-|–—·] ")
_WORD = re.compile(r"\w+")
_NOT_LETTER_OR_DIGIT = re.compile(r"[^a-z0-9]")
_WWW = re.compile(r"^www\d*\.")


@dataclass(frozen=True)
class CleanTitle:
    """A page title with its clutter taken off, and what the clutter told."""

    title: str
    arxiv: str | None = None
    repository_about: str | None = None
    site: str | None = None


def arxiv_id(text: str) -> str | None:
    """The arXiv id that `text` is, without its version; None when it only looks like one.

    New-style ids (April 2007 on) have 4 digits after the dot until 1412 and 5 from 1501;
    old-style ids name an archive and a year from 1991 to 2007. Month and year are checked, so a
    tag such as "[D]" or a version "[1.2.3]" is not taken for an id.
    """
    new = _ARXIV_NEW_STYLE.fullmatch(text)
    if new is not None:
        yymm = int(new["yy"] + new["mm"])
        digits = 4 if yymm <= 1412 else 5
        valid = 1 <= int(new["mm"]) <= 12 and yymm >= 704 and len(new["number"]) == digits
        return f"{new['yy']}{new['mm']}.{new['number']}" if valid else None
    old = _ARXIV_OLD_STYLE.fullmatch(text)
    if old is not None:
        valid = 1 <= int(old["mm"]) <= 12 and (int(old["yy"]) >= 91 or int(old["yy"]) <= 7)
        return f"{old['archive']}/{old['yy']}{old['mm']}{old['number']}" if valid else None
    return None


@cache
def known_sites() -> dict[str, tuple[str, ...]]:
    """Site names that do not spell their host, with their domains (reference_list_sites.toml)."""
    data_file = resources.files("awesomerge.sources").joinpath("reference_list_sites.toml")
    data = tomllib.loads(data_file.read_text(encoding="utf-8"))
    return {name.casefold(): tuple(domains) for name, domains in data["sites"].items()}


def host_of(url: str) -> str:
    return _WWW.sub("", hostname(url).casefold())


def names_site(suffix: str, url: str) -> bool:
    """True when `suffix` names the site `url` points into.

    Either the suffix is a known site whose domains hold the host, or it spells the host: every
    word of it occurs in the host's letters and the words cover at least half of them
    ("Google AI Blog" on ai.googleblog.com, "Hugging Face" on huggingface.co).
    """
    host = host_of(url)
    domains = known_sites().get(suffix.casefold(), ())
    if any(host == domain or host.endswith(f".{domain}") for domain in domains):
        return True
    words = _WORD.findall(suffix.casefold())
    letters = _NOT_LETTER_OR_DIGIT.sub("", host)
    covered = sum(len(word) for word in words)
    return bool(words) and all(word in letters for word in words) and 2 * covered >= len(letters)


def without_site_suffix(title: str, url: str) -> tuple[str, str | None]:
    """Split "Title | Site" into ("Title", "Site") when the part after the last separator names
    the site. A title shorter than its site name keeps it: "OpenAI - Wikipedia" and "Research |
    Stanford HAI" need the site to say what the page is."""
    separators = list(_SITE_SEPARATOR.finditer(title))
    if not separators:
        return title, None
    last = separators[-1]
    head, suffix = title[: last.start()].strip(), title[last.end() :].strip()
    if head and len(suffix) <= len(head) and names_site(suffix, url):
        return head, suffix
    return title, None


def clean_title(title: str, url: str) -> CleanTitle:
    """Take a page title's clutter off: a leading arXiv id, GitHub's form, a site suffix."""
    arxiv = None
    bracket = _LEADING_BRACKET.match(title)
    if bracket is not None:
        arxiv = arxiv_id(bracket["inner"])
        if arxiv is not None:
            title = title[bracket.end() :]
    github = _GITHUB_PAGE_TITLE.fullmatch(title)
    if github is not None:
        return CleanTitle(github["repository"], arxiv, repository_about=github["about"])
    title, site = without_site_suffix(title, url)
    return CleanTitle(title, arxiv, site=site)


def is_bare_reference(item: ListItem) -> bool:
    """True for a list item that is one web link and nothing else: ``- [Title](url)``."""
    inline: InlineText = item.inline
    if item.extra or len(inline.links) != 1 or not inline.web_links:
        return False
    link = inline.links[0]
    return not inline.before(link) and not inline.after(link).strip(".,;")


def lines_in_details(lines: list[str]) -> set[int]:
    """The 1-based numbers of the lines between ``<details>`` and ``</details>``."""
    inside: set[int] = set()
    depth = 0
    for number, line in enumerate(lines, start=1):
        lowered = line.casefold()
        depth += lowered.count("<details")
        if depth > 0:
            inside.add(number)
        depth = max(0, depth - lowered.count("</details"))
    return inside


def looks_like_page_title(link: Link) -> bool:
    cleaned = clean_title(link.text, link.url)
    return cleaned.title != link.text


class ReferenceListExtractor(Extractor):
    """Reads every item as usual, then cleans its title."""

    def item_from_link(
        self,
        inline: InlineText,
        link: Link,
        line: int,
        section: str | None,
        related: list[Link] | None = None,
    ) -> Item:
        item = super().item_from_link(inline, link, line, section, related)
        if item.title == item.url:
            return item
        cleaned = clean_title(item.written_title or item.title, item.url)
        update: dict[str, object] = {}
        if cleaned.arxiv is not None:
            update["identifiers"] = {**item.identifiers, "arxiv": cleaned.arxiv}
        if cleaned.repository_about is not None:
            descriptions = (cleaned.repository_about, item.description)
            update["description"] = " | ".join(text for text in descriptions if text)
        return self.retitle(item, tidy_title(cleaned.title), **update)


class ReferenceListSource(Source):
    name = "reference-list"
    description = (
        "Long lists of bare [Title](url) references, often in <details>; cleans page titles "
        "(arXiv ids, site suffixes, GitHub - owner/repo)"
    )

    def detect(self, document: Document) -> float:
        """The share of linked items that are bare references, weighed by what marks a
        reference list: being folded in <details>, and titles copied from web pages."""
        tree = document.markdown
        items = [item for item in tree.of_type(ListItem) if item.web_links]
        if len(items) < MIN_REFERENCES:
            return 0.0
        parents = {item.parent for item in tree.of_type(ListItem) if item.parent is not None}
        bare = [item for item in items if item.index not in parents and is_bare_reference(item)]
        if not bare:
            return 0.0
        folded = lines_in_details(document.lines)
        in_details = sum(item.line in folded for item in bare) / len(bare)
        page_titles = sum(looks_like_page_title(item.inline.links[0]) for item in bare) / len(bare)
        evidence = max(in_details, min(1.0, 3 * page_titles))
        return round(len(bare) / len(items) * (0.25 + 0.75 * evidence), 2)

    def parse(self, document: Document) -> ParseResult:
        return ReferenceListExtractor(document).run()


@hookimpl
def register_sources(register: SourceRegistrar) -> None:
    register(ReferenceListSource)

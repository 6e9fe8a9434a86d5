"""The anatomy of a listed item: one reading of its parts, shared by every source.

A source plugin decides what the items of a list are (bullets, rows, paragraphs, summaries);
`read_item` then reads one item's inline text into roles:

* the **primary link**, the resource itself, and its **title**, in this order of preference:
  informative link text; bold, underlined or quoted text; the row's name cell; "N) Title"; the
  text before the links. A link label ("Paper", "[pdf]", "代码", a venue) is never a title;
* the **authors**: italic names, "by X", an author column, a citation's leading names;
* the **venue** and the **year**, from dates, venue tags and columns;
* every other link as a **related** link with its role (paper, code, tweet, video, ...);
* the **description**: whatever text remains.

The words it knows (link labels per role and language, hosts, venues, column names) are data in
``anatomy.toml``.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources

from awesomerge.markdown import InlineText, Link, clean_text
from awesomerge.urls import hostname, is_web_url

#: Roles that never make an item's primary link while another link is there.
LAST_ROLES = frozenset({"badge", "tweet", "citation"})

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_Y4 = r"((?:19[5-9]|20[0-3])\d)"
#: Date and year shapes, strongest first; each captures the year (four digits or two).
_YEAR_SHAPES = (
    re.compile(
        rf"(?<![\w/.]){_Y4}[/.\-](?:0?[1-9]|1[0-2])(?:[/.\-](?:0?[1-9]|[12]\d|3[01]))?(?![\w/])"
    ),
    re.compile(rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH},?\s+{_Y4}\b", re.IGNORECASE),
    re.compile(rf"\b{_MONTH}\s+(?:\d{{1,2}}(?:st|nd|rd|th)?,?\s+)?{_Y4}\b", re.IGNORECASE),
    re.compile(rf"\b(?:0?[1-9]|1[0-2])/(?:0?[1-9]|[12]\d|3[01])/{_Y4}\b"),
    re.compile(rf"[(\[][^()\[\]]{{0,40}}?(?<!\d){_Y4}(?!\d)[^()\[\]]{{0,40}}[)\]]"),
    # A year standing alone only where a sentence or a list of facts ends with it: ", 2014."
    re.compile(rf"(?:^|[,.;:]\s*|\s)(?<![\w.]){_Y4}(?:[a-z]|\.)?(?=\s*(?:[,.;:)\]|·•\-–—]|$))"),
)
_VENUE_WORD = re.compile(r"\w+")
_ANY_YEAR = re.compile(r"(?:19[5-9]|20[0-3])\d")
_TWO_DIGIT_VENUE_YEAR = r"\s?['’`‘\-]\s?(\d{2})(?!\d)"
#: A pattern that starts with \s* is searched from where a run of spaces starts, or from the
#: sign itself when the last match took the spaces: from inside a long run of spaces each try
#: would read the whole run again. The same idea keeps the other patterns here linear.
_NAME_SPLIT = re.compile(
    r"(?<!\s)\s*(?:,|;|&|\band\b|、|，)\s*"  # from where the spaces start
    r"|(?<=\s)(?:,|;|&|\band\b|、|，)\s*"  # or at the sign, after spaces the last match took
)
_NAME_TOKEN = re.compile(
    r"^(?:[A-Z][\w'’\-]*\.?|[A-Z]\.(?:-?[A-Z]\.)*|[\u4e00-\u9fff]{1,4}|"
    r"(?:van|von|de|der|den|del|della|di|da|du|le|la|bin|al|dos|das|y)|\*)$"
)
_INITIALS = re.compile(r"(?:[A-Z]\.[\s-]?)+")
_CJK = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
_BY = re.compile(r"(?:^|[\s(,;—–-])(?:by|By|BY|from|作者[:：]?)\s+(.+)$")
_LABEL_EDGES = re.compile(r"^[\W_]+|[\W_]+$")
#: Tails that a label may carry ("Code (PyTorch)", "Paper 1", "Blog II", "Website - Part 1"),
#: each anchored at the end and tried one at a time, so that no pattern can backtrack.
_LABEL_TAILS = (
    re.compile(r"\s*\([^()]*\)$"),
    re.compile(r"\s*\d+$"),
    re.compile(r"[\s\-–]*part\s*\d+$", re.IGNORECASE),
    re.compile(r"\s+[-–:]\s.*$"),
    re.compile(r"\s+(?:i{1,3}|iv|vi{0,3}|ix)$", re.IGNORECASE),
)
#: A link text longer than this is never a label.
MAX_LABEL = 60
#: How much of an item's text the patterns read: an entry's parts stand in its first lines, and
#: a bound keeps every pattern linear in the input whatever a hostile list holds.
MAX_READ = 3000
_NUMBERED_TITLE = re.compile(r"^\s*\(?\d{1,4}[.)]\s+(?P<title>[^\[\]]+?)(?=\s+[—–-]\s+|\s*$|\s*\[)")
_APA = re.compile(
    # The authors run to the first "(" and end on a letter: not lazily, each try reading the
    # spaces after it again.
    r"^(?:\[\d+\]\s*)?(?P<authors>[^()]*[^()\s])\s*\((?P<year>\d{4})[a-z]?\)\.?\s*"
    r"(?P<title>[^.]+?)[.?!](?:\s|$)"
)
_CITATION_NUMBER = re.compile(r"^\s*(?:\[\d{1,4}\]|\(\d{1,4}\)|\d{1,4}[.)])\s*")
_QUOTED = re.compile(r"[\"“„«]([^\"“”„«»]{6,}?)[\"”»]")
_SEPARATORS = re.compile(
    r"^[\s\-–—:|,;.·•+/]+"
    r"|(?<![\s\-–—:|,;·•+/])[\s\-–—:|,;·•+/]+$"  # from where the run at the end starts
)
_LEFTOVER_BRACKETS = re.compile(r"\[\s*\]|\(\s*\)|\{\s*\}|<\s*>")
_RUNS_OF_SEPARATORS = re.compile(
    r"(?:(?<!\s)\s*|(?<=\s))[|·•](?:\s*[|·•])+\s*|(?<!\s)\s+[,;]\s*(?=[,;]|$)"
)
_DASH = re.compile(r"(?<!\s)\s+[—–-]\s+")
_SPACE_BEFORE_STOP = re.compile(r"(?<!\s)\s+([.,;:!?])(?=\s|$)")
_ONLY_MARKS = re.compile(r"^[\W\d_]*$")
_PLACEHOLDER = re.compile(r"^(?:n/?a|none|no|tbd|todo|-+|—|–|\?|x|✗|✘|❌)$", re.IGNORECASE)
_NOT_NAME_WORDS = frozenset(
    [
        "the",
        "a",
        "an",
        "of",
        "for",
        "with",
        "in",
        "on",
        "to",
        "and",
        "or",
        "is",
        "are",
        "via",
        "from",
        "using",
        "towards",
        "toward",
        "into",
        "our",
        "we",
        "library",
        "framework",
        "tool",
        "toolkit",
        "model",
        "models",
        "paper",
        "survey",
        "based",
        "large",
        "language",
        "learning",
        "network",
        "networks",
        "data",
        "dataset",
        "official",
        "implementation",
        "code",
        "source",
        "benchmark",
        "api",
        "python",
        "javascript",
        "rust",
        "go",
        "java",
        "open",
        "new",
        "fast",
        "simple",
    ]
)


@dataclass(frozen=True)
class Vocabulary:
    """The words of anatomy.toml, ready for lookup."""

    roles: dict[str, str]
    hosts: dict[str, str]
    venue_pattern: re.Pattern[str]
    columns: dict[str, tuple[str, ...]]
    never_titles: frozenset[str]
    venue_words: frozenset[str]
    """The first word of every venue name, to look for before the whole pattern."""
    et_al: re.Pattern[str]
    """How an author list says "and others" ("et al.", "etc.", "等")."""
    publication_words: frozenset[str]
    """Words that make a name a publication: blog, newsletter, magazine."""


@cache
def vocabulary() -> Vocabulary:
    data = tomllib.loads(
        resources.files("awesomerge").joinpath("anatomy.toml").read_text(encoding="utf-8")
    )
    roles = {word.casefold(): role for role, words in data["roles"].items() for word in words}
    hosts = {host: role for role, names in data["hosts"].items() for host in names}
    venues = tuple(sorted(data["venues"]["names"], key=len, reverse=True))
    names = "|".join(re.escape(venue) for venue in venues)
    pattern = re.compile(
        rf"(?<![\w@])(?P<venue>{names})(?:\s*(?:Findings|Workshop|Oral|Spotlight|main))?"
        rf"(?:[\s,]*(?P<year>(?:19[5-9]|20[0-3])\d)(?!\d)|{_TWO_DIGIT_VENUE_YEAR})?(?![\w])"
    )
    columns = {
        role: tuple(name.casefold() for name in names) for role, names in data["columns"].items()
    }
    never = frozenset(word.casefold() for word in data["never_titles"]["words"])
    first_words = frozenset(_VENUE_WORD.findall(" ".join(venue.split()[0] for venue in venues)))
    et_al = _et_al_pattern(data["et_al"]["words"], data["et_al"]["at_end"])
    publications = frozenset(word.casefold() for word in data["publications"]["words"])
    return Vocabulary(roles, hosts, pattern, columns, never, first_words, et_al, publications)


def _et_al_pattern(words: list[str], at_end: list[str]) -> re.Pattern[str]:
    """The forms as one pattern: "et al" matches "et. al.", "Et al" and "et.al."; each word
    takes an optional dot, the spaces between words are optional; `at_end` forms match only
    at the end of the text."""
    forms = []
    for phrase in sorted(words, key=len, reverse=True):
        tokens = [re.escape(token) + r"\.?" for token in phrase.replace(".", " ").split()]
        forms.append(r"\b" + r"\s*".join(tokens) + r"(?!\w)")
    ends = "|".join(re.escape(form) for form in sorted(at_end, key=len, reverse=True))
    return re.compile("|".join(forms) + (f"|(?:{ends})$" if ends else ""), re.IGNORECASE)


@dataclass(frozen=True)
class Hints:
    """What a shape plugin already knows about an item, beyond its inline text."""

    name: str | None = None
    """The text of a row's name cell: a title when no link names the resource."""
    name_url: str | None = None
    """The first web link of a row's name cell: the resource the row is about."""
    authors: tuple[str, ...] = ()
    year: int | None = None
    venue: str | None = None
    bold_authors: bool = False
    """Bold text before the link names the authors (a gist legend says so), not the title."""


@dataclass(frozen=True)
class RoleLink:
    """A link of an item with what it is: a role such as "code", or None for a resource name."""

    link: Link
    role: str | None


@dataclass(frozen=True)
class Reading:
    """An item's parts."""

    primary: Link
    title: str
    authors: tuple[str, ...] = ()
    venue: str | None = None
    year: int | None = None
    related: tuple[RoleLink, ...] = ()
    description: str | None = None
    title_from_link: bool = True
    written_title: str | None = None
    """The title's text as the list wrote it, before a trailing "(2018)" or full stop went."""


@lru_cache(maxsize=1 << 16)
def label_key(text: str) -> str:
    """A link text as a label lookup key: "[[PDF]]", "📄 Paper:", "`Code`" give "pdf", "paper"."""
    return " ".join(_LABEL_EDGES.sub("", clean_text(text).casefold()).split())


@lru_cache(maxsize=1 << 16)
def label_role(text: str) -> str | None:
    """The role a link text names when it is a label ("Paper", "代码", "CVPR 2024"), else None."""
    words = vocabulary()
    if len(text) > MAX_LABEL:
        return None
    key = label_key(text)
    if not key:
        return None
    if key in words.roles:
        return words.roles[key]
    if key.endswith("s") and key[:-1] in words.roles:  # "leaderboards", "lectures"
        return words.roles[key[:-1]]
    short = label_key(_without_tails(clean_text(text).casefold().strip("[]`*_ ")))
    if short in words.roles and len(key.split()) <= 4:
        return words.roles[short]
    venue = words.venue_pattern.fullmatch(_LABEL_EDGES.sub("", clean_text(text)))
    if venue is not None:
        return "paper"
    if re.fullmatch(r"(?:arxiv[:\s]*)?\d{4}\.\d{4,5}(?:v\d+)?", key):
        return "paper"
    return None


def is_bare_label(title: str) -> bool:
    """True for a title that is only a link label ("Paper", "[pdf]", "代码"): it names nothing."""
    return len(title) <= MAX_LABEL and label_key(title) in vocabulary().never_titles


def _without_tails(key: str) -> str:
    if len(key) > MAX_LABEL:  # a label is short: the tails are read on its few characters only
        return key
    for _ in range(4):
        for tail in _LABEL_TAILS:
            shorter = tail.sub("", key)
            if shorter != key:
                key = shorter
                break
        else:
            return key
    return key


def host_role(url: str) -> str:
    """What a URL's host says a link is: "code" for github.com, "paper" for arxiv.org, ..."""
    host = hostname(url)
    hosts = vocabulary().hosts
    if host in hosts:
        return hosts[host]
    parent = host.split(".", 1)[-1] if host.count(".") > 1 else host
    return hosts.get(parent, "link")


def is_badge(inline: InlineText, link: Link) -> bool:
    """True when a link holds only images: a shield or a logo."""
    return inline.holds_only_images(link)


_LABEL_BEFORE = re.compile(r"([^\W\d][\w ]{0,24}?)\s*[:：]\s*[\[(]?\s*$")


def link_role(inline: InlineText, link: Link) -> str | None:
    """The role of a link within its item; None when its text names a resource.

    A label written before the link says it as well as its text: ``Code: [NVlabs/DoRA](u)``.
    """
    if is_badge(inline, link):
        return "badge"
    # Only the 30 characters before the link, on its line: not back to the line's start.
    window = max(0, link.start - 30)
    line_start = inline.text.rfind("\n", window, link.start) + 1
    before = _LABEL_BEFORE.search(inline.text[max(line_start, window) : link.start])
    if before is not None:
        role = label_role(before.group(1))
        if role is not None and role != "link":
            return role
    text = clean_text(link.text)
    if not text or text == link.url or link.kind in ("bare", "autolink"):
        return "link"
    role = label_role(text)
    if role == "paper" and _is_bare_venue(text) and host_role(link.url) == "code":
        return None  # "[Lancet](github.com/…/lancet)": a project named like a journal
    return role


def _is_bare_venue(text: str) -> bool:
    """A venue's name without a year, as a whole link text: "MLSys", "Nature"."""
    match = vocabulary().venue_pattern.fullmatch(_LABEL_EDGES.sub("", clean_text(text)))
    return match is not None and match.group("year") is None and match.groups()[-1] is None


def role_of(inline: InlineText, link: Link) -> str:
    """A related link's role: its label's, else its host's."""
    return _known_role(link_role(inline, link), link)


def _known_role(role: str | None, link: Link) -> str:
    """A related link's role from its already-read label role, else its host's."""
    return host_role(link.url) if role in (None, "link") else role


@dataclass
class _Parts:
    """The working state of one reading: what is taken out of the text so far."""

    inline: InlineText
    taken: list[tuple[int, int]] = field(default_factory=list)

    def take(self, start: int, end: int) -> None:
        self.taken.append((start, end))

    def free(self, start: int, end: int) -> bool:
        return not any(start < b and a < end for a, b in self.taken)

    def remaining(self, start: int = 0, end: int | None = None) -> str:
        """The text between start and end with every taken run blanked out."""
        text = self.inline.text
        end = len(text) if end is None else end
        end = min(end, start + MAX_READ)  # a huge item is read no further than this
        pieces: list[str] = []
        position = start
        for a, b in sorted(self.taken):
            a, b = max(a, position), min(b, end)
            if a >= b:
                continue
            pieces += [text[position:a], " " * (b - a)]
            position = b
        pieces.append(text[position:end])
        return "".join(pieces)


def read_item(
    inline: InlineText, hints: Hints = Hints(), primary: Link | None = None
) -> Reading | None:
    """The parts of one item; None when it has no web link. `primary` forces the resource link."""
    web = [link for link in inline.links if is_web_url(link.url)]
    if not web:
        return None
    roles = {id(link): link_role(inline, link) for link in web}
    if primary is None and hints.name_url is not None:
        primary = next((link for link in web if link.url == hints.name_url), None)
    parts = _Parts(inline)
    informative = [link for link in web if roles[id(link)] is None]
    title, title_span, from_link = "", None, False
    local = _local_title_link(inline, web)
    if (
        primary is None
        and local is not None
        and (not informative or local.start < informative[0].start)
    ):
        # A relative link names the resource ("[Title](papers/x.pdf)"); a web link serves it.
        title, title_span = clean_text(local.text), (local.start, local.end)
    if primary is not None and roles[id(primary)] is None:
        title, title_span, from_link = clean_text(primary.text), (primary.start, primary.end), True
    elif primary is None and informative and not _title_span_before(inline, informative[0]):
        primary = informative[0]
        title, title_span, from_link = clean_text(primary.text), (primary.start, primary.end), True
    if not title:
        title, title_span = _styled_title(inline, hints)
        if title_span is not None and any(roles[id(link)] == "paper" for link in web):
            title, title_span = _name_and_title(inline, title_span, web)
    if not title and hints.name:
        title = hints.name
    if not title:
        title, title_span = _numbered_or_lead_title(inline, web)
        cited = _cited_title(inline, web)
        if cited is not None:
            title, title_span = cited
    if primary is None:
        primary = _choose_primary(inline, web, roles, title, informative)
    if not title:  # nothing names it but its own link: a label, which the Extractor replaces
        title = clean_text(primary.text) or primary.url
        title_span = (primary.start, primary.end)
        from_link = True
    if title_span is not None:
        parts.take(*title_span)
    for link in web:
        if link is not primary and roles[id(link)] is not None and not _in_sentence(inline, link):
            parts.take(link.start, link.end)
    parts.take(primary.start, primary.end)
    written_title = title
    title, title_year = _title_year(title)
    authors = list(hints.authors) or _authors(parts, title_span, from_link)
    authors, publication = without_publications(authors, primary.url)
    venue, venue_year = _venue(parts, web, roles)
    venue = venue or publication
    year = hints.year or _year(parts) or venue_year or title_year
    relative = _relative_links(inline)
    related = tuple(
        RoleLink(link, _known_role(roles[id(link)], link)) for link in web if link is not primary
    ) + tuple(RoleLink(link, link_role(inline, link) or "link") for link in relative)
    for link in relative:
        if not _in_sentence(inline, link):
            parts.take(link.start, link.end)
    return Reading(
        primary=primary,
        title=tidy_title(title),
        authors=tuple(authors),
        venue=hints.venue or venue,
        year=year,
        related=related,
        description=_description(parts, title_span, from_link),
        title_from_link=from_link,
        written_title=written_title,
    )


def _relative_links(inline: InlineText) -> list[Link]:
    """Links to paths of the list's own site or repository, kept as written: ``papers/x.pdf``.

    Anchors into the page and mail addresses are navigation, not resources.
    """
    return [link for link in inline.links if _is_relative(link.url)]


def _is_relative(url: str) -> bool:
    return bool(url) and not is_web_url(url) and not url.startswith(_NOT_RESOURCES)


#: Link destinations that point at no resource of the list: anchors, mail, scripts, data.
_NOT_RESOURCES = ("#", "mailto:", "javascript:", "data:", "tel:")


def _in_sentence(inline: InlineText, link: Link) -> bool:
    """True for a label link that is part of a sentence: "pre-training, with [code](u)."."""
    if link.kind in ("bare", "autolink") or is_badge(inline, link):
        return False
    text = inline.text
    before = link.start  # where the text before the link ends, spaces left out: not a copy
    while before > 0 and text[before - 1].isspace():
        before -= 1
    if not before or link.text.startswith(("[", "(")):
        return False
    if before in inline.link_ends:
        return False  # right after another link: "[Title](u) [code](u)"
    last = text[before - 1]
    if last == ",":
        return inline.text[link.start - 1].isspace()  # "Knowledge,[arXiv](u)" ends the title
    return last.isascii() and last.isalpha()


def _local_title_link(inline: InlineText, web: Sequence[Link]) -> Link | None:
    """The first link to a relative path whose text names a resource, if any."""
    web_ids = {id(link) for link in web}
    for link in inline.links:
        if id(link) in web_ids or link.kind != "link" or not _is_relative(link.url):
            continue
        text = clean_text(link.text)
        if text and label_role(text) is None and not is_badge(inline, link):
            return link
    return None


def _title_span_before(inline: InlineText, first: Link) -> bool:
    """True when a bold, underlined or quoted title stands before the first naming link.

    ``**Title** by [Ann Lee](u) [pdf](u)`` is titled by its bold text, not by the person.
    """
    lead = inline.text[: first.start]
    if not lead.strip() or len(clean_text(lead)) < 12:
        return False
    for span in inline.spans:
        if span.end > first.start:
            break
        text = inline.text[span.start : span.end]
        between = inline.text[span.end : first.start]
        if re.fullmatch(r"[\s:|→⟶>»=\-–—]*", between):
            continue  # "**Learn the basics** → [Course](u)": a run-in label for the link
        if span.kind in ("strong", "underline") and _title_like(text) and not split_names(text):
            return len(clean_text(text)) >= 12
    return False


def _title_like(text: str) -> bool:
    cleaned = clean_text(text).strip(" .:")
    if len(cleaned) < 2 or _ONLY_MARKS.match(cleaned):
        return False
    if label_role(cleaned) is not None or _PLACEHOLDER.match(cleaned):
        return False
    return not re.fullmatch(r"[\[(]?\d{1,4}[\])]?|[\[(]?\d{4}[/.\-]\d{1,2}[\])]?", cleaned)


def _styled_title(inline: InlineText, hints: Hints) -> tuple[str, tuple[int, int] | None]:
    """The first bold, underlined or quoted run outside the links that reads like a title."""
    candidates: list[tuple[int, int, int]] = []
    for span in inline.spans:
        if span.kind not in ("strong", "underline") or (
            span.kind == "strong" and hints.bold_authors
        ):
            continue
        if inline.within_web_link(span.start, span.end) or _bracketed(
            inline.text, span.start, span.end
        ):
            continue  # "[**Nature, 2022.12**]" is where and when, not what
        text = inline.text[span.start : span.end]
        if _title_like(text) and not _is_pseudo_label(text):
            candidates.append((span.start, span.end, 0))
    for match in _QUOTED.finditer(inline.text[:MAX_READ]):
        if len(match.group(1).split()) < 2:
            continue  # a word in quotes is a word in quotes: the "thinking" patterns of LLMs
        if not inline.within_web_link(*match.span(1)) and _title_like(match.group(1)):
            candidates.append((match.start(1), match.end(1), 1))
    if not candidates:
        return "", None
    start, end, _ = min(candidates)
    return clean_text(inline.text[start:end]), (start, end)


_NAME_COLON = re.compile(r"[*_]*\s*:\s+(?P<title>[^\[\]()]{12,300}?)\.?\s*(?=\[|$)")


_CITATION_END = re.compile(r"^(?:(?:19|20)\d{2}|arXiv:?\s*\S+|in\s|pp\.|vol\.)", re.IGNORECASE)


def _cited_title(inline: InlineText, web: Sequence[Link]) -> tuple[str, tuple[int, int]] | None:
    """The title in a citation line under an item named only by its lead text: "Faster R-CNN,
    Microsoft Research [Paper](u)" over "Shaoqing Ren, Kaiming He, Ross Girshick, Jian Sun,
    Faster R-CNN: Towards Real-Time Object Detection ..., arXiv:1506.01497."

    The line starts with two names or more, separated by commas; the title is what follows,
    up to the venue, the year or the arXiv id.
    """
    first = min(link.start for link in web)
    start = inline.text.find("\n", first)
    while 0 <= start < MAX_READ:
        end = inline.text.find("\n", start + 1)
        end = len(inline.text) if end < 0 else end
        found = _citation(inline.text, start + 1, end)
        if found is not None and not inline.within_web_link(*found):
            return clean_text(inline.text[found[0] : found[1]]), found
        start = end if end < len(inline.text) else -1
    return None


def _citation(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Where the title of a citation "Name, Name, Title, Venue, Year." lies in text[start:end]."""
    position, names = start, 0
    while True:
        name = _PERSON.match(text, position, end)
        if name is None or not text.startswith(", ", name.end()):
            break
        names, position = names + 1, name.end() + 2
    if names < 2:
        return None
    title_end = position
    for segment in re.finditer(r"[^,]+", text[position:end]):
        piece = segment.group().strip()
        if title_end > position and (_CITATION_END.match(piece) or _venue_in_citation(piece)):
            break
        title_end = position + segment.end()
    title = text[position:title_end].strip().rstrip(".")
    return (position, position + len(title)) if len(title.split()) >= 3 else None


def _venue_in_citation(piece: str) -> bool:
    """A citation's venue segment: "CVPR", "NIPS 2015", "ICCV, 2015"."""
    return len(piece.split()) <= 3 and vocabulary().venue_pattern.search(piece) is not None


def _bracketed(text: str, start: int, end: int) -> bool:
    before = text[:start].rstrip("*_ ")
    return before.endswith("[") and text[end:].lstrip("*_ ").startswith("]")


def _name_and_title(
    inline: InlineText, span: tuple[int, int], web: Sequence[Link]
) -> tuple[str, tuple[int, int]]:
    """A paper's bold name and the title after it: "**MedPaLM**: Large language models
    encode clinical knowledge. [paper](u)" is titled "MedPaLM: Large language models ...".

    Only before a paper's link: after a tool's name, a colon begins what it does.
    """
    first = min(link.start for link in web)
    after = _NAME_COLON.match(inline.text, span[1], first)
    if after is None or inline.within_web_link(*after.span("title")):
        return clean_text(inline.text[span[0] : span[1]]), span
    name = clean_text(inline.text[span[0] : span[1]])
    return f"{name}: {clean_text(after.group('title'))}", (span[0], after.end("title"))


def _is_pseudo_label(text: str) -> bool:
    """Bold run-in labels such as "**Note:**" or "**Paper:**" are not titles."""
    cleaned = clean_text(text)
    return cleaned.endswith(":") and len(cleaned.split()) <= 2


def _numbered_or_lead_title(
    inline: InlineText, web: Sequence[Link]
) -> tuple[str, tuple[int, int] | None]:
    """ "1) Title — authors", an APA citation's title, or the text before the first link."""
    first = min(link.start for link in web)
    lead = inline.text[: min(first, MAX_READ)]
    apa = _APA.match(lead)
    if apa is not None:
        return clean_text(apa.group("title")), (apa.start("title"), apa.end("title"))
    numbered = _NUMBERED_TITLE.match(lead)
    if numbered is not None:
        return clean_text(numbered.group("title")), (numbered.start("title"), numbered.end("title"))
    text = clean_text(_CITATION_NUMBER.sub("", lead))
    first_link = min(web, key=lambda link: link.start)
    if _in_sentence(inline, first_link) and not _APA.match(lead):
        # "Final shoutout to the [video](u)": the sentence, its link text included, names it.
        sentence = clean_text(inline.text[: first_link.end])
        return _SEPARATORS.sub("", sentence), (0, first_link.end)
    stripped = _SEPARATORS.sub("", text)
    if len(stripped) >= 2 and not _ONLY_MARKS.match(stripped) and _title_like(stripped):
        # Up to the first separator that starts a description: "Name - what it is".
        stripped = _LEADING_TAG.sub("", stripped)
        dash = _DASH.split(stripped, maxsplit=1)
        head = dash[0]
        colon = re.split(r":\s+", head, maxsplit=1)
        if len(dash) == 1 and len(colon) == 2 and not _title_case(colon[1]):
            head = colon[0]  # "Name: what it does"
        start = lead.find(head) if head else -1
        span = (start, start + len(head)) if start >= 0 else None
        return head, span
    return "", None


#: A venue or date tag before a title: "(ArXiv 2025) Title", "[2023/05] Title".
# "[CVPR 2024] Title", "(2023) Title", "2023/03 Title": where and when, before the title.
_LEADING_TAG = re.compile(
    r"^\s*(?:[\[(][^\[\]()]{1,30}[\])]|(?:19|20)\d{2}(?:[./-]\d{1,2})?(?=\s))\s*"
)


def _title_case(text: str) -> bool:
    """True for "Resolving Factual-level Conflicts in RAG": most long words capitalised."""
    words = [word for word in re.findall(r"[^\W\d_][\w'-]*", text) if len(word) > 3]
    return bool(words) and sum(word[0].isupper() for word in words) >= 0.6 * len(words)


def _choose_primary(
    inline: InlineText,
    web: Sequence[Link],
    roles: dict[int, str | None],
    title: str,
    informative: Sequence[Link],
) -> Link:
    if informative:
        return informative[0]
    # A paper's title (several words) is best served by its paper link; a tool's short name by
    # its first link, whatever it is. Badges, tweets and citations come last either way.
    short_name = bool(title) and len(title.split()) <= 2

    def rank(pair: tuple[int, Link]) -> tuple[int, int]:
        index, link = pair
        role = roles[id(link)]
        if role == "link":
            role = host_role(link.url)
        if role in LAST_ROLES:
            return 2, index
        return (0 if short_name or role == "paper" else 1), index

    return min(enumerate(web), key=rank)[1]


def _title_year(title: str) -> tuple[str, int | None]:
    """A year written as "(2018)" at the end of a title comes out of it."""
    match = re.search(rf"\s*\({_Y4}\)\s*$", title)
    if match is None:
        return title, None
    return title[: match.start()], int(match.group(1))


def tidy_title(title: str) -> str:
    """A title without emphasis marks, quotes around it whole, or a lone trailing full stop.

    "Teach With It." keeps its stop after "Don't Ban ChatGPT in Schools.": a title of several
    sentences is written that way.
    """
    text = clean_text(title).strip("*_` ")
    pairs = {'"': '"', "“": "”", "'": "'", "‘": "’", "«": "»"}
    while len(text) > 2 and text[0] in pairs and text.endswith(pairs[text[0]]):
        inner = text[1:-1]
        if any(quote in inner for quote in (text[0], pairs[text[0]])):
            break
        text = inner.strip()
    text = re.sub(r"^[\"“”«»]+(?=\w)", "", text) if text.count('"') == 1 else text
    lone_stop = text.endswith(".") and not text.endswith("..") and ". " not in text[:-1]
    if lone_stop and not re.search(r"\b[A-Z]\.$", text):
        text = text[:-1].rstrip()
    return text.rstrip(" :,;[(") or clean_text(title)


# Authors.


def split_names(text: str) -> list[str] | None:
    """The names in an author list, "et al." as "others"; None when it is not an author list."""
    text = clean_text(text).replace("*", "").strip(" .,;:()\"“”'‘’")
    if not text or len(text) > 600:
        return None
    others = False
    et_al = vocabulary().et_al.search(text)
    if et_al is not None:
        text, others = text[: et_al.start()].strip(" ,;"), True
    parts = [part.strip(" ") for part in _NAME_SPLIT.split(text) if part.strip(" .")]
    parts = [part if _INITIALS.fullmatch(part) else part.rstrip(".") for part in parts]
    if not parts and others:
        return None
    parts = _pair_inverted(parts)
    valid = sum(_is_name(part) for part in parts)
    # One odd spelling ("Jack lanchantin") in a long list of names does not undo the list.
    if valid < len(parts) and (len(parts) < 4 or valid < 0.8 * len(parts)):
        return None
    if any(word.casefold() in _NOT_NAME_WORDS for part in parts for word in part.split()):
        return None
    if not others and len(parts) == 1 and len(parts[0].split()) < 2 and not _CJK.search(parts[0]):
        return None
    return parts + (["others"] if others else [])


def without_publications(names: Sequence[str], url: str) -> tuple[list[str], str | None]:
    """The names without a blog's or magazine's name written among them ("Justin Weinberg,
    Daily Nous" for dailynous.com), and the first such name: the venue. A name alone is kept:
    "Lilian Weng" at lilianweng.github.io is the author of her own site."""
    people = [name for name in names if name != "others"]
    if len(people) < 2:
        return list(names), None
    host_labels = set(hostname(url).removeprefix("www.").split(".")) - {""}
    words = vocabulary().publication_words
    found = [
        name
        for name in people
        if _folded(name) in host_labels
        or any(word.casefold() in words for word in re.findall(r"\w+", name))
    ]
    if not found or len(found) == len(people):
        return list(names), None
    return [name for name in names if name not in found], found[0]


def _folded(name: str) -> str:
    return "".join(char for char in name.casefold() if char.isalnum())


def _is_name(part: str) -> bool:
    tokens = part.split()
    if not 1 <= len(tokens) <= 5 or len(part) > 60:
        return False
    if any(token.casefold() in _NOT_NAME_WORDS for token in tokens):
        return False
    if _CJK.search(part):
        return len(part) <= 12
    return all(_is_name_token(token) for token in tokens) and any(
        len(token.rstrip(".")) > 1 for token in tokens
    )


def _is_name_token(token: str) -> bool:
    """A capitalised word in any script ("Åukasz", "Dessì"), an initial, a particle."""
    if _NAME_TOKEN.match(token):
        return True
    word = token.rstrip(".")
    return (
        bool(word) and word[0].isupper() and all(char.isalpha() or char in "'’-" for char in word)
    )


def _pair_inverted(parts: list[str]) -> list[str]:
    """Names written surname first, as citations do, in reading order.

    "Mikolov, Tomas, Sutskever, Ilya" and "Cho, K., Roukos, S." are two people each; in
    "Sutskever, Ilya, Oriol Vinyals" only the first name is inverted.
    """
    single = [len(part.split()) == 1 for part in parts]
    if (
        len(parts) >= 2
        and not len(parts) % 2
        and all(single)
        and not any(_INITIALS.fullmatch(part) for part in parts[::2])
    ):
        return [
            f"{given} {surname}" for surname, given in zip(parts[::2], parts[1::2], strict=True)
        ]
    paired: list[str] = []
    index = 0
    while index < len(parts):
        part = parts[index]
        following = parts[index + 1] if index + 1 < len(parts) else None
        first_inverted = (
            index == 0 and following is not None and single[0] and single[1]
            and len(parts) > 2 and not single[2]
        )  # fmt: skip
        if (
            following is not None
            and single[index]
            and (_INITIALS.fullmatch(following) or first_inverted)
        ):
            paired.append(f"{following} {part}")
            index += 2
        else:
            paired.append(part)
            index += 1
    return paired


def _authors(parts: _Parts, title_span: tuple[int, int] | None, from_link: bool) -> list[str]:
    inline = parts.inline
    if from_link and title_span is not None:
        # "**Ann Lee** [Title](u)": bold names before a titled link are its authors.
        for span in inline.spans:
            if (
                span.kind == "strong"
                and span.end <= title_span[0]
                and parts.free(span.start, span.end)
            ):
                names = split_names(inline.text[span.start : span.end])
                if names:
                    parts.take(span.start, span.end)
                    return names
    labelled = (
        _AUTHORS_LABEL.search(parts.remaining())
        if ":" in inline.text or "：" in inline.text
        else None
    )
    if labelled is not None:
        names = split_names(labelled.group(1))
        if names:
            parts.take(labelled.start(), labelled.end())
            return names
    for span in inline.spans:
        if span.kind != "emphasis" or not parts.free(span.start, span.end):
            continue
        if inline.within_web_link(span.start, span.end):
            continue
        names = _names_then_rest(parts, span.start, span.end)
        if names:
            return names
    after = title_span[1] if title_span else 0
    tail = parts.remaining(after)
    by = _BY.search(tail) if _MAY_NAME_BY.search(tail) else None
    if by is not None:
        run = _NAME_PREFIX.match(tail, by.start(1))
        if run is not None:
            names = _names_then_rest(parts, after + run.start(), after + run.end())
            if names:
                word = _BY_WORD.search(tail, 0, by.start(1))
                if word is not None:  # "A micro framework by Armin Ronacher.": "by" goes too
                    parts.take(after + word.start(), after + word.end())
                return names
    verb = _POSTED_BY.match(inline.text, after)
    if verb is not None:
        names = [name for name in _NAME_SPLIT.split(verb.group(1)) if name]
        parts.take(after + verb.start(1), after + verb.end(1))
        return names
    if title_span is not None and title_span[0] > 0:
        lead = parts.remaining(0, title_span[0])
        body = _CITATION_NUMBER.sub("", lead)
        start = len(lead) - len(body)
        names = _names_then_rest(parts, start, title_span[0])
        if names:
            return names
    if title_span is not None:
        names = _names_then_rest(parts, after, len(inline.text), leading=True)
        if names:
            return names
    et_al = _SOMEONE_ET_AL.search(parts.remaining(after)) if "et" in inline.text else None
    if et_al is not None:  # "a framework, Wu et al. 2023": et al. marks an author anywhere
        parts.take(after + et_al.start(), after + et_al.end())
        return [et_al.group(1), "others"]
    return []


#: A run of capitalised name words and their joiners: "Andrej Karpathy" in "by Andrej Karpathy
#: that builds ...".
_NAME_WORD = (
    r"(?:[A-Z]\.(?:-?[A-Z]\.)*|[A-Z][\w'’\-]*|[\u4e00-\u9fff]{1,6}|van|von|de|der|di|da|du|le|la)"
)
_NAME_PREFIX = re.compile(
    rf"{_NAME_WORD}(?:\s+{_NAME_WORD})*(?:\s*(?:,|&|\band\b)\s*{_NAME_WORD}(?:\s+{_NAME_WORD})*)*"
    r"(?:,?\s+et\.?\s*al\.?)?"
)
#: A person in a citation: "Shaoqing Ren", "C. Lawrence Zitnick", "Yann LeCun".
_PERSON = re.compile(rf"{_NAME_WORD}(?:\s+{_NAME_WORD}){{1,2}}")
#: Who posted a newsletter's item: "Ram and w0xlt posted to ...", handles included.
_HANDLE = r"(?:[A-Z][\w'’\-]*|[a-z][a-z_\-]*\d[a-z0-9_\-]*)"
_POSTED_BY = re.compile(
    rf"\W*({_HANDLE}(?:\s+[A-Z][\w'’\-]*){{0,2}}(?:\s*(?:,|&|\band\b)\s*{_HANDLE}"
    r"(?:\s+[A-Z][\w'’\-]*){0,2})*)\s+(?:posted|wrote|opened|announced|proposed|published|"
    r"released|described|shared|started|asked|presented|submitted)\b"
)
#: A name starts where a word does, or at any CJK character (its names run together, and are
#: six characters at most): tried inside a long word, it would read the rest of it at each letter.
_NAME_START = r"(?:(?<![\w'’\-])|(?=[\u4e00-\u9fff]))"
_SOMEONE_ET_AL = re.compile(
    rf"{_NAME_START}({_NAME_WORD}(?:\s+{_NAME_WORD}){{0,2}}),?\s+et\.?\s*al\b\.?"
)
_BY_WORD = re.compile(r"(?:by|By|BY|from|作者[:：]?)\s+$")
_MAY_NAME_BY = re.compile(r"\b(?:by|By|BY|from)\s|作者")
_AUTHORS_LABEL = re.compile(
    r"(?:^|\n)[^\w\n]*(?:authors?|by|作者)\s*[:：]\s*([^\n]+)", re.IGNORECASE
)
_NAME_RUN_END = re.compile(
    r"(?<!\s)\s*(?:[()\[\]|·•]|\s[—–-]\s|:\s|(?<=[^\W\d_]{2})\.\s+(?=[A-Z])|$)"
)


def _names_then_rest(parts: _Parts, start: int, end: int, leading: bool = False) -> list[str]:
    """Names at the start of text[start:end], up to a venue, a year or a bracket.

    With `leading`, the run must start right after a separator (", Author et al., ECCV 2020").
    """
    text = parts.remaining(start, end)
    if leading:
        match = re.match(r"^[\s\"”'’*_]*(?:[,.]|[—–-]|by\b|\()\s*", text)
        if match is None:
            return []
        offset = match.end()
    else:
        offset = len(text) - len(text.lstrip())
    body = text[offset:]
    stop = len(body)
    venue = vocabulary().venue_pattern.search(body)
    if venue is not None:
        stop = venue.start()
    for shape in _YEAR_SHAPES[:5]:
        found = shape.search(body)
        if found is not None and found.start() < stop:
            stop = found.start()
    run_end = _NAME_RUN_END.search(body[:stop])
    if run_end is not None:
        stop = min(stop, run_end.start())
    candidate = body[:stop]
    et_al = vocabulary().et_al.search(candidate)
    if et_al is not None:  # "Wei et al., 2022": the names end with et al.
        candidate = candidate[: et_al.end()]
    else:
        later = vocabulary().et_al.search(body)
        if later is not None and later.start() <= stop + 2:
            candidate = body[: later.end()]
    names = split_names(candidate)
    if not names:
        return []
    if leading and "others" not in names and len(names) < 2 and body[len(candidate) :].strip():
        return []  # one name must end the item: "[Talk](u), Ben Mildenhall"
    parts.take(start + offset, start + offset + len(candidate))
    return names


# Venue and year.


def _venue(
    parts: _Parts, web: Sequence[Link], roles: dict[int, str | None]
) -> tuple[str | None, int | None]:
    pattern = vocabulary().venue_pattern
    for link in web:  # a venue given as a link label: [CVPR 2024](u)
        if roles[id(link)] == "paper":
            match = pattern.fullmatch(_LABEL_EDGES.sub("", clean_text(link.text)))
            if match is not None:
                return match.group("venue"), _venue_year(match)
    text = parts.remaining()
    if vocabulary().venue_words.isdisjoint(_VENUE_WORD.findall(text)):
        return None, None  # no venue's first word anywhere: skip the long pattern
    for match in pattern.finditer(text):
        if parts.inline.within_web_link(*match.span()) or not _venue_context(parts, match):
            continue
        parts.take(match.start(), match.end())
        return match.group("venue"), _venue_year(match)
    return None, None


def _venue_context(parts: _Parts, match: re.Match[str]) -> bool:
    """Whether a venue's name is written as a venue: with a year ("CVPR 2024"), in brackets,
    italics or code (``(ICLR)``, ``*arXiv.*``, `` `EMNLP` ``), after "In", or closing a sentence
    ("ICLR. 2015."). "RSS reader", "Nature photography" and "the IEEE 754 standard" are not."""
    if _venue_year(match) is not None:
        return True
    start, end = match.start(), match.end()
    if any(
        span.kind in ("emphasis", "code") and span.start <= start and end <= span.end
        for span in parts.inline.spans
    ):
        return True
    text = parts.inline.text
    before = text[:start].rstrip()
    if before.endswith(("(", "[", "@", "`")) or re.search(r"\b[Ii]n$", before):
        return True
    return bool(re.match(r"\s*(?:[.,;)\]|]|$)", text[end : end + 2]))


def _venue_year(match: re.Match[str]) -> int | None:
    if match.group("year"):
        return int(match.group("year"))
    two = match.groups()[-1]
    return 2000 + int(two) if two else None


def _year(parts: _Parts) -> int | None:
    text = parts.remaining()
    if not _ANY_YEAR.search(text):
        return None  # most items state no year: one cheap look before the shapes
    best: tuple[int, int] | None = None
    for shape in _YEAR_SHAPES:
        for match in shape.finditer(text):
            year = int(next(group for group in match.groups() if group))
            if best is None or match.start() < best[0]:  # _Y4 holds years to 1950-2039
                best = (match.start(), year)
                break
    return best[1] if best else None


# Description.


def _description(parts: _Parts, title_span: tuple[int, int] | None, from_link: bool) -> str | None:
    start = title_span[1] if title_span else 0
    text = parts.remaining(start)
    if title_span and title_span[0] > 0:
        lead = parts.remaining(0, title_span[0])
        if not from_link and re.search(r"[^\W\d_]{3,}", _CITATION_NUMBER.sub("", lead)):
            text = f"{lead} {text}"
        elif (
            from_link
            and len(re.findall(r"[^\W\d_]{2,}", lead)) >= 2
            and (lead.rstrip()[-1:].isalnum() or lead.rstrip().endswith(","))
        ):
            # A link in mid-sentence ("Contact me about [Project X](u).") is described by
            # its whole sentence, the link's own text included.
            title = parts.inline.text[title_span[0] : title_span[1]]
            text = f"{lead} {title} {text}"
    text = clean_text(text)
    for _ in range(3):
        text = _LEFTOVER_BRACKETS.sub(" ", text)
        text = _RUNS_OF_SEPARATORS.sub(" ", text)
    text = _SEPARATORS.sub("", clean_text(text))
    text = re.sub(r"^[)\]}]+\s*", "", text)
    text = _SPACE_BEFORE_STOP.sub(r"\1", text)
    text = _SEPARATORS.sub("", text)
    if not re.search(r"[^\W\d_]", text):
        return None
    return text


def year_in(text: str) -> int | None:
    """The first year a text states: "2024/09/16", "CVPR 2024", "NeurIPS'23", "(2014)"."""
    parts = _Parts(InlineText(text=text))
    venue = vocabulary().venue_pattern.search(text)
    return _year(parts) or (_venue_year(venue) if venue is not None else None)


def venue_in(text: str) -> str | None:
    """The venue a text names, else the text itself when it is short: a venue column's cell."""
    cleaned = clean_text(text)
    if not cleaned or _PLACEHOLDER.match(cleaned):
        return None
    match = vocabulary().venue_pattern.search(cleaned)
    if match is not None:
        return match.group("venue")
    return cleaned if len(cleaned) <= 40 else None

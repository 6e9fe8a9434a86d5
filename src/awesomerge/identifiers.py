"""Identifiers read out of URLs: arXiv, DOI, GitHub, YouTube, and the venues of papers.

An identifier is the strongest evidence two links name one resource, and two different
identifiers of one kind are the strongest evidence they do not. Each extractor is strict: it
validates the id's shape (an arXiv month, a YouTube id's length) rather than guessing, because a
false identifier merges resources that a wrong URL key alone never would.

arXiv, DOI, GitHub and YouTube ids are read here in code. The ids of venues (ACL Anthology,
OpenReview, NeurIPS, PMLR, ...), DOIs that publishers write in other forms, and pages that name
an arXiv paper are data, in ``identifiers.toml``, as are the URLs of paper pages and posts.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from urllib.parse import parse_qsl, unquote, urlsplit

from awesomerge.urls import is_web_url

# 128.84.21.199 is an address of arXiv's own that old lists link to.
_ARXIV_HOSTS = {
    "arxiv.org", "export.arxiv.org", "ar5iv.labs.arxiv.org", "ar5iv.org", "128.84.21.199",
}  # fmt: skip
_ARXIV_PATHS = ("abs", "pdf", "html", "format", "ps")
_NEW_ARXIV = re.compile(r"^(\d{2})(\d{2})\.(\d{4,5})(?:v\d+)?$")
_OLD_ARXIV = re.compile(r"^([a-z]+(?:-[a-z]+)?)(?:\.[A-Za-z]{2})?/(\d{2})(\d{2})(\d{3})(?:v\d+)?$")
_ARXIV_IN_TEXT = re.compile(
    r"(?<![\w.])(\d{4}\.\d{4,5}(?:v\d+)?|[a-z]+(?:-[a-z]+)?(?:\.[A-Z]{2})?/\d{7}(?:v\d+)?)(?![\w.])"
)
_DOI = re.compile(r"^10\.\d{4,9}/[-._;()/:A-Za-z0-9<>\[\]]+$")
# A DOI written out in a publisher's path: /doi/abs/10.1145/..., /article/10.1007/...
_DOI_IN_PATH = re.compile(
    r"/(?:doi/(?:abs/|full/|pdf/|epdf/|pdfdirect/|fullHtml/|reader/|book/)?|articles?/|chapter/"
    r"|content/pdf/|book/|referenceworkentry/)(10\.\d{4,9}/.+)$"
)
# Views of a publisher's page that follow the DOI in its path: /10.3389/fpsyg.2020.01234/full
_DOI_VIEW = re.compile(r"(?:/(?:full|abstract|pdf|epdf|html|meta|fulltext|full-text)|\.pdf)$")
_DOI_QUERY = ("doi", "id")
_DOI_HOSTS = {"doi.org", "dx.doi.org"}
_GITHUB_OWNER = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$")
_GITHUB_REPO = re.compile(r"^[A-Za-z0-9._-]+$")
_GITHUB_RESERVED = frozenset(
    {
        "about",
        "apps",
        "collections",
        "codespaces",
        "customer-stories",
        "enterprise",
        "events",
        "explore",
        "features",
        "issues",
        "join",
        "login",
        "marketplace",
        "notifications",
        "orgs",
        "pricing",
        "pulls",
        "search",
        "security",
        "settings",
        "site",
        "sponsors",
        "topics",
        "trending",
        "users",
    }
)
_YOUTUBE_HOSTS = {"youtube.com", "m.youtube.com", "music.youtube.com", "youtube-nocookie.com"}
_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
_YOUTUBE_PATHS = ("embed", "v", "shorts", "live", "e")


@dataclass(frozen=True)
class _Pattern:
    """One [[id]] table of identifiers.toml."""

    kind: str
    path: re.Pattern[str]
    query: str | None
    shape: re.Pattern[str] | None
    value: str


@dataclass(frozen=True)
class _Rules:
    strength: tuple[str, ...]
    pages: dict[str, str]
    patterns: dict[str, tuple[_Pattern, ...]]
    """By host."""
    paper_pages: re.Pattern[str]
    posts: re.Pattern[str]
    topic_pages: re.Pattern[str]
    short_links: frozenset[str]


@cache
def rules() -> _Rules:
    """The identifier rules kept as data in identifiers.toml."""
    text = resources.files("awesomerge").joinpath("identifiers.toml").read_text(encoding="utf-8")
    data = tomllib.loads(text)
    patterns: dict[str, list[_Pattern]] = {}
    for table in data["id"]:
        pattern = _Pattern(
            kind=table["kind"],
            path=re.compile(table["path"]),
            query=table.get("query"),
            shape=re.compile(table["shape"]) if "shape" in table else None,
            value=table.get("value", "{id}"),
        )
        for host in table["hosts"]:
            patterns.setdefault(host, []).append(pattern)
    return _Rules(
        strength=tuple(data["strength"]),
        pages=dict(data["pages"]),
        patterns={host: tuple(found) for host, found in patterns.items()},
        paper_pages=re.compile("|".join(data["paper_pages"]["patterns"])),
        posts=re.compile("|".join(data["posts"]["patterns"])),
        topic_pages=re.compile("|".join(data["topic_pages"]["patterns"])),
        short_links=frozenset(data["short_links"]["hosts"]),
    )


#: The longest URL path (or host and path) the patterns of identifiers.toml are tried on.
MAX_PATH = 500

#: How strong each kind of identifier is, strongest first: it picks an entry's id and URL.
STRENGTH = rules().strength
#: Kinds of identifier that only papers carry.
PAPER_KINDS = frozenset(
    {"arxiv", "doi"} | {p.kind for found in rules().patterns.values() for p in found}
)


def identifiers_of(url: str) -> dict[str, str]:
    """Every identifier a URL carries, by kind."""
    if not is_web_url(url):
        return {}
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return {}
    host = (parts.hostname or "").removeprefix("www.")
    found: dict[str, str] = {}
    for kind, value in (
        ("arxiv", _arxiv_from_url(host, parts.path)),
        ("doi", _doi_from_url(host, parts.path, parts.query)),
        ("github", _github_from_url(host, parts.path)),
        ("youtube", _youtube_from_url(host, parts.path, parts.query)),
        ("youtube_playlist", _playlist_from_url(host, parts.path, parts.query)),
    ):
        if value:
            found[kind] = value
    for pattern in rules().patterns.get(host, ()):
        value = _read_pattern(pattern, parts.path, parts.query)
        if value:
            found.setdefault(pattern.kind, value)
    if "doi" in found and found["doi"].startswith("10.48550/arxiv."):
        arxiv = arxiv_id(found.pop("doi")[len("10.48550/arxiv.") :])
        if arxiv:
            found["arxiv"] = arxiv
    return found


def identifier_page(kind: str, value: str) -> str | None:
    """The page an identifier names, a working URL; None for kinds without one."""
    page = rules().pages.get(kind)
    return page.format(value) if page else None


def _read_pattern(pattern: _Pattern, path: str, query: str) -> str | None:
    if len(path) > MAX_PATH:
        return None  # no identifier's page has such a path, and a pattern need not try it
    match = pattern.path.fullmatch(path)
    if match is None:
        return None
    parts = {name: text for name, text in match.groupdict().items() if text is not None}
    if pattern.query is not None:
        given = dict(parse_qsl(query)).get(pattern.query, "")
        if pattern.shape is None or not pattern.shape.fullmatch(given):
            return None
        parts["id"] = given
    try:
        value = pattern.value.format(**parts)
    except KeyError:
        return None
    if pattern.kind == "arxiv":
        return arxiv_id(value)
    if pattern.kind == "doi":
        return _valid_doi(value)
    return value


def identifier_key(kind: str, value: str) -> str:
    """The value compared across entries: case-folded where the scheme is case-insensitive."""
    return value.casefold() if kind in ("doi", "github") else value


def arxiv_id(text: str) -> str | None:
    """A validated arXiv id without version (new style, or old style without subject class)."""
    text = text.strip().removeprefix("arXiv:").removeprefix("arxiv:")
    for suffix in (".pdf", ".ps.gz", ".ps", ".gz"):
        text = text.removesuffix(suffix)
    new = _NEW_ARXIV.match(text)
    if new:
        year, month, number = int(new.group(1)), int(new.group(2)), new.group(3)
        if not 1 <= month <= 12 or (year, month) < (7, 4):
            return None
        if len(number) != (4 if (year, month) <= (14, 12) else 5) or int(number) == 0:
            return None
        return f"{new.group(1)}{new.group(2)}.{number}"
    old = _OLD_ARXIV.match(text)
    if old:
        archive, year, month = old.group(1), int(old.group(2)), int(old.group(3))
        if not 1 <= month <= 12 or not (year >= 91 or year <= 7):
            return None
        return f"{archive}/{old.group(2)}{old.group(3)}{old.group(4)}"
    return None


def arxiv_submitted(arxiv: str) -> tuple[int, int] | None:
    """The year and month an arXiv paper's first version was submitted, which its id records:
    (2017, 6) for 1706.03762, (1999, 1) for hep-th/9901001. A fact, not a guess."""
    found = arxiv_id(arxiv)
    if found is None:
        return None
    digits = found.split("/")[-1]
    year, month = int(digits[:2]), int(digits[2:4])
    century = 1900 if "/" in found and year >= 91 else 2000
    return century + year, month


def arxiv_id_in_text(text: str) -> str | None:
    """The first valid arXiv id written in a text, such as a title "[1706.03762] Attention"."""
    for match in _ARXIV_IN_TEXT.finditer(text):
        found = arxiv_id(match.group(1))
        if found:
            return found
    return None


def _arxiv_from_url(host: str, path: str) -> str | None:
    if host not in _ARXIV_HOSTS:
        return None
    segments = [segment for segment in path.split("/") if segment]
    if len(segments) < 2 or segments[0] not in _ARXIV_PATHS:
        return None
    return arxiv_id("/".join(segments[1:]))


def _doi_from_url(host: str, path: str, query: str) -> str | None:
    if host in _DOI_HOSTS:
        return _valid_doi(unquote(path.lstrip("/")))
    match = _DOI_IN_PATH.search(unquote(path))
    if match is not None:
        return _valid_doi(_DOI_VIEW.sub("", match.group(1)))
    if "10." in query:  # journals.plos.org/plosone/article?id=10.1371/journal.pone.0000001
        given = dict(parse_qsl(query))
        for name in _DOI_QUERY:
            if given.get(name, "").startswith("10."):
                return _valid_doi(given[name])
    return None


def _valid_doi(candidate: str) -> str | None:
    """A DOI case-folded, without trailing punctuation; None when it has no DOI's shape."""
    candidate = candidate.rstrip(".,;")
    while candidate.endswith((")", "]")) and candidate.count("(") < candidate.count(")"):
        candidate = candidate[:-1]
    if not _DOI.match(candidate):
        return None
    return candidate.casefold()


def _github_from_url(host: str, path: str) -> str | None:
    """owner/repo for the repository's own page; deeper pages are not the repository."""
    if host != "github.com":
        return None
    segments = [segment for segment in path.split("/") if segment]
    if len(segments) < 2:
        return None
    owner, repo = segments[0], segments[1].removesuffix(".git")
    if owner.lower() in _GITHUB_RESERVED or not _GITHUB_OWNER.match(owner):
        return None
    if not _GITHUB_REPO.match(repo) or repo in (".", ".."):
        return None
    rest = segments[2:]
    is_root = (
        not rest
        or (len(rest) == 2 and rest[0] == "tree")
        or (len(rest) == 3 and rest[0] == "blob" and rest[2].lower().startswith("readme"))
    )
    return f"{owner}/{repo}" if is_root else None


def _youtube_from_url(host: str, path: str, query: str) -> str | None:
    segments = [segment for segment in path.split("/") if segment]
    candidate = None
    if host == "youtu.be" and segments:
        candidate = segments[0]
    elif host in _YOUTUBE_HOSTS:
        if segments == ["watch"]:
            candidate = dict(parse_qsl(query)).get("v")
        elif len(segments) >= 2 and segments[0] in _YOUTUBE_PATHS:
            candidate = segments[1]
    return candidate if candidate and _YOUTUBE_ID.match(candidate) else None


def _playlist_from_url(host: str, path: str, query: str) -> str | None:
    if host in _YOUTUBE_HOSTS and path.rstrip("/") == "/playlist":
        playlist = dict(parse_qsl(query)).get("list")
        return playlist if playlist and re.match(r"^[A-Za-z0-9_-]{10,}$", playlist) else None
    return None


_DOCUMENT_SUFFIXES = (".pdf", ".ps", ".ppt", ".pptx", ".key", ".doc", ".docx", ".ipynb")
_VIDEO_HOSTS = {"vimeo.com", "youtu.be", "youtube.com", "m.youtube.com", "youtube-nocookie.com"}


def is_short_link(url: str) -> bool:
    """Whether a URL is a short link (t.co, bit.ly, lnkd.in, ...) that hides where it leads."""
    return _site_path(url).split("/", 1)[0] in rules().short_links


def is_topic_page(url: str) -> bool:
    """Whether a URL is a page about a topic (a Wikipedia article, a keyword page)."""
    return rules().topic_pages.match(_site_path(url)) is not None


def _site_path(url: str) -> str:
    """A URL's host without "www." and its path, and query if any: "crates.io/keywords/redis"."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    site = (parts.hostname or "").removeprefix("www.") + parts.path
    return (f"{site}?{parts.query}" if parts.query else site)[:MAX_PATH]


def kind_of(url: str, identifiers: dict[str, str]) -> str:
    """What kind of resource a URL names, from its identifiers, host and path."""
    if not PAPER_KINDS.isdisjoint(identifiers):
        return "paper"
    if "github" in identifiers:
        return "repository"
    if "youtube" in identifiers:
        return "video"
    if "youtube_playlist" in identifiers:
        return "playlist"
    try:
        parts = urlsplit(url)
    except ValueError:
        return "website"
    host = (parts.hostname or "").removeprefix("www.")
    path = parts.path.lower()
    segments = [segment for segment in path.split("/") if segment]
    site = (host + parts.path)[:MAX_PATH]
    if rules().posts.match(site):
        return "post"
    if host in _VIDEO_HOSTS:
        return "video"
    if host == "huggingface.co" and segments:
        if segments[0] == "datasets":
            return "dataset"
        if segments[0] == "papers" and len(segments) == 2 and segments[1] != "date":
            return "paper"
        if segments[0] in ("spaces", "docs", "blog", "papers", "learn", "tasks", "pricing"):
            return "website" if segments[0] == "spaces" else "article"
        return "model" if len(segments) == 2 else "website"
    if host == "paperswithcode.com" and segments[:1] == ["dataset"]:
        return "dataset"
    if path.endswith(_DOCUMENT_SUFFIXES):
        return "document"
    if rules().paper_pages.match(site):
        return "paper"
    if host == "github.com" and len(segments) > 2:
        # A page of notes in a repository is written to be read, like an article.
        return "article" if segments[2] == "blob" else "website"
    return "article" if segments else "website"

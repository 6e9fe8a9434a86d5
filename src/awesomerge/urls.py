"""URL canonicalisation: a clean URL that still works, and a lossy key to compare URLs by.

`clean_url` gives the URL to publish: the syntax normalised, redirect wrappers unwrapped and
tracking parameters dropped, but the scheme, ``www.``, trailing slash and path case kept, so it
still opens the same page. `url_key` folds everything that, in link lists, almost never names a
different resource: http and https, ``www.``, default ports, a trailing slash, ``index.html``,
fragments that do not route, and the order of the query. It never lower-cases a path: paths are
case-sensitive on most hosts (YouTube ids, Google Docs, short links).

Both are URIs (RFC 3986), as a browser sends them: an IRI (``https://ja.wikipedia.org/wiki/東京``)
is percent-encoded as UTF-8 and an international host (``bücher.de``) written in punycode
(``xn--bcher-kva.de``), by w3lib, so the two ways of writing one address give one key. Percent
escapes are upper-cased and those of unreserved characters decoded, as RFC 3986 says.

Which parameters count as tracking, and which hosts mirror others, is data, in ``urls.toml``.
"""

from __future__ import annotations

import posixpath
import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

from w3lib.url import safe_url_string

_DEFAULT_PORTS = {"http": "80", "https": "443"}
_UNRESERVED = re.compile(r"%([0-9A-Fa-f]{2})")
_ESCAPE = re.compile(r"%[0-9A-Fa-f]{2}")
_KEEP_ENCODED = set("/?#%&=+")
_INDEX_PAGE = re.compile(r"/index\.(?:html?|php)$")
_WWW = re.compile(r"^www\d*\.")
#: Characters no reader sees, never part of an address: zero-width space, non-joiner and
#: joiner; the bidirectional marks, embeddings, overrides and isolates (Unicode's Bidi_Control,
#: the Arabic letter mark among them); the word joiner, the invisible operators and the
#: byte-order mark.
INVISIBLE = re.compile("[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
#: What a URL that cannot be split keeps unencoded: ASCII punctuation but its brackets.
_SAFE_WHEN_BROKEN = "!#$%&'()*+,-./:;=?@_~"
#: The characters a URI holds as they are, but brackets: a URL of only these is a URI already.
_URI = re.compile(r"[!#$%&'()*+,\-./0-9:;=?@A-Z_a-z~]*")


@dataclass(frozen=True)
class _Rules:
    tracking: frozenset[str]
    tracking_prefixes: tuple[str, ...]
    host_parameters: dict[str, frozenset[str]]
    mobile_hosts: frozenset[str]
    mirrors: tuple[tuple[re.Pattern[str], str], ...]


@cache
def rules() -> _Rules:
    """The URL rules kept as data in urls.toml."""
    text = resources.files("awesomerge").joinpath("urls.toml").read_text(encoding="utf-8")
    data = tomllib.loads(text)
    return _Rules(
        tracking=frozenset(data["tracking"]["exact"]),
        tracking_prefixes=tuple(data["tracking"]["prefixes"]),
        host_parameters={host: frozenset(names) for host, names in data["host_parameters"].items()},
        mobile_hosts=frozenset(data["mobile_hosts"]["hosts"]),
        mirrors=tuple(
            (re.compile(mirror["pattern"]), mirror["replace"]) for mirror in data["mirror"]
        ),
    )


def is_web_url(url: str) -> bool:
    """True for absolute http(s) URLs: the only ones that can become entries or links."""
    return url[:8].lower().startswith(("http://", "https://"))


def url_problem(url: str) -> str | None:
    """Why a URL cannot be split into its parts (an unclosed ``[`` of an IPv6 host, a port
    that is not a number), or None when it can."""
    try:
        urlsplit(url.strip()).port  # noqa: B018 (reading the port checks it)
    except ValueError as error:
        return str(error)
    return None


def hostname(url: str) -> str:
    """A URL's host in lower case; empty when it has none or cannot be split (`url_problem`)."""
    try:
        return urlsplit(url).hostname or ""
    except ValueError:
        return ""


def clean_url(url: str) -> str:
    """The URL to publish: still a working link, with tracking and syntax noise removed.

    Characters that do not show (zero-width spaces, bidirectional controls) are removed. A URL
    that cannot be split into its parts (see `url_problem`) is only made safe to split: its
    brackets and its characters beyond ASCII are percent-encoded.
    """
    url = INVISIBLE.sub("", url.strip())
    if url.startswith("<") and url.endswith(">"):
        url = url[1:-1].strip()
    if not is_web_url(url):
        return url
    if url_problem(url) is not None:
        return quote(url, safe=_SAFE_WHEN_BROKEN)
    for _ in range(3):
        unwrapped = _unwrap_redirect(url)
        if unwrapped == url or url_problem(unwrapped) is not None:
            break
        url = unwrapped
    url = as_uri(url)
    parts = urlsplit(url)
    port = parts.port
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").rstrip(".")
    if ":" in host:
        host = f"[{host}]"  # an IPv6 address keeps its brackets
    netloc = host if port is None or str(port) == _DEFAULT_PORTS.get(scheme) else f"{host}:{port}"
    path = _normalise_path(parts.path) or "/"
    query = _drop_tracking(parts.query, host)
    if "%" in query:
        query = _ESCAPE.sub(_upper_escape, query)
    fragment = parts.fragment
    if fragment.startswith(":~:") or (_site(host) == "github.com" and fragment == "readme"):
        fragment = ""
    return urlunsplit((scheme, netloc, path, query, fragment))


def as_uri(url: str) -> str:
    """The URI of an IRI, as a browser sends it: characters beyond ASCII (and spaces, ``|``,
    brackets outside the host) percent-encoded as UTF-8, an international host in punycode.

    w3lib does the work; a URL that is a URI already is returned at once, without it (nearly
    every URL in a list, and this runs on each). A URL that w3lib cannot encode, or whose
    encoding cannot be split (a host IDNA refuses), is returned as it is.
    """
    if _URI.fullmatch(url):
        return url
    try:
        encoded = safe_url_string(url)
    except (ValueError, UnicodeError):
        return url
    return encoded if url_problem(encoded) is None else url


def url_key(url: str) -> str:
    """A key that is equal for URLs that name the same resource in practice. Not a URL."""
    return clean_url_key(clean_url(url))


def clean_url_key(cleaned: str) -> str:
    """url_key of a URL that clean_url has already cleaned."""
    if not is_web_url(cleaned):
        return cleaned
    parts = urlsplit(cleaned)
    host = _desktop_host(_WWW.sub("", parts.netloc))
    path = parts.path
    path = _INDEX_PAGE.sub("/", path)
    if len(path) > 1:
        path = path.rstrip("/")
    if host == "github.com" and path.endswith(".git"):
        path = path[: -len(".git")]
    query = urlencode(sorted(parse_qsl(parts.query, keep_blank_values=True)))
    key = host + (path if path != "/" else "")
    if query:
        key += "?" + query
    if parts.fragment.startswith(("/", "!")):  # a single-page app's route names a page
        key += "#" + _ESCAPE.sub(_upper_escape, parts.fragment.replace("#", "%23"))
    return key


def mirror_key(key: str) -> str:
    """The url_key of the original, for the url_key of a known mirror; else the key itself."""
    for pattern, replace in rules().mirrors:
        rewritten = pattern.sub(replace, key, count=1)
        if rewritten != key:
            return rewritten
    return key


def _desktop_host(host: str) -> str:
    """Drop an m. or mobile. label on hosts known to show the same pages on both."""
    labels = host.split(".")
    for index, label in enumerate(labels[:-2]):
        if label in ("m", "mobile"):
            rest = ".".join(labels[:index] + labels[index + 1 :])
            if any(_on_host(rest, mobile) for mobile in rules().mobile_hosts):
                return rest
    return host


def _site(host: str) -> str:
    return _WWW.sub("", host)


def _normalise_path(path: str) -> str:
    """Remove dot segments and empty runs; decode only unreserved characters."""
    if not path:
        return ""
    trailing = path.endswith("/")
    collapsed = re.sub(r"/{2,}", "/", path)
    normal = posixpath.normpath(collapsed)
    if normal == ".":
        normal = "/"
    if trailing and not normal.endswith("/"):
        normal += "/"
    return _UNRESERVED.sub(_decode_unreserved, normal)


def _decode_unreserved(match: re.Match[str]) -> str:
    char = chr(int(match.group(1), 16))
    if char.isascii() and (char.isalnum() or char in "-._~") and char not in _KEEP_ENCODED:
        return char
    return "%" + match.group(1).upper()


def _upper_escape(match: re.Match[str]) -> str:
    return match.group(0).upper()


def _drop_tracking(query: str, host: str) -> str:
    if not query:
        return ""
    site = _site(host)
    per_host = next(
        (names for suffix, names in rules().host_parameters.items() if _on_host(site, suffix)),
        frozenset(),
    )
    kept = []
    for pair in query.split("&"):
        name = unquote(pair.split("=", 1)[0])
        if name in rules().tracking or name in per_host:
            continue
        if name.startswith(rules().tracking_prefixes):
            continue
        if site == "github.com" and pair == "tab=readme-ov-file":
            continue
        kept.append(pair)
    return "&".join(kept)


def _on_host(site: str, suffix: str) -> bool:
    return site == suffix or site.endswith("." + suffix)


def _unwrap_redirect(url: str) -> str:
    """The target of a known redirect wrapper (Google, Facebook, YouTube), else the URL."""
    if "/url?" not in url and "/l.php?" not in url and "/redirect?" not in url:
        return url
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    host = _site(parts.hostname or "")
    wrapped = None
    params = dict(parse_qsl(parts.query))
    if re.match(r"google\.[a-z.]+$", host) and parts.path == "/url":
        wrapped = params.get("q") or params.get("url")
    elif host == "l.facebook.com" and parts.path == "/l.php":
        wrapped = params.get("u")
    elif host.endswith("youtube.com") and parts.path == "/redirect":
        wrapped = params.get("q")
    if wrapped and is_web_url(wrapped):
        encoded = as_uri(wrapped)  # an international host in punycode, not percent-encoded
        return encoded if _URI.fullmatch(encoded) else quote(wrapped, safe=":/?#[]@!$&'()*+,;=%~")
    return url


_DOCUMENT_SUFFIXES = (".pdf", ".ps", ".ppt", ".pptx", ".key", ".ipynb", ".doc", ".docx")
_GENERIC_STEMS = frozenset(
    [
        "paper",
        "main",
        "slides",
        "report",
        "index",
        "download",
        "file",
        "fulltext",
        "document",
        "poster",
        "article",
    ]
)


def file_key(url: str) -> str | None:
    """The last two path segments of a distinctively named document, to find its mirrors.

    "language_models_are_unsupervised_multitask_learners.pdf" names one document wherever it is
    hosted; "paper.pdf" does not, so generic or short names get no key.
    """
    if not is_web_url(url):
        return None
    try:
        path = unquote(urlsplit(url).path)
    except ValueError:
        return None
    segments = [segment for segment in path.split("/") if segment]
    if not segments or not segments[-1].lower().endswith(_DOCUMENT_SUFFIXES):
        return None
    stem = segments[-1].rsplit(".", 1)[0].lower()
    distinctive = len(stem) >= 12 or any(char in stem for char in "_-") or re.search(r"\d{3}", stem)
    if stem in _GENERIC_STEMS or not distinctive:
        return None
    return "/".join(segments[-2:]).casefold()

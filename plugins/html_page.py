"""A drop-in awesomerge output: ``index.html``, the merged list as one small web page.

Use it without installing anything::

    awesomerge build inputs/ --plugins-dir plugins/            # every output, index.html too
    awesomerge build inputs/ --plugins-dir plugins/ --write html --html-title "LLM reading"

The page lists the entries by category, each entry once: under the first section it was
listed in, with the others named beside it. It is valid, self-contained HTML5: no scripts, no
outside style sheets, fonts or images, and a Content-Security-Policy that forbids them, so it
can be opened from disk or served as is. The same dataset always gives the same bytes.

Untrusted lists cannot inject markup: every piece of text goes through ``html.escape``; only
http(s) URLs become links (any other URL, ``javascript:`` included, is shown as text), with the
characters no URL may hold percent-encoded; and links carry ``rel="noopener"``, which keeps
them safe if you add ``target="_blank"``.

To adapt it, copy this file into your own plugins folder and change what you need:

- ``name`` and ``filename`` must stay unique among all loaded outputs (``awesomerge plugins``);
- the look is ``STYLE`` (the policy's hash of it follows by itself); the markup of one entry
  is ``_entry``, of one category ``_category``;
- ``Options`` holds the settings, read from ``[outputs.html]`` in awesomerge.toml, from
  ``-O html.title=...``, or from the flags in ``flags``.

The file is loaded on its own (as plugin ``local:html_page``), without changing ``sys.path``: it
can import awesomerge and installed packages, but not files beside it.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable
from html import escape
from typing import ClassVar
from urllib.parse import urlsplit

import awesomerge
from awesomerge import Collection, Dataset, Entry, Output, OutputRegistrar, PluginOptions

UNCATEGORISED = "Uncategorised"

#: Characters no URL may hold: an href percent-encodes them, as a browser would.
NOT_IN_URLS = re.compile(r'[\x00-\x20"<>\\^`{|}\x7f]')

STYLE = """
body { font: 16px/1.5 system-ui, sans-serif; max-width: 48rem; margin: 2rem auto; padding: 0 1rem;
       color: #1f2328; background: #fff; }
h2 { margin-top: 2.5rem; border-bottom: 1px solid #d0d7de; }
li { margin: 0.4rem 0; }
.meta, .also, nav .count { color: #59636e; font-size: 0.875rem; }
.description { margin: 0.1rem 0 0; }
code { overflow-wrap: anywhere; }
@media (prefers-color-scheme: dark) {
  body { color: #e6edf3; background: #0d1117; }
  a { color: #4493f8; }
  .meta, .also, nav .count { color: #9198a1; }
}
"""

#: Allows the one inline style sheet above, by its hash, and nothing else: no scripts at all.
CSP = (
    "default-src 'none'; "
    f"style-src 'sha256-{base64.b64encode(hashlib.sha256(STYLE.encode()).digest()).decode()}'; "
    "base-uri 'none'; form-action 'none'"
)


class HtmlPage(Output):
    name = "html"
    filename = "index.html"
    description = "The merged list as one self-contained web page (index.html), by category"

    class Options(PluginOptions):
        title: str | None = None
        """The page's heading; by default the titles of the lists merged (up to three)."""

    flags: ClassVar[dict[str, str]] = {"html-title": "title"}
    options: Options

    def render(self, collection: Collection) -> str:
        dataset = collection.dataset
        title = self.options.title or _default_title(dataset)
        groups = _by_category(dataset.entries)
        anchors = _anchors(groups)
        lists = len(dataset.sources)
        parts = [
            "<!DOCTYPE html>\n",
            '<html lang="en">\n<head>\n<meta charset="utf-8">\n',
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
            f'<meta http-equiv="Content-Security-Policy" content="{escape(CSP)}">\n',
            '<meta name="generator" content="awesomerge">\n',
            f"<title>{escape(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
            f"<header>\n<h1>{escape(title)}</h1>\n",
            f"<p>{len(dataset.entries)} entries merged from {lists} list{'s' * (lists != 1)}"
            f"{': ' if lists else ''}{escape(', '.join(s.title for s in dataset.sources))}.</p>\n",
            "</header>\n",
        ]
        if groups:
            parts.append('<nav>\n<h2 id="contents">Contents</h2>\n<ul>\n')
            for category, entries in groups.items():
                parts.append(
                    f'<li><a href="#{anchors[category]}">{escape(category)}</a> '
                    f'<span class="count">({len(entries)})</span></li>\n'
                )
            parts.append("</ul>\n</nav>\n<main>\n")
            for category, entries in groups.items():
                parts.append(_category(category, anchors[category], entries))
            parts.append("</main>\n")
        else:
            parts.append("<main>\n<p>No entries.</p>\n</main>\n")
        parts.append("</body>\n</html>\n")
        return "".join(parts)


def _default_title(dataset: Dataset) -> str:
    titles = [source.title for source in dataset.sources]
    return " + ".join(titles) if 0 < len(titles) <= 3 else "Merged awesome list"


def _by_category(entries: Iterable[Entry]) -> dict[str, list[Entry]]:
    """Entries under their first category, categories in the order the dataset first names them;
    the entries without one last."""
    groups: dict[str, list[Entry]] = {}
    loose: list[Entry] = []
    for entry in entries:
        if entry.categories:
            groups.setdefault(entry.categories[0], []).append(entry)
        else:
            loose.append(entry)
    if loose:
        groups.setdefault(UNCATEGORISED, []).extend(loose)
    return groups


def _anchors(groups: Iterable[str]) -> dict[str, str]:
    """A readable, unique id for each category: "Models > Papers" becomes "models-papers"."""
    anchors: dict[str, str] = {}
    taken = {"contents"}
    for category in groups:
        base = re.sub(r"[^a-z0-9]+", "-", category.lower()).strip("-") or "section"
        anchor, number = base, 1
        while anchor in taken:
            number += 1
            anchor = f"{base}-{number}"
        taken.add(anchor)
        anchors[category] = anchor
    return anchors


def _category(category: str, anchor: str, entries: list[Entry]) -> str:
    items = "".join(_entry(entry) for entry in entries)
    return f'<section>\n<h2 id="{anchor}">{escape(category)}</h2>\n<ul>\n{items}</ul>\n</section>\n'


def _entry(entry: Entry) -> str:
    if _is_web_url(entry.url):
        link = f'<a href="{escape(_href(entry.url))}" rel="noopener">{escape(entry.title)}</a>'
    else:
        link = f"{escape(entry.title)} <code>{escape(entry.url)}</code>"
    facts = [entry.kind, *([str(entry.year)] if entry.year is not None else [])]
    if entry.authors:
        facts.append(", ".join(entry.authors))
    parts = [f'<li>{link} <span class="meta">{escape(" · ".join(facts))}</span>']
    if entry.description:
        parts.append(f'<p class="description">{escape(entry.description)}</p>')
    if len(entry.categories) > 1:
        also = "; ".join(entry.categories[1:])
        parts.append(f'<p class="also">Also under: {escape(also)}</p>')
    parts.append("</li>\n")
    return "".join(parts)


def _href(url: str) -> str:
    """The URL as a valid href: what a browser would send for it, with spaces, quotes and <>
    percent-encoded."""
    return NOT_IN_URLS.sub(lambda match: f"%{ord(match.group()):02X}", url)


def _is_web_url(url: str) -> bool:
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


@awesomerge.hookimpl
def register_outputs(register: OutputRegistrar) -> None:
    register(HtmlPage)

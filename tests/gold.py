"""Scoring what awesomerge reads against hand-written gold (tests/data/gold.md).

Each gold item is looked up among the items the chosen source read from its file: by its primary
URL exactly as written, the nearest to its line. Then its title, authors, year and related links
are compared the way a reader would: case, quotes, a trailing full stop and spacing aside.

Run ``python -m tests.gold`` for the figures per file.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from awesomerge.build import ParsedSource, parse_input
from awesomerge.plugins import load_plugins
from awesomerge.reading import InputFile
from awesomerge.settings import Settings

DATA = Path(__file__).parent / "data"
CORPUS = DATA / "corpus"
ANATOMY = DATA / "anatomy"
_EDGES = " \t\"'“”‘’«».,:;*`"


def title_key(title: str) -> str:
    text = unicodedata.normalize("NFKC", title).casefold()
    text = re.sub(r"[“”]", '"', re.sub(r"[‘’]", "'", text))
    return " ".join(text.split()).strip(_EDGES)


def _name_words(name: str) -> set[str]:
    text = unicodedata.normalize("NFKC", name).casefold().replace("*", "")
    return {word for word in re.split(r"[\s,.]+", text) if word}


def author_found(name: str, authors: list[str]) -> bool:
    """A named author is found when some author read holds the same words, or all of its own."""
    wanted = _name_words(name)
    for author in authors:
        words = _name_words(author)
        if words and (wanted <= words or words <= wanted) and len(words & wanted) >= 1:
            return True
    return False


@dataclass
class Score:
    """Counts of what was right, over the gold items of one file or many."""

    items: int = 0
    found: int = 0
    titles: int = 0
    authors_named: int = 0
    authors_found: int = 0
    years_stated: int = 0
    years_found: int = 0
    related_named: int = 0
    related_found: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        for name in vars(self):
            if name != "misses":
                setattr(self, name, getattr(self, name) + getattr(other, name))
        self.misses += other.misses

    @staticmethod
    def ratio(part: int, whole: int) -> float:
        return part / whole if whole else 1.0

    @property
    def title_ratio(self) -> float:
        return self.ratio(self.titles, self.items)

    @property
    def author_ratio(self) -> float:
        return self.ratio(self.authors_found, self.authors_named)

    @property
    def year_ratio(self) -> float:
        return self.ratio(self.years_found, self.years_stated)

    @property
    def related_ratio(self) -> float:
        return self.ratio(self.related_found, self.related_named)

    @property
    def url_ratio(self) -> float:
        return self.ratio(self.found, self.items)


def read_source(path: Path) -> ParsedSource:
    """What awesomerge reads from one file, with the format a build would choose."""
    plugins = load_plugins(entry_points=False)
    return parse_input(InputFile(path=path, display=path.name), "gold", plugins, Settings())


def score(markdown: Path, gold: Path) -> Score:
    expected = yaml.safe_load(gold.read_text(encoding="utf-8"))["items"]
    parsed = read_source(markdown)
    items = parsed.items
    result = Score()
    for want in expected:
        label = f"{markdown.name}:{want['line']}"
        if "url" not in want:  # no http(s) link: the item must be kept as an unlinked one
            if not any(
                abs(unlinked.line - want["line"]) <= 1 for unlinked in parsed.record.unlinked
            ):
                result.misses.append(f"{label}: not kept as an unlinked item")
            continue
        result.items += 1
        candidates = [item for item in items if item.url == want["url"]]
        authors = want.get("authors") or []
        related = want.get("related") or []
        result.authors_named += len(authors)
        result.years_stated += want.get("year") is not None
        result.related_named += len(related)
        if not candidates:
            result.misses.append(f"{label}: no item for {want['url']}")
            continue
        item = min(candidates, key=lambda item: abs(item.line - want["line"]))
        result.found += 1
        if title_key(item.title) == title_key(str(want["title"])):
            result.titles += 1
        else:
            result.misses.append(f"{label}: title {item.title!r}, want {want['title']!r}")
        hits = sum(author_found(str(name), item.authors) for name in authors)
        result.authors_found += hits
        if hits < len(authors):
            result.misses.append(f"{label}: authors {item.authors}, want {authors}")
        if want.get("year") is not None:
            if item.year == want["year"]:
                result.years_found += 1
            else:
                result.misses.append(f"{label}: year {item.year}, want {want['year']}")
        have = {link.url for link in item.related}
        lost = [url for url in related if url not in have]
        result.related_found += len(related) - len(lost)
        if lost:
            result.misses.append(f"{label}: related misses {lost}")
    return result


def gold_files(folder: Path) -> list[tuple[Path, Path]]:
    pairs = []
    for gold in sorted(folder.glob("*.yaml")):
        stem = gold.name.removesuffix(".yaml").removesuffix(".gold")
        pairs.append((folder / f"{stem}.md", gold))
    return pairs


def main(argv: list[str]) -> int:
    folders = [Path(arg) for arg in argv] or [CORPUS, ANATOMY]
    total = Score()
    print(f"{'file':42} {'items':>5} {'url':>5} {'title':>5} {'auth':>9} {'year':>7} {'rel':>9}")
    for folder in folders:
        for markdown, gold in gold_files(folder):
            result = score(markdown, gold)
            total.add(result)
            print(
                f"{markdown.name:42} {result.items:5} {result.url_ratio:5.2f} "
                f"{result.title_ratio:5.2f} {result.authors_found:4}/{result.authors_named:<4} "
                f"{result.years_found:3}/{result.years_stated:<3} "
                f"{result.related_found:4}/{result.related_named:<4}"
            )
    print(
        f"{'all':42} {total.items:5} {total.url_ratio:5.2f} {total.title_ratio:5.2f} "
        f"{total.author_ratio:9.2f} {total.year_ratio:7.2f} {total.related_ratio:9.2f}"
    )
    for miss in total.misses:
        print("  " + miss)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""The example plugins in plugins/ work as their READMEs say: the drop-in html_page.py loads from
--plugins-dir, and the awesomerge-csv distribution installs with pip and registers through its
entry point.
"""

from __future__ import annotations

import csv
import importlib.util
import json
import os
import re
import site
import subprocess
import tomllib
import venv
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest

from awesomerge import Dataset, Entry, Occurrence, Source, SourceRecord
from awesomerge.build import build
from awesomerge.plugins import load_plugins
from awesomerge.testing import build_lists, document, entry_for, render

from .conftest import ROOT

PLUGINS = ROOT / "plugins"
CSV_DIST = PLUGINS / "awesomerge-csv"

#: Elements without an end tag in HTML5.
VOID = {"meta", "link", "br", "hr", "img", "input", "wbr", "source", "col", "area", "base"}


class Page(HTMLParser):
    """What a browser would see in a page: its elements, links, ids and text."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: Counter[str] = Counter()
        self.attributes: list[tuple[str, str, str | None]] = []
        self.links: list[dict[str, str | None]] = []
        self.ids: list[str] = []
        self.text: list[str] = []
        self.open: list[str] = []
        self.unbalanced: list[str] = []
        self.doctype: str | None = None
        self.feed(text)
        self.close()

    def handle_decl(self, decl: str) -> None:
        self.doctype = decl

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags[tag] += 1
        self.attributes += [(tag, name, value) for name, value in attrs]
        if tag == "a":
            self.links.append(dict(attrs))
        self.ids += [value for name, value in attrs if name == "id" and value is not None]
        if tag not in VOID:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self.open and self.open[-1] == tag:
            self.open.pop()
        else:
            self.unbalanced.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def hrefs(self) -> list[str]:
        return [href for link in self.links if (href := link.get("href")) is not None]


def awesomerge(*arguments: str, python: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run awesomerge; with `python`, in that environment, where installed plugins load."""
    command = [str(python), "-m", "awesomerge"] if python else ["awesomerge"]
    environment = dict(os.environ)
    if python is not None:
        environment.pop("AWESOMERGE_DISABLE_PLUGIN_AUTOLOAD", None)
    return subprocess.run(
        [*command, *arguments],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        env=environment,
    )


def assert_well_formed(page: Page) -> None:
    assert page.doctype is not None and page.doctype.lower() == "doctype html"
    assert page.open == [] and page.unbalanced == [], (page.open, page.unbalanced)
    assert page.tags["html"] == page.tags["head"] == page.tags["body"] == page.tags["title"] == 1
    assert not page.tags.keys() & {"script", "iframe", "object", "embed", "img", "link", "form"}
    assert not [attribute for attribute in page.attributes if attribute[1].startswith("on")]
    ids = Counter(page.ids)
    assert all(count == 1 for count in ids.values()), ids
    for link in page.links:
        href = link["href"] or ""
        if href.startswith("#"):
            assert href[1:] in ids, f"{href} points at no id"
        else:
            assert href.startswith(("http://", "https://")), href
            assert "noopener" in (link.get("rel") or "").split()


# The drop-in file: plugins/html_page.py


def test_the_drop_in_loads_from_the_plugins_folder_and_nothing_else_does() -> None:
    completed = awesomerge("plugins", "--plugins-dir", "plugins/", "--json")
    assert completed.returncode == 0, completed.stderr
    listing = json.loads(completed.stdout)
    local = [plugin for plugin in listing["plugins"] if plugin["name"].startswith("local:")]
    assert [(plugin["name"], plugin["sources"], plugin["outputs"]) for plugin in local] == [
        ("local:bookmarks", ["bookmarks"], []),
        ("local:html_page", [], ["html"]),
    ]
    assert listing["failures"] == []


def test_build_with_the_drop_in_writes_a_page_linking_every_entry_once(tmp_path: Path) -> None:
    # Only the page and the dataset: the built-in outputs have tests of their own.
    only = ["--write", "html", "--write", "json", "-o", str(tmp_path)]
    completed = awesomerge("build", "inputs/", "--plugins-dir", "plugins/", *only)
    assert completed.returncode == 0, completed.stderr
    text = (tmp_path / "index.html").read_text(encoding="utf-8")
    page = Page(text)
    assert_well_formed(page)
    dataset = Dataset.model_validate_json((tmp_path / "awesomerge.json").read_bytes())
    assert dataset.entries
    hrefs = Counter(page.hrefs())
    assert {entry.url: hrefs[entry.url] for entry in dataset.entries} == {
        entry.url: 1 for entry in dataset.entries
    }
    external = [href for href in hrefs if not href.startswith("#")]
    assert sorted(external) == sorted(entry.url for entry in dataset.entries)
    html_page = load_plugins([PLUGINS], entry_points=False, strict=True).outputs["html"]
    assert render(html_page, dataset) == text, "the page is not a pure function of the dataset"


HOSTILE_TITLE = '</a><script>alert("title")</script><!-- & "quoted" \'single\''
HOSTILE_URL = 'https://example.org/x?a=1&b="><script>alert(1)</script><a href="'
HOSTILE_HREF = "https://example.org/x?a=1&b=%22%3E%3Cscript%3Ealert(1)%3C/script%3E%3Ca%20href=%22"


def hostile_dataset() -> Dataset:
    def entry(number: int, url: str, title: str, categories: list[str]) -> Entry:
        return Entry(
            id=f"hostile:{number}",
            url=url,
            title=title,
            description='<img src=x onerror="alert(2)"> & more',
            kind="<b>paper</b>",
            authors=["<i>Mallory</i>"],
            year=2024,
            categories=categories,
            occurrences=[Occurrence(source="evil", url=url, title=title, line=number)],
        )

    return Dataset(
        sources=[
            SourceRecord(
                id="evil", path="evil.md", format="markdown", title="<style>*{}</style>", sha256="0"
            )
        ],
        entries=[
            entry(1, HOSTILE_URL, HOSTILE_TITLE, ['"><h1>Section</h1>', "Models > <Papers>"]),
            entry(2, "javascript:alert(3)", "Click me", ['"><h1>Section</h1>']),
            entry(3, "JaVaScRiPt:alert(4)", "Me too", []),
            entry(4, "data:text/html,<script>alert(5)</script>", "Data", []),
            entry(5, "https://example.org/plain", "Plain", ["-", "!!!"]),
        ],
    )


def test_hostile_text_in_the_dataset_stays_text_on_the_page() -> None:
    html_page = load_plugins([PLUGINS], entry_points=False, strict=True).outputs["html"]
    dataset = hostile_dataset()
    text = render(html_page, dataset)
    page = Page(text)
    assert_well_formed(page)
    assert page.tags["h1"] == 1
    assert page.tags["style"] == 1
    assert page.tags["b"] == page.tags["i"] == 0
    shown = "".join(page.text)
    for entry in dataset.entries:
        assert entry.title in shown
    assert "javascript:alert(3)" in shown and "data:text/html,<script>" in shown
    assert '"><h1>Section</h1>' in shown and "Models > <Papers>" in shown
    assert '<img src=x onerror="alert(2)"> & more' in shown
    external = [href for href in page.hrefs() if not href.startswith("#")]
    assert external == [HOSTILE_HREF, "https://example.org/plain"]
    assert render(html_page, dataset) == text


def test_an_empty_dataset_gives_a_valid_page() -> None:
    html_page = load_plugins([PLUGINS], entry_points=False, strict=True).outputs["html"]
    page = Page(render(html_page, Dataset(sources=[], entries=[])))
    assert_well_formed(page)
    assert "No entries." in "".join(page.text)


# The distribution: plugins/awesomerge-csv, installed with pip into a fresh virtual environment


def environment_beside_this_one(folder: Path) -> Path:
    """A virtual environment that sees this one's packages (the awesomerge under test, pytest,
    pip) behind its own, and the python to run in it.

    Not `--system-site-packages`: when the tests themselves run in a virtual environment (as in
    CI), that shows the base interpreter's packages, not this environment's.
    """
    venv.create(folder, with_pip=importlib.util.find_spec("pip") is None)
    python = folder / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    probe = (
        "import json, sys, sysconfig; print(json.dumps([sysconfig.get_path('purelib'), sys.path]))"
    )
    own, path = json.loads(subprocess.check_output([python, "-c", probe], text=True))
    ours = site.getsitepackages() + [site.getusersitepackages()] * bool(site.ENABLE_USER_SITE)
    missing = [directory for directory in ours if directory not in path]
    # addsitedir, unlike a plain path line, also runs their .pth files (editable installs).
    (Path(own) / "_awesomerge_under_test.pth").write_text(
        f"import site; list(map(site.addsitedir, {missing!r}))\n", encoding="utf-8"
    )
    return python


def test_the_csv_distribution_installs_and_its_output_builds(tmp_path: Path, in_root: None) -> None:
    # An environment of its own, so that installing the plugin leaves this one alone: here every
    # build must equal the committed output/, which has no entries.csv.
    python = environment_beside_this_one(tmp_path / "venv")
    environment = {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1", "PIP_NO_INPUT": "1"}
    environment.pop("AWESOMERGE_DISABLE_PLUGIN_AUTOLOAD", None)  # this test is about them
    environment["PYTHONDONTWRITEBYTECODE"] = "1"  # leave no __pycache__ in plugins/
    installed = subprocess.run(
        [python, "-m", "pip", "install", "--quiet", "--no-deps", str(CSV_DIST)],
        capture_output=True,
        text=True,
        check=False,
        env=environment,
    )
    assert installed.returncode == 0, installed.stderr

    listed = awesomerge("plugins", "--json", python=python)
    assert listed.returncode == 0, listed.stderr
    version = tomllib.loads((CSV_DIST / "pyproject.toml").read_text())["project"]["version"]
    plugin = next(p for p in json.loads(listed.stdout)["plugins"] if p["name"] == "csv")
    assert plugin["version"] == version
    assert plugin["origin"] == f"entry point of awesomerge-csv {version}"
    assert plugin["outputs"] == ["csv"]
    assert plugin["options"]["output:csv"]["delimiter"]["flag"] == "--csv-delimiter"

    out = tmp_path / "out"
    built = awesomerge(
        "build", "inputs/", "-o", str(out), "--write", "csv", "--csv-delimiter", ";", python=python
    )
    assert built.returncode == 0, built.stderr
    assert sorted(path.name for path in out.iterdir()) == [".awesomerge-output.json", "entries.csv"]
    with (out / "entries.csv").open(encoding="utf-8", newline="") as stream:
        header, *rows = list(csv.reader(stream, delimiter=";"))
    assert header[:3] == ["id", "title", "url"]
    dataset = build(["inputs/"], load_plugins(entry_points=False)).dataset
    assert [row[0] for row in rows] == [entry.id for entry in dataset.entries]

    tested = subprocess.run(
        [python, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=CSV_DIST,
        capture_output=True,
        text=True,
        check=False,
        env=environment,
    )
    assert tested.returncode == 0, tested.stdout + tested.stderr
    assert " passed" in tested.stdout and "failed" not in tested.stdout


# The drop-in source of another file type: plugins/bookmarks.py, for browser bookmark exports

BOOKMARKS = ROOT / "tests" / "data" / "bookmarks"


def bookmarks_source() -> Source:
    return load_plugins([PLUGINS], entry_points=False, strict=True).sources["bookmarks"]


@pytest.mark.parametrize(
    ("name", "title", "items", "unlinked"),
    [
        (
            "chrome.html",
            "Bookmarks",
            [
                (11, "Bookmarks bar", "Attention Is All You Need", None, []),
                (14, "Bookmarks bar > Tools & Libraries", "huggingface/transformers", None, []),
                (
                    18,
                    None,
                    "https://jalammar.github.io/illustrated-transformer/",  # no name given
                    None,
                    [],
                ),
            ],
            [(15, "Bookmarks bar > Tools & Libraries", "Settings")],
        ),
        (
            "firefox.html",
            "Bookmarks Menu",
            [
                (
                    16,
                    "Reading",
                    "LLM Powered Autonomous Agents | Lil'Log",
                    "A survey of agents <built> on LLMs.",
                    ["agents", "llm"],
                ),
                (18, "Reading", "1706.03762v7.pdf", None, []),
            ],
            [(12, None, "Recent Tags")],  # a place: query, not a web page
        ),
        (
            "handwritten.htm",  # lower case, single quotes, no <p>, a folder's own note
            "Reading for the course",
            [
                (7, "Week 1", "The Transformer paper", "Read sections 1–3.", []),
                (
                    9,
                    "Week 1",
                    "Let's build GPT",
                    "Andrej Karpathy’s video, from scratch — in code.",
                    [],
                ),
                (16, "Week 2", "The Illustrated GPT-2", None, []),
            ],
            [(15, "Week 2", "Slides (FTP only)")],
        ),
    ],
)
def test_the_bookmarks_source_reads_exports_in_several_styles(
    name: str,
    title: str,
    items: list[tuple[int, str | None, str, str | None, list[str]]],
    unlinked: list[tuple[int, str | None, str]],
) -> None:
    path = BOOKMARKS / name
    source = bookmarks_source()
    text = path.read_text(encoding="utf-8")
    assert source.detect(document(text, path.name, dedent=False)) == 1.0
    result = source.parse(document(text, path.name, dedent=False))
    assert result.title == title
    read = [(i.line, i.section, i.title, i.description, i.tags) for i in result.items]
    assert read == items
    assert [(u.line, u.section, u.text) for u in result.unlinked] == unlinked
    # Nothing is lost: every link of the file is an item's URL or an unlinked bookmark.
    hrefs = re.findall(r"""href=["']([^"']+)""", text, flags=re.IGNORECASE)
    assert len(hrefs) == len(result.items) + len(result.unlinked)
    web = [href for href in hrefs if href.startswith("http")]
    assert [item.url for item in result.items] == web


def test_other_html_is_not_taken_for_bookmarks() -> None:
    page = "<!DOCTYPE html>\n<title>Home</title>\n<a href='https://a.example/'>A</a>\n"
    assert bookmarks_source().detect(document(page, "index.html")) == 0.0


def test_a_build_mixes_bookmarks_with_markdown_lists(tmp_path: Path) -> None:
    lists: dict[str, str | bytes] = {
        "reading.md": """\
            # Awesome Reading

            ## Papers

            - [Attention Is All You Need](https://arxiv.org/abs/1706.03762) - The Transformer.
            """,
        "exports/chrome.html": (BOOKMARKS / "chrome.html").read_bytes(),
        "exports/firefox.html": (BOOKMARKS / "firefox.html").read_bytes(),
        # An old export in Windows-1252, declared as such, as for any input.
        "exports/old.htm": (BOOKMARKS / "handwritten.htm").read_text().encode("cp1252"),
    }
    config = '[files."old.htm"]\nencoding = "cp1252"\n'
    build = build_lists(tmp_path, lists, plugins=[PLUGINS / "bookmarks.py"], config=config)
    assert build.result.report.rejected == []
    formats = {source.path.rsplit("/", 1)[-1]: source.format for source in build.dataset.sources}
    assert formats == {
        "reading.md": "markdown",
        "chrome.html": "bookmarks",
        "firefox.html": "bookmarks",
        "old.htm": "bookmarks",
    }
    paper = entry_for(build.dataset, "https://arxiv.org/abs/1706.03762")
    assert len(paper.occurrences) == 4  # the list, two browsers, the course
    assert "arxiv" in paper.evidence
    assert {o.section for o in paper.occurrences} == {
        "Papers",
        "Bookmarks bar",
        "Reading",
        "Week 1",
    }
    course = entry_for(build.dataset, "https://www.youtube.com/watch?v=kCc8FmEb1nY")
    assert course.occurrences[0].title == "Let's build GPT"
    assert course.description == "Andrej Karpathy’s video, from scratch — in code."
    assert "Read sections 1–3." in {o.description for o in paper.occurrences}
    # The outputs of a build with bookmarks are the outputs of any build.
    assert "Attention Is All You Need" in build.read("README.md")


def test_explain_names_the_bookmarks_source_as_the_one_reader_of_html(in_root: None) -> None:
    path = BOOKMARKS.relative_to(ROOT) / "firefox.html"
    completed = awesomerge("explain", str(path), "--plugins-dir", "plugins/")
    assert completed.returncode == 0, completed.stderr
    assert "chosen: bookmarks (only bookmarks reads *.html files" in completed.stdout
    without = awesomerge("explain", str(path))  # no source claims *.html: Markdown reads it
    assert "chosen: markdown" in without.stdout


def test_build_and_explain_find_a_plugins_file_type_in_a_folder(tmp_path: Path) -> None:
    lists = tmp_path / "lists"
    (lists / "exports").mkdir(parents=True)
    (lists / "reading.md").write_text("- [Paper](https://arxiv.org/abs/1706.03762) - A paper.\n")
    (lists / "exports" / "firefox.html").write_bytes((BOOKMARKS / "firefox.html").read_bytes())
    plugins = str(PLUGINS)
    built = awesomerge("build", str(lists), "-o", str(tmp_path / "out"), "--plugins-dir", plugins)
    assert built.returncode == 0, built.stderr
    dataset = json.loads((tmp_path / "out" / "awesomerge.json").read_text())
    assert sorted(source["format"] for source in dataset["sources"]) == ["bookmarks", "markdown"]
    explained = awesomerge("explain", str(lists), "--plugins-dir", plugins)
    assert "chosen: bookmarks" in explained.stdout and "chosen: markdown" in explained.stdout
    # Without the plugin nothing claims *.html, and the search says which endings it looked for.
    (lists / "reading.md").unlink()
    alone = awesomerge("build", str(lists), "-o", str(tmp_path / "out2"))
    assert alone.returncode == 2
    assert "no *.markdown, *.md or *.txt files in" in alone.stderr


def test_plugins_lists_the_file_endings_a_source_reads(in_root: None) -> None:
    text = awesomerge("plugins", "--plugins-dir", "plugins/")
    assert "provides: source bookmarks (reads *.html, *.htm)" in text.stdout
    assert "provides: source markdown\n" in text.stdout  # the usual endings go without saying
    listing = json.loads(awesomerge("plugins", "--plugins-dir", "plugins/", "--json").stdout)
    reads = {name: ends for plugin in listing["plugins"] for name, ends in plugin["reads"].items()}
    assert reads["bookmarks"] == [".html", ".htm"]
    assert reads["markdown"] == [".md", ".markdown", ".txt"]

"""The csl-json output: a hand-written golden case, the CSL data schema 1.0.2 on the seeds and on
hostile text, pandoc --citeproc rendering both without errors or warnings, and the rules for
names, dates, URLs, title protection and citation keys."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from awesomerge.api import Collection
from awesomerge.build import build
from awesomerge.models import Dataset, Entry, Occurrence, SourceRecord
from awesomerge.outputs.bibtex_output import CITATION_KEYS, BibtexOutput, citation_keys
from awesomerge.outputs.csl_output import (
    CslJsonOutput,
    csl_items,
    csl_name,
    issued,
    protect_code_tokens,
    web_url,
)
from awesomerge.plugins import Plugins

from .conftest import DATA, INPUTS, ROOT, require_tool

CSL = DATA / "outputs" / "csl"
SCHEMA = json.loads((CSL / "csl-data.json").read_text(encoding="utf-8"))
PANDOC_SECONDS = 120
HOSTILE_TITLE = (
    "Quote \" and ' <script>alert(1)</script> {x} \\ 100% #1 @home $x$ & _a_ ~^ `code`\n"
    "[link](javascript:alert(1)) | emoji 😀🔥 中文标题 עברית <i>unclosed </span>"
)


def render(dataset: Dataset) -> str:
    return CslJsonOutput().render(Collection(dataset))


def entry(title: str, url: str, **fields: Any) -> Entry:
    occurrences = fields.pop("occurrences", [url])
    return Entry(
        id=fields.pop("id", "url:test"),
        url=url,
        title=title,
        kind=fields.pop("kind", "article"),
        occurrences=[
            Occurrence(source="hostile", url=link, title=title, line=line)
            for line, link in enumerate(occurrences, start=1)
        ],
        **fields,
    )


def dataset_of(*entries: Entry) -> Dataset:
    source = SourceRecord(id="hostile", path="hostile.md", format="gist", title="t", sha256="0")
    return Dataset(sources=[source], entries=list(entries))


HOSTILE = dataset_of(
    entry(
        HOSTILE_TITLE,
        "javascript:alert(1)",
        id="url:1",
        occurrences=["javascript:alert(1)", "data:text/html,<script>alert(1)</script>"],
        description="<b>bold</b> & {braces} \\cite{x} %comment\n#heading",
        authors=["<script>x</script>", "Ünïcödé Nämé", "李 明", "", "@{}%\\", "Hedu AI"],
        year=2024,
    ),
    entry(
        "Spaces, quotes and braces in the URL",
        'https://example.com/a b"c{d}|e\\f^g`h?q=1&r=%zz#frag',
        id="url:2",
        kind="website",
    ),
    entry("Non-ASCII URL: 中文", "https://例え.jp/パス?q=ü", id="url:3", tags=["🔥"]),
    entry("", "http://example.org/", id="url:4", kind="unknown-kind"),
    entry("Title\x00with\x1bcontrols\r\nand\ttabs", "https://example.org/x", id="url:5"),
)


@pytest.fixture(scope="module")
def seed_collection(plugins: Plugins) -> Collection:
    """The seeds' dataset, built in memory: no other output is rendered."""
    return build([str(INPUTS)], plugins).collection


def test_golden_case_gives_the_hand_written_items() -> None:
    dataset = Dataset.model_validate_json((CSL / "golden-dataset.json").read_text("utf-8"))
    expected = json.loads((CSL / "golden.csl.json").read_text(encoding="utf-8"))
    assert json.loads(render(dataset)) == expected


def test_text_is_indented_json_and_independent_of_entry_order() -> None:
    dataset = Dataset.model_validate_json((CSL / "golden-dataset.json").read_text("utf-8"))
    text = render(dataset)
    assert text == json.dumps(json.loads(text), ensure_ascii=False, indent=2) + "\n"
    reversed_entries = dataset.model_copy(update={"entries": dataset.entries[::-1]})
    assert render(reversed_entries) == text == render(dataset)


@pytest.mark.parametrize("name", ["seeds", "hostile", "golden"])
def test_valid_against_the_csl_data_schema(name: str, seed_collection: Collection) -> None:
    datasets = {
        "seeds": seed_collection.dataset,
        "hostile": HOSTILE,
        "golden": Dataset.model_validate_json((CSL / "golden-dataset.json").read_text("utf-8")),
    }
    items = json.loads(render(datasets[name]))
    jsonschema.Draft7Validator(SCHEMA).validate(items)
    assert len(items) == len(datasets[name].entries)
    assert len({item["id"] for item in items}) == len(items)


def test_the_schema_catches_an_unknown_key() -> None:
    """The schema check can fail: CSL forbids keys it does not define (hence `custom`)."""
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate([{"id": "a", "type": "webpage", "lists": []}], SCHEMA)


def test_seed_items_by_kind(seed_collection: Collection) -> None:
    items = {
        item["custom"]["awesomerge_id"]: item
        for item in json.loads(render(seed_collection.dataset))
    }
    attention = items["arxiv:1706.03762"]
    assert attention["type"] == "article"
    assert attention["number"] == "arXiv:1706.03762"
    assert attention["issued"] == {"date-parts": [[2017, 6]]}
    # The list gives no year for the scaling-laws paper; its arXiv id (2001.) does.
    assert items["arxiv:2001.08361"]["issued"] == {"date-parts": [[2020, 1]]}
    assert items["arxiv:2001.08361"]["author"] == [{"literal": "Kaplan"}]
    assert items["youtube:kCc8FmEb1nY"]["container-title"] == "YouTube"
    assert items["github:tatsu-lab/stanford_alpaca"]["publisher"] == "GitHub"
    assert all(item["URL"].startswith(("https://", "http://")) for item in items.values())


def test_hostile_text_stays_text_and_no_unsafe_url_is_written() -> None:
    items = {item["custom"]["awesomerge_id"]: item for item in json.loads(render(HOSTILE))}
    first = items["url:1"]
    assert "URL" not in first
    # Each "<" that could open a tag stands alone in a nocase span: CSL markup has no escape.
    inert = '<span class="nocase"><</span>'
    assert first["title"] == " ".join(HOSTILE_TITLE.split()).replace("<", inert)
    assert first["author"][:3] == [
        {"literal": "<script>x</script>"},
        {"family": "Nämé", "given": "Ünïcödé"},
        {"literal": "李 明"},
    ]
    assert len(first["author"]) == 5  # the empty name is left out
    assert items["url:2"]["URL"] == (
        "https://example.com/a%20b%22c%7Bd%7D%7Ce%5Cf%5Eg%60h?q=1&r=%zz#frag"
    )
    assert items["url:3"]["URL"] == "https://例え.jp/パス?q=ü"
    assert "title" not in items["url:4"]
    assert items["url:4"]["type"] == "webpage"
    assert items["url:5"]["title"] == "Title with controls and tabs"


def test_pandoc_renders_the_seeds_without_warnings(tmp_path: Path) -> None:
    pandoc = require_tool("pandoc")
    out = tmp_path / "out"
    completed = subprocess.run(
        ["awesomerge", "build", "inputs/", "--write", "csl-json", "-o", str(out), "-q"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=PANDOC_SECONDS,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    html = run_pandoc(pandoc, out / "bibliography.csl.json", tmp_path, "html")
    items = json.loads((out / "bibliography.csl.json").read_text(encoding="utf-8"))
    assert html.count('class="csl-entry"') == len(items) > 300


def test_pandoc_renders_hostile_text_as_inert_text(tmp_path: Path) -> None:
    pandoc = require_tool("pandoc")
    bibliography = tmp_path / "bibliography.csl.json"
    bibliography.write_text(render(HOSTILE), encoding="utf-8")
    html = run_pandoc(pandoc, bibliography, tmp_path, "html")
    assert html.count('class="csl-entry"') == len(HOSTILE.entries)
    assert not re.search(r"<script", html, re.IGNORECASE)
    assert sorted(re.findall(r'href="([^"]*)"', html)) == [
        "http://example.org/",
        "https://example.com/a%20b%22c%7Bd%7D%7Ce%5Cf%5Eg%60h?q=1&amp;r=%zz#frag",
        "https://example.org/x",
        "https://例え.jp/パス?q=ü",
    ]
    assert not re.search(r"<(i|em)>", html)
    plain = run_pandoc(pandoc, bibliography, tmp_path, "plain")
    for text in (
        "<script>alert(1)</script>",
        "<i>unclosed </span>",
        "{x}",
        "\\",
        "100%",
        "#1",
        "@home",
        "😀🔥",
        "中文标题",
        "עברית",
        "李 明",
        "例え.jp",
    ):
        assert text in plain.lower(), text


def run_pandoc(pandoc: str, bibliography: Path, folder: Path, to: str) -> str:
    """pandoc --citeproc on a document citing every item; it must exit 0 and warn of nothing."""
    document = folder / "cite-all.md"
    document.write_text("---\nnocite: '@*'\n---\n\n# References\n", encoding="utf-8")
    completed = subprocess.run(
        [pandoc, str(document), "--citeproc", "--bibliography", str(bibliography), "-t", to],
        capture_output=True,
        text=True,
        timeout=PANDOC_SECONDS,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert "[WARNING]" not in completed.stderr, completed.stderr
    assert completed.stderr == ""
    return completed.stdout


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Andrej Karpathy", {"family": "Karpathy", "given": "Andrej"}),
        ("Jean-Pierre O'Neil", {"family": "O'Neil", "given": "Jean-Pierre"}),
        ("Radford", {"literal": "Radford"}),
        ("Hedu AI", {"literal": "Hedu AI"}),
        ("Emily M. Bender", {"literal": "Emily M. Bender"}),
        ("OpenAI", {"literal": "OpenAI"}),
        ("Ludwig van Beethoven", {"literal": "Ludwig van Beethoven"}),
    ],
)
def test_names_are_split_only_when_unambiguous(name: str, expected: dict[str, str]) -> None:
    assert csl_name(name) == expected


@pytest.mark.parametrize(
    ("year", "arxiv", "expected"),
    [
        (None, None, None),
        (2019, None, [2019]),
        (None, "1706.03762", [2017, 6]),
        (2017, "1706.03762", [2017, 6]),
        (2018, "1706.03762", [2018]),  # the list's year wins; the month is then unknown
        (None, "hep-th/9711200", [1997, 11]),
        (None, "math/0211159", [2002, 11]),
    ],
)
def test_dates_come_from_the_list_or_the_arxiv_id(
    year: int | None, arxiv: str | None, expected: list[int] | None
) -> None:
    identifiers = {"arxiv": arxiv} if arxiv else {}
    assert issued(entry("t", "https://a.org/", year=year, identifiers=identifiers)) == expected


def test_url_falls_back_to_an_http_occurrence_and_never_to_other_schemes() -> None:
    both = entry("t", "javascript:alert(1)", occurrences=["data:x", "https://ok.org/p"])
    assert web_url(both) == "https://ok.org/p"
    for bad in (
        "javascript:alert(1)",
        "JAVASCRIPT:x",
        "data:text/html,x",
        "ftp://x.org",
        "http://",
    ):
        assert web_url(entry("t", bad)) is None, bad


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Notes on llama.cpp, again", 'Notes on <span class="nocase">llama.cpp</span>, again'),
        ("(openai/tiktoken)", '(<span class="nocase">openai/tiktoken</span>)'),
        ("How GPT3 Works", 'How <span class="nocase">GPT3</span> Works'),
        ("nanoGPT and BERT in 2023", "nanoGPT and BERT in 2023"),
        (
            "<i>llama.cpp</i>",
            '<span class="nocase"><</span>i>llama.cpp<span class="nocase"><</span>/i>',
        ),
        ('a "b.c"', 'a "<span class="nocase">b.c</span>"'),
    ],
)
def test_code_like_tokens_keep_their_case(title: str, expected: str) -> None:
    assert protect_code_tokens(title) == expected


def test_citation_keys_are_the_bibtex_keys(seed_build: dict[str, object]) -> None:
    """A work is cited by the same key from bibliography.bib and bibliography.csl.json."""
    dataset = Dataset.model_validate(seed_build)
    items = csl_items(Collection(dataset))
    keys = citation_keys(dataset.entries)
    by_entry = {item["custom"]["awesomerge_id"]: item["id"] for item in items}
    assert by_entry == {entry.id: key for entry, key in zip(dataset.entries, keys, strict=True)}


def test_written_alone_or_after_the_bibtex_the_keys_are_the_same(
    seed_build: dict[str, object],
) -> None:
    """The CSL output takes the keys the BibTeX output made, when it made them: they must be
    the keys the CSL output would make alone."""
    dataset = Dataset.model_validate(seed_build)
    alone = CslJsonOutput().render(Collection(dataset))
    shared = Collection(dataset)
    BibtexOutput().render(shared)
    assert CslJsonOutput().render(shared) == alone
    assert CITATION_KEYS in shared._derived


def test_et_al_is_left_to_the_style_and_the_venue_is_the_container(tmp_path: Path) -> None:
    paper = entry(
        "Tree of Thoughts: Deliberate Problem Solving with Large Language Models",
        "https://openreview.net/forum?id=5Xc1ecxO1h",
        kind="paper",
        authors=["Shunyu Yao", "Dian Yu", "others"],
        venue="NeurIPS",
        year=2023,
    )
    (item,) = csl_items(Collection(dataset_of(paper)))
    assert item["author"] == [
        {"family": "Yao", "given": "Shunyu"},
        {"family": "Yu", "given": "Dian"},
    ]
    assert item["container-title"] == "NeurIPS"
    pandoc = require_tool("pandoc")
    bibliography = tmp_path / "bibliography.csl.json"
    bibliography.write_text(render(dataset_of(paper)), encoding="utf-8")
    plain = run_pandoc(pandoc, bibliography, tmp_path, "plain")
    assert "Yao, Shunyu, and Dian Yu" in " ".join(plain.split())
    assert "NeurIPS" in plain and "others" not in plain

"""awesomerge.testing, the helpers plugin authors test with, work as their docstring says."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import ClassVar

import pytest

import awesomerge
from awesomerge.outputs.json_output import JsonOutput
from awesomerge.reading import InputFile, read_document
from awesomerge.sources.markdown_source import MarkdownSource
from awesomerge.testing import build_lists, document, entry_for, parse_snippet, render


class Upper(awesomerge.Output):
    name = "upper"
    filename = "upper.txt"

    class Options(awesomerge.PluginOptions):
        prefix: str = "-"

    options: Options

    def render(self, collection: awesomerge.Collection) -> str:
        return "".join(
            f"{self.options.prefix} {entry.title.upper()}\n" for entry in collection.dataset.entries
        )


class UpperPlugin:
    @staticmethod
    @awesomerge.hookimpl
    def register_outputs(register: awesomerge.OutputRegistrar) -> None:
        register(Upper)


class JsonLinks(awesomerge.Source):
    """A source of another file type: a JSON array of {"title", "url"} objects."""

    name = "json-links"
    suffixes: ClassVar[tuple[str, ...]] = (".json",)

    def parse(self, document: awesomerge.Document) -> awesomerge.ParseResult:
        links = json.loads(document.text)
        items = [awesomerge.Item(title=link["title"], url=link["url"], line=1) for link in links]
        return awesomerge.ParseResult(items=items)


class JsonLinksPlugin:
    @staticmethod
    @awesomerge.hookimpl
    def register_sources(register: awesomerge.SourceRegistrar) -> None:
        register(JsonLinks)


def test_parse_snippet_dedents_and_repairs() -> None:
    result = parse_snippet(
        """
        - [Don‚Äôt panic](https://example.org/a) - a guide.
        """,
        MarkdownSource,
    )
    (item,) = result.items
    assert (item.title, item.line, item.description) == ("Don’t panic", 2, "a guide.")
    assert document("- x\n").repairs == 0


def test_build_lists_writes_the_outputs_of_the_plugins_it_names(tmp_path: Path) -> None:
    build = build_lists(
        tmp_path,
        {"a.md": "- [Alpha](https://a.example/)\n", "sub/b.md": "- [Beta](https://b.example/)\n"},
        plugins=[UpperPlugin],
        options=["upper.prefix=*"],
        write=["upper", "json"],
    )
    assert build.read("upper.txt") == "* ALPHA\n* BETA\n"
    written = sorted(path.name for path in build.output.iterdir())
    assert written == [".awesomerge-output.json", "awesomerge.json", "upper.txt"]
    assert entry_for(build.dataset, "https://b.example/").title == "Beta"
    assert render(JsonOutput, build.dataset) == build.read("awesomerge.json")
    with pytest.raises(AssertionError, match=r"no entry lists https://c\.example/"):
        entry_for(build.dataset, "https://c.example/")


def test_build_lists_reads_a_config(tmp_path: Path) -> None:
    build = build_lists(
        tmp_path,
        {"a.md": "- [Alpha](https://a.example/)\n- [Alpha copy](https://mirror.example/a)\n"},
        config='[merge]\nsame = [["https://a.example/", "https://mirror.example/a"]]\n',
    )
    (entry,) = build.dataset.entries
    assert entry.evidence == ["override"]


def test_build_lists_reads_the_file_types_of_the_sources_it_is_given(tmp_path: Path) -> None:
    # It used to drop every file but *.md, *.markdown and *.txt without a word.
    links = [{"title": "Gamma", "url": "https://c.example/"}]
    lists: dict[str, str | bytes] = {
        "a.md": "- [Alpha](https://a.example/)\n",
        "links.json": json.dumps(links),
        "old.md": "- [Caf\xe9](https://cafe.example/)\n".encode("cp1252"),
    }
    config = '[files."old.md"]\nencoding = "cp1252"\n'
    build = build_lists(tmp_path, lists, plugins=[JsonLinksPlugin], config=config)
    assert {
        (source.path.rsplit("/", 1)[-1], source.format) for source in build.dataset.sources
    } == {
        ("a.md", "markdown"),
        ("links.json", "json-links"),
        ("old.md", "markdown"),
    }
    assert entry_for(build.dataset, "https://c.example/").title == "Gamma"
    assert entry_for(build.dataset, "https://cafe.example/").title == "Café"
    assert (build.inputs / "old.md").read_bytes() == "- [Caf\xe9](https://cafe.example/)\n".encode(
        "cp1252"
    )
    # Without the plugin, the JSON file is not an input, as in `awesomerge build`.
    plain = build_lists(tmp_path / "plain", {"links.json": json.dumps(links), "a.md": "- x\n"})
    assert [source.path.rsplit("/", 1)[-1] for source in plain.dataset.sources] == ["a.md"]


def test_an_earlier_build_among_the_inputs_is_not_read_again(tmp_path: Path) -> None:
    """`awesomerge build .` run twice read its own output: here, with a source of *.json that
    would read the earlier awesomerge.json, and outputs copied away from their manifest."""
    lists = {
        "a.md": "# Awesome A\n\n- [Alpha](https://a.example/) - The first.\n",
        "links.json": json.dumps([{"title": "Gamma", "url": "https://c.example/"}]),
    }
    first = build_lists(tmp_path / "first", lists, plugins=[JsonLinksPlugin])
    again = dict(lists)
    for path in first.output.iterdir():
        if not path.name.startswith("."):
            again[f"earlier/{path.name}"] = path.read_bytes()  # without the manifest
    second = build_lists(tmp_path / "second", again, plugins=[JsonLinksPlugin])
    assert len(again) == len(lists) + 5
    assert [source.path for source in second.dataset.sources] == [
        source.path.replace("first", "second") for source in first.dataset.sources
    ]
    assert sum(len(entry.occurrences) for entry in second.dataset.entries) == 2
    # The output folder of the first build, manifest and all, is skipped too.
    shutil.copytree(first.output, second.inputs / "output-copy")
    third = build_lists(tmp_path / "second", {}, plugins=[JsonLinksPlugin])
    assert len(third.dataset.sources) == 2


def test_a_snippet_of_bytes_is_what_a_binary_source_gets(tmp_path: Path) -> None:
    raw = b"\x00\x01https://a.example/\xff\r\n"
    assert document(raw, "data.bin").text.encode("latin-1") == raw
    file = tmp_path / "data.bin"
    file.write_bytes(raw)
    read = read_document(InputFile(file, "data.bin"), binary=True)
    assert read.text == document(raw, "data.bin").text

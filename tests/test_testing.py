"""awesomerge.testing, the helpers plugin authors test with, work as their docstring says."""

from __future__ import annotations

from pathlib import Path

import pytest

import awesomerge
from awesomerge.outputs.json_output import JsonOutput
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

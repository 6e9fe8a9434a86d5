"""Each hook, exercised through a real plugin the way a third party would write one."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

from click.testing import CliRunner

from awesomerge.cli import cli
from awesomerge.plugins import load_plugins


def drop_in(folder: Path, name: str, code: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.py").write_text(textwrap.dedent(code), encoding="utf-8")
    return folder


def build(tmp_path: Path, files: dict[str, str], *options: str) -> dict[str, object]:
    lists = tmp_path / "lists"
    lists.mkdir(exist_ok=True)
    for name, text in files.items():
        (lists / name).write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", str(lists), "-o", str(tmp_path / "out"), *options])
    assert result.exit_code == 0, result.output
    data: dict[str, object] = json.loads((tmp_path / "out" / "awesomerge.json").read_text())
    return data


def entry_urls(dataset: dict[str, object]) -> list[list[str]]:
    entries = dataset["entries"]
    assert isinstance(entries, list)
    return sorted(sorted(o["url"] for o in entry["occurrences"]) for entry in entries)


def test_hook_register_sources(tmp_path: Path) -> None:
    plugins = drop_in(
        tmp_path / "plugins",
        "tsv",
        """
        import awesomerge

        class TsvSource(awesomerge.Source):
            name = "tsv"

            def detect(self, document):
                return 0.9 if "\\t" in document.text else 0.0

            def parse(self, document):
                items = [awesomerge.Item(title=title, url=url, line=number)
                         for number, line in enumerate(document.lines, start=1) if "\\t" in line
                         for title, url in [line.split("\\t", 1)]]
                return awesomerge.ParseResult(items=items)

        @awesomerge.hookimpl
        def register_sources(register):
            register(TsvSource)
    """,
    )
    dataset = build(
        tmp_path, {"a.txt": "Ruff\thttps://docs.astral.sh/ruff/\n"}, "--plugins-dir", str(plugins)
    )
    sources = dataset["sources"]
    assert isinstance(sources, list) and sources[0]["format"] == "tsv"
    assert entry_urls(dataset) == [["https://docs.astral.sh/ruff/"]]


def test_hook_register_outputs(tmp_path: Path) -> None:
    plugins = drop_in(
        tmp_path / "plugins",
        "count",
        """
        import awesomerge

        class CountOutput(awesomerge.Output):
            name = "count"
            filename = "count.txt"

            def render(self, collection):
                dataset = collection.dataset
                return f"{len(dataset.entries)} entries, {len(collection.review)} to review\\n"

        @awesomerge.hookimpl
        def register_outputs(register):
            register(CountOutput)
    """,
    )
    build(
        tmp_path,
        {"a.md": "- [A](https://a.example/)\n- [B](https://b.example/)\n"},
        "--plugins-dir",
        str(plugins),
    )
    assert (tmp_path / "out" / "count.txt").read_text() == "2 entries, 0 to review\n"


def test_hook_canonical_url(tmp_path: Path) -> None:
    files = {
        "a.md": "- [Post](https://mirror.example.org/post/1)\n",
        "b.md": "- [Original](https://example.org/post/1)\n",
    }
    assert len(entry_urls(build(tmp_path, files))) == 2
    plugins = drop_in(
        tmp_path / "plugins",
        "mirror",
        """
        import awesomerge

        @awesomerge.hookimpl
        def canonical_url(url):
            prefix = "https://mirror.example.org/"
            if url.startswith(prefix):
                return "https://example.org/" + url.removeprefix(prefix)
            return None
    """,
    )
    dataset = build(tmp_path, files, "--plugins-dir", str(plugins))
    assert entry_urls(dataset) == [
        ["https://example.org/post/1", "https://mirror.example.org/post/1"]
    ]
    entries = dataset["entries"]
    assert isinstance(entries, list) and entries[0]["url"] == "https://example.org/post/1"
    assert (
        load_plugins([plugins], entry_points=False).canonical_url("https://mirror.example.org/x")
        == "https://example.org/x"
    )


def test_curator_overrides_in_awesomerge_toml_are_obeyed(tmp_path: Path) -> None:
    files = {
        "a.md": "- [GPT explained](https://one.example/gpt)\n"
        "- [Attention Is All You Need](https://arxiv.org/abs/1706.03762)\n",
        "b.md": "- [How GPT works](https://two.example/gpt)\n"
        "- [Attention Is All You Need](https://talks.example/attention)\n",
    }
    before = build(tmp_path, files)
    assert len(entry_urls(before)) == 4
    review = (tmp_path / "out" / "review.md").read_text()
    assert "https://talks.example/attention" in review
    (tmp_path / "lists" / "awesomerge.toml").write_text(
        "[merge]\n"
        'same = [["https://one.example/gpt", "http://two.example/gpt/"]]\n'
        'distinct = [["https://arxiv.org/abs/1706.03762", "https://talks.example/attention"]]\n'
    )
    after = build(tmp_path, files)
    assert ["https://one.example/gpt", "https://two.example/gpt"] in entry_urls(after)
    assert len(entry_urls(after)) == 3
    assert "https://talks.example/attention" not in (tmp_path / "out" / "review.md").read_text()

"""Plugins: where they come from (built in, entry points, --plugins-dir) and what happens when one
misbehaves. A bad plugin is reported by name and left out; every other plugin keeps working.

tests/data/plugins/lines.py is a well-behaved drop-in, as a user would write one; the broken
plugins are written inline, next to the test that shows what awesomerge does with them.
"""

from __future__ import annotations

import json
import shutil
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

import awesomerge
from awesomerge.build import build
from awesomerge.cli import cli
from awesomerge.plugins import DEFAULT_PLUGINS, PluginFailure, PluginInfo, Plugins, load_plugins
from awesomerge.reading import find_inputs

PLUGINS = Path(__file__).resolve().parent / "data" / "plugins"
LINES = PLUGINS / "lines.py"

BROKEN_ON_IMPORT = """
    import awesomerge

    raise RuntimeError("the frobnicator is not installed")
"""

_BUILT_IN = load_plugins(entry_points=False, strict=True)
BUILT_IN_SOURCES = set(_BUILT_IN.sources)
BUILT_IN_OUTPUTS = set(_BUILT_IN.outputs)


@pytest.fixture(autouse=True)
def isolated(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Plugin modules stay in sys.modules once loaded: forget them, so that no test's plugin
    leaks into another. A strict setting in the caller's environment would change every test."""
    monkeypatch.delenv("AWESOMERGE_STRICT_PLUGINS", raising=False)
    before = set(sys.modules)
    yield
    for name in set(sys.modules) - before:
        if name.startswith("awesomerge_"):
            del sys.modules[name]


def write_plugin(folder: Path, stem: str, code: str) -> Path:
    """Write a drop-in plugin file `stem`.py into `folder` and return the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{stem}.py").write_text(textwrap.dedent(code), encoding="utf-8")
    return folder


def with_lines_plugin(folder: Path) -> Path:
    """Add the well-behaved `lines` drop-in to `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(LINES, folder / LINES.name)
    return folder


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)


def failures_of(plugins: Plugins, name: str) -> list[PluginFailure]:
    return [failure for failure in plugins.failures if failure.name == name]


def info_of(plugins: Plugins, name: str) -> PluginInfo:
    found = [info for info in plugins.plugins if info.name == name]
    assert len(found) == 1, f"{name} in {[info.name for info in plugins.plugins]}"
    return found[0]


def builds_markdown(plugins: Plugins, tmp_path: Path) -> None:
    """The built-in markdown source reads an ordinary list with these plugins loaded."""
    path = tmp_path / "list.md"
    path.write_text(
        "# Tools\n\n- [Ruff](https://github.com/astral-sh/ruff) - a linter\n", encoding="utf-8"
    )
    result = build([str(path)], plugins)
    assert result.report.rejected == []
    assert [source.format for source in result.dataset.sources] == ["markdown"]
    assert [entry.title for entry in result.dataset.entries] == ["Ruff"]


# Where plugins come from


def test_built_in_plugins_register_like_third_parties() -> None:
    plugins = load_plugins(entry_points=False)

    assert plugins.failures == []
    assert [info.name for info in plugins.plugins] == list(DEFAULT_PLUGINS)
    for info in plugins.plugins:
        assert (info.origin, info.version) == ("built-in", awesomerge.__version__)
    assert "markdown" in plugins.sources
    assert "json" in plugins.outputs
    assert plugins.provider["source:markdown"] == "awesomerge.sources.markdown_source"
    assert plugins.provider["output:json"] == "awesomerge.outputs.json_output"


@pytest.fixture
def demo_distribution(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A distribution "installed" in tmp_path: a dist-info folder declaring an entry point in
    the awesomerge group, and the module it names."""
    site = tmp_path / "site-packages"
    dist_info = site / "awesomerge_demo-1.0.dist-info"
    dist_info.mkdir(parents=True)
    (dist_info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: awesomerge-demo\nVersion: 1.0\n", encoding="utf-8"
    )
    (dist_info / "entry_points.txt").write_text(
        "[awesomerge]\ndemo = awesomerge_demo\n", encoding="utf-8"
    )
    write_plugin(
        site,
        "awesomerge_demo",
        """
        import awesomerge

        class DemoSource(awesomerge.Source):
            name = "demo"

            def parse(self, document):
                return awesomerge.ParseResult(title="demo")

        @awesomerge.hookimpl
        def register_sources(register):
            register(DemoSource)
    """,
    )
    monkeypatch.syspath_prepend(str(site))
    yield site
    sys.modules.pop("awesomerge_demo", None)


def test_entry_point_plugin_is_discovered(
    demo_distribution: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWESOMERGE_DISABLE_PLUGIN_AUTOLOAD", "1")
    assert "demo" not in load_plugins().sources  # the switch that keeps this suite hermetic
    monkeypatch.delenv("AWESOMERGE_DISABLE_PLUGIN_AUTOLOAD")
    plugins = load_plugins()

    assert plugins.failures == []
    assert "demo" in plugins.sources
    assert plugins.provider["source:demo"] == "demo"
    info = info_of(plugins, "demo")
    assert info.version == "1.0"
    assert "awesomerge-demo" in info.origin
    assert info.sources == ("demo",)


def test_plugins_dir_source_and_output_are_used_by_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plugins = load_plugins([PLUGINS], entry_points=False)
    assert plugins.failures == []
    assert info_of(plugins, "local:lines") == PluginInfo(
        "local:lines", None, f"plugins dir {LINES}", sources=("lines",), outputs=("titles",)
    )
    provider = plugins.provider.items()
    local = {kind: plugin for kind, plugin in provider if plugin.startswith("local")}
    assert local == {"source:lines": "local:lines", "output:titles": "local:lines"}

    monkeypatch.chdir(tmp_path)
    (tmp_path / "lists").mkdir()
    (tmp_path / "lists" / "tools.txt").write_text(
        "Ruff | https://github.com/astral-sh/ruff\npytest | https://docs.pytest.org/\n",
        encoding="utf-8",
    )
    result = run("build", "lists", "-o", "out", "--plugins-dir", str(PLUGINS), "--format", "lines")

    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "titles.txt").read_text(encoding="utf-8") == (
        "Ruff <https://github.com/astral-sh/ruff>\npytest <https://docs.pytest.org/>\n"
    )
    dataset = json.loads((tmp_path / "out" / "awesomerge.json").read_text(encoding="utf-8"))
    assert [source["format"] for source in dataset["sources"]] == ["lines"]


# A plugin that cannot be loaded


@pytest.fixture
def broken_dir(tmp_path: Path) -> Path:
    """A plugins folder holding one plugin that raises on import and one good plugin."""
    folder = with_lines_plugin(tmp_path / "plugins")
    return write_plugin(folder, "broken", BROKEN_ON_IMPORT)


def test_plugin_failing_on_import_is_reported_and_others_load(broken_dir: Path) -> None:
    plugins = load_plugins([broken_dir], entry_points=False)

    [failure] = plugins.failures
    assert failure.name == "local:broken"
    assert "RuntimeError: the frobnicator is not installed" in failure.reason
    assert "broken.py" in failure.origin
    assert "local:broken" not in [info.name for info in plugins.plugins]
    assert set(plugins.sources) == BUILT_IN_SOURCES | {"lines"}
    assert set(plugins.outputs) == BUILT_IN_OUTPUTS | {"titles"}


def test_plugins_command_lists_the_failure(broken_dir: Path) -> None:
    result = run("plugins", "--plugins-dir", str(broken_dir))

    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert "FAILED local:broken" in lines
    why = lines[lines.index("FAILED local:broken") + 2]
    assert why.startswith("    why: RuntimeError: the frobnicator is not installed")
    assert "local:lines" in lines


def test_plugins_command_json_lists_the_failure(broken_dir: Path) -> None:
    result = run("plugins", "--json", "--plugins-dir", str(broken_dir))

    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    [failure] = data["failures"]
    assert failure["name"] == "local:broken"
    assert "RuntimeError: the frobnicator is not installed" in failure["reason"]
    assert "local:lines" in [plugin["name"] for plugin in data["plugins"]]


@pytest.mark.parametrize(
    ("flag", "env"),
    [(["--strict-plugins"], None), ([], {"AWESOMERGE_STRICT_PLUGINS": "1"})],
    ids=["option", "environment"],
)
@pytest.mark.parametrize("command", ["plugins", "build"])
def test_strict_plugins_stops_on_the_failure(
    broken_dir: Path, tmp_path: Path, command: str, flag: list[str], env: dict[str, str] | None
) -> None:
    (tmp_path / "list.md").write_text(
        "- [Ruff](https://github.com/astral-sh/ruff)\n", encoding="utf-8"
    )
    arguments = [command]
    if command == "build":
        arguments += [str(tmp_path / "list.md"), "-o", str(tmp_path / "out")]
    result = run(*arguments, "--plugins-dir", str(broken_dir), *flag, env=env)

    assert result.exit_code != 0
    assert 'plugin "local:broken"' in result.stderr
    assert "the frobnicator is not installed" in result.stderr
    assert not (tmp_path / "out").exists()


# A plugin that breaks the contract


def test_taken_source_name_is_refused_and_the_built_in_still_works(tmp_path: Path) -> None:
    folder = write_plugin(
        tmp_path / "plugins",
        "impostor",
        """
        import awesomerge

        class Impostor(awesomerge.Source):
            name = "markdown"

            def parse(self, document):
                raise AssertionError("the impostor was used")

        @awesomerge.hookimpl
        def register_sources(register):
            register(Impostor)
    """,
    )
    plugins = load_plugins([folder], entry_points=False)

    [failure] = plugins.failures
    assert failure.name == "local:impostor"
    assert '"markdown"' in failure.reason
    assert '"awesomerge.sources.markdown_source"' in failure.reason
    assert plugins.provider["source:markdown"] == "awesomerge.sources.markdown_source"
    assert info_of(plugins, "local:impostor").sources == ()
    builds_markdown(plugins, tmp_path)


def test_wrong_classes_are_refused_and_blamed_on_their_plugin(tmp_path: Path) -> None:
    folder = write_plugin(
        tmp_path / "plugins",
        "not_a_source",
        """
        import awesomerge

        class Lookalike:
            name = "lookalike"

            def parse(self, document):
                return awesomerge.ParseResult()

        @awesomerge.hookimpl
        def register_sources(register):
            register(Lookalike)
    """,
    )
    write_plugin(
        folder,
        "no_filename",
        """
        import awesomerge

        class Nameless(awesomerge.Output):
            name = "nameless"

            def render(self, collection):
                return ""

        @awesomerge.hookimpl
        def register_outputs(register):
            register(Nameless)
    """,
    )
    with_lines_plugin(folder)
    plugins = load_plugins([folder], entry_points=False)

    [not_a_source] = failures_of(plugins, "local:not_a_source")
    assert "Lookalike" in not_a_source.reason
    assert "not a subclass of awesomerge.Source" in not_a_source.reason
    [no_filename] = failures_of(plugins, "local:no_filename")
    assert "Nameless" in no_filename.reason
    assert "no `filename`" in no_filename.reason
    assert len(plugins.failures) == 2
    assert set(plugins.sources) == BUILT_IN_SOURCES | {"lines"}
    assert set(plugins.outputs) == BUILT_IN_OUTPUTS | {"titles"}


def test_register_hook_that_raises_is_blamed_on_its_plugin(tmp_path: Path) -> None:
    folder = write_plugin(
        with_lines_plugin(tmp_path / "plugins"),
        "raising",
        """
        import awesomerge

        @awesomerge.hookimpl
        def register_sources(register):
            raise KeyError("no such configuration")
    """,
    )
    plugins = load_plugins([folder], entry_points=False)

    [failure] = plugins.failures
    assert failure.name == "local:raising"
    assert failure.reason.startswith("register_sources: KeyError: 'no such configuration'")
    assert set(plugins.sources) == BUILT_IN_SOURCES | {"lines"}
    assert set(plugins.outputs) == BUILT_IN_OUTPUTS | {"titles"}


def test_hook_with_unknown_name_is_a_failure_of_its_plugin(tmp_path: Path) -> None:
    folder = write_plugin(
        with_lines_plugin(tmp_path / "plugins"),
        "typo",
        """
        import awesomerge

        class Typo(awesomerge.Source):
            name = "typo"

            def parse(self, document):
                return awesomerge.ParseResult()

        @awesomerge.hookimpl
        def register_sourcez(register):
            register(Typo)
    """,
    )
    plugins = load_plugins([folder], entry_points=False)

    [failure] = plugins.failures
    assert failure.name == "local:typo"
    assert "register_sourcez" in failure.reason
    assert "local:typo" not in [info.name for info in plugins.plugins]
    assert set(plugins.sources) == BUILT_IN_SOURCES | {"lines"}

    result = run("plugins", "--plugins-dir", str(folder))
    assert result.exit_code == 0, result.output
    assert "FAILED local:typo" in result.stdout.splitlines()


# A source that misbehaves while parsing


@pytest.fixture
def two_lists(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """lists/good.md and lists/bad.md, with tmp_path as the working folder."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "lists").mkdir()
    (tmp_path / "lists" / "good.md").write_text(
        "- [Ruff](https://github.com/astral-sh/ruff)\n", encoding="utf-8"
    )
    (tmp_path / "lists" / "bad.md").write_text(
        "- [Boom](https://example.org/boom)\n", encoding="utf-8"
    )
    return tmp_path


def write_parse_plugin(folder: Path, stem: str, parse_body: str) -> Path:
    """A drop-in providing the source `stem`, whose parse() runs `parse_body`."""
    body = textwrap.indent(textwrap.dedent(parse_body), " " * 8)
    return write_plugin(
        folder,
        stem,
        f"""\
import awesomerge


class ParseSource(awesomerge.Source):
    name = {stem!r}

    def parse(self, document):
{body}

@awesomerge.hookimpl
def register_sources(register):
    register(ParseSource)
""",
    )


def build_dataset(out: Path) -> Any:
    return json.loads((out / "awesomerge.json").read_text(encoding="utf-8"))


def test_source_raising_on_one_file_rejects_only_that_file(two_lists: Path) -> None:
    folder = write_parse_plugin(
        two_lists / "plugins",
        "flaky",
        """
        if "boom" in document.text:
            raise ValueError("the list is on fire")
        return awesomerge.ParseResult(title="fine")
    """,
    )
    result = run("build", "lists", "-o", "out", "--plugins-dir", str(folder), "--format", "flaky")

    assert result.exit_code == 1, result.output
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert errors == [
        'error: lists/bad.md: plugin "local:flaky" failed while parsing it: '
        "ValueError: the list is on fire"
    ]
    dataset = build_dataset(two_lists / "out")
    assert [(source["path"], source["format"]) for source in dataset["sources"]] == [
        ("lists/good.md", "flaky")
    ]


def test_source_returning_the_wrong_type_rejects_every_file(two_lists: Path) -> None:
    folder = write_parse_plugin(
        two_lists / "plugins",
        "sloppy",
        """
        return {"items": []}
    """,
    )
    result = run("build", "lists", "-o", "out", "--plugins-dir", str(folder), "--format", "sloppy")

    assert result.exit_code == 1, result.output
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert errors == [
        f'error: lists/{name}.md: plugin "local:sloppy" returned dict from parse(), '
        "not a ParseResult"
        for name in ("bad", "good")
    ] + ["error: no input could be read; nothing was written to out/"]
    assert not (two_lists / "out").exists()


# Regressions: plugin messages printed verbatim, duplicate names, taken output files


@pytest.mark.parametrize("text", ["expected [/] or [bold]", "expected [bold] here"])
def test_parse_error_text_is_printed_verbatim(two_lists: Path, text: str) -> None:
    folder = write_parse_plugin(
        two_lists / "plugins",
        "flaky",
        f"""
        if "boom" in document.text:
            raise ValueError({text!r})
        return awesomerge.ParseResult()
    """,
    )
    result = CliRunner().invoke(
        cli, ["build", "lists", "-o", "out", "--plugins-dir", str(folder), "--format", "flaky"]
    )

    assert result.exit_code == 1, result.output
    assert f"ValueError: {text}" in result.stderr
    assert (two_lists / "out" / "awesomerge.json").exists()


def test_same_drop_in_name_in_two_folders_keeps_the_first(tmp_path: Path) -> None:
    first = write_parse_plugin(tmp_path / "first", "extra", "return awesomerge.ParseResult()")
    second = tmp_path / "second"
    second.mkdir()
    (second / "extra.py").write_text(
        (first / "extra.py").read_text(encoding="utf-8").replace("'extra'", "'extra2'"),
        encoding="utf-8",
    )
    plugins = load_plugins([first, second], entry_points=False)

    [failure] = plugins.failures
    assert failure.name == "local:extra"
    assert "second" in failure.origin
    assert info_of(plugins, "local:extra").sources == ("extra",)
    assert "extra" in plugins.sources


def test_output_writing_a_taken_filename_is_refused(tmp_path: Path) -> None:
    folder = write_plugin(
        tmp_path / "plugins",
        "shadow",
        """
        import awesomerge

        class Shadow(awesomerge.Output):
            name = "shadow"
            filename = "awesomerge.json"

            def render(self, collection):
                return "not the dataset"

        @awesomerge.hookimpl
        def register_outputs(register):
            register(Shadow)
    """,
    )
    plugins = load_plugins([folder], entry_points=False)

    [failure] = plugins.failures
    assert failure.name == "local:shadow"
    assert "awesomerge.json" in failure.reason
    assert set(plugins.outputs) == BUILT_IN_OUTPUTS


# Strict mode: a plugin that misbehaves while building stops the build.


def test_strict_mode_stops_on_a_source_that_raises_while_parsing(two_lists: Path) -> None:
    folder = write_parse_plugin(
        two_lists / "plugins",
        "flaky",
        """
        if "Boom" in document.text:
            raise ValueError("cannot read this one")
        return awesomerge.ParseResult()
    """,
    )
    (two_lists / "out").mkdir()
    (two_lists / "out" / "awesomerge.json").write_text("previous\n")
    args = ["build", "lists", "-o", "out", "--plugins-dir", str(folder), "--format", "flaky"]
    lenient = CliRunner().invoke(cli, args)
    assert lenient.exit_code == 1
    assert (two_lists / "out" / "awesomerge.json").read_text() != "previous\n"
    (two_lists / "out" / "awesomerge.json").write_text("previous\n")
    strict = CliRunner().invoke(cli, [*args, "--strict-plugins"])
    assert strict.exit_code == 1
    assert 'lists/bad.md: plugin "local:flaky" failed while parsing it' in strict.stderr
    assert "nothing was written" in strict.stderr
    assert (two_lists / "out" / "awesomerge.json").read_text() == "previous\n"


def test_a_failing_detector_is_a_warning_or_in_strict_mode_an_error(two_lists: Path) -> None:
    folder = write_plugin(
        two_lists / "plugins",
        "nosy",
        """
        import awesomerge

        class Nosy(awesomerge.Source):
            name = "nosy"

            def detect(self, document):
                raise KeyError("no idea")

            def parse(self, document):
                return awesomerge.ParseResult()

        @awesomerge.hookimpl
        def register_sources(register):
            register(Nosy)
    """,
    )
    args = ["build", "lists", "-o", "out", "--plugins-dir", str(folder)]
    lenient = CliRunner().invoke(cli, args)
    assert lenient.exit_code == 0, lenient.output
    warnings = json.loads((two_lists / "out" / "awesomerge.json").read_text())["sources"][0]
    assert (
        'plugin "local:nosy": source "nosy" detect() raised KeyError'
        in (warnings["warnings"][0]["message"])
    )
    strict = CliRunner().invoke(cli, [*args, "--strict-plugins"])
    assert strict.exit_code == 1
    assert 'plugin "local:nosy" (source "nosy"): detect() raised KeyError' in strict.stderr


# Sources of other file types (issue 13): a source declares the endings it reads


FILE_TYPES = """
    import awesomerge


    def _items(document):
        return [
            awesomerge.Item(title=url, url=url, line=number)
            for number, url in enumerate(document.text.split(), start=1)
        ]


    class Feeds(awesomerge.Source):
        name = "feeds"
        suffixes = (".opml",)

        def parse(self, document):
            return awesomerge.ParseResult(items=_items(document))


    class SheetA(awesomerge.Source):
        name = "sheet-a"
        suffixes = (".csv",)

        def detect(self, document):
            return 0.9 if document.text.startswith("a") else 0.1

        def parse(self, document):
            return awesomerge.ParseResult(items=_items(document)[1:])


    class SheetB(awesomerge.Source):
        name = "sheet-b"
        suffixes = (".CSV", ".tsv")

        def detect(self, document):
            return 0.9 if document.text.startswith("b") else 0.2

        def parse(self, document):
            return awesomerge.ParseResult(items=_items(document)[1:])


    class Records(awesomerge.Source):
        '''Records of a binary format: a NUL byte ends each URL.'''

        name = "records"
        suffixes = (".rec",)
        binary = True

        def parse(self, document):
            raw = document.text.encode("latin-1")
            urls = [part.decode("utf-8") for part in raw.split(b"\\0") if part]
            items = [awesomerge.Item(title=u, url=u, line=1) for u in urls]
            return awesomerge.ParseResult(items=items)


    @awesomerge.hookimpl
    def register_sources(register):
        for source in (Feeds, SheetA, SheetB, Records):
            register(source)
"""


@pytest.fixture
def file_types(tmp_path: Path) -> Plugins:
    return load_plugins([write_plugin(tmp_path / "plugins", "file_types", FILE_TYPES)], strict=True)


def test_the_endings_of_every_source_are_searched(file_types: Plugins) -> None:
    assert _BUILT_IN.input_suffixes == (".markdown", ".md", ".txt")
    assert file_types.input_suffixes == (
        ".csv",
        ".markdown",
        ".md",
        ".opml",
        ".rec",
        ".tsv",
        ".txt",
    )
    info = info_of(file_types, "local:file_types")
    assert info.sources == ("feeds", "sheet-a", "sheet-b", "records")


def test_each_file_is_read_by_the_sources_that_claim_its_ending(
    file_types: Plugins, tmp_path: Path
) -> None:
    lists = tmp_path / "lists"
    lists.mkdir()
    (lists / "feeds.opml").write_text("https://feed.example/\n", encoding="utf-8")
    (lists / "a.csv").write_text("a\nhttps://a.example/\n", encoding="utf-8")
    (lists / "b.CSV").write_text("b\nhttps://b.example/\n", encoding="utf-8")
    (lists / "list.md").write_text("- [M](https://m.example/)\n", encoding="utf-8")
    (lists / "data.rec").write_bytes(b"https://r.example/\0https://r.example/\xc3\xa9\0")
    (lists / "neither.csv").write_text("c\nhttps://c.example/\n", encoding="utf-8")
    files = find_inputs([lists], suffixes=file_types.input_suffixes)
    result = build([str(lists)], file_types, files=files)
    formats = {source.path.rsplit("/", 1)[-1]: source.format for source in result.dataset.sources}
    assert formats == {
        "feeds.opml": "feeds",  # the one source of *.opml, though it scores 0
        "a.csv": "sheet-a",
        "b.CSV": "sheet-b",
        "list.md": "markdown",  # the *.csv sources never score a Markdown list
        "data.rec": "records",  # its bytes, undecoded: a text source would refuse them
    }
    (rejected,) = result.report.rejected
    assert "neither.csv" in str(rejected)
    assert "the sources that read *.csv files do not recognise it" in str(rejected)
    assert "sheet-a 0.10, sheet-b 0.20" in str(rejected) and "--format" in str(rejected)
    written = {
        occurrence.url for entry in result.dataset.entries for occurrence in entry.occurrences
    }
    assert {"https://r.example/", "https://r.example/é", "https://feed.example/"} <= written


def test_explain_says_why_the_one_source_of_an_ending_reads_a_file(tmp_path: Path) -> None:
    plugins = write_plugin(tmp_path / "plugins", "file_types", FILE_TYPES)
    (tmp_path / "feeds.opml").write_text("https://feed.example/\n", encoding="utf-8")
    result = run("explain", str(tmp_path / "feeds.opml"), "--plugins-dir", str(plugins))
    assert result.exit_code == 0, result.output
    assert "chosen: feeds (only feeds reads *.opml files" in result.output
    assert "* feeds 0.00" in " ".join(result.output.split())  # it scores 0, and still reads it


@pytest.mark.parametrize(
    ("suffixes", "said"),
    [
        ('(".opml", "csv")', "suffix 'csv'; a suffix starts with"),
        ('[".opml"]', "give a tuple"),
        ("()", "give a tuple"),
        ('("*.opml",)', "suffix '*.opml'; a suffix starts with"),
        ('(".a/b",)', "a suffix is a file name ending"),
    ],
)
def test_a_source_with_unusable_suffixes_is_refused(
    tmp_path: Path, suffixes: str, said: str
) -> None:
    code = f"""
        import awesomerge

        class Odd(awesomerge.Source):
            name = "odd"
            suffixes = {suffixes}

            def parse(self, document):
                return awesomerge.ParseResult()

        @awesomerge.hookimpl
        def register_sources(register):
            register(Odd)
    """
    plugins = load_plugins([write_plugin(tmp_path, "odd", code)])
    assert "odd" not in plugins.sources
    (failure,) = failures_of(plugins, "local:odd")
    assert said in failure.reason

"""Helpers for testing awesomerge plugins: parse a snippet, build a folder, check the entries.

Plugin authors use them in their own pytest suites::

    from awesomerge.testing import build_lists, parse_snippet

    def test_reads_my_format():
        result = parse_snippet("Ruff | https://docs.astral.sh/ruff/\\n", MySource)
        assert [item.url for item in result.items] == ["https://docs.astral.sh/ruff/"]

    def test_builds_with_my_output(tmp_path):
        build = build_lists(tmp_path, {"tools.md": "- [Ruff](https://docs.astral.sh/ruff/)\\n"},
                            plugins=[my_plugin_module])
        assert (build.output / "entries.csv").exists()
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from awesomerge.api import Collection, Output, Source
from awesomerge.build import BuildResult, build, write_outputs
from awesomerge.configure import CommandLine, configure
from awesomerge.document import Document
from awesomerge.models import Dataset, Entry, ParseResult
from awesomerge.plugins import Plugins, load_plugins
from awesomerge.reading import find_inputs, repair_mojibake
from awesomerge.settings import input_roots, load_settings

__all__ = [
    "Build",
    "build_lists",
    "document",
    "entry_for",
    "parse_snippet",
    "plugins_with",
    "render",
]


def document(text: str | bytes, path: str = "snippet.md", *, dedent: bool = True) -> Document:
    """A Document as awesomerge makes one from a file: repaired, ready to detect and parse.

    Bytes make the Document a `binary` source gets: undecoded, one character per byte.
    """
    if isinstance(text, bytes):
        return Document(path=path, text=text.decode("latin-1"))
    text = textwrap.dedent(text) if dedent else text
    repaired, repairs = repair_mojibake(text)
    return Document(path=path, text=repaired, repairs=repairs)


def parse_snippet(
    text: str | bytes, source: type[Source] | Source, path: str = "snippet.md"
) -> ParseResult:
    """What a source reads from a snippet of text (dedented first), or of bytes."""
    instance = source() if isinstance(source, type) else source
    return instance.parse(document(text, path))


def plugins_with(*plugins: object, entry_points: bool = False) -> Plugins:
    """The built-in plugins plus the given ones, loaded strictly: a mistake raises.

    Each plugin is a module or object with hooks, or a Path: a folder of drop-in files as for
    ``--plugins-dir``, or one drop-in file. Installed plugins are left out unless
    `entry_points`, so a test sees only what it names.
    """
    folders = [plugin for plugin in plugins if isinstance(plugin, Path) and plugin.is_dir()]
    files = [plugin for plugin in plugins if isinstance(plugin, Path) and plugin.is_file()]
    objects = [plugin for plugin in plugins if not isinstance(plugin, Path)]
    extra = [(getattr(plugin, "__name__", repr(plugin)), plugin) for plugin in objects]
    extra += [(f"local:{path.stem}", _load_file(path)) for path in files]
    return load_plugins(folders, entry_points=entry_points, strict=True, extra=extra)


def _load_file(path: Path) -> object:
    from awesomerge.plugins import load_drop_in

    return load_drop_in(path)


@dataclass(frozen=True)
class Build:
    """A finished build in a temporary folder: its result and where it wrote."""

    result: BuildResult
    inputs: Path
    output: Path

    @property
    def dataset(self) -> Dataset:
        return self.result.dataset

    def read(self, filename: str) -> str:
        """An output file's text, exactly as written (line endings untouched)."""
        with (self.output / filename).open(encoding="utf-8", newline="") as stream:
            return stream.read()


def build_lists(
    folder: Path,
    lists: Mapping[str, str | bytes],
    *,
    plugins: Sequence[object] = (),
    options: Iterable[str] = (),
    write: Iterable[str] = (),
    config: str | None = None,
) -> Build:
    """Write the lists into `folder`/inputs, build them as `awesomerge build` does, and write
    the outputs into `folder`/output.

    A list given as text is dedented and written as UTF-8; one given as bytes is written as it
    is (a file in another encoding, or of a format that is not text). The inputs folder is
    searched as `awesomerge build` searches it, for the file endings of the loaded sources, so
    a file that no source claims is not read, as in a real build.
    `options` are ``NAME.KEY=VALUE`` strings as for ``--option``; `write` names the outputs to
    write (default: all); `config` is the text of an awesomerge.toml beside the lists.
    """
    inputs = folder / "inputs"
    inputs.mkdir(parents=True, exist_ok=True)
    for name, text in lists.items():
        path = inputs / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text), encoding="utf-8")
    if config is not None:
        (inputs / "awesomerge.toml").write_text(textwrap.dedent(config), encoding="utf-8")
    loaded = plugins_with(*plugins)
    files = find_inputs([inputs], suffixes=loaded.input_suffixes)
    settings = load_settings((file.path for file in files), input_roots([inputs]))
    loaded = configure(loaded, settings, CommandLine(tuple(write), tuple(options)))
    result = build([str(inputs)], loaded, settings=settings, files=files)
    output = folder / "output"
    write_outputs(result.collection, loaded.outputs, output)
    return Build(result=result, inputs=inputs, output=output)


def render(output: type[Output] | Output, dataset: Dataset) -> str:
    """What an output writes for a dataset."""
    instance = output() if isinstance(output, type) else output
    return instance.render(Collection(dataset))


def entry_for(dataset: Dataset, url: str) -> Entry:
    """The entry that lists `url`, as its canonical URL or in any occurrence."""
    for entry in dataset.entries:
        if entry.url == url or any(occurrence.url == url for occurrence in entry.occurrences):
            return entry
    known = ", ".join(entry.url for entry in dataset.entries[:5])
    raise AssertionError(f"no entry lists {url} (entries: {known}, ...)")

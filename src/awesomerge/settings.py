"""awesomerge.toml: per-file choices a curator writes next to the inputs.

::

    [files."old-list.md"]        # a path relative to this file's folder, a file name, or a glob
    format = "gist"              # force a source format
    encoding = "latin-1"         # read a file that is not UTF-8

An awesomerge.toml applies to the files in its folder and below. awesomerge reads every one
between an input file and the input it was found under (the folder named on the command line,
or the working folder for ``explain``); where two name the same file, the deeper one wins.

Every mistake is reported with the file and the line of the table or key at fault. The
standard library's TOML parser gives no positions (nor does tomlkit, which keeps the layout but
not line numbers), so `line_of` finds the line by reading each table header and key line of the
text with the same parser.
"""

from __future__ import annotations

import difflib
import fnmatch
import re
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError
from pydantic.fields import FieldInfo

from awesomerge.errors import ConfigError
from awesomerge.limits import Limits
from awesomerge.normalize import Overrides

CONFIG_NAME = "awesomerge.toml"


class FileSettings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    format: str | None = None
    encoding: str | None = None
    base_url: str | None = None
    """Where the file's relative links point: "https://github.com/o/r/blob/main/"."""


class MergeSettings(BaseModel):
    """A curator's decisions after reading review.md, by URL."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    same: list[list[str]] = []
    """Groups of URLs that name one resource."""
    distinct: list[list[str]] = []
    """Groups of URLs that name different resources, never to be merged."""


class OutputsSettings(BaseModel):
    """``[outputs]``: which outputs to write; ``[outputs.NAME]`` tables hold their options."""

    model_config = ConfigDict(frozen=True, extra="allow")

    write: list[str] | None = None

    def options(self, name: str) -> dict[str, Any]:
        table = (self.model_extra or {}).get(name, {})
        if not isinstance(table, dict):
            raise ConfigError(f"outputs.{name} must be a table of options, like [outputs.{name}]")
        return table

    def named(self) -> list[str]:
        """The outputs that have a table of options here."""
        return sorted(self.model_extra or {})


class ConfigFile(BaseModel):
    """One awesomerge.toml, as written."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    files: dict[str, FileSettings] = {}
    merge: MergeSettings = MergeSettings()
    outputs: OutputsSettings = OutputsSettings()
    sources: dict[str, dict[str, Any]] = {}
    """``[sources.NAME]`` tables: options of source plugins."""
    limits: Limits = Limits()


@dataclass(frozen=True)
class LoadedConfig:
    folder: Path
    """The resolved folder the file sits in: it applies to this folder and below."""
    path: Path
    config: ConfigFile
    text: str = ""
    """The file's text, to find the line of a table or key named in a message."""

    def where(self, *keys: str) -> str:
        """``path:line`` of the table or key at `keys`, or the path where it is not found."""
        return _where(self.path, self.text, keys)


class Settings:
    """Every awesomerge.toml that applies to the inputs."""

    def __init__(self, configs: Iterable[LoadedConfig] = ()) -> None:
        # Shallow folders first, so that deeper files override them.
        self.configs = sorted(configs, key=lambda loaded: (len(loaded.folder.parts), loaded.path))

    def for_file(self, path: Path) -> FileSettings:
        """The settings of one input file."""
        resolved = placed(path)
        found = FileSettings()
        for loaded in self.configs:
            if not resolved.is_relative_to(loaded.folder):
                continue
            for pattern in sorted(loaded.config.files, key=len):
                if _matches(pattern, resolved, loaded.folder):
                    update = loaded.config.files[pattern].model_dump(exclude_unset=True)
                    found = found.model_copy(update=update)
        return found

    def overrides(self) -> Overrides:
        """The same and distinct groups of every awesomerge.toml, together."""
        return Overrides(
            same=tuple(tuple(group) for c in self.configs for group in c.config.merge.same),
            distinct=tuple(tuple(group) for c in self.configs for group in c.config.merge.distinct),
        )

    def outputs_to_write(self) -> list[str] | None:
        """The outputs awesomerge.toml asks for; the deepest file that says wins."""
        chosen = None
        for loaded in self.configs:
            if loaded.config.outputs.write is not None:
                chosen = loaded.config.outputs.write
        return chosen

    @cached_property
    def limits(self) -> Limits:
        """The [limits] of every awesomerge.toml together; deeper files override keys."""
        chosen: dict[str, Any] = {}
        for loaded in self.configs:
            chosen.update(loaded.config.limits.model_dump(exclude_unset=True))
        return Limits(**chosen)

    def plugin_options(self, kind: str, name: str) -> dict[str, Any]:
        """A plugin's options table, "sources" or "outputs"; deeper files override keys."""
        options: dict[str, Any] = {}
        for loaded in self.configs:
            try:
                options.update(_plugin_table(loaded, kind, name))
            except ConfigError as error:
                raise ConfigError(f"{loaded.where(kind, name)}: {error}") from error
        return options

    def option_origin(self, kind: str, name: str, key: str) -> str:
        """``path:line`` of the key that sets a plugin's option: the deepest file wins."""
        for loaded in reversed(self.configs):
            if key in _plugin_table(loaded, kind, name):
                return loaded.where(kind, name, key)
        return ""

    def check_formats(self, known: Iterable[str]) -> None:
        """Raise ConfigError naming the file and key of every format no plugin provides."""
        known = set(known)
        for loaded in self.configs:
            for pattern, settings in sorted(loaded.config.files.items()):
                if settings.format is not None and settings.format not in known:
                    where = loaded.where("files", pattern, "format")
                    raise ConfigError(
                        f"{where}: files.{_key(pattern)}.format: "
                        f'unknown format "{settings.format}"{did_you_mean(settings.format, known)}'
                        f" (known formats: {', '.join(sorted(known))})"
                    )

    def check_plugins(self, sources: Iterable[str], outputs: Iterable[str]) -> None:
        """Raise ConfigError for a ``[sources.NAME]`` or ``[outputs.NAME]`` table, or an
        ``[outputs] write`` name, that no loaded plugin provides."""
        known = {"sources": set(sources), "outputs": set(outputs)}
        for loaded in self.configs:
            named = {
                "sources": sorted(loaded.config.sources),
                "outputs": loaded.config.outputs.named(),
            }
            written = [(name, ("outputs", "write")) for name in loaded.config.outputs.write or ()]
            tables = [(name, (kind, name)) for kind in named for name in named[kind]]
            for name, keys in [*tables, *written]:
                kind = keys[0]
                if name not in known[kind]:
                    what = "source" if kind == "sources" else "output"
                    raise ConfigError(
                        f"{loaded.where(*keys)}: {'.'.join(_key(key) for key in keys)}: "
                        f'no {what} is called "{name}"{did_you_mean(name, known[kind])}'
                        f" (known {what}s: {', '.join(sorted(known[kind])) or 'none'})"
                    )

    def unmatched(self, files: Iterable[Path]) -> list[str]:
        """A warning for each ``[files."KEY"]`` table that matches none of `files`: the file
        may have been taken out of the inputs on purpose, so it does not stop the build."""
        resolved = [placed(path) for path in files]
        warnings = []
        for loaded in self.configs:
            below = [path for path in resolved if path.is_relative_to(loaded.folder)]
            for pattern in sorted(loaded.config.files):
                if not any(_matches(pattern, path, loaded.folder) for path in below):
                    names = sorted({path.name for path in below})
                    warnings.append(
                        f"{loaded.where('files', pattern)}: [files.{_key(pattern)}] matches no "
                        "input file (fix the name, or remove the table if the file is gone)"
                        f"{did_you_mean(pattern, names)}"
                    )
        return warnings


def _plugin_table(loaded: LoadedConfig, kind: str, name: str) -> dict[str, Any]:
    if kind == "outputs":
        return loaded.config.outputs.options(name)
    return loaded.config.sources.get(name, {})


def _matches(pattern: str, path: Path, folder: Path) -> bool:
    relative = path.relative_to(folder).as_posix()
    return pattern == path.name or fnmatch.fnmatchcase(relative, pattern)


def did_you_mean(word: str, known: Iterable[str]) -> str:
    """``; did you mean "bibtex"?`` for the known name closest to a mistyped one, or ""."""
    close = difflib.get_close_matches(word, sorted(known), n=1, cutoff=0.6)
    return f'; did you mean "{close[0]}"?' if close else ""


def load_settings(files: Iterable[Path], roots: Iterable[Path]) -> Settings:
    """Read the awesomerge.toml files between each input file and the root it lies under."""
    resolved_roots = [root.resolve() for root in roots]
    folders: set[Path] = set()
    for file in files:
        folder = placed(file).parent
        for root in resolved_roots:
            if folder.is_relative_to(root):
                while True:
                    folders.add(folder)
                    if folder == root:
                        break
                    folder = folder.parent
    return Settings(
        _load_config(folder) for folder in sorted(folders) if (folder / CONFIG_NAME).is_file()
    )


def _load_config(folder: Path) -> LoadedConfig:
    path = folder / CONFIG_NAME
    return LoadedConfig(folder, path, read_config(path), _text(path))


def _text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return ""


def placed(path: Path) -> Path:
    """Where a file lies, as an absolute path with its folders resolved: a symbolic link is
    placed where the link is, under its own name, and is never followed (it may loop)."""
    return path.absolute().parent.resolve() / path.name


def input_roots(arguments: Iterable[str | Path]) -> list[Path]:
    """The folders awesomerge.toml files are looked for up to: each folder argument, and the
    folder of each file argument."""
    return [
        Path(argument) if Path(argument).is_dir() else Path(argument).parent
        for argument in arguments
    ]


def read_config(path: Path) -> ConfigFile:
    shown = _shown(path)
    try:
        # utf-8-sig: a file saved with a byte-order mark is read as well.
        text = path.read_text(encoding="utf-8-sig")
        data = tomllib.loads(text)
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{shown}: cannot be read: {error}") from error
    except tomllib.TOMLDecodeError as error:
        found = re.search(r"\(at line (\d+), column \d+\)", str(error))
        line = f":{found.group(1)}" if found else ""
        raise ConfigError(f"{shown}{line}: not valid TOML: {error}") from error
    except RecursionError as error:
        raise ConfigError(f"{shown}: tables or arrays nested too deeply to read") from error
    try:
        return ConfigFile.model_validate(data)
    except ValidationError as error:
        problems = [_problem(path, text, problem) for problem in error.errors()]
        raise ConfigError("\n".join(problems)) from error


def _problem(path: Path, text: str, problem: Any) -> str:
    """One mistake pydantic found, with its file and line, and the key meant if it is a typo."""
    keys = tuple(str(part) for part in problem["loc"])
    named = ".".join(_key(key) for key in keys)
    if problem["type"] == "extra_forbidden":
        message = f"unknown key{did_you_mean(keys[-1], _known_keys(keys[:-1]))}"
    else:
        message = problem["msg"]
    return f"{_where(path, text, keys)}: {named}: {message}"


def _known_keys(keys: Sequence[str]) -> list[str]:
    """The keys the table at `keys` may hold, following the models of ConfigFile."""
    model: Any = ConfigFile
    for key in keys:
        if isinstance(model, type) and issubclass(model, BaseModel):
            field: FieldInfo | None = model.model_fields.get(key)
            model = field.annotation if field is not None else None
        elif getattr(model, "__origin__", None) is dict:
            model = model.__args__[1]
        else:
            return []
    if isinstance(model, type) and issubclass(model, BaseModel):
        return list(model.model_fields)
    return []


def _shown(path: Path) -> str:
    from awesomerge.reading import display_path

    return display_path(path)


def _key(key: str) -> str:
    """A key as TOML writes it: bare when it can be, else quoted."""
    return (
        key
        if _BARE_KEY.fullmatch(key)
        else '"' + key.replace("\\", "\\\\").replace('"', '\\"') + '"'
    )


def _where(path: Path, text: str, keys: Sequence[str]) -> str:
    line = line_of(text, keys)
    return f"{_shown(path)}:{line}" if line else _shown(path)


_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_KEY_PART = r"""(?:[A-Za-z0-9_-]+|"(?:[^"\\\n]|\\.)*"|'[^'\n]*')"""
_KEY_LINE = re.compile(rf"\s*({_KEY_PART}(?:\s*\.\s*{_KEY_PART})*)\s*=")
_HEADER_LINE = re.compile(rf"\s*\[\[?\s*({_KEY_PART}(?:\s*\.\s*{_KEY_PART})*)\s*\]")


def line_of(text: str, keys: Sequence[str]) -> int | None:
    """The 1-based line of the table header or key line that defines `keys` in a TOML text;
    failing that, the line of the longest table or key above it (an inline table holding it),
    or None."""
    keys = tuple(keys)
    table: tuple[str, ...] = ()
    best: tuple[int, int] | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        header = _HEADER_LINE.match(line)
        if header:
            table = _parsed_keys(header.group(1)) or table
            found = table
        else:
            key = _KEY_LINE.match(line)
            if not key:
                continue
            found = table + _parsed_keys(key.group(1))
        if found == keys:
            return number
        if found and keys[: len(found)] == found and (best is None or len(found) > best[0]):
            best = (len(found), number)
    return best[1] if best else None


def _parsed_keys(text: str) -> tuple[str, ...]:
    """The parts of a dotted TOML key, as the TOML parser reads them."""
    try:
        value: Any = tomllib.loads(f"{text} = 0")
    except tomllib.TOMLDecodeError:
        return ()
    parts: list[str] = []
    while isinstance(value, dict) and len(value) == 1:
        key = next(iter(value))
        parts.append(key)
        value = value[key]
    return tuple(parts)

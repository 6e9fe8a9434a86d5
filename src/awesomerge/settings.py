"""awesomerge.toml: per-file choices a curator writes next to the inputs.

::

    [files."old-list.md"]        # a path relative to this file's folder, a file name, or a glob
    format = "gist"              # force a source format
    encoding = "latin-1"         # read a file that is not UTF-8

An awesomerge.toml applies to the files in its folder and below. awesomerge reads every one
between an input file and the input it was found under (the folder named on the command line,
or the working folder for ``explain``); where two name the same file, the deeper one wins.
"""

from __future__ import annotations

import fnmatch
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

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
            relative = resolved.relative_to(loaded.folder).as_posix()
            for pattern in sorted(loaded.config.files, key=len):
                if pattern == resolved.name or fnmatch.fnmatchcase(relative, pattern):
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
                if kind == "outputs":
                    options.update(loaded.config.outputs.options(name))
                else:
                    options.update(loaded.config.sources.get(name, {}))
            except ConfigError as error:
                raise ConfigError(f"{loaded.path}: {error}") from error
        return options

    def check_formats(self, known: Iterable[str]) -> None:
        """Raise ConfigError naming the file and key of every format no plugin provides."""
        known = set(known)
        for loaded in self.configs:
            for pattern, settings in sorted(loaded.config.files.items()):
                if settings.format is not None and settings.format not in known:
                    raise ConfigError(
                        f'{loaded.path}: files."{pattern}".format: unknown format '
                        f'"{settings.format}" (known formats: {", ".join(sorted(known))})'
                    )


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
        LoadedConfig(folder, folder / CONFIG_NAME, read_config(folder / CONFIG_NAME))
        for folder in sorted(folders)
        if (folder / CONFIG_NAME).is_file()
    )


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
    try:
        # utf-8-sig: a file saved with a byte-order mark is read as well.
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot be read: {error}") from error
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML: {error}") from error
    except RecursionError as error:
        raise ConfigError(f"{path}: tables or arrays nested too deeply to read") from error
    try:
        return ConfigFile.model_validate(data)
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in problem['loc'])}: {problem['msg']}"
            for problem in error.errors()
        )
        raise ConfigError(f"{path}: {problems}") from error

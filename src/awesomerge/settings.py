"""awesomerge.toml: per-file choices a curator writes next to the inputs.

::

    [files."old-list.md"]        # a path relative to this file, a file name, or a glob
    format = "gist"              # force a source format
    encoding = "latin-1"         # read a file that is not UTF-8
"""

from __future__ import annotations

import fnmatch
import tomllib
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from pydantic import BaseModel, ConfigDict, ValidationError

from awesomerge.errors import ConfigError

CONFIG_NAME = "awesomerge.toml"


class FileSettings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    format: str | None = None
    encoding: str | None = None


class ConfigFile(BaseModel):
    """One awesomerge.toml, as written."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    files: dict[str, FileSettings] = {}


class Settings:
    """Every awesomerge.toml found in the input folders, each applying to the files below it."""

    def __init__(self, configs: list[tuple[PurePosixPath, ConfigFile, Path]] | None = None) -> None:
        self.configs = configs or []

    def check_formats(self, known: Iterable[str]) -> None:
        """Raise ConfigError naming the file and key of every format no plugin provides."""
        known = set(known)
        for _, config, path in self.configs:
            for pattern, settings in sorted(config.files.items()):
                if settings.format is not None and settings.format not in known:
                    raise ConfigError(
                        f'{path}: files."{pattern}".format: unknown format "{settings.format}" '
                        f"(known formats: {', '.join(sorted(known))})"
                    )

    def for_file(self, display_path: str) -> FileSettings:
        """The settings of one input, by its displayed path; the most specific key wins."""
        path = PurePosixPath(display_path)
        found = FileSettings()
        for folder, config, _ in self.configs:
            try:
                relative = path.relative_to(folder) if str(folder) != "." else path
            except ValueError:
                continue
            for pattern in sorted(config.files, key=len):
                if fnmatch.fnmatchcase(str(relative), pattern) or pattern == path.name:
                    found = found.model_copy(
                        update=config.files[pattern].model_dump(exclude_unset=True)
                    )
        return found


def load_settings(inputs: list[str]) -> Settings:
    """Read awesomerge.toml from each input folder that has one."""
    from awesomerge.reading import display_path

    configs = []
    for argument in inputs:
        folder = Path(argument)
        config_path = folder / CONFIG_NAME
        if folder.is_dir() and config_path.is_file():
            configs.append(
                (PurePosixPath(display_path(folder)), read_config(config_path), config_path)
            )
    return Settings(configs)


def read_config(path: Path) -> ConfigFile:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot be read: {error}") from error
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML: {error}") from error
    try:
        return ConfigFile.model_validate(data)
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in problem['loc'])}: {problem['msg']}"
            for problem in error.errors()
        )
        raise ConfigError(f"{path}: {problems}") from error

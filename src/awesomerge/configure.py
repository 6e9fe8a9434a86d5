"""Applying awesomerge.toml and the command line to the plugins of a build.

Which outputs are written: ``--write NAME`` on the command line, else ``[outputs] write = [...]``
in awesomerge.toml, else every registered output. Each plugin's options come from its table in
awesomerge.toml (``[outputs.bibtex]``, ``[sources.gist]``), then from ``--option NAME.KEY=VALUE``
and from the command-line flags the plugin declares (``--bib-dialect biblatex``); they are
validated against the plugin's ``Options`` model, and an error names the plugin and the key.
"""

from __future__ import annotations

import dataclasses
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TypeVar

from pydantic import ValidationError

from awesomerge.api import Output, Source
from awesomerge.errors import ConfigError, PluginError
from awesomerge.plugins import Plugins
from awesomerge.settings import Settings

_P = TypeVar("_P", Source, Output)


@dataclasses.dataclass(frozen=True)
class CommandLine:
    """What the command line says about plugins."""

    write: tuple[str, ...] = ()
    """--write NAME: the outputs to write, instead of every one."""
    options: tuple[str, ...] = ()
    """--option NAME.KEY=VALUE, for a source or an output."""
    flags: tuple[str, ...] = ()
    """Further tokens such as --bib-dialect biblatex, for flags that plugins declare."""


def configure(plugins: Plugins, settings: Settings, command_line: CommandLine) -> Plugins:
    """The plugins of this build: the chosen outputs, every plugin with its options."""
    given = _command_line_options(plugins, command_line)
    chosen = _chosen_outputs(plugins, settings, command_line)
    sources = {
        name: _with_options(
            source, "source", plugins, settings.plugin_options("sources", name), given.pop(name, {})
        )
        for name, source in plugins.sources.items()
    }
    outputs = {
        name: _with_options(
            output, "output", plugins, settings.plugin_options("outputs", name), given.pop(name, {})
        )
        for name, output in plugins.outputs.items()
        if name in chosen
    }
    for name in sorted(given):
        raise ConfigError(f'--option {name}...: no source or output is called "{name}"')
    return dataclasses.replace(plugins, sources=sources, outputs=outputs)


def _chosen_outputs(plugins: Plugins, settings: Settings, command_line: CommandLine) -> set[str]:
    names = list(command_line.write) or settings.outputs_to_write()
    if names is None:
        return set(plugins.outputs)
    unknown = sorted(set(names) - set(plugins.outputs))
    if unknown:
        known = ", ".join(sorted(plugins.outputs))
        raise ConfigError(f'unknown output "{unknown[0]}" (known outputs: {known})')
    return set(names)


def _with_options(
    plugin: _P, kind: str, plugins: Plugins, configured: Mapping[str, Any], given: Mapping[str, Any]
) -> _P:
    """A new instance of the plugin's class, made with its validated options."""
    raw = {**configured, **given}
    if not raw:
        return plugin
    owner = plugins.provider.get(f"{kind}:{plugin.name}", plugin.name)
    try:
        options = type(plugin).Options.model_validate(raw)
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in problem['loc']) or 'options'}: "
            f"{problem['msg'].removeprefix('Value error, ')}"
            for problem in error.errors()
        )
        raise ConfigError(f'{kind} "{plugin.name}" (plugin "{owner}"): {problems}') from error
    try:
        return type(plugin)(options=options)
    except Exception as error:
        raise PluginError(owner, f"{type(plugin).__name__}(options) raised {error!r}") from error


def _command_line_options(plugins: Plugins, command_line: CommandLine) -> dict[str, dict[str, Any]]:
    """Options by plugin name, from --option NAME.KEY=VALUE and from declared flags."""
    found: dict[str, dict[str, Any]] = {}
    for option in command_line.options:
        target, equals, value = option.partition("=")
        name, dot, key = target.partition(".")
        if not (equals and dot and name and key):
            raise ConfigError(f'--option "{option}": write it as NAME.KEY=VALUE')
        found.setdefault(name, {})[key] = _value(value)
    for name, key, value in _flags(plugins, command_line.flags):
        found.setdefault(name, {})[key] = _value(value)
    return found


def _value(text: str) -> Any:
    """A command-line value read as a TOML value when it is one (3, true, ["a", "b"]), as in
    awesomerge.toml; otherwise the text itself."""
    try:
        return tomllib.loads(f"value = {text}")["value"]
    except tomllib.TOMLDecodeError:
        return text


def _flags(plugins: Plugins, tokens: Sequence[str]) -> Iterable[tuple[str, str, str]]:
    declared = {
        flag: (plugin.name, key)
        for registry in (plugins.sources, plugins.outputs)
        for plugin in registry.values()
        for flag, key in type(plugin).flags.items()
    }
    remaining = list(tokens)
    while remaining:
        token = remaining.pop(0)
        flag, equals, value = token.removeprefix("--").partition("=")
        if not token.startswith("--") or flag not in declared:
            known = ", ".join(f"--{name}" for name in sorted(declared)) or "none"
            raise ConfigError(f"no such option: {token} (options from plugins: {known})")
        if not equals:
            if not remaining:
                raise ConfigError(f"--{flag} needs a value")
            value = remaining.pop(0)
        yield (*declared[flag], value)

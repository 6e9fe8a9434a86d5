"""Applying awesomerge.toml and the command line to the plugins of a build.

Which outputs are written: ``--write NAME`` on the command line, else ``[outputs] write = [...]``
in awesomerge.toml, else every registered output. Each plugin's options come from its table in
awesomerge.toml (``[outputs.bibtex]``, ``[sources.gist]``), then from ``--option NAME.KEY=VALUE``
and from the command-line flags the plugin declares (``--bib-dialect biblatex``); they are
validated against the plugin's ``Options`` model, and an error names where the value was given
(the awesomerge.toml and its line, or the command line), the plugin and the key.
"""

from __future__ import annotations

import dataclasses
import tomllib
import types
from typing import Any, TypeVar, Union, get_args, get_origin

from pydantic import ValidationError
from pydantic.fields import FieldInfo

from awesomerge.api import Output, Source
from awesomerge.errors import ConfigError, PluginError
from awesomerge.plugins import Plugins
from awesomerge.settings import Settings, did_you_mean

_P = TypeVar("_P", Source, Output)


@dataclasses.dataclass(frozen=True)
class CommandLine:
    """What the command line says about plugins."""

    write: tuple[str, ...] = ()
    """--write NAME: the outputs to write, instead of every one."""
    options: tuple[str, ...] = ()
    """--option NAME.KEY=VALUE, for a source or an output."""
    flags: tuple[tuple[str, str, Any], ...] = ()
    """(plugin name, key, value) set by the flags that plugins declare (--bib-dialect
    biblatex), already read by click with the type of the option."""


def configure(plugins: Plugins, settings: Settings, command_line: CommandLine) -> Plugins:
    """The plugins of this build: the chosen outputs, every plugin with its options.

    The options of an output that is not written are still checked: a mistake in them is a
    mistake whichever outputs this build writes."""
    settings.check_plugins(plugins.sources, plugins.outputs)
    given = _command_line_options(plugins, command_line)
    chosen = _chosen_outputs(plugins, settings, command_line)
    sources = {
        name: _with_options(source, "source", plugins, settings, given.pop(name, _Given()))
        for name, source in plugins.sources.items()
    }
    outputs = {
        name: _with_options(output, "output", plugins, settings, given.pop(name, _Given()))
        for name, output in plugins.outputs.items()
    }
    for name in sorted(given):
        known = [*plugins.sources, *plugins.outputs]
        raise ConfigError(
            f'{given[name].origin}: no source or output is called "{name}"'
            f"{did_you_mean(name, known)}"
        )
    chosen_outputs = {name: output for name, output in outputs.items() if name in chosen}
    return dataclasses.replace(plugins, sources=sources, outputs=chosen_outputs)


def _chosen_outputs(plugins: Plugins, settings: Settings, command_line: CommandLine) -> set[str]:
    names = list(command_line.write) or settings.outputs_to_write()
    if names is None:
        return set(plugins.outputs)
    unknown = sorted(set(names) - set(plugins.outputs))
    if unknown:
        known = ", ".join(sorted(plugins.outputs))
        raise ConfigError(
            f'--write {unknown[0]}: unknown output "{unknown[0]}"'
            f"{did_you_mean(unknown[0], plugins.outputs)} (known outputs: {known})"
        )
    return set(names)


@dataclasses.dataclass
class _Given:
    """A plugin's options from the command line, and how each was given."""

    values: dict[str, Any] = dataclasses.field(default_factory=dict)
    spelled: dict[str, str] = dataclasses.field(default_factory=dict)
    origin: str = ""


def _with_options(plugin: _P, kind: str, plugins: Plugins, settings: Settings, given: _Given) -> _P:
    """A new instance of the plugin's class, made with its validated options."""
    configured = settings.plugin_options(f"{kind}s", plugin.name)
    raw = {**configured, **given.values}
    if not raw:
        return plugin
    owner = plugins.provider.get(f"{kind}:{plugin.name}", plugin.name)
    options_model = type(plugin).Options
    try:
        options = options_model.model_validate(raw)
    except ValidationError as error:
        problems = []
        for problem in error.errors():
            key = str(problem["loc"][0]) if problem["loc"] else ""
            if key in given.spelled:
                where = given.spelled[key]
            else:
                where = settings.option_origin(f"{kind}s", plugin.name, key) or "options"
            message = problem["msg"].removeprefix("Value error, ")
            if problem["type"] == "extra_forbidden":
                message = f"unknown option{did_you_mean(key, options_model.model_fields)}"
                message += f" (options: {', '.join(options_model.model_fields) or 'none'})"
            named = ".".join(str(part) for part in problem["loc"]) or "options"
            problems.append(
                f'{where}: {kind} "{plugin.name}" (plugin "{owner}"): {named}: {message}'
            )
        raise ConfigError("\n".join(problems)) from error
    try:
        return type(plugin)(options=options)
    except Exception as error:
        raise PluginError(owner, f"{type(plugin).__name__}(options) raised {error!r}") from error


def _command_line_options(plugins: Plugins, command_line: CommandLine) -> dict[str, _Given]:
    """Options by plugin name, from --option NAME.KEY=VALUE and from declared flags."""
    found: dict[str, _Given] = {}
    for option in command_line.options:
        target, equals, value = option.partition("=")
        name, dot, key = target.partition(".")
        if not (equals and dot and name and key):
            raise ConfigError(f'--option "{option}": write it as NAME.KEY=VALUE')
        given = found.setdefault(name, _Given(origin=f"--option {name}.{key}"))
        given.values[key] = _value(value, _field(plugins, name, key))
        given.spelled[key] = f"--option {option}"
    for name, key, value in command_line.flags:
        given = found.setdefault(name, _Given(origin=f"--option {name}.{key}"))
        given.values[key] = value
        given.spelled[key] = f"the flag for {name}.{key}"
    return found


def _field(plugins: Plugins, name: str, key: str) -> FieldInfo | None:
    plugin = plugins.outputs.get(name) or plugins.sources.get(name)
    return type(plugin).Options.model_fields.get(key) if plugin is not None else None


def _value(text: str, field: FieldInfo | None) -> Any:
    """A command-line value read as a TOML value when it is one (3, true, ["a", "b"]), as in
    awesomerge.toml; otherwise the text itself. For an option that takes text, any value
    that TOML reads as something else is the text as written: -O readme.title=2024."""
    try:
        value = tomllib.loads(f"value = {text}")["value"]
    except tomllib.TOMLDecodeError:
        return text
    if not isinstance(value, str) and field is not None and _takes_text(field.annotation):
        return text
    return value


def _takes_text(annotation: object) -> bool:
    if annotation is str:
        return True
    return get_origin(annotation) in (Union, types.UnionType) and str in get_args(annotation)

"""The flags plugins declare, as real click options of ``build``.

A plugin class says ``flags = {"bib-dialect": "dialect"}``; `plugin_flags` makes each one a
click option typed after the field of the plugin's ``Options`` model: ``str`` takes any text
(``--readme-title 2024`` is the text "2024"), ``int`` and ``float`` a number, ``bool`` is a
``--flag/--no-flag`` pair, a ``Literal`` or an ``Enum`` a choice, a tuple or list a repeatable
option. Its help is the field's description. Being click options, they are listed by
``build --help``, completed by the shell, and a mistyped one gets click's "did you mean".
"""

from __future__ import annotations

import enum
import json
import types
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Union, get_args, get_origin

import click
from pydantic.fields import FieldInfo

from awesomerge.api import Output, Source
from awesomerge.plugins import PluginInfo, Plugins

#: The words click reads as a yes or a no: ``--numbered-titles true`` still sets a yes/no flag.
_BOOLEAN_WORDS = {
    **dict.fromkeys(("1", "true", "t", "yes", "y", "on"), True),
    **dict.fromkeys(("0", "false", "f", "no", "n", "off"), False),
}
_SEQUENCES = (tuple, list, set, frozenset)


@dataclass(frozen=True)
class FlagTarget:
    """The option a flag sets: of the source or output `plugin`, the key `key`."""

    kind: str
    plugin: str
    key: str


class PluginFlag(click.Option):
    """A click option that sets one option of one plugin."""

    def __init__(self, flag: str, target: FlagTarget, field: FieldInfo, owner: str) -> None:
        self.target = target
        self.flag = flag
        name = f"plugin_flag__{target.kind}__{target.plugin}__{target.key}"
        name = "".join(character if character.isalnum() else "_" for character in name)
        default = field.get_default(call_default_factory=True)
        shape = _shape(field.annotation)
        described = " ".join((field.description or "").split()).rstrip(".")
        also = f"also -O {target.plugin}.{target.key}=VALUE"
        if described:
            help_text = f"{described} ({target.kind} {target.plugin}; {also})."
        else:
            help_text = f'Option "{target.key}" of the {target.kind} {target.plugin} ({also}).'
        if shape.multiple:
            help_text += " Can be repeated."
        if shape.boolean:
            shown: str | None = f"--{flag}" if default is True else f"--no-{flag}"
        else:
            shown = _shown(default)
        if shown:
            help_text += f"  [default: {shown}]"
        decls = [f"--{flag}/--no-{flag}" if shape.boolean else f"--{flag}", name]
        super().__init__(
            decls,
            type=None if shape.boolean else shape.type,
            multiple=shape.multiple,
            default=None,
            help=help_text,
            metavar=shape.metavar,
        )

    def value_of(self, value: Any) -> Any:
        """The value to validate against the plugin's Options, from click's."""
        return tuple(value) if self.multiple else value


@dataclass(frozen=True)
class _Shape:
    type: click.ParamType[Any]
    multiple: bool = False
    boolean: bool = False
    metavar: str | None = None


def _shape(annotation: object) -> _Shape:
    """How a field's type is given on the command line."""
    annotation = _without_none(annotation)
    origin = get_origin(annotation)
    if annotation is bool:
        return _Shape(click.BOOL, boolean=True)
    if origin in _SEQUENCES:
        element = next((arg for arg in get_args(annotation) if arg is not Ellipsis), str)
        inner = _shape(element)
        if not (inner.boolean or inner.multiple):
            return _Shape(inner.type, multiple=True, metavar=inner.metavar)
        return _Shape(click.STRING, metavar="VALUE")
    if origin is Literal:
        choices = get_args(annotation)
        if all(isinstance(choice, str) for choice in choices):
            return _Shape(click.Choice(choices))
        return _Shape(click.STRING, metavar="VALUE")
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        values = [member.value for member in annotation]
        if all(isinstance(value, str) for value in values):
            return _Shape(click.Choice(values))
        return _Shape(click.STRING, metavar="VALUE")
    known: dict[object, click.ParamType[Any]] = {
        int: click.INT,
        float: click.FLOAT,
        str: click.STRING,
        Path: click.Path(path_type=Path),
    }
    if annotation in known:
        return _Shape(known[annotation], metavar="TEXT" if annotation is str else None)
    # Anything else is handed to the plugin's Options model as text, which validates it.
    return _Shape(click.STRING, metavar="VALUE")


def _without_none(annotation: object) -> object:
    """`X` of `X | None` (`Optional[X]`); other types as they are."""
    if get_origin(annotation) in (Union, types.UnionType):
        rest = [arg for arg in get_args(annotation) if arg is not type(None)]
        if len(rest) == 1:
            return rest[0]
    return annotation


def _shown(default: object) -> str | None:
    if default is None or default == () or default == []:
        return None
    if isinstance(default, enum.Enum):
        default = default.value
    if isinstance(default, (tuple, list)):
        return " ".join(str(value) for value in default)
    return str(default)


def plugin_flags(plugins: Plugins, taken: Iterable[str]) -> tuple[list[PluginFlag], list[str]]:
    """An option for every flag the loaded plugins declare, in a stable order, and why any
    flag was left out (it names no option, or another option has its name)."""
    flags: list[PluginFlag] = []
    problems: list[str] = []
    used = set(taken)
    registries = (("source", plugins.sources), ("output", plugins.outputs))
    for kind, registry in registries:
        for name in sorted(registry):
            plugin = registry[name]
            owner = plugins.provider.get(f"{kind}:{name}", name)
            fields = type(plugin).Options.model_fields
            for flag, key in sorted(type(plugin).flags.items()):
                where = f'plugin "{owner}": {kind} "{name}" declares the flag --{flag}'
                if key not in fields:
                    problems.append(f'{where} for "{key}", which is none of its options')
                    continue
                option = PluginFlag(flag, FlagTarget(kind, name, key), fields[key], owner)
                clash = sorted(set(option.opts + option.secondary_opts) & used)
                if clash or not flag or flag.startswith("-") or any(c.isspace() for c in flag):
                    taken_by = f", but {clash[0]} is taken" if clash else ", not a valid name"
                    problems.append(f"{where}{taken_by}; use -O {name}.{key}=VALUE instead")
                    continue
                used.update(option.opts + option.secondary_opts)
                flags.append(option)
    return flags, problems


def spell_booleans(args: Sequence[str], flags: Iterable[PluginFlag]) -> list[str]:
    """The arguments, with a yes/no flag followed by a word click reads as yes or no
    (``--numbered-titles true``, ``--numbered-titles=no``) written as the flag alone: earlier
    versions read flags that way, and the plugin guide's tutorials still do."""
    names = {
        opt: (option.opts[0], option.secondary_opts[0])
        for option in flags
        if option.is_bool_flag and option.secondary_opts
        for opt in option.opts
    }
    result: list[str] = []
    remaining = list(args)
    while remaining:
        token = remaining.pop(0)
        if token == "--":
            result += [token, *remaining]
            break
        flag, equals, word = token.partition("=")
        if flag in names and equals and word.lower() in _BOOLEAN_WORDS:
            result.append(names[flag][0 if _BOOLEAN_WORDS[word.lower()] else 1])
        elif flag in names and not equals and remaining and remaining[0].lower() in _BOOLEAN_WORDS:
            result.append(names[flag][0 if _BOOLEAN_WORDS[remaining.pop(0).lower()] else 1])
        else:
            result.append(token)
    return result


def provided(plugins: Plugins, info: PluginInfo) -> list[tuple[str, str, Source | Output]]:
    """The sources and outputs one plugin registered, as (kind, name, instance)."""
    found: list[tuple[str, str, Source | Output]] = [
        ("source", name, plugins.sources[name]) for name in info.sources
    ]
    return found + [("output", name, plugins.outputs[name]) for name in info.outputs]


def options_of(plugin: Source | Output) -> dict[str, dict[str, Any]]:
    """A plugin's options: type, default and command-line flag, for people to read."""
    flags = {key: f"--{flag}" for flag, key in type(plugin).flags.items()}
    return {
        key: {
            "type": _type_name(field.annotation),
            "default": _plain(field.get_default(call_default_factory=True)),
            "flag": flags.get(key),
        }
        for key, field in type(plugin).Options.model_fields.items()
    }


def _type_name(annotation: object) -> str:
    if isinstance(annotation, type):
        return annotation.__name__
    return str(annotation).replace("typing.", "")


def _plain(value: object) -> object:
    """A default as JSON can show it."""
    try:
        json.dumps(value)
    except TypeError:
        return str(value)
    return value

"""Choosing outputs and setting plugin options, from awesomerge.toml and the command line."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path
from typing import ClassVar, Literal

import pytest

from awesomerge.api import Collection, Output, PluginOptions
from awesomerge.configure import CommandLine, configure
from awesomerge.errors import ConfigError
from awesomerge.plugins import Plugins, load_plugins
from awesomerge.settings import load_settings


class Shout(Output):
    """An output with options, the way a plugin declares them."""

    name = "shout"
    filename = "shout.txt"

    class Options(PluginOptions):
        volume: int = 1
        style: Literal["plain", "loud"] = "plain"

    flags: ClassVar[dict[str, str]] = {"shout-volume": "volume"}
    options: Options

    def render(self, collection: Collection) -> str:
        return f"{self.options.style}:{self.options.volume}\n"


@pytest.fixture
def plugins() -> Plugins:
    class ShoutPlugin:
        @staticmethod
        def register_outputs(register: object) -> None:
            register(Shout)  # type: ignore[operator]

    from awesomerge import hookimpl

    ShoutPlugin.register_outputs = hookimpl(ShoutPlugin.register_outputs)  # type: ignore[method-assign]
    return load_plugins(entry_points=False, strict=True, extra=[("shout-plugin", ShoutPlugin)])


def settings_with(tmp_path: Path, toml: str):  # type: ignore[no-untyped-def]
    (tmp_path / "awesomerge.toml").write_text(textwrap.dedent(toml))
    (tmp_path / "a.md").write_text("- [A](https://a.example/)\n")
    return load_settings([tmp_path / "a.md"], [tmp_path])


def shout(plugins: Plugins) -> Shout:
    output = plugins.outputs["shout"]
    assert isinstance(output, Shout)
    return output


def test_every_output_is_written_by_default(plugins: Plugins, tmp_path: Path) -> None:
    configured = configure(plugins, settings_with(tmp_path, ""), CommandLine())
    assert set(configured.outputs) == set(plugins.outputs)
    assert shout(configured).options.volume == 1


def test_options_come_from_the_toml_then_the_command_line(plugins: Plugins, tmp_path: Path) -> None:
    settings = settings_with(
        tmp_path,
        """
        [outputs]
        write = ["shout", "json"]

        [outputs.shout]
        volume = 3
        style = "loud"
    """,
    )
    configured = configure(plugins, settings, CommandLine())
    assert set(configured.outputs) == {"shout", "json"}
    assert (shout(configured).options.volume, shout(configured).options.style) == (3, "loud")
    again = configure(plugins, settings, CommandLine(options=("shout.volume=5",)))
    assert shout(again).options.volume == 5
    flagged = configure(plugins, settings, CommandLine(flags=(("shout", "volume", 7),)))
    assert shout(flagged).options.volume == 7
    assert configure(plugins, settings, CommandLine(write=("json",))).outputs.keys() == {"json"}


@pytest.mark.parametrize(
    ("toml", "command_line", "message"),
    [
        (
            '[outputs.shout]\nvolume = "very"\n',
            CommandLine(),
            'awesomerge.toml:2: output "shout" (plugin "shout-plugin"): volume: Input should be a '
            "valid integer",
        ),
        (
            "[outputs.shout]\nloudness = 3\n",
            CommandLine(),
            'awesomerge.toml:2: output "shout" (plugin "shout-plugin"): loudness: unknown option',
        ),
        (
            '[outputs]\nwrite = ["pdf"]\n',
            CommandLine(),
            'awesomerge.toml:2: outputs.write: no output is called "pdf"',
        ),
        ("", CommandLine(options=("shout.style=quiet",)), "style: Input should be 'plain'"),
        ("", CommandLine(options=("volume=3",)), "write it as NAME.KEY=VALUE"),
        ("", CommandLine(options=("nobody.key=1",)), 'no source or output is called "nobody"'),
        (
            "",
            CommandLine(options=("shout.volum=3",)),
            'volum: unknown option; did you mean "volume"?',
        ),
        ("", CommandLine(options=("shuot.volume=3",)), 'did you mean "shout"?'),
        ("", CommandLine(write=("shuot",)), 'unknown output "shuot"; did you mean "shout"?'),
        (
            "[outputs]\nshout = 3\n",
            CommandLine(),
            "awesomerge.toml:2: outputs.shout must be a table",
        ),
    ],
)
def test_mistakes_name_the_plugin_and_the_key(
    plugins: Plugins, tmp_path: Path, toml: str, command_line: CommandLine, message: str
) -> None:
    with pytest.raises(ConfigError, match=re.escape(message)):
        configure(plugins, settings_with(tmp_path, toml), command_line)

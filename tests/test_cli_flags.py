"""Flags that plugins declare are real options of `build` (issue 13, "Plugin flags are parsed
by hand"): listed by --help, typed after the plugin's Options, and checked by click."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import awesomerge

# A plugin with one option of each kind a flag can take, written as a plugin author would.
SHOUT = '''
import enum
from typing import ClassVar, Literal

import awesomerge
from awesomerge import Collection, Output, PluginOptions


class Colour(enum.Enum):
    RED = "red"
    BLUE = "blue"


class Shout(Output):
    name = "shout"
    filename = "shout.txt"

    class Options(PluginOptions):
        loud: bool = False
        """Shout every title."""
        times: int = 1
        """How many times to say each title."""
        style: Literal["plain", "fancy"] = "plain"
        colour: Colour = Colour.RED
        words: tuple[str, ...] = ()
        """A word to add after each title."""
        note: str | None = None

    flags: ClassVar[dict[str, str]] = {
        "shout-loud": "loud",
        "shout-times": "times",
        "shout-style": "style",
        "shout-colour": "colour",
        "shout-word": "words",
        "shout-note": "note",
        "output": "times",
        "shout-nothing": "nothing",
    }
    options: Options

    def render(self, collection: Collection) -> str:
        o = self.options
        return f"loud={o.loud} times={o.times} style={o.style} colour={o.colour.value} "\\
            f"words={','.join(o.words)} note={o.note}\\n"


@awesomerge.hookimpl
def register_outputs(register):
    register(Shout)
'''


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A folder with one list and a plugins folder holding the Shout output."""
    (tmp_path / "lists").mkdir()
    (tmp_path / "lists" / "a.md").write_text("- [Alpha](https://a.example/) - The first.\n")
    (tmp_path / "plugins").mkdir()
    (tmp_path / "plugins" / "shout.py").write_text(SHOUT, encoding="utf-8")
    return tmp_path


def shout(project: Path, *flags: str) -> str:
    """What the Shout output wrote for a build with these flags."""
    completed = awesomerge(
        "build",
        "--plugins-dir",
        "plugins",
        *flags,
        "lists",
        "-o",
        "out",
        "--write",
        "shout",
        cwd=project,
    )
    assert completed.returncode == 0, completed.stderr
    return (project / "out" / "shout.txt").read_text(encoding="utf-8").strip()


def test_build_help_lists_the_flags_of_the_built_in_plugins_with_their_help() -> None:
    shown = " ".join(awesomerge("build", "--help").stdout.split())
    assert "--bib-dialect [bibtex|biblatex]" in shown
    assert "--readme-title TEXT The level-1 heading, written in title case" in shown
    assert "[default: Awesome Merged List]" in shown


def test_build_help_lists_the_flags_of_a_plugins_dir(project: Path) -> None:
    shown = " ".join(
        awesomerge("build", "--plugins-dir", "plugins", "--help", cwd=project).stdout.split()
    )
    assert "--shout-loud / --no-shout-loud Shout every title" in shown
    assert "--shout-times INTEGER How many times to say each title" in shown
    assert "--shout-style [plain|fancy]" in shown
    assert "--shout-colour [red|blue]" in shown
    assert (
        "A word to add after each title (output shout; also -O shout.words=VALUE). Can be repeated."
        in shown
    )
    without = awesomerge("build", "--help", cwd=project).stdout
    assert "--shout-loud" not in without


def test_a_mistyped_flag_gets_did_you_mean() -> None:
    completed = awesomerge("build", "inputs/", "--readme-titel", "X", "-o", "/nonexistent/out")
    assert completed.returncode == 2
    assert "No such option '--readme-titel'. Did you mean '--readme-title'?" in completed.stderr


def test_a_number_given_to_a_text_flag_is_the_text(project: Path) -> None:
    for flag in (["--readme-title", "2024"], ["-O", "readme.title=2024"]):
        completed = awesomerge(
            "build", "lists", "-o", "out", "--write", "readme", *flag, cwd=project
        )
        assert completed.returncode == 0, completed.stderr
        headings = [
            line
            for line in (project / "out" / "README.md").read_text().splitlines()
            if line.startswith("# ")
        ]
        assert headings == ["# 2024"], flag


def test_a_flag_never_swallows_the_input_after_it(project: Path) -> None:
    # A text flag without its value takes the input as the value, as click does: the
    # input is then missing, and click says so.
    missing = awesomerge("build", "--readme-title", "lists", "-o", "out", cwd=project)
    assert missing.returncode == 2
    assert "Missing argument 'INPUTS...'" in missing.stderr
    # A yes/no flag takes no value: the input after it is read.
    assert shout(project, "--shout-loud").startswith("loud=True ")


def test_flag_values_have_the_types_of_the_options(project: Path) -> None:
    assert shout(project) == "loud=False times=1 style=plain colour=red words= note=None"
    assert (
        shout(
            project,
            "--shout-times",
            "3",
            "--shout-style",
            "fancy",
            "--shout-colour",
            "blue",
            "--shout-word",
            "a b",
            "--shout-word",
            "c",
            "--shout-note",
            "12",
        )
        == "loud=False times=3 style=fancy colour=blue words=a b,c note=12"
    )


@pytest.mark.parametrize(
    ("flags", "loud"),
    [
        (["--shout-loud"], True),
        (["--shout-loud", "true"], True),
        (["--shout-loud", "yes"], True),
        (["--shout-loud=no"], False),
        (["--shout-loud", "false"], False),
        (["--no-shout-loud"], False),
    ],
)
def test_a_yes_no_flag_also_takes_a_yes_or_no(project: Path, flags: list[str], loud: bool) -> None:
    assert shout(project, *flags).startswith(f"loud={loud} ")


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (
            ["--shout-times", "many"],
            "Invalid value for '--shout-times': 'many' is not a valid integer",
        ),
        (
            ["--shout-style", "plan"],
            "Invalid value for '--shout-style': 'plan' is not one of 'plain', 'fancy'",
        ),
        (["--shout-colour", "green"], "'green' is not one of 'red', 'blue'"),
        (["--bib-dialect", "biblatx"], "'biblatx' is not one of 'bibtex', 'biblatex'"),
    ],
)
def test_a_wrong_flag_value_is_a_usage_error_naming_the_flag(
    project: Path, flags: list[str], message: str
) -> None:
    completed = awesomerge(
        "build", "--plugins-dir", "plugins", "lists", *flags, "-o", "out", cwd=project
    )
    assert completed.returncode == 2
    assert message in completed.stderr
    assert not (project / "out").exists()


def test_flags_that_cannot_be_options_are_reported_and_left_out(project: Path) -> None:
    completed = awesomerge("build", "--plugins-dir", "plugins", "lists", "-o", "out", cwd=project)
    assert completed.returncode == 0, completed.stderr
    assert (
        "declares the flag --output, but --output is taken; use -O shout.times=VALUE"
        in completed.stderr
    )
    assert (
        'declares the flag --shout-nothing for "nothing", which is none of its options'
        in completed.stderr
    )
    assert (project / "out" / "awesomerge.json").is_file()  # --output is still awesomerge's


def test_a_flag_of_an_output_not_written_is_checked_but_no_error(project: Path) -> None:
    completed = awesomerge(
        "build", "lists", "-o", "out", "--write", "readme", "--bib-dialect", "biblatex", cwd=project
    )
    assert completed.returncode == 0, completed.stderr
    assert sorted(path.name for path in (project / "out").iterdir()) == [
        ".awesomerge-output.json",
        "README.md",
    ]


def test_the_shell_completes_plugin_flags_and_their_choices(project: Path) -> None:
    def complete(*words: str) -> list[str]:
        completed = awesomerge(
            cwd=project,
            _AWESOMERGE_COMPLETE="bash_complete",
            COMP_WORDS=" ".join(["awesomerge", *words]),
            COMP_CWORD=str(len(words)),
        )
        assert completed.returncode == 0, completed.stderr
        return completed.stdout.split()

    assert "plain,--bib-dialect" in complete("build", "--bib")
    assert complete("build", "--bib-dialect", "bib") == ["plain,bibtex", "plain,biblatex"]
    assert "plain,--shout-loud" in complete("build", "--plugins-dir", "plugins", "--shout-l")


def test_plugins_warns_of_the_flags_that_cannot_be_options_as_build_does(project: Path) -> None:
    listed = awesomerge("plugins", "--plugins-dir", "plugins", cwd=project)
    assert listed.returncode == 0, listed.stderr
    assert "declares the flag --output, but --output is taken" in listed.stderr
    assert "--shout-nothing" in listed.stderr
    listing = awesomerge("plugins", "--plugins-dir", "plugins", "--json", cwd=project).stdout
    as_json = json.loads(listing)
    assert len(as_json["flag_problems"]) == 2
    plain = awesomerge("plugins", cwd=project)  # the built-in plugins declare usable flags
    assert "warning" not in plain.stderr

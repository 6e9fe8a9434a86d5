"""The plugin guide is a contract: every hook is documented and tested, and the tutorials work
when followed literally, in a fresh virtual environment, by someone who has never seen the code.
"""

from __future__ import annotations

import inspect
import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from awesomerge import hookspecs

from .conftest import ROOT

GUIDE = ROOT / "docs" / "plugins.md"
# A reader's shell: installed plugins load, as they do for anyone following the guide.
READER_ENVIRONMENT = {
    name: value
    for name, value in os.environ.items()
    if name != "AWESOMERGE_DISABLE_PLUGIN_AUTOLOAD"
}
TUTORIALS = ("Tutorial: a source plugin", "Tutorial: an output plugin")


def hook_names() -> list[str]:
    return sorted(
        name
        for name, function in vars(hookspecs).items()
        if inspect.isfunction(function) and hasattr(function, "awesomerge_spec")
    )


def test_there_are_hooks() -> None:
    assert hook_names() == ["canonical_url", "register_outputs", "register_sources"]


@pytest.mark.parametrize("name", hook_names())
def test_every_hook_is_documented_with_its_signature(name: str) -> None:
    arguments = ", ".join(inspect.signature(getattr(hookspecs, name)).parameters)
    assert f"### `{name}({arguments})`" in GUIDE.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", hook_names())
def test_every_hook_has_a_test(name: str) -> None:
    tests = "\n".join(path.read_text(encoding="utf-8") for path in ROOT.glob("tests/test_*.py"))
    assert re.search(rf"^def test_hook_{name}\b", tests, re.MULTILINE), f"no test_hook_{name}"


@dataclass
class Step:
    """One thing the reader is told to do: save a file, or run commands and see output."""

    path: str | None = None
    text: str = ""
    commands: list[tuple[str, list[str]]] = field(default_factory=list)


def tutorial_steps(title: str) -> list[Step]:
    """The files and commands of one tutorial section, in order, read from the guide."""
    tokens = MarkdownIt("commonmark").parse(GUIDE.read_text(encoding="utf-8"))
    steps: list[Step] = []
    inside, save_as = False, None
    for index, token in enumerate(tokens):
        if token.type == "heading_open":
            heading = tokens[index + 1].content
            inside = heading == title if token.tag == "h2" else inside
        if not inside:
            continue
        if token.type == "inline":
            found = re.search(r"Save this as `([^`]+)`:\s*$", token.content)
            save_as = found.group(1) if found else save_as
        elif token.type == "fence" and token.info == "console":
            steps.append(Step(commands=_commands(token.content)))
        elif token.type == "fence" and save_as is not None:
            steps.append(Step(path=save_as, text=token.content))
            save_as = None
    return steps


def _commands(block: str) -> list[tuple[str, list[str]]]:
    commands: list[tuple[str, list[str]]] = []
    for line in block.splitlines():
        if line.startswith("$ "):
            commands.append((line[2:], []))
        elif commands:
            commands[-1][1].append(line)
    return commands


def shown_in_order(expected: list[str], output: str) -> bool:
    """Whether the expected lines appear in the output in order; "..." stands for any lines."""
    lines = [" ".join(line.split()) for line in output.splitlines()]
    position = 0
    for wanted in (" ".join(line.split()) for line in expected if line.strip() != "..."):
        while position < len(lines) and wanted not in lines[position]:
            position += 1
        if position == len(lines):
            return False
        position += 1
    return True


def follow(title: str, folder: Path) -> dict[str, int]:
    """Do what a tutorial says, in `folder`; returns its steps and the non-blank lines of each
    language written."""
    counts = {"steps": len(re.findall(r"\*\*Step \d+\.\*\*", _section(title)))}
    for step in tutorial_steps(title):
        if step.path is not None:
            target = folder / step.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(step.text, encoding="utf-8")
            language = {".py": "Python", ".toml": "TOML"}.get(target.suffix, "other")
            lines = sum(1 for line in step.text.splitlines() if line.strip())
            counts[language] = counts.get(language, 0) + lines
        for command, expected in step.commands:
            # The one departure from the letter: awesomerge comes from this checkout, as a
            # reader's would come from PyPI.
            run = command.replace("pip install awesomerge", f"pip install '{ROOT}'")
            if not command.startswith("python3 -m venv"):
                run = f". .venv/bin/activate && {run}"
            completed = subprocess.run(
                ["bash", "-c", run],
                env=READER_ENVIRONMENT,
                cwd=folder,
                capture_output=True,
                text=True,
                timeout=600,
                check=False,
            )
            output = completed.stdout + completed.stderr
            wants_error = any(line.startswith("Error:") for line in expected)
            assert (completed.returncode != 0) == wants_error, f"$ {command}\n{output}"
            assert shown_in_order(expected, output), f"$ {command}\nexpected {expected}\n{output}"
    return counts


def _section(title: str) -> str:
    text = GUIDE.read_text(encoding="utf-8")
    start = text.index(f"## {title}")
    return text[start : text.index("\n## ", start + 1)]


def test_the_guide_shows_what_the_tutorials_say() -> None:
    source_steps = tutorial_steps(TUTORIALS[0])
    assert [step.path for step in source_steps if step.path] == [
        "lists/reading.txt",
        "awesomerge-pipelist/src/awesomerge_pipelist/__init__.py",
        "awesomerge-pipelist/pyproject.toml",
        "awesomerge-pipelist/tests/test_pipelist.py",
    ]
    assert [step.path for step in tutorial_steps(TUTORIALS[1]) if step.path] == [
        "my-plugins/titles.py"
    ]


@pytest.mark.skipif(sys.platform == "win32", reason="the tutorials use a POSIX shell")
def test_the_tutorials_work_when_followed_literally_in_a_fresh_venv(tmp_path: Path) -> None:
    for title in TUTORIALS:
        counts = follow(title, tmp_path)
        # Each tutorial ends by saying what it took: "N steps, M lines of Python[, K lines of
        # TOML]". Keep those figures true.
        claim = re.search(
            r"(\d+) steps?, (\d+) lines of Python(?: \(tests included\))?"
            r"(?:, (\d+) lines of TOML)?",
            _section(title),
        )
        assert claim is not None
        assert counts["steps"] == int(claim.group(1))
        assert counts["Python"] == int(claim.group(2))
        assert counts.get("TOML", 0) == int(claim.group(3) or 0)


def test_the_dataset_reference_names_every_identifier_and_kind() -> None:
    from awesomerge.identifiers import STRENGTH

    reference = (ROOT / "docs" / "dataset.md").read_text(encoding="utf-8")
    row = next(line for line in reference.splitlines() if line.startswith("| `identifiers`"))
    assert re.findall(r"`(\w+)`", row)[1:] == [kind for kind in STRENGTH]
    evidence = next(line for line in reference.splitlines() if line.startswith("| `evidence`"))
    for kind in STRENGTH:
        if kind != "youtube_playlist":  # a playlist is evidence "youtube"
            assert f"`{kind}`" in evidence, kind
    assert "`post`" in next(line for line in reference.splitlines() if line.startswith("| `kind`"))


def test_the_guide_gives_every_limit_with_its_default() -> None:
    from awesomerge.limits import Limits

    guide = (ROOT / "docs" / "user-guide.md").read_text(encoding="utf-8")
    for name, spec in Limits.model_fields.items():
        assert re.search(rf"^{name} = .*\(default {spec.default:,}\)$", guide, re.M), name

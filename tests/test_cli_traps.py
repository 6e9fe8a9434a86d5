"""The smaller traps of the command line (issue 13): validate on the wrong JSON, an output
folder that cannot be written, explain on a folder, the list of commands in --help, and the
shell completion click provides."""

from __future__ import annotations

import errno
import json
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from .conftest import ROOT, awesomerge, require_tool


@pytest.fixture
def lists(tmp_path: Path) -> Path:
    (tmp_path / "lists" / "old").mkdir(parents=True)
    (tmp_path / "lists" / "a.md").write_text("- [Alpha](https://a.example/) - The first.\n")
    (tmp_path / "lists" / "old" / "b.md").write_text("- [Beta](https://b.example/)\n")
    return tmp_path


# validate on the wrong JSON


def test_validate_on_an_array_says_what_is_wrong_in_one_short_line(tmp_path: Path) -> None:
    csl = [{"id": f"key{n}", "type": "webpage", "title": "x" * 500} for n in range(400)]
    (tmp_path / "bibliography.csl.json").write_text(json.dumps(csl))
    completed = awesomerge("validate", "bibliography.csl.json", cwd=tmp_path)
    assert completed.returncode == 1
    lines = completed.stderr.splitlines()
    assert lines[0] == (
        "error: bibliography.csl.json: $: expected an object (the dataset: schema_version, "
        "sources, entries), got an array of 400 items (this looks like CSL-JSON, "
        "bibliography.csl.json: validate awesomerge.json)"
    )
    assert lines[1:] == ["bibliography.csl.json: invalid (1 error)"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("null", "got null"),
        ('"text"', "got a string"),
        ("3", "got a number"),
    ],
)
def test_validate_on_json_that_is_no_object(tmp_path: Path, value: str, expected: str) -> None:
    (tmp_path / "a.json").write_text(value)
    completed = awesomerge("validate", "a.json", cwd=tmp_path)
    assert completed.returncode == 1
    assert f"$: expected an object (the dataset: schema_version, sources, entries), {expected}" in (
        completed.stderr
    )


def test_validate_shortens_the_values_it_shows_and_the_list_of_problems(tmp_path: Path) -> None:
    data = json.loads((ROOT / "output" / "awesomerge.json").read_text())
    data["entries"][0]["occurrences"] = {"text": "y" * 100_000}
    data["entries"][1]["year"] = "last year " * 10_000
    for entry in data["entries"][2:40]:
        entry["kind"] = None
    (tmp_path / "big.json").write_text(json.dumps(data))
    completed = awesomerge("validate", "big.json", cwd=tmp_path)
    assert completed.returncode == 1
    lines = completed.stderr.splitlines()
    assert max(len(line) for line in lines) < 300
    assert lines[0].startswith(
        "error: big.json: $.entries[0].occurrences: expected an array, got an object of 1 key"
    )
    assert lines[1].startswith(
        "error: big.json: $.entries[1].year: expected an integer or null, got a string 'last"
    )
    assert lines[2] == "error: big.json: $.entries[2].kind: expected a string, got null"
    assert lines[-2:] == ["error: big.json: ... and 20 more", "big.json: invalid (40 errors)"]


# An output folder that cannot be written


def test_an_output_under_a_file_exits_3_naming_the_folder(lists: Path) -> None:
    (lists / "notes.txt").write_text("a file, not a folder\n")
    completed = awesomerge("build", "lists", "-o", "notes.txt/out", cwd=lists)
    assert completed.returncode == 3
    assert completed.stderr.strip() == (
        "error: notes.txt/out/: cannot be made, since notes.txt is a file, not a folder; choose "
        "another output folder with -o; nothing was written"
    )


def test_an_output_folder_that_refuses_writing_exits_3_without_a_temporary_name(
    lists: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Tests run as root here, where chmod 500 stops nothing: refuse at the OS boundary instead,
    # as a read-only folder does.
    from awesomerge.cli import cli

    def refuse(*arguments: object, **keywords: object) -> str:
        raise PermissionError(
            errno.EACCES, "Permission denied", str(lists / ".out.awesomerge-x1y2")
        )

    monkeypatch.chdir(lists)
    monkeypatch.setattr(tempfile, "mkdtemp", refuse)
    result = CliRunner().invoke(cli, ["build", "lists", "-o", "out", "--no-cache", "-j", "1"])
    assert result.exit_code == 3, result.output
    shown = " ".join(result.output.split())
    assert (
        "error: out/: the outputs cannot be written there, nor beside it in ./ (permission "
        "denied); make that folder writable, or choose another output folder with -o; nothing "
        "was written" in shown
    )
    assert "awesomerge-x1y2" not in shown and "Errno" not in shown


def test_build_help_gives_every_exit_status() -> None:
    shown = " ".join(awesomerge("build", "--help").stdout.split())
    assert "Exit status: 0 success; 1 an input was rejected" in shown
    assert "3 the outputs could not be written (nothing was); 130 interrupted." in shown


# explain on a folder


def test_explain_takes_a_folder_and_explains_each_input_in_it(lists: Path) -> None:
    (lists / "lists" / "awesomerge.toml").write_text('[files."b.md"]\nformat = "gist"\n')
    (lists / "lists" / "notes.rst").write_text("not a list\n")
    completed = awesomerge("explain", "lists", cwd=lists)
    assert completed.returncode == 0, completed.stderr
    files = [line for line in completed.stdout.splitlines() if line and not line[0].isspace()]
    assert [line.split(" (")[0] for line in files] == [
        "lists/a.md",
        "chosen: markdown",
        "lists/old/b.md",
        "chosen: gist",  # as the folder's awesomerge.toml says
    ]
    assert 'format "gist" was chosen explicitly' in files[3]


def test_explain_goes_on_past_an_unreadable_file_and_exits_1(lists: Path) -> None:
    (lists / "lists" / "empty.md").write_bytes(b"")
    completed = awesomerge("explain", "lists", cwd=lists)
    assert completed.returncode == 1
    assert "error: lists/empty.md: empty file" in completed.stderr
    assert "lists/a.md" in completed.stdout and "lists/old/b.md" in completed.stdout


def test_explain_on_a_folder_without_lists_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    completed = awesomerge("explain", "empty", cwd=tmp_path)
    assert completed.returncode == 2
    assert "no *.markdown, *.md or *.txt files in empty" in completed.stderr


# The list of commands in --help


def test_the_command_list_shows_each_commands_whole_first_line() -> None:
    from awesomerge.cli import cli

    shown = " ".join(awesomerge("--help").stdout.split())
    for name, command in cli.commands.items():
        first = " ".join((command.help or "").split("\n\n")[0].split())
        assert first.endswith(".") and "..." not in first
        assert f"{name} {first}" in shown, name


# Shell completion


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_the_shell_completion_script_is_produced(shell: str) -> None:
    completed = awesomerge(_AWESOMERGE_COMPLETE=f"{shell}_source")
    assert completed.returncode == 0, completed.stderr
    assert "_AWESOMERGE_COMPLETE" in completed.stdout
    assert f"{shell}_complete" in completed.stdout


def test_bash_loads_the_completion_script_and_completes_a_command(tmp_path: Path) -> None:
    bash = shutil.which("bash") or require_tool("bash")
    script = awesomerge(_AWESOMERGE_COMPLETE="bash_source").stdout
    (tmp_path / "completion.bash").write_text(script)
    # What the shell does on "awesomerge exp<TAB>": call the function the script registered.
    run = (
        f"source {tmp_path / 'completion.bash'}; "
        "COMP_WORDS=(awesomerge exp); COMP_CWORD=1; _awesomerge_completion awesomerge; "
        'printf "%s\\n" "${COMPREPLY[@]}"'
    )
    completed = subprocess.run([bash, "-c", run], capture_output=True, text=True, check=False)
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.split() == ["explain"]

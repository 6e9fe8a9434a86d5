"""Mistakes in awesomerge.toml are reported with the file, the line and the key meant (issue 13,
"Mistakes in awesomerge.toml go unreported"): unknown plugin names and option keys are usage
errors, a [files."KEY"] table that matches no input is a warning."""

from __future__ import annotations

import subprocess
import textwrap
from pathlib import Path

import pytest


def build(folder: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["awesomerge", "build", "lists", "-o", "out", *arguments],
        cwd=folder,
        capture_output=True,
        text=True,
        check=False,
    )


def lists_with(tmp_path: Path, toml: str) -> Path:
    (tmp_path / "lists").mkdir()
    (tmp_path / "lists" / "a.md").write_text("- [Alpha](https://a.example/) - The first.\n")
    (tmp_path / "lists" / "awesomerge.toml").write_text(textwrap.dedent(toml).lstrip())
    return tmp_path


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        (
            """
            [outputs]
            write = ["readme"]

            [outputs.bibtx]
            dialect = "biblatex"
            """,
            'lists/awesomerge.toml:4: outputs.bibtx: no output is called "bibtx"; '
            'did you mean "bibtex"?',
        ),
        (
            '# options of the gist reader\n[sources.gits]\nlegend = "Key"\n',
            'lists/awesomerge.toml:2: sources.gits: no source is called "gits"; '
            'did you mean "gist"?',
        ),
        (
            '[ouputs]\nwrite = ["readme"]\n',
            'lists/awesomerge.toml:1: ouputs: unknown key; did you mean "outputs"?',
        ),
        (
            '[outputs.bibtex]\n# the dialect\ndialekt = "biblatex"\n',
            'lists/awesomerge.toml:3: output "bibtex" (plugin "awesomerge.outputs.bibtex_output"): '
            'dialekt: unknown option; did you mean "dialect"?',
        ),
        (
            '[outputs.bibtex]\ndialect = "biblatx"\n',
            'lists/awesomerge.toml:2: output "bibtex" (plugin "awesomerge.outputs.bibtex_output"): '
            "dialect: Input should be 'bibtex' or 'biblatex'",
        ),
        (
            '[outputs]\nwrite = [\n  "readme",\n  "bibtx",\n]\n',
            'lists/awesomerge.toml:2: outputs.write: no output is called "bibtx"; '
            'did you mean "bibtex"?',
        ),
        (
            '[files."a.md"]\nformat = "gits"\n',
            'lists/awesomerge.toml:2: files."a.md".format: unknown format "gits"; '
            'did you mean "gist"?',
        ),
        (
            '[files."a.md"]\nencodng = "latin-1"\n',
            'lists/awesomerge.toml:2: files."a.md".encodng: unknown key; did you mean "encoding"?',
        ),
        # Other ways to write the same tables: dotted keys, inline tables, quoted names.
        (
            '[outputs]\nbibtex.dialekt = "biblatex"\n',
            'lists/awesomerge.toml:2: output "bibtex"',
        ),
        (
            'outputs = { write = ["json"], "bibtx" = { dialect = "biblatex" } }\n',
            'lists/awesomerge.toml:1: outputs.bibtx: no output is called "bibtx"',
        ),
        ("[limits]\nfiles = 10\nfile_size = 'big'\n", "lists/awesomerge.toml:3: limits.file_size:"),
        ("[outputs\nwrite = 1\n", "lists/awesomerge.toml:1: not valid TOML"),
    ],
)
def test_a_mistake_in_awesomerge_toml_is_a_usage_error_with_file_and_line(
    tmp_path: Path, toml: str, message: str
) -> None:
    completed = build(lists_with(tmp_path, toml))
    assert completed.returncode == 2, completed.stderr
    assert message in completed.stderr
    assert not (tmp_path / "out").exists()


def test_a_files_table_that_matches_no_input_is_a_warning_with_its_line(tmp_path: Path) -> None:
    folder = lists_with(
        tmp_path,
        """
        [files."a.md"]
        encoding = "utf-8"

        [files."nothere.md"]
        encoding = "latin-1"

        [files."old/*.md"]
        format = "markdown"
        """,
    )
    completed = build(folder)
    assert completed.returncode == 0, completed.stderr
    warnings = [line for line in completed.stderr.splitlines() if line.startswith("warning:")]
    assert warnings == [
        'warning: lists/awesomerge.toml:4: [files."nothere.md"] matches no input file (fix the '
        "name, or remove the table if the file is gone)",
        'warning: lists/awesomerge.toml:7: [files."old/*.md"] matches no input file (fix the '
        "name, or remove the table if the file is gone)",
    ]
    assert "2 warnings" in completed.stderr
    quiet = build(folder, "--quiet")
    assert quiet.returncode == 0 and quiet.stderr == ""


def test_a_misspelt_file_name_gets_did_you_mean(tmp_path: Path) -> None:
    completed = build(lists_with(tmp_path, '[files."A.md"]\nencoding = "latin-1"\n'))
    assert completed.returncode == 0, completed.stderr
    assert 'if the file is gone); did you mean "a.md"?' in completed.stderr


def test_the_deeper_file_is_named_when_it_holds_the_mistake(tmp_path: Path) -> None:
    folder = lists_with(tmp_path, '[outputs.bibtex]\ndialect = "biblatex"\n')
    (folder / "lists" / "sub").mkdir()
    (folder / "lists" / "sub" / "b.md").write_text("- [Beta](https://b.example/)\n")
    (folder / "lists" / "sub" / "awesomerge.toml").write_text(
        '[files."b.md"]\nencoding = "utf-8"\n\n[outputs.bibtex]\ndialect = "bibtek"\n'
    )
    completed = build(folder)
    assert completed.returncode == 2
    assert 'lists/sub/awesomerge.toml:5: output "bibtex"' in completed.stderr


def test_explain_reports_the_same_mistakes(tmp_path: Path) -> None:
    folder = lists_with(tmp_path, "[sources.gits]\n")
    completed = subprocess.run(
        ["awesomerge", "explain", "lists"], cwd=folder, capture_output=True, text=True, check=False
    )
    assert completed.returncode == 2
    assert 'lists/awesomerge.toml:1: sources.gits: no source is called "gits"' in completed.stderr


@pytest.mark.parametrize(
    ("text", "keys", "line"),
    [
        ('[files."a.md"]\nformat = "x"\n', ("files", "a.md", "format"), 2),
        ("[files.'a.md']  # single quotes\n\n  format='x'\n", ("files", "a.md", "format"), 3),
        ('[ files . "a b.md" ]\nformat = "x"\n', ("files", "a b.md"), 1),
        ('a = 1\n[outputs]\nbibtex.dialect = "x"\n', ("outputs", "bibtex", "dialect"), 3),
        ('outputs = { bibtex = { dialect = "x" } }\n', ("outputs", "bibtex", "dialect"), 1),
        ("[merge]\nsame = []\n[[x.y]]\nz = 1\n", ("x", "y", "z"), 4),
        ("[outputs]\nwrite = []\n", ("sources",), None),
        # A key of the same name in another table is not it.
        ("[files.a]\nformat = 1\n[files.b]\nformat = 2\n", ("files", "b", "format"), 4),
    ],
)
def test_line_of_finds_tables_and_keys_however_they_are_written(
    text: str, keys: tuple[str, ...], line: int | None
) -> None:
    from awesomerge.settings import line_of

    assert line_of(text, keys) == line

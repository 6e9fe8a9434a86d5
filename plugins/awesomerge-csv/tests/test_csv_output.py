"""entries.csv: one row per entry, the columns asked for, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from awesomerge import Dataset, Entry, Occurrence, SourceRecord
from awesomerge.testing import Build, build_lists, entry_for, plugins_with, render
from pydantic import ValidationError

import awesomerge_csv
from awesomerge_csv import DEFAULT_COLUMNS, CsvOutput

LISTS = {
    "tools.md": """\
        # Tools

        ## Linters

        - [Ruff](https://docs.astral.sh/ruff/) - An extremely fast Python linter.
        - [Attention Is All You Need](https://arxiv.org/abs/1706.03762) - The transformer.
        """,
    "papers.md": """\
        # Papers

        ## Models

        - [Attention is all you need](https://arxiv.org/abs/1706.03762)
        """,
}


def rows(text: str, delimiter: str = ",") -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def read_exact(build: Build) -> str:
    """entries.csv as written: Build.read() would turn its CRLF line ends into LF."""
    return (build.output / "entries.csv").read_bytes().decode("utf-8")


def test_the_entry_point_module_registers_the_output() -> None:
    plugins = plugins_with(awesomerge_csv)
    assert isinstance(plugins.outputs["csv"], CsvOutput)
    assert plugins.outputs["csv"].filename == "entries.csv"


def test_one_row_per_entry_with_the_default_columns(tmp_path: Path) -> None:
    build = build_lists(tmp_path, LISTS, plugins=[awesomerge_csv], write=["csv"])
    header, *body = rows(read_exact(build))
    assert header == list(DEFAULT_COLUMNS)
    assert [row[0] for row in body] == [entry.id for entry in build.dataset.entries]
    by_url = {row[header.index("url")]: dict(zip(header, row, strict=True)) for row in body}
    paper = entry_for(build.dataset, "https://arxiv.org/abs/1706.03762")
    row = by_url[paper.url]
    assert row["categories"] == "; ".join(paper.categories)
    assert row["sources"] == "papers; tools"
    assert row["listed_in"] == "2"
    assert row["kind"] == "paper"
    assert by_url["https://docs.astral.sh/ruff/"]["year"] == ""


def test_rows_end_in_crlf_and_builds_are_byte_identical(tmp_path: Path) -> None:
    first = build_lists(tmp_path / "a", LISTS, plugins=[awesomerge_csv], write=["csv"])
    second = build_lists(tmp_path / "b", LISTS, plugins=[awesomerge_csv], write=["csv"])
    data = (first.output / "entries.csv").read_bytes()
    assert data == (second.output / "entries.csv").read_bytes()
    assert data.count(b"\r\n") == len(first.dataset.entries) + 1
    assert not data.startswith(b"\xef\xbb\xbf")


def test_options_from_the_command_line(tmp_path: Path) -> None:
    build = build_lists(
        tmp_path,
        LISTS,
        plugins=[awesomerge_csv],
        options=["csv.delimiter=;", "csv.columns=url, title", "csv.bom=true"],
        write=["csv"],
    )
    text = read_exact(build)
    assert text.startswith("\ufeffurl;title\r\n")
    body = rows(text.removeprefix("\ufeff"), delimiter=";")[1:]
    assert ["https://docs.astral.sh/ruff/", "Ruff"] in body


def test_options_from_awesomerge_toml(tmp_path: Path) -> None:
    config = '[outputs.csv]\ncolumns = ["title", "occurrences"]\ndelimiter = "tab"\n'
    build = build_lists(tmp_path, LISTS, plugins=[awesomerge_csv], config=config, write=["csv"])
    header, *body = rows(read_exact(build), delimiter="\t")
    assert header == ["title", "occurrences"]
    assert sorted(row[1] for row in body) == ["1", "2"]


@pytest.mark.parametrize(
    ("options", "problem"),
    [
        ({"delimiter": ";;"}, "must be one character"),
        ({"delimiter": '"'}, "cannot separate cells"),
        ({"columns": ["id", "stars"]}, 'unknown column "stars"'),
        ({"columns": ["id", "id"]}, "named twice"),
        ({"columns": []}, "at least one column"),
        ({"colums": ["id"]}, "Extra inputs are not permitted"),
    ],
)
def test_bad_options_are_refused(options: dict[str, object], problem: str) -> None:
    with pytest.raises(ValidationError, match=problem):
        CsvOutput.Options.model_validate(options)


def test_a_bad_option_stops_the_build_with_the_output_named(tmp_path: Path) -> None:
    # awesomerge reports it as a ConfigError, which the CLI turns into a usage error (status 2).
    with pytest.raises(Exception, match=r'output "csv".*delimiter: .*one character'):
        build_lists(tmp_path, LISTS, plugins=[awesomerge_csv], options=["csv.delimiter=::"])


HOSTILE = "=cmd|' /C calc'!A0, \"quoted\", a comma,\r\nthen a CRLF\nand a newline"


def hostile_dataset() -> Dataset:
    def entry(number: int, title: str, description: str | None) -> Entry:
        url = f"https://example.org/{number}"
        return Entry(
            id=f"url:{number}",
            url=url,
            title=title,
            description=description,
            kind="article",
            authors=["@handle", "Ada, Countess"],
            categories=["A, B", '"Quoted"'],
            occurrences=[Occurrence(source="hostile", url=url, title=title, line=number)],
        )

    return Dataset(
        sources=[
            SourceRecord(id="hostile", path="hostile.md", format="markdown", title="H", sha256="0")
        ],
        entries=[
            entry(1, HOSTILE, "=1+1"),
            entry(2, '=HYPERLINK("https://evil.example", "click")', "-2"),
            entry(3, "+SUM(A1:A9)", "\tTabbed"),
            entry(4, "Plain; with a semicolon", None),
        ],
    )


def test_hostile_text_survives_a_round_trip_and_is_never_a_formula() -> None:
    output = CsvOutput(CsvOutput.Options(columns=("title", "description", "authors", "categories")))
    header, *body = rows(render(output, hostile_dataset()))
    assert header == ["title", "description", "authors", "categories"]
    assert len(body) == 4
    assert body[0] == ["'" + HOSTILE, "'=1+1", "'@handle; Ada, Countess", 'A, B; "Quoted"']
    assert body[1][:2] == ['\'=HYPERLINK("https://evil.example", "click")', "'-2"]
    assert body[2][:2] == ["'+SUM(A1:A9)", "'\tTabbed"]
    assert body[3][:2] == ["Plain; with a semicolon", ""]
    for row in body:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))


def test_formulas_can_be_left_as_written_for_programs_that_read_the_csv() -> None:
    output = CsvOutput(CsvOutput.Options(columns=("title",), escape_formulas=False))
    _, *body = rows(render(output, hostile_dataset()))
    assert body[0] == [HOSTILE]
    assert body[2] == ["+SUM(A1:A9)"]

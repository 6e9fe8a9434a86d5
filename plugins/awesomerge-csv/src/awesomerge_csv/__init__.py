"""The ``csv`` output: ``entries.csv``, the merged dataset as a spreadsheet, one row per entry.

Installed, this distribution registers the module through the ``awesomerge`` entry-point group
(see pyproject.toml), and awesomerge calls its ``register_outputs`` hook.

Cells are safe to open in a spreadsheet: quoting follows RFC 4180 (the csv module's, with CRLF
line ends), and a text cell that starts with ``= + - @``, a tab or a carriage return gets a
leading apostrophe, so a title such as ``=HYPERLINK(...)`` is shown and never run as a formula.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from typing import ClassVar

import awesomerge
from awesomerge import Collection, Entry, Output, OutputRegistrar, PluginOptions
from pydantic import field_validator

#: Between the values of a list cell (authors, tags, categories, ...).
LIST_SEPARATOR = "; "

#: What a spreadsheet reads as the start of a formula (OWASP's list for CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _joined(values: Iterable[str]) -> str:
    return LIST_SEPARATOR.join(values)


def _sources(entry: Entry) -> list[str]:
    return sorted({occurrence.source for occurrence in entry.occurrences})


#: Every column an Options.columns list may name, and how to fill it from an entry.
COLUMNS: dict[str, Callable[[Entry], str | int | None]] = {
    "id": lambda entry: entry.id,
    "title": lambda entry: entry.title,
    "url": lambda entry: entry.url,
    "description": lambda entry: entry.description,
    "kind": lambda entry: entry.kind,
    "year": lambda entry: entry.year,
    "authors": lambda entry: _joined(entry.authors),
    "tags": lambda entry: _joined(entry.tags),
    "categories": lambda entry: _joined(entry.categories),
    "identifiers": lambda entry: _joined(f"{k}:{v}" for k, v in sorted(entry.identifiers.items())),
    "related": lambda entry: _joined(link.url for link in entry.related),
    "evidence": lambda entry: _joined(entry.evidence),
    "sources": lambda entry: _joined(_sources(entry)),
    "listed_in": lambda entry: len(_sources(entry)),
    "occurrences": lambda entry: len(entry.occurrences),
}

DEFAULT_COLUMNS = (
    "id",
    "title",
    "url",
    "kind",
    "year",
    "authors",
    "tags",
    "categories",
    "sources",
    "listed_in",
)


class CsvOutput(Output):
    name = "csv"
    filename = "entries.csv"
    description = "One spreadsheet row per entry (entries.csv), columns chosen in the options"

    class Options(PluginOptions):
        """``[outputs.csv]`` in awesomerge.toml, or ``-O csv.KEY=VALUE``."""

        columns: tuple[str, ...] = DEFAULT_COLUMNS
        delimiter: str = ","
        escape_formulas: bool = True
        bom: bool = False

        @field_validator("columns", mode="before")
        @classmethod
        def _split_command_line(cls, value: object) -> object:
            # -O csv.columns=id,title,url arrives as one string.
            if isinstance(value, str):
                return [column.strip() for column in value.split(",") if column.strip()]
            return value

        @field_validator("columns")
        @classmethod
        def _known_columns(cls, columns: tuple[str, ...]) -> tuple[str, ...]:
            known = ", ".join(COLUMNS)
            if not columns:
                raise ValueError(f"name at least one column ({known})")
            for column in columns:
                if column not in COLUMNS:
                    raise ValueError(f'unknown column "{column}" (known columns: {known})')
                if columns.count(column) > 1:
                    raise ValueError(f'column "{column}" is named twice')
            return columns

        @field_validator("delimiter")
        @classmethod
        def _one_character(cls, delimiter: str) -> str:
            if delimiter in ("tab", "\\t"):  # a tab is awkward to type on a command line
                delimiter = "\t"
            if len(delimiter) != 1:
                raise ValueError(f"must be one character, not {delimiter!r}")
            if delimiter in '"\r\n':
                raise ValueError(f"{delimiter!r} cannot separate cells")
            return delimiter

    flags: ClassVar[dict[str, str]] = {"csv-delimiter": "delimiter"}
    options: Options

    def render(self, collection: Collection) -> str:
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=self.options.delimiter, lineterminator="\r\n")
        columns = [COLUMNS[column] for column in self.options.columns]
        writer.writerow(self.options.columns)
        for entry in collection.dataset.entries:
            writer.writerow([self._cell(column(entry)) for column in columns])
        return ("\ufeff" if self.options.bom else "") + buffer.getvalue()

    def _cell(self, value: str | int | None) -> str:
        if value is None:
            return ""
        if isinstance(value, int):
            return str(value)
        if self.options.escape_formulas and value.startswith(FORMULA_STARTS):
            return "'" + value
        return value


@awesomerge.hookimpl
def register_outputs(register: OutputRegistrar) -> None:
    register(CsvOutput)

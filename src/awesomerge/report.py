"""Counting what a build did, and deciding its exit status.

Exit status, as `awesomerge build --help` and the user guide's table give it:
EXIT_OK 0, EXIT_REJECTED 1 (an input was rejected; the others were merged and written),
EXIT_USAGE 2 (click's own), EXIT_UNWRITABLE 3 (the outputs could not be written: nothing was),
EXIT_INTERRUPTED 130.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from awesomerge.errors import InputError
from awesomerge.models import Dataset
from awesomerge.plugins import PluginFailure

EXIT_OK = 0
EXIT_REJECTED = 1
EXIT_USAGE = 2
EXIT_UNWRITABLE = 3
EXIT_INTERRUPTED = 130


@dataclass
class Report:
    """The outcome of a build: what was read, what was rejected, and what was merged.

    Exit status: 0 when every input was read; 1 when any input was rejected (the others are
    still merged and written). Usage errors (2) and unwritable outputs (3) never reach a Report.
    """

    rejected: list[InputError] = field(default_factory=list)
    plugin_failures: list[PluginFailure] = field(default_factory=list)
    sources: int = 0
    warnings: int = 0
    occurrences: int = 0
    entries: int = 0
    review: int = 0
    """Near duplicates left apart for a curator."""
    stale: list[str] = field(default_factory=list)
    """Warnings about curator's decisions in awesomerge.toml that name URLs no input lists."""
    written: list[str] = field(default_factory=list)
    cache_problems: list[str] = field(default_factory=list)
    """Cache files that could not be read or written: the files were parsed again, or the
    outputs' texts made again, instead."""

    configuration: list[str] = field(default_factory=list)
    """Warnings about awesomerge.toml found before the build: a table that names no input."""

    def configuration_warning(self, warning: str) -> None:
        """A warning about awesomerge.toml, noted after the count."""
        self.configuration.append(warning)
        self.warnings += 1

    def reject(self, error: InputError) -> None:
        self.rejected.append(error)

    def cache_problem(self, problem: str) -> None:
        """A cache file found damaged, or not written, after the count: while writing."""
        self.cache_problems.append(problem)
        self.warnings += 1

    def count(self, dataset: Dataset) -> None:
        self.sources = len(dataset.sources)
        self.warnings = sum(len(source.warnings) for source in dataset.sources)
        self.warnings += len(self.stale) + len(self.cache_problems) + len(self.configuration)
        self.entries = len(dataset.entries)
        self.occurrences = sum(len(entry.occurrences) for entry in dataset.entries)

    @property
    def merges(self) -> int:
        """How many occurrences were folded into an entry that another one started."""
        return self.occurrences - self.entries

    @property
    def exit_code(self) -> int:
        return EXIT_REJECTED if self.rejected else EXIT_OK

    def summary(self) -> str:
        parts = [
            _count(self.sources, "source"),
            _count(self.occurrences, "occurrence"),
            f"{_count(self.entries, 'entry', 'entries')} ({self.merges} merged)",
            _count(self.warnings, "warning"),
        ]
        if self.review:
            parts.append(f"{self.review} to review")
        if self.rejected:
            parts.append(f"{len(self.rejected)} rejected")
        if self.plugin_failures:
            parts.append(_count(len(self.plugin_failures), "plugin failure"))
        return ", ".join(parts)


def _count(number: int, singular: str, plural: str | None = None) -> str:
    return f"{number} {singular if number == 1 else plural or singular + 's'}"

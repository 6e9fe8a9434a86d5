"""Choosing the source plugin that reads a file.

An explicit choice wins: ``--format`` or the file's ``format`` in awesomerge.toml. Otherwise each
source scores the document and the best score at or above THRESHOLD wins. No score that high
falls back to the generic ``markdown`` source, which reads an ordinary list as well as a shape
plugin does, so that says nothing. Only a real doubt warns: two shapes equally sure of a file.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from awesomerge.api import Source
from awesomerge.document import Document
from awesomerge.errors import ConfigError

THRESHOLD = 0.5
FALLBACK = "markdown"


@dataclass(frozen=True)
class Choice:
    """The source chosen for a document, every candidate's score, and why."""

    source: str
    scores: dict[str, float]
    reason: str
    warning: str | None = None
    failures: tuple[tuple[str, str], ...] = ()
    """(source name, what went wrong) for each source whose detect() failed."""


def choose_source(
    document: Document, sources: Mapping[str, Source], explicit: str | None = None
) -> Choice:
    """Pick the source for a document. Raises ConfigError for an unknown explicit format."""
    if explicit is not None:
        if explicit not in sources:
            known = ", ".join(sorted(sources)) or "none"
            raise ConfigError(f'unknown format "{explicit}" (known formats: {known})')
        return Choice(explicit, {}, f'format "{explicit}" was chosen explicitly')

    scores: dict[str, float] = {}
    failures: list[tuple[str, str]] = []
    for name in sorted(sources):
        if name == FALLBACK:
            continue
        try:
            score = float(sources[name].detect(document))
        except Exception as error:
            failures.append((name, f"detect() raised {type(error).__name__}: {error}"))
            continue
        scores[name] = min(max(score, 0.0), 1.0)

    ranked = sorted(scores.items(), key=lambda pair: (-pair[1], pair[0]))
    best = ranked[0] if ranked else None
    if best and best[1] >= THRESHOLD:
        tied = [name for name, score in ranked if score == best[1]]
        if len(tied) == 1:
            return Choice(best[0], scores, f"{best[0]} scored {best[1]:.2f}", None, tuple(failures))
        tie = (
            f"formats {', '.join(tied)} tie at {best[1]:.2f}; read as generic Markdown. "
            f'Choose one with --format or [files."{_name(document)}"] format = "..." '
            "in awesomerge.toml"
        )
        return Choice(FALLBACK, scores, "tie", tie, tuple(failures))
    reason = "no specific format recognised it; generic Markdown reads any list"
    if best and best[1] > 0:
        reason = (
            f"no shape scored {THRESHOLD} or more (best: {best[0]} at {best[1]:.2f}); " + reason
        )
    return Choice(FALLBACK, scores, reason, None, tuple(failures))


def _name(document: Document) -> str:
    return document.path.rsplit("/", 1)[-1]

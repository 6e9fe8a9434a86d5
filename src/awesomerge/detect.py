"""Choosing the source plugin that reads a file.

An explicit choice wins: ``--format`` or the file's ``format`` in awesomerge.toml. Otherwise the
candidates are the sources that claim the file's ending (`Source.suffixes`; every source, for a
file named on the command line whose ending none claims). One candidate alone reads the file.
Among several, each scores the document and the best score at or above THRESHOLD wins. When
the generic ``markdown`` source is a candidate, no score that high falls back to it: it reads an
ordinary list as well as a shape plugin does, so that says nothing. Only a real doubt warns:
two shapes equally sure of a file. Candidates that do not include ``markdown`` have no fallback:
a file none of them recognises is rejected, with the scores.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import PurePosixPath

from awesomerge.api import Source
from awesomerge.document import Document
from awesomerge.errors import ConfigError, InputError

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

    candidates = claimants(document.path, sources) or dict(sources)
    scores: dict[str, float] = {}
    failures: list[tuple[str, str]] = []
    for name in sorted(candidates):
        if name == FALLBACK:
            continue
        try:
            score = float(sources[name].detect(document))
        except Exception as error:
            failures.append((name, f"detect() raised {type(error).__name__}: {error}"))
            continue
        scores[name] = min(max(score, 0.0), 1.0)
    if len(candidates) == 1:  # scored only to be shown: the one reader of its file type
        (name,) = candidates
        reason = f"only {name} reads {_ending(document.path)} files"
        return Choice(name, scores, reason, None, tuple(failures))

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
        if FALLBACK not in candidates:
            raise InputError(document.path, _undecided(document, scores, "tie"))
        return Choice(FALLBACK, scores, "tie", tie, tuple(failures))
    if FALLBACK not in candidates:
        raise InputError(document.path, _undecided(document, scores, "none"))
    reason = "no specific format recognised it; generic Markdown reads any list"
    if best and best[1] > 0:
        reason = (
            f"no shape scored {THRESHOLD} or more (best: {best[0]} at {best[1]:.2f}); " + reason
        )
    return Choice(FALLBACK, scores, reason, None, tuple(failures))


def claimants(path: str, sources: Mapping[str, Source]) -> dict[str, Source]:
    """The sources whose `suffixes` claim the file at `path`, by name."""
    lowered = path.lower()
    return {
        name: source
        for name, source in sources.items()
        if any(lowered.endswith(suffix.lower()) for suffix in source.suffixes)
    }


def reads_bytes(path: str, sources: Mapping[str, Source], explicit: str | None = None) -> bool:
    """Whether the file is read as bytes, not decoded: when the source chosen explicitly, or
    every source that claims its ending, is `binary`."""
    if explicit is not None:
        return explicit in sources and sources[explicit].binary
    candidates = claimants(path, sources)
    return bool(candidates) and all(source.binary for source in candidates.values())


def _undecided(document: Document, scores: Mapping[str, float], why: str) -> str:
    """Why no source reads a file that only non-Markdown sources claim."""
    listed = ", ".join(f"{name} {score:.2f}" for name, score in sorted(scores.items()))
    doubt = "tie for it" if why == "tie" else f"recognise it (none scored {THRESHOLD} or more)"
    return (
        f"the sources that read {_ending(document.path)} files do not {doubt}: {listed}. "
        f'Choose one with --format or [files."{_name(document)}"] format = "..." in '
        "awesomerge.toml"
    )


def _ending(path: str) -> str:
    suffix = PurePosixPath(path).suffix.lower()
    return f"*{suffix}" if suffix else PurePosixPath(path).name


def _name(document: Document) -> str:
    return document.path.rsplit("/", 1)[-1]

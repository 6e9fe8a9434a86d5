"""Pieces of output text kept between builds, each made from one entry by a pure function.

A rebuild after one list changed merges to nearly the same entries as the build before it, and
an output's text for an unchanged entry is the same text again. So an output can ask for a text
per entry (`Collection.each_entry`) and have it made only for the entries that changed.

A piece is found by the entry's content (a digest of its JSON) and its kind. A kind names the
function that made it: what the output calls it, the output's class, the digest of the file
that defines it, its options and awesomerge's version and code. Anything that changes gives
another kind, so a stale piece is never found.

Each kind is one file in the cache folder, for each output folder (the builds of one project
share their pieces, and never take another project's away): a JSON line per piece,
``[digest, text]``, and a last line holding the format and the digest of the lines before it. A
file whose digest does not match is reported, and its pieces made again. A kind's file is
replaced whole, through a temporary file, holding only the pieces this build used; and a build
removes the files of its output folder that it did not use, so nothing stale is kept.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from awesomerge.cache import key_of
from awesomerge.models import Entry

#: Changes whenever the layout of a pieces file changes.
FORMAT = b"awesomerge-pieces 1"


@dataclass
class _Kind:
    path: Path | None
    stored: dict[str, str]
    """The pieces the file held when it was read."""
    used: dict[str, str] = field(default_factory=dict)
    """The pieces this build asked for, found or made."""
    made: int = 0


@dataclass
class Pieces:
    """Texts made from entries, by kind and entry content; kept in `folder` between builds, or
    for this build only when `folder` is None. `problems` collects files that could not be read
    or written."""

    folder: Path | None = None
    scope: str = ""
    """The output folder the pieces are for (`write_outputs` sets it)."""
    problems: list[str] = field(default_factory=list)
    _kinds: dict[str, _Kind] = field(default_factory=dict)
    _used: set[Path] = field(default_factory=set)

    def each(
        self,
        kind: Sequence[str],
        entries: Sequence[Entry],
        digests: Sequence[str],
        make: Callable[[Entry], str],
    ) -> list[str]:
        """`make(entry)` for every entry, in order; a piece of this kind stored for an equal
        entry (by its digest) is taken instead of made."""
        name = key_of(kind)
        found = self._kinds.get(name)
        if found is None:
            path = None
            if self.folder is not None:
                path = self.folder / f"{self._prefix()}{name[:24]}.pieces"
                self._used.add(path)
            found = self._kinds[name] = _Kind(path, self._read(path))
        texts = []
        for entry, digest in zip(entries, digests, strict=True):
            text = found.used.get(digest)
            if text is None:
                text = found.stored.get(digest)
                if text is None:
                    text = make(entry)
                    found.made += 1
                found.used[digest] = text
            texts.append(text)
        return texts

    def save(self) -> None:
        """Write each kind asked for since the last save whose file would change, and let go
        of what is held in memory. A cache that cannot be written is reported, never fatal."""
        for kind in self._kinds.values():
            if kind.path is not None and (kind.made or kind.used.keys() != kind.stored.keys()):
                self._write(kind.path, kind.used)
        self._kinds.clear()

    def finish(self) -> None:
        """Save, and remove the files of this output folder that no output used this time:
        the texts of an option no longer set, or of code since changed."""
        self.save()
        if self.folder is None:
            return
        try:
            for path in self.folder.glob(f"{self._prefix()}*.pieces"):
                if path not in self._used:
                    path.unlink(missing_ok=True)
        except OSError as error:
            self.problems.append(f"cannot tidy the cache in {self.folder} ({error.strerror})")

    def _prefix(self) -> str:
        return key_of([self.scope])[:16] + "-"

    def _read(self, path: Path | None) -> dict[str, str]:
        if path is None:
            return {}
        try:
            data = path.read_bytes()
        except (FileNotFoundError, NotADirectoryError):
            return {}
        except OSError as error:
            self.problems.append(f"cannot read cache file {path} ({error.strerror}); remade")
            return {}
        body, _, trailer = data.rstrip(b"\n").rpartition(b"\n")
        body += b"\n" if body else b""
        if trailer != FORMAT + b" " + hashlib.sha256(body).hexdigest().encode():
            self.problems.append(f"cache file {path} is damaged or truncated; its pieces remade")
            return {}
        try:
            return dict(json.loads(line) for line in body.splitlines())
        except ValueError:  # whole, but not what this version writes: never trusted
            self.problems.append(f"cache file {path} cannot be read; its pieces remade")
            return {}

    def _write(self, path: Path, pieces: dict[str, str]) -> None:
        digest = hashlib.sha256()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
            try:
                with os.fdopen(handle, "wb") as stream:
                    for pair in pieces.items():
                        line = json.dumps(pair).encode() + b"\n"
                        digest.update(line)
                        stream.write(line)
                    stream.write(FORMAT + b" " + digest.hexdigest().encode() + b"\n")
                os.replace(temporary, path)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
        except OSError as error:
            problem = f"cannot write the cache in {path.parent} ({error.strerror}); not updated"
            if problem not in self.problems:
                self.problems.append(problem)


def entry_digest(entry: Entry) -> str:
    """A digest of everything an entry holds."""
    return hashlib.sha256(entry.model_dump_json(warnings=False).encode()).hexdigest()

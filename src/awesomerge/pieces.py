"""Pieces of output text kept between builds, each made from one entry by a pure function.

A rebuild after one list changed merges to nearly the same entries as the build before it, and
an output's text for an unchanged entry is the same text again. So an output can ask for a text
per entry (`Collection.each_entry`) and have it made only for the entries that changed.

A piece is found by the entry's content (a digest of its JSON) and its kind. A kind names the
function that made it: what the output calls it, the output's class, the digest of the file
that defines it, its options and awesomerge's version and code. Anything that changes gives
another kind, so a stale piece is never found.

Each kind is one file in the cache folder, for each output folder (the builds of one project
share their pieces, and never take another project's away): a JSON object from digests to
texts, and a last line holding the format and the digest of the object. A file whose digest
does not match is reported, and its pieces made again. A kind's file is replaced whole, through
a temporary file, holding only the pieces this build used; and a build removes the files of its
output folder that it did not use, so nothing stale is kept.

Texts are made, and written to the new file, as an output asks for them, one at a time: an
output that writes an entry at a time never holds all its texts at once.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, overload

from awesomerge.cache import key_of
from awesomerge.models import Entry

#: Changes whenever the layout of a pieces file changes.
FORMAT = b"awesomerge-pieces 2"


@dataclass
class _Kind:
    """The pieces of one kind: those the file held, and the new file being written."""

    path: Path | None
    stored: dict[str, str]
    problems: list[str]
    written: set[str] = field(default_factory=set)
    made: int = 0
    _stream: IO[bytes] | None = None
    _temporary: str = ""
    _digest: hashlib._Hash = field(default_factory=hashlib.sha256)

    def keep(self, digest: str, text: str) -> None:
        """Add a piece to the new file, once."""
        if self.path is None or digest in self.written:
            return
        self.written.add(digest)
        piece = json.dumps(digest) + ":" + json.dumps(text)
        self._put(("{" if self._stream is None else ",") + piece)

    def _put(self, text: str) -> None:
        data = text.encode()
        if self._stream is None:
            assert self.path is not None
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                handle, self._temporary = tempfile.mkstemp(
                    dir=self.path.parent, prefix=".", suffix=".tmp"
                )
            except OSError as error:
                self._cannot_write(error)
                return
            self._stream = os.fdopen(handle, "wb")
        self._digest.update(data)
        self._stream.write(data)

    def close(self) -> None:
        """Put the new file in place of the old one, if they differ; else drop it."""
        stream = self._stream
        if stream is None:
            if self.path is not None and self.stored:  # no entry asked: nothing to keep
                self.path.unlink(missing_ok=True)
            return
        changed = self.made or self.written != self.stored.keys()
        try:
            self._put("}")
            stream.write(b"\n" + FORMAT + b" " + self._digest.hexdigest().encode() + b"\n")
            stream.close()
            if changed and self.path is not None:
                os.replace(self._temporary, self.path)
        except OSError as error:
            self._cannot_write(error)
        finally:
            stream.close()
            self._stream = None
            Path(self._temporary).unlink(missing_ok=True)

    def discard(self) -> None:
        """Drop the new file: the build stopped before its output was complete."""
        if self._stream is not None:
            self._stream.close()
            self._stream = None
            Path(self._temporary).unlink(missing_ok=True)

    def _cannot_write(self, error: OSError) -> None:
        """A cache that cannot be written is reported, never fatal."""
        assert self.path is not None
        where = self.path.parent
        problem = f"cannot write the cache in {where} ({error.strerror}); not updated"
        if problem not in self.problems:
            self.problems.append(problem)
        self.path = None


class Made(Sequence[str]):
    """`make(entry)` for each entry, in order, made when asked for and not kept."""

    def __init__(self, entries: Sequence[Entry], make: Callable[[Entry], str]) -> None:
        self._entries, self._make = entries, make

    def __len__(self) -> int:
        return len(self._entries)

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> list[str]: ...

    def __getitem__(self, index: int | slice) -> str | list[str]:
        if isinstance(index, slice):
            return [self._make(entry) for entry in self._entries[index]]
        return self._make(self._entries[index])


class Texts(Sequence[str]):
    """An output's text for each entry, in the dataset's order, made when first asked for."""

    def __init__(
        self,
        kind: _Kind,
        entries: Sequence[Entry],
        digests: Sequence[str],
        make: Callable[[Entry], str],
    ) -> None:
        self._kind, self._entries, self._digests, self._make = kind, entries, digests, make

    def __len__(self) -> int:
        return len(self._entries)

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> list[str]: ...

    def __getitem__(self, index: int | slice) -> str | list[str]:
        if isinstance(index, slice):
            return [self[number] for number in range(len(self))[index]]
        digest = self._digests[index]
        text = self._kind.stored.get(digest)
        if text is None:
            text = self._make(self._entries[index])
            self._kind.made += 1
        self._kind.keep(digest, text)
        return text


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
    ) -> Texts:
        """`make(entry)` for every entry, in order, made as each is asked for; a piece of this
        kind stored for an equal entry (by its digest) is taken instead of made."""
        name = key_of(kind)
        found = self._kinds.get(name)
        if found is None:
            path = None
            if self.folder is not None:
                path = self.folder / f"{self._prefix()}{name[:24]}.pieces"
                self._used.add(path)
            found = self._kinds[name] = _Kind(path, self._read(path), self.problems)
        return Texts(found, entries, digests, make)

    def save(self) -> None:
        """Put in place each kind's new file, where it changed, and let go of what is held in
        memory."""
        for kind in self._kinds.values():
            kind.close()
        self._kinds.clear()

    def discard(self) -> None:
        """Drop what the outputs being written asked for: the build failed or was stopped, and
        the files already kept stay as they are."""
        for kind in self._kinds.values():
            kind.discard()
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
        if trailer != FORMAT + b" " + hashlib.sha256(body).hexdigest().encode():
            self.problems.append(f"cache file {path} is damaged or truncated; its pieces remade")
            return {}
        try:
            stored = json.loads(body)
        except ValueError:
            stored = None
        if not isinstance(stored, dict) or not all(isinstance(t, str) for t in stored.values()):
            # whole, but not what this version writes: never trusted
            self.problems.append(f"cache file {path} cannot be read; its pieces remade")
            return {}
        return stored


def entry_digest(entry: Entry) -> str:
    """A digest of everything an entry holds."""
    return hashlib.sha256(entry.model_dump_json(warnings=False).encode()).hexdigest()

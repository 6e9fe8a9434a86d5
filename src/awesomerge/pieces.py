"""Pieces of output text kept between builds, each made from one entry by a pure function.

A rebuild after one list changed merges to nearly the same entries as the build before it, and
an output's text for an unchanged entry is the same text again. So an output can ask for a text
per entry (`Collection.each_entry`) and have it made only for the entries that changed.

A piece is found by the entry's content (a digest of its JSON) and its kind. A kind names the
function that made it: what the output calls it, the output's class, the digest of the file
that defines it, its options and awesomerge's version and code. Anything that changes gives
another kind, so a stale piece is never found.

Each kind is one file in the cache folder, for each output folder (the builds of one project
share their pieces, and never take another project's away): a first line holding the format
and the digest of the rest, then a JSON object from digests to texts. A file whose digest does
not match is reported, and its pieces made again. A kind's file is replaced whole, through a
temporary file, holding only the pieces this build used; and a build removes the files of its
output folder that it did not use, so nothing stale is kept, and the temporary files a killed
build left.

Texts are made, and written to the new file, as an output asks for them, one at a time: the
texts made are never all held at once. The texts found are: the file of a kind is read whole,
so a rebuild holds about the size of each output's file while it writes that output.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, overload

from awesomerge.cache import key_of
from awesomerge.models import Entry

#: Changes whenever the layout of a pieces file changes.
FORMAT = b"awesomerge-pieces 3"
_HEADER = len(FORMAT) + 1 + 64 + 1
"""A file's first line: the format and the sha-256 of the rest, in hex."""
#: A temporary file this old is left from a build that was killed, and is removed.
_STALE_SECONDS = 3600


@dataclass
class _Kind:
    """The pieces of one kind: those the file held, and the new file being written."""

    path: Path | None
    """None once the kind keeps nothing more: closed, or the cache cannot be written."""
    stored: dict[str, str]
    problems: list[str]
    temporary_prefix: str
    written: set[str] = field(default_factory=set)
    made: int = 0
    _stream: IO[bytes] | None = None
    _temporary: str = ""
    _digest: Any = field(default_factory=hashlib.sha256)

    def keep(self, digest: str, text: str) -> None:
        """Add a piece to the new file, once."""
        if self.path is None or digest in self.written:
            return
        self.written.add(digest)
        piece = json.dumps(digest) + ":" + json.dumps(text)
        self._put(("{" if self._stream is None else ",") + piece)

    def _put(self, text: str) -> None:
        data = text.encode()
        try:
            if self._stream is None:
                assert self.path is not None
                self.path.parent.mkdir(parents=True, exist_ok=True)
                handle, self._temporary = tempfile.mkstemp(
                    dir=self.path.parent, prefix=self.temporary_prefix, suffix=".tmp"
                )
                self._stream = os.fdopen(handle, "wb")
                self._stream.write(b" " * _HEADER)  # the header, once the digest is known
            self._digest.update(data)
            self._stream.write(data)
        except OSError as error:
            self._cannot_write(error)

    def close(self) -> None:
        """Put the new file in place of the old one, if they differ; else drop it. The kind
        keeps nothing after this."""
        path = self.path
        if path is None:
            self.discard()
            return
        if self._stream is None:
            if self.stored:  # no entry asked for a text: there is nothing to keep
                self._forget(path)
            self.path = None
            return
        changed = self.made or self.written != self.stored.keys()
        self._put("}")
        stream = self._stream
        try:
            if stream is not None:  # else the last write failed, and the file is gone
                stream.seek(0)
                stream.write(FORMAT + b" " + self._digest.hexdigest().encode() + b"\n")
                stream.close()
                if changed:
                    os.replace(self._temporary, path)
        except OSError as error:
            self._cannot_write(error)
        finally:
            self.path = None
            self.discard()

    def discard(self) -> None:
        """Drop the new file, if any: the build stopped before its output was complete."""
        stream, self._stream = self._stream, None
        try:
            if stream is not None:
                stream.close()
        except OSError:
            pass  # the file is being thrown away: what it failed to write does not matter
        finally:
            if self._temporary:
                Path(self._temporary).unlink(missing_ok=True)
                self._temporary = ""

    def _forget(self, path: Path) -> None:
        try:
            path.unlink(missing_ok=True)
        except OSError as error:
            self._cannot_write(error)

    def _cannot_write(self, error: OSError) -> None:
        """A cache that cannot be written is reported, never fatal: the kind keeps nothing
        more, and the file being written is dropped."""
        assert self.path is not None
        problem = f"cannot write the cache in {self.path.parent} ({error.strerror}); not updated"
        if problem not in self.problems:
            self.problems.append(problem)
        self.path = None
        self.discard()


class _Lazy(Sequence[str], ABC):
    """A text for each entry, in order, each made when it is asked for."""

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
            return [self._text(number) for number in range(len(self))[index]]
        return self._text(index)

    @abstractmethod
    def _text(self, index: int) -> str: ...


class Made(_Lazy):
    """`make(entry)` for each entry, made when asked for and not kept."""

    def _text(self, index: int) -> str:
        return self._make(self._entries[index])


class Texts(_Lazy):
    """An output's text for each entry: taken from the kind's file where it holds the entry's
    digest, else made; either way written to the kind's new file."""

    def __init__(
        self,
        kind: _Kind,
        entries: Sequence[Entry],
        digests: Sequence[str],
        make: Callable[[Entry], str],
    ) -> None:
        super().__init__(entries, make)
        self._kind, self._digests = kind, digests

    def _text(self, index: int) -> str:
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
            stored = self._read(path)
            found = self._kinds[name] = _Kind(path, stored, self.problems, f".{self._prefix()}")
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
        stale = time.time() - _STALE_SECONDS
        try:
            for path in self.folder.glob(f"{self._prefix()}*.pieces"):
                if path not in self._used:
                    path.unlink(missing_ok=True)
            for path in self.folder.glob(f".{self._prefix()}*.tmp"):
                if path.stat().st_mtime < stale:  # left by a build that was killed
                    path.unlink(missing_ok=True)
        except OSError as error:
            self.problems.append(f"cannot tidy the cache in {self.folder} ({error.strerror})")

    def _prefix(self) -> str:
        return key_of([self.scope])[:16] + "-"

    def _read(self, path: Path | None) -> dict[str, str]:
        if path is None:
            return {}
        try:
            with path.open("rb") as stream:
                header, body = stream.read(_HEADER), stream.read()
        except (FileNotFoundError, NotADirectoryError):
            return {}
        except OSError as error:
            self.problems.append(f"cannot read cache file {path} ({error.strerror}); remade")
            return {}
        if header != FORMAT + b" " + hashlib.sha256(body).hexdigest().encode() + b"\n":
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

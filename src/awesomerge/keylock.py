"""The key lock: ``awesomerge.lock`` beside the inputs, so that a citation key never changes
meaning.

A key, once given to an entry, stays with that entry in every later build; a key whose entry
disappeared stays reserved, and no other entry takes it. The build reads the lock before it
writes the bibliographies and writes it back, atomically, once every output is in place.

The file is TOML, sorted, one table per key, meant to be committed with the inputs::

    version = 1

    [citation-keys.vaswani2017attention]
    entry = "arxiv:1706.03762"
    match = ["arxiv:1706.03762", "url:https://arxiv.org/abs/1706.03762"]

``entry`` is the entry's id; ``match`` the identifiers and URLs that find the entry again when
its id changed (it merged with another). Other sections may be added beside
``citation-keys``; a reader keeps the sections it does not know.
"""

from __future__ import annotations

import os
import tempfile
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tomli_w

from awesomerge.errors import ConfigError
from awesomerge.models import Entry

__all__ = ["LOCK_NAME", "KeyLock", "KeyLockError", "lock_folder"]

#: The lock's file name, in the first input folder (beside awesomerge.toml).
LOCK_NAME = "awesomerge.lock"
LOCK_VERSION = 1
_SECTION = "citation-keys"
_HEADER = (
    "# awesomerge.lock: written by `awesomerge build`; commit it with the inputs.\n"
    "# It keeps each citation key with its entry. Delete a [citation-keys.KEY] table to let\n"
    "# that key go (it may then name another work); delete the file to start afresh.\n"
)


class KeyLockError(ConfigError):
    """The lock file cannot be read: nothing is written until it is fixed or removed."""


def lock_folder(inputs: Sequence[str | Path]) -> Path | None:
    """Where the lock lives: the first input folder (a file input's folder) that holds one,
    so that the order of the inputs does not matter once it exists; else the first."""
    folders = [Path(given) if Path(given).is_dir() else Path(given).parent for given in inputs]
    return next((folder for folder in folders if (folder / LOCK_NAME).is_file()), None) or (
        folders[0] if folders else None
    )


@dataclass(frozen=True)
class _Locked:
    entry: str
    match: tuple[str, ...]


def handles(entry: Entry) -> tuple[str, ...]:
    """What finds an entry again: its id, identifiers and canonical URL, sorted."""
    found = {entry.id, f"url:{entry.url}"}
    found.update(f"{kind}:{value}" for kind, value in entry.identifiers.items())
    return tuple(sorted(found))


def _match_handles(entry: Entry) -> set[str]:
    """`handles`, and the URL of every occurrence: an entry that merged keeps the old ones."""
    return {*handles(entry), *(f"url:{occurrence.url}" for occurrence in entry.occurrences)}


@dataclass
class KeyLock:
    """The citation keys of earlier builds, and the ones this build gave."""

    path: Path | None
    _locked: dict[str, _Locked] | None = None
    _other: dict[str, Any] = field(default_factory=dict)
    _given: dict[str, _Locked] | None = None

    @classmethod
    def beside(cls, inputs: Sequence[str | Path]) -> KeyLock:
        folder = lock_folder(inputs)
        return cls(folder / LOCK_NAME if folder is not None else None)

    def _load(self) -> dict[str, _Locked]:
        if self._locked is not None:
            return self._locked
        self._locked = {}
        if self.path is None or not self.path.is_file():
            return self._locked
        try:
            data = tomllib.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as error:
            raise KeyLockError(f"{self.path}: cannot be read: {error}") from error
        except tomllib.TOMLDecodeError as error:
            raise KeyLockError(f"{self.path}: not valid TOML: {error}; {_FIX}") from error
        if data.get("version") != LOCK_VERSION:
            raise KeyLockError(
                f"{self.path}: version {data.get('version')!r} is not {LOCK_VERSION}; {_FIX}"
            )
        keys = data.get(_SECTION, {})
        if not isinstance(keys, dict):
            raise KeyLockError(f"{self.path}: [{_SECTION}] is not a table; {_FIX}")
        for key, record in keys.items():
            entry = record.get("entry") if isinstance(record, dict) else None
            match = record.get("match", []) if isinstance(record, dict) else None
            if not isinstance(entry, str) or not isinstance(match, list):
                raise KeyLockError(
                    f"{self.path}: [{_SECTION}.{key}] needs an entry string and a match list; "
                    f"{_FIX}"
                )
            self._locked[key] = _Locked(entry, tuple(str(handle) for handle in match))
        self._other = {name: value for name, value in data.items() if name not in _KNOWN}
        return self._locked

    def keys(
        self,
        entries: Sequence[Entry],
        new_keys: Callable[[Sequence[int], frozenset[str]], dict[int, str]],
    ) -> list[str]:
        """One key per entry: its locked key where it has one, else a new one from
        `new_keys(positions, reserved)`, which must avoid every key in `reserved`."""
        locked = self._load()
        keys: dict[int, str] = {}
        by_id = {entry.id: position for position, entry in enumerate(entries)}
        for key in sorted(locked):
            position = by_id.get(locked[key].entry)
            if position is not None and position not in keys:
                keys[position] = key
        # Entries whose id changed: found by an identifier or URL they still carry.
        by_handle: dict[str, list[int]] = {}
        for position, entry in enumerate(entries):
            if position not in keys:
                for handle in _match_handles(entry):
                    by_handle.setdefault(handle, []).append(position)
        given = set(keys.values())
        for key in sorted(locked):
            if key in given:
                continue
            candidates = sorted(
                {
                    position
                    for handle in locked[key].match
                    for position in by_handle.get(handle, [])
                    if position not in keys
                },
                key=lambda position: entries[position].id,
            )
            if candidates:
                keys[candidates[0]] = key
                given.add(key)
        missing = [position for position in range(len(entries)) if position not in keys]
        keys.update(new_keys(missing, frozenset(locked)))
        result = [keys[position] for position in range(len(entries))]
        self._given = {
            key: _Locked(entries[position].id, handles(entries[position]))
            for position, key in enumerate(result)
        }
        return result

    @property
    def changed(self) -> bool:
        """Whether the build gave keys, and the file does not already hold them all."""
        if self._given is None:
            return False
        return self._merged() != self._load() or not (self.path and self.path.is_file())

    def _merged(self) -> dict[str, _Locked]:
        """The keys of this build, and every earlier key, reserved, whose entry is gone."""
        merged = dict(self._load())
        merged.update(self._given or {})
        return merged

    def text(self) -> str:
        data: dict[str, Any] = {"version": LOCK_VERSION, **dict(sorted(self._other.items()))}
        data[_SECTION] = {
            key: {"entry": record.entry, "match": list(record.match)}
            for key, record in sorted(self._merged().items())
        }
        return _HEADER + "\n" + tomli_w.dumps(data, multiline_strings=False)

    def save(self) -> None:
        """Write the lock, atomically, when this build gave keys it does not hold yet."""
        if self.path is None or not self.changed:
            return
        text = self.text()
        descriptor, temporary = tempfile.mkstemp(
            dir=self.path.parent, prefix=f".{LOCK_NAME}.", suffix=".tmp"
        )
        try:
            # mkstemp's file is private; a lock is shared like the inputs beside it.
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(temporary, 0o666 & ~umask)
            with os.fdopen(descriptor, "w", encoding="utf-8", newline="\n") as stream:
                stream.write(text)
                stream.flush()
                os.fsync(stream.fileno())
            os.replace(temporary, self.path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        self._locked = self._merged()


_KNOWN = frozenset({"version", _SECTION})
_FIX = f"fix it, or delete it to give every entry a new key (see {LOCK_NAME} in the user guide)"

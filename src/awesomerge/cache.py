"""The parse cache: each input's parse result, kept between builds.

An entry is found by a key that covers everything its result depends on: the file's bytes and
its path, every source plugin that could read it (its name, version, code and options, because
detection weighs them all), the file's settings and awesomerge's own version and code. Anything
that changes gives another key, so a stale entry is never found, let alone used.

An entry is one file: a header line holding the digest of the rest, then the result as JSON. An
entry whose digest does not match (a truncated or damaged file) is reported and parsed again.
Entries are written through a temporary file and renamed, so a build that stops halfway leaves
none half-written, and builds running at once share the folder safely.
"""

from __future__ import annotations

import hashlib
import inspect
import os
import platform
import sys
import tempfile
import time
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

#: Changes whenever the layout of an entry changes.
FORMAT = b"awesomerge-parse-cache 1"


def default_folder() -> Path:
    """The user's cache folder for awesomerge, as the platform has it."""
    import platformdirs

    return Path(platformdirs.user_cache_dir("awesomerge")) / "parse"


@cache
def code_digest(*paths: Path) -> str:
    """A digest of every .py and .toml file under `paths`: a change of code changes keys even
    where the version number does not (an editable install, a plugin being written)."""
    digest = hashlib.sha256()
    for root in paths:
        files = [root] if root.is_file() else sorted(root.rglob("*"))
        for path in files:
            if path.suffix in (".py", ".toml") and "__pycache__" not in path.parts:
                digest.update(path.as_posix().encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def package_digest(code: object) -> str:
    """The digest of all the code of the package that defines `code` (a class or function):
    what it calls may live in the package's other modules. For a module outside any package,
    such as a drop-in plugin file, its file's digest; "" when it has no file."""
    module = sys.modules.get(getattr(code, "__module__", "") or "")
    top = sys.modules.get(module.__name__.partition(".")[0]) if module is not None else None
    try:
        if top is not None and hasattr(top, "__path__") and top.__file__:
            return code_digest(Path(top.__file__).parent)
        return code_digest(Path(inspect.getfile(code)))  # type: ignore[arg-type]
    except (TypeError, OSError):
        return ""


#: The libraries whose versions can change what a file parses to, or how an output writes it.
_LIBRARIES = (
    "ftfy", "linkify-it-py", "markdown-it-py", "mdit-py-plugins", "pydantic-core", "PyYAML",
    "rapidfuzz", "publicsuffixlist", "w3lib", "sentencex", "tomli-w",
)  # fmt: skip


@cache
def environment() -> tuple[str, ...]:
    """What else a result depends on: the Python version, its Unicode tables, and the versions
    of the libraries that read and write text. A cache shared by two environments (the user's
    cache folder) must never give one the other's results."""
    from importlib import metadata

    versions = []
    for name in _LIBRARIES:
        try:
            versions.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name} -")
    return (platform.python_implementation(), platform.python_version(),
            unicodedata.unidata_version, *versions)  # fmt: skip


def key_of(parts: Iterable[str | bytes]) -> str:
    """One key from many parts; the parts are length-prefixed, so no two lists share a key."""
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


@dataclass
class ParseCache:
    """A folder of parse results, by key; `problems` collects entries that could not be read."""

    folder: Path
    problems: list[str] = field(default_factory=list)

    def path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def load(self, key: str) -> bytes | None:
        """The stored result for a key, or None when there is none or it cannot be trusted."""
        path = self.path(key)
        try:
            data = path.read_bytes()
        except (FileNotFoundError, NotADirectoryError):
            return None
        except OSError as error:
            self.problems.append(f"cannot read cache entry {path} ({error.strerror}); parsed again")
            return None
        header, _, payload = data.partition(b"\n")
        expected = FORMAT + b" " + hashlib.sha256(payload).hexdigest().encode()
        if header != expected:
            self.problems.append(f"cache entry {path} is damaged or truncated; parsed again")
            return None
        return payload

    def sweep(self, older_than: float = 3600.0) -> None:
        """Remove the temporary files that builds killed while storing left, once they are
        older than `older_than` seconds (a younger one may be another build's, still in use)."""
        stale = time.time() - older_than
        try:
            for temporary in self.folder.glob("??/.*.tmp"):
                if temporary.stat().st_mtime < stale:
                    temporary.unlink(missing_ok=True)
        except OSError as error:
            self.problems.append(f"cannot tidy the cache in {self.folder} ({error.strerror})")

    def store(self, key: str, payload: bytes) -> None:
        """Keep a result; a cache that cannot be written is reported, never fatal."""
        path = self.path(key)
        header = FORMAT + b" " + hashlib.sha256(payload).hexdigest().encode() + b"\n"
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
            try:
                with os.fdopen(handle, "wb") as stream:
                    stream.write(header + payload)
                os.replace(temporary, path)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
        except OSError as error:
            problem = f"cannot write the cache in {self.folder} ({error.strerror}); not updated"
            if problem not in self.problems:
                self.problems.append(problem)

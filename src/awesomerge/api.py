"""What a plugin implements: a `Source` reads one input shape, an `Output` writes one file.

Both are classes, registered through the ``register_sources`` and ``register_outputs`` hooks.
awesomerge makes one instance of each and never shares state between files.

A plugin's settings are a pydantic model, its nested ``Options`` class: awesomerge validates them
from awesomerge.toml (``[outputs.NAME]`` or ``[sources.NAME]``) and the command line, and gives
the plugin an instance made with them as ``self.options``.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, TextIO, TypeVar, cast

from pydantic import BaseModel, ConfigDict

from awesomerge.document import Document
from awesomerge.keylock import KeyLock
from awesomerge.models import Dataset, Entry, ParseResult, ReviewPair
from awesomerge.pieces import Made, Pieces, entry_digest

_T = TypeVar("_T")


@dataclass(frozen=True)
class Collection:
    """What an output renders: the merged dataset, and the near duplicates left apart."""

    dataset: Dataset
    review: tuple[ReviewPair, ...] = ()
    pieces: Pieces = field(default_factory=Pieces, repr=False, compare=False)
    """Where `each_entry` keeps its texts: in memory, or in the build's cache folder."""
    key_lock: KeyLock | None = field(default=None, repr=False, compare=False)
    """The citation keys earlier builds gave (awesomerge.lock), which the bibliographies keep."""
    _derived: dict[str, Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    def derived(self, name: str, compute: Callable[[], _T]) -> _T:
        """What `compute` derives from this collection, computed once for every output that
        asks by the same `name` (the BibTeX and CSL-JSON outputs share their citation keys)."""
        if name not in self._derived:
            self._derived[name] = compute()
        return cast(_T, self._derived[name])

    def each_entry(
        self, output: Output, make: Callable[[Entry], str], kind: str = ""
    ) -> Sequence[str]:
        """`make(entry)` for every entry, in the dataset's order, made when first asked for;
        each text is kept between builds and made again only for an entry that changed.

        So `make` must be a pure function of the entry and the output's options: name in `kind`
        anything else it reads (the digest of a table it consults). A text is found by the
        entry's content, `kind`, the output's class, the code of the package that defines it,
        its options, awesomerge's version and code, and the versions of Python and of the
        libraries that write text. Texts are kept only while `write_outputs` writes into an
        output folder with a cache; otherwise each is made when it is read.
        """
        from awesomerge import __version__
        from awesomerge.cache import code_digest, environment, package_digest

        if self.pieces.folder is None or not self.pieces.scope:
            return Made(self.dataset.entries, make)  # nothing is kept: there is no cache
        digests = self.derived(
            _ENTRY_DIGESTS, lambda: [entry_digest(entry) for entry in self.dataset.entries]
        )
        made_by = [
            __version__,
            code_digest(Path(__file__).parent),
            *environment(),
            f"{type(output).__module__}.{type(output).__qualname__}",
            package_digest(type(output)),
            output.options.model_dump_json(),
            kind,
        ]
        return self.pieces.each(made_by, self.dataset.entries, digests, make)


_ENTRY_DIGESTS = "entry digests"


class PluginOptions(BaseModel):
    """Base of a plugin's options: frozen, and an unknown key is an error. A field's
    docstring is its description, the help of its command-line flag."""

    model_config = ConfigDict(frozen=True, extra="forbid", use_attribute_docstrings=True)


class _Configurable:
    Options: ClassVar[type[PluginOptions]] = PluginOptions
    flags: ClassVar[dict[str, str]] = {}
    """Command-line flags that set an option: {"bib-dialect": "dialect"} adds --bib-dialect."""

    def __init__(self, options: PluginOptions | None = None) -> None:
        self.options = options if options is not None else self.Options()


class Source(_Configurable, ABC):
    """Reads one shape of input list into items.

    `detect` must be cheap and free of side effects: it is called on every input file.
    `parse` must be a pure function of the document.
    """

    name: ClassVar[str]
    """Stable name, used by --format, awesomerge.toml and the dataset's `format` field."""
    description: ClassVar[str] = ""
    suffixes: ClassVar[tuple[str, ...]] = (".md", ".markdown", ".txt")
    """The file name endings this source reads (".opml", ".csv"), matched case-insensitively.
    A folder is searched for the endings of every loaded source; a file is scored only by the
    sources that claim its ending, and one that a single source claims is read by it."""
    binary: ClassVar[bool] = False
    """True for a format that is not text: its files are not decoded, and `document.text`
    holds their bytes one character each (``document.text.encode("latin-1")`` gives them back).
    Used only for files whose ending no text source claims, or with an explicit --format."""

    def detect(self, document: Document) -> float:
        """How sure this source is that it should read the document, from 0.0 to 1.0."""
        return 0.0

    @abstractmethod
    def parse(self, document: Document) -> ParseResult:
        """Read the document's items, unlinked items, prose links and warnings."""


class Output(_Configurable, ABC):
    """Writes the merged dataset to one file in the output folder."""

    name: ClassVar[str]
    filename: ClassVar[str]
    description: ClassVar[str] = ""

    @abstractmethod
    def render(self, collection: Collection) -> str:
        """The file's whole text. A pure function of the collection."""

    def write(self, collection: Collection, stream: TextIO) -> None:
        """Write the file's text to `stream`; what is written must equal `render`'s result.

        The default writes `render`'s result. An output whose file can be large overrides it
        to write the text in pieces, so that the whole file is never one string in memory.
        """
        stream.write(self.render(collection))


SourceRegistrar = Callable[[type[Source]], None]
OutputRegistrar = Callable[[type[Output]], None]

"""What a plugin implements: a `Source` reads one input shape, an `Output` writes one file.

Both are classes, registered through the ``register_sources`` and ``register_outputs`` hooks.
awesomerge makes one instance of each and never shares state between files.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

from awesomerge.document import Document
from awesomerge.models import Dataset, ParseResult, ReviewPair


@dataclass(frozen=True)
class Collection:
    """What an output renders: the merged dataset, and the near duplicates left apart."""

    dataset: Dataset
    review: tuple[ReviewPair, ...] = ()


class Source(ABC):
    """Reads one shape of input list into items.

    `detect` must be cheap and free of side effects: it is called on every input file.
    `parse` must be a pure function of the document.
    """

    name: ClassVar[str]
    """Stable name, used by --format, awesomerge.toml and the dataset's `format` field."""
    description: ClassVar[str] = ""

    def detect(self, document: Document) -> float:
        """How sure this source is that it should read the document, from 0.0 to 1.0."""
        return 0.0

    @abstractmethod
    def parse(self, document: Document) -> ParseResult:
        """Read the document's items, unlinked items, prose links and warnings."""


class Output(ABC):
    """Writes the merged dataset to one file in the output folder."""

    name: ClassVar[str]
    filename: ClassVar[str]
    description: ClassVar[str] = ""

    @abstractmethod
    def render(self, collection: Collection) -> str:
        """The file's whole text. A pure function of the collection."""


SourceRegistrar = Callable[[type[Source]], None]
OutputRegistrar = Callable[[type[Output]], None]

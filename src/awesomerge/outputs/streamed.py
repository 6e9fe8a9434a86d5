"""The base of the built-in outputs whose files can be large: they write them in pieces."""

from __future__ import annotations

import io
from abc import ABC, abstractmethod
from typing import TextIO

from awesomerge.api import Collection, Output


class StreamedOutput(Output, ABC):
    """An output that implements `write`, so that its whole file is never one string in memory;
    `render` is what `write` writes, collected, so the two cannot differ."""

    @abstractmethod
    def write(self, collection: Collection, stream: TextIO) -> None:
        """Write the file's text to `stream`, a piece at a time."""

    def render(self, collection: Collection) -> str:
        buffer = io.StringIO()
        self.write(collection, buffer)
        return buffer.getvalue()

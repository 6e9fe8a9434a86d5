"""The ``json`` output: the dataset as ``awesomerge.json``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TextIO

from awesomerge.api import Collection, OutputRegistrar
from awesomerge.hookspecs import hookimpl
from awesomerge.outputs.json_text import encode, write_object
from awesomerge.outputs.streamed import StreamedOutput


class JsonOutput(StreamedOutput):
    name = "json"
    filename = "awesomerge.json"
    description = "The canonical dataset, valid against schema/awesomerge.schema.json"

    def write(self, collection: Collection, stream: TextIO) -> None:
        """``json.dumps(dataset.model_dump(mode="json"), ensure_ascii=False, indent=2)``, its
        sources and entries dumped and written one at a time.

        An entry is written by pydantic-core, five times faster than the json module: for the
        types an entry holds (strings, integers, lists and maps of them, no float) its text is
        the json module's to the byte. A lone surrogate, which no UTF-8 file can hold, raises.
        A source's metadata may hold floats, which the two write differently.

        This is where the dataset is checked: entries are built without validation, from
        validated items, and a field whose value is not of its declared type fails the write
        here (pydantic's serializer warnings, made errors) instead of reaching the file.
        """
        dataset = collection.dataset
        dumped = dataset.model_dump(mode="json", exclude={"sources", "entries"})
        values: dict[str, str | Iterator[str]] = {
            **{name: encode(value) for name, value in dumped.items()},
            "sources": (encode(source.model_dump(mode="json")) for source in dataset.sources),
            "entries": (
                entry.model_dump_json(indent=2, warnings="error") for entry in dataset.entries
            ),
        }
        write_object(((name, values[name]) for name in type(dataset).model_fields), stream)
        stream.write("\n")


@hookimpl
def register_outputs(register: OutputRegistrar) -> None:
    register(JsonOutput)

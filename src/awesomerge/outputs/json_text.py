"""Indented JSON written a piece at a time, byte for byte what one ``json.dumps`` call writes.

``json.dumps(value, ensure_ascii=False, indent=2)`` makes a whole document one string, joined
from a piece per value: for a large dataset, hundreds of megabytes at once. Here an array is
written one element at a time, each encoded alone (as ``json.dumps`` writes it at the top of a
document) and indented as the document around it would indent it. JSON strings hold no raw
newline, so indenting a piece is replacing its newlines.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any, TextIO

import pydantic_core

_INDENT = "  "
_ENCODER = json.JSONEncoder(ensure_ascii=False, indent=len(_INDENT))
"""What ``json.dumps(value, ensure_ascii=False, indent=2)`` calls, made once."""


def encode(value: Any) -> str:
    """``json.dumps(value, ensure_ascii=False, indent=2)``."""
    return _ENCODER.encode(value)


def encode_floatless(value: Any) -> str:
    """`encode` for a value without floats: pydantic-core writes strings, integers, booleans,
    None, lists and string-keyed dicts as the json module does, to the byte, five times
    faster; a float it writes its own way (1e16, not 1e+16), and a lone surrogate raises."""
    return pydantic_core.to_json(value, indent=len(_INDENT)).decode()


def write_array(pieces: Iterable[str], stream: TextIO, level: int = 0) -> None:
    """An array of encoded `pieces`, `level` deep in the document, written one at a time."""
    inner = "\n" + _INDENT * (level + 1)
    opening = "["
    for piece in pieces:
        stream.write(opening + inner + piece.replace("\n", inner))
        opening = ","
    stream.write("[]" if opening == "[" else "\n" + _INDENT * level + "]")


def write_object(
    members: Iterable[tuple[str, str | Iterator[str]]], stream: TextIO, level: int = 0
) -> None:
    """An object of `members` in their order, each an encoded value or an iterator of the
    encoded elements of an array."""
    inner = "\n" + _INDENT * (level + 1)
    opening = "{"
    for name, value in members:
        stream.write(f"{opening}{inner}{encode(name)}: ")
        if isinstance(value, str):
            stream.write(value.replace("\n", inner))
        else:
            write_array(value, stream, level + 1)
        opening = ","
    stream.write("{}" if opening == "{" else "\n" + _INDENT * level + "}")

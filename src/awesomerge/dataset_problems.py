"""What is wrong with a file given to ``awesomerge validate``, in lines a person can read.

jsonschema's own messages quote the whole value at fault, so a CSL-JSON file or an array
given by mistake became one line of 170 KB. Each problem here is its JSON path and what was
expected, with any value shown cut short.
"""

from __future__ import annotations

import reprlib
from collections.abc import Iterable, Iterator
from typing import Any

import jsonschema

from awesomerge.schema import packaged_schema

_JSON_TYPES = (
    (bool, "a boolean"),
    (int, "a number"),
    (float, "a number"),
    (str, "a string"),
    (list, "an array"),
    (dict, "an object"),
)
_SHORT = reprlib.Repr()  # keyword arguments only from Python 3.12
_SHORT.maxstring = _SHORT.maxother = 60
_SHORT.maxlist = _SHORT.maxdict = 3
_SHORT.maxlevel = 2


def json_type(value: object) -> str:
    """ "an array of 57 items", "a string", "null": what a JSON value is."""
    if value is None:
        return "null"
    for kind, name in _JSON_TYPES:
        if isinstance(value, kind):
            if isinstance(value, (list, dict)):
                noun = "item" if isinstance(value, list) else "key"
                return f"{name} of {len(value)} {noun}{'s' * (len(value) != 1)}"
            return name
    return type(value).__name__


def shortened(value: object) -> str:
    """A value as Python shows it, cut short: at most about 60 characters of a string."""
    return _SHORT.repr(value)


def dataset_problems(data: object) -> Iterator[str]:
    """Every way `data` is not an awesomerge dataset, as "$.path: what" lines, in path order."""
    if not isinstance(data, dict):
        hint = ""
        if isinstance(data, list) and data and isinstance(data[0], dict) and "type" in data[0]:
            hint = " (this looks like CSL-JSON, bibliography.csl.json: validate awesomerge.json)"
        yield (
            "$: expected an object (the dataset: schema_version, sources, entries), "
            f"got {json_type(data)}{hint}"
        )
        return
    validator = jsonschema.Draft202012Validator(packaged_schema())
    errors = sorted(validator.iter_errors(data), key=lambda error: _path_order(error.path))
    for error in errors:
        yield f"{error.json_path}: {_described(error)}"


def _path_order(path: Iterable[str | int]) -> list[tuple[int, str | int]]:
    """Paths in document order: indexes by number, keys by name."""
    return [(0, part) if isinstance(part, int) else (1, str(part)) for part in path]


def _described(error: jsonschema.ValidationError) -> str:
    instance: Any = error.instance
    names = _expected_types(error)
    if names:
        wanted = " or ".join(_TYPE_NAMES.get(name, name) for name in names)
        shown = "" if instance is None else f" {shortened(instance)}"
        return f"expected {wanted}, got {json_type(instance)}{shown}"
    if error.validator in ("anyOf", "oneOf"):
        return f"{shortened(instance)} fits none of the shapes the schema allows here"
    if error.validator in ("enum", "const"):
        return f"{shortened(instance)} is not one of {shortened(error.validator_value)}"
    message = error.message
    return message if len(message) <= 200 else f"{message[:160]}… (cut short)"


def _expected_types(error: jsonschema.ValidationError) -> list[str]:
    """The JSON types a "type" error, or an "anyOf" of types ("integer or null"), wants."""
    if error.validator == "type":
        expected: Any = error.validator_value
        return [expected] if isinstance(expected, str) else list(expected)
    if error.validator in ("anyOf", "oneOf"):
        choices: Any = error.validator_value
        if all(isinstance(choice, dict) and set(choice) == {"type"} for choice in choices):
            return [str(choice["type"]) for choice in choices]
    return []


_TYPE_NAMES = {
    "object": "an object",
    "array": "an array",
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "a boolean",
    "null": "null",
}

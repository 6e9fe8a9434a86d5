"""The dataset's JSON Schema: generated from the models, shipped in the package, used to validate.

The published copy lives in ``schema/awesomerge.schema.json`` at the top of the repository and
the same file is shipped inside the package; a test keeps both equal to `generate_schema()`.
Regenerate them with ``python -m awesomerge.schema``.

The published schema is open: version 1 grows by optional fields, and a consumer of version 1
must ignore fields it does not know, so no record forbids further properties (the models do,
for the code that builds them). Fields added since version 1 was first released
(`ADDED_IN_VERSION_1`) are not required, so older datasets stay valid.
"""

from __future__ import annotations

import json
import sys
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema

from awesomerge.models import ADDED_IN_VERSION_1, SCHEMA_VERSION, Dataset

SCHEMA_FILE = "awesomerge.schema.json"
SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
#: The schema's name, for schema_version 1 and every version-1 revision of it: a UUID URN
#: (RFC 9562), which needs no web site or domain to stay valid and can name nothing else. Made
#: with ``uuid.uuid5(uuid.NAMESPACE_URL, "awesomerge dataset schema, version 1")``.
SCHEMA_ID = "urn:uuid:0ee3304c-46ab-5293-a5f9-2e564143b3c7"


def generate_schema() -> dict[str, Any]:
    """The JSON Schema of `awesomerge.json`, generated from the pydantic models, open to
    added fields."""
    schema = Dataset.model_json_schema(mode="serialization")
    _open_to_additions(schema)
    for name, added in ADDED_IN_VERSION_1.items():
        record = schema if name == Dataset.__name__ else schema["$defs"][name]
        record["required"] = [field for field in record["required"] if field not in added]
    return {
        "$schema": SCHEMA_DIALECT,
        "$id": SCHEMA_ID,
        **schema,
        "description": f"awesomerge.json, schema_version {SCHEMA_VERSION}. Fields may be added "
        "to a version: ignore those you do not know.",
    }


def _open_to_additions(schema: object) -> None:
    """Drop every ``additionalProperties: false`` (pydantic's ``extra="forbid"``) in place."""
    if isinstance(schema, dict):
        if schema.get("additionalProperties") is False:
            del schema["additionalProperties"]
        for value in schema.values():
            _open_to_additions(value)
    elif isinstance(schema, list):
        for value in schema:
            _open_to_additions(value)


def schema_text(schema: dict[str, Any] | None = None) -> str:
    return json.dumps(schema or generate_schema(), indent=2, ensure_ascii=False) + "\n"


def packaged_schema() -> dict[str, Any]:
    """The schema shipped inside the package."""
    text = resources.files("awesomerge").joinpath(SCHEMA_FILE).read_text(encoding="utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def validation_errors(data: object) -> list[str]:
    """Every way `data` breaks the schema, as 'where: what' lines; empty when it is valid."""
    validator = jsonschema.Draft202012Validator(packaged_schema())
    errors = sorted(validator.iter_errors(data), key=lambda error: list(error.absolute_path))
    return [f"{error.json_path}: {error.message}" for error in errors]


def main() -> None:
    """Write the generated schema to the package and to schema/ in the repository."""
    text = schema_text()
    package_copy = Path(__file__).with_name(SCHEMA_FILE)
    package_copy.write_text(text, encoding="utf-8")
    repository_copy = Path(__file__).parents[2] / "schema" / SCHEMA_FILE
    if repository_copy.parent.is_dir():
        repository_copy.write_text(text, encoding="utf-8")
    print(
        f"wrote {package_copy}"
        + (f" and {repository_copy}" if repository_copy.parent.is_dir() else ""),
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()

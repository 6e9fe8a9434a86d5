"""The dataset's JSON Schema: generated from the models, shipped in the package, used to validate.

The published copy lives in ``schema/awesomerge.schema.json`` at the top of the repository and
the same file is shipped inside the package; a test keeps both equal to `generate_schema()`.
Regenerate them with ``python -m awesomerge.schema``.
"""

from __future__ import annotations

import json
import sys
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema

from awesomerge.models import Dataset

SCHEMA_FILE = "awesomerge.schema.json"
SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def generate_schema() -> dict[str, Any]:
    """The JSON Schema of `awesomerge.json`, generated from the pydantic models."""
    schema = Dataset.model_json_schema(mode="serialization")
    return {"$schema": SCHEMA_DIALECT, **schema}


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

"""The ``json`` output: the dataset as ``awesomerge.json``."""

from __future__ import annotations

import json

from awesomerge.api import Collection, Output, OutputRegistrar
from awesomerge.hookspecs import hookimpl


class JsonOutput(Output):
    name = "json"
    filename = "awesomerge.json"
    description = "The canonical dataset, valid against schema/awesomerge.schema.json"

    def render(self, collection: Collection) -> str:
        data = collection.dataset.model_dump(mode="json")
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


@hookimpl
def register_outputs(register: OutputRegistrar) -> None:
    register(JsonOutput)

"""The ``json`` output: the dataset as ``awesomerge.json``."""

from __future__ import annotations

import json

from awesomerge.api import Output, OutputRegistrar
from awesomerge.hookspecs import hookimpl
from awesomerge.models import Dataset


class JsonOutput(Output):
    name = "json"
    filename = "awesomerge.json"
    description = "The canonical dataset, valid against schema/awesomerge.schema.json"

    def render(self, dataset: Dataset) -> str:
        data = dataset.model_dump(mode="json")
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


@hookimpl
def register_outputs(register: OutputRegistrar) -> None:
    register(JsonOutput)

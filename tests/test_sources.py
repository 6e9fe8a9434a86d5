"""Golden cases: each tests/data/sources/<format>/<case>.md is read by <format> and must give
<case>.json. The expected files are written by hand from the inputs; adding a case adds files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from awesomerge.document import Document
from awesomerge.plugins import Plugins

CASES = sorted((Path(__file__).parent / "data" / "sources").glob("*/*.md"))


@pytest.mark.parametrize("case", CASES, ids=lambda path: f"{path.parent.name}/{path.stem}")
def test_golden_case(case: Path, plugins: Plugins) -> None:
    source = plugins.sources[case.parent.name]
    document = Document(path=case.name, text=case.read_text(encoding="utf-8"))
    result = source.parse(document).model_dump(mode="json", exclude_defaults=True)
    expected = json.loads(case.with_suffix(".json").read_text(encoding="utf-8"))
    assert result == expected

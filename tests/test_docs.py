"""The guides are a contract: every hook is documented and tested, and the user guide and the
dataset reference say what the code does. (tests/test_tutorial.py follows the plugin tutorials.)
"""

from __future__ import annotations

import inspect
import re

import pytest

from awesomerge import hookspecs

from .conftest import ROOT

GUIDE = ROOT / "docs" / "plugins.md"


def hook_names() -> list[str]:
    return sorted(
        name
        for name, function in vars(hookspecs).items()
        if inspect.isfunction(function) and hasattr(function, "awesomerge_spec")
    )


def test_there_are_hooks() -> None:
    assert hook_names() == ["canonical_url", "register_outputs", "register_sources"]


@pytest.mark.parametrize("name", hook_names())
def test_every_hook_is_documented_with_its_signature(name: str) -> None:
    arguments = ", ".join(inspect.signature(getattr(hookspecs, name)).parameters)
    assert f"### `{name}({arguments})`" in GUIDE.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", hook_names())
def test_every_hook_has_a_test(name: str) -> None:
    tests = "\n".join(path.read_text(encoding="utf-8") for path in ROOT.glob("tests/test_*.py"))
    assert re.search(rf"^def test_hook_{name}\b", tests, re.MULTILINE), f"no test_hook_{name}"


def test_the_dataset_reference_names_every_identifier_and_kind() -> None:
    from awesomerge.identifiers import STRENGTH

    reference = (ROOT / "docs" / "dataset.md").read_text(encoding="utf-8")
    row = next(line for line in reference.splitlines() if line.startswith("| `identifiers`"))
    assert re.findall(r"`(\w+)`", row)[1:] == [kind for kind in STRENGTH]
    evidence = next(line for line in reference.splitlines() if line.startswith("| `evidence`"))
    for kind in STRENGTH:
        if kind != "youtube_playlist":  # a playlist is evidence "youtube"
            assert f"`{kind}`" in evidence, kind
    assert "`post`" in next(line for line in reference.splitlines() if line.startswith("| `kind`"))


def test_the_guide_gives_every_limit_with_its_default() -> None:
    from awesomerge.limits import Limits

    guide = (ROOT / "docs" / "user-guide.md").read_text(encoding="utf-8")
    for name, spec in Limits.model_fields.items():
        assert re.search(rf"^{name} = .*\(default {spec.default:,}\)$", guide, re.M), name

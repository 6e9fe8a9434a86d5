"""The public API is what `awesomerge.__all__` says, and nothing more by accident."""

from __future__ import annotations

import subprocess
import sys
from types import ModuleType

import awesomerge


def test_all_lists_exactly_the_public_names() -> None:
    for name in awesomerge.__all__:
        getattr(awesomerge, name)  # an exported name is imported on first use
    public = {
        name
        for name, value in vars(awesomerge).items()
        if not name.startswith("_") and not isinstance(value, ModuleType)
    }
    assert public | {"__version__"} == set(awesomerge.__all__)
    assert set(dir(awesomerge)) == set(awesomerge.__all__)


def test_every_exported_name_resolves() -> None:
    for name in awesomerge.__all__:
        assert getattr(awesomerge, name) is not None


def test_an_unknown_name_is_an_attribute_error() -> None:
    try:
        awesomerge.NoSuchThing  # type: ignore[attr-defined]  # noqa: B018
    except AttributeError as error:
        assert "NoSuchThing" in str(error)
    else:
        raise AssertionError("awesomerge.NoSuchThing resolved")


def test_starting_the_command_line_imports_no_parser_or_model() -> None:
    """What makes --help and --version fast: nothing heavy is imported before a command runs."""
    code = (
        "import sys, awesomerge, awesomerge.cli; "
        "print(sorted(m for m in ('pydantic', 'markdown_it', 'rich', 'rapidfuzz', "
        "'awesomerge.models', 'awesomerge.anatomy') if m in sys.modules))"
    )
    completed = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert completed.stdout.strip() == "[]"

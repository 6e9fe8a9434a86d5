"""The public API is what `awesomerge.__all__` says, and nothing more by accident."""

from __future__ import annotations

from types import ModuleType

import awesomerge


def test_all_lists_exactly_the_public_names() -> None:
    public = {
        name
        for name, value in vars(awesomerge).items()
        if not name.startswith("_") and not isinstance(value, ModuleType)
    }
    assert public | {"__version__"} == set(awesomerge.__all__)


def test_every_exported_name_resolves() -> None:
    for name in awesomerge.__all__:
        assert getattr(awesomerge, name) is not None

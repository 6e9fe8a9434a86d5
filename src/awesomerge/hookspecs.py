"""The hooks awesomerge calls. Implement them with ``@awesomerge.hookimpl``."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from awesomerge.api import OutputRegistrar, SourceRegistrar

hookspec = pluggy.HookspecMarker("awesomerge")
hookimpl = pluggy.HookimplMarker("awesomerge")


@hookspec
def register_sources(register: SourceRegistrar) -> None:
    """Call ``register(SourceClass)`` once for each source format this plugin provides."""


@hookspec
def register_outputs(register: OutputRegistrar) -> None:
    """Call ``register(OutputClass)`` once for each output file this plugin writes."""


@hookspec(firstresult=True)
def canonical_url(url: str) -> str | None:
    """Return the canonical URL of a page on a site this plugin knows, or None to leave it.

    Stops at first non-None result.
    """

"""awesomerge: merge curated link lists of many shapes into one deduplicated dataset.

What plugin authors use is exported here; everything else is internal and may change.
"""

import importlib as _importlib
import typing as _typing

if _typing.TYPE_CHECKING:
    __version__: str
    from awesomerge.anatomy import Hints, Reading, RoleLink, label_role, read_item
    from awesomerge.api import (
        Collection,
        Output,
        OutputRegistrar,
        PluginOptions,
        Source,
        SourceRegistrar,
    )
    from awesomerge.document import Document
    from awesomerge.errors import AwesomergeError, ConfigError, InputError, PluginError
    from awesomerge.extract import Extractor
    from awesomerge.hookspecs import hookimpl
    from awesomerge.markdown import (
        Heading,
        InlineText,
        Link,
        ListItem,
        MarkdownTree,
        Paragraph,
        TableRow,
    )
    from awesomerge.models import (
        Dataset,
        Entry,
        Item,
        Occurrence,
        ParseResult,
        ProseLink,
        RelatedLink,
        ReviewPair,
        SourceRecord,
        SourceWarning,
        UnlinkedItem,
    )

#: Where each exported name lives. They are imported on first use, so that a command that
#: needs none of them (``awesomerge --version``) starts at once.
_EXPORTS = {
    "Hints": "awesomerge.anatomy",
    "Reading": "awesomerge.anatomy",
    "RoleLink": "awesomerge.anatomy",
    "label_role": "awesomerge.anatomy",
    "read_item": "awesomerge.anatomy",
    "Collection": "awesomerge.api",
    "Output": "awesomerge.api",
    "OutputRegistrar": "awesomerge.api",
    "PluginOptions": "awesomerge.api",
    "Source": "awesomerge.api",
    "SourceRegistrar": "awesomerge.api",
    "Document": "awesomerge.document",
    "AwesomergeError": "awesomerge.errors",
    "ConfigError": "awesomerge.errors",
    "InputError": "awesomerge.errors",
    "PluginError": "awesomerge.errors",
    "Extractor": "awesomerge.extract",
    "hookimpl": "awesomerge.hookspecs",
    "Heading": "awesomerge.markdown",
    "InlineText": "awesomerge.markdown",
    "Link": "awesomerge.markdown",
    "ListItem": "awesomerge.markdown",
    "MarkdownTree": "awesomerge.markdown",
    "Paragraph": "awesomerge.markdown",
    "TableRow": "awesomerge.markdown",
    "Dataset": "awesomerge.models",
    "Entry": "awesomerge.models",
    "Item": "awesomerge.models",
    "Occurrence": "awesomerge.models",
    "ParseResult": "awesomerge.models",
    "ProseLink": "awesomerge.models",
    "RelatedLink": "awesomerge.models",
    "ReviewPair": "awesomerge.models",
    "SourceRecord": "awesomerge.models",
    "SourceWarning": "awesomerge.models",
    "UnlinkedItem": "awesomerge.models",
}


def __getattr__(name: str) -> object:
    if name == "__version__":
        # Read on first use too: importing importlib.metadata takes a while, and Ctrl-C during
        # the imports of the command's start would end it with a traceback (see __main__).
        import importlib.metadata as metadata

        try:
            version = metadata.version("awesomerge")
        except metadata.PackageNotFoundError:  # a source tree that is not installed
            version = "0.0.0"
        globals()[name] = version
        return version
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'awesomerge' has no attribute {name!r}")
    value = getattr(_importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


__all__ = [
    "AwesomergeError",
    "Collection",
    "ConfigError",
    "Dataset",
    "Document",
    "Entry",
    "Extractor",
    "Heading",
    "Hints",
    "InlineText",
    "InputError",
    "Item",
    "Link",
    "ListItem",
    "MarkdownTree",
    "Occurrence",
    "Output",
    "OutputRegistrar",
    "Paragraph",
    "ParseResult",
    "PluginError",
    "PluginOptions",
    "ProseLink",
    "Reading",
    "RelatedLink",
    "ReviewPair",
    "RoleLink",
    "Source",
    "SourceRecord",
    "SourceRegistrar",
    "SourceWarning",
    "TableRow",
    "UnlinkedItem",
    "__version__",
    "hookimpl",
    "label_role",
    "read_item",
]

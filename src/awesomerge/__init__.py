"""awesomerge: merge curated link lists of many shapes into one deduplicated dataset.

What plugin authors use is exported here; everything else is internal and may change.
"""

import importlib.metadata as _metadata

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

try:
    __version__ = _metadata.version("awesomerge")
except _metadata.PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"

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

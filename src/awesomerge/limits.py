"""The bounds that keep one odd input from hanging or swamping a build.

Every limit has a message naming the file (and the line, where there is one) and the setting
that raises it, in awesomerge.toml::

    [limits]
    file_size = 50_000_000     # bytes of one input file
    line_length = 2_000_000    # characters of one line
    files = 200_000            # input files in one build
    front_matter = 1_000_000   # characters of YAML front matter
    front_matter_values = 1_000_000  # values in it once its aliases are expanded
    nesting = 128              # levels of Markdown lists and quotes
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, PositiveInt


class Limits(BaseModel):
    """``[limits]`` of awesomerge.toml. The defaults are far above any list seen in the wild:
    the largest real lists are a few MB, with lines of a few thousand characters."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    file_size: PositiveInt = 20_000_000
    """Bytes of one input file; a larger file is rejected."""
    line_length: PositiveInt = 1_000_000
    """Characters of one line; a file with a longer line is rejected."""
    files: PositiveInt = 100_000
    """Input files in one build; more stop the build before anything is read."""
    front_matter: PositiveInt = 100_000
    """Characters of YAML front matter; larger front matter is ignored with a warning."""
    front_matter_values: PositiveInt = 100_000
    """Values in the front matter once its aliases are expanded; more, and it is ignored with
    a warning (YAML aliases can make a few lines stand for billions of values)."""
    nesting: int = Field(default=64, ge=8, le=256)
    """Levels Markdown blocks may nest: each level of a list counts two, a quote one. A list
    indented deeper is read with its deeper items as siblings at that depth; other lines nested
    deeper are read for their links only; each with a warning. At most 256, which keeps the
    parser within Python's recursion limit."""


def raise_hint(name: str) -> str:
    """How to raise the limit `name`."""
    return f"raise it with [limits] {name} = … in awesomerge.toml"

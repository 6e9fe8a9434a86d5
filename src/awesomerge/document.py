"""An input file after decoding and repair: what source plugins detect and parse.

The Markdown tree and the front matter are computed on first use and then shared, so a file is
parsed once however many plugins score it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import yaml

from awesomerge.markdown import MarkdownTree, parse_markdown
from awesomerge.models import SourceWarning


@dataclass(frozen=True)
class FrontMatter:
    """The YAML front matter of a document; `data` is empty when there is none or it is bad."""

    data: dict[str, Any] = field(default_factory=dict)
    present: bool = False
    warning: SourceWarning | None = None


class Document:
    """One decoded, repaired input file."""

    def __init__(
        self,
        path: str,
        text: str,
        sha256: str = "",
        repairs: int = 0,
        base_url: str | None = None,
    ) -> None:
        self.path = path
        self.text = text
        self.sha256 = sha256
        self.repairs = repairs
        self.base_url = base_url
        """Where relative links point; without it they are kept as written, unresolved."""

    def __repr__(self) -> str:
        return f"Document({self.path!r})"

    @cached_property
    def lines(self) -> list[str]:
        return self.text.split("\n")

    @cached_property
    def markdown(self) -> MarkdownTree:
        """The document's Markdown, parsed once."""
        return parse_markdown(self.text, base_url=self.base_url)

    @cached_property
    def front_matter(self) -> FrontMatter:
        """The YAML front matter, parsed; bad YAML gives a warning with its line, not an error."""
        raw = self.markdown.front_matter
        if raw is None:
            return FrontMatter()
        try:
            data = yaml.safe_load(raw)
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            # The front matter starts after the opening '---' on line 1.
            line = mark.line + 2 if mark is not None else 1
            problem = getattr(error, "problem", None) or str(error).splitlines()[0]
            message = f"front matter is not valid YAML ({problem}); it was ignored"
            return FrontMatter(present=True, warning=SourceWarning(message=message, line=line))
        if data is None:
            return FrontMatter(present=True)
        if not isinstance(data, dict):
            message = "front matter is not a YAML mapping of keys to values; it was ignored"
            return FrontMatter(present=True, warning=SourceWarning(message=message, line=1))
        return FrontMatter(data=_json_safe(data), present=True)


def _json_safe(value: Any) -> Any:
    """Turn YAML values (dates, sets, bytes) into what JSON can hold, keeping their meaning."""
    if isinstance(value, dict):
        return {str(key): _json_safe(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_json_safe(item) for item in value]
    if isinstance(value, set | frozenset):
        return sorted(str(item) for item in value)
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return value

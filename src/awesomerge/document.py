"""An input file after decoding and repair: what source plugins detect and parse.

The Markdown tree and the front matter are computed on first use and then shared, so a file is
parsed once however many plugins score it.
"""

from __future__ import annotations

import datetime
import math
import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import yaml

from awesomerge.limits import Limits, raise_hint
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
        limits: Limits | None = None,
    ) -> None:
        self.path = path
        self.text = text
        self.sha256 = sha256
        self.repairs = repairs
        self.base_url = base_url
        """Where relative links point; without it they are kept as written, unresolved."""
        self.limits = limits if limits is not None else Limits()

    def __repr__(self) -> str:
        return f"Document({self.path!r})"

    @cached_property
    def lines(self) -> list[str]:
        return self.text.split("\n")

    @cached_property
    def markdown(self) -> MarkdownTree:
        """The document's Markdown, parsed once."""
        return parse_markdown(self.text, base_url=self.base_url, nesting=self.limits.nesting)

    @cached_property
    def front_matter(self) -> FrontMatter:
        """The YAML front matter, parsed; bad YAML gives a warning with its line, not an error."""
        raw = self.markdown.front_matter
        if raw is None:
            return FrontMatter()
        limits = self.limits
        if len(raw) > limits.front_matter:
            message = (
                f"front matter of {len(raw):,} characters, over the limit of "
                f"{limits.front_matter:,}; it was ignored ({raise_hint('front_matter')})"
            )
            return FrontMatter(present=True, warning=SourceWarning(message=message, line=1))
        try:
            data = yaml.load(raw, Loader=_Loader)
        except RecursionError:
            message = "front matter nested too deeply to read; it was ignored"
            return FrontMatter(present=True, warning=SourceWarning(message=message, line=1))
        except (ValueError, TypeError, OverflowError) as error:
            message = f"front matter holds a value that cannot be read ({error}); it was ignored"
            return FrontMatter(present=True, warning=SourceWarning(message=message, line=1))
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
        try:
            safe = _JsonSafe(limits.front_matter_values).convert(data)
        except RecursionError:
            message = "front matter nested too deeply to read; it was ignored"
            return FrontMatter(present=True, warning=SourceWarning(message=message, line=1))
        except _TooMany as error:
            message = f"front matter {error}; it was ignored"
            return FrontMatter(present=True, warning=SourceWarning(message=message, line=1))
        return FrontMatter(data=safe, present=True)


class _Loader(yaml.SafeLoader):
    """Safe YAML, keeping as written the numbers JSON and Python's own printing cannot hold:
    an integer longer than a 64-bit one, an infinite float or not a number."""


def _integer(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> int | str:
    if len(node.value) > 18:
        return str(node.value)
    return int(yaml.SafeLoader.construct_yaml_int(loader, node))


def _real(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> float | str:
    value = yaml.SafeLoader.construct_yaml_float(loader, node)
    return value if math.isfinite(value) else str(node.value)


def _moment(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    """A date or time, or the text as written when it is not a real one (2020-13-45)."""
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except (ValueError, OverflowError):
        return str(node.value)


_Loader.add_constructor("tag:yaml.org,2002:int", _integer)
_Loader.add_constructor("tag:yaml.org,2002:float", _real)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _moment)

#: Halves of UTF-16 pairs, which YAML's escapes can write alone and no UTF-8 file can hold.
_SURROGATE = re.compile("[\ud800-\udfff]")


class _TooMany(Exception):
    """The front matter stands for more values than the limit, or refers to itself."""


class _JsonSafe:
    """Turn YAML values (dates, sets, bytes) into what JSON can hold, keeping their meaning.

    YAML aliases let a value appear many times and even inside itself: every value is counted
    as it is copied, so that a few lines of aliases cannot stand for billions of values.
    """

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self.left = budget
        self.open: set[int] = set()

    def convert(self, value: Any) -> Any:
        self.left -= 1
        if self.left < 0:
            raise _TooMany(
                f"stands for more than {self.budget:,} values once its aliases are expanded "
                f"({raise_hint('front_matter_values')})"
            )
        if isinstance(value, dict | list | tuple):
            if id(value) in self.open:
                raise _TooMany("holds itself (a YAML alias inside its own anchor)")
            self.open.add(id(value))
            try:
                if isinstance(value, dict):
                    return {
                        self.convert(str(key)): self.convert(item) for key, item in value.items()
                    }
                return [self.convert(item) for item in value]
            finally:
                self.open.discard(id(value))
        if isinstance(value, set | frozenset):
            return sorted(str(item) for item in value)
        if isinstance(value, datetime.date | datetime.datetime):
            return value.isoformat()
        if isinstance(value, bytes):
            return value.decode("utf-8", errors="replace")
        if isinstance(value, str):
            return _SURROGATE.sub("\ufffd", value)
        return value

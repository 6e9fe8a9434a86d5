"""Markdown text for README.md that reads as written and that awesome-lint accepts.

Every piece of list text (titles, descriptions, authors, section names) goes through `inline`,
so none of it can open a link, an image, emphasis, HTML or a heading, on GitHub (cmark-gfm), in
remark (awesome-lint), in markdown-it (awesomerge reading the README back) or in pandoc:

* Markdown punctuation is backslash-escaped (``\\ ` * _ [ ] < > & ~ | $ #``), and so is what
  pandoc's Markdown reads as more: attributes (``{…}``, which would give a heading or a code span
  an ``onclick``), superscripts (``^``) and citations (``@``);
* a word that an autolinker would turn into a link (``https://…``, ``www.…``, ``a@b.org``,
  ``mailto:…``) is shown in a code span: escaping does not stop GitHub's and remark's
  autolinkers, which read the text after escapes are resolved;
* characters awesome-lint's prose rules reject, but that the lists wrote, are also shown
  verbatim in code spans: a run of repeated ``!?,~`` (no-repeat-punctuation) and, in a text whose
  quotes or CJK brackets do not pair up, those quote characters (balanced-punctuation). Code
  spans are outside both rules, and the text keeps every character it had;
* control characters, lone surrogates and bidirectional overrides are dropped, and whitespace
  (newlines too) collapses to one space, so a text stays on its line and cannot reorder the
  rest of it.

review.md writes its text with these functions too.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote, urlsplit

from awesomerge.outputs.link_targets import link_target
from awesomerge.urls import is_web_url

_WHITESPACE = re.compile(r"\s+")
# Controls (Unicode category Cc), lone surrogates (Cs) and the bidirectional overrides.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069]")
_ESCAPES = str.maketrans({char: "\\" + char for char in "\\`*_[]<>&~|$#{}^@"})
_LINK_LIKE = re.compile(r"//|www\.|mailto:|xmpp:|[\w+.-]@[\w-]+\.[\w-]", re.IGNORECASE)
_OPENING_MARKS = "([{<\"'“‘"
_CLOSING_MARKS = ".,:;!?)]}>\"'”’"
_REPEATED = re.compile(r"([!~,·?！～，？])\1+")
_OPENERS = {"“": "”", "‘": "’", "『": "』", "（": "）", "《": "》", "「": "」", "【": "】"}
_CLOSERS = {close: open_ for open_, close in _OPENERS.items()}
_QUOTES = frozenset('"') | _OPENERS.keys() | _CLOSERS.keys()
_AFTER_APOSTROPHE = frozenset(".,;:!?()[]{}\"“”'’—–")
_HEADING_END = " !,.:;?"
_SMALL_WORDS = re.compile(
    r"a|an|and|as|at|but|by|for|from|in|into|nor|of|on|or|per|the|to|via|vs\.?|with"
)
_WORD_START = re.compile(r"(^\W*|[-/])(\w)")
_RESERVED_HEADINGS = frozenset(
    ["contents", "contributing", "footnotes", "related lists", "license", "licence"]
)
_VALID_CASE = re.compile(r"[A-Z][A-Za-z0-9]*|[A-Z0-9_]+|[a-z][a-z0-9]*[A-Z][A-Za-z0-9]*")
_WORD_SEPARATORS = re.compile(r"[- ;./']")
_CIRCLED_LETTERS = ((0x24B6, 0x24E9), (0x1F130, 0x1F149), (0x1F150, 0x1F169), (0x1F170, 0x1F189))
_MAX_REPEAT = re.compile(r"`+")


def clean(text: str) -> str:
    """One line of printable text: whitespace collapsed, controls and bidi overrides dropped."""
    return _UNPRINTABLE.sub("", _WHITESPACE.sub(" ", text).strip())


def inline(text: str) -> str:
    """Markdown that shows `text` as written, and nothing else (see the module docstring)."""
    text = clean(text)
    spans = _verbatim_spans(text)
    if not spans:
        return _escape(text)
    parts: list[str] = []
    position = 0
    for start, end in spans:
        parts.append(_escape(text[position:start]))
        parts.append(code_span(text[start:end]))
        position = end
    parts.append(_escape(text[position:]))
    return "".join(parts)


def code_span(text: str) -> str:
    """A code span showing `text` verbatim, whatever backticks it holds."""
    longest = max((len(run) for run in _MAX_REPEAT.findall(text)), default=0)
    fence = "`" * (longest + 1)
    padding = " " if text.startswith(("`", " ")) or text.endswith(("`", " ")) else ""
    return f"{fence}{padding}{text}{padding}{fence}"


def _escape(text: str) -> str:
    return text.translate(_ESCAPES)


def _verbatim_spans(text: str) -> list[tuple[int, int]]:
    """Where `text` must be shown in code spans: sorted, and merged where they touch."""
    spans = _link_spans(text)
    spans += [match.span() for match in _REPEATED.finditer(text) if _outside(match.start(), spans)]
    if not quotes_balance(_outside_spans(text, spans)):
        spans += [
            (index, index + 1)
            for index, char in enumerate(text)
            if char in _QUOTES
            and not (char in "’'" and _is_apostrophe(text, index))
            and _outside(index, spans)
        ]
    return _merged(spans)


def _link_spans(text: str) -> list[tuple[int, int]]:
    """The spans of the words an autolinker would link; a link-like word makes the whole text
    link-like, so most texts are done with one search."""
    if not _LINK_LIKE.search(text):
        return []
    return [
        _trimmed(match.start(), match[0])
        for match in re.finditer(r"\S+", text)
        if _LINK_LIKE.search(match[0])
    ]


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The spans sorted, and merged where they overlap or touch."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _outside_spans(text: str, spans: list[tuple[int, int]]) -> str:
    """The characters of `text` that no span covers."""
    parts, position = [], 0
    for start, end in _merged(spans):
        parts.append(text[position:start])
        position = end
    parts.append(text[position:])
    return "".join(parts)


def _trimmed(start: int, word: str) -> tuple[int, int]:
    """The span of the address in a word: without the brackets, quotes and punctuation
    around it, which stay ordinary text, as autolinkers leave them out of a link too."""
    core = word.lstrip(_OPENING_MARKS)
    while (
        core
        and core[-1] in _CLOSING_MARKS
        and (core[-1] != ")" or core.count(")") > core.count("("))
    ):
        core = core[:-1]
    if not _LINK_LIKE.search(core):
        return (start, start + len(word))
    begin = start + len(word) - len(word.lstrip(_OPENING_MARKS))
    return (begin, begin + len(core))


def _outside(index: int, spans: list[tuple[int, int]]) -> bool:
    return all(not start <= index < end for start, end in spans)


def quotes_balance(text: str) -> bool:
    """Whether awesome-lint's balanced-punctuation rule accepts the quotes of `text`."""
    if _QUOTES.isdisjoint(text):  # most texts: no quote to pair, and the rest only apostrophes
        return True
    stack: list[str] = []
    for index, char in enumerate(text):
        if char in "’'" and _is_apostrophe(text, index):
            continue
        if char == '"':
            if stack and stack[-1] == '"':
                stack.pop()
            elif '"' in stack:
                return False
            else:
                stack.append('"')
        elif char in _OPENERS:
            stack.append(char)
        elif char in _CLOSERS:
            if _CLOSERS[char] not in stack:
                return False
            del stack[len(stack) - 1 - stack[::-1].index(_CLOSERS[char])]
    return not stack


def _is_apostrophe(text: str, index: int) -> bool:
    before = text[index - 1] if index > 0 else ""
    after = text[index + 1] if index + 1 < len(text) else ""
    if not _is_word_char(before):
        return False
    return not after or _is_word_char(after) or after.isspace() or after in _AFTER_APOSTROPHE


def _is_word_char(char: str) -> bool:
    return bool(char) and (char == "_" or unicodedata.category(char)[0] in "LN")


# Headings.


def heading_name(text: str) -> str:
    """A section name as a heading: title case, no closing punctuation, not a name awesome-lint
    reserves (Contents, License, Contributing...): those get " Links" added."""
    name = title_case(clean(text).rstrip(_HEADING_END)) or "Untitled"
    return f"{name} Links" if name.casefold() in _RESERVED_HEADINGS else name


def title_case(text: str) -> str:
    """Capitalise each word but the small ones; a word with a capital already is left alone."""
    words = text.split(" ")
    last = len(words) - 1
    return " ".join(
        word
        if any(char.isupper() for char in word)
        or (0 < index < last and _SMALL_WORDS.fullmatch(word.casefold()))
        else _WORD_START.sub(lambda match: match[1] + match[2].upper(), word)
        for index, word in enumerate(words)
    )


class Slugger:
    """GitHub's heading anchors, as github-slugger 2 (used by awesome-lint) makes them."""

    def __init__(self) -> None:
        self.seen: dict[str, int] = {}

    def slug(self, heading: str) -> str:
        base = "".join(
            char for char in heading.replace("\ufe0f", "").lower() if _kept_in_slug(char)
        ).replace(" ", "-")
        result = base
        while result in self.seen:
            self.seen[base] += 1
            result = f"{base}-{self.seen[base]}"
        self.seen[result] = 0
        return result


def _kept_in_slug(char: str) -> bool:
    if char in " -":
        return True
    category = unicodedata.category(char)
    code = ord(char)
    return (
        category[0] in "LM"
        or category in ("Nd", "Nl", "Pc")
        or any(low <= code <= high for low, high in _CIRCLED_LETTERS)
    )


# Links and list-item descriptions.


def is_linkable(url: str) -> bool:
    """An absolute http(s) URL with a host: the only URLs that become links (without the
    invisible characters `link_target` drops)."""
    url = link_target(url)
    if not is_web_url(url):
        return False
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return False
    return bool(host) and not _UNPRINTABLE.search(url)


def destination(url: str) -> str:
    """A link destination for `url`: its `link_target`, whitespace percent-encoded, and in
    ``<...>`` when it holds parentheses or other characters that would end a plain destination."""
    url = _WHITESPACE.sub(_percent_encoded, link_target(url))
    if any(char in url for char in "()<>\\"):
        return "<" + re.sub(r"([<>\\])", r"\\\1", url) + ">"
    return url


def _percent_encoded(match: re.Match[str]) -> str:
    return "".join(map(quote, match[0]))


def starts_with_valid_casing(text: str) -> bool:
    """Whether awesome-lint's awesome-list-item rule accepts how a description begins.

    A cautious copy of the rule: it may refuse a text the rule accepts, never the reverse.
    """
    words = [word for word in _WORD_SEPARATORS.split(text) if word]
    if not words:
        return False
    if text.strip()[:1] in ("/", "@", "#", "$", "~", "&", "%"):
        return True
    first = words[0]
    if not _has_case(first):
        return True
    cleaned = re.sub(r"[^A-Za-z0-9_]+", "", first)
    return bool(_VALID_CASE.fullmatch(cleaned) or re.search(r"\d", first))


def _has_case(word: str) -> bool:
    """Whether the rule checks the word's case: when it starts with a Latin letter, or holds a
    Greek or Cyrillic one. Not for CJK, Arabic, emoji, digits or punctuation."""
    first, category = word[0], unicodedata.category(word[0])
    other_script = category == "Lo" and "LATIN" not in unicodedata.name(first, "")
    latin = (category[0] == "L" and not other_script) or category == "Nl" or first in "ªº"
    names = [unicodedata.name(char, "") for char in word]
    return latin or any("GREEK" in name or "CYRILLIC" in name for name in names)


def capitalise(text: str) -> str:
    """The text with its first letter in capitals, unless its first word mixes cases (iPhone)."""
    first_word = text.split(" ", 1)[0]
    mixed_case = any(char.isupper() for char in first_word)
    if text[:1].islower() and not mixed_case and not _LINK_LIKE.search(first_word):
        return text[0].upper() + text[1:]
    return text

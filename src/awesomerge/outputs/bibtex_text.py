"""Text for ``bibliography.bib``: field escaping, case protection, and the words keys are made of.

Two classes of field (research/bibtex.md §7.4):

* verbatim fields (``url``, ``doi``, ``eprint``) are never LaTeX-escaped: biber and the url
  package read them as they are. Only what TeX cannot carry inside a braced value is
  percent-encoded: braces, backslash, spaces and control characters, and non-ASCII.
* text fields (title, names, howpublished, notes) escape every TeX special character, so that
  no title can open a group, end a field, start a comment or switch to math. The only braces in
  a text field are the ones written here, balanced by construction.

Non-ASCII text, in the ``bibtex`` dialect (pure ASCII): accented Latin letters become braced
accents (é → ``{\\'e}``), typographic quotes and dashes TeX ligatures, Greek letters math. Only
commands of LaTeX's default OT1 encoding are used: an accent OT1 lacks (ogonek, horn) is
dropped, leaving the letter. Emoji and other pictographs are dropped everywhere: they decorate,
they do not name. A run of letters of a script LaTeX cannot write without extra packages (CJK,
Cyrillic, Arabic...) becomes one ``?``, so a reader sees that something is missing; the
``biblatex`` dialect (UTF-8) keeps them.

Citation keys (research/bibtex.md §7.3) are made of ASCII-folded words: a surname, a site's
name, the first title word that is not a function word; ``unique_keys`` settles clashes.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from functools import cache
from itertools import count, product
from string import ascii_lowercase

_TEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    # A bracket would end natbib's \bibitem[label] early: a group hides it.
    "[": "{[}",
    "]": "{]}",
    # OT1 fonts print these three as other glyphs (¡, ¿, —).
    "<": r"\textless{}",
    ">": r"\textgreater{}",
    "|": r"\textbar{}",
}
_TEX_TABLE = str.maketrans(_TEX_SPECIALS)
# Braced where BibTeX's case changing must leave them alone; none needs the TS1 font encoding.
_ASCII_FORMS = {
    "ß": r"{\ss}", "æ": r"{\ae}", "Æ": r"{\AE}", "œ": r"{\oe}", "Œ": r"{\OE}",
    "ø": r"{\o}", "Ø": r"{\O}", "ł": r"{\l}", "Ł": r"{\L}", "å": r"{\aa}", "Å": r"{\AA}",
    "ı": r"{\i}", "ȷ": r"{\j}", "ð": "d", "Ð": "D", "đ": "d", "Đ": "D",
    "þ": "th", "Þ": "Th", "ŋ": "ng", "Ŋ": "Ng",
    "‘": "`", "’": "'", "‚": ",", "“": "``", "”": "''", "„": ",,", "«": "``", "»": "''",
    "‹": "`", "›": "'", "´": "'", "ʼ": "'", "‐": "-", "‑": "-", "‒": "--", "–": "--",
    "—": "---", "―": "---",
    "−": "-", "…": r"\ldots{}", "•": r"{$\bullet$}", "·": r"{$\cdot$}", "£": r"{\pounds}",
    "€": "EUR", "©": r"{\copyright}", "®": "(R)", "™": "(TM)", "§": r"{\S}", "¶": r"{\P}",
    "†": r"{\dag}", "‡": r"{\ddag}", "°": r"{$^\circ$}", "×": r"{$\times$}", "÷": r"{$\div$}",
    "±": r"{$\pm$}", "≤": r"{$\leq$}", "≥": r"{$\geq$}", "≠": r"{$\neq$}", "≈": r"{$\approx$}",
    "→": r"{$\rightarrow$}", "←": r"{$\leftarrow$}", "↔": r"{$\leftrightarrow$}",
    "⇒": r"{$\Rightarrow$}", "∞": r"{$\infty$}", "µ": r"{$\mu$}", "¿": "?`", "¡": "!`",
}  # fmt: skip
_GREEK = (
    "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa",
    "lambda", "mu", "nu", "xi", "omicron", "pi", "rho", "sigma", "tau", "upsilon", "phi", "chi",
    "psi", "omega",
)  # fmt: skip
_GREEK_CAPITALS_OF_THEIR_OWN = frozenset(
    {"Gamma", "Delta", "Theta", "Lambda", "Xi", "Pi", "Sigma", "Upsilon", "Phi", "Psi", "Omega"}
)
_LATIN_LOOKALIKES = dict(zip("ΑΒΕΖΗΙΚΜΝΟΡΤΧ", "ABEZHIKMNOPTX", strict=True))
_ACCENTS = {
    "\u0300": "`", "\u0301": "'", "\u0302": "^", "\u0303": "~", "\u0304": "=", "\u0306": "u",
    "\u0307": ".", "\u0308": '"', "\u030a": "r", "\u030b": "H", "\u030c": "v", "\u0323": "d",
    "\u0327": "c", "\u0331": "b",
}  # fmt: skip
_ACCENTS_BELOW = frozenset({"d", "c", "b"})
_KEY_FOLDS = str.maketrans(
    {"ß": "ss", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "ø": "o", "Ø": "o", "ł": "l",
     "Ł": "l", "đ": "d", "Đ": "d", "ð": "d", "Ð": "d", "þ": "th", "Þ": "th", "ı": "i"}
)  # fmt: skip
# Sites where each user has a subdomain: the user, not the host, names the site in a key.
USER_SUBDOMAIN_HOSTS = (
    "github.io", "gitlab.io", "substack.com", "medium.com", "notion.site", "blogspot.com",
    "wordpress.com", "netlify.app", "vercel.app", "pages.dev",
)  # fmt: skip
_SECOND_LEVELS = {"ac", "co", "com", "edu", "gov", "net", "org"}
# Function words (English, a few Romance and German): a key takes a word that means something.
_SKIP_WORDS = frozenset({
    "a", "an", "the", "of", "and", "or", "but", "nor", "for", "so", "yet", "to", "in", "on", "at",
    "by", "from", "with", "without", "into", "onto", "upon", "over", "under", "about", "above",
    "after", "before", "against", "among", "around", "as", "via", "vs", "versus", "is", "are",
    "was", "were", "be", "been", "being", "it", "its", "this", "that", "these", "those", "what",
    "which", "who", "whom", "whose", "why", "how", "when", "where", "do", "does", "did", "can",
    "could", "will", "would", "should", "shall", "may", "might", "must", "not", "no", "your",
    "you", "our", "we", "my", "me", "he", "she", "they", "them", "his", "her", "their", "there",
    "here", "than", "then", "up", "out", "off", "down", "if", "lets", "all", "some", "any", "de",
    "der", "die", "das", "den", "dem", "des", "la", "le", "les", "el", "los", "las", "lo", "un",
    "une", "una", "uno", "del", "al", "di", "da", "du", "von", "van", "zu", "und", "et", "y",
    "http", "https", "www", "let",
})  # fmt: skip
_NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
_TITLE_WORD_SEPARATORS = re.compile(r"[\s\u2013\u2014/.:;,!?()\[\]{}\"|]+")
_LEADING = "([{<\"'‘“«"
_TRAILING = ".,:;!?)]}>\"'’”»"
_POSSESSIVE = re.compile(r"['’]s$")
_VARIATION_SELECTOR = re.compile("[\ufe00-\ufe0f\U000e0100-\U000e01ef]")
_CODE_LIKE = re.compile(r"[A-Za-z0-9][./_\\@:+#][A-Za-z0-9]")
_WORD_PARTS = re.compile(r"[-/]")
# What a verbatim value cannot carry: braces, backslash, space and controls, and non-ASCII.
_NOT_VERBATIM = re.compile(r"[{}\\\x00-\x20\x7f-\U0010ffff]+")


def _greek_forms() -> dict[str, str]:
    forms: dict[str, str] = {}
    for offset, name in enumerate(_GREEK):
        lower = chr(0x3B1 + offset + (offset >= 17))  # no code point for a capital final sigma
        forms[lower] = "o" if name == "omicron" else rf"{{$\{name}$}}"
        capital = chr(ord(lower) - 0x20)
        title = name.capitalize()
        forms[capital] = (
            rf"{{$\{title}$}}"
            if title in _GREEK_CAPITALS_OF_THEIR_OWN
            else _LATIN_LOOKALIKES.get(capital, capital)
        )
    forms["ς"] = r"{$\varsigma$}"
    return forms


_ASCII_FORMS.update(_greek_forms())


class _Forms(dict[int, str]):
    """A `str.translate` table that works a character's form out the first time it meets it:
    texts share few distinct characters, and most are ASCII."""

    def __init__(self, form: Callable[[str], str]) -> None:
        super().__init__()
        self._form = form

    def __missing__(self, code: int) -> str:
        form = self[code] = self._form(chr(code))
        return form


def clean_text(text: str) -> str:
    """One line of visible text: NFC, whitespace collapsed, controls and pictographs dropped."""
    return " ".join(unicodedata.normalize("NFC", text).translate(_CLEAN_FORMS).split())


def _clean_form(char: str) -> str:
    """A space for a space or line break, nothing for what is not visible, else the character."""
    category = unicodedata.category(char)
    if category[0] == "Z" or char in "\t\n\r\f\v":
        return " "
    if category in ("Cc", "Cf", "Co", "Cs", "Cn", "Me") or _is_decoration(char):
        return ""
    return char


_CLEAN_FORMS = _Forms(_clean_form)


def _is_decoration(char: str) -> bool:
    """Emoji, skin tones, flags and the variation selectors that pick emoji presentation."""
    if char < "\x80" or char in _ASCII_FORMS:
        return False
    return unicodedata.category(char) in ("So", "Sk") or _VARIATION_SELECTOR.match(char) is not None


def latex_text(text: str, ascii_only: bool) -> str:
    """A text field: every TeX special escaped; in the ASCII dialect, non-ASCII as LaTeX."""
    return _escape(clean_text(text), ascii_only)


def latex_title(text: str, ascii_only: bool) -> str:
    """A title: escaped, with acronyms and code-like words braced against case changes."""
    return " ".join(_title_word(word, ascii_only) for word in clean_text(text).split(" ") if word)


def _title_word(word: str, ascii_only: bool) -> str:
    lead_end = len(word) - len(word.lstrip(_LEADING))
    lead, rest = word[:lead_end], word[lead_end:]
    core = rest.rstrip(_TRAILING)
    possessive = _POSSESSIVE.search(core)
    if possessive:
        core = core[: possessive.start()]
    trail = rest[len(core) :]
    escaped = _escape(core, ascii_only)
    if core and needs_protection(core):
        # A group that starts with a backslash is a BibTeX "special character", which BibTeX
        # lower-cases: a second pair of braces protects it.
        escaped = f"{{{{{escaped}}}}}" if escaped.startswith("\\") else f"{{{escaped}}}"
    return _escape(lead, ascii_only) + escaped + _escape(trail, ascii_only)


def needs_protection(word: str) -> bool:
    """Whether a title word keeps its case: BERT, GPT-4, LLaMA, word2vec, llama.cpp, a/b."""
    if word.isascii() and word.isalpha():  # most words: only a capital after the first says so
        return len(word) > 1 and not word[1:].islower()
    if not any(char.isalnum() for char in word):
        return False
    if any(char.isalpha() for char in word) and _CODE_LIKE.search(word):
        return True
    for part in _WORD_PARTS.split(word):
        if any(char.isupper() for char in part[1:]):
            return True
        if any(char.isalpha() for char in part) and any(char.isdigit() for char in part):
            return True
    return False


def _escape(text: str, ascii_only: bool) -> str:
    if not ascii_only or text.isascii():  # then every character is written, as one form each
        return text.translate(_TEX_TABLE)
    out: list[str] = []
    in_unwritable_run = False
    for char in text:
        form = _char_form(char, ascii_only)
        if form is None:
            if not in_unwritable_run:
                out.append("?")
            in_unwritable_run = True
            continue
        in_unwritable_run = False
        out.append(form)
    return "".join(out)


@cache
def _char_form(char: str, ascii_only: bool) -> str | None:
    """How one character is written, or None when the ASCII dialect cannot write it."""
    if char in _TEX_SPECIALS:
        return _TEX_SPECIALS[char]
    if char < "\x80" or not ascii_only:
        return char
    if char in _ASCII_FORMS:
        return _ASCII_FORMS[char]
    accented = _accented_letter(char)
    if accented is not None:
        return accented
    compatible = unicodedata.normalize("NFKC", char)
    if compatible != char:
        forms = [_char_form(part, ascii_only) for part in compatible]
        if all(form is not None for form in forms):
            return "".join(form for form in forms if form is not None)
    return None


def _accented_letter(char: str) -> str | None:
    """A Latin letter with one braced LaTeX accent: {\\'e}, {\\c c}.

    A letter with two accents (Vietnamese ệ) keeps the one above it: biber cannot decode nested
    accents back into a character pdflatex reads. Accents OT1 lacks (ogonek, horn) are dropped.
    """
    decomposed = unicodedata.normalize("NFD", char)
    base, marks = decomposed[0], decomposed[1:]
    if not marks or not ("a" <= base.lower() <= "z"):
        return None
    commands = [_ACCENTS[mark] for mark in marks if mark in _ACCENTS]
    if not commands:
        return base
    above = [command for command in commands if command not in _ACCENTS_BELOW]
    command = (above or commands)[0]
    return f"{{\\{command} {base}}}" if command.isalpha() else f"{{\\{command}{base}}}"


def verbatim(value: str) -> str:
    """A url, doi or eprint value: raw, except what TeX cannot carry, percent-encoded."""
    return _NOT_VERBATIM.sub(_percent_encoded, value.strip())


def _percent_encoded(match: re.Match[str]) -> str:
    encoded = match[0].encode("utf-8", "surrogatepass")
    return "".join(f"%{byte:02X}" for byte in encoded)


# Citation-key words (research/bibtex.md §7.3).


def fold_to_key(text: str) -> str:
    """Lower-case ASCII letters and digits only, accents folded: for citation keys."""
    folded = unicodedata.normalize("NFKD", text.translate(_KEY_FOLDS))
    return "".join(char for char in folded.lower() if "a" <= char <= "z" or "0" <= char <= "9")


def is_corporate(name: str) -> bool:
    """Organisations ("Hedu AI"), and names BibTeX would split or misread: commas, "and"."""
    words = name.split()
    if "," in name or re.search(r"\b(and|others)\b", name, re.IGNORECASE):
        return True
    last = words[-1]
    return len(words) > 1 and last.isalpha() and last.isupper() and len(last) >= 2


def site_token(host: str) -> str:
    """The label that names a site: nytimes for www.nytimes.com, jalammar for jalammar.github.io."""
    labels = [label for label in host.split(".") if label]
    if not labels or labels[-1].isdigit() or ":" in host:
        return ""
    for suffix in USER_SUBDOMAIN_HOSTS:
        depth = suffix.count(".") + 2  # the user's label, then the suffix's labels
        if host.endswith("." + suffix) and len(labels) >= depth:
            return labels[-depth]
    if len(labels) >= 3 and labels[-2] in _SECOND_LEVELS and len(labels[-1]) == 2:
        return labels[-3]
    return labels[-2] if len(labels) >= 2 else labels[0]


def surname(name: str) -> str:
    """The family name of "Given Family" (BibTeX's reading), or an organisation's whole name."""
    if not name or is_corporate(name):
        return name
    words = [word for word in name.split() if fold_to_key(word) not in _NAME_SUFFIXES]
    return words[-1] if words else name


def title_word(title: str, author: str = "") -> str:
    """The first title word that means something: attention, for "Attention Is All You Need".

    A word that only repeats the key's author is skipped: tiktoken, not openai, for the
    repository "openai/tiktoken" of the account openai.
    """
    numbers = []
    for raw in _TITLE_WORD_SEPARATORS.split(clean_text(title)):
        word = fold_to_key(_POSSESSIVE.sub("", raw))
        if len(word) < 2 or word in _SKIP_WORDS or (author and word == author):
            continue
        if word.isdigit():
            numbers.append(word)
            continue
        return word
    return numbers[0] if numbers else ""


def join_key(author: str, year: int | None, word: str) -> str:
    """surname + year + word, or surname_word without a year; never starting with a digit."""
    author = author or "anon"
    without_year = f"{author}_{word}" if word else author
    key = f"{author}{year}{word}" if year is not None else without_year
    return "x" + key if key[0].isdigit() else key


def unique_keys(
    bases: Sequence[str],
    tie_breaks: Sequence[tuple[str, ...]],
    reserved: frozenset[str] = frozenset(),
) -> list[str]:
    """The keys made unique: in each group of equal keys, the entry first by its tie-break
    (its id) keeps the key, the others get a, b, ... z, aa..., skipping every key in use.

    A key in `reserved` (given to another entry by an earlier build) is never taken: every
    entry of its group gets a suffix."""
    taken = set(bases) | reserved
    keys = list(bases)
    groups: dict[str, list[int]] = {}
    for position, base in enumerate(bases):
        groups.setdefault(base, []).append(position)
    for base in sorted(groups):
        members = sorted(groups[base], key=lambda position: tie_breaks[position])
        suffixes = _suffixes()
        for position in members[1:] if base not in reserved else members:
            candidate = base + next(suffixes)
            while candidate in taken:
                candidate = base + next(suffixes)
            taken.add(candidate)
            keys[position] = candidate
    return keys


def _suffixes() -> Iterator[str]:
    for length in count(1):
        for letters in product(ascii_lowercase, repeat=length):
            yield "".join(letters)

"""Titles as evidence: normalised keys, whether a title says enough, and how two compare.

In link lists titles are weak evidence: "X Summary", "X explained", a talk named like its paper,
"Attention Is Not All You Need" all look like X. So a title alone merges two entries only when
both titles are informative and say the same words; near misses go to the curator's review.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from rapidfuzz import fuzz

from awesomerge.memo import cached

_ARXIV_PREFIX = re.compile(r"^\s*\[\s*(?:arxiv:)?[\w./-]*\d[\w./-]*\s*\]\s*", re.IGNORECASE)
# What a list adds around a title that is not the title: "12. ", "(2018)", "by Jane Doe".
_NUMBERING = re.compile(r"^\s*(?:\d{1,3}[.)]\s+|\[\d{1,3}\]\s*|#\d{1,3}\s+)")
#: A year after the title, alone or after a venue's name (an acronym, with a word after it):
#: "(2021)", ", 2021", "[CVPR 2021]", "(NeurIPS 2020)", "(ACL Findings 2022)".
#: The venue's name has two capitals: the first run after the initial is of small letters only,
#: so that the name splits one way (two free runs of letters split a long word every way).
#: The pattern starts where a run of spaces does, so that a long run is read once.
_YEAR_AFTER = re.compile(
    r"(?:(?<!\s)\s*[(\[]\s*(?:[A-Z][a-z]*[A-Z][A-Za-z]*(?:\s+[A-Z][a-z]+)?[\s'’-]*)?"
    r"(?:19|20)\d{2}[a-z]?\s*[)\]]|,\s*(?:19|20)\d{2})\s*\.?\s*$"
)
_BY_NAMES = re.compile(
    r"(?<!\s)(?:\s*(?P<mark>,|\()\s*|\s+(?P<dash>[–—-])\s+|\s+)by\s+"
    r"(?P<names>(?:[A-Z][\w'’.-]*\.?(?:\s+|(?=\)?\s*$))){1,4}"
    r"(?:(?:and|&)\s+[A-Z][\w'’.-]*\s*)?(?:et\s+al\.?)?)\)?\s*$"
)
# Where a title's main part ends and its subtitle or a note begins: "BERT: Pre-training of ...".
_SEGMENT = re.compile(r"(?<!\s)\s*(?::|\s[-–—|]\s|[(\[])\s*")
_NON_WORD = re.compile(r"[^\w]+")
_DIGITS = re.compile(r"\d")

#: Words too common in titles to tell two apart.
NOISE = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "and",
        "for",
        "in",
        "on",
        "with",
        "to",
        "via",
        "vs",
        "pdf",
        "paper",
        "arxiv",
        "preprint",
    ]
)

#: Link texts that say nothing about the resource.
GENERIC = frozenset(
    {
        "paper", "pdf", "code", "link", "here", "blog", "blog post", "website", "project",
        "project page", "github", "arxiv", "slides", "video", "demo", "docs", "homepage",
        "repo", "official", "tweet", "model", "dataset", "leaderboard", "post", "article",
        "notes", "book", "course", "youtube", "talk", "mentioned in awesome", "read more",
        "source", "part 1", "part 2", "part 3", "part 4", "companion article", "implementation",
    }
)  # fmt: skip

#: A title this similar (rapidfuzz ratio on comparison keys) with the same words merges.
MERGE_RATIO = 95.0
#: From this similarity up, titles that differ only in spelling are shown to the curator.
REVIEW_RATIO = 90.0
#: Two words this similar (rapidfuzz ratio) are taken for spellings of one word.
SPELLING_RATIO = 80.0


def normalise_title(title: str) -> str:
    """Case, accents, punctuation and an arXiv id prefix removed; digits kept. So are a list's
    numbering, a year in brackets after the title and a closing "by" and names."""
    text = _ARXIV_PREFIX.sub("", title) if title.lstrip()[:1] == "[" else title
    for noise in (_NUMBERING, _YEAR_AFTER):
        stripped = noise.sub("", text)
        text = stripped if stripped.strip() else text
    if " by " in text:
        text = _without_names(text)
    if not text.isascii():  # both forms leave ASCII as it is, and it has no accents
        text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text))
        text = "".join(char for char in text if not unicodedata.combining(char))
    return " ".join(_NON_WORD.sub(" ", text.casefold().replace("_", " ")).split())


def _without_names(text: str) -> str:
    """A title without a closing "by" and names: "Attention is all you need by Ashish Vaswani".

    In a title written in Title Case, "by Gradient Descent" may be the title's own words, so
    there the names must say they are names: "et al.", an initial, or a dash or comma before.
    """
    match = _BY_NAMES.search(text)
    if match is None or not text[: match.start()].strip():
        return text
    names = match.group("names")
    before = text[: match.start()]
    title_case = all(word[:1].isupper() for word in before.split() if len(word) > 3)
    marked = match.group("mark") or match.group("dash") or "et al" in names
    return before if marked or re.search(r"\b[A-Z]\.", names) or not title_case else text


def _fold_plural(token: str) -> str:
    if len(token) > 3 and token.endswith("s") and not token.endswith("ss"):
        return token[:-1]
    return token


@dataclass(frozen=True)
class Title:
    """A title prepared for comparison."""

    text: str

    @cached
    def clean(self) -> str:
        """The title as written, without a leading arXiv id in brackets."""
        return " ".join(_ARXIV_PREFIX.sub("", self.text).split()) or self.text

    @cached
    def key(self) -> str:
        return normalise_title(self.text)

    @cached
    def tokens(self) -> tuple[str, ...]:
        """Content words, noise dropped and plurals folded, in order."""
        return tuple(_fold_plural(token) for token in self.key.split() if token not in NOISE)

    @cached
    def comparison(self) -> str:
        return " ".join(self.tokens)

    @cached
    def informative(self) -> bool:
        """Says enough to identify a resource: 4 content words and 20 characters, not generic."""
        if self.key in GENERIC or self.key.startswith(("http ", "https ")):
            return False
        return len(self.tokens) >= 4 and len(self.key) >= 20

    @cached
    def digits(self) -> tuple[str, ...]:
        return tuple(token for token in self.tokens if _DIGITS.search(token))

    @cached
    def words(self) -> frozenset[str]:
        return frozenset(self.tokens)

    @cached
    def bag(self) -> tuple[str, ...]:
        """The content words in alphabetical order, each as often as it is written."""
        return tuple(sorted(self.tokens))

    @cached
    def parts(self) -> tuple[frozenset[str], ...]:
        """The words of the main title and of what follows it, "BERT" and "pre training ...";
        none for a title without a subtitle or a note."""
        pieces = _SEGMENT.split(self.clean, maxsplit=1)
        if len(pieces) < 2:
            return ()
        return Title(pieces[0]).words, Title(pieces[1]).words

    @cached
    def note_follows(self) -> bool:
        """What follows the main title is a note in brackets: "... Learners (GPT-3)"."""
        match = _SEGMENT.search(self.clean)
        return match is not None and match.group().strip() in ("(", "[")


@dataclass(frozen=True)
class Verdict:
    """What two titles say about their entries: merge, review, or nothing."""

    decision: str
    """"merge", "review" or "distinct"."""
    score: float
    reason: str


def compare(first: Title, second: Title) -> Verdict:
    """Compare two titles by the rules above. Kind and identifier checks come before this."""
    score = fuzz.ratio(first.comparison, second.comparison)
    both_informative = first.informative and second.informative
    if first.comparison and first.comparison == second.comparison:
        if both_informative:
            return Verdict("merge", score, "same informative title")
        return Verdict("review", score, "same title, but too short or generic to merge on")
    if not (first.tokens and second.tokens):
        return Verdict("distinct", score, "a title says nothing")
    shorter, longer = sorted((first, second), key=lambda title: (len(title.words), title.key))
    if shorter.words and shorter.words in longer.parts:
        extra = " ".join(sorted(longer.words - shorter.words))
        if shorter.words == longer.parts[0]:
            what = "a note" if longer.note_follows else "a subtitle"
        else:
            what = "a name before it" if len(longer.parts[0]) <= 2 else "words before it"
        return Verdict("review", score, f"one title adds {what}: {extra}")
    if sorted(first.digits) != sorted(second.digits):
        # Numbers name versions, sizes and parts: Llama 2 and Llama 3, Part 1 and Part 2.
        return Verdict("distinct", score, "different numbers")
    if first.bag == second.bag:
        if both_informative and score >= MERGE_RATIO:
            return Verdict("merge", score, "same informative title")
        return Verdict("review", score, "the same words in another order")
    if both_informative and _spelled_alike(first, second, score):
        return Verdict("review", score, "the same title, spelled differently")
    return Verdict("distinct", score, "different titles")


def _spelled_alike(first: Title, second: Title, score: float) -> bool:
    """Whether the words two titles do not share are spellings of each other: "fine tuning" and
    "finetuning", "optimisation" and "optimization"."""
    if _glued(first.tokens, second.words) == _glued(second.tokens, first.words):
        return True
    if score < REVIEW_RATIO:
        return False
    only_first, only_second = first.words - second.words, second.words - first.words
    if len(only_first) != len(only_second) or len(only_first) > 2:
        return False
    return all(
        max(fuzz.ratio(word, other) for other in only_second) >= SPELLING_RATIO
        for word in only_first
    )


def _glued(tokens: tuple[str, ...], other: frozenset[str]) -> tuple[str, ...]:
    """The words, with two neighbours written as one where the other title writes them so."""
    glued: list[str] = []
    index = 0
    while index < len(tokens):
        pair = "".join(tokens[index : index + 2])
        if index + 1 < len(tokens) and pair in other:
            glued.append(pair)
            index += 2
        else:
            glued.append(tokens[index])
            index += 1
    return tuple(sorted(glued))

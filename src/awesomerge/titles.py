"""Titles as evidence: normalised keys, whether a title says enough, and how two compare.

In link lists titles are weak evidence: "X Summary", "X explained", a talk named like its paper,
"Attention Is Not All You Need" all look like X. So a title alone merges two entries only when
both titles are informative and say the same words; near misses go to the curator's review.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property

from rapidfuzz import fuzz

_ARXIV_PREFIX = re.compile(r"^\s*\[\s*(?:arxiv:)?[\w./-]*\d[\w./-]*\s*\]\s*", re.IGNORECASE)
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
#: From this similarity up, a pair that does not merge is shown to the curator.
REVIEW_RATIO = 90.0


def normalise_title(title: str) -> str:
    """Case, accents, punctuation and an arXiv id prefix removed; digits kept."""
    text = _ARXIV_PREFIX.sub("", title)
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text))
    text = "".join(char for char in text if not unicodedata.combining(char))
    return " ".join(_NON_WORD.sub(" ", text.casefold().replace("_", " ")).split())


def _fold_plural(token: str) -> str:
    if len(token) > 3 and token.endswith("s") and not token.endswith("ss"):
        return token[:-1]
    return token


@dataclass(frozen=True)
class Title:
    """A title prepared for comparison."""

    text: str

    @cached_property
    def clean(self) -> str:
        """The title as written, without a leading arXiv id in brackets."""
        return " ".join(_ARXIV_PREFIX.sub("", self.text).split()) or self.text

    @cached_property
    def key(self) -> str:
        return normalise_title(self.text)

    @cached_property
    def tokens(self) -> tuple[str, ...]:
        """Content words, noise dropped and plurals folded, in order."""
        return tuple(_fold_plural(token) for token in self.key.split() if token not in NOISE)

    @cached_property
    def comparison(self) -> str:
        return " ".join(self.tokens)

    @cached_property
    def informative(self) -> bool:
        """Says enough to identify a resource: 4 content words and 20 characters, not generic."""
        if self.key in GENERIC or self.key.startswith(("http ", "https ")):
            return False
        return len(self.tokens) >= 4 and len(self.key) >= 20

    @cached_property
    def digits(self) -> tuple[str, ...]:
        return tuple(token for token in self.tokens if _DIGITS.search(token))


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
    same_words = set(first.tokens) == set(second.tokens)
    if not (first.informative and second.informative):
        if first.key == second.key and first.key:
            return Verdict("review", score, "same title, but too short or generic to merge on")
        return Verdict("distinct", score, "a title is too short or generic")
    if sorted(first.digits) != sorted(second.digits):
        # Numbers name versions, sizes and parts: Llama 2 and Llama 3, Part 1 and Part 2.
        return Verdict("distinct", score, "different numbers")
    if first.comparison == second.comparison or (same_words and score >= MERGE_RATIO):
        return Verdict("merge", score, "same informative title")
    smaller, larger = sorted((set(first.tokens), set(second.tokens)), key=len)
    if len(smaller) >= 2 and smaller < larger:
        extra = " ".join(sorted(larger - smaller))
        return Verdict("review", score, f"one title adds words: {extra}")
    if score >= REVIEW_RATIO:
        return Verdict("review", score, "similar titles")
    return Verdict("distinct", score, "different titles")

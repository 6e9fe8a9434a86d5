"""Clusters that look alike: merged on their titles, or offered to a curator for review.

After the exact keys, titles are the only evidence left, and in link lists they are weak
(`titles`). So a title merges two clusters only when both titles are informative, say the same
words and name compatible kinds of resource. What else might be one resource goes to the review
list, saying why. Candidates are found by hash joins and blocking, never by comparing all pairs:

* the same words, in any order: always compared, however common the words;
* one title is the main title or the subtitle of the other ("BERT" and "BERT: Pre-training of
  ..."): looked up by the words of each part;
* the same title spelled differently: informative titles that share one of their rarest words,
  a word being rare when at most BLOCK_LIMIT distinct titles use it, or that are equal once
  their spaces are removed;
* the same repository name under another owner: looked up by the name.

No pair is offered for clusters with different identifiers of one kind (two arXiv ids are two
papers), that one item gives as two of its links (a paper and its code), that a curator declared
distinct, or that hold a post: a tweet quotes the title of what it is about.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from urllib.parse import unquote, urlsplit

from publicsuffixlist import PublicSuffixList

from awesomerge.anatomy import is_bare_label
from awesomerge.clusters import Clusters
from awesomerge.entries import Listed, best_title_of
from awesomerge.identifiers import is_short_link, is_topic_page
from awesomerge.memo import cached
from awesomerge.titles import GENERIC, Title, compare

#: One pair for the review list: two occurrences, a similarity score and the reason.
Near = tuple[int, int, float, str]

#: A word in more distinct titles than this is too common to block on.
BLOCK_LIMIT = 50
#: How many of a title's rarest words it is indexed and looked up under.
BLOCK_WORDS = 3
#: Titles with the same words are compared with at most this many clusters of those words that
#: could not merge (different identifiers, incompatible kinds).
HEAD_LIMIT = 20
#: A repository name used by more owners than this is a common name, not a moved repository.
OWNER_LIMIT = 10
#: How many first letters of a word compare descriptions: a crude stem, enough for overlap.
STEM = 6
#: A description word that more than this share of repositories use (and more than five) says
#: nothing of a pair: "rust" in a list of Rust crates.
DESCRIPTION_SHARE = 0.01

_KIND_GROUPS = {
    "paper": "paper", "document": "paper", "article": "page", "website": "page",
    "repository": "repository", "video": "video", "playlist": "playlist",
    "dataset": "dataset", "model": "model", "post": "post",
}  # fmt: skip
# Words that say nothing about what a description describes, for telling two descriptions apart.
_COMMON_WORDS = frozenset(
    {
        "about", "also", "based", "build", "client", "easy", "fast", "from", "into", "just",
        "library", "like", "more", "most", "simple", "that", "their", "them", "these", "this",
        "tool", "tools", "using", "very", "what", "when", "which", "with", "written", "your",
    }
)  # fmt: skip
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")
_EXTENSION = re.compile(r"\.[a-z]{1,4}$")


@dataclass
class _Cluster:
    """A cluster as the title pass sees it: its first member, best title and main kind."""

    index: int
    members: list[int]
    title: Title
    kind: str
    listed: Sequence[Listed]

    @cached
    def is_post(self) -> bool:
        return any(self.listed[index].kind == "post" for index in self.members)

    @cached
    def has_short_link(self) -> bool:
        return any(is_short_link(self.listed[index].url) for index in self.members)

    @cached
    def is_label(self) -> bool:
        """Titled only by a link label ("Code", "Project page"), which names nothing."""
        return self.title.key in GENERIC or is_bare_label(self.title.clean)

    @cached
    def sites(self) -> frozenset[str]:
        return frozenset(_site(self.listed[index].url) for index in self.members)

    def named_by_url(self, name: str) -> bool:
        """Whether a member's URL carries the name: "redb" in redb.org, or as the repository in
        github.com/cberner/redb (not as its owner: couchbase/couchnode is not Couchbase)."""
        for index in self.members:
            member = self.listed[index]
            github = member.identifiers.get("github")
            if github is not None:
                if _NOT_ALNUM.sub("", github.split("/")[-1].casefold()) == name:
                    return True
            elif not is_topic_page(member.url) and name in _url_words(member.url):
                return True
        return False

    @cached
    def described(self) -> dict[str, str]:
        """The content words of its descriptions by their first six letters, a crude stem by
        which "evaluate" meets "evaluation" and "application" meets "applications"."""
        words: dict[str, str] = {}
        for index in self.members:
            description = self.listed[index].item.description or ""
            for word in _NOT_ALNUM.split(description.casefold()):
                if len(word) >= 4 and word not in _COMMON_WORDS:
                    words.setdefault(word[:STEM], word)
        return words

    @cached
    def description_words(self) -> frozenset[str]:
        return frozenset(self.described)


def merge_titles(listed: Sequence[Listed], clusters: Clusters, near: list[Near]) -> None:
    """Merge clusters on their titles where that is safe, and note the pairs worth a review."""
    found = [
        _Cluster(group[0], group, title, _main_kind(listed, group), listed)
        for group in clusters.groups()
        if (title := best_title_of([listed[index] for index in group])).tokens
    ]
    by_words: dict[tuple[str, ...], list[_Cluster]] = defaultdict(list)
    for cluster in found:
        by_words[cluster.title.bag].append(cluster)
    judge = _Judge(clusters, near)
    for same_words in by_words.values():
        judge.same_words(same_words)
    # Pairs of distinct titles, each pair once: their first clusters stand for them.
    first = [same_words[0] for same_words in by_words.values()]
    groups = [cluster.title.words for cluster in first]
    for a, b in sorted(_part_pairs(groups, first) | _spelling_pairs(groups, first)):
        judge.pair(first[a], first[b])


def offer_moved_repositories(
    listed: Sequence[Listed], clusters: Clusters, near: list[Near]
) -> None:
    """Offer repositories of one name under two owners that lists name and describe alike: a
    repository that moved (flairNLP/flair and zalandoresearch/flair), or a fork.

    Names are shared by many unrelated projects (dust, micro, hyper), so a pair needs the same
    title and a description word in common that is not the name and few descriptions use.
    """
    by_name: dict[str, list[_Cluster]] = defaultdict(list)
    for group in clusters.groups():
        github = clusters.identifiers(clusters.find(group[0])).get("github")
        if github:
            title = best_title_of([listed[index] for index in group])
            cluster = _Cluster(group[0], group, title, "repository", listed)
            by_name[github.split("/")[-1].casefold()].append(cluster)
    used = Counter(
        word for group in by_name.values() for each in group for word in each.description_words
    )
    limit = max(5, DESCRIPTION_SHARE * sum(len(group) for group in by_name.values()))
    for name, same_name in by_name.items():
        if not 1 < len(same_name) <= OWNER_LIMIT:
            continue
        own = {word[:STEM] for word in (*_NOT_ALNUM.split(name), _NOT_ALNUM.sub("", name))}
        hub = same_name[0]
        for other in same_name[1:]:
            if clusters.declared_distinct(hub.index, other.index):
                continue
            if clusters.given_together(hub.index, other.index):
                continue
            if _repository_name(hub, name) != _repository_name(other, name):
                continue
            shared = {
                word
                for word in hub.description_words & other.description_words
                if word not in own and used[word] <= limit
            }
            if shared:
                reason = (
                    "the same repository name under another owner, described alike "
                    f"({', '.join(sorted(hub.described[stem] for stem in shared)[:3])}): "
                    "moved, or a fork?"
                )
                near.append((hub.index, other.index, 100.0, reason))


def _repository_name(cluster: _Cluster, name: str) -> str:
    """What a list calls a repository: its title, or its name where the title is its path."""
    title = cluster.title
    if cluster.is_label or re.fullmatch(r"[\w.-]+/[\w.-]+", title.clean):
        return _NOT_ALNUM.sub("", name)
    return _NOT_ALNUM.sub("", title.key)


class _Judge:
    """Decides each candidate pair: merge it, offer it for review, or leave it."""

    def __init__(self, clusters: Clusters, near: list[Near]) -> None:
        self.clusters = clusters
        self.near = near

    def same_words(self, group: list[_Cluster]) -> None:
        """Clusters whose titles have the same words: each merges into the first it can, and
        is offered for review with at most one, so a common name gives a line of pairs, not
        every pair."""
        heads: list[_Cluster] = []
        for cluster in group:
            offered = False
            for head in heads:
                outcome = self.pair(head, cluster, offer=not offered)
                if outcome == "merged":
                    break
                offered = offered or outcome == "offered"
            else:
                if len(heads) < HEAD_LIMIT:
                    heads.append(cluster)

    def pair(self, a: _Cluster, b: _Cluster, *, offer: bool = True) -> str | None:
        """Merge the pair or offer it for review, if either is due; say which, or None."""
        clusters = self.clusters
        if clusters.find(a.index) == clusters.find(b.index):
            return "merged"
        if a.is_post or b.is_post or a.is_label or b.is_label:
            return None
        verdict = compare(a.title, b.title)
        if verdict.decision == "distinct":
            return None
        if clusters.conflict(a.index, b.index, weak=True) is not None:
            return None
        compatible = compatible_kinds(a.kind, b.kind)
        short_link = a.has_short_link or b.has_short_link
        merges = (verdict.decision == "merge" and compatible) or _one_paper(a, b, verdict.reason)
        if merges and not short_link:
            clusters.union(a.index, b.index, "title", weak=True)
            return "merged"
        reason = _why_offered(a, b, verdict.reason, compatible, short_link)
        if reason is None or not offer:
            return None
        self.near.append((a.index, b.index, verdict.score, reason))
        return "offered"


def _one_paper(a: _Cluster, b: _Cluster, reason: str) -> bool:
    """Two papers titled alike but for a note or a name: "Language Models are Few-Shot
    Learners (GPT-3)", "BioBERT: A Pre-trained Biomedical Language Representation Model".

    A subtitle is not enough: "Large language models in medicine" is one paper, and
    "Large language models in medicine: the potentials and pitfalls" another.
    """
    if not _KIND_GROUPS.get(a.kind) == "paper" == _KIND_GROUPS.get(b.kind):
        return False
    if not reason.startswith(("one title adds a note", "one title adds a name before it")):
        return False
    return min(a.title, b.title, key=lambda title: len(title.words)).informative


def _why_offered(
    a: _Cluster, b: _Cluster, reason: str, compatible: bool, short_link: bool
) -> str | None:
    """Why a pair that did not merge is worth a curator's look; None when it is not."""
    if short_link:
        return f"a short link hides where it leads, and its text is {reason.split(',')[0]}"
    both_papers = _KIND_GROUPS.get(a.kind) == "paper" == _KIND_GROUPS.get(b.kind)
    if reason == "same informative title" and not compatible:
        return f"same title, but {_a(a.kind)} and {_a(b.kind)}"
    if reason.startswith("one title adds"):
        # Papers are cited with and without their subtitles. Elsewhere it makes another thing:
        # "TextGrad" and "TextGrad: Automatic Differentiation via Text" are a repository and
        # its paper, "Deep Learning for NLP" and "... (cs224n)" a book and a course.
        return reason if both_papers and a.sites.isdisjoint(b.sites) else None
    if not reason.startswith("same title, but too short"):
        return reason
    # A short title, like "Redis", is a name many things share: a Node client, a crate's
    # keyword page. It counts only for two papers, or where each side's URL carries the name
    # and the two are on different sites (a project's repository and its website).
    if both_papers:
        return "same short title, and both are papers"
    name = _NOT_ALNUM.sub("", a.title.key)
    if len(name) < 3 or not a.sites.isdisjoint(b.sites):
        return None
    if not (a.named_by_url(name) and b.named_by_url(name)):
        return None
    words = (a.description_words, b.description_words)
    if all(words) and words[0].isdisjoint(words[1]):
        return None  # two things of one name: a Mac app and a search engine called Lantern
    return "same name, and each address carries it: a project's repository and website?"


def _part_pairs(
    groups: Sequence[frozenset[str]], first: Sequence[_Cluster]
) -> set[tuple[int, int]]:
    """Pairs where one title's words are all of the other's main title, or of its subtitle."""
    positions: dict[frozenset[str], list[int]] = defaultdict(list)
    for index, words in enumerate(groups):
        positions[words].append(index)
    pairs = set()
    for index, cluster in enumerate(first):
        for part in cluster.title.parts:
            for other in positions.get(part, ())[:HEAD_LIMIT]:
                if other != index:
                    pairs.add((min(index, other), max(index, other)))
    return pairs


def _spelling_pairs(
    groups: Sequence[frozenset[str]], first: Sequence[_Cluster]
) -> set[tuple[int, int]]:
    """Pairs of informative titles that share a rare word, or that are equal without spaces."""
    informative = [index for index, cluster in enumerate(first) if cluster.title.informative]
    frequency = Counter(word for index in informative for word in groups[index])
    blocks: dict[str, list[int]] = defaultdict(list)
    for index in informative:
        rare = sorted(groups[index], key=lambda word: (frequency[word], word))
        for word in rare[:BLOCK_WORDS]:
            if frequency[word] <= BLOCK_LIMIT:
                blocks[word].append(index)
        blocks["\0" + first[index].title.comparison.replace(" ", "")].append(index)
    # Titles spelled alike differ in a few words at most: "fine tuning" and "finetuning".
    return {
        (a, b)
        for block in blocks.values()
        if len(block) <= BLOCK_LIMIT
        for a in block
        for b in block
        if a < b and len(groups[a] ^ groups[b]) <= 4
    }


def compatible_kinds(first: str, second: str) -> bool:
    """Whether two kinds can be one resource: a paper and its PDF yes, a paper and a talk no."""
    return _KIND_GROUPS.get(first, first) == _KIND_GROUPS.get(second, second)


def _main_kind(listed: Sequence[Listed], group: Sequence[int]) -> str:
    return Counter(listed[index].kind for index in group).most_common(1)[0][0]


def _a(kind: str) -> str:
    return f"an {kind}" if kind[:1] in "aeiou" else f"a {kind}"


@cache
def _suffixes() -> PublicSuffixList:
    return PublicSuffixList()


def _site(url: str) -> str:
    """The registered domain of a URL's host: blog.example.co.uk and example.co.uk are one site."""
    try:
        host = (urlsplit(url).hostname or "").removeprefix("www.")
    except ValueError:
        return url
    return _suffixes().privatesuffix(host) or host


def _url_words(url: str) -> frozenset[str]:
    """The words of a URL's host (less its public suffix) and path, letters and digits only."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return frozenset()
    host = (parts.hostname or "").removeprefix("www.")
    suffix = _suffixes().publicsuffix(host) or ""
    labels = host.removesuffix(suffix).split(".")
    segments = [_EXTENSION.sub("", segment) for segment in unquote(parts.path).lower().split("/")]
    return frozenset(
        word for word in (_NOT_ALNUM.sub("", text) for text in labels + segments) if word
    )

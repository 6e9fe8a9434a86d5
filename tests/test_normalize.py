"""The normaliser: which occurrences merge, which stay apart, which go to review, and why."""

from __future__ import annotations

import hashlib
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from awesomerge.api import Collection
from awesomerge.models import Dataset, Entry, Item, RelatedLink, SourceRecord
from awesomerge.normalize import Merged, Overrides, ParsedSource, merge
from awesomerge.outputs.json_output import JsonOutput


def source(name: str, *items: Item) -> ParsedSource:
    record = SourceRecord(id=name, path=f"{name}.md", format="markdown", title=name, sha256="")
    return ParsedSource(record=record, items=list(items))


def item(
    url: str, title: str = "Some Resource With A Long Enough Title", line: int = 1, **fields: object
) -> Item:
    return Item(url=url, title=title, line=line, **fields)  # type: ignore[arg-type]


def merged(*pairs: tuple[str, str]) -> Merged:
    """Each (url, title) listed once, each in a source of its own."""
    return merge([source(f"s{n}", item(url, title)) for n, (url, title) in enumerate(pairs)])


def together(result: Merged) -> bool:
    return len(result.entries) == 1


# Fixture pairs from the research on real lists: each must merge, on the evidence named.
SAME = [
    ("https://arxiv.org/abs/2112.11446v2", "https://arxiv.org/pdf/2112.11446.pdf", "arxiv"),
    ("https://arxiv.org/abs/math.GT/0309136", "https://arxiv.org/abs/math/0309136", "arxiv"),
    (
        "https://doi.org/10.48550/arXiv.2303.11366",
        "https://ar5iv.labs.arxiv.org/html/2303.11366",
        "arxiv",
    ),
    (
        "https://ar5iv.labs.arxiv.org/html/2303.11366",
        "https://arxiv.org/html/2303.11366v4",
        "arxiv",
    ),
    ("https://github.com/o/r#readme", "https://github.com/O/R.git", "github"),
    ("https://github.com/o/r/tree/main", "https://github.com/o/r?tab=readme-ov-file", "github"),
    (
        "https://www.youtube.com/live/dQw4w9WgXcQ?si=x",
        "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
        "youtube",
    ),
    ("https://m.youtube.com/watch?v=dQw4w9WgXcQ&t=1s", "https://youtu.be/dQw4w9WgXcQ", "youtube"),
    (
        "https://papers.nips.cc/paper/2020/file/1457c0d6bfcb4967418bfb8ac142f64a-Paper.pdf",
        "https://proceedings.neurips.cc/paper_files/paper/2020/file/"
        "1457c0d6bfcb4967418bfb8ac142f64a-Paper.pdf",
        "mirror",
    ),
    (
        "https://d4mucfpksywv.cloudfront.net/better-language-models/"
        "language_models_are_unsupervised_multitask_learners.pdf",
        "https://cdn.openai.com/better-language-models/"
        "language_models_are_unsupervised_multitask_learners.pdf",
        "mirror",
    ),
    (
        "https://www.mosaicml.com/blog/gpt-3#:~:text=The%20bottom",
        "https://www.mosaicml.com/blog/gpt-3",
        "url",
    ),
    (
        "http://nlp.seas.harvard.edu/annotated-transformer/",
        "https://nlp.seas.harvard.edu/annotated-transformer",
        "url",
    ),
    (
        "https://huggingface.co/blog/dialog-agents?utm_source=substack&utm_medium=email",
        "https://huggingface.co/blog/dialog-agents",
        "url",
    ),
    ("https://www.Example.com:443/a/./b/../c/index.html", "https://example.com/a/c/", "url"),
    (
        "https://dx.doi.org/10.1145/3442188.3445922",
        "https://dl.acm.org/doi/10.1145/3442188.3445922",
        "doi",
    ),
]

# Pairs that are different resources and must stay apart.
APART = [
    ("https://github.com/o/r", "https://github.com/o/r/tree/main/examples"),
    ("https://github.com/o/r", "https://github.com/o/r/issues"),
    ("https://github.com/o/r", "https://o.github.io/r"),
    ("https://github.com/o/r?ref=main", "https://github.com/o/other"),
    (
        "https://www.youtube.com/playlist?list=PLoROMvodv4rNiJRchCzutFw5ItR_Z27CM",
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ&list=PLoROMvodv4rNiJRchCzutFw5ItR_Z27CM",
    ),
    ("https://example.com/#/a", "https://example.com/#/b"),
    ("https://a.com/x%2Fy", "https://a.com/x/y"),
    ("https://one.example/paper.pdf", "https://two.example/paper.pdf"),
    ("https://www.youtube.com/watch?v=dQw4w9WgXcQ", "https://www.youtube.com/watch?v=DQW4W9WGXCQ"),
    ("https://bit.ly/AbCdE", "https://bit.ly/abcde"),
]


@pytest.mark.parametrize(("first", "second", "evidence"), SAME)
def test_fixture_pairs_merge_on_their_evidence(first: str, second: str, evidence: str) -> None:
    result = merged((first, "Link one"), (second, "Link two"))
    assert together(result), [entry.url for entry in result.entries]
    assert evidence in result.entries[0].evidence


@pytest.mark.parametrize(("first", "second"), APART)
def test_different_resources_stay_apart(first: str, second: str) -> None:
    assert len(merged((first, "Link one"), (second, "Link two")).entries) == 2


TRAPS = [
    # A summary, an explainer and a reply are other resources: not worth a curator's look.
    ("Attention Is All You Need", "“Attention is All You Need” Summary", "apart"),
    ("Attention Is All You Need", "Attention is all you need explained", "apart"),
    ("Attention Is All You Need", "Attention Is Not All You Need", "apart"),
    (
        "Denoising Diffusion Probabilistic Models",
        "Improved Denoising Diffusion Probabilistic Models",
        "apart",
    ),
    ("Making Gaussian Splats smaller", "Making Gaussian Splats more smaller", "apart"),
    (
        "Programming Community Curated Resources for Learning Rust",
        "Programming Community Curated Resources for Learning Docker",
        "apart",
    ),
    # The same title spelled otherwise, or with a note after it, is.
    (
        "Parameter-Efficient Fine-tuning (PEFT) of Large Models",
        "Parameter-Efficient Finetuning of Large Models (PEFT)",
        "review",
    ),
    # Two pages (not papers) one of which adds a note: a paper's website and its paper, say.
    (
        "Holistic Evaluation of Language Models",
        "Holistic Evaluation of Language Models (HELM)",
        "apart",
    ),
    ("Machine Unlearning", "Machine Learning", "apart"),
    ("Qwen2-Math", "Qwen2.5-Math", "apart"),
    ("Mixtral 8x7B", "Mixtral 8x22B", "apart"),
    ("The Annotated Transformer", "The Illustrated Transformer", "apart"),
    (
        "Llama 2: Open Foundation and Fine-Tuned Chat Models",
        "Llama 3: Open Foundation and Fine-Tuned Chat Models",
        "apart",
    ),
    (
        "4-part tutorial on how transformers work: Part 1",
        "4-part tutorial on how transformers work: Part 2",
        "apart",
    ),
    ("Attention Is All You Need", "Attention is All you Need", "merge"),
    ("Language Models are Few-Shot Learners", "Language Models are Few Shot Learners", "merge"),
    # A list's numbering, a year after the title and a closing by-line are not the title.
    ("3. Attention Is All You Need (2017)", "Attention is all you need", "merge"),
    ("Attention is all you need, by Vaswani et al.", "Attention Is All You Need", "merge"),
    # A venue and its year after the title are a note too, whatever leads the title.
    (
        "VicFlow: Grounded Dialogue with Instruction-tuned Comprehension (EMNLP 2015)",
        "VicFlow: Grounded Dialogue with Instruction-tuned Comprehension",
        "merge",
    ),
    (
        "Grounded Dialogue with Instruction-tuned Comprehension [ACL Findings 2022]",
        "grounded dialogue with instruction-tuned comprehension",
        "merge",
    ),
    ("Windows Internals Explained (Vista 2007)", "Windows Internals Explained", "apart"),
    (
        "Learning to Learn by Gradient Descent by Gradient Descent",
        "Learning to Learn by Gradient Descent",
        "apart",
    ),
]


@pytest.mark.parametrize(("first", "second", "outcome"), TRAPS)
def test_title_traps(first: str, second: str, outcome: str) -> None:
    result = merged(("https://one.example/a", first), ("https://two.example/b", second))
    if outcome == "merge":
        assert together(result)
        assert result.entries[0].evidence == ["title"]
    else:
        assert len(result.entries) == 2
        assert len(result.review) == (1 if outcome == "review" else 0)


def test_a_talk_titled_like_the_paper_stays_apart_and_goes_to_review() -> None:
    result = merged(
        ("https://arxiv.org/abs/1706.03762", "Attention Is All You Need"),
        ("https://www.youtube.com/watch?v=rBCqOTEfxvg", "Attention Is All You Need"),
    )
    assert len(result.entries) == 2
    (pair,) = result.review
    assert "a paper and a video" in pair.reason


def test_different_identifiers_of_one_kind_veto_a_title_merge_and_a_review() -> None:
    """Two arXiv ids are two papers, however alike their titles: nothing for a curator."""
    result = merged(
        ("https://arxiv.org/abs/2301.00001", "A Survey of Large Language Model Evaluation"),
        ("https://arxiv.org/abs/2302.00002", "A Survey of Large Language Model Evaluation"),
        (
            "https://aclanthology.org/2023.acl-long.1/",
            "A Survey of Large Language Model Evaluation",
        ),
        (
            "https://aclanthology.org/2023.acl-long.2/",
            "A Survey of Large Language Model Evaluation",
        ),
    )
    assert len(result.entries) == 2
    assert result.review == []
    for entry in result.entries:
        assert sorted(entry.identifiers) == ["acl", "arxiv"]
        assert entry.evidence == ["title"]


def test_an_informative_title_merges_a_blog_copy_of_an_article() -> None:
    result = merged(
        (
            "https://medium.com/@x/the-illustrated-gpt-2-abc",
            "The Illustrated GPT-2 (Visualizing Transformer Language Models)",
        ),
        (
            "https://jalammar.github.io/illustrated-gpt2/",
            "The Illustrated GPT-2 (Visualizing Transformer Language Models)",
        ),
    )
    assert together(result)
    assert result.entries[0].evidence == ["title"]


def test_generic_titles_never_merge() -> None:
    result = merged(("https://one.example/a", "Paper"), ("https://two.example/b", "Paper"))
    assert len(result.entries) == 2


def test_overrides_merge_and_separate_as_a_curator_says() -> None:
    one = item("https://one.example/a", "GPT explained simply")
    two = item("https://two.example/b", "How GPT works")
    three = item("https://arxiv.org/abs/1706.03762", "Attention Is All You Need")
    four = item("https://three.example/attention", "Attention Is All You Need")
    sources = [source("a", one, three), source("b", two, four)]
    plain = merge(sources)
    assert len(plain.entries) == 4
    assert [pair.reason for pair in plain.review] == ["same title, but a paper and an article"]
    decided = merge(
        sources,
        Overrides(
            same=(("https://one.example/a", "https://two.example/b/"),),
            distinct=(("https://arxiv.org/abs/1706.03762", "https://three.example/attention"),),
        ),
    )
    urls = sorted(sorted(o.url for o in entry.occurrences) for entry in decided.entries)
    assert ["https://one.example/a", "https://two.example/b"] in urls
    assert ["https://arxiv.org/abs/1706.03762"] in urls
    assert next(e for e in decided.entries if len(e.occurrences) == 2).evidence == ["override"]
    assert all("Attention" not in pair.first.title for pair in decided.review)


def test_the_merge_policy() -> None:
    result = merge(
        [
            source(
                "a",
                item(
                    "https://arxiv.org/pdf/1706.03762.pdf",
                    "paper",
                    3,
                    description="short",
                    tags=["easy"],
                    authors=["Vaswani"],
                ),
            ),
            source(
                "b",
                item(
                    "http://arxiv.org/abs/1706.03762v5",
                    "[1706.03762] Attention Is All You Need",
                    7,
                    description="The transformer paper, with a longer description.",
                    tags=["classic"],
                    section="Papers",
                    related=[RelatedLink(title="code", url="https://github.com/t/t")],
                ),
            ),
            source(
                "c",
                item(
                    "https://arxiv.org/abs/1706.03762",
                    "Attention is All you Need",
                    9,
                    section="Models",
                    year=2017,
                ),
            ),
        ]
    )
    (entry,) = result.entries
    assert entry.id == "arxiv:1706.03762"
    assert entry.url == "https://arxiv.org/abs/1706.03762"
    assert entry.title == "Attention Is All You Need"  # no generic text, no id prefix
    assert entry.description == "The transformer paper, with a longer description."
    assert entry.kind == "paper"
    assert entry.identifiers == {"arxiv": "1706.03762"}
    assert entry.tags == ["classic", "easy"]
    assert entry.categories == ["Papers", "Models"]
    assert entry.authors == ["Vaswani"] and entry.year == 2017
    assert [link.url for link in entry.related] == ["https://github.com/t/t"]
    assert [(o.source, o.line) for o in entry.occurrences] == [("a", 3), ("b", 7), ("c", 9)]
    assert [o.title for o in entry.occurrences][1] == "[1706.03762] Attention Is All You Need"
    assert entry.evidence == ["arxiv"]  # three different URL keys: only the arXiv id joins them


def test_github_keeps_the_most_common_spelling_and_ids_fold_case() -> None:
    result = merged(
        ("https://github.com/KarPathy/nanoGPT", "nanoGPT"),
        ("https://github.com/karpathy/nanoGPT", "nanoGPT"),
        ("https://github.com/karpathy/nanoGPT/", "nanoGPT"),
    )
    (entry,) = result.entries
    assert entry.url == "https://github.com/karpathy/nanoGPT"
    assert entry.id == "github:karpathy/nanogpt"


def test_url_ids_come_from_the_key_not_from_order() -> None:
    result = merged(("https://www.example.org/page/", "A page"), ("http://example.org/page", "A"))
    key = "example.org/page"
    assert result.entries[0].id == "url:" + hashlib.sha256(key.encode()).hexdigest()[:16]


def test_no_two_entries_share_an_id_on_the_seeds(seed_build: dict[str, object]) -> None:
    entries = seed_build["entries"]
    assert isinstance(entries, list)
    ids = [entry["id"] for entry in entries]
    assert len(ids) == len(set(ids))


def test_a_canonical_url_function_teaches_a_new_site() -> None:
    def canonical(url: str) -> str:
        return url.replace("https://mirror.example/", "https://origin.example/")

    sources = [
        source("a", item("https://mirror.example/x", "A mirrored page")),
        source("b", item("https://origin.example/x", "The original")),
    ]
    assert len(merge(sources).entries) == 2
    assert len(merge(sources, canonical=canonical).entries) == 1


RESOURCES = [
    ("https://arxiv.org/abs/1706.03762", "Attention Is All You Need"),
    ("https://arxiv.org/pdf/1706.03762.pdf", "paper"),
    ("https://github.com/karpathy/nanoGPT", "nanoGPT"),
    ("https://github.com/Karpathy/NanoGPT.git", "karpathy/nanoGPT"),
    ("https://www.youtube.com/watch?v=kCc8FmEb1nY", "Let's build GPT"),
    ("https://youtu.be/kCc8FmEb1nY", "Let's build GPT: from scratch, in code, spelled out."),
    ("https://example.org/blog/post/", "A Long Blog Post About Language Models"),
    ("http://www.example.org/blog/post?utm_source=x", "A long blog post about language models"),
    ("https://other.example/copy", "A Long Blog Post About Language Models"),
    ("https://attention.example/summary", "“Attention is All You Need” Summary"),
]


@settings(max_examples=60, deadline=None)
@given(
    st.permutations(range(len(RESOURCES))), st.lists(st.integers(0, 3), min_size=10, max_size=10)
)
def test_permuting_the_inputs_changes_nothing(order: list[int], spread: list[int]) -> None:
    """Same listings, shuffled within and across sources: same ids, same bytes."""

    def build(positions: list[int]) -> str:
        by_source: dict[str, list[Item]] = {}
        for position in positions:
            url, title = RESOURCES[position]
            name = f"list{spread[position]}"
            by_source.setdefault(name, []).append(item(url, title, line=position + 1))
        sources = [source(name, *items) for name, items in by_source.items()]
        result = merge(list(reversed(sources)) if positions[0] % 2 else sources)
        records = sorted((s.record for s in sources), key=lambda record: record.id)
        dataset = Dataset(sources=records, entries=result.entries)
        review = json.dumps([(p.first.id, p.second.id, p.score) for p in result.review])
        return JsonOutput().render(Collection(dataset, tuple(result.review))) + review

    assert build(order) == build(list(range(len(RESOURCES))))


def test_merged_entries_keep_every_occurrence() -> None:
    sources = [
        source(
            f"s{n}",
            *(item(url, title, line) for line, (url, title) in enumerate(RESOURCES, start=1)),
        )
        for n in range(3)
    ]
    result = merge(sources)
    assert sum(len(entry.occurrences) for entry in result.entries) == 3 * len(RESOURCES)
    assert all(isinstance(entry, Entry) for entry in result.entries)


# One paper on two hosts: identifiers of different kinds let the titles decide.
CROSS_HOST = [
    ("https://arxiv.org/abs/1810.04805", "https://aclanthology.org/N19-1423.pdf", "acl"),
    (
        "https://arxiv.org/abs/2310.11511",
        "https://openreview.net/forum?id=hSyW5go0v8",
        "openreview",
    ),
    (
        "https://arxiv.org/pdf/2005.14165.pdf",
        "https://proceedings.neurips.cc/paper/2020/hash/1457c0d6bfcb4967418bfb8ac142f64a-Abstract.html",
        "neurips",
    ),
    ("https://arxiv.org/abs/2102.09690", "http://proceedings.mlr.press/v139/zhao21c.html", "pmlr"),
    ("https://arxiv.org/abs/1910.10683", "https://jmlr.org/papers/v21/20-074.html", "jmlr"),
    (
        "https://arxiv.org/abs/2212.13138",
        "https://www.nature.com/articles/s41586-023-06291-2",
        "doi",
    ),
]


@pytest.mark.parametrize(("paper", "venue", "kind"), CROSS_HOST)
def test_one_paper_on_two_hosts_merges_on_its_title(paper: str, venue: str, kind: str) -> None:
    title = "A Paper Title Long Enough To Identify One Paper"
    result = merged((paper, title), (venue, title.upper()))
    assert together(result)
    (entry,) = result.entries
    assert entry.evidence == ["title"]
    assert {"arxiv", kind} <= set(entry.identifiers)
    assert entry.id == f"arxiv:{entry.identifiers['arxiv']}"
    assert entry.url.startswith("https://arxiv.org/abs/")


def test_a_page_naming_an_arxiv_id_is_that_paper() -> None:
    result = merged(
        ("https://huggingface.co/papers/2401.04088", "Mixtral of Experts"),
        ("https://arxiv.org/abs/2401.04088", "Mistral / Mixtral"),
        ("https://www.alphaxiv.org/abs/2401.04088v2", "alphaXiv"),
    )
    assert together(result)
    assert result.entries[0].evidence == ["arxiv"]


def test_a_venue_identifier_gives_the_entry_its_id_and_page() -> None:
    result = merged(
        ("https://aclanthology.org/N19-1423.pdf", "BERT"),
        ("https://www.aclweb.org/anthology/N19-1423/", "BERT"),
    )
    (entry,) = result.entries
    assert (entry.id, entry.url, entry.evidence) == (
        "acl:N19-1423",
        "https://aclanthology.org/N19-1423/",
        ["acl"],
    )


def test_the_same_short_title_on_two_paper_hosts_goes_to_review() -> None:
    result = merged(
        ("https://arxiv.org/abs/2311.12022", "GPQA"),
        ("https://openreview.net/pdf?id=Ti67584b98", "GPQA"),
    )
    assert len(result.entries) == 2
    (pair,) = result.review
    assert pair.reason == "same short title, and both are papers"


def test_a_title_and_its_subtitle_on_two_paper_hosts_go_to_review() -> None:
    result = merged(
        ("https://arxiv.org/abs/2310.11511", "Self-RAG"),
        (
            "https://openreview.net/forum?id=hSyW5go0v8",
            "Self-RAG: Learning to Retrieve, Generate, and Critique through Self-Reflection",
        ),
    )
    (pair,) = result.review
    assert pair.reason.startswith("one title adds a subtitle:")


def test_a_post_never_merges_or_pairs_on_the_title_it_quotes() -> None:
    title = "Chain-of-Thought Prompting Elicits Reasoning in Large Language Models"
    result = merged(
        ("https://arxiv.org/abs/2201.11903", title),
        ("https://x.com/someone/status/1498363372584996864", title),
        ("https://www.linkedin.com/posts/someone_cot-activity-712345", title),
    )
    assert len(result.entries) == 3
    assert result.review == []
    assert sorted(entry.kind for entry in result.entries) == ["paper", "post", "post"]


def test_links_given_together_neither_merge_nor_pair_up() -> None:
    """A row gives a paper with its project page; another list lists the page alone."""
    title = "NeRF: Representing Scenes as Neural Radiance Fields for View Synthesis"
    row = item(
        "https://arxiv.org/abs/2003.08934",
        title,
        related=[RelatedLink(title="Project", url="https://www.matthewtancik.com/nerf")],
    )
    page = item("https://www.matthewtancik.com/nerf/", title)
    result = merge([source("a", row), source("b", page)])
    assert len(result.entries) == 2
    assert result.review == []


def test_labels_and_generic_titles_never_pair_up() -> None:
    result = merged(
        ("https://github.com/a/one", "Code"),
        ("https://github.com/b/two", "Code"),
        ("https://one.example/project", "Project page"),
        ("https://two.example/project", "Project page"),
        ("https://three.example/p", "Paper"),
    )
    assert len(result.entries) == 5
    assert result.review == []


def test_a_short_name_pairs_a_repository_with_its_website_only() -> None:
    result = merge(
        [
            source("a", item("https://github.com/cberner/redb", "Redb")),
            source("b", item("https://www.redb.org/", "Redb")),
            source("c", item("https://github.com/luin/ioredis", "Redis")),
            source("d", item("https://crates.io/keywords/redis", "redis")),
            source("e", item("https://redis.io/docs/", "Redis")),
            source("f", item("https://redis.io/blog/", "Redis")),
        ]
    )
    assert len(result.entries) == 6
    assert [(pair.first.url, pair.second.url) for pair in result.review] == [
        ("https://github.com/cberner/redb", "https://www.redb.org/")
    ]


def test_a_short_link_named_like_an_entry_goes_to_review() -> None:
    title = "Open LLM Leaderboard"
    result = merged(
        ("https://huggingface.co/spaces/open-llm-leaderboard/open_llm_leaderboard", title),
        ("https://lnkd.in/eXyZ123", title),
    )
    assert len(result.entries) == 2
    (pair,) = result.review
    assert pair.reason.startswith("a short link hides where it leads")


def test_a_moved_repository_is_offered_and_a_namesake_is_not() -> None:
    result = merge(
        [
            source(
                "a",
                item(
                    "https://github.com/zalandoresearch/flair",
                    "Flair",
                    description="A simple framework for NLP, with Flair embeddings.",
                ),
            ),
            source(
                "b",
                item(
                    "https://github.com/flairNLP/flair",
                    "Flair",
                    description="Contextual string embeddings and strong NER.",
                ),
            ),
            source(
                "c",
                item(
                    "https://github.com/bootandy/dust",
                    "dust",
                    description="A more intuitive version of du.",
                ),
            ),
            source(
                "d",
                item(
                    "https://github.com/kelpsyberry/dust",
                    "dust",
                    description="A Nintendo DS emulator.",
                ),
            ),
        ]
    )
    assert len(result.entries) == 4
    (pair,) = result.review
    assert {pair.first.url, pair.second.url} == {
        "https://github.com/zalandoresearch/flair",
        "https://github.com/flairNLP/flair",
    }
    assert "another owner" in pair.reason and "embeddings" in pair.reason


def test_review_candidates_survive_at_scale() -> None:
    """Sixty lists that share every word still give their pairs: no word is too common for
    titles with the same words to meet, and a pair's rare word still blocks it."""
    sources = []
    for number in range(60):
        sources.append(
            source(
                f"s{number:02d}",
                item(
                    f"https://arxiv.org/abs/2401.{number + 10000:05d}",
                    f"Model Number Paper{number}",
                ),
                item(f"https://site{number}.example/a", "Benchmark Suite Guide"),
                item(f"https://other{number}.example/b", "Benchmark Suite Guide"),
            )
        )
    sources.append(
        source(
            "t",
            item("https://arxiv.org/abs/2311.12022", "GPQA"),
            item("https://openreview.net/pdf?id=Ti67584b98", "GPQA"),
        )
    )
    result = merge(sources)
    reasons = [pair.reason for pair in result.review]
    assert "same short title, and both are papers" in reasons


def test_a_decision_about_urls_no_input_lists_is_reported() -> None:
    result = merge(
        [source("a", item("https://one.example/x"), item("https://two.example/y"))],
        Overrides(
            same=(("https://one.example/x", "https://gone.example/z"),),
            distinct=(("https://two.example/y/", "https://one.example/x"),),
        ),
    )
    assert result.unknown == frozenset({"https://gone.example/z"})


def test_two_papers_merge_when_one_title_adds_a_note_or_a_name_but_not_a_subtitle() -> None:
    noted = merged(
        ("https://arxiv.org/abs/2005.14165", "Language Models are Few-Shot Learners (GPT-3)"),
        (
            "https://proceedings.neurips.cc/paper/2020/hash/1457c0d6bfcb4967418bfb8ac142f64a-Abstract.html",
            "Language Models are Few-Shot Learners",
        ),
    )
    named = merged(
        (
            "https://arxiv.org/abs/2212.13138",
            "MedPaLM: Large language models encode clinical knowledge",
        ),
        (
            "https://www.nature.com/articles/s41586-023-06291-2",
            "Large language models encode clinical knowledge",
        ),
    )
    subtitled = merged(
        (
            "https://arxiv.org/abs/2309.00087",
            "Large language models in medicine: the potentials and pitfalls",
        ),
        ("https://www.nature.com/articles/s41591-023-02448-8", "Large language models in medicine"),
    )
    assert together(noted) and together(named)
    assert noted.entries[0].evidence == named.entries[0].evidence == ["title"]
    assert len(subtitled.entries) == 2
    (pair,) = subtitled.review
    assert pair.reason == "one title adds a subtitle: pitfall potential"


def test_entries_are_the_models_pydantic_would_construct(seed_build: dict[str, object]) -> None:
    """Entries and occurrences are built without pydantic's model_construct (it was a tenth of
    the merge): they must be the very instances it makes, and valid."""
    dataset = Dataset.model_validate(seed_build)
    items = [
        Item(
            url=occurrence.url,
            title=occurrence.title,
            description=occurrence.description,
            section=occurrence.section,
            line=occurrence.line,
        )
        for entry in dataset.entries[:60]
        for occurrence in entry.occurrences
    ]
    record = SourceRecord(id="a", path="a.md", format="markdown", title="A", sha256="")
    built = merge([ParsedSource(record=record, items=items)]).entries
    assert len(built) > 40
    for entry in built:
        values = {name: getattr(entry, name) for name in Entry.model_fields}
        values["occurrences"] = [
            type(occurrence).model_construct(set(occurrence.model_fields_set), **vars(occurrence))
            for occurrence in entry.occurrences
        ]
        constructed = Entry.model_construct(set(entry.model_fields_set), **values)
        assert entry == constructed
        assert entry.model_dump_json() == constructed.model_dump_json()
        assert entry.model_fields_set == constructed.model_fields_set == set(Entry.model_fields)
        assert (entry.__pydantic_extra__, entry.__pydantic_private__) == (None, None)
        assert Entry.model_validate_json(entry.model_dump_json(warnings="error")) == entry

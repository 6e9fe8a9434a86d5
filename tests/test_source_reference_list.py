"""The reference-list source on the llm-primer seed and a list of another style: it is chosen for
both, and it takes page-title clutter (arXiv ids, site names, GitHub's form) off the titles
without touching titles that only look cluttered."""

from __future__ import annotations

from pathlib import Path

import pytest

from awesomerge.detect import choose_source
from awesomerge.document import Document
from awesomerge.markdown import ListItem, Paragraph
from awesomerge.models import Item, ParseResult
from awesomerge.plugins import load_plugins
from awesomerge.reading import InputFile, read_document
from awesomerge.sources.reference_list import (
    ReferenceListSource,
    arxiv_id,
    clean_title,
)

from .conftest import DATA, INPUTS, SEEDS

SEED = INPUTS / "llm-primer-references.md"
OWN_STYLE = DATA / "sources" / "reference-list" / "reading-list.md"


def document(path: Path) -> Document:
    """The file as the pipeline hands it to sources: decoded and mojibake-repaired."""
    return read_document(InputFile(path, path.name))


@pytest.fixture(scope="module")
def seed() -> ParseResult:
    return ReferenceListSource().parse(document(SEED))


@pytest.fixture(scope="module")
def by_url(seed: ParseResult) -> dict[str, Item]:
    return {item.url: item for item in seed.items}


@pytest.mark.parametrize("path", [SEED, OWN_STYLE], ids=lambda path: path.name)
def test_chosen_among_all_built_in_sources(path: Path) -> None:
    sources = load_plugins(entry_points=False).sources
    choice = choose_source(document(path), sources)
    assert choice.source == "reference-list"
    assert choice.scores["reference-list"] >= 0.9


@pytest.mark.parametrize(
    "path", [seed for seed in SEEDS if seed != SEED], ids=lambda path: path.name
)
def test_other_seeds_score_low(path: Path) -> None:
    assert ReferenceListSource().detect(document(path)) <= 0.3


def test_seed_counts(seed: ParseResult) -> None:
    assert seed.title == "llm-primer"
    assert len(seed.items) == 2 + 121
    assert [item.text for item in seed.unlinked] == [
        "Intro: Building blocks & capabilities",
        "Core: Models, players, concepts, toolings & applications",
        "Bonus: Deep dive into ChatGPT",
    ]
    assert {item.section for item in seed.items} == {"Slides", "References"}
    assert seed.links == []


def test_seed_loses_no_link(seed: ParseResult) -> None:
    tree = document(SEED).markdown
    written = {link.url for item in tree.of_type(ListItem) for link in item.web_links}
    written |= {link.url for text in tree.of_type(Paragraph) for link in text.inline.web_links}
    found = {item.url for item in seed.items} | {link.url for link in seed.links}
    assert written == found


def test_seed_arxiv_brackets_become_identifiers(seed: ParseResult, by_url: dict[str, Item]) -> None:
    with_arxiv = [item for item in seed.items if "arxiv" in item.identifiers]
    assert len(with_arxiv) == 23
    assert all(
        item.url == f"https://arxiv.org/abs/{item.identifiers['arxiv']}" for item in with_arxiv
    )
    attention = by_url["https://arxiv.org/abs/1706.03762"]
    assert attention.title == "Attention Is All You Need"
    assert attention.identifiers == {"arxiv": "1706.03762"}
    assert all(
        not item.title.startswith("[1") and not item.title.startswith("[2") for item in seed.items
    )


@pytest.mark.parametrize(
    ("url", "title"),
    [
        (
            "https://www.nytimes.com/2023/01/12/technology/chatgpt-schools-teachers.html",
            "Don’t Ban ChatGPT in Schools. Teach With It.",
        ),
        (
            "https://techcrunch.com/2022/02/02/deepminds-alphacode-ai-writes-code-at-a-competitive-level/",
            "DeepMind’s AlphaCode AI writes code at a competitive level",
        ),
        (
            "https://www.marktechpost.com/2022/07/04/google-ai-introduces-minerva-a-natural-language-processing-nlp-model-that-solves-mathematical-questions/",
            "Google AI Introduces Minerva: A Natural Language Processing (NLP) Model That Solves "
            "Mathematical Questions",
        ),
        (
            "https://venturebeat.com/ai/got-it-ai-creates-truth-checker-for-chatgpt-hallucinations/",
            "Got It AI creates truth checker for ChatGPT 'hallucinations'",
        ),
        (
            "https://www.bloomberg.com/news/newsletters/2022-12-08/chatgpt-open-ai-s-chatbot-is-spitting-out-biased-sexist-results",
            "ChatGPT, Open AI's Chatbot, Is Spitting Out Biased, Sexist Results",
        ),
        (
            "https://ai.googleblog.com/2020/02/exploring-transfer-learning-with-t5.html",
            "Exploring Transfer Learning with T5: the Text-To-Text Transfer Transformer",
        ),
        (
            "https://news.ycombinator.com/item?id=33841672",
            "ChatGPT produces made-up nonexistent references",
        ),
        (
            "https://en.wikipedia.org/wiki/Generative_adversarial_network",
            "Generative adversarial network",
        ),
        ("https://huggingface.co/EleutherAI/gpt-neox-20b", "EleutherAI/gpt-neox-20b"),
        (
            "https://www.wired.com/story/lamda-sentient-ai-bias-google-blake-lemoine/",
            "LaMDA and the Sentient AI Trap",
        ),
        (
            "https://www.technologyreview.com/2022/11/18/1063487/meta-large-language-model-ai-only-survived-three-days-gpt-3-science/",
            "Why Meta’s latest large language model only survived three days online",
        ),
        (
            "https://syncedreview.com/2020/09/10/openai-gpt-f-delivers-sota-performance-in-automated-mathematical-theorem-proving/",
            "OpenAI ‘GPT-f’ Delivers SOTA Performance in Automated Mathematical Theorem Proving",
        ),
        (
            "https://www.zdnet.com/article/what-is-gpt-3-everything-business-needs-to-know-about-openais-breakthrough-ai-language-program",
            "What is GPT-3? Everything your business needs to know about OpenAI’s breakthrough AI "
            "language program",
        ),
        (
            "https://about.fb.com/news/2022/08/blenderbot-ai-chatbot-improves-through-conversation/",
            "BlenderBot 3: An AI Chatbot That Improves Through Conversation",
        ),
        (
            "https://meta.stackoverflow.com/questions/421831/temporary-policy-chatgpt-is-banned",
            "Temporary policy: ChatGPT is banned",
        ),
    ],
)
def test_seed_site_suffixes_are_removed(by_url: dict[str, Item], url: str, title: str) -> None:
    assert by_url[url].title == title
    assert by_url[url].description is None


@pytest.mark.parametrize(
    ("url", "title", "description"),
    [
        (
            "https://github.com/karpathy/nanoGPT",
            "karpathy/nanoGPT",
            "The simplest, fastest repository for training/finetuning medium-sized GPTs.",
        ),
        (
            "https://github.com/google/BIG-bench",
            "google/BIG-bench",
            "Beyond the Imitation Game collaborative benchmark for measuring and extrapolating the "
            "capabilities of language models",
        ),
        ("https://github.com/PaddlePaddle/PaddleNLP", "PaddlePaddle/PaddleNLP", None),
    ],
)
def test_seed_github_page_titles(
    by_url: dict[str, Item], url: str, title: str, description: str | None
) -> None:
    assert by_url[url].title == title
    assert by_url[url].description == description


@pytest.mark.parametrize(
    ("url", "title"),
    [
        (
            "https://www.youtube.com/watch?v=e0aKI2GGZNg",
            "Chat GPT (可能)是怎麼煉成的 - GPT 社會化的過程",
        ),
        (
            "https://github.com/salesforce/CodeT5",
            "Code for CodeT5: a new code-aware pre-trained encoder-decoder model",
        ),
        (
            "https://www.reddit.com/r/MachineLearning/comments/h0jwoz/d_gpt3_the_4600000_language_model/",
            "[D] GPT-3, The $4,600,000 Language Model : r/MachineLearning",
        ),
        ("https://github.com/features/copilot", "GitHub Copilot · Your AI pair programmer"),
        ("https://hai.stanford.edu/research", "Research | Stanford HAI"),
        (
            "https://huggingface.co/spaces/stabilityai/stable-diffusion",
            "Stable Diffusion 2-1 - a Hugging Face Space by stabilityai",
        ),
        ("https://openai.com/blog/openai-codex/", "https://openai.com/blog/openai-codex/"),
        (
            "https://twitter.com/goodside/status/1610482565106012160",
            "https://twitter.com/goodside/status/1610482565106012160",
        ),
        (
            "https://github.com/hululuzhu/llm-primer/blob/main/llm_primer_v2_jan_2023.pdf",
            "V2 slides, Jan 2023",
        ),
    ],
)
def test_seed_traps_keep_their_titles(by_url: dict[str, Item], url: str, title: str) -> None:
    assert by_url[url].title == title
    assert by_url[url].identifiers == {}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1706.03762", "1706.03762"),
        ("2302.13971v2", "2302.13971"),
        ("0704.0001", "0704.0001"),
        ("1412.6980", "1412.6980"),
        ("math/0309136", "math/0309136"),
        ("hep-th/9711200v3", "hep-th/9711200"),
        ("math.GT/0309136", "math/0309136"),
        ("D", None),
        ("2013.01234", None),  # month 13
        ("1501.0001", None),  # 5 digits from 2015 on
        ("1412.12345", None),  # 4 digits until 2014
        ("0612.1234", None),  # new style began in April 2007
        ("math/1209136", None),  # old style ended in 2007
        ("1.2.3", None),
    ],
)
def test_arxiv_id_shapes(text: str, expected: str | None) -> None:
    assert arxiv_id(text) == expected


@pytest.mark.parametrize(
    ("title", "url", "expected"),
    [
        (
            "Transformer: A Novel Neural Network Architecture for Language Understanding",
            "https://ai.googleblog.com/2017/08/transformer-novel-neural-network.html",
            "Transformer: A Novel Neural Network Architecture for Language Understanding",
        ),
        ("Sparks of AGI - YouTube", "https://www.youtube.com/watch?v=qbIk7-JPB2c", "Sparks of AGI"),
        ("Llama 2 | Meta", "https://example.com/llama", "Llama 2 | Meta"),
        ("OpenAI - Wikipedia", "https://en.wikipedia.org/wiki/OpenAI", "OpenAI - Wikipedia"),
        ("GitHub - a/b: c - d | e", "https://github.com/a/b", "a/b"),
        (
            "[1706.03762] Attention Is All You Need - Wikipedia",
            "https://en.wikipedia.org/wiki/Attention_Is_All_You_Need",
            "Attention Is All You Need",
        ),
    ],
)
def test_clean_title(title: str, url: str, expected: str) -> None:
    assert clean_title(title, url).title == expected

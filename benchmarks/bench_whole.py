"""Benchmark a whole build, run as a user runs it, on generated lists whose answer is known.

Usage: python benchmarks/bench_whole.py 10000 100000 1000000 [--jobs 2] [--keep DIR]
       [--incremental] [--seed 7]

For each size (a number of occurrences) it writes a corpus of lists in the five seed shapes of
inputs/, about 200 items each (100k is about 500 files): blog posts with front matter and linked
headings, gists with an emoji Key, bold authors and nested bullets, reference lists folded in
<details>, READMEs with model tables, a name index and bullet sections, and nested numbered lists
with markers; some of them in mojibake as the seeds are. Popularity is Zipf-like: a few resources
are in most lists, most in one. One resource is written as lists write it: arXiv abs, pdf,
versioned, html and Hugging Face papers links; GitHub in other case, with .git, /tree/main or
#readme; youtu.be and watch?v= with tracking; http, www., utm_*, a trailing slash or a #fragment;
the OpenAI CDN and NeurIPS mirror hosts of urls.toml; a paper also at its venue (ACL Anthology,
OpenReview, NeurIPS, CVF) under the same title; a PDF copied to a second host; titles with an
arXiv id or "[arXiv]" before them, a venue after them, a site suffix, or in other case. Near
misses must stay apart: a venue paper whose title adds a subtitle, an arXiv paper one word away,
a fork under another owner, a repository or a talk titled like its paper, a short title on
another site. A few resources share a long title with another site's page: the tool merges those
by design, and the error table names them apart. The generator keeps the truth, (file, line, URL)
to resource, and then, in one run:

* parses every file once (read and parse) with markdown-it-py in this process, single-threaded,
  timing CPU and wall;
* runs ``python -m awesomerge build CORPUS -o OUT`` in a subprocess, with ``-j N``,
  ``--no-cache`` and ``--timings`` when the CLI offers them, sampling every 50 ms the RSS of the
  build process and the sum over its process tree; prints its per-stage table (``--timings``) or
  its total, and the ratio of the build's wall time to the parse's CPU time;
* reads OUT/awesomerge.json and scores the merge against the truth: pair-counting precision
  (pairs of occurrences in one entry that are one resource) and recall (pairs of one resource
  that are in one entry), counted from the contingency table, never pair by pair; every
  generated occurrence must be in the dataset. The wrong merges and wrong splits are tabled by
  the kind of pair, each with an example.

With --incremental it then builds again with a cache (``--cache DIR`` when the CLI offers it),
changes a few items of one list (tracking parameters added to five URLs) and rebuilds, printing
the rebuild's time and its ratio to the cold build. --keep DIR keeps each corpus and output in
DIR/<size>/ instead of a temporary folder. Run on an otherwise idle machine: the build's wall
time is the figure.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from markdown_it import MarkdownIt


def _words(text: str) -> list[str]:
    return text.split()


SEEDS = Path(__file__).resolve().parents[1] / "inputs"
ITEMS_PER_LIST = 200
SHAPES = ("post", "gist", "references", "readme", "nested")
TIMING_LINE = re.compile(r"^\s+(\S.*?)\s+(\d+\.\d+) s\s+(\d+)%$")
SUMMARY_LINE = re.compile(r"^\d+ sources?, .*occurrences")
SAMPLE_SECONDS = 0.05

ADJECTIVES = _words(
    """efficient scalable robust sparse dense deep contrastive generative discriminative multimodal
multilingual bilingual causal autoregressive bidirectional hierarchical recurrent convolutional
adaptive adversarial probabilistic Bayesian neural symbolic differentiable interpretable
explainable faithful grounded aligned safe helpful harmless open compact lightweight distributed
parallel federated continual incremental unsupervised self-supervised supervised
weakly-supervised zero-shot few-shot long-context low-rank quantized pretrained
instruction-tuned retrieval-augmented memory-efficient linear latent visual spoken textual
structured temporal spatial geometric semantic syntactic factual numerical mathematical logical
commonsense clinical biomedical financial legal scientific conversational interactive agentic
embodied massive universal unified modular dynamic hybrid implicit explicit emergent"""
)
NOUNS = _words(
    """attention transformers language models representations embeddings tokenization retrieval
generation reasoning inference training pretraining fine-tuning alignment preferences feedback
reward policies optimization gradients scaling compute data datasets corpora benchmarks
evaluation metrics agents planning tools memory context prompts prompting decoding sampling
search distillation compression quantization pruning experts mixtures routing adapters networks
graphs knowledge question-answering summarization translation dialogue chatbots vision images
video speech audio music code programs synthesis mathematics proofs theorems hallucination
factuality robustness safety privacy fairness bias toxicity jailbreaks watermarking detection
classification segmentation recognition diffusion denoising flows autoencoders encoders decoders
heads layers neurons circuits features interpretability probing steering editing unlearning
calibration uncertainty ranking recommendation indexing vectors databases pipelines serving
deployment throughput latency kernels hardware accelerators GPUs parallelism checkpointing
curricula augmentation instructions demonstrations rationales explanations critiques
verification verifiers simulators environments games robotics control world-models tables
forecasting molecules proteins genomics medicine finance law education"""
)
VERBS = _words(
    """learn reason plan retrieve generate align scale compress distill evaluate verify explain
summarize translate search rank detect edit steer probe ground prompt decode sample train
fine-tune serve accelerate quantize prune adapt"""
)
LINKS = _words("""for with via in of from beyond without through under across""")
FIRST_NAMES = _words(
    """Andrej Jay Sebastian Lilian Chip Yann Geoffrey Yoshua Percy Christopher Sasha Jason Finbarr
Jakob Ilya Alec Dario Chris Tri Noam Ashish Jacob Kevin Mark Hugo Jeremy Rachel Emily Timnit
Yejin Denny Quoc Oriol Kyunghyun Graham Dan Tom Colin Aidan Łukasz Niki Llion Mia Sara Priya Wei
Xin Hao Jun Ming Arjun Ravi Anika Omar Leila Ana Mateo Sofia Lukas Elena"""
)
LAST_NAMES = _words(
    """Karpathy Alammar Raschka Weng Huyen LeCun Hinton Bengio Li Liang Manning Rush Wei Timbers
Uszkoreit Sutskever Radford Amodei Olah Dao Shazeer Vaswani Devlin Clark Chen Larochelle Howard
Thomas Bender Gebru Choi Zhou Le Vinyals Cho Neubig Hendrycks Brown Raffel Gomez Kaiser Parmar
Jones Lewis Rao Gupta Wang Zhang Liu Yang Kumar Patel Singh Hassan Ahmadi Silva Garcia Rossi
Müller Novak Petrov Kim Park Tanaka Sato Nguyen"""
)
NAME_HEADS = _words(
    """Ro Lla Fal Gem Mis Phi Qwen Orca Vic Alpa Koa Dol Star Code Math Med Fin Bio Sci Chat
Instruct
Flan Mega Giga Tiny Nano Micro Deep Open Meta Hyper Omni Uni Poly Syn Neuro Lumi Aur Zeph Cog
Sage Tera Vero Kest Brio Quill Helio Nimb Pyra"""
)
NAME_TAILS = _words(
    """BERT GPT Former LM Net Mind Coder Math Chat Llama Mamba Diff Vision Gen Search RAG Agent
Bench
Eval Tune Align Prompt Flow Graph T5 Seg"""
)
NAME_MARKS = ("", "", "", "-7B", "-13B", "-2", "-XL", "-Large", "v2", "-3")
SITES = (
    ("towardsdatascience.com", "Towards Data Science"),
    ("medium.com/@{user}", "Medium"),
    ("{user}.substack.com/p", "Substack"),
    ("{user}.github.io/posts", ""),
    ("blog.{org}.com", "{Org} Blog"),
    ("www.{org}.ai/blog", "{Org}"),
    ("magazine.{user}.com/p", ""),
    ("neptune.ai/blog", "neptune.ai"),
    ("huggingface.co/blog", "Hugging Face"),
    ("www.technologyreview.com/{year}/{month:02d}/{day:02d}/{number}", "MIT Technology Review"),
)
ORGS = _words(
    """anthropic openai deepmind cohere mosaicml lightning arize assemblyai pinecone weaviate
databricks together modal replicate perplexity mistral stability runway adept inflection"""
)
VENUES = (("acl", "ACL"), ("acl", "EMNLP"), ("openreview", "ICLR"), ("neurips", "NeurIPS"))
VENUES += (("cvf", "CVPR"), ("cvf", "ICCV"))
UNIVERSITIES = ("stanford", "cmu", "toronto", "mit", "ox.ac")
MARKERS = ("🟢", "🟠", "🔴", "🕰️", "🙉")
MARKER_LEGEND = ("* 🟢 = easy, 🟠 = medium, 🔴 = hard", "* 🕰️ = long, 🙉 = low quality audio")


@dataclass(slots=True)
class Resource:
    """One resource of the truth, and what it takes to write it as the lists do."""

    number: int
    kind: str
    """What it is: arxiv, venue, neurips, github, youtube, article, website, model, cdn, pdf."""
    key: str
    title: str
    short: str
    authors: tuple[str, ...]
    year: int
    venue: str = ""
    """For an arXiv paper also published at a venue, the venue's name ("ACL")..."""
    alias: str = ""
    """...and its key there; for a PDF copied to a second host, that copy's host and path."""
    trap: str = ""
    """A near miss of resource `of`: what makes it look alike."""
    of: int = -1


class Words:
    """Titles, names and people drawn from a vocabulary, as real lists word them."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        seed_words = set()
        for seed in sorted(SEEDS.glob("*.md")):
            for text in re.findall(r"\[([^\]\n]+)\]\(http", seed.read_text(encoding="utf-8")):
                seed_words.update(re.findall(r"(?<![\w-])[A-Za-z][a-z]{3,}(?![\w-])", text))
        stop = {"with", "from", "that", "this", "your", "what", "their", "into", "about", "than"}
        self.nouns = NOUNS + sorted(word for word in seed_words - stop if word.lower() not in NOUNS)
        self.noun_weights = list(
            itertools.accumulate(1 / (rank + 5) for rank in range(len(self.nouns)))
        )
        self.adjective_weights = list(
            itertools.accumulate(1 / (rank + 3) for rank in range(len(ADJECTIVES)))
        )
        self.seen: set[frozenset[str]] = set()

    def noun(self) -> str:
        word = self.rng.choices(self.nouns, cum_weights=self.noun_weights)[0]
        return word if word[0].isupper() else word.capitalize()

    def adjective(self) -> str:
        word = self.rng.choices(ADJECTIVES, cum_weights=self.adjective_weights)[0]
        return word if word[0].isupper() else word[0].upper() + word[1:]

    def name(self) -> str:
        rng = self.rng
        return rng.choice(NAME_HEADS) + rng.choice(NAME_TAILS) + rng.choice(NAME_MARKS)

    def person(self) -> str:
        return f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}"

    def unique(self, *templates: Callable[[], str]) -> str:
        """A title made by one of the templates, whose words no earlier title has: two resources
        never share one by chance."""
        for _ in range(50):
            title = self.rng.choice(templates)()
            # Plurals folded, as title matching folds them: "Network" is "Networks".
            words = frozenset(word.removesuffix("s") for word in re.findall(r"\w+", title.lower()))
            if words not in self.seen:
                self.seen.add(words)
                return str(title)
        return f"{title} {len(self.seen)}"

    def paper(self) -> str:
        rng, a, n = self.rng, self.adjective, self.noun
        return self.unique(
            lambda: f"{self.name()}: {a()} {n()} {rng.choice(LINKS)} {a()} {n()}",
            lambda: f"{a()} {n()} {rng.choice(LINKS)} {n()} {n()}",
            lambda: f"Towards {a()} {n()} {rng.choice(LINKS)} {n()}",
            lambda: f"A Survey of {a()} {n()} {n()}",
            lambda: f"Learning to {rng.choice(VERBS).capitalize()} {n()} with {a()} {n()}",
            lambda: f"On the {n()} of {a()} {n()} {n()}",
            lambda: f"{n()} {n()} Is All You Need",
            lambda: f"{a()} {n()} Are {a()} {n()}",
            lambda: f"{self.name()}: An Open {a()} {n()} Model",
        )

    def article(self) -> str:
        rng, a, n = self.rng, self.adjective, self.noun
        return self.unique(
            lambda: (
                f"How to {rng.choice(VERBS)} {a().lower()} {n().lower()} "
                f"{rng.choice(LINKS)} {self.name()}"
            ),
            lambda: f"Understanding {a()} {n()} {rng.choice(LINKS)} {n()}",
            lambda: f"The Illustrated {self.name()}",
            lambda: f"{a()} {n()}: A Practical Guide",
            lambda: f"A Beginner’s Guide to {a()} {n()}",
            lambda: f"{rng.randint(3, 30)} Things You Need to Know About {n()} {n()}",
            lambda: f"Why {a()} {n()} Doesn’t {rng.choice(VERBS).capitalize()} {n()}",
            lambda: f"What’s New in {self.name()} {n()}",
            lambda: f"Building {a()} {n()} {rng.choice(LINKS)} {self.name()}",
            lambda: f"Notes on {a()} {n()} and {n()}",
        )

    def talk(self) -> str:
        rng, a, n = self.rng, self.adjective, self.noun
        return self.unique(
            lambda: f"{self.name()} Explained: {a()} {n()} {rng.choice(LINKS)} {n()}",
            lambda: f"Lecture {rng.randint(1, 24)}: {a()} {n()} and {n()}",
            lambda: f"Stanford CS{rng.randint(20, 330)} - {a()} {n()} {rng.choice(LINKS)} {n()}",
            lambda: f"Let’s build {self.name()}: from scratch, in code, spelled out",
        )


def make_pool(count: int, rng: random.Random) -> list[Resource]:
    """`count` resources, the rarer kinds and the near misses spread through the ranks."""
    words = Words(rng)
    pool: list[Resource] = []
    last: dict[str, Resource] = {}
    arxiv_ids: set[str] = set()
    acl_numbers = itertools.count(1)  # ids at one venue never collide

    def arxiv_id() -> str:
        while True:
            year = rng.randint(15, 24)
            key = f"{year:02d}{rng.randint(1, 12):02d}.{rng.randint(1, 24999):05d}"
            if key not in arxiv_ids:
                arxiv_ids.add(key)
                return key

    def hexes(size: int) -> str:
        return "".join(rng.choices("0123456789abcdef", k=size))

    def slug(title: str) -> str:
        return "-".join(re.findall(r"[a-z0-9]+", title.lower()))[:60]

    def venue_key(kind: str, title: str, year: int, venue: str) -> str:
        if kind == "acl":
            track = rng.choice(["long", "main"])
            return f"20{year}.{venue.lower()}-{track}.{next(acl_numbers)}"
        if kind == "openreview":
            return "".join(
                rng.choices("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ0123456789", k=10)
            )
        if kind == "neurips":
            return f"20{year}/{hexes(32)}"
        first = re.sub(r"\W", "", words.person().split()[-1])
        name = "_".join(re.findall(r"[A-Za-z0-9]+", title))[:80]
        return f"{venue}20{year}/{first}_{name}_{venue}_20{year}_paper"

    for number in range(count):
        draw = rng.random()
        people = tuple(words.person() for _ in range(rng.choice((1, 1, 2, 3))))
        year = rng.randint(15, 24)
        resource: Resource
        if draw < 0.30:
            title = words.paper()
            resource = Resource(number, "arxiv", arxiv_id(), title, words.name(), people, year)
            if rng.random() < 0.15:
                kind, venue = rng.choice(VENUES)
                resource.venue = venue
                resource.alias = f"{kind}:{venue_key(kind, title, year, venue)}"
        elif draw < 0.34:
            kind, venue = rng.choice(VENUES)
            title = words.paper()
            key = f"{kind}:{venue_key(kind, title, year, venue)}"
            resource = Resource(number, "venue", key, title, words.name(), people, year, venue)
        elif draw < 0.51:
            name = rng.choice([words.name(), f"{words.noun()}-{words.noun()}"])
            owner = rng.choice([rng.choice(LAST_NAMES), rng.choice(ORGS), words.name()])
            name = re.sub(r"[^A-Za-z0-9-]", "", name).strip("-") or "repo"
            owner = re.sub(r"[^A-Za-z0-9]", "", owner) or "owner"
            key = f"{owner}/{name}{number}" if rng.random() < 0.5 else f"{owner}{number}/{name}"
            resource = Resource(number, "github", key, words.article(), name, people, year)
        elif draw < 0.59:
            video = "".join(
                rng.choices("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ0123456789_-", k=11)
            )
            resource = Resource(number, "youtube", video, words.talk(), words.name(), people, year)
        elif draw < 0.81:
            site, _ = rng.choice(SITES)
            title = words.article()
            host = site.format(
                user=rng.choice(LAST_NAMES).lower().replace("ü", "u"),
                org=rng.choice(ORGS),
                year=2000 + year,
                month=rng.randint(1, 12),
                day=rng.randint(1, 28),
                number=rng.randint(1000000, 1099999),
            )
            key = f"{host}/{slug(title)}-{number:x}"
            resource = Resource(number, "article", key, title, words.name(), people, year)
        elif draw < 0.85:
            name = words.name()
            ending = rng.choice(["ai", "io", "com", "dev"])
            key = f"{re.sub(r'[^a-z0-9]', '', name.lower())}{number}.{ending}"
            resource = Resource(number, "website", key, name, name, people, year)
        elif draw < 0.88:
            name = words.name()
            key = f"{rng.choice(ORGS)}/{re.sub(r'[^A-Za-z0-9-]', '', name)}-{number}"
            resource = Resource(number, "model", key, key, name, people, year)
        elif draw < 0.89:
            title = words.paper()
            key = f"papers/{slug(title)}.pdf"
            resource = Resource(number, "cdn", key, title, words.name(), people, year)
        elif draw < 0.905:
            title = words.paper()
            file = f"{slug(title)}.pdf"
            user = rng.choice(LAST_NAMES).lower().replace("ü", "u")
            resource = Resource(
                number,
                "pdf",
                f"www.cs.{rng.choice(UNIVERSITIES)}.edu/~{user}/papers/{file}",
                title,
                words.name(),
                people,
                year,
            )
            resource.alias = f"{rng.choice(ORGS)}.github.io/static/{file}"
        else:
            resource = near_miss(number, draw, last, words, rng, arxiv_id, venue_key, people, year)
        pool.append(resource)
        if not resource.trap:
            last[resource.kind] = resource
    return pool


def near_miss(
    number: int,
    draw: float,
    last: dict[str, Resource],
    words: Words,
    rng: random.Random,
    arxiv_id: object,
    venue_key: object,
    people: tuple[str, ...],
    year: int,
) -> Resource:
    """A resource that looks like an earlier one and is not it."""
    paper = last.get("arxiv")
    repo = last.get("github")
    article = last.get("article")
    if draw < 0.925 and paper:  # a venue paper whose title adds a subtitle: review, not merge
        kind, venue = rng.choice(VENUES)
        title = (
            f"{paper.title}: {words.adjective()} {words.noun()} {rng.choice(LINKS)} {words.noun()}"
        )
        key = f"{kind}:{venue_key(kind, title, year, venue)}"  # type: ignore[operator]
        return Resource(
            number,
            "venue",
            key,
            title,
            words.name(),
            people,
            year,
            venue,
            trap="subtitle",
            of=paper.number,
        )
    if draw < 0.945 and paper:  # another arXiv paper one word away
        title = paper.title.rsplit(" ", 1)[0] + " " + words.noun()
        return Resource(
            number,
            "arxiv",
            arxiv_id(),
            title,
            paper.short,
            people,
            year,
            trap="one word away",
            of=paper.number,
        )  # type: ignore[operator]
    if draw < 0.96 and repo:  # a fork: the same repository name under another owner
        owner = rng.choice(LAST_NAMES + ORGS).replace("ü", "u") + str(number)
        key = f"{owner}/{repo.key.split('/')[1]}"
        return Resource(
            number, "github", key, repo.title, repo.short, people, year, trap="fork", of=repo.number
        )
    if draw < 0.97 and paper:  # the paper's code, listed under the paper's title
        key = f"{rng.choice(LAST_NAMES).replace('ü', 'u')}{number}/{paper.short.replace(' ', '')}"
        return Resource(
            number,
            "github",
            key,
            paper.title,
            paper.short,
            people,
            year,
            trap="code titled like its paper",
            of=paper.number,
        )
    if draw < 0.98 and paper:  # a talk on the paper, under the paper's title
        video = "".join(
            rng.choices("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ0123456789", k=11)
        )
        return Resource(
            number,
            "youtube",
            video,
            paper.title,
            paper.short,
            people,
            year,
            trap="talk titled like its paper",
            of=paper.number,
        )
    if draw < 0.99 and article:  # another site's page with the same short title
        short = " ".join(article.title.split()[:2])
        path = "-".join(re.findall(r"[a-z0-9]+", short.lower()))
        key = f"{rng.choice(ORGS)}{number}.com/blog/{path}"
        return Resource(
            number,
            "article",
            key,
            short,
            article.short,
            people,
            year,
            trap="same short title",
            of=article.number,
        )
    if article:  # another site's page with the same long title: merged by design
        key = f"{rng.choice(ORGS)}{number}.com/posts/{number}"
        return Resource(
            number,
            "article",
            key,
            article.title,
            article.short,
            people,
            year,
            trap="same long title (merged by design)",
            of=article.number,
        )
    title = words.article()
    return Resource(number, "article", f"example{number}.com/{number}", title, title, people, year)


def write_url(resource: Resource, rng: random.Random) -> tuple[str, str]:
    """One way a list writes the resource's URL, and the family of URLs it belongs to."""
    kind, key, draw = resource.kind, resource.key, rng.random()
    if kind == "arxiv":
        if resource.alias and draw < 0.3:
            return venue_url(resource.alias, rng), "venue copy"
        return rng.choice(
            [
                f"https://arxiv.org/abs/{key}",
                f"https://arxiv.org/abs/{key}",
                f"https://arxiv.org/pdf/{key}.pdf",
                f"https://arxiv.org/pdf/{key}v2",
                f"http://arxiv.org/abs/{key}v1",
                f"https://arxiv.org/abs/{key}v3",
                f"https://arxiv.org/html/{key}v1",
                f"https://huggingface.co/papers/{key}",
                f"https://www.arxiv.org/abs/{key}",
            ]
        ), "arxiv"
    if kind == "venue":
        return venue_url(key, rng), "venue"
    if kind == "github":
        owner, name = key.split("/")
        return rng.choice(
            [
                f"https://github.com/{key}",
                f"https://github.com/{key}",
                f"https://github.com/{owner.lower()}/{name.lower()}",
                f"https://github.com/{key}.git",
                f"https://github.com/{key}/tree/main",
                f"https://github.com/{key}#readme",
                f"http://www.github.com/{key}/",
            ]
        ), "github"
    if kind == "youtube":
        return rng.choice(
            [
                f"https://www.youtube.com/watch?v={key}",
                f"https://www.youtube.com/watch?v={key}",
                f"https://youtu.be/{key}",
                f"https://youtu.be/{key}?si=Xq3{key[:4]}",
                f"https://m.youtube.com/watch?v={key}&feature=share",
                f"https://www.youtube.com/watch?v={key}&t={rng.randint(10, 900)}s",
            ]
        ), "youtube"
    if kind == "cdn":
        return rng.choice(
            [
                f"https://cdn.openai.com/{key}",
                f"https://cdn.openai.com/{key}",
                f"https://d4mucfpksywv.cloudfront.net/{key}",
                f"https://s3-us-west-2.amazonaws.com/openai-assets/{key}",
            ]
        ), "openai mirror"
    if kind == "pdf":
        if draw < 0.4:
            return f"https://{resource.alias}", "second host"
        return f"https://{key}", "first host"
    if kind == "model":
        return rng.choice(
            [
                f"https://huggingface.co/{key}",
                f"https://huggingface.co/{key}/",
                f"http://huggingface.co/{key}",
            ]
        ), "model"
    scheme = "http" if draw < 0.15 else "https"
    www = "www." if 0.3 < draw < 0.45 and not key.startswith("www.") else ""
    path = key if kind == "article" else key + "/"
    tail = ""
    if 0.5 < draw < 0.6:
        tail = "?utm_source=substack&utm_medium=email"
    elif 0.6 < draw < 0.68:
        tail = "/" if kind == "article" else "?utm_source=share"
    elif 0.68 < draw < 0.74:
        tail = f"#{rng.choice(['introduction', 'conclusion', 'results', 'block-85b3ec4df96e'])}"
    elif 0.74 < draw < 0.78 and kind == "article":
        tail = "/?utm_campaign=newsletter&fbclid=IwAR0x"
    return f"{scheme}://{www}{path}{tail}", kind


def venue_url(alias: str, rng: random.Random) -> str:
    kind, key = alias.split(":", 1)
    if kind == "acl":
        return rng.choice(
            [
                f"https://aclanthology.org/{key}/",
                f"https://aclanthology.org/{key}.pdf",
                f"https://www.aclweb.org/anthology/{key}",
            ]
        )
    if kind == "openreview":
        return rng.choice(
            [f"https://openreview.net/forum?id={key}", f"https://openreview.net/pdf?id={key}"]
        )
    if kind == "neurips":
        year, digest = key.split("/")
        return rng.choice(
            [
                f"https://proceedings.neurips.cc/paper_files/paper/{year}/file/{digest}-Paper.pdf",
                f"https://papers.nips.cc/paper/{year}/file/{digest}-Paper.pdf",
                f"https://papers.neurips.cc/paper/{year}/file/{digest}-Paper.pdf",
                f"https://proceedings.neurips.cc/paper/{year}/hash/{digest}-Abstract.html",
            ]
        )
    folder, name = key.split("/")
    form = rng.choice(["html", "papers"])
    suffix = "html" if form == "html" else "pdf"
    return f"https://openaccess.thecvf.com/content/{folder}/{form}/{name}.{suffix}"


def write_title(resource: Resource, family: str, rng: random.Random, shape: str) -> str:
    """The resource's title as one list words it."""
    title, kind, draw = resource.title, resource.kind, rng.random()
    if family in ("venue copy", "venue"):
        if draw < 0.15:
            return title.lower()
        if draw < 0.3 and resource.venue:
            return f"{title} ({resource.venue} 20{resource.year})"
        return title
    if kind == "arxiv":
        if shape == "references" and draw < 0.6:
            return f"[{resource.key}] {title}"
        if draw < 0.05:
            return f"[arXiv] {title}"
        if draw < 0.1 and resource.venue:
            return f"{title} ({resource.venue} 20{resource.year})"
        if draw < 0.13:
            return title.upper()
        return title.lower() if draw < 0.18 else title
    if kind == "github" and not resource.trap.startswith("code"):
        owner, name = resource.key.split("/")
        if shape == "references":
            return f"GitHub - {owner}/{name}: {title}"
        return rng.choice([name, f"{owner}/{name}", title, f"{title} - GitHub"])
    if kind == "youtube" and draw < 0.2 and not resource.trap:
        return f"{title} - YouTube"
    if kind == "article" and not resource.trap:
        if shape == "references" and draw < 0.5:
            return f"{title} - {site_name(resource.key)}"
        if draw < 0.1:
            return f"{title} | {site_name(resource.key)}"
        return title.lower() if draw < 0.15 else title
    if kind == "pdf" and draw < 0.2:
        return title.lower()
    return title


def site_name(key: str) -> str:
    host = key.split("/")[0].removeprefix("www.").removeprefix("blog.")
    return host.split(".")[0].capitalize()


class ListWriter:
    """Lines of one list, and the truth of every item written into it."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.items: list[tuple[int, str, int, str]] = []

    def add(self, *lines: str) -> None:
        self.lines.extend(lines)

    def item(self, line: str, *links: tuple[str, int, str]) -> None:
        for url, number, family in links:
            self.items.append((len(self.lines) + 1, url, number, family))
        self.lines.append(line)

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


class Corpus:
    """Writes the lists of one size and keeps their truth."""

    def __init__(self, size: int, seed: int, folder: Path) -> None:
        self.rng = random.Random(seed)
        self.folder = folder
        self.pool = make_pool(max(50, size * 2 // 3), self.rng)
        self.popularity = list(
            itertools.accumulate(1 / (rank + 1) ** 0.8 for rank in range(len(self.pool)))
        )
        self.truth: dict[tuple[str, int, str], tuple[int, str]] = {}
        self.local = len(self.pool)
        self.files: list[Path] = []
        self.size = size

    def write(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        written, number = 0, 0
        while written < self.size:
            shape = SHAPES[number % len(SHAPES)]
            count = min(ITEMS_PER_LIST, self.size - written)
            chosen = self.choose(count)
            writer = ListWriter()
            getattr(self, f"write_{shape}")(writer, chosen, number)
            path = f"{shape}/{shape}-{number:05d}.md"
            text = writer.text()
            if shape in ("gist",) and number % 2:
                text = text.encode("utf-8").decode("cp1254", errors="ignore")
            elif shape in ("references", "nested") and number % 2:
                text = text.encode("utf-8").decode("mac_roman")
            file = self.folder / path
            file.parent.mkdir(exist_ok=True)
            file.write_text(text, encoding="utf-8")
            self.files.append(file)
            for line, url, resource, family in writer.items:
                self.truth[(path, line, url)] = (resource, family)
            written += len(writer.items)
            number += 1

    def choose(self, count: int) -> list[Resource]:
        """`count` resources by popularity, none twice in one list."""
        picked: dict[int, None] = {}
        while len(picked) < count:
            for index in self.rng.choices(
                range(len(self.pool)), cum_weights=self.popularity, k=count - len(picked)
            ):
                picked[index] = None
        return [self.pool[index] for index in picked]

    def local_link(self, url: str) -> tuple[str, int, str]:
        """A link that only this list has (its slides, its own pages): a resource of its own."""
        self.local += 1
        return url, self.local, "local"

    def link(self, resource: Resource, shape: str) -> tuple[str, str, int, str]:
        url, family = write_url(resource, self.rng)
        return write_title(resource, family, self.rng, shape), url, resource.number, family

    def sections(self, items: list[Resource]) -> list[list[Resource]]:
        parts, start = [], 0
        while start < len(items):
            step = self.rng.randint(6, 25)
            parts.append(items[start : start + step])
            start += step
        return parts

    def topic(self) -> str:
        words = self.rng.sample(NOUNS, 2)
        return f"{words[0].capitalize()} and {words[1]}"

    def description(self) -> str:
        rng = self.rng
        nouns = rng.sample(NOUNS, 3)
        return rng.choice(
            [
                f"A clear overview of {nouns[0]} and {nouns[1]}.",
                f"Covers {nouns[0]}, {nouns[1]} and {nouns[2]} in detail.",
                f"Very well paced and easy to follow; has code for {nouns[0]}.",
                f"Interesting take on {nouns[0]} for {nouns[1]}.",
            ]
        )

    def write_post(self, out: ListWriter, items: list[Resource], number: int) -> None:
        rng = self.rng
        topic = self.topic()
        tags = rng.sample(NOUNS, 6)
        out.add("---", f'title: "{topic} Resources"', 'excerpt_separator: "<!--more-->"')
        out.add("categories:", "  - Blog", "  - Resources Directory", "tags:")
        out.add(*(f"  - {tag}" for tag in tags), "---", "")
        out.add(
            "This page is basically a [directory](https://jackyan.com/blog/2023/09/bring-back-the-"
            "human-curated-web-directory/) of links.<!--more--> I have a hodgepodge of useful "
            f"bookmarks on {topic.lower()}, in no particular order.",
            "",
        )
        for part in self.sections(items):
            out.add("<p>&nbsp;</p>", f"# {self.topic()}:")
            if rng.random() < 0.3:
                out.add("(Two fantastic and comprehensive articles:)")
            out.add("")
            for resource in part:
                title, url, rid, family = self.link(resource, "post")
                out.item(f"## [{title}]({url})", (url, rid, family))
                out.add(f"* {self.description()}")
                if rng.random() < 0.2:
                    out.add(
                        f"* See also [the companion notes](https://notes.example.org/{number}/{rid})."
                    )
                if rng.random() < 0.2:
                    out.add(f"![screenshot](/assets/images/lm_resources/{rid}.png)")
                out.add("")

    def write_gist(self, out: ListWriter, items: list[Resource], number: int) -> None:
        rng = self.rng
        out.add(f"# {self.topic()}", "", "# Purpose", "")
        out.add("Bootstrap knowledge ASAP. Avoid being a link dump.", "", "## Prelude", "")
        for resource in items[:3]:
            url, family = write_url(resource, rng)
            out.item(f"* {url}", (url, resource.number, family))
        out.add("", "## Key", "", *MARKER_LEGEND, "")
        for part in self.sections(items[3:]):
            out.add(f"## {self.topic()}", "")
            previous = None
            for resource in part:
                title, url, rid, family = self.link(resource, "gist")
                markers = "".join(rng.sample(MARKERS, rng.choice((0, 1, 1, 2))))
                authors = " and ".join(resource.authors[:2])
                if len(resource.authors) > 2:
                    authors = f"{resource.authors[0]} et. al."
                year = f" ({2000 + resource.year})" if rng.random() < 0.2 else ""
                lead = f"{markers} " if markers else ""
                if previous and rng.random() < 0.1:
                    out.item(
                        f'   * "{resource.short}": **{authors}** [{title}]({url})',
                        (url, rid, family),
                    )
                    continue
                extra = ""
                if rng.random() < 0.1:
                    extra = f" [Companion article](https://companion.example.org/{number}/{rid})"
                out.item(
                    f"* {lead}**{authors}** [{title}{year}]({url}): {self.description()}{extra}",
                    (url, rid, family),
                )
                previous = resource
            out.add("")

    def write_references(self, out: ListWriter, items: list[Resource], number: int) -> None:
        rng = self.rng
        out.add(f"# {self.topic().lower().replace(' ', '-')}-primer")
        out.add(f"A primer on {self.topic().lower()} as of Jan 2023", "", "## Covers")
        out.add("- Intro: Building blocks & capabilities", "- Core: Models, players, concepts", "")
        out.add("## Slides")
        for version in (2, 1):
            url, rid, family = self.local_link(
                f"https://github.com/primer{number}/llm-primer/blob/main/primer_{number}_v{version}.pdf"
            )
            out.item(f"- [V{version} slides, Jan 2023]({url})", (url, rid, family))
        out.add("", "## References", "<details>")
        out.add(f"  <summary>~{len(items)} References as of 01/13/2023</summary>", "")
        links = sorted(
            (self.link(resource, "references") for resource in items),
            key=lambda link: link[0].lower(),
        )
        for title, url, rid, family in links:
            out.item(f"  - [{title}]({url})", (url, rid, family))
        out.add("</details>")
        del rng

    def write_readme(self, out: ListWriter, items: list[Resource], number: int) -> None:
        rng = self.rng
        papers = [r for r in items if r.kind in ("arxiv", "venue", "cdn") and not r.trap]
        chosen = {resource.number for resource in papers}
        others = [resource for resource in items if resource.number not in chosen]
        table, index = papers[: len(papers) * 2 // 3], papers[len(papers) * 2 // 3 :]
        out.add(f"# Awesome-{self.topic().replace(' ', '-')}-Notes", "***", "")
        out.add(
            "## Known models classified by year", "*Small introduction, paper, code etc.*", "   "
        )
        out.add(
            "| Year | Name | Paper | Info | Implementation |", "| :-: | :-: | :-: | :-: | :-: |"
        )
        for resource in table:
            title, url, rid, family = self.link(resource, "readme")
            if resource.kind == "arxiv" and family == "arxiv" and rng.random() < 0.15:
                title = "paper"
            code = ""
            if rng.random() < 0.4:
                owner = rng.choice(LAST_NAMES).lower().replace("ü", "u")
                code = f"[PyTorch](https://github.com/{owner}/{resource.short}-pytorch)"
            out.item(
                f"| {2000 + resource.year} | {resource.short} | [{title}]({url}) | "
                f"{self.description()} | {code} |",
                (url, rid, family),
            )
        out.add("***", "", "## Known models classified by name")
        for start in range(0, len(index), 4):
            cells, links = [], []
            for resource in index[start : start + 4]:
                url, family = write_url(resource, rng)
                while family == "venue copy":  # a short name cannot join a venue's copy
                    url, family = write_url(resource, rng)
                cells.append(f"[{resource.short}]({url})")
                links.append((url, resource.number, family))
                if rng.random() < 0.4:
                    cells.append(self.rng.choice(NAME_HEADS) + rng.choice(NAME_TAILS))
            out.item("- " + " | ".join(cells) + " |", *links)
        out.add("***", "")
        for part in self.sections(others):
            out.add(f"## {self.topic()}")
            for resource in part:
                title, url, rid, family = self.link(resource, "readme")
                if resource.kind == "github" and rng.random() < 0.2:
                    out.item(f"- {url}", (url, rid, family))
                elif resource.kind == "arxiv" and rng.random() < 0.5:
                    out.item(f"- [{2000 + resource.year} | {title}]({url})", (url, rid, family))
                else:
                    out.item(f"- [{title}]({url})", (url, rid, family))
            out.add("***", "")

    def write_nested(self, out: ListWriter, items: list[Resource], number: int) -> None:
        rng = self.rng
        out.add(
            "[The nomenclature is somewhat confusing.](https://www.linkedin.com/posts/yann-lecun_"
            f"a-survey-{number}?utm_source=share&utm_medium=member_desktop)"
        )
        out.add("- What's called one thing is another.", "- autoregressive decoder-style", "")
        out.add(
            f"![image](https://github.com/learn{number}/learn_LLMS/assets/13446418/07c93d37)", ""
        )
        out.add("Pretrained transformers can be excellent text classifiers.", "")
        for top, part in enumerate(self.sections(items), start=1):
            topic = self.topic()
            if rng.random() < 0.6:
                url, rid, family = self.local_link(
                    f"https://github.com/learn{number}/learn_LLMS/blob/main/"
                    f"{topic.replace(' ', '%20')}.md"
                )
                out.item(f"{top}.".ljust(4) + f"[{topic}]({url})", (url, rid, family))
            else:
                out.add(f"{top}.".ljust(4) + topic)
            child = 0
            group = False
            for resource in part:
                title, url, rid, family = self.link(resource, "nested")
                if rng.random() < 0.15 and not family.startswith("venue"):
                    title += rng.choice(
                        [f" - {resource.authors[0]}", f" - 4/5/23 - {resource.authors[0]}"]
                    )
                marker = rng.choice(["", "", "", "  ****READ THIS ****", " <b>SUPER</b>"])
                indent = " " * (6 + len(str(child)))
                if group and rng.random() < 0.7:
                    out.item(f"{indent}- [{title}]({url}){marker}", (url, rid, family))
                    continue
                child += 1
                if rng.random() < 0.15:
                    out.add(f"    {child}. {self.topic()}")
                    indent = " " * (6 + len(str(child)))
                    out.item(f"{indent}- [{title}]({url}){marker}", (url, rid, family))
                    group = True
                    continue
                group = False
                out.item(f"    {child}. [{title}]({url}){marker}", (url, rid, family))
            out.add("")


class Sampler(threading.Thread):
    """Peak RSS of a process and of its whole tree, read from /proc every SAMPLE_SECONDS."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_main = self.peak_tree = 0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            parents: dict[int, list[int]] = defaultdict(list)
            for entry in os.listdir("/proc"):
                if entry.isdigit():
                    try:
                        stat = Path(f"/proc/{entry}/stat").read_text()
                    except OSError:
                        continue
                    parents[int(stat.rsplit(")", 1)[1].split()[1])].append(int(entry))
            tree, stack = [], [self.pid]
            while stack:
                pid = stack.pop()
                tree.append(pid)
                stack.extend(parents.get(pid, ()))
            sizes = [rss_kib(pid) for pid in tree]
            self.peak_main = max(self.peak_main, sizes[0])
            self.peak_tree = max(self.peak_tree, sum(sizes))
            self.done.wait(SAMPLE_SECONDS)


def rss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


@dataclass
class BuildRun:
    wall: float
    cpu: float
    peak_main: int
    peak_tree: int
    status: int
    stderr: str


def build_options() -> dict[str, bool]:
    """Which of the options this benchmark uses the CLI offers today."""
    help_text = subprocess.run(
        [sys.executable, "-m", "awesomerge", "build", "--help"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    names = set(re.findall(r"(?<![\w-])(-[\w]|--[\w-]+)", help_text))
    return {
        name: name in names
        for name in ("-j", "--jobs", "--no-cache", "--timings", "--cache", "--output", "--out")
    }


def run_build(command: list[str], log: Path) -> BuildRun:
    started = time.perf_counter()
    with log.open("w", encoding="utf-8") as stderr:
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=stderr)
        sampler = Sampler(process.pid)
        sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        sampler.done.set()
        sampler.join()
    # Not usage.ru_maxrss: it counts the build process as it was between fork and exec, a copy
    # of this one, which holds the last dataset it scored (4 GB after a 1M build).
    return BuildRun(
        wall,
        usage.ru_utime + usage.ru_stime,
        sampler.peak_main,
        sampler.peak_tree,
        process.returncode,
        log.read_text(encoding="utf-8", errors="replace"),
    )


def build_command(
    corpus: Path, out: Path, options: dict[str, bool], jobs: int | None, cache: Path | None
) -> list[str]:
    command = [sys.executable, "-m", "awesomerge", "build", str(corpus)]
    command += ["--out" if options["--out"] and not options["--output"] else "-o", str(out)]
    if jobs and (options["-j"] or options["--jobs"]):
        command += ["-j" if options["-j"] else "--jobs", str(jobs)]
    if cache is not None and options["--cache"]:
        command += ["--cache", str(cache)]
    elif options["--no-cache"]:
        command.append("--no-cache")
    if options["--timings"]:
        command.append("--timings")
    return command


def pairs(count: int) -> int:
    return count * (count - 1) // 2


def score(corpus: Corpus, dataset: dict[str, object]) -> None:
    """Pair-counting precision and recall of the entries against the truth, with the errors."""
    paths = {source["id"]: source["path"] for source in dataset["sources"]}  # type: ignore[index, union-attr]
    root = corpus.folder.name
    placed: dict[tuple[str, int, str], tuple[int, dict[str, object]]] = {}
    outside: list[tuple[str, int, str]] = []
    evidence: dict[int, list[str]] = {}
    for index, entry in enumerate(dataset["entries"]):  # type: ignore[arg-type, union-attr]
        evidence[index] = entry["evidence"]
        for occurrence in entry["occurrences"]:
            path = paths[occurrence["source"]]
            path = path.split(f"{root}/", 1)[1] if f"{root}/" in path else path
            key = (path, occurrence["line"], occurrence["url"])
            if key in corpus.truth:
                placed[key] = (index, occurrence)
            else:
                outside.append(key)
    missing = [key for key in corpus.truth if key not in placed]
    cells: Counter[tuple[int, int]] = Counter()
    by_entry: Counter[int] = Counter()
    by_truth: Counter[int] = Counter()
    members: dict[int, dict[int, list[tuple[str, int, str]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    spread: dict[int, dict[int, list[tuple[str, int, str]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for key, (index, _) in placed.items():
        number = corpus.truth[key][0]
        cells[(index, number)] += 1
        by_entry[index] += 1
        by_truth[number] += 1
        members[index][number].append(key)
        spread[number][index].append(key)
    together = sum(pairs(count) for count in cells.values())
    in_entries = sum(pairs(count) for count in by_entry.values())
    in_truth = sum(pairs(count) for count in by_truth.values())
    print(
        f"  occurrences: {len(corpus.truth):,} generated, {len(placed):,} found, "
        f"{len(missing):,} missing, {len(outside):,} in the dataset beyond the truth"
    )
    print(
        f"  entries: {len(dataset['entries']):,}; truth resources listed: {len(by_truth):,}"  # type: ignore[arg-type]
    )
    print(
        f"  precision {together / in_entries if in_entries else 1:.4f} "
        f"({in_entries - together:,} of {in_entries:,} pairs wrongly merged), "
        f"recall {together / in_truth if in_truth else 1:.4f} "
        f"({in_truth - together:,} of {in_truth:,} pairs wrongly split)"
    )
    related = {link["url"] for entry in dataset["entries"] for link in entry["related"]}  # type: ignore[union-attr, index]
    prose = {link["url"] for source in dataset["sources"] for link in source["links"]}  # type: ignore[union-attr, index]
    elsewhere = {(key[0], key[2]) for key in placed} | {(key[0], key[2]) for key in outside}
    if missing:
        print("  missing occurrences (shape, where the URL went, count, example):")

        def where(key: tuple[str, int, str]) -> tuple[str, str]:
            if (key[0], key[2]) in elsewhere:
                went = "an occurrence on another line"
            elif key[2] in related:
                went = "a related link"
            else:
                went = "a prose link" if key[2] in prose else "lost"
            return key[0].split("/")[0], went

        examples = {}
        for key in missing:
            examples.setdefault(where(key), key)
        for (shape, went), count in Counter(map(where, missing)).most_common():
            example = examples[(shape, went)]
            line = (
                (corpus.folder / example[0]).read_text(encoding="utf-8").split("\n")[example[1] - 1]
            )
            print(
                f"    {shape}: {went}: {count:,}, "
                f"e.g. {example[0]}:{example[1]} {line.strip()[:160]}"
            )

    titles = {key: occurrence["title"] for key, (_, occurrence) in placed.items()}
    pool = corpus.pool

    def label(number: int) -> str:
        return pool[number].kind if number < len(pool) else "local"

    def show(key: tuple[str, int, str]) -> str:
        return f"{key[0]}:{key[1]} [{titles[key]}]({key[2]})"

    merged: dict[str, list[object]] = {}
    for index, groups in members.items():
        if len(groups) < 2:
            continue
        numbers = sorted(groups, key=lambda number: -len(groups[number]))[:50]
        for first, second in itertools.combinations(numbers, 2):
            a, b = (first, second) if first < second else (second, first)
            origin = pool[a].of if a < len(pool) and pool[a].trap else a
            trap = pool[b].trap if b < len(pool) and pool[b].of == origin else ""
            name = f"{trap} (near miss)" if trap else f"{label(a)} + {label(b)}"
            row = merged.setdefault(
                name,
                [0, f"{show(groups[a][0])}  ==  {show(groups[b][0])}  evidence {evidence[index]}"],
            )
            row[0] += len(groups[a]) * len(groups[b])  # type: ignore[operator]
    split: dict[str, list[object]] = {}
    for number, parts in spread.items():
        if len(parts) < 2:
            continue
        ordered = sorted(parts, key=lambda index: -len(parts[index]))
        first, second = (
            "/".join(sorted({corpus.truth[key][1] for key in parts[index]}))
            for index in ordered[:2]
        )
        name = f"{label(number)}: {first} vs {second}"
        lost = pairs(sum(len(keys) for keys in parts.values())) - sum(
            pairs(len(keys)) for keys in parts.values()
        )
        row = split.setdefault(
            name, [0, f"{show(parts[ordered[0]][0])}  !=  {show(parts[ordered[1]][0])}"]
        )
        row[0] += lost  # type: ignore[operator]
    for heading, rows in (("wrongly merged", merged), ("wrongly split", split)):
        if not rows:
            continue
        print(f"  {heading} (pairs, kind, example):")
        for name, (count, example) in sorted(rows.items(), key=lambda row: -row[1][0])[:12]:  # type: ignore[operator]
            print(f"    {count:>10,}  {name}\n                e.g. {example}")


def parse_all(files: list[Path]) -> tuple[float, float]:
    parser = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    cpu, wall = time.process_time(), time.perf_counter()
    for file in files:
        parser.parse(file.read_text(encoding="utf-8"))
    return time.process_time() - cpu, time.perf_counter() - wall


def print_build(run: BuildRun, label: str) -> None:
    stages = [match.groups() for match in map(TIMING_LINE.match, run.stderr.splitlines()) if match]
    summary = next((line for line in run.stderr.splitlines() if SUMMARY_LINE.match(line)), "")
    print(
        f"  {label}: {run.wall:.2f} s wall, {run.cpu:.2f} s CPU, exit {run.status}; peak RSS "
        f"{run.peak_main / 1024:,.0f} MiB (process), {run.peak_tree / 1024:,.0f} MiB (tree)"
    )
    if summary:
        print(f"    {summary}")
    if stages:
        print("    | stage | seconds | share |\n    |---|---:|---:|")
        for name, seconds, share in stages:
            print(f"    | {name} | {seconds} | {share}% |")
    if run.status not in (0, 1):
        print("    " + "\n    ".join(run.stderr.splitlines()[-15:]))


def bench(size: int, arguments: argparse.Namespace, options: dict[str, bool], folder: Path) -> None:
    started = time.perf_counter()
    corpus = Corpus(size, arguments.seed, folder / "corpus")
    corpus.write()
    generated = time.perf_counter() - started
    megabytes = sum(file.stat().st_size for file in corpus.files) / 1e6
    print(
        f"\n## {size:,} occurrences: {len(corpus.files):,} files, {megabytes:.1f} MB "
        f"(generated in {generated:.1f} s)"
    )
    parse_cpu, parse_wall = parse_all(corpus.files)
    print(
        f"  markdown-it-py read + parse, one process: {parse_cpu:.2f} s CPU "
        f"({parse_wall:.2f} s wall)"
    )
    out = folder / "output"
    run = run_build(
        build_command(corpus.folder, out, options, arguments.jobs, None), folder / "build.log"
    )
    print_build(run, "build")
    print(f"  ratio build wall / parse CPU (single process): {run.wall / parse_cpu:.2f}")
    dataset_file = out / "awesomerge.json"
    if not dataset_file.exists():
        print("  no awesomerge.json was written")
        return
    score(corpus, json.loads(dataset_file.read_text(encoding="utf-8")))
    if arguments.incremental:
        incremental(corpus, folder, options, arguments.jobs)


def incremental(corpus: Corpus, folder: Path, options: dict[str, bool], jobs: int | None) -> None:
    """A cold build with a cache, then a rebuild after a few items of one list changed."""
    if not options["--cache"]:
        print("  incremental: the CLI has no --cache yet; the rebuild below is a full build")
    cache, out = folder / "cache", folder / "output-incremental"
    shutil.rmtree(cache, ignore_errors=True)
    command = build_command(corpus.folder, out, options, jobs, cache)
    cold = run_build(command, folder / "cold.log")
    print_build(cold, "cold build with cache")
    changed = next(file for file in corpus.files if "references" in file.name)
    lines = changed.read_text(encoding="utf-8").split("\n")
    edited = 0
    for number, line in enumerate(lines):
        if edited < 5 and line.startswith("  - [") and line.endswith(")") and "?" not in line:
            lines[number] = line[:-1] + "?utm_source=rss)"
            edited += 1
    changed.write_text("\n".join(lines), encoding="utf-8")
    warm = run_build(command, folder / "warm.log")
    print_build(warm, f"rebuild after {edited} items of {changed.name} changed")
    print(f"  ratio rebuild / cold build: {warm.wall / cold.wall:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[10_000, 100_000])
    parser.add_argument("--jobs", "-j", type=int, default=None, help="passed to build -j")
    parser.add_argument("--keep", type=Path, default=None, help="keep corpora and outputs here")
    parser.add_argument("--incremental", action="store_true", help="also time a cached rebuild")
    parser.add_argument("--seed", type=int, default=7)
    arguments = parser.parse_args()
    options = build_options()
    offered = [name for name in ("-j", "--no-cache", "--timings", "--cache") if options[name]]
    print(
        "build options offered by the CLI: "
        + (", ".join(offered) or "none of -j, --no-cache, --timings, --cache")
    )
    for size in arguments.sizes:
        if arguments.keep:
            folder = arguments.keep / str(size)
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True)
            bench(size, arguments, options, folder)
        else:
            with tempfile.TemporaryDirectory(prefix=f"bench-whole-{size}-") as temporary:
                bench(size, arguments, options, Path(temporary))


if __name__ == "__main__":
    main()

"""Benchmark the normaliser on synthetic occurrences with realistic duplicates.

Usage: python benchmarks/bench_normalize.py 10000 100000 1000000

Each size runs in a fresh process, so peak memory (max RSS) is that run's alone. The synthetic
lists mimic the seeds: a Zipf-like popularity (a few resources listed many times), arXiv papers
linked as abs/pdf/versioned/http, GitHub repositories in other cases or with .git and /tree/main,
YouTube videos as youtu.be or watch?v= with tracking, articles with http/www/utm/trailing slash,
titles with an arXiv prefix or other case, and some generic link texts; 3% of the resources are
an ACL Anthology paper titled like another with a subtitle added (with an arXiv paper they must go
to review, not merge), and 3% copies of another on a second host (they merge on an informative
title).
"""

from __future__ import annotations

import json
import random
import resource
import subprocess
import sys
import time

WORDS_IN_VOCABULARY = 20_000
ITEMS_PER_LIST = 100


def synthetic(size: int, seed: int = 7) -> list[object]:
    from awesomerge.models import Item, SourceRecord
    from awesomerge.normalize import ParsedSource

    rng = random.Random(seed)
    vocabulary = [f"w{index}" for index in range(WORDS_IN_VOCABULARY)]
    weights = [1 / (rank + 1) for rank in range(WORDS_IN_VOCABULARY)]
    resources = size // 3

    def title() -> str:
        return " ".join(rng.choices(vocabulary, weights, k=rng.randint(4, 10))).capitalize()

    pool = []
    for number in range(resources):
        kind = rng.random()
        if kind < 0.4:
            pool.append(
                (
                    "arxiv",
                    f"{rng.randint(15, 24):02d}{rng.randint(1, 12):02d}."
                    f"{rng.randint(1, 99999):05d}",
                    title(),
                )
            )
        elif kind < 0.6:
            pool.append(("github", f"owner{number}/repo{number}", title()))
        elif kind < 0.7:
            video = "".join(rng.choices("abcdefghijkABCDEFGHIJK0123456789_-", k=11))
            pool.append(("youtube", video, title()))
        elif kind < 0.94 or not pool:
            pool.append(("web", f"site{number % 5000}.example/post/{number}", title()))
        elif kind < 0.97:  # an earlier title with a subtitle: must go to review, not merge
            pool.append(("acl", f"2023.acl-long.{number}", pool[-1][2] + ": a summary"))
        else:  # a copy of an earlier resource's page on another host: merges on its title
            pool.append(("web", f"copy{number}.example/p", pool[-1][2]))

    def url(kind: str, key: str) -> str:
        variant = rng.random()
        if kind == "arxiv":
            return rng.choice(
                [
                    f"https://arxiv.org/abs/{key}",
                    f"https://arxiv.org/pdf/{key}.pdf",
                    f"http://arxiv.org/abs/{key}v2",
                    f"https://arxiv.org/pdf/{key}v1",
                ]
            )
        if kind == "github":
            return rng.choice(
                [
                    f"https://github.com/{key}",
                    f"https://github.com/{key.upper()}.git",
                    f"https://github.com/{key}/tree/main",
                    f"https://github.com/{key}#readme",
                ]
            )
        if kind == "acl":
            return f"https://aclanthology.org/{key}/"
        if kind == "youtube":
            return rng.choice(
                [
                    f"https://www.youtube.com/watch?v={key}",
                    f"https://youtu.be/{key}?si=abc",
                    f"https://m.youtube.com/watch?v={key}&t=30s",
                ]
            )
        scheme = "http" if variant < 0.2 else "https"
        host = "www." if variant < 0.5 else ""
        tail = "/" if variant > 0.7 else "?utm_source=newsletter" if variant > 0.6 else ""
        return f"{scheme}://{host}{key}{tail}"

    sources = []
    popularity = [1 / (rank + 1) ** 0.8 for rank in range(resources)]
    chosen = rng.choices(range(resources), popularity, k=size)
    for start in range(0, size, ITEMS_PER_LIST):
        items = []
        for line, index in enumerate(chosen[start : start + ITEMS_PER_LIST], start=1):
            kind, key, name = pool[index]
            shown = rng.random()
            text = (
                f"[{key}] {name}"
                if kind == "arxiv" and shown < 0.2
                else name.lower()
                if shown < 0.4
                else "paper"
                if shown < 0.45
                else name
            )
            items.append(Item(url=url(kind, key), title=text, line=line))
        record = SourceRecord(
            id=f"list{start // ITEMS_PER_LIST:06d}",
            path="x.md",
            format="markdown",
            title="x",
            sha256="",
        )
        sources.append(ParsedSource(record=record, items=items))
    return sources


def run_one(size: int) -> dict[str, float]:
    from awesomerge.normalize import merge

    sources = synthetic(size)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    merged = merge(sources)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "occurrences": size,
        "entries": len(merged.entries),
        "review": len(merged.review),
        "seconds": round(seconds, 2),
        "microseconds_per_occurrence": round(seconds / size * 1e6, 1),
        "peak_rss_mib": round(peak / 1024),
        "rss_growth_mib": round((peak - before) / 1024),
    }


def main() -> None:
    if sys.argv[1:2] == ["--one"]:
        print(json.dumps(run_one(int(sys.argv[2]))))
        return
    print("| occurrences | entries | to review | seconds | µs / occurrence | peak RSS (MiB) |")
    print("|---:|---:|---:|---:|---:|---:|")
    for size in map(int, sys.argv[1:] or ["10000", "100000"]):
        output = subprocess.run(
            [sys.executable, __file__, "--one", str(size)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        row = json.loads(output)
        print(
            f"| {row['occurrences']:,} | {row['entries']:,} | {row['review']:,} | "
            f"{row['seconds']} | {row['microseconds_per_occurrence']} | {row['peak_rss_mib']:,} |",
            flush=True,
        )


if __name__ == "__main__":
    main()

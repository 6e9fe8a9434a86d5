"""Benchmark a whole build against the Markdown parser's own time on the same files.

Generates lists in the five seed shapes by copying the seeds in inputs/ with most URLs made
unique per copy (a fifth stay shared, so copies also merge), then, in one process:

* parses every file once with markdown-it-py, as the floor no build can go under;
* runs the build (reading, detection, parsing, merging) and renders every output.

It prints CPU seconds for both and their ratio, which is what to compare across changes: the
ratio hardly depends on the machine.

    python benchmarks/bench_build.py 1250      # about 100k occurrences
"""

from __future__ import annotations

import hashlib
import re
import resource
import sys
import tempfile
import time
from pathlib import Path

from markdown_it import MarkdownIt

from awesomerge.build import build, write_outputs
from awesomerge.configure import CommandLine, configure
from awesomerge.plugins import load_plugins
from awesomerge.settings import input_roots, load_settings

SEEDS = Path(__file__).resolve().parents[1] / "inputs"
_HOST = re.compile(r"(https?://)([^/\s)\]>\"'<]+)")


def make_lists(folder: Path, copies: int) -> list[Path]:
    """`copies` copies of each seed, their URLs unique to the copy except one in five."""
    seeds = sorted(SEEDS.glob("*.md"))
    paths = []
    for copy in range(copies):
        for seed in seeds:
            text = seed.read_text(encoding="utf-8")

            def unique(match: re.Match[str], copy: int = copy) -> str:
                digest = hashlib.sha256(f"{copy}{match.group(0)}".encode()).digest()
                if digest[0] < 52:  # about one in five stays shared between copies
                    return match.group(0)
                return f"{match.group(1)}c{copy}.{match.group(2)}"

            path = folder / f"{seed.stem}-{copy:05d}.md"
            path.write_text(_HOST.sub(unique, text), encoding="utf-8")
            paths.append(path)
    return paths


def cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main(copies: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        paths = make_lists(Path(folder), copies)
        size = sum(path.stat().st_size for path in paths)
        parser = MarkdownIt("commonmark").enable(["table", "strikethrough"])
        start = cpu()
        for path in paths:
            parser.parse(path.read_text(encoding="utf-8"))
        parse_seconds = cpu() - start

        start = cpu()
        wall = time.perf_counter()
        settings = load_settings(paths, input_roots([folder]))
        plugins = configure(load_plugins(entry_points=False), settings, CommandLine((), ()))
        result = build([folder], plugins, settings=settings)
        write_outputs(result.collection, plugins.outputs, Path(folder) / "out")
        build_seconds = cpu() - start
        wall = time.perf_counter() - wall
    occurrences = sum(len(entry.occurrences) for entry in result.dataset.entries)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{len(paths)} files, {size / 1e6:.1f} MB, {occurrences} occurrences, "
        f"{len(result.dataset.entries)} entries, {len(result.review)} to review"
    )
    print(f"markdown-it parse: {parse_seconds:.1f} s CPU")
    print(f"build + outputs:   {build_seconds:.1f} s CPU ({wall:.1f} s wall), peak {peak:.0f} MiB")
    print(f"ratio build / parse: {build_seconds / parse_seconds:.2f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100)

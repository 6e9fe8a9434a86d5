"""Time and memory of a build beside each hostile input of tests/hostile_cases.py.

Usage: python benchmarks/bench_hostile.py [--timeout 120] [--only NAME...] [--src DIR]

Each case gets a fresh folder with the five seed lists and its own files, and is built with
``python -m awesomerge build inputs -o out --no-cache -j 1`` in a subprocess, sampling the RSS of
the process tree every 20 ms. The table gives the wall time (or the timeout), the peak RSS, the
exit status, whether every URL the case names and every seed occurrence reached the dataset,
and the first error or warning printed. ``--src`` runs another checkout's code (its ``src``
folder), to measure a version before a change.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.hostile_cases import CASES, Case, unreadable_folders  # noqa: E402

SEEDS = sorted((ROOT / "inputs").glob("*.md"))


def tree_rss(pid: int) -> int:
    """The RSS in bytes of a process and its children, read from /proc."""
    total = 0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            with open(f"/proc/{current}/statm") as handle:
                total += int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
            with open(f"/proc/{current}/task/{current}/children") as handle:
                pending.extend(int(child) for child in handle.read().split())
        except (OSError, ValueError):
            continue
    return total


def run(case: Case, timeout: float, src: Path | None) -> dict[str, object]:
    folder = Path(tempfile.mkdtemp(prefix="hostile-"))
    try:
        inputs = folder / "inputs"
        inputs.mkdir()
        for seed in SEEDS:
            shutil.copy(seed, inputs / seed.name)
        case.make(inputs)
        environment = dict(os.environ)
        if src is not None:
            environment["PYTHONPATH"] = str(src)
        command = [sys.executable, "-m", "awesomerge", "build", "inputs", "-o", "out"]
        command += ["--no-cache", "-j", "1"]
        started = time.perf_counter()
        process = subprocess.Popen(
            command,
            cwd=folder,
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            errors="replace",
        )
        peak = 0
        done = threading.Event()

        def sample() -> None:
            nonlocal peak
            while not done.is_set():
                peak = max(peak, tree_rss(process.pid))
                time.sleep(0.02)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        try:
            _, stderr = process.communicate(timeout=timeout)
            status: object = process.returncode
        except subprocess.TimeoutExpired:
            process.kill()
            _, stderr = process.communicate()
            status = "killed"
        seconds = time.perf_counter() - started
        done.set()
        sampler.join()
        said = [
            line for line in stderr.splitlines() if line.startswith(("error:", "warning:", "Error"))
        ]
        traceback = "Traceback" in stderr
        kept = seeds_whole = "-"
        dataset_path = folder / "out" / "awesomerge.json"
        if dataset_path.exists():
            dataset = json.loads(dataset_path.read_text(encoding="utf-8"))
            urls = {
                url
                for entry in dataset["entries"]
                for url in [
                    *(occurrence["url"] for occurrence in entry["occurrences"]),
                    *(link["url"] for link in entry["related"]),
                ]
            } | {link["url"] for source in dataset["sources"] for link in source["links"]}
            lost = [url for url in case.keep if url not in urls]
            kept = "yes" if not lost else f"{len(lost)} of {len(case.keep)} lost"
            if any(url in urls for url in case.absent):
                kept += "; read what it must not"
            paths = {source["path"] for source in dataset["sources"]}
            seeds_whole = "yes" if all(f"inputs/{s.name}" in paths for s in SEEDS) else "no"
        return {
            "case": case.name,
            "seconds": seconds,
            "status": status,
            "peak": peak / 2**20,
            "kept": kept,
            "seeds": seeds_whole,
            "traceback": traceback,
            "said": (said[0] if said else "")[:90],
        }
    finally:
        for path in unreadable_folders(folder):
            path.chmod(0o700)
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--timeout", type=float, default=120.0)
    parser.add_argument("--only", nargs="*", default=None, help="case names to run")
    parser.add_argument("--src", type=Path, default=None, help="another checkout's src folder")
    arguments = parser.parse_args()
    print(
        "| case | wall s | peak MiB | exit | URLs kept | seeds written | traceback "
        "| first message |"
    )
    print("|---|---:|---:|---|---|---|---|---|")
    for case in CASES:
        if arguments.only and case.name not in arguments.only:
            continue
        row = run(case, arguments.timeout, arguments.src)
        seconds = (
            f"{row['seconds']:.1f}" if row["status"] != "killed" else f">{arguments.timeout:.0f}"
        )
        print(
            f"| {row['case']} | {seconds} | {row['peak']:.0f} | {row['status']} | {row['kept']} "
            f"| {row['seeds']} | {'yes' if row['traceback'] else ''} | {row['said']} |",
            flush=True,
        )


if __name__ == "__main__":
    main()

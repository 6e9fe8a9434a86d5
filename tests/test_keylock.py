"""awesomerge.lock: a citation key, once given, names the same entry in every later build."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from awesomerge.keylock import LOCK_NAME, KeyLock, KeyLockError
from awesomerge.models import Entry, Occurrence

from .conftest import SEEDS


def awesomerge(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["awesomerge", *args], cwd=cwd, capture_output=True, text=True, check=False
    )


def bib_keys(folder: Path) -> dict[str, str]:
    """Each key of bibliography.bib and the url it names."""
    text = (folder / "bibliography.bib").read_text(encoding="utf-8")
    found: dict[str, str] = {}
    for block in re.split(r"\n(?=@)", text):
        key = re.match(r"@\w+\{([^,]+),", block)
        url = re.search(r"^  url = \{(.*)\},$", block, re.MULTILINE)
        assert key is not None
        found[key.group(1)] = url.group(1) if url else ""
    return found


def csl_keys(folder: Path) -> dict[str, str]:
    """Each citation key of bibliography.csl.json and the awesomerge id of its entry."""
    items: list[dict[str, Any]] = json.loads(
        (folder / "bibliography.csl.json").read_text(encoding="utf-8")
    )
    return {item["id"]: item["custom"]["awesomerge_id"] for item in items}


def clashing_list(keys: dict[str, str]) -> str:
    """A list in another shape (a table) whose items would take existing keys: for each
    author-less entry keyed by its site and first title word, a page of the same site whose
    title starts with the same word."""
    rows = ["# Clashes", "", "| Resource | Note |", "|---|---|"]
    for number, (key, url) in enumerate(sorted(keys.items())):
        match = re.fullmatch(r"[a-z]+_([a-z]+)", key)
        host = re.match(r"https?://[^/]+", url)
        if match and host:
            word = match.group(1)
            rows.append(f"| [{word} again]({host.group()}/clash-{number}) | a clash |")
    assert len(rows) > 20
    return "\n".join(rows) + "\n"


def test_adding_a_clashing_list_keeps_every_old_key(tmp_path: Path) -> None:
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    for seed in SEEDS:
        shutil.copy(seed, inputs / seed.name)
    first = awesomerge("build", "inputs", "-o", "out1", "-q", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert (inputs / LOCK_NAME).is_file()
    before_bib, before_csl = bib_keys(tmp_path / "out1"), csl_keys(tmp_path / "out1")
    assert set(before_bib) == set(before_csl)

    (inputs / "zz-clashes.md").write_text(clashing_list(before_bib), encoding="utf-8")
    second = awesomerge("build", "inputs", "-o", "out2", "-q", cwd=tmp_path)
    assert second.returncode == 0, second.stderr
    after_bib, after_csl = bib_keys(tmp_path / "out2"), csl_keys(tmp_path / "out2")
    assert len(after_bib) > len(before_bib)
    for key, url in before_bib.items():
        assert after_bib[key] == url, key
        assert after_csl[key] == before_csl[key], key

    # The same inputs without the lock: the new list takes some of the old keys.
    (inputs / LOCK_NAME).unlink()
    fresh = awesomerge("build", "inputs", "-o", "out3", "-q", cwd=tmp_path)
    assert fresh.returncode == 0, fresh.stderr
    unlocked = bib_keys(tmp_path / "out3")
    assert [key for key, url in before_bib.items() if unlocked.get(key) != url], (
        "the clashing list clashes with nothing: the test proves nothing"
    )


def test_a_vanished_entrys_key_stays_reserved(tmp_path: Path) -> None:
    inputs = tmp_path / "lists"
    inputs.mkdir()
    (inputs / "a.md").write_text(
        "# A\n\n- [Deep Learning](https://one.example.com/deep) - by Ann Lee, 2020.\n",
        encoding="utf-8",
    )
    assert awesomerge("build", "lists", "-o", "o1", "-q", cwd=tmp_path).returncode == 0
    (old_key,) = bib_keys(tmp_path / "o1")
    (inputs / "a.md").write_text(
        "# A\n\n- [Deep Learning](https://two.example.com/deep) - by Ann Lee, 2020.\n",
        encoding="utf-8",
    )
    assert awesomerge("build", "lists", "-o", "o2", "-q", cwd=tmp_path).returncode == 0
    (new_key,) = bib_keys(tmp_path / "o2")
    assert new_key != old_key and new_key.startswith(old_key)
    lock = (inputs / LOCK_NAME).read_text(encoding="utf-8")
    assert f"[citation-keys.{old_key}]" in lock and f"[citation-keys.{new_key}]" in lock
    # The first resource is listed again: its key comes back to it.
    (inputs / "b.md").write_text(
        "# B\n\n- [Deep Learning](https://one.example.com/deep) - by Ann Lee, 2020.\n",
        encoding="utf-8",
    )
    assert awesomerge("build", "lists", "-o", "o3", "-q", cwd=tmp_path).returncode == 0
    assert bib_keys(tmp_path / "o3") == {
        old_key: "https://one.example.com/deep",
        new_key: "https://two.example.com/deep",
    }


def entry(id: str, url: str, *urls: str, **fields: Any) -> Entry:
    occurrences = [Occurrence(source="s", url=link, title="T", line=1) for link in (url, *urls)]
    return Entry(id=id, url=url, title="T", kind="paper", occurrences=occurrences, **fields)


def lock_keys(lock: KeyLock, entries: list[Entry], bases: list[str]) -> list[str]:
    def new_keys(positions: Any, reserved: frozenset[str]) -> dict[int, str]:
        keys = {}
        for position in positions:
            key = bases[position]
            while key in reserved or key in keys.values():
                key += "x"
            keys[position] = key
        return keys

    return lock.keys(entries, new_keys)


def test_an_entry_whose_id_changed_is_found_by_its_urls_and_identifiers(tmp_path: Path) -> None:
    path = tmp_path / LOCK_NAME
    lock = KeyLock(path)
    old = entry("url:1", "https://example.org/paper.pdf")
    assert lock_keys(lock, [old], ["lee2020deep"]) == ["lee2020deep"]
    lock.save()
    # It merged with an arXiv entry: a new id and URL, the old URL among its occurrences.
    merged = entry(
        "arxiv:2001.00001",
        "https://arxiv.org/abs/2001.00001",
        "https://example.org/paper.pdf",
        identifiers={"arxiv": "2001.00001"},
    )
    other = entry("url:0", "https://example.org/other")  # sorts first
    assert lock_keys(KeyLock(path), [other, merged], ["lee2020deep", "lee2020deep"]) == [
        "lee2020deepx",
        "lee2020deep",
    ]


def test_the_lock_is_deterministic_and_independent_of_entry_order(tmp_path: Path) -> None:
    entries = [entry(f"url:{n}", f"https://example.org/{n}") for n in range(5)]
    texts = []
    for order in (entries, entries[::-1]):
        lock = KeyLock(tmp_path / LOCK_NAME)
        lock_keys(lock, order, [f"k{e.id[-1]}" for e in order])
        texts.append(lock.text())
    assert texts[0] == texts[1]
    assert texts[0].index("[citation-keys.k0]") < texts[0].index("[citation-keys.k4]")
    assert "version = 1" in texts[0]


def test_a_broken_lock_names_its_file_and_nothing_is_written(tmp_path: Path) -> None:
    inputs = tmp_path / "lists"
    inputs.mkdir()
    (inputs / "a.md").write_text("# A\n\n- [Thing](https://example.com/thing)\n", encoding="utf-8")
    (inputs / LOCK_NAME).write_text("version = 1\n[citation-keys\n", encoding="utf-8")
    with pytest.raises(KeyLockError, match=LOCK_NAME):
        lock_keys(KeyLock(inputs / LOCK_NAME), [entry("url:1", "https://e.org/")], ["k"])
    completed = awesomerge("build", "lists", "-o", "out", "-q", cwd=tmp_path)
    assert completed.returncode != 0
    assert LOCK_NAME in completed.stderr and "delete it" in completed.stderr
    assert not (tmp_path / "out").exists()
    assert (inputs / LOCK_NAME).read_text(encoding="utf-8") == "version = 1\n[citation-keys\n"


def test_outputs_other_than_the_bibliographies_leave_the_lock_alone(tmp_path: Path) -> None:
    inputs = tmp_path / "lists"
    inputs.mkdir()
    (inputs / "a.md").write_text("# A\n\n- [Thing](https://example.com/thing)\n", encoding="utf-8")
    readme = awesomerge("build", "lists", "-o", "out", "--write", "readme", "-q", cwd=tmp_path)
    assert readme.returncode == 0, readme.stderr
    assert not (inputs / LOCK_NAME).exists()
    csl = awesomerge("build", "lists", "-o", "out", "--write", "csl-json", "-q", cwd=tmp_path)
    assert csl.returncode == 0, csl.stderr
    written = (inputs / LOCK_NAME).read_text(encoding="utf-8")
    (inputs / "b.md").write_text("# B\n\n- [Other](https://example.com/other)\n", encoding="utf-8")
    awesomerge("build", "lists", "-o", "out", "--write", "readme", "-q", cwd=tmp_path)
    assert (inputs / LOCK_NAME).read_text(encoding="utf-8") == written
    assert not list(inputs.glob(f".{LOCK_NAME}.*")), "a temporary file was left behind"


def test_a_file_input_keeps_its_lock_in_its_folder(tmp_path: Path) -> None:
    (tmp_path / "one.md").write_text("# A\n\n- [Thing](https://example.com/t)\n", encoding="utf-8")
    assert awesomerge("build", "one.md", "-o", "out", "-q", cwd=tmp_path).returncode == 0
    assert (tmp_path / LOCK_NAME).is_file()


def test_the_lock_is_as_readable_as_the_inputs_beside_it(tmp_path: Path) -> None:
    lock = KeyLock(tmp_path / LOCK_NAME)
    lock_keys(lock, [entry("url:1", "https://example.org/")], ["k"])
    old = os.umask(0o022)
    try:
        lock.save()
    finally:
        os.umask(old)
    assert (tmp_path / LOCK_NAME).stat().st_mode & 0o777 == 0o644


def test_the_lock_is_found_whatever_the_order_of_the_inputs(tmp_path: Path) -> None:
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        (tmp_path / name / f"{name}.md").write_text(
            f"# {name}\n\n- [Thing {name}](https://example.com/{name})\n", encoding="utf-8"
        )
    assert awesomerge("build", "a", "b", "-o", "o1", "-q", cwd=tmp_path).returncode == 0
    assert (tmp_path / "a" / LOCK_NAME).is_file()
    assert awesomerge("build", "b", "a", "-o", "o2", "-q", cwd=tmp_path).returncode == 0
    assert not (tmp_path / "b" / LOCK_NAME).exists()
    assert bib_keys(tmp_path / "o1") == bib_keys(tmp_path / "o2")


def test_without_the_key_lock_nothing_is_read_or_written_beside_the_inputs(tmp_path: Path) -> None:
    inputs = tmp_path / "lists"
    inputs.mkdir()
    (inputs / "a.md").write_text("# A\n\n- [Thing](https://example.com/thing)\n", encoding="utf-8")
    built = awesomerge("build", "lists", "-o", "out", "--no-key-lock", "-q", cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    assert sorted(path.name for path in inputs.iterdir()) == ["a.md"]
    # A lock the build cannot read does not matter when it is not read.
    (inputs / LOCK_NAME).write_text("version = 1\n[citation-keys\n", encoding="utf-8")
    again = awesomerge("build", "lists", "-o", "out", "--no-key-lock", "-q", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert list(bib_keys(tmp_path / "out").values()) == ["https://example.com/thing"]
    assert (inputs / LOCK_NAME).read_text(encoding="utf-8") == "version = 1\n[citation-keys\n"

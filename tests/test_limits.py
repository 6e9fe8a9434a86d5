"""The [limits] of awesomerge.toml: each one stops what is over it, by name, and raising it in
awesomerge.toml lets the input through."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from awesomerge.document import Document
from awesomerge.limits import Limits
from awesomerge.markdown import MAX_NESTING, ListItem

LIST = "# List\n\n- [One](https://one.example/)\n- [Two](https://two.example/)\n"


def _build(folder: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "awesomerge", "build", "lists", "-o", "out", "--no-cache"]
    return subprocess.run(command, cwd=folder, capture_output=True, text=True, check=False)


@pytest.mark.parametrize(
    ("setting", "text", "message"),
    [
        ("file_size = 40", LIST, "larger than the limit of 40 bytes"),
        ("line_length = 27", LIST, "big.md:3: a line of 29 characters, over the limit of 27"),
    ],
)
def test_a_file_over_a_limit_is_rejected_until_the_limit_is_raised(
    tmp_path: Path, setting: str, text: str, message: str
) -> None:
    lists = tmp_path / "lists"
    lists.mkdir()
    (lists / "big.md").write_text(text)
    (lists / "small.md").write_text("- [S](https://s.example/)\n")
    (lists / "awesomerge.toml").write_text(f"[limits]\n{setting}\n")
    completed = _build(tmp_path)
    assert completed.returncode == 1
    assert message in completed.stderr
    assert "[limits] " + setting.split()[0] in completed.stderr
    dataset = json.loads((tmp_path / "out" / "awesomerge.json").read_text())
    assert [source["path"] for source in dataset["sources"]] == ["lists/small.md"]
    (lists / "awesomerge.toml").write_text("[limits]\nfile_size = 1000\nline_length = 1000\n")
    assert _build(tmp_path).returncode == 0


def test_more_files_than_the_limit_is_a_usage_error(tmp_path: Path) -> None:
    lists = tmp_path / "lists"
    lists.mkdir()
    for number in range(4):
        (lists / f"{number}.md").write_text(f"- [N](https://n.example/{number})\n")
    (lists / "awesomerge.toml").write_text("[limits]\nfiles = 3\n")
    completed = _build(tmp_path)
    assert completed.returncode == 2
    assert "4 input files, over the limit of 3" in completed.stderr
    assert not (tmp_path / "out").exists()


def test_front_matter_over_its_limits_is_ignored_and_the_list_read() -> None:
    text = "---\ntitle: Big\ntags: [a, b, c, d]\n---\n\n- [One](https://one.example/)\n"
    roomy = Document("post.md", text)
    assert roomy.front_matter.data == {"title": "Big", "tags": ["a", "b", "c", "d"]}
    for limits, said in (
        (Limits(front_matter=10), "front matter of 29 characters, over the limit of 10"),
        (Limits(front_matter_values=4), "stands for more than 4 values"),
    ):
        tight = Document("post.md", text, limits=limits)
        assert tight.front_matter.data == {}
        assert tight.front_matter.warning is not None
        assert said in tight.front_matter.warning.message


def test_yaml_numbers_json_cannot_hold_are_kept_as_written() -> None:
    text = "---\nbig: " + "9" * 30 + "\nsmall: 12\nwide: .inf\nodd: .nan\nreal: 1.5\n---\n\n- x\n"
    data = Document("post.md", text).front_matter.data
    assert data == {"big": "9" * 30, "small": 12, "wide": ".inf", "odd": ".nan", "real": 1.5}


def test_a_limit_must_be_a_positive_whole_number(tmp_path: Path) -> None:
    lists = tmp_path / "lists"
    lists.mkdir()
    (lists / "a.md").write_text(LIST)
    (lists / "awesomerge.toml").write_text("[limits]\nfile_size = 0\n")
    completed = _build(tmp_path)
    assert completed.returncode == 2
    assert "limits.file_size" in completed.stderr


def test_yaml_values_no_dataset_can_hold_are_made_safe() -> None:
    text = '---\ntitle: "half \\ud800 pair"\ndate: 2020-13-45\nwhen: 2020-01-02\n---\n\n- x\n'
    data = Document("post.md", text).front_matter.data
    assert data == {"title": "half \ufffd pair", "date": "2020-13-45", "when": "2020-01-02"}


def _nested(levels: int) -> str:
    return "".join(f"{'  ' * d}- [Item {d}](https://deep.example/{d})\n" for d in range(levels))


def test_nesting_beyond_the_limit_is_read_flat_with_a_warning_and_the_limit_raises() -> None:
    text = "# Deep\n\n" + _nested(50)
    for limits, deepest, warned in (
        (Limits(), 30, True),  # the default: 64 levels, a list level takes two
        (Limits(nesting=16), 6, True),
        (Limits(nesting=128), 49, False),
    ):
        tree = Document("deep.md", text, limits=limits).markdown
        items = [item for item in tree.of_type(ListItem) if item.inline.links]
        assert len(items) == 50  # every item stays an item, however deep
        assert max(item.depth for item in items) == deepest
        messages = [warning.message for warning in tree.warnings]
        assert bool(messages) == warned
        assert all("[limits] nesting" in message for message in messages)


def test_nesting_is_read_from_awesomerge_toml(tmp_path: Path) -> None:
    lists = tmp_path / "lists"
    lists.mkdir()
    (lists / "deep.md").write_text("# Deep\n\n" + _nested(50))
    (lists / "awesomerge.toml").write_text("[limits]\nnesting = 128\n")
    completed = _build(tmp_path)
    assert completed.returncode == 0, completed.stderr
    assert "nested" not in completed.stderr and "indented" not in completed.stderr
    (lists / "awesomerge.toml").write_text("[limits]\nnesting = 1000\n")
    completed = _build(tmp_path)
    assert completed.returncode == 2
    assert "nesting" in completed.stderr and "256" in completed.stderr


def test_the_default_nesting_is_the_parsers() -> None:
    assert Limits().nesting == MAX_NESTING

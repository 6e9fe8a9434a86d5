"""The command line as a user runs it: build, explain, validate, exit statuses, messages."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from .conftest import ROOT, SEEDS


def awesomerge(*arguments: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["awesomerge", *arguments], cwd=cwd, capture_output=True, text=True, check=False
    )


def occurrences(dataset: dict[str, Any]) -> set[tuple[str, int, str]]:
    return {
        (occurrence["source"], occurrence["line"], occurrence["url"])
        for entry in dataset["entries"]
        for occurrence in entry["occurrences"]
    }


def test_bad_files_are_reported_one_by_one_and_the_seeds_still_merge(
    seeds_copy: Path, seed_build: dict[str, Any]
) -> None:
    (seeds_copy / "picture.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
    (seeds_copy / "empty.md").write_bytes(b"")
    (seeds_copy / "latin1.md").write_bytes(
        "# Liste\n\n- [Café](https://café.example/)\n".encode("latin-1")
    )
    completed = awesomerge("build", "inputs/", "-o", "out", cwd=seeds_copy.parent)
    assert completed.returncode == 1
    errors = [line for line in completed.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 3, completed.stderr
    assert any("inputs/picture.md" in line and "binary" in line for line in errors)
    assert any("inputs/empty.md" in line and "empty" in line for line in errors)
    assert any("inputs/latin1.md:3" in line and "UTF-8" in line for line in errors)
    written = json.loads((seeds_copy.parent / "out" / "awesomerge.json").read_text())
    assert occurrences(written) == occurrences(seed_build)
    assert len(written["sources"]) == len(SEEDS)


def test_a_declared_encoding_reads_the_latin1_file(tmp_path: Path) -> None:
    folder = tmp_path / "lists"
    folder.mkdir()
    (folder / "latin1.md").write_bytes("- [Café](https://cafe.example/)\n".encode("latin-1"))
    (folder / "awesomerge.toml").write_text('[files."latin1.md"]\nencoding = "latin-1"\n')
    completed = awesomerge("build", "lists", "-o", "out", cwd=tmp_path)
    assert completed.returncode == 0, completed.stderr
    dataset = json.loads((tmp_path / "out" / "awesomerge.json").read_text())
    assert [entry["title"] for entry in dataset["entries"]] == ["Café"]


def test_unknown_format_in_config_is_a_usage_error_naming_the_file(tmp_path: Path) -> None:
    folder = tmp_path / "lists"
    folder.mkdir()
    (folder / "a.md").write_text("- [A](https://a.example/)\n")
    (folder / "awesomerge.toml").write_text('[files."a.md"]\nformat = "nope"\n')
    completed = awesomerge("build", "lists", "-o", "out", cwd=tmp_path)
    assert completed.returncode == 2
    assert "awesomerge.toml" in completed.stderr and '"nope"' in completed.stderr


def test_a_typo_in_config_is_a_usage_error_naming_the_key(tmp_path: Path) -> None:
    folder = tmp_path / "lists"
    folder.mkdir()
    (folder / "a.md").write_text("- [A](https://a.example/)\n")
    (folder / "awesomerge.toml").write_text('[files."a.md"]\nformat_ = "markdown"\n')
    completed = awesomerge("build", "lists", "-o", "out", cwd=tmp_path)
    assert completed.returncode == 2
    assert 'lists/awesomerge.toml:2: files."a.md".format_: unknown key; did you mean "format"?' in (
        completed.stderr
    )


def test_missing_input_and_unknown_format_are_usage_errors(tmp_path: Path) -> None:
    missing = awesomerge("build", "no-such-folder", "-o", str(tmp_path))
    assert missing.returncode == 2
    assert "no-such-folder: no such file or folder" in missing.stderr
    unknown = awesomerge("build", "inputs/", "--format", "nope", "-o", str(tmp_path))
    assert unknown.returncode == 2
    assert '"nope"' in unknown.stderr and "markdown" in unknown.stderr


def test_build_prints_a_summary(tmp_path: Path) -> None:
    completed = awesomerge("build", "inputs/", "-o", str(tmp_path))
    assert completed.returncode == 0
    assert "5 sources" in completed.stderr
    assert "entries" in completed.stderr and "merged" in completed.stderr
    quiet = awesomerge("build", "inputs/", "-o", str(tmp_path), "--quiet")
    assert quiet.stderr == ""


def test_explain_shows_the_choice_and_why() -> None:
    completed = awesomerge("explain", "inputs/llm-primer-gist.md")
    assert completed.returncode == 0
    assert "inputs/llm-primer-gist.md" in completed.stdout
    assert "chosen:" in completed.stdout
    forced = awesomerge("explain", "inputs/llm-primer-gist.md", "--format", "markdown")
    assert "chosen explicitly" in forced.stdout


def test_explain_names_an_unreadable_file(tmp_path: Path) -> None:
    (tmp_path / "empty.md").write_bytes(b"")
    completed = awesomerge("explain", str(tmp_path / "empty.md"))
    assert completed.returncode == 1
    assert "empty.md: empty file" in completed.stderr


def test_validate_accepts_the_published_dataset() -> None:
    completed = awesomerge("validate", "output/awesomerge.json")
    assert completed.returncode == 0, completed.stderr
    assert "valid (5 sources" in completed.stdout


def test_validate_rejects_a_broken_dataset_and_says_where(tmp_path: Path) -> None:
    data = json.loads((ROOT / "output" / "awesomerge.json").read_text())
    data["entries"][3]["year"] = "last year"
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(data))
    completed = awesomerge("validate", str(broken))
    assert completed.returncode == 1
    assert "$.entries[3].year" in completed.stderr


def test_validate_rejects_text_that_is_not_json(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{\n  "sources": [\n  oops\n')
    completed = awesomerge("validate", str(broken))
    assert completed.returncode == 1
    assert "broken.json:3: not valid JSON" in completed.stderr


def test_version_and_python_dash_m() -> None:
    from awesomerge import __version__

    assert awesomerge("--version").stdout.strip() == f"awesomerge, version {__version__}"
    module = subprocess.run(
        [sys.executable, "-m", "awesomerge", "--help"], capture_output=True, text=True, check=False
    )
    assert module.returncode == 0
    assert "Usage: awesomerge" in module.stdout
    for command in ("build", "plugins", "explain", "validate"):
        assert command in module.stdout


@pytest.mark.parametrize("command", ["build", "plugins", "explain", "validate"])
def test_every_command_has_help_a_person_can_follow(command: str) -> None:
    completed = awesomerge(command, "--help")
    assert completed.returncode == 0
    assert len(completed.stdout.splitlines()) > 5


def test_explain_with_an_unknown_format_is_a_usage_error() -> None:
    completed = awesomerge("explain", "inputs/llm-primer-gist.md", "--format", "nope")
    assert completed.returncode == 2
    assert '"nope"' in completed.stderr


def test_build_and_explain_apply_the_same_config_from_a_parent_folder(tmp_path: Path) -> None:
    (tmp_path / "lists" / "old").mkdir(parents=True)
    (tmp_path / "lists" / "old" / "latin1.md").write_bytes(
        "- [Café](https://cafe.example/)\n".encode("latin-1")
    )
    (tmp_path / "lists" / "awesomerge.toml").write_text(
        '[files."old/*.md"]\nencoding = "latin-1"\nformat = "markdown"\n'
    )
    built = awesomerge("build", "lists", "-o", "out", cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    explained = awesomerge("explain", "lists/old/latin1.md", cwd=tmp_path)
    assert explained.returncode == 0, explained.stderr
    assert "chosen explicitly" in explained.stdout


def test_a_deeper_config_overrides_a_shallower_one(tmp_path: Path) -> None:
    (tmp_path / "lists" / "old").mkdir(parents=True)
    (tmp_path / "lists" / "old" / "a.md").write_bytes(
        "- [Café](https://cafe.example/)\n".encode("latin-1")
    )
    (tmp_path / "lists" / "awesomerge.toml").write_text('[files."a.md"]\nencoding = "utf-16"\n')
    (tmp_path / "lists" / "old" / "awesomerge.toml").write_text(
        '[files."a.md"]\nencoding = "latin-1"\n'
    )
    completed = awesomerge("build", "lists", "-o", "out", cwd=tmp_path)
    assert completed.returncode == 0, completed.stderr


def test_when_no_input_can_be_read_the_previous_output_is_kept(tmp_path: Path) -> None:
    (tmp_path / "lists").mkdir()
    (tmp_path / "lists" / "empty.md").write_bytes(b"")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "awesomerge.json").write_text("previous\n")
    completed = awesomerge("build", "lists", "-o", "out", cwd=tmp_path)
    assert completed.returncode == 1
    assert "nothing was written" in completed.stderr
    assert (tmp_path / "out" / "awesomerge.json").read_text() == "previous\n"


def test_a_folder_without_lists_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "lists").mkdir()
    (tmp_path / "lists" / "notes.rst").write_text("nothing to read\n")
    completed = awesomerge("build", "lists", "-o", "out", cwd=tmp_path)
    assert completed.returncode == 2
    assert "no *.markdown, *.md or *.txt files in lists" in completed.stderr


def test_paths_outside_the_working_folder_are_published_relative(tmp_path: Path) -> None:
    lists = tmp_path / "elsewhere" / "lists"
    lists.mkdir(parents=True)
    (lists / "a.md").write_text("- [A](https://a.example/)\n")
    work = tmp_path / "work"
    work.mkdir()
    completed = awesomerge("build", str(lists), "-o", "out", cwd=work)
    assert completed.returncode == 0, completed.stderr
    dataset = json.loads((work / "out" / "awesomerge.json").read_text())
    assert [source["path"] for source in dataset["sources"]] == ["lists/a.md"]


def test_the_progress_bar_follows_every_stage_with_its_count(tmp_path: Path) -> None:
    import io

    from rich.console import Console

    from awesomerge.build import build, write_outputs
    from awesomerge.plugins import load_plugins
    from awesomerge.progress import Stages
    from awesomerge.terminal import ProgressBar

    screen = io.StringIO()
    bar = ProgressBar(Console(file=screen, force_terminal=True, width=120))
    bar.DELAY = bar.REFRESH = 0.0  # draw every step, however quick the build
    stages = Stages(bar)
    plugins = load_plugins(entry_points=False)
    result = build([str(ROOT / "inputs")], plugins, jobs=2, stages=stages)
    write_outputs(result.collection, plugins.outputs, tmp_path, stages)
    stages.close()
    shown = screen.getvalue()
    for stage in ("reading", "merging: exact keys", "merging: titles", "writing README.md"):
        assert stage in shown
    assert "5/5" in shown  # the five seed lists, counted as they are read
    assert "output 5 of 5" in shown  # the last of five outputs being written
    assert "occurrences" in shown  # the merge says how many it merges
    assert next(iter(stages.timings)) == "reading"
    assert stages.table()[-1].split()[0] == "total"


def test_version_and_help_show_the_build_options() -> None:
    completed = awesomerge("--version")
    assert completed.returncode == 0 and completed.stdout.startswith("awesomerge, version ")
    completed = awesomerge("build", "--help")
    assert completed.returncode == 0
    for option in ("--jobs", "--cache DIR", "--no-cache", "--timings"):
        assert option in completed.stdout


def test_ctrl_c_while_writing_leaves_the_previous_output(tmp_path: Path) -> None:
    plugins = tmp_path / "plugins"
    plugins.mkdir()
    (plugins / "interrupted.py").write_text(
        "import awesomerge\n"
        "class Interrupted(awesomerge.Output):\n"
        "    name = 'zz-interrupted'\n"
        "    filename = 'zz.txt'\n"
        "    def render(self, collection):\n"
        "        raise KeyboardInterrupt  # as Ctrl-C does, halfway through the writing\n"
        "@awesomerge.hookimpl\n"
        "def register_outputs(register):\n"
        "    register(Interrupted)\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    out.mkdir()
    (out / "awesomerge.json").write_text("previous build\n", encoding="utf-8")
    completed = awesomerge(
        "build", str(ROOT / "inputs"), "-o", str(out), "--plugins-dir", str(plugins), "--no-cache"
    )
    assert completed.returncode == 130, completed.stderr
    assert "interrupted: nothing was written" in completed.stderr
    assert [path.name for path in out.iterdir()] == ["awesomerge.json"]
    assert (out / "awesomerge.json").read_text(encoding="utf-8") == "previous build\n"

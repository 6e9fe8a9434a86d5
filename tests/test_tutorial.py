"""The plugin tutorials in docs/plugins.md work as written: their files are saved and their
commands run, in order, in an empty folder, in a fresh virtual environment that awesomerge is
installed into from this checkout, as the tutorial says (there is no `pip install awesomerge`
from an index: the package is not on one).

Two things are done that the tutorial leaves to the reader: the checkout is linked into the
folder as `awesomerge/`, as its first step asks; and the new environment is shown this one's
packages behind its own, so that pip finds awesomerge's dependencies installed instead of
downloading them. Everything the tutorial tells a reader to type runs as typed.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import site
import subprocess
import sys
import tomllib
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from .conftest import ROOT

GUIDE = ROOT / "docs" / "plugins.md"
TUTORIALS = (
    "Tutorial: a source plugin",
    "Tutorial: an output plugin",
    "Tutorial: a source for another file type",
)

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="the tutorials use a POSIX shell")


@dataclass
class Step:
    """One thing the reader is told to do: save a file, or run commands and see output."""

    path: str | None = None
    text: str = ""
    commands: list[tuple[str, list[str]]] = field(default_factory=list)


def section(title: str) -> str:
    text = GUIDE.read_text(encoding="utf-8")
    start = text.index(f"\n## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end >= 0 else len(text)]


def steps_of(title: str) -> list[Step]:
    """The files to save and the commands to run of one tutorial, in order."""
    steps: list[Step] = []
    save_as = None
    for token in MarkdownIt("commonmark").parse(section(title)):
        if token.type == "inline":
            found = re.search(r"Save this as `([^`]+)`:\s*$", token.content)
            save_as = found.group(1) if found else save_as
        elif token.type == "fence" and token.info == "console":
            commands: list[tuple[str, list[str]]] = []
            for line in token.content.splitlines():
                if line.startswith("$ "):
                    commands.append((line[2:], []))
                elif commands:
                    commands[-1][1].append(line)
            steps.append(Step(commands=commands))
        elif token.type == "fence" and save_as is not None:
            steps.append(Step(path=save_as, text=token.content))
            save_as = None
    return steps


def shown_in_order(expected: list[str], output: str) -> bool:
    """Whether the expected lines appear in the output in order; "..." stands for any lines."""
    lines = [" ".join(line.split()) for line in output.splitlines()]
    position = 0
    for wanted in (" ".join(line.split()) for line in expected if line.strip() != "..."):
        while position < len(lines) and wanted not in lines[position]:
            position += 1
        if position == len(lines):
            return False
        position += 1
    return True


def show_this_environment(venv_folder: Path) -> None:
    """Let the new environment see this one's packages behind its own, when both are of the
    same Python: pip then finds awesomerge's dependencies, and nothing is downloaded but the
    build backend. (Not `--system-site-packages`: in a virtual environment, as in CI, that
    shows the base interpreter's packages, not this environment's.)"""
    python = venv_folder / "bin" / "python"
    probe = (
        "import json, sys, sysconfig; "
        "print(json.dumps([sysconfig.get_path('purelib'), sys.path, sys.version_info[:2]]))"
    )
    own, path, version = json.loads(subprocess.check_output([python, "-c", probe], text=True))
    if tuple(version) != sys.version_info[:2]:
        return  # another Python: its own downloads it is
    ours = site.getsitepackages() + [site.getusersitepackages()] * bool(site.ENABLE_USER_SITE)
    missing = [directory for directory in ours if directory not in path]
    (Path(own) / "_awesomerge_tutorial.pth").write_text(
        f"import site; list(map(site.addsitedir, {missing!r}))\n", encoding="utf-8"
    )


def reader_environment() -> dict[str, str]:
    """A reader's shell: installed plugins load; pip asks nothing and stays quiet about itself."""
    environment = dict(os.environ)
    environment.pop("AWESOMERGE_DISABLE_PLUGIN_AUTOLOAD", None)
    environment.pop("VIRTUAL_ENV", None)
    environment.update(PIP_DISABLE_PIP_VERSION_CHECK="1", PIP_NO_INPUT="1")
    environment["PYTHONDONTWRITEBYTECODE"] = "1"  # leave no __pycache__ in the checkout
    return environment


def follow(title: str, folder: Path) -> dict[str, int]:
    """Do what a tutorial says, in `folder`; returns its steps and the non-blank lines of each
    language it saved."""
    counts = {"steps": len(re.findall(r"\*\*Step \d+\.\*\*", section(title)))}
    for step in steps_of(title):
        if step.path is not None:
            target = folder / step.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(step.text, encoding="utf-8")
            language = {".py": "Python", ".toml": "TOML"}.get(target.suffix, "other")
            lines = sum(1 for line in step.text.splitlines() if line.strip())
            counts[language] = counts.get(language, 0) + lines
        for command, expected in step.commands:
            venv = command.startswith("python3 -m venv")
            run = command if venv else f". .venv/bin/activate && {command}"
            completed = subprocess.run(
                ["bash", "-c", run],
                env=reader_environment(),
                cwd=folder,
                capture_output=True,
                text=True,
                timeout=600,
                check=False,
            )
            output = completed.stdout + completed.stderr
            wants_error = any(line.startswith("Error:") for line in expected)
            assert (completed.returncode != 0) == wants_error, f"$ {command}\n{output}"
            assert shown_in_order(expected, output), f"$ {command}\nexpected {expected}\n{output}"
            if venv:
                show_this_environment(folder / ".venv")
    return counts


def test_the_tutorials_install_from_a_checkout_not_from_an_index() -> None:
    """`pip install awesomerge` fails: the package is on no index. The tutorial installs the
    checkout, and says how to build a wheel instead."""
    commands = [command for step in steps_of(TUTORIALS[0]) for command, _ in step.commands]
    installs = [command for command in commands if command.startswith("pip install")]
    assert installs[0] == "pip install awesomerge/"
    assert "pip install awesomerge\n" not in GUIDE.read_text(encoding="utf-8")
    assert "pip wheel --no-deps . -w dist" in section(TUTORIALS[0])


def test_the_third_tutorials_source_is_the_example_plugin() -> None:
    (saved,) = [step for step in steps_of(TUTORIALS[2]) if step.path == "my-plugins/bookmarks.py"]
    assert saved.text == (ROOT / "plugins" / "bookmarks.py").read_text(encoding="utf-8")


def test_the_guide_shows_what_the_tutorials_say() -> None:
    saved = [[step.path for step in steps_of(title) if step.path] for title in TUTORIALS]
    assert saved[:2] == [
        [
            "lists/reading.txt",
            "awesomerge-pipelist/src/awesomerge_pipelist/__init__.py",
            "awesomerge-pipelist/pyproject.toml",
            "awesomerge-pipelist/tests/test_pipelist.py",
        ],
        ["my-plugins/titles.py"],
    ]


def test_the_tutorials_work_as_written_in_a_fresh_venv(tmp_path: Path) -> None:
    (tmp_path / "awesomerge").symlink_to(ROOT, target_is_directory=True)  # as step 1 asks
    for title in TUTORIALS:
        counts = follow(title, tmp_path)
        # Each tutorial ends by saying what it took: "N steps, M lines of Python[, K lines of
        # TOML]". Keep those figures true.
        claim = re.search(
            r"(\d+) steps?, (\d+) lines of Python(?: \(tests included\))?"
            r"(?:, (\d+) lines of TOML)?",
            section(title),
        )
        assert claim is not None, title
        assert counts["steps"] == int(claim.group(1)), title
        assert counts["Python"] == int(claim.group(2)), title
        assert counts.get("TOML", 0) == int(claim.group(3) or 0), title
    # The package was installed from the checkout into the tutorial's environment.
    where = subprocess.check_output(
        [".venv/bin/python", "-c", "import awesomerge; print(awesomerge.__file__)"],
        cwd=tmp_path,
        text=True,
    )
    assert Path(where.strip()).is_relative_to(tmp_path / ".venv")
    dataset = json.loads((tmp_path / "out" / "awesomerge.json").read_text(encoding="utf-8"))
    assert sorted(source["format"] for source in dataset["sources"]) == ["bookmarks", "pipe-list"]


def test_a_wheel_built_from_the_checkout_installs_and_runs(tmp_path: Path) -> None:
    """The other way the tutorial gives: a wheel, holding the data files the code reads."""
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", str(ROOT), "-w", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
        env=reader_environment(),
    )
    assert built.returncode == 0, built.stderr
    (wheel,) = tmp_path.glob("awesomerge-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    data = [
        path.relative_to(ROOT / "src").as_posix()
        for path in (ROOT / "src" / "awesomerge").rglob("*")
        if path.suffix in {".toml", ".json", ".typed"}
    ]
    assert data and set(data) <= names
    metadata = next(name for name in names if name.endswith(".dist-info/METADATA"))
    headers = zipfile.ZipFile(wheel).read(metadata).decode("utf-8")
    assert "Project-URL: Changelog, CHANGELOG.md" in headers
    assert any(name.endswith("/licenses/LICENSE") or name.endswith("/LICENSE") for name in names)
    venv_folder = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv_folder)], check=True)
    show_this_environment(venv_folder)
    python = venv_folder / "bin" / "python"
    if importlib.util.find_spec("pip") is None:
        pytest.skip("no pip here to install the wheel with")
    installed = subprocess.run(
        [python, "-m", "pip", "install", "--no-deps", str(wheel)],
        capture_output=True,
        text=True,
        check=False,
        env=reader_environment(),
    )
    assert installed.returncode == 0, installed.stderr
    lists = tmp_path / "lists"
    lists.mkdir()
    (lists / "a.md").write_text("- [Ruff](https://docs.astral.sh/ruff/) - a linter\n")
    ran = subprocess.run(
        [venv_folder / "bin" / "awesomerge", "build", str(lists), "-o", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        check=False,
        env=reader_environment(),
    )
    assert ran.returncode == 0, ran.stderr
    assert (tmp_path / "out" / "awesomerge.json").is_file()
    where = subprocess.check_output(
        [python, "-c", "import awesomerge; print(awesomerge.__file__)"], text=True
    )
    assert Path(where.strip()).is_relative_to(venv_folder)


# What a newcomer finds in the checkout: the licence pyproject names, links that lead somewhere,
# a changelog, and a way to set up where the system's Python refuses `pip install .`


def test_the_license_is_the_one_pyproject_names() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["license"] == "MIT"
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License\n\nCopyright (c) 2026 The awesomerge developers\n")
    assert "Permission is hereby granted, free of charge" in text


def test_each_project_url_leads_to_a_file_and_heading_of_the_repository() -> None:
    urls = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["urls"]
    assert set(urls) == {"Homepage", "Documentation", "Changelog", "Issues"}
    for name, url in urls.items():
        path, _, anchor = url.partition("#")
        assert (ROOT / path).is_file(), f"{name}: {url}"
        if anchor:
            headings = re.findall(r"^#+ (.+)$", (ROOT / path).read_text(encoding="utf-8"), re.M)
            slugs = {
                re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-") for heading in headings
            }
            assert anchor in slugs, f"{name}: {url}"


def test_the_changelog_keeps_a_changelog() -> None:
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    version = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "version"
    ]
    releases = re.findall(r"^## \[([^\]]+)\](?: - (\d{4}-\d{2}-\d{2}))?$", text, re.M)
    assert releases[0] == ("Unreleased", "")
    assert (version, releases[1][1]) == releases[1] and releases[1][1]
    kinds = set(re.findall(r"^### (.+)$", text, re.M))
    assert kinds <= {
        "Added",
        "Changed",
        "Deprecated",
        "Removed",
        "Fixed",
        "Security",
        "Known limits",
    }


def test_the_readme_sets_up_where_pip_install_is_refused(tmp_path: Path) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    # The two set-up commands stay verbatim (CONTRACT.md), and the way round PEP 668 is given.
    assert "\n    pip install . && awesomerge build inputs/\n" in readme
    assert "\n    pip install -e '.[test]' && pytest\n" in readme
    assert "externally-managed-environment" in readme and "pipx install ." in readme
    (command,) = re.findall(r"^    (python3 -m venv .*)$", readme, re.M)
    completed = subprocess.run(
        ["bash", "-c", f"{command} && python -c 'import sys; print(sys.prefix)'"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        env=reader_environment(),
    )
    assert completed.returncode == 0, completed.stderr
    assert Path(completed.stdout.strip()) == tmp_path / ".venv"

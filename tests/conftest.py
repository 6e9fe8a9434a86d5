from __future__ import annotations

import atexit
import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from awesomerge.build import build
from awesomerge.plugins import Plugins, load_plugins

# Builds in these tests must not depend on plugins someone happens to have installed: the
# committed output/ is the build of inputs/ with the built-in plugins.
os.environ["AWESOMERGE_DISABLE_PLUGIN_AUTOLOAD"] = "1"
# Builds through the command line keep their parse cache here, not in the user's cache folder.
os.environ["AWESOMERGE_CACHE"] = tempfile.mkdtemp(prefix="awesomerge-test-cache-")
atexit.register(shutil.rmtree, os.environ["AWESOMERGE_CACHE"], ignore_errors=True)

ROOT = Path(__file__).resolve().parent.parent
INPUTS = ROOT / "inputs"
DATA = Path(__file__).resolve().parent / "data"
SEEDS = sorted(INPUTS.glob("*.md"))


def awesomerge(
    *arguments: str, cwd: Path = ROOT, **environment: str
) -> subprocess.CompletedProcess[str]:
    """Run the awesomerge command as a user would, with `environment` added to this one's."""
    return subprocess.run(
        ["awesomerge", *arguments],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, **environment},
    )


@pytest.fixture(scope="session")
def plugins() -> Plugins:
    """The built-in plugins only: the test suite must not depend on what else is installed."""
    return load_plugins(entry_points=False, strict=True)


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The dataset of `awesomerge build inputs/`, built once through the command line."""
    out = tmp_path_factory.mktemp("seed-build")
    completed = subprocess.run(
        ["awesomerge", "build", "inputs/", "-o", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    data: dict[str, Any] = json.loads((out / "awesomerge.json").read_text(encoding="utf-8"))
    return data


@pytest.fixture
def in_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


@pytest.fixture
def seeds_copy(tmp_path: Path) -> Iterator[Path]:
    """A folder holding a copy of the seed lists, to add bad files next to them."""
    folder = tmp_path / "inputs"
    folder.mkdir()
    for seed in SEEDS:
        shutil.copy(seed, folder / seed.name)
    old = Path.cwd()
    os.chdir(tmp_path)
    try:
        yield folder
    finally:
        os.chdir(old)


def build_text(tmp_path: Path, text: str, plugins: Plugins, name: str = "list.md") -> Any:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return build([str(path)], plugins).dataset


def require_tool(name: str) -> str:
    """The path of an outside program the test needs (bibtex, biber, pandoc, awesome-lint...).

    Without it the test is skipped with a reason, unless AWESOMERGE_REQUIRE_TOOLS=1 (as in CI),
    where a missing program is a failure: a check that cannot run must not pass quietly.
    """
    found = shutil.which(name)
    if found is None:
        message = f"{name} is not installed"
        if os.environ.get("AWESOMERGE_REQUIRE_TOOLS") == "1":
            pytest.fail(f"{message}, and AWESOMERGE_REQUIRE_TOOLS=1 says it must be")
        pytest.skip(message)
    return found

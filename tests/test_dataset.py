"""The published dataset: schema, validity, determinism, the committed build, nothing lost."""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
import subprocess
import uuid
from pathlib import Path
from typing import Any, TextIO

import jsonschema
import pytest

from awesomerge.api import Collection, Output
from awesomerge.build import build, write_outputs
from awesomerge.entries import ARXIV_ID, LISTED, Dating, dating, entry_dating
from awesomerge.errors import PluginError
from awesomerge.identifiers import arxiv_submitted
from awesomerge.models import ADDED_IN_VERSION_1, Dataset, Entry, Occurrence
from awesomerge.plugins import Plugins
from awesomerge.schema import (
    SCHEMA_FILE,
    SCHEMA_ID,
    generate_schema,
    schema_text,
    validation_errors,
)

from .conftest import INPUTS, ROOT, SEEDS
from .linkcheck import web_links


def dataset_urls(data: dict[str, Any]) -> set[str]:
    urls = set()
    for entry in data["entries"]:
        urls.update(occurrence["url"] for occurrence in entry["occurrences"])
        urls.update(link["url"] for link in entry["related"])
    for source in data["sources"]:
        urls.update(link["url"] for link in source["links"])
    return urls


def run_build(*arguments: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["awesomerge", "build", *arguments], cwd=cwd, capture_output=True, text=True, check=False
    )


def test_published_and_packaged_schema_equal_the_models() -> None:
    generated = schema_text()
    published = (ROOT / "schema" / SCHEMA_FILE).read_text(encoding="utf-8")
    packaged = (ROOT / "src" / "awesomerge" / SCHEMA_FILE).read_text(encoding="utf-8")
    assert published == generated, "run: python -m awesomerge.schema"
    assert packaged == generated, "run: python -m awesomerge.schema"


def test_schema_is_a_valid_draft_2020_12_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(generate_schema())


def test_seed_dataset_validates_against_the_published_schema(seed_build: dict[str, Any]) -> None:
    schema = json.loads((ROOT / "schema" / SCHEMA_FILE).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(seed_build)
    assert seed_build["schema_version"] == 1


def test_the_schema_is_named_by_a_stable_id() -> None:
    published = json.loads((ROOT / "schema" / SCHEMA_FILE).read_text(encoding="utf-8"))
    assert published["$id"] == SCHEMA_ID
    assert uuid.UUID(SCHEMA_ID.removeprefix("urn:uuid:")).urn == SCHEMA_ID  # a valid UUID URN
    assert "ignore" in published["description"]


def test_no_record_of_the_published_schema_forbids_added_fields() -> None:
    text = (ROOT / "schema" / SCHEMA_FILE).read_text(encoding="utf-8")
    assert '"additionalProperties": false' not in text


def test_a_dataset_with_fields_a_later_version_adds_is_valid(seed_build: dict[str, Any]) -> None:
    extended = json.loads(json.dumps(seed_build))
    extended["built_for"] = "a later awesomerge"
    extended["generator"]["build"] = {"commit": "abc123"}
    extended["sources"][0]["licence"] = "CC0-1.0"
    extended["sources"][0]["warnings"].append({"message": "m", "line": 1, "severity": "low"})
    extended["entries"][0]["language"] = "en"
    extended["entries"][0]["occurrences"][0]["stars"] = 5
    extended["entries"][0]["related"].append({"title": "t", "url": "u", "role": None, "x": 1})
    assert validation_errors(extended) == []
    extended["entries"][0]["year"] = "2020"  # a known field of the wrong type still fails
    assert [error.split(":")[0] for error in validation_errors(extended)] == ["$.entries[0].year"]


def test_a_dataset_written_before_the_added_fields_is_still_valid(
    seed_build: dict[str, Any],
) -> None:
    older = json.loads(json.dumps(seed_build))
    for name in ADDED_IN_VERSION_1["Dataset"]:
        del older[name]
    for entry in older["entries"]:
        for name in ADDED_IN_VERSION_1["Entry"]:
            del entry[name]
    assert validation_errors(older) == []
    del older["entries"][0]["year"]  # a field of the first release is still required
    assert validation_errors(older) == ["$.entries[0]: 'year' is a required property"]


def test_the_dataset_names_the_program_that_wrote_it(seed_build: dict[str, Any]) -> None:
    from awesomerge import __version__

    assert list(seed_build)[:2] == ["schema_version", "generator"]
    assert seed_build["generator"] == {"name": "awesomerge", "version": __version__}
    assert re.fullmatch(r"\d+\.\d+\.\d+\S*", __version__)


def test_schema_rejects_a_broken_dataset(seed_build: dict[str, Any]) -> None:
    broken = json.loads(json.dumps(seed_build))
    del broken["entries"][0]["url"]
    del broken["schema_version"]
    schema = json.loads((ROOT / "schema" / SCHEMA_FILE).read_text(encoding="utf-8"))
    errors = list(jsonschema.Draft202012Validator(schema).iter_errors(broken))
    assert len(errors) == 2


@pytest.mark.parametrize("seed", SEEDS, ids=lambda path: path.stem)
def test_every_web_link_of_every_seed_is_in_the_dataset(
    seed: Path, seed_build: dict[str, Any]
) -> None:
    expected = web_links(seed.read_text(encoding="utf-8"))
    assert len(expected) > 20  # the reading above really found the seed's links
    assert sorted(expected - dataset_urls(seed_build)) == []


def test_every_seed_is_a_source_with_its_facts(seed_build: dict[str, Any]) -> None:
    sources = {source["path"]: source for source in seed_build["sources"]}
    assert sorted(sources) == [f"inputs/{seed.name}" for seed in SEEDS]
    blog = sources["inputs/lm-resources-blog-post.md"]
    assert blog["title"] == "Language Model Resources"
    assert blog["metadata"]["categories"] == ["Blog", "Resources Directory"]
    assert "RLHF" in blog["metadata"]["tags"]
    assert sources["inputs/llm-primer-references.md"]["title"] == "llm-primer"
    for path, source in sources.items():
        assert (
            source["sha256"] == __import__("hashlib").sha256((ROOT / path).read_bytes()).hexdigest()
        )


def test_mojibake_is_repaired_in_the_published_text(seed_build: dict[str, Any]) -> None:
    sources = {source["id"]: source for source in seed_build["sources"]}
    assert sources["llm-primer-gist"]["repairs"] > 20
    assert sources["llm-primer-references"]["repairs"] > 10
    assert sources["learn-llms-nested-list"]["repairs"] > 5
    assert sources["lm-resources-blog-post"]["repairs"] == 0
    titles = {
        occurrence["title"]
        for entry in seed_build["entries"]
        for occurrence in entry["occurrences"]
    }
    assert "Don’t Ban ChatGPT in Schools. Teach With It. - The New York Times" in titles
    assert "Primers • Transformers - Excellent Primer from Aman" in titles
    # Legitimate curly quotes are kept as the author wrote them.
    assert "“Attention is All You Need” Summary" in titles
    text = json.dumps(seed_build, ensure_ascii=False)
    for broken in ("‚Äô", "ğŸŸ¢", "Ã©", "¬∑"):
        assert broken not in text


def test_identical_urls_merge_into_one_entry_with_evidence(seed_build: dict[str, Any]) -> None:
    by_url = {entry["url"]: entry for entry in seed_build["entries"]}
    failures = by_url["https://github.com/giuven95/chatgpt-failures"]
    assert {occurrence["source"] for occurrence in failures["occurrences"]} == {
        "lm-resources-blog-post",
        "llm-primer-gist",
    }
    assert failures["evidence"] == ["url"]
    assert len(by_url) == len(seed_build["entries"])  # no URL is left in two entries
    single = [entry for entry in seed_build["entries"] if len(entry["occurrences"]) == 1]
    assert all(entry["evidence"] == [] for entry in single)


def test_entry_ids_are_unique_and_order_is_stable(seed_build: dict[str, Any]) -> None:
    ids = [entry["id"] for entry in seed_build["entries"]]
    assert len(set(ids)) == len(ids)
    firsts = [
        (entry["occurrences"][0]["source"], entry["occurrences"][0]["line"], entry["id"])
        for entry in seed_build["entries"]
    ]
    assert firsts == sorted(firsts)


def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    assert run_build("inputs/", "-o", str(tmp_path / "a")).returncode == 0
    # Same files, named one by one in reverse order, from another working folder.
    reversed_inputs = [str(seed) for seed in reversed(SEEDS)]
    completed = run_build(*reversed_inputs, "-o", str(tmp_path / "b"))
    assert completed.returncode == 0, completed.stderr
    first = (tmp_path / "a" / "awesomerge.json").read_bytes()
    second = (tmp_path / "b" / "awesomerge.json").read_bytes()
    assert first == second


def test_committed_output_equals_a_fresh_build(tmp_path: Path) -> None:
    completed = run_build("inputs/", "-o", str(tmp_path))
    assert completed.returncode == 0, completed.stderr
    for fresh in sorted(tmp_path.iterdir()):
        committed = ROOT / "output" / fresh.name
        assert committed.is_file(), f"output/{fresh.name} is missing: run awesomerge build inputs/"
        assert committed.read_bytes() == fresh.read_bytes(), (
            f"output/{fresh.name} is stale: run awesomerge build inputs/ and commit it"
        )


class _Broken(Output):
    name = "broken"
    filename = "broken.txt"

    def render(self, collection: Collection) -> str:
        raise RuntimeError("cannot render")


class _Text(Output):
    """Writes a fixed text in two pieces; fails after the first one when told to."""

    name = "text"
    filename = "a.json"

    def __init__(self, text: str, fail: bool = False) -> None:
        super().__init__()
        self.text, self.fail = text, fail

    def render(self, collection: Collection) -> str:
        return self.text

    def write(self, collection: Collection, stream: TextIO) -> None:
        stream.write(self.text[:3])
        if self.fail:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        stream.write(self.text[3:])


def test_a_failed_render_leaves_the_previous_output_untouched(
    tmp_path: Path, plugins: Plugins
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "awesomerge.json").write_text("previous build\n")
    dataset = build([str(INPUTS)], plugins).dataset
    outputs = {**plugins.outputs, "broken": _Broken()}
    with pytest.raises(PluginError, match='plugin "broken": render\\(\\) raised RuntimeError'):
        write_outputs(Collection(dataset), outputs, out)
    assert (out / "awesomerge.json").read_text() == "previous build\n"
    assert sorted(path.name for path in out.iterdir()) == ["awesomerge.json"]


def test_a_failed_write_leaves_no_partial_files(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "a.json").write_text("old a\n")
    second = _Text("new b\n", fail=True)
    second.filename = "b.json"  # type: ignore[misc]
    with pytest.raises(
        OSError, match=r"out/b\.json: cannot be written \(No space left on device\)"
    ):
        write_outputs(
            Collection(Dataset(sources=[], entries=[])), {"a": _Text("new a\n"), "b": second}, out
        )
    assert sorted(path.name for path in out.iterdir()) == ["a.json"]
    assert (out / "a.json").read_text() == "old a\n"


def test_a_streamed_output_is_written_whole(tmp_path: Path) -> None:
    write_outputs(Collection(Dataset(sources=[], entries=[])), {"a": _Text("new a\n")}, tmp_path)
    assert (tmp_path / "a.json").read_text() == "new a\n"


def test_seed_folder_can_be_copied_and_built_elsewhere(tmp_path: Path) -> None:
    shutil.copytree(INPUTS, tmp_path / "inputs")
    completed = run_build("inputs/", "-o", "out", cwd=tmp_path)
    assert completed.returncode == 0, completed.stderr
    assert (tmp_path / "out" / "awesomerge.json").read_bytes() == (
        ROOT / "output" / "awesomerge.json"
    ).read_bytes()


def test_every_year_the_outputs_give_is_in_the_dataset_with_its_origin(tmp_path: Path) -> None:
    assert run_build("inputs/", "-o", str(tmp_path)).returncode == 0
    data = json.loads((tmp_path / "awesomerge.json").read_text(encoding="utf-8"))
    csl = json.loads((tmp_path / "bibliography.csl.json").read_text(encoding="utf-8"))
    bib = (tmp_path / "bibliography.bib").read_text(encoding="utf-8")
    entries = data["entries"]
    dated = [entry for entry in entries if entry["year"] is not None]
    # Each dataset entry is one BibTeX entry and one CSL item: they date the same ones.
    assert len(re.findall(r"^  year = ", bib, re.M)) == len(dated)
    by_id = {entry["id"]: entry for entry in entries}
    issued = {
        item["custom"]["awesomerge_id"]: item["issued"]["date-parts"][0]
        for item in csl
        if "issued" in item
    }
    assert len(issued) == len(dated)
    for entry_id, parts in issued.items():
        entry = by_id[entry_id]
        assert parts == [entry["year"], entry["month"]] if entry["month"] else [entry["year"]]
    origins = {(entry["year_origin"], entry["month_origin"]) for entry in entries}
    assert origins <= {(None, None), (LISTED, None), (LISTED, ARXIV_ID), (ARXIV_ID, ARXIV_ID)}
    for entry in entries:
        assert (entry["year"] is None) == (entry["year_origin"] is None)
        assert (entry["month"] is None) == (entry["month_origin"] is None)
        if entry["year_origin"] == ARXIV_ID:
            assert arxiv_submitted(entry["identifiers"]["arxiv"]) == (entry["year"], entry["month"])
    # The seeds state 24 years; their arXiv ids give 33 more.
    assert sum(entry["year_origin"] == LISTED for entry in entries) == 24
    assert sum(entry["year_origin"] == ARXIV_ID for entry in entries) == 33
    attention = by_id["arxiv:1706.03762"]
    assert (attention["year"], attention["month"]) == (2017, 6)


@pytest.mark.parametrize(
    ("listed", "identifiers", "expected"),
    [
        (None, {}, Dating()),
        (2019, {}, Dating(2019, LISTED)),
        (None, {"arxiv": "1706.03762"}, Dating(2017, ARXIV_ID, 6, ARXIV_ID)),
        (2017, {"arxiv": "1706.03762"}, Dating(2017, LISTED, 6, ARXIV_ID)),
        # A list that gives the year of the venue, not of the preprint, is believed, and the
        # preprint's month is not put with another year.
        (2018, {"arxiv": "1706.03762"}, Dating(2018, LISTED)),
        (None, {"arxiv": "hep-th/9901001"}, Dating(1999, ARXIV_ID, 1, ARXIV_ID)),
        (None, {"doi": "10.1145/3442188.3445922"}, Dating()),
    ],
)
def test_a_date_is_the_listed_year_else_the_arxiv_ids(
    listed: int | None, identifiers: dict[str, str], expected: Dating
) -> None:
    assert dating(listed, identifiers) == expected


def test_an_entry_made_without_origins_is_dated_the_same_way() -> None:
    occurrence = Occurrence(source="s", url="https://arxiv.org/abs/1706.03762", title="t", line=1)
    made = Entry(
        id="arxiv:1706.03762",
        url="https://arxiv.org/abs/1706.03762",
        title="Attention Is All You Need",
        kind="paper",
        identifiers={"arxiv": "1706.03762"},
        occurrences=[occurrence],
    )
    assert entry_dating(made) == Dating(2017, ARXIV_ID, 6, ARXIV_ID)
    stored = made.model_copy(update={"year": 2017, "year_origin": LISTED})
    assert entry_dating(stored) == Dating(2017, LISTED)  # what the dataset stores is read

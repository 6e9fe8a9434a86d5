"""Outputs that write their files in pieces: what `write` writes is what `render` returns, and
awesomerge.json is, to the byte, one ``json.dumps`` of the dataset."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from awesomerge.api import Collection
from awesomerge.build import build
from awesomerge.models import Dataset, Entry, Occurrence, RelatedLink, SourceRecord
from awesomerge.outputs.json_output import JsonOutput
from awesomerge.outputs.json_text import encode, encode_floatless, write_array, write_object
from awesomerge.plugins import Plugins

from .conftest import INPUTS

# Any text a file can hold: everything but lone surrogates, which UTF-8 cannot encode.
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
SCALARS = st.none() | st.booleans() | st.integers() | TEXT
JSON_VALUES = st.recursive(
    SCALARS | st.floats(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=20,
)
FLOATLESS_VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=20,
)


def dumped(dataset: Dataset) -> str:
    """What awesomerge.json must hold: the dataset in one call of the json module."""
    return json.dumps(dataset.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"


@pytest.fixture(scope="module")
def seed_collection(plugins: Plugins) -> Collection:
    return build([str(INPUTS)], plugins).collection


@pytest.mark.parametrize("name", ["json", "readme", "bibtex", "csl-json", "review"])
def test_write_writes_what_render_returns(
    name: str, plugins: Plugins, seed_collection: Collection
) -> None:
    output = plugins.outputs[name]
    stream = io.StringIO()
    output.write(seed_collection, stream)
    assert stream.getvalue() == output.render(seed_collection)


def test_the_dataset_is_one_json_dumps(seed_collection: Collection) -> None:
    assert JsonOutput().render(seed_collection) == dumped(seed_collection.dataset)


def test_an_empty_dataset_is_one_json_dumps() -> None:
    dataset = Dataset(sources=[], entries=[])
    assert JsonOutput().render(Collection(dataset)) == dumped(dataset)


@given(
    texts=st.lists(TEXT, min_size=8, max_size=8),
    numbers=st.lists(st.integers(), min_size=2, max_size=2),
    optional=st.booleans(),
    metadata=st.dictionaries(TEXT, JSON_VALUES, max_size=3),
)
def test_any_entry_and_source_are_written_as_json_dumps_writes_them(
    texts: list[str], numbers: list[int], optional: bool, metadata: dict[str, Any]
) -> None:
    title, url, description, author, tag, key, value, section = texts
    entry = Entry(
        id=title,
        url=url,
        title=title,
        description=description if optional else None,
        kind=tag,
        identifiers={key: value} if optional else {},
        authors=[author, title] if optional else [],
        year=numbers[0] if optional else None,
        tags=[tag],
        categories=[section] if optional else [],
        related=[RelatedLink(title=value, url=url, role=key if optional else None)],
        occurrences=[
            Occurrence(source=key, url=url, title=title, section=section, line=numbers[1])
        ],
        evidence=[description],
    )
    source = SourceRecord(
        id=key, path=value, format=tag, title=title, metadata=metadata, sha256=author
    )
    dataset = Dataset(sources=[source], entries=[entry, entry])
    assert JsonOutput().render(Collection(dataset)) == dumped(dataset)


@given(
    st.lists(JSON_VALUES, max_size=4),
    st.dictionaries(TEXT.filter(lambda name: name != "items"), JSON_VALUES, max_size=4),
)
def test_pieces_are_indented_as_one_document(items: list[Any], members: dict[str, Any]) -> None:
    stream = io.StringIO()
    write_object(
        [
            ("items", (encode(item) for item in items)),
            *((k, encode(v)) for k, v in members.items()),
        ],
        stream,
    )
    whole = {"items": items, **members}
    assert stream.getvalue() == json.dumps(whole, ensure_ascii=False, indent=2)
    stream = io.StringIO()
    write_array(map(encode, items), stream)
    assert stream.getvalue() == json.dumps(items, ensure_ascii=False, indent=2)


@given(FLOATLESS_VALUES)
def test_a_value_without_floats_is_encoded_as_the_json_module_does(value: Any) -> None:
    assert encode_floatless(value) == encode(value)


def test_an_entry_of_the_wrong_shape_never_reaches_the_dataset_file() -> None:
    """Entries are built without validation; writing the dataset is where a wrong type stops."""
    from pydantic_core import PydanticSerializationError

    wrong = Entry.model_construct(
        id="url:0", url="https://example.com/", title=2021, kind="website", occurrences=[]
    )
    with pytest.raises(PydanticSerializationError, match="title"):
        JsonOutput().render(Collection(Dataset(sources=[], entries=[wrong])))

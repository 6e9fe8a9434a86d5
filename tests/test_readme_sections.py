"""The merged README's sections: equivalent headings of different lists are one section, each
entry is under its most specific one, in the lists' own order, extendable from awesomerge.toml.

Two small lists of widgets (tests/data/readme_sections), written in two styles: one with
"Blog posts", "Research papers" and a catch-all "References"; one with numbered level-3
headings, "Blog Articles", "Must-Read Papers on Widgets" and "Misc".
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from awesomerge.api import Collection
from awesomerge.build import build
from awesomerge.markdown import ListItem, parse_markdown
from awesomerge.models import Dataset, Entry, Occurrence, SourceRecord
from awesomerge.outputs.readme_output import ReadmeOptions, ReadmeOutput
from awesomerge.outputs.readme_sections import (
    LARGE_SECTION,
    _merged_order,
    default_taxonomy,
)
from awesomerge.plugins import Plugins
from awesomerge.testing import build_lists

from .conftest import DATA
from .test_output_readme import awesome_lint

WIDGETS = DATA / "readme_sections"
LISTS = [WIDGETS / "awesome-widgets.md", WIDGETS / "widget-notes.md"]


def render(dataset: Dataset, **options: object) -> str:
    return ReadmeOutput(ReadmeOptions.model_validate(options)).render(Collection(dataset))


def headings(text: str) -> list[str]:
    """The level-2 and level-3 headings after Contents, as "## Name" lines."""
    lines = text.splitlines()
    return [line for line in lines[lines.index("## Contents") + 1 :] if line.startswith("#")]


def sections(text: str) -> dict[str, list[str]]:
    """The URLs listed under each heading (outside Contents)."""
    found: dict[str, list[str]] = {}
    for block in parse_markdown(text).blocks:
        if isinstance(block, ListItem) and block.section != "Contents" and block.inline.links:
            found.setdefault(block.section or "", []).append(block.inline.links[0].url)
    return found


@pytest.fixture(scope="module")
def widgets(plugins: Plugins) -> str:
    return render(build([str(path) for path in LISTS], plugins).dataset)


def test_equivalent_headings_are_one_section_in_the_lists_order(widgets: str) -> None:
    # Both lists: articles, then papers. The first list then has Prompt Injection, and its
    # References hold the paper (filed with the papers), one repository and one video: too
    # few of a kind for sections of their own, they stay under References.
    assert headings(widgets) == [
        "## Articles",
        "## Papers",
        "## Prompt Injection",
        "## References",
    ]
    assert sections(widgets) == {
        "Articles": [
            "https://widgets.example/internals",
            "https://blog.example/why",
            "https://scale.example/post",
        ],
        "Papers": ["https://arxiv.org/abs/2101.00001", "https://arxiv.org/abs/2202.00002"],
        # Listed under "Misc" by the second list too: the specific heading wins.
        "Prompt Injection": ["https://inject.example/a"],
        "References": [
            "https://github.com/acme/widgetlib",
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        ],
    }


def test_a_catch_all_is_split_by_kind_where_a_kind_has_three_entries(
    plugins: Plugins, tmp_path: Path
) -> None:
    videos = "".join(f"- [Talk {n}](https://www.youtube.com/watch?v=vid{n}xyzab)\n" for n in "123")
    path = tmp_path / "talks.md"
    path.write_text(
        "# Talks\n\n## Intro\n\n- [Intro](https://a.example/)\n\n## References\n\n"
        + videos
        + "- [One repo](https://github.com/o/r)\n",
        encoding="utf-8",
    )
    found = sections(render(build([str(path)], plugins).dataset))
    assert found == {
        "Intro": ["https://a.example/"],
        "Videos": [f"https://www.youtube.com/watch?v=vid{n}xyzab" for n in "123"],
        "References": ["https://github.com/o/r"],
    }


def test_items_have_no_filler_context_or_label_titles(widgets: str) -> None:
    lines = widgets.splitlines()
    assert "- [Why widgets](https://blog.example/why)" in lines  # "Companion video above." went
    assert "- [acme/widgetlib](https://github.com/acme/widgetlib)" in lines
    assert "- [YouTube video dQw4w9WgXcQ](https://www.youtube.com/watch?v=dQw4w9WgXcQ)" in lines
    assert (
        "- [Scaling widgets in production](https://scale.example/post) - Notes from running "
        "ten thousand widgets." in lines
    )
    assert (
        "- [Widgets at Scale: Measurements of Deployed Widgets]"
        "(https://arxiv.org/abs/2202.00002) - *2022.*" in lines
    )


def test_widgets_pass_awesome_lint(widgets: str, tmp_path: Path) -> None:
    status, errors, warnings = awesome_lint(tmp_path / "widgets", widgets)
    assert (status, errors) == (0, [])
    assert set(warnings) <= {"awesome-spell-check"}


def test_the_order_of_the_inputs_changes_nothing(plugins: Plugins, widgets: str) -> None:
    backwards = build([str(path) for path in reversed(LISTS)], plugins).dataset
    assert render(backwards) == widgets


def test_merged_order_keeps_what_the_lists_agree_on() -> None:
    def order(sequences: dict[str, list[str]]) -> list[str]:
        rank = _merged_order(sequences)
        return sorted(rank, key=rank.__getitem__)

    # One list has b between a and c; the other does not know b.
    assert order({"x": ["a", "b", "c"], "y": ["a", "c"]}) == ["a", "b", "c"]
    # Lists that agree are merged by their positions, not by the alphabet.
    assert order({"x": ["zeta", "alpha"], "y": ["zeta", "mid", "alpha"]}) == [
        "zeta",
        "mid",
        "alpha",
    ]
    # Where they disagree, the median position decides, then the name.
    assert order({"x": ["b", "a"], "y": ["a", "b"]}) == ["a", "b"]
    assert order({"x": ["b", "a", "c"], "y": ["a", "b", "c"]}) == ["a", "b", "c"]
    # A cycle of agreed pairs (a<b in x, b<c in y, c<a in z) still gives every heading once.
    assert sorted(order({"x": ["a", "b"], "y": ["b", "c"], "z": ["c", "a"]})) == ["a", "b", "c"]


def test_heading_keys_and_categories_are_data() -> None:
    taxonomy = default_taxonomy()
    assert taxonomy.key("1. Blog Posts") == taxonomy.key("blog post")
    assert taxonomy.key("🎬 Video (19)") == "video"
    names = {
        heading: getattr(taxonomy.category(taxonomy.key(heading)), "name", None)
        for heading in (
            "Blog articles",
            "Research Papers",
            "Must-Read Papers on LLM",
            "Research Paper Lists",
            "Youtube Lessons",
            "Financial Datasets",
            "Prompt Injection",
        )
    }
    assert names == {
        "Blog articles": "Articles",
        "Research Papers": "Papers",
        "Must-Read Papers on LLM": "Papers",
        "Research Paper Lists": "Link Collections",
        "Youtube Lessons": "Videos",
        "Financial Datasets": None,  # a topic, not a kind of resource
        "Prompt Injection": None,
    }
    assert {"reference", "misc", "参考资料", "sonstige"} <= taxonomy.generic


def test_awesomerge_toml_extends_the_sections(tmp_path: Path) -> None:
    built = build_lists(
        tmp_path,
        {"a.md": LISTS[0].read_text(encoding="utf-8"), "b.md": LISTS[1].read_text("utf-8")},
        write=["readme"],
        config="""
            [[outputs.readme.sections]]
            name = "Attacks"
            headings = ["Prompt Injection"]

            [[outputs.readme.sections]]
            name = "Papers"
            kinds = ["repository"]

            [outputs.readme]
            generic_headings = ["Research papers"]
        """,
    )
    text = (built.output / "README.md").read_text(encoding="utf-8")
    found = sections(text)
    assert found["Attacks"] == ["https://inject.example/a"]
    # The first list's "Research papers" says nothing now: the paper is filed by the second
    # list's "Must-Read Papers", the same section. The repository joins the papers by its kind.
    assert "https://github.com/acme/widgetlib" in found["Papers"]
    assert "Repositories" not in found


def test_a_bad_pattern_in_awesomerge_toml_is_a_usage_error(tmp_path: Path) -> None:
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    (inputs / "a.md").write_text(LISTS[0].read_text(encoding="utf-8"), encoding="utf-8")
    (inputs / "awesomerge.toml").write_text(
        '[[outputs.readme.sections]]\nname = "X"\npatterns = ["(unclosed"]\n', encoding="utf-8"
    )
    completed = subprocess.run(
        ["awesomerge", "build", str(inputs), "-o", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 2, completed.stderr
    assert "readme" in completed.stderr and "(unclosed" in completed.stderr


def _paper(number: int, year: int | None, section: str) -> Entry:
    url = f"https://papers.example/{number}"
    return Entry(
        id=f"p{number}",
        url=url,
        title=f"Paper number {number} on widgets",
        kind="paper",
        year=year,
        categories=[section],
        occurrences=[Occurrence(source="s", url=url, title="t", section=section, line=number)],
    )


def _dataset(entries: list[Entry]) -> Dataset:
    source = SourceRecord(id="s", path="s.md", format="markdown", title="S", sha256="0" * 64)
    return Dataset(sources=[source], entries=entries)


def test_a_large_dated_section_is_split_by_year() -> None:
    years = [2020 + number % 3 for number in range(LARGE_SECTION + 1)]
    text = render(_dataset([_paper(n, year, "Papers") for n, year in enumerate(years)]))
    assert headings(text) == ["## Papers", "### 2022", "### 2021", "### 2020"]
    found = sections(text)
    assert len(found["Papers > 2021"]) == years.count(2021)
    # One entry fewer, or too few dated: one section.
    text = render(_dataset([_paper(n, year, "Papers") for n, year in enumerate(years[1:])]))
    assert headings(text) == ["## Papers"]
    undated = [_paper(n, None if n % 5 == 0 else 2020, "Papers") for n in range(len(years))]
    assert headings(render(_dataset(undated))) == ["## Papers"]


def test_the_deepest_heading_wins_and_generic_parts_go() -> None:
    url = "https://tool.example/"
    entry = Entry(
        id="t",
        url=url,
        title="A widget linter",
        kind="website",
        occurrences=[
            Occurrence(source="s", url=url, title="t", section="Tools", line=1),
            Occurrence(source="s", url=url, title="t", section="Widgets > Linters > Misc", line=2),
        ],
    )
    text = render(_dataset([entry]))
    assert headings(text) == ["## Widgets", "### Linters"]
    assert re.search(r"^- \[A widget linter\]\(https://tool\.example/\)$", text, re.MULTILINE)


def test_the_user_guide_documents_every_option_and_its_example_works() -> None:
    import tomllib

    from .conftest import ROOT

    guide = (ROOT / "docs" / "user-guide.md").read_text(encoding="utf-8")
    section = guide[guide.index("### The merged README") :]
    section = section[: section.index("\n## ")]
    row = next(line for line in guide.splitlines() if line.startswith("| `readme` |"))
    for name in ReadmeOptions.model_fields:
        assert f"`{name}`" in row, name
    example = section[
        section.index("```toml\n") + 8 : section.index("\n```", section.index("```toml"))
    ]
    options = ReadmeOptions.model_validate(tomllib.loads(example)["outputs"]["readme"])
    taxonomy = options.taxonomy()
    assert taxonomy.key("Things I liked") in taxonomy.generic
    tutorials = taxonomy.category(taxonomy.key("How I did it"))
    assert tutorials is not None and tutorials.name == "Tutorials"
    assert taxonomy.kind_section("document") == "Tutorials"
    assert taxonomy.category(taxonomy.key("Step by step widgets")) is tutorials


def test_the_lists_thanks_and_credits_are_one_section(plugins: Plugins, tmp_path: Path) -> None:
    # Three ways lists thank the people behind them; the people's links are kept in one place.
    lists = {
        "one.md": "# One\n\n## Tools\n\n- [Tool](https://tool.example/)\n\n## Credits\n\n"
        "- [Ann](https://github.com/ann)\n",
        "two.md": "# Two\n\n## Tools\n\n- [Other](https://other.example/)\n\n"
        "## Acknowledgements\n\n- [Bo](https://github.com/bo)\n",
        "three.md": "# Three\n\n## Project Maintainers and Contributors\n\n"
        "- [Cy](https://github.com/cy)\n",
    }
    paths = []
    for name, text in lists.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        paths.append(str(tmp_path / name))
    found = sections(render(build(paths, plugins).dataset))
    assert sorted(found["Contributors"]) == [
        "https://github.com/ann",
        "https://github.com/bo",
        "https://github.com/cy",
    ]
    assert set(found) == {"Tools", "Contributors"}

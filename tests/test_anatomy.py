"""The anatomy of an item: one reading of its parts for every shape (awesomerge.anatomy)."""

from __future__ import annotations

from pathlib import Path

import pytest

from awesomerge.anatomy import label_role, read_item, split_names, tidy_title, year_in
from awesomerge.markdown import ListItem, Paragraph, parse_markdown
from awesomerge.models import Item
from awesomerge.sources.markdown_source import MarkdownSource
from awesomerge.testing import build_lists, document, entry_for, parse_snippet


def only_item(text: str) -> Item:
    (item,) = parse_snippet(text, MarkdownSource).items
    return item


@pytest.mark.parametrize(
    ("text", "role"),
    [
        ("Paper", "paper"),
        ("[pdf]", "paper"),
        ("`Code`", "code"),
        ("📄 Paper:", "paper"),
        ("论文", "paper"),
        ("代码", "code"),
        ("项目主页", "project"),
        ("Tweet", "tweet"),
        ("HuggingFace", "model"),
        ("Code (PyTorch)", "code"),
        ("leaderboards", "dataset"),
        ("Blog II", "blog"),
        ("CVPR 2024", "paper"),
        ("NeurIPS'23", "paper"),
        ("arXiv:2201.11903", "paper"),
        ("bibtex", "citation"),
    ],
)
def test_link_labels_have_roles(text: str, role: str) -> None:
    assert label_role(text) == role


@pytest.mark.parametrize(
    "text",
    ["Attention Is All You Need", "PaperQA", "Codex", "Paper Digest", "GitHub Copilot", "Redis"],
)
def test_names_are_not_labels(text: str) -> None:
    assert label_role(text) is None


def test_a_paper_line_reads_into_its_parts() -> None:
    item = only_item(
        "## Papers\n\n- **Chain-of-Thought Prompting Elicits Reasoning in Large Language Models**"
        " *Jason Wei, Xuezhi Wang, et al.* NeurIPS 2022 [[pdf]](https://arxiv.org/abs/2201.11903)"
        " [[code]](https://github.com/example/cot) [Tweet](https://x.com/a/status/1)\n"
    )
    assert item.url == "https://arxiv.org/abs/2201.11903"
    assert item.title == "Chain-of-Thought Prompting Elicits Reasoning in Large Language Models"
    assert item.authors == ["Jason Wei", "Xuezhi Wang", "others"]
    assert (item.venue, item.year) == ("NeurIPS", 2022)
    assert [(link.url, link.role) for link in item.related] == [
        ("https://github.com/example/cot", "code"),
        ("https://x.com/a/status/1", "tweet"),
    ]
    assert item.description is None


def test_an_informative_link_text_is_the_title_before_bold_text() -> None:
    item = only_item(
        "## Tools\n\n- [**smolagents**](https://github.com/huggingface/smolagents): agents that"
        " think in code. [pypi](https://pypi.org/project/smolagents/)\n"
    )
    assert (item.title, item.url) == ("smolagents", "https://github.com/huggingface/smolagents")
    assert item.description == "agents that think in code."
    assert [link.role for link in item.related] == ["package"]


def test_a_row_name_cell_titles_a_row_of_labels() -> None:
    item = only_item(
        "| Name | Paper | Code |\n| --- | --- | --- |\n"
        "| Baichuan 2 | [arXiv](https://arxiv.org/abs/2309.10305) |"
        " [代码](https://github.com/baichuan-inc/Baichuan2) |\n"
    )
    assert (item.title, item.url) == ("Baichuan 2", "https://arxiv.org/abs/2309.10305")
    assert [link.role for link in item.related] == ["code"]


def test_numbered_title_and_dash_authors() -> None:
    item = only_item(
        "## Tools\n\n1) Toolformer: Language Models Can Teach Themselves to Use Tools — Timo"
        " Schick, Jane Dwivedi-Yu (NeurIPS 2023) [论文](https://arxiv.org/abs/2302.04761)\n"
    )
    assert item.title == "Toolformer: Language Models Can Teach Themselves to Use Tools"
    assert item.authors == ["Timo Schick", "Jane Dwivedi-Yu"]
    assert item.year == 2023


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Niklas Muennighoff et al.", ["Niklas Muennighoff", "others"]),
        ("Radford et. al.", ["Radford", "others"]),
        ("Mikolov, Tomas, Sutskever, Ilya", ["Tomas Mikolov", "Ilya Sutskever"]),
        ("Cho, K., Roukos, S., et al.", ["K. Cho", "S. Roukos", "others"]),
        (
            "Sutskever, Ilya, Oriol Vinyals, and Quoc V. Le",
            ["Ilya Sutskever", "Oriol Vinyals", "Quoc V. Le"],
        ),
        ("Łukasz Kaiser", ["Łukasz Kaiser"]),
        ("A declarative, efficient, and flexible JavaScript library", None),
        ("Fast, Reliable, and Secure", None),
    ],
)
def test_author_lists(text: str, names: list[str] | None) -> None:
    assert split_names(text) == names


def test_a_bold_title_is_never_taken_for_an_author() -> None:
    item = only_item(
        '## Papers\n\n- **"Crosslingual Generalization through Multitask Finetuning"**'
        " *Niklas Muennighoff et al.* [[paper](https://arxiv.org/abs/2211.01786)]\n"
    )
    assert item.title == "Crosslingual Generalization through Multitask Finetuning"
    assert item.authors == ["Niklas Muennighoff", "others"]


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("[2023/10] A title", 2023),
        ("*Authors.* [abs], 2022.12", 2022),
        ("Some Paper (2014)", 2014),
        ("CVPR 2024 oral", 2024),
        ("NeurIPS'23", 2023),
        ("17 Jun 2022", 2022),
        ("arXiv 2022", 2022),
        ("2024/09/16", 2024),
        ("runs in 3:11:06", None),
        ("16000+ real-world APIs", None),
    ],
)
def test_years_as_lists_write_them(text: str, year: int | None) -> None:
    assert year_in(text) == year


def test_a_citation_paragraph_is_an_item() -> None:
    item = only_item(
        "## Foundations\n\n**[12]** Bahdanau, Dzmitry, Kyunghyun Cho, and Yoshua Bengio."
        ' "**Neural Machine Translation by Jointly Learning to Align and Translate**." ICLR.'
        " 2015. [[pdf]](https://arxiv.org/pdf/1409.0473)\n"
    )
    assert item.title == "Neural Machine Translation by Jointly Learning to Align and Translate"
    assert item.authors == ["Dzmitry Bahdanau", "Kyunghyun Cho", "Yoshua Bengio"]
    assert (item.venue, item.year) == ("ICLR", 2015)


def test_a_title_line_and_its_labelled_bullets_are_one_item() -> None:
    result = parse_snippet(
        "## Video\n\n**Tune-A-Video: One-Shot Tuning of Image Diffusion Models** (ICCV 2023)\n"
        "- Paper: https://arxiv.org/abs/2212.11565\n"
        "- Code: https://github.com/showlab/Tune-A-Video\n"
        "- Authors: Jay Zhangjie Wu, Yixiao Ge, et al.\n",
        MarkdownSource,
    )
    (item,) = result.items
    assert item.title == "Tune-A-Video: One-Shot Tuning of Image Diffusion Models"
    assert item.url == "https://arxiv.org/abs/2212.11565"
    assert item.authors == ["Jay Zhangjie Wu", "Yixiao Ge", "others"]
    assert item.year == 2023
    assert [(link.url, link.role) for link in item.related] == [
        ("https://github.com/showlab/Tune-A-Video", "code")
    ]


def test_sub_bullets_of_their_own_stay_items() -> None:
    result = parse_snippet(
        "## Apps\n\n- [Joplin](https://joplinapp.org/) - Notes.\n"
        "  - End-to-end encrypted sync.\n"
        "  - [Moe Memos](https://memos.moe/) - A client for Memos.\n",
        MarkdownSource,
    )
    assert [(item.title, item.description) for item in result.items] == [
        ("Joplin", "Notes. End-to-end encrypted sync."),
        ("Moe Memos", "A client for Memos."),
    ]


def test_related_links_are_kept_as_written_and_apart() -> None:
    item = only_item(
        "## Papers\n\n- [A Paper](https://arxiv.org/abs/2301.00001) [sec 2](https://www.Example.org/p/#s2)"
        " [sec 3](https://www.Example.org/p/#s3)\n"
    )
    assert [link.url for link in item.related] == [
        "https://www.Example.org/p/#s2",
        "https://www.Example.org/p/#s3",
    ]


def test_relative_links_are_kept_and_resolved_with_a_base(tmp_path: Path) -> None:
    text = "## Papers\n\n- [A survey](https://arxiv.org/abs/2301.00001) [slides](slides/a.pdf)\n"
    (item,) = parse_snippet(text, MarkdownSource).items
    assert [(link.url, link.role) for link in item.related] == [("slides/a.pdf", "slides")]
    built = build_lists(
        tmp_path,
        {"list.md": text},
        config='[files."list.md"]\nbase_url = "https://github.com/o/r/blob/main/"\n',
    )
    entry = entry_for(built.result.dataset, "https://arxiv.org/abs/2301.00001")
    assert [link.url for link in entry.related] == ["https://github.com/o/r/blob/main/slides/a.pdf"]


def test_titles_do_not_depend_on_input_order(tmp_path: Path) -> None:
    first = "## A\n\n- [Paper](https://arxiv.org/abs/1706.03762)\n"
    second = "## B\n\n- [Attention Is All You Need](https://arxiv.org/abs/1706.03762)\n"
    third = "## C\n\n- [Attention is all you need](https://arxiv.org/abs/1706.03762)\n"
    titles = set()
    for index, order in enumerate([(first, second, third), (third, second, first)]):
        lists = {f"{name}.md": text for name, text in zip("xyz", order, strict=True)}
        built = build_lists(tmp_path / str(index), lists)
        titles.add(entry_for(built.result.dataset, "https://arxiv.org/abs/1706.03762").title)
    assert titles == {"Attention Is All You Need"}


@pytest.mark.parametrize(
    ("written", "title"),
    [
        ("Chain-of-Thought Prompting.", "Chain-of-Thought Prompting"),
        ('"Quoted Title"', "Quoted Title"),
        (
            "Don’t Ban ChatGPT in Schools. Teach With It.",
            "Don’t Ban ChatGPT in Schools. Teach With It.",
        ),
        ("Node.js", "Node.js"),
        ("ChatGPT 'hallucinations'", "ChatGPT 'hallucinations'"),
    ],
)
def test_tidy_titles(written: str, title: str) -> None:
    assert tidy_title(written) == title


def test_the_written_title_is_kept_for_the_occurrence() -> None:
    item = only_item(
        "## Papers\n\n1. **Self-Consistency Improves Chain of Thought.** [abs](https://arxiv.org/abs/2203.11171)\n"
    )
    assert (item.title, item.written_title) == (
        "Self-Consistency Improves Chain of Thought",
        "Self-Consistency Improves Chain of Thought.",
    )


def test_only_labels_take_the_heading_as_title() -> None:
    item = only_item(
        "## GPT-4\n\n- [Paper](https://arxiv.org/abs/1) [Code](https://github.com/o/r)\n"
    )
    assert (item.title, item.written_title, item.url) == (
        "GPT-4 Paper",
        "Paper",
        "https://arxiv.org/abs/1",
    )
    tree = parse_markdown("- [Paper](https://arxiv.org/abs/1) [Code](https://github.com/o/r)\n")
    (block,) = (block for block in tree.blocks if isinstance(block, ListItem))
    reading = read_item(block.inline)
    assert reading is not None and reading.primary.url == "https://arxiv.org/abs/1"


def test_prose_paragraphs_stay_prose() -> None:
    result = parse_snippet(
        "# List\n\nContributions welcome: read [the guide](https://example.org/guide) first.\n",
        MarkdownSource,
    )
    assert result.items == []
    assert [link.url for link in result.links] == ["https://example.org/guide"]
    assert isinstance(document("x").markdown.blocks[0], Paragraph)


def test_merged_related_links_keep_every_url_as_written(tmp_path: Path) -> None:
    built = build_lists(
        tmp_path,
        {
            "a.md": "## Agents\n\n- [AgentSims](https://github.com/py499372727/AgentSims)"
            " [Homepage](https://www.agentsims.com/)\n",
            "b.md": "## Sims\n\n- [AgentSims: an open-source sandbox](https://github.com/py499372727/AgentSims/)"
            " [demo](https://www.agentsims.com/#demo)\n",
        },
    )
    entry = entry_for(built.result.dataset, "https://github.com/py499372727/AgentSims")
    assert [(link.url, link.role) for link in entry.related] == [
        ("https://www.agentsims.com/", "project"),
        ("https://www.agentsims.com/#demo", "demo"),
    ]
    assert len(built.result.dataset.entries) == 1


@pytest.mark.parametrize(
    ("line", "description", "venue"),
    [
        (
            "- [Feedly](https://feedly.com) - RSS reader for the web.",
            "RSS reader for the web.",
            None,
        ),
        (
            "- [Snap](https://s.example) - Nature photography tips.",
            "Nature photography tips.",
            None,
        ),
        (
            "- [Num](https://n.example) - the IEEE 754 standard in C.",
            "the IEEE 754 standard in C.",
            None,
        ),
        ("- [Lancet](https://github.com/ww/lancet) - A tool.", "A tool.", None),
        ("- [A Paper](https://arxiv.org/abs/1) *Ann Lee. arXiv.*", None, "arXiv"),
        ("- [A Paper](https://arxiv.org/abs/1) (ICLR)", None, "ICLR"),
    ],
)
def test_venue_names_in_prose_are_words(
    line: str, description: str | None, venue: str | None
) -> None:
    item = only_item(f"## S\n\n{line}\n")
    assert (item.description, item.venue) == (description, venue)


@pytest.mark.parametrize(
    ("line", "title", "description", "authors", "year"),
    [
        (
            "- [Deep Residual Learning](https://arxiv.org/abs/1512.03385) [code](https://github.com/a/b)",
            "Deep Residual Learning", None, [], None,
        ),
        (
            "- LLaMA: Open and Efficient Foundation Language Models [[paper](https://arxiv.org/abs/2302.13971)]",
            "LLaMA: Open and Efficient Foundation Language Models", None, [], None,
        ),
        (
            "- [Flask](https://flask.example) - A micro framework by Armin Ronacher.",
            "Flask", "A micro framework.", ["Armin Ronacher"], None,
        ),
        ("- [P](https://arxiv.org/abs/1) (Wei et al., 2022)", "P", None, ["Wei", "others"], 2022),
        (
            "- [Words](https://w.example) - The top 2000 words.",
            "Words", "The top 2000 words.", [], None,
        ),
        (
            "- Contact [me](mailto:a@b.c) about [Project X](https://x.dev).",
            "Project X", "Contact me about Project X.", [], None,
        ),
    ],
)  # fmt: skip
def test_ordinary_lines_read_plainly(
    line: str, title: str, description: str | None, authors: list[str], year: int | None
) -> None:
    item = only_item(f"## S\n\n{line}\n")
    assert (item.title, item.description, item.authors, item.year) == (
        title,
        description,
        authors,
        year,
    )


@pytest.mark.parametrize(
    "text",
    [
        "- [Name](https://e.example/) " + "A" * 20000 + " x et\n",
        "- [Name](https://e.example/) *Ann" + " " * 20000 + "Lee*\n",
        "- [a" + "." * 20000 + "a](https://e.example/)\n",
        "- (1) a" + " " * 20000 + "b [Paper](https://e.example/)\n",
        "- [Google Scholar 12345678901234567890123 profile](https://scholar.google.com)\n",
        '<p align="center">' + "*" * 40 + ' <a href="https://e.example/s">Acme</a></p>\n',
        "- [Fix](https://github.com/o/r/pull/1) - "
        + ", ".join(f"h{1000 + i}" for i in range(30))
        + " reviewed it.\n",
    ],
    ids=["et-al", "italic-run", "dots", "numbered", "digits", "stars", "handles"],
)
def test_long_hostile_lines_are_read_and_keep_their_link(text: str) -> None:
    result = parse_snippet("## S\n\n" + text, MarkdownSource)
    urls = {item.url for item in result.items} | {link.url for link in result.links}
    assert urls & {"https://e.example/", "https://scholar.google.com", "https://e.example/s",
                   "https://github.com/o/r/pull/1"}  # fmt: skip


def test_a_description_cell_with_a_link_is_still_the_description() -> None:
    item = only_item(
        "| Name | About | Stars |\n| --- | --- | --- |\n"
        "| [Black](https://github.com/psf/black) | The uncompromising formatter, see"
        " [docs](https://black.readthedocs.io) | 30k |\n"
    )
    assert item.description == "The uncompromising formatter, see docs | 30k"
    assert [link.url for link in item.related] == ["https://black.readthedocs.io"]


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Radford et. al.", ["Radford", "others"]),
        ("Radford et al", ["Radford", "others"]),
        ("Liu et.al.", ["Liu", "others"]),
        ("Ann Lee, Bob Roe et al.", ["Ann Lee", "Bob Roe", "others"]),
        ("Ann Lee and others", ["Ann Lee", "others"]),
        ("Ann Lee, Bob Roe, etc.", ["Ann Lee", "Bob Roe", "others"]),
        ("Ann Lee and colleagues", ["Ann Lee", "others"]),
        ("Anna Schmidt u. a.", ["Anna Schmidt", "others"]),
        ("Yamada Taro ほか", ["Yamada Taro", "others"]),
        ("王小明等", ["王小明", "others"]),
    ],
)
def test_every_way_of_writing_et_al_is_others(text: str, names: list[str]) -> None:
    assert split_names(text) == names


def test_et_al_in_an_item_is_a_last_author_others() -> None:
    item = only_item("- [Scaling Laws](https://example.org/scaling) - Kaplan, McCandlish, etc.")
    assert item.authors[-1] == "others" and "Kaplan" in " ".join(item.authors)


@pytest.mark.parametrize(
    ("text", "authors", "venue"),
    [
        # A blog named after its site, written after its author.
        (
            "- [Philosophers On GPT-3](https://dailynous.com/2020/07/30/gpt3/) by Justin Weinberg, "
            "Daily Nous",
            ["Justin Weinberg"],
            "Daily Nous",
        ),
        # Another shape: the names in italics, the blog's name a word of the vocabulary.
        (
            "- [Notes on RLHF](https://example.org/rlhf) *Ann Lee, Bob Roe, Acme Blog*",
            ["Ann Lee", "Bob Roe"],
            "Acme Blog",
        ),
        # A person's own site is not a publication.
        ("- [Prompting](https://lilianweng.github.io/p) by Lilian Weng", ["Lilian Weng"], None),
    ],
)
def test_a_blogs_name_is_its_venue_not_a_co_author(
    text: str, authors: list[str], venue: str | None
) -> None:
    item = only_item(text)
    assert (item.authors, item.venue) == (authors, venue)

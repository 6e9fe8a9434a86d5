"""The bibliographies as a reader sees them: typeset by the real tools and read back.

Each document cites every entry on a line of its own ("Q12Q [Vaswani et al., 2017]"), then
prints the bibliography after a marker; pdftotext reads the PDF back. Checked: no entry shows its
title twice, every dated entry's label has its year, "et al." stands where a list wrote it.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import unicodedata
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from awesomerge.api import Collection
from awesomerge.models import Dataset, Entry
from awesomerge.outputs.bibtex_output import BibtexOutput
from awesomerge.outputs.csl_output import CslJsonOutput

from .conftest import DATA, require_tool
from .test_output_bibtex import parse_bib

TIMEOUT = 120
START = "ZZSTARTZZ"
LINE = re.compile(r"^Q(\d+)Q\s*(.*)$")


def entry(**fields: Any) -> Entry:
    base: dict[str, Any] = {"url": "https://example.com/", "kind": "article", "occurrences": []}
    return Entry.model_validate({**base, **fields})


#: Shapes the seeds lack, written by hand: a video, an organisation's post, two et al. forms.
OWN = [
    entry(
        id="youtube:wjZofJX0v4M",
        url="https://www.youtube.com/watch?v=wjZofJX0v4M",
        title="Transformers, the tech behind LLMs",
        kind="video",
        identifiers={"youtube": "wjZofJX0v4M"},
        year=2024,
    ),
    entry(
        id="url:own-anthropic",
        url="https://www.anthropic.com/news/core-views-on-ai-safety",
        title="Core Views on AI Safety: When, Why, What, and How",
        year=2023,
    ),
    entry(
        id="url:own-etal",
        url="https://proceedings.example.org/tree-of-thoughts",
        title="Tree of Thoughts: Deliberate Problem Solving with Large Language Models",
        kind="paper",
        authors=["Shunyu Yao", "Dian Yu", "others"],
        year=2023,
    ),
]


def letters(text: str) -> str:
    """Only the letters and digits, folded: what survives hyphenation, case changes, TeX."""
    folded = unicodedata.normalize("NFKD", text).casefold()
    return "".join(char for char in folded if char.isascii() and char.isalnum())


def words(text: str) -> str:
    """Folded words, a slash kept ("karpathy/nanogpt" is not "karpathy. nanoGPT"), words
    split at the end of a line joined again, TeX's braces and backslashes gone."""
    text = re.sub(r"-\n(?=[a-z])", "", text)
    folded = unicodedata.normalize("NFKD", text).casefold()
    kept = "".join(
        char if char.isascii() and (char.isalnum() or char == "/") else " " for char in folded
    )
    return " ".join(kept.split())


def doubled_titles(
    entries: list[Entry], bibliography: str, named_after_maker: frozenset[str] = frozenset()
) -> list[str]:
    """Titles printed more often than the entries whose titles hold them. A work named after
    whoever made it ("Anthropic", by Anthropic) is allowed its name twice."""
    printed = f" {words(bibliography)} "
    titles = [words(entry.title) for entry in entries]
    doubled = []
    for title in sorted(set(titles)):
        if len(letters(title)) < 8 or title in named_after_maker:  # too short to tell apart
            continue
        holders = sum(f" {title} " in f" {other} " for other in titles)
        # Overlapping matches: "t t" is two, though the space between them is shared.
        if len(re.findall(f"(?= {re.escape(title)} )", printed)) > holders:
            doubled.append(title)
    return doubled


def named_after_maker(fields: dict[str, dict[str, str]]) -> frozenset[str]:
    """The titles of entries credited to a name that holds the whole title: a site's
    homepage, "Colossal-AI" by colossalai.org."""
    found = set()
    for values in fields.values():
        maker = letters(values.get("author", "") or values.get("organization", ""))
        title = letters(values.get("title", ""))
        if maker and title and title in maker:
            found.add(words(values["title"].replace("{", "").replace("}", "")))
    return frozenset(found)


@dataclass
class Rendered:
    """A document read back: each entry's citation as printed, and the bibliography's text."""

    citations: dict[str, str]
    bibliography: str


def read_back(text: str, keys: list[str]) -> Rendered:
    cited, _, bibliography = text.partition(START)
    citations: dict[str, str] = {}
    current: int | None = None
    for line in cited.splitlines():
        match = LINE.match(line.strip())
        if match:
            current = int(match.group(1))
            citations[keys[current]] = match.group(2)
        elif current is not None and line.strip():
            citations[keys[current]] += " " + line.strip()  # a label that wrapped
    assert len(citations) == len(keys)
    return Rendered(citations, bibliography)


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TEXMFVAR": str(cwd / "texmf-var")}
    return subprocess.run(
        args, cwd=cwd, env=env, capture_output=True, text=True, errors="replace",
        timeout=TIMEOUT, check=False,
    )  # fmt: skip


def pdftext(folder: Path) -> str:
    completed = run([require_tool("pdftotext"), "-raw", "-enc", "UTF-8", "doc.pdf", "-"], folder)
    assert completed.returncode == 0, completed.stderr
    return completed.stdout


def citing_lines(keys: list[str], cite: str) -> str:
    return "\n".join(
        f"\\noindent Q{number}Q \\{cite}{{{key}}}\\par" for number, key in enumerate(keys)
    )


NATBIB = r"""\documentclass{article}
\usepackage[%(mode)s]{natbib}
\usepackage{url}
\pagestyle{empty}
\begin{document}
%(lines)s
\clearpage
%(start)s
\bibliographystyle{plainnat}
\bibliography{out}
\end{document}
"""
BIBLATEX = r"""\documentclass{article}
\usepackage[T1]{fontenc}
\usepackage[style=authoryear,backend=biber,url=false,doi=false,eprint=false]{biblatex}
\addbibresource{out.bib}
\AtEveryBibitem{\clearfield{url}\clearfield{urlyear}}
\pagestyle{empty}
%(fallbacks)s
\begin{document}
%(lines)s
\clearpage
%(start)s
\printbibliography
\end{document}
"""
# What pdflatex cannot typeset (CJK, Arabic) is printed as "?", as a user of pdflatex would.
FALLBACK = (
    r"\newcommand\fallback[2]{\ifcsname u8:\detokenize{#1}\endcsname\else"
    r"\DeclareUnicodeCharacter{#2}{?}\fi}"
)


def bib_text(entries: list[Entry], dialect: str) -> str:
    output = BibtexOutput(BibtexOutput.Options(dialect=dialect))  # type: ignore[arg-type]
    return output.render(Collection(Dataset(sources=[], entries=entries)))


def natbib(folder: Path, entries: list[Entry], mode: str) -> tuple[Rendered, str, dict[str, Any]]:
    text = bib_text(entries, "bibtex")
    # Typeset without the URLs, which repeat title words ("openai.com/blog/chatgpt"), as the
    # biblatex document leaves them out with url=false.
    (folder / "out.bib").write_text(re.sub(r"^  url = .*\n", "", text, flags=re.M), "ascii")
    fields = {key: values for key, (_, values) in parse_bib(text).items()}
    keys = sorted(fields)
    cite = "citep" if mode == "authoryear" else "cite"
    document = NATBIB % {"mode": mode, "lines": citing_lines(keys, cite), "start": START}
    (folder / "doc.tex").write_text(document, encoding="ascii")
    pdflatex = [require_tool("pdflatex"), "-interaction=nonstopmode", "-halt-on-error", "doc"]
    for step in (pdflatex, [require_tool("bibtex"), "-terse", "doc"], pdflatex, pdflatex):
        completed = run(step, folder)
        assert completed.returncode == 0, (step[0], completed.stdout[-3000:])
    bbl = (folder / "doc.bbl").read_text(encoding="ascii")
    return read_back(pdftext(folder), keys), bbl, fields


def biblatex(folder: Path, entries: list[Entry]) -> tuple[Rendered, dict[str, Any]]:
    text = bib_text(entries, "biblatex")
    (folder / "out.bib").write_text(text, encoding="utf-8")
    fields = {key: values for key, (_, values) in parse_bib(text).items()}
    keys = sorted(fields)
    fallbacks = [FALLBACK] + [
        f"\\fallback{{{char}}}{{{ord(char):04X}}}" for char in sorted(set(text)) if char > "\x7f"
    ]
    document = BIBLATEX % {
        "lines": citing_lines(keys, "parencite"),
        "start": START,
        "fallbacks": "\n".join(fallbacks),
    }
    (folder / "doc.tex").write_text(document, encoding="utf-8")
    pdflatex = [require_tool("pdflatex"), "-interaction=nonstopmode", "-halt-on-error", "doc"]
    for step in (pdflatex, [require_tool("biber"), "doc"], pdflatex, pdflatex):
        completed = run(step, folder)
        assert completed.returncode == 0, (step[0], completed.stdout[-3000:])
    return read_back(pdftext(folder), keys), fields


@pytest.fixture(scope="module")
def entries(seed_build: dict[str, Any]) -> list[Entry]:
    seeds = Dataset.model_validate(seed_build).entries
    assert not {entry.id for entry in seeds} & {entry.id for entry in OWN}
    return [*seeds, *OWN]


@pytest.fixture(scope="module")
def typeset(entries: list[Entry], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The three documents, typeset two at a time: each takes a few seconds."""
    for tool in ("pdflatex", "bibtex", "biber", "pdftotext"):
        require_tool(tool)
    jobs: dict[str, Callable[[], Any]] = {
        "numbers": lambda: natbib(tmp_path_factory.mktemp("numbers"), entries, "numbers"),
        "authoryear": lambda: natbib(tmp_path_factory.mktemp("authoryear"), entries, "authoryear"),
        "biblatex": lambda: biblatex(tmp_path_factory.mktemp("biblatex"), entries),
    }
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {name: pool.submit(job) for name, job in jobs.items()}
    return {name: future.result() for name, future in futures.items()}


def test_plainnat_prints_no_title_twice(typeset: dict[str, Any], entries: list[Entry]) -> None:
    for mode in ("numbers", "authoryear"):
        rendered, bbl, fields = typeset[mode]
        exempt = named_after_maker(fields)
        assert doubled_titles(entries, rendered.bibliography, exempt) == [], mode
        assert len(exempt) < 10, exempt
        assert "\\bibitem" in bbl and bbl.count("\\bibitem") == len(rendered.citations)


def test_plainnat_author_year_labels_have_their_years(
    typeset: dict[str, Any],
) -> None:
    rendered, _, fields = typeset["authoryear"]
    dated = {key for key, values in fields.items() if "year" in values}
    missing = [key for key in dated if fields[key]["year"] not in rendered.citations[key]]
    assert missing == []
    assert rendered.citations["arxiv2017attention"] == "[arXiv:1706.03762, 2017]"
    assert rendered.citations["anthropic2023core"] == "[Anthropic, 2023]"
    assert rendered.citations["youtube2024transformers"] == "[YouTube, 2024]"
    # Numbers in the numeric mode: no label is a title.
    numbers, _, _ = typeset["numbers"]
    assert all(re.fullmatch(r"\[\d+\]", cited) for cited in numbers.citations.values())


def test_et_al_where_the_list_wrote_it(typeset: dict[str, Any], entries: list[Entry]) -> None:
    with_others = [entry for entry in entries if entry.authors[-1:] == ["others"]]
    assert len(with_others) >= 5
    natbib_text, _, natbib_fields = typeset["authoryear"]
    biblatex_text, biblatex_fields = typeset["biblatex"]
    for rendered, fields in ((natbib_text, natbib_fields), (biblatex_text, biblatex_fields)):
        keyed = {values["title"]: key for key, values in fields.items()}
        for entry in with_others:
            key = next(
                key for title, key in keyed.items() if letters(title) == letters(entry.title)
            )
            assert "et al." in rendered.citations[key], (key, rendered.citations[key])
    assert "Yao et al., 2023" in natbib_text.citations["yao2023tree"]
    assert biblatex_text.citations["yao2023tree"] == "(Yao, Yu, et al. 2023)"
    assert "Yao, Dian Yu, et al." in " ".join(natbib_text.bibliography.split())


def test_biblatex_authoryear_prints_no_title_twice_and_dates_its_labels(
    typeset: dict[str, Any], entries: list[Entry]
) -> None:
    rendered, fields = typeset["biblatex"]
    assert doubled_titles(entries, rendered.bibliography, named_after_maker(fields)) == []
    dated = {key for key, values in fields.items() if "date" in values}
    assert [key for key in dated if fields[key]["date"][:4] not in rendered.citations[key]] == []


# The biblatex dialect with a title pdflatex cannot typeset.

CJK = [
    entry(
        id="url:cjk",
        url="https://example.cn/",
        title="大语言模型综述",
        authors=["赵鑫", "others"],
        year=2023,
    )
]
LUALATEX = r"""\documentclass{article}
\usepackage{fontspec}
%(font)s
\usepackage[style=authoryear,backend=biber]{biblatex}
\addbibresource{out.bib}
\begin{document}
\parencite{%(key)s}
\printbibliography
\end{document}
"""
#: A font with CJK glyphs, from Debian's fonts-arphic-uming (which .ci/run installs).
CJK_FONT = Path("/usr/share/fonts/truetype/arphic/uming.ttc")


def test_biblatex_with_a_cjk_title_needs_lualatex_or_xelatex(tmp_path: Path) -> None:
    """pdflatex stops on the title (the user guide says so); lualatex typesets it."""
    text = bib_text(CJK, "biblatex")
    (tmp_path / "out.bib").write_text(text, encoding="utf-8")
    (key,) = parse_bib(text)
    plain = (LUALATEX % {"font": "", "key": key}).replace("\\usepackage{fontspec}", "")
    (tmp_path / "doc.tex").write_text(plain, encoding="utf-8")
    pdflatex = [require_tool("pdflatex"), "-interaction=nonstopmode", "-halt-on-error", "doc"]
    assert run(pdflatex, tmp_path).returncode == 0
    assert run([require_tool("biber"), "doc"], tmp_path).returncode == 0
    failed = run(pdflatex, tmp_path)
    assert failed.returncode != 0 and "Unicode character" in failed.stdout
    lualatex = require_tool("lualatex")
    if not CJK_FONT.is_file():
        require_tool("a CJK font (fonts-arphic-uming)")
    font = f"\\setmainfont{{{CJK_FONT.name}}}[Path={CJK_FONT.parent}/]"
    (tmp_path / "doc.tex").write_text(LUALATEX % {"font": font, "key": key}, encoding="utf-8")
    steps = [lualatex, "-interaction=nonstopmode", "-halt-on-error", "doc"]
    for step in (steps, [require_tool("biber"), "doc"], steps):
        completed = run(step, tmp_path)
        assert completed.returncode == 0, completed.stdout[-3000:]
    text = pdftext(tmp_path)
    assert "(赵鑫 et al. 2023)" in text and "大语言模型综述" in text


# CSL-JSON through pandoc --citeproc, in two styles.

STYLES = {"chicago-author-date": None, "numeric-small": DATA / "csl" / "numeric-small.csl"}


@pytest.mark.parametrize("style", sorted(STYLES))
def test_pandoc_citeproc_renders_years_and_no_title_twice(
    style: str, entries: list[Entry], tmp_path: Path
) -> None:
    pandoc = require_tool("pandoc")
    output = CslJsonOutput()
    text = output.render(Collection(Dataset(sources=[], entries=entries)))
    (tmp_path / "refs.json").write_text(text, encoding="utf-8")
    by_id = {entry.id: entry for entry in entries}
    by_key = {item["id"]: by_id[item["custom"]["awesomerge_id"]] for item in json.loads(text)}
    keys = sorted(by_key)
    lines = "\n\n".join(f"Q{number}Q [@{key}]" for number, key in enumerate(keys))
    (tmp_path / "doc.md").write_text(f"{lines}\n\n{START}\n\n::: {{#refs}}\n:::\n", "utf-8")
    args = [pandoc, "doc.md", "--citeproc", "--bibliography", "refs.json", "-t", "plain"]
    args += ["--wrap=none"]
    csl = STYLES[style]
    if csl is not None:
        args += ["--csl", str(csl)]
    completed = subprocess.run(
        args, cwd=tmp_path, capture_output=True, text=True, timeout=TIMEOUT, check=False
    )
    assert completed.returncode == 0 and completed.stderr == "", completed.stderr
    rendered = read_back(completed.stdout, keys)
    # Without the URLs, which repeat title words (and the titles that are bare URLs).
    bibliography = re.sub(r"https?://\S+", " ", rendered.bibliography)
    exempt = frozenset(words(entry.title) for entry in entries if "://" in entry.title)
    assert doubled_titles(entries, bibliography, exempt) == []
    if style == "numeric-small":
        assert all(re.fullmatch(r"\[\d+\]", cited) for cited in rendered.citations.values())
        assert "[1] " in bibliography and "“Attention Is All You Need.” 2017." in bibliography
    else:
        assert rendered.citations["arxiv2017attention"] == "(“Attention Is All You Need” 2017)"
        dated = {
            key
            for key, entry in by_key.items()
            if entry.year is not None or "arxiv" in entry.identifiers
        }
        undated = [key for key in dated if not re.search(r"\b\d{4}\b", rendered.citations[key])]
        assert undated == []

"""The bibtex output: keys, escaping, case protection, arXiv fields and both dialects, checked by
hand-written golden files and by the real tools (bibtex, biber, pdflatex with natbib and with
biblatex) on the seeds' build and on a fixture of hostile text."""

from __future__ import annotations

import json
import os
import re
import subprocess
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from awesomerge.api import Collection
from awesomerge.models import Dataset, Entry, Occurrence, SourceRecord
from awesomerge.outputs.bibtex_output import BibtexOutput, citation_keys
from awesomerge.outputs.bibtex_text import (
    latex_text,
    latex_title,
    needs_protection,
    title_word,
    verbatim,
)

from .conftest import DATA, ROOT, require_tool

CASES = DATA / "outputs" / "bibtex"
KEY = re.compile(r"^[a-z][a-z0-9_]*$")
BIB_ENTRY = re.compile(r"^@(\w+)\{([^,\s]+),\n((?:  .*\n)*)\}\n", re.MULTILINE)
BIB_FIELD = re.compile(r"^  (\w+) = \{(.*)\},$")
VERBATIM_FIELDS = {"url", "doi", "eprint"}


def entry(**fields: Any) -> Entry:
    """An entry with only what a test cares about; the rest left at plain defaults."""
    base: dict[str, Any] = {
        "id": f"url:{fields.get('title', 'x')}",
        "url": "https://example.com/",
        "title": "Untitled",
        "kind": "article",
        "occurrences": [],
    }
    return Entry.model_validate({**base, **fields})


def render(entries: list[Entry], dialect: str = "bibtex") -> str:
    output = BibtexOutput(BibtexOutput.Options(dialect=dialect))  # type: ignore[arg-type]
    return output.render(Collection(Dataset(sources=[], entries=entries)))


def parse_bib(text: str) -> dict[str, tuple[str, dict[str, str]]]:
    """Our own one-field-per-line layout read back: key -> (type, fields)."""
    found: dict[str, tuple[str, dict[str, str]]] = {}
    for match in BIB_ENTRY.finditer(text):
        fields = {}
        for line in match.group(3).splitlines():
            field = BIB_FIELD.match(line)
            assert field, f"not a field line: {line!r}"
            fields[field.group(1)] = field.group(2)
        assert match.group(2) not in found, f"key {match.group(2)} written twice"
        found[match.group(2)] = (match.group(1), fields)
    assert sum(1 for line in text.splitlines() if line.startswith("@")) == len(found)
    return found


def only(text: str) -> dict[str, str]:
    (fields,) = [fields for _, fields in parse_bib(text).values()]
    return fields


def balanced(value: str) -> bool:
    depth = 0
    for char in value:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


def unescaped_specials(value: str) -> list[str]:
    """TeX specials left raw in a text field, apart from the math groups we write ({$\\mu$})."""
    value = re.sub(r"\{\$[^$]*\$\}", "", value)
    value = re.sub(r"\\[a-zA-Z]+|\\.", "", value)
    return re.findall(r"[$%#&_~^\\]", value)


def load_dataset(path: Path) -> Dataset:
    return Dataset.model_validate(json.loads(path.read_text(encoding="utf-8")))


# Citation keys


def test_key_is_surname_year_and_first_significant_word() -> None:
    paper = entry(authors=["Ashish Vaswani"], year=2017, title="Attention Is All You Need")
    assert citation_keys([paper]) == ["vaswani2017attention"]


def test_without_a_year_the_parts_are_joined_by_an_underscore() -> None:
    talk = entry(authors=["Andrej Karpathy"], title="State of GPT")
    assert citation_keys([talk]) == ["karpathy_state"]


@pytest.mark.parametrize(
    ("authors", "title", "key"),
    [
        (["Søren Ødegård"], "The Œuvre of Łódź", "odegard2020oeuvre"),
        (["José Núñez-Peña"], "Über die Straße", "nunezpena2020uber"),
        (["Ludwig van Beethoven Jr."], "An Ode", "beethoven2020ode"),
        (["Hedu AI"], "Visual Guide", "heduai2020visual"),
        (["李小龙", "Bruce Lee"], "Enter", "example2020enter"),
    ],
)
def test_names_fold_to_ascii(authors: list[str], title: str, key: str) -> None:
    written = entry(authors=authors, title=title, year=2020, url="https://www.example.com/a")
    assert citation_keys([written]) == [key]


@pytest.mark.parametrize(
    ("title", "word"),
    [
        ("A Pre-Training Guide", "pretraining"),
        ("On the 137 Emergent Abilities", "emergent"),
        ("GPT-4 Technical Report", "gpt4"),
        ("Let's build GPT", "build"),
        ("OpenAI’s charter", "openai"),
        ("137", "137"),
        ("https://www.youtube.com/watch?v=x", "youtube"),
        ("🤗 東京", ""),
    ],
)
def test_title_word_skips_function_words(title: str, word: str) -> None:
    assert title_word(title) == word


@pytest.mark.parametrize(
    ("fields", "key"),
    [
        ({"url": "https://github.com/openai/tiktoken", "identifiers": {"github": "openai/tiktoken"},
          "kind": "repository", "title": "tiktoken"}, "openai_tiktoken"),
        ({"url": "https://github.com/karpathy/nanoGPT/blob/master/x.ipynb", "title": "Scaling"},
         "karpathy_scaling"),
        ({"url": "https://huggingface.co/spaces/mteb/leaderboard", "title": "MTEB"}, "mteb"),
        ({"url": "https://www.nytimes.com/2023/a.html", "title": "Big News"}, "nytimes_big"),
        ({"url": "https://jalammar.github.io/illustrated/", "title": "Illustrated"},
         "jalammar_illustrated"),
        ({"url": "https://news.bbc.co.uk/x", "title": "Headline"}, "bbc_headline"),
        ({"url": "https://www.3blue1brown.com/x", "title": "Neural"}, "x3blue1brown_neural"),
        ({"url": "javascript:alert(1)", "title": "Nothing"}, "anon_nothing"),
    ],
)  # fmt: skip
def test_without_authors_the_account_or_site_names_the_key(
    fields: dict[str, Any], key: str
) -> None:
    assert citation_keys([entry(**fields)]) == [key]


def test_arxiv_id_gives_the_year_when_the_list_does_not() -> None:
    new = entry(identifiers={"arxiv": "1706.03762"}, title="Attention", authors=["Vaswani"])
    old = entry(identifiers={"arxiv": "hep-th/9901001"}, title="Strings", authors=["Witten"])
    assert citation_keys([new, old]) == ["vaswani2017attention", "witten1999strings"]


def test_clashes_are_settled_by_entry_id_not_by_order() -> None:
    first = entry(id="url:a", url="https://example.com/a", title="Same", authors=["Smith"])
    second = entry(id="url:b", url="https://example.com/b", title="Same", authors=["Smith"])
    assert citation_keys([first, second]) == ["smith_same", "smith_samea"]
    assert citation_keys([second, first]) == ["smith_samea", "smith_same"]


def test_keys_that_differ_only_in_case_clash() -> None:
    lower = entry(id="url:a", title="Same Title", authors=["Smith"], year=2020)
    upper = entry(id="url:b", title="same title", authors=["SMITH"], year=2020)
    keys = citation_keys([lower, upper])
    assert keys == ["smith2020same", "smith2020samea"]


def test_a_suffix_never_takes_another_entrys_key() -> None:
    one = entry(id="url:1", title="Same", authors=["Smith"])
    two = entry(id="url:2", title="Same", authors=["Smith"])
    taken = entry(id="url:3", title="Samea", authors=["Smith"])
    assert citation_keys([one, two, taken]) == ["smith_same", "smith_sameb", "smith_samea"]


def test_keys_stay_when_another_entry_is_added() -> None:
    before = [
        entry(id="url:b", title="Same", authors=["Smith"]),
        entry(id="url:c", title="Same", authors=["Smith"]),
        entry(id="url:x", title="Other", authors=["Jones"]),
    ]
    keys = dict(zip((e.id for e in before), citation_keys(before), strict=True))
    unrelated = entry(id="url:0", title="Unrelated", authors=["Doe"])
    clashing_later = entry(id="url:d", title="Same", authors=["Smith"])
    after = [unrelated, *before, clashing_later]
    again = dict(zip((e.id for e in after), citation_keys(after), strict=True))
    assert {name: again[name] for name in keys} == keys
    assert again["url:d"] == "smith_sameb"


def test_seed_keys_are_unique_lower_case_and_well_formed(seed_dataset: Dataset) -> None:
    keys = citation_keys(seed_dataset.entries)
    assert len(set(keys)) == len(keys) == len(seed_dataset.entries)
    assert all(KEY.match(key) for key in keys)
    by_id = dict(zip((e.id for e in seed_dataset.entries), keys, strict=True))
    assert by_id["arxiv:1706.03762"] == "arxiv2017attention"
    assert by_id["github:karpathy/nanogpt"] == "karpathy_nanogpt"


# Escaping


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("a}b{c", r"a\textbraceright{}b\textbraceleft{}c"),
        ("100% #1 & $5", r"100\% \#1 \& \$5"),
        ("snake_case ~x ^y", r"snake\_case \textasciitilde{}x \textasciicircum{}y"),
        ("back\\slash", r"back\textbackslash{}slash"),
        ("[a] <b> |c|", r"{[}a{]} \textless{}b\textgreater{} \textbar{}c\textbar{}"),
        ("@misc{x,", r"@misc\textbraceleft{}x,"),
        ("line\nbreak\ttab", "line break tab"),
    ],
)
def test_text_fields_escape_every_tex_special(text: str, written: str) -> None:
    assert latex_text(text, ascii_only=True) == written
    assert latex_text(text, ascii_only=False) == written


@pytest.mark.parametrize(
    ("text", "ascii_form", "utf8_form"),
    [
        ("café", r"caf{\'e}", "café"),
        ("Müller", r"M{\"u}ller", "Müller"),
        ("naïve", r"na{\"i}ve", "naïve"),
        ("garçon", r"gar{\c c}on", "garçon"),
        ("Łódź", r"{\L}{\'o}d{\'z}", "Łódź"),
        ("Straße", r"Stra{\ss}e", "Straße"),
        ("Việt", r"Vi{\^e}t", "Việt"),
        ("Wąs", "Was", "Wąs"),
        ("It’s “quoted” — ok…", r"It's ``quoted'' --- ok\ldots{}", "It’s “quoted” — ok…"),
        ("α-entmax", r"{$\alpha$}-entmax", "α-entmax"),
        ("🤗 Transformers 🔥", "Transformers", "Transformers"),
        ("Chat (可能)是怎麼 GPT", "Chat (?)? GPT", "Chat (可能)是怎麼 GPT"),
        ("مرحبا \u202eevil\u202c", "? evil", "مرحبا evil"),
        ("ﬁne", "fine", "ﬁne"),
    ],
)
def test_non_ascii_is_latex_in_bibtex_and_utf8_in_biblatex(
    text: str, ascii_form: str, utf8_form: str
) -> None:
    assert latex_text(text, ascii_only=True) == ascii_form
    assert latex_text(text, ascii_only=False) == utf8_form


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("https://a.example/x_y~z%20#frag&q=1", "https://a.example/x_y~z%20#frag&q=1"),
        ("https://a.example/{a} b\\c", "https://a.example/%7Ba%7D%20b%5Cc"),
        ("https://a.example/café", "https://a.example/caf%C3%A9"),
        ("10.48550/arXiv.1706.03762", "10.48550/arXiv.1706.03762"),
    ],
)
def test_verbatim_fields_are_never_latex_escaped(value: str, written: str) -> None:
    assert verbatim(value) == written


# Case protection


@pytest.mark.parametrize(
    ("title", "written"),
    [
        ("BERT: Pre-Training of Deep Transformers", "{BERT}: Pre-Training of Deep Transformers"),
        ("GPT-4 Technical Report", "{GPT-4} Technical Report"),
        ("LLaMA and OpenAI's T5", "{LLaMA} and {OpenAI}'s {T5}"),
        ("word2vec in llama.cpp", "{word2vec} in {llama.cpp}"),
        ("via openai/tiktoken", "via {openai/tiktoken}"),
        ("(GPT) R&D", r"({GPT}) {R\&D}"),
        ("\\LaTeX rules", r"{{\textbackslash{}LaTeX}} rules"),
        ("A Title In Title Case", "A Title In Title Case"),
    ],
)  # fmt: skip
def test_acronyms_and_code_are_braced_not_whole_titles(title: str, written: str) -> None:
    assert latex_title(title, ascii_only=True) == written


@pytest.mark.parametrize("word", ["Pre-Training", "Attention", "I", "2023", "e", "—"])
def test_ordinary_words_are_not_protected(word: str) -> None:
    assert not needs_protection(word)


@given(st.text())
def test_any_text_becomes_inert_ascii(text: str) -> None:
    for written in (latex_text(text, ascii_only=True), latex_title(text, ascii_only=True)):
        assert written.isascii()
        assert balanced(written), written
        assert unescaped_specials(written) == [], written


@given(st.text())
def test_any_url_becomes_an_ascii_verbatim_value(url: str) -> None:
    written = verbatim(url)
    assert written.isascii()
    assert not set(written) & set("{}\\ \t\n")


# arXiv fields, URLs, dialects


def test_arxiv_entries_get_eprint_and_the_datacite_doi() -> None:
    paper = entry(
        url="https://arxiv.org/abs/1706.03762", identifiers={"arxiv": "1706.03762"}, kind="paper"
    )
    fields = only(render([paper]))
    assert fields["eprint"] == "1706.03762"
    assert fields["archivePrefix"] == "arXiv"
    assert fields["doi"] == "10.48550/arXiv.1706.03762"
    # No list names its authors: the arXiv id stands where they would, and is not repeated.
    assert (fields["author"], fields["howpublished"]) == ("{arXiv:1706.03762}", "arXiv preprint")
    assert fields["year"] == "2017"
    assert "primaryClass" not in fields and "key" not in fields
    named = only(render([paper.model_copy(update={"authors": ["Ashish Vaswani", "others"]})]))
    assert (named["author"], named["howpublished"]) == (
        "Ashish Vaswani and others",
        "arXiv preprint arXiv:1706.03762",
    )
    biblatex = only(render([paper], "biblatex"))
    assert biblatex["eprinttype"] == "arxiv"
    assert biblatex["date"] == "2017-06"
    assert "archivePrefix" not in biblatex and "eprintclass" not in biblatex


def test_a_malformed_arxiv_identifier_is_not_written() -> None:
    fields = only(render([entry(identifiers={"arxiv": "}{evil"}, kind="paper")]))
    assert "eprint" not in fields and "doi" not in fields


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "  JavaScript:alert(1)", "data:text/html,<b>x</b>", "ftp://a.b/c"],
)
@pytest.mark.parametrize("dialect", ["bibtex", "biblatex"])
def test_non_web_urls_are_dropped_and_the_entry_kept(url: str, dialect: str) -> None:
    text = render([entry(url=url, title="Kept")], dialect)
    (entry_type, fields) = next(iter(parse_bib(text).values()))
    assert "url" not in fields
    assert fields["title"] == "Kept"
    assert "javascript" not in text.lower() and "data:" not in text
    if dialect == "biblatex":
        assert entry_type == "misc"  # @online would lack its mandatory url


def test_no_year_is_invented() -> None:
    fields = only(render([entry(title="Undated")]))
    assert "year" not in fields
    assert "date" not in only(render([entry(title="Undated")], "biblatex"))


def test_output_is_deterministic_and_independent_of_entry_order(seed_dataset: Dataset) -> None:
    entries = seed_dataset.entries
    text = render(entries)
    assert render(entries) == text
    assert render(list(reversed(entries))) == text
    assert render([]) == ""


@pytest.mark.parametrize(
    "case", sorted(path.stem for path in CASES.glob("*.json") if path.with_suffix(".bib").exists())
)
@pytest.mark.parametrize(("dialect", "suffix"), [("bibtex", ".bib"), ("biblatex", ".biblatex.bib")])
def test_golden_files(case: str, dialect: str, suffix: str) -> None:
    dataset = load_dataset(CASES / f"{case}.json")
    expected = (CASES / f"{case}{suffix}").read_text(encoding="utf-8")
    assert render(dataset.entries, dialect) == expected


def test_hostile_text_stays_inert(hostile: Dataset) -> None:
    for dialect in ("bibtex", "biblatex"):
        text = render(hostile.entries, dialect)
        written = parse_bib(text)
        assert len(written) == len(hostile.entries)
        if dialect == "bibtex":
            assert text.isascii()
        for key, (_, fields) in written.items():
            assert KEY.match(key)
            for name, value in fields.items():
                assert balanced(value), (key, name, value)
                if name in VERBATIM_FIELDS:
                    assert not set(value) & set("{}\\ "), (key, name, value)
                else:
                    assert unescaped_specials(value) == [], (key, name, value)
            assert fields.get("url", "https://").startswith(("http://", "https://"))


def test_bib_dialect_flag_on_the_command_line(tmp_path: Path) -> None:
    completed = subprocess.run(
        ["awesomerge", "build", "inputs/", "-o", str(tmp_path), "--write", "bibtex",
         "--bib-dialect", "biblatex"],
        cwd=ROOT, capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stderr
    text = (tmp_path / "bibliography.bib").read_text(encoding="utf-8")
    assert "@online{arxiv2017attention," in text
    assert "eprinttype = {arxiv}," in text
    refused = subprocess.run(
        ["awesomerge", "build", "inputs/", "-o", str(tmp_path), "--bib-dialect", "chicago"],
        cwd=ROOT, capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert refused.returncode == 2
    assert "dialect" in refused.stderr


# The real tools: bibtex, biber and pdflatex on the seeds' build and the hostile fixture together

TIMEOUT = 60
BIBTEX_EXPECTED = re.compile(r"^Warning--empty year in (\S+)$")
BIBER_EXPECTED = re.compile(
    r"^WARN - Datamodel: Entry '([^']+)' \(.*\): "
    r"Missing mandatory field - one of 'date, year' must be defined$"
)
LATEX_PROBLEM = re.compile(r"^!|\b[Ww]arning\b[: ]")
NATBIB_DOCUMENT = r"""\documentclass{article}
\usepackage[numbers]{natbib}
\usepackage{url}
\usepackage{hyperref}
\begin{document}
\nocite{*}
\bibliographystyle{plainnat}
\bibliography{out}
\end{document}
"""
BIBLATEX_DOCUMENT = r"""\documentclass{article}
%(fontenc)s
\usepackage[backend=biber]{biblatex}
\usepackage{hyperref}
\addbibresource{out.bib}
%(fallbacks)s
\begin{document}
\nocite{*}
\printbibliography
\end{document}
"""
# pdflatex cannot typeset CJK or Arabic: a user of the UTF-8 dialect declares what to print
# instead, as here, for the characters LaTeX does not know; and uses T1 fonts, which have the
# accents OT1 lacks (ogonek). The ASCII dialect is written for OT1, LaTeX's default.
UNICODE_FALLBACK = (
    r"\newcommand\fallback[2]{\ifcsname u8:\detokenize{#1}\endcsname\else"
    r"\DeclareUnicodeCharacter{#2}{?}\fi}"
)


def tool(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args, cwd=cwd, env=env, capture_output=True, text=True, errors="replace",
        check=False, timeout=TIMEOUT,
    )  # fmt: skip


def pdflatex(
    job: str, cwd: Path, env: dict[str, str], draft: bool = False
) -> subprocess.CompletedProcess[str]:
    """One pdflatex run; a draft run only writes what bibtex or biber read, no PDF."""
    path = require_tool("pdflatex")
    modes = ["-interaction=nonstopmode", "-halt-on-error"] + (["-draftmode"] if draft else [])
    return tool([path, *modes, job], cwd, env)


def unexpected(lines: list[str], expected: re.Pattern[str], keys: set[str]) -> list[str]:
    """The lines that are not the one expected complaint about an entry that has no date."""
    return [
        line for line in lines
        if not ((match := expected.match(line)) and match.group(1) in keys)
    ]  # fmt: skip


def blg_complaints(blg: str) -> list[str]:
    """BibTeX's warnings and errors: a warning line, or an error's first line."""
    lines = blg.splitlines()
    error_context = ("---line", "while executing")
    return [
        line for line, after in zip(lines, [*lines[1:], ""], strict=True)
        if line.startswith("Warning--") or after.startswith(error_context)
        or "I was expecting" in line or line.startswith("Repeated entry")
    ]  # fmt: skip


def biber_complaints(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith(("WARN", "ERROR"))]


def read_log(path: Path) -> str:
    """A TeX log: mostly ASCII, with the bytes of any input character copied into it."""
    return path.read_text(encoding="utf-8", errors="replace")


def latex_problems(log: str) -> list[str]:
    """Errors and warnings of the last pdflatex run; over- and underfull boxes are layout."""
    return [line for line in log.splitlines() if LATEX_PROBLEM.search(line)]


@pytest.fixture(scope="module")
def tex_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Fonts that TeX makes on the fly go to a temporary folder, not the home directory."""
    return {**os.environ, "TEXMFVAR": str(tmp_path_factory.mktemp("texmf-var"))}


#: Paper-list entries as the anatomy reads them: "et al." as "others", a venue.
READ_PAPERS = [
    entry(
        id="arxiv:2211.01786",
        url="https://arxiv.org/abs/2211.01786",
        title="Crosslingual Generalization through Multitask Finetuning",
        kind="paper",
        identifiers={"arxiv": "2211.01786"},
        authors=["Niklas Muennighoff", "others"],
        venue="ACL",
        year=2023,
    ),
    entry(
        id="url:tot",
        url="https://openreview.net/forum?id=5Xc1ecxO1h",
        title="Tree of Thoughts: Deliberate Problem Solving with Large Language Models",
        kind="paper",
        authors=["Shunyu Yao", "Dian Yu", "others"],
        venue="NeurIPS",
        year=2023,
    ),
]


@pytest.fixture(scope="module")
def checked(seed_dataset: Dataset, hostile: Dataset) -> list[Entry]:
    return [*seed_dataset.entries, *hostile.entries, *READ_PAPERS]


def test_et_al_is_bibtex_others_and_the_venue_is_where_published() -> None:
    fields = only(render(READ_PAPERS[1:]))
    assert fields["author"] == "Shunyu Yao and Dian Yu and others"
    assert fields["howpublished"] == "NeurIPS"
    biblatex = only(render(READ_PAPERS[1:], "biblatex"))
    assert (biblatex["author"], biblatex["note"]) == (
        "Shunyu Yao and Dian Yu and others",
        "NeurIPS",
    )
    arxiv = only(render(READ_PAPERS[:1]))
    assert arxiv["author"] == "Niklas Muennighoff and others"


def test_bibtex_prints_et_al_for_others(tmp_path: Path, tex_env: dict[str, str]) -> None:
    bibtex = require_tool("bibtex")
    write_bib(tmp_path, READ_PAPERS, "bibtex")
    aux = "\\relax\n\\citation{*}\n\\bibstyle{plainnat}\n\\bibdata{out}\n"
    (tmp_path / "check.aux").write_text(aux, encoding="ascii")
    completed = tool([bibtex, "-terse", "check"], tmp_path, tex_env)
    assert completed.returncode == 0, completed.stdout
    bbl = (tmp_path / "check.bbl").read_text(encoding="ascii")
    assert "Muennighoff et~al." in bbl and "others" not in bbl
    assert "NeurIPS" in bbl


def write_bib(folder: Path, entries: list[Entry], dialect: str) -> set[str]:
    """Writes out.bib; returns the keys of the entries that have no date, rightly."""
    text = render(entries, dialect)
    (folder / "out.bib").write_text(text, encoding="utf-8")
    return {
        key for key, (_, fields) in parse_bib(text).items()
        if "year" not in fields and "date" not in fields
    }  # fmt: skip


@pytest.mark.parametrize("style", ["plainnat", "plain", "abbrv"])
def test_bibtex_reads_the_bibtex_dialect(
    style: str, checked: list[Entry], tmp_path: Path, tex_env: dict[str, str]
) -> None:
    bibtex = require_tool("bibtex")
    undated = write_bib(tmp_path, checked, "bibtex")
    aux = f"\\relax\n\\citation{{*}}\n\\bibstyle{{{style}}}\n\\bibdata{{out}}\n"
    (tmp_path / "check.aux").write_text(aux, encoding="ascii")
    completed = tool([bibtex, "-terse", "check"], tmp_path, tex_env)
    assert completed.returncode == 0, completed.stdout
    complaints = blg_complaints(read_log(tmp_path / "check.blg"))
    assert unexpected(complaints, BIBTEX_EXPECTED, undated) == []
    if style == "plainnat":
        assert len(complaints) == len(undated)


@pytest.mark.parametrize("dialect", ["bibtex", "biblatex"])
def test_biber_validates_the_data_model(
    dialect: str, checked: list[Entry], tmp_path: Path, tex_env: dict[str, str]
) -> None:
    biber = require_tool("biber")
    undated = write_bib(tmp_path, checked, dialect)
    completed = tool(
        [biber, "--tool", "--validate-datamodel", "--nolog",
         f"--output-file={tmp_path / 'out_bibertool.bib'}", "out.bib"],
        tmp_path, tex_env,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stdout + completed.stderr
    complaints = biber_complaints(completed.stdout + completed.stderr)
    assert unexpected(complaints, BIBER_EXPECTED, undated) == []
    assert complaints, "biber said nothing of the undated entries: is it validating?"


def test_pdflatex_with_natbib_and_bibtex(
    checked: list[Entry], tmp_path: Path, tex_env: dict[str, str]
) -> None:
    bibtex = require_tool("bibtex")
    undated = write_bib(tmp_path, checked, "bibtex")
    (tmp_path / "doc.tex").write_text(NATBIB_DOCUMENT, encoding="ascii")
    assert pdflatex("doc", tmp_path, tex_env, draft=True).returncode == 0
    assert tool([bibtex, "-terse", "doc"], tmp_path, tex_env).returncode == 0
    blg = read_log(tmp_path / "doc.blg")
    assert unexpected(blg_complaints(blg), BIBTEX_EXPECTED, undated) == []
    for draft in (True, False):  # the second run settles the labels the first one wrote
        run = pdflatex("doc", tmp_path, tex_env, draft=draft)
        assert run.returncode == 0, latex_problems(read_log(tmp_path / "doc.log"))
    assert latex_problems(read_log(tmp_path / "doc.log")) == []
    assert (tmp_path / "doc.pdf").stat().st_size > 0


@dataclass
class BiblatexCompile:
    """pdflatex, biber, pdflatex, pdflatex on one dialect: each step's exit status and output."""

    undated: set[str]
    steps: list[tuple[str, int, str]] = field(default_factory=list)
    log: str = ""

    def run(self, name: str, completed: subprocess.CompletedProcess[str], folder: Path) -> bool:
        output = completed.stdout + completed.stderr
        if name == "pdflatex":
            output = read_log(folder / "doc.log")
        self.steps.append((name, completed.returncode, output))
        return completed.returncode == 0


def compile_with_biblatex(folder: Path, entries: list[Entry], dialect: str) -> BiblatexCompile:
    env = {**os.environ, "TEXMFVAR": str(folder / "texmf-var")}  # fonts made on the fly go here
    result = BiblatexCompile(undated=write_bib(folder, entries, dialect))
    text = (folder / "out.bib").read_text(encoding="utf-8")
    fallbacks = [UNICODE_FALLBACK] + [
        f"\\fallback{{{char}}}{{{ord(char):04X}}}" for char in sorted(set(text)) if char > "\x7f"
    ]
    fontenc = r"\usepackage[T1]{fontenc}" if dialect == "biblatex" else ""
    document = BIBLATEX_DOCUMENT % {"fontenc": fontenc, "fallbacks": "\n".join(fallbacks)}
    (folder / "doc.tex").write_text(document, encoding="utf-8")
    steps = [
        ("pdflatex", lambda: pdflatex("doc", folder, env, draft=True)),
        ("biber", lambda: tool([require_tool("biber"), "doc"], folder, env)),
        ("pdflatex", lambda: pdflatex("doc", folder, env, draft=True)),
        ("pdflatex", lambda: pdflatex("doc", folder, env)),
    ]
    for name, step in steps:
        if not result.run(name, step(), folder):
            break
    result.log = read_log(folder / "doc.log")
    return result


@pytest.fixture(scope="module")
def biblatex_compiles(
    checked: list[Entry], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, BiblatexCompile]:
    """Both dialects compiled at once: biblatex on some 360 entries takes seconds a run."""
    require_tool("pdflatex")
    require_tool("biber")
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {
            dialect: pool.submit(
                compile_with_biblatex, tmp_path_factory.mktemp(dialect), checked, dialect
            )
            for dialect in ("bibtex", "biblatex")
        }
    return {dialect: future.result() for dialect, future in futures.items()}


@pytest.mark.parametrize("dialect", ["bibtex", "biblatex"])
def test_pdflatex_with_biblatex_and_biber(
    dialect: str, biblatex_compiles: dict[str, BiblatexCompile]
) -> None:
    result = biblatex_compiles[dialect]
    for name, returncode, output in result.steps:
        problems = latex_problems(output) if name == "pdflatex" else biber_complaints(output)
        assert returncode == 0, (name, problems or output[-2000:])
    assert [name for name, _, _ in result.steps] == ["pdflatex", "biber", "pdflatex", "pdflatex"]
    biber_output = result.steps[1][2]
    assert unexpected(biber_complaints(biber_output), BIBER_EXPECTED, result.undated) == []
    assert latex_problems(result.log) == []


# Fixtures


@pytest.fixture(scope="module")
def seed_dataset(seed_build: dict[str, Any]) -> Dataset:
    return Dataset.model_validate(seed_build)


@pytest.fixture(scope="module")
def hostile() -> Dataset:
    return load_dataset(CASES / "hostile.json")


# Credits, for plainnat's labels, and keywords


def render_collection(dataset: Dataset, dialect: str = "bibtex") -> str:
    output = BibtexOutput(BibtexOutput.Options(dialect=dialect))  # type: ignore[arg-type]
    return output.render(Collection(dataset))


def test_an_entry_without_authors_is_credited_to_who_publishes_it() -> None:
    post = entry(url="https://openai.com/blog/chatgpt/", title="ChatGPT", year=2022)
    video = entry(url="https://www.youtube.com/watch?v=x", title="A talk", kind="video")
    page = entry(url="https://huyenchip.com/2023/04/11/llm-engineering.html", title="LLMOps")
    fields = parse_bib(render([post, video, page]))
    credits = {
        key: (values["author"], values.get("howpublished")) for key, (_, values) in fields.items()
    }
    assert credits == {
        "openai2022chatgpt": ("{OpenAI}", None),
        "youtube_talk": ("{YouTube}", "Video"),
        "huyenchip_llmops": ("{huyenchip.com}", None),
    }
    assert not any("key" in values for _, values in fields.values())


def test_more_undated_credits_than_letters_are_keyed_instead(
    tmp_path: Path, tex_env: dict[str, str]
) -> None:
    """plainnat marks works of one label and year a, b, ... z; a 27th would get a brace."""
    pages = [
        entry(id=f"url:{n:02d}", url=f"https://crates.io/crates/c{n}", title=f"Crate number {n}")
        for n in range(27)
    ]
    text = render(pages)
    fields = [values for _, values in parse_bib(text).values()]
    assert all("author" not in values and values["key"].startswith("Crate") for values in fields)
    assert "author = {{crates.io}}" in render(pages[:26])
    bibtex = require_tool("bibtex")
    (tmp_path / "out.bib").write_text(render(pages[:26]), encoding="ascii")
    aux = "\\relax\n\\citation{*}\n\\bibstyle{plainnat}\n\\bibdata{out}\n"
    (tmp_path / "check.aux").write_text(aux, encoding="ascii")
    assert tool([bibtex, "-terse", "check"], tmp_path, tex_env).returncode == 0
    bbl = (tmp_path / "check.bbl").read_text(encoding="ascii")
    assert "\\natexlab{z}" in bbl and "\\natexlab{\\{}" not in bbl


def test_keywords_are_the_items_tags_not_the_lists_front_matter_tags() -> None:
    listed = [Occurrence(source="blog", url="https://e.com/a", title="A", line=3)]
    tagged = entry(
        url="https://e.com/a", title="A", tags=["easy", "LLMs", "machine learning"],
        occurrences=listed,
    )  # fmt: skip
    blog = SourceRecord(
        id="blog", path="blog.md", format="blog-post", title="Blog", sha256="0" * 64,
        metadata={"tags": ["LLMs", "Machine Learning"], "categories": ["Blog"]},
    )  # fmt: skip
    for dialect in ("bibtex", "biblatex"):
        text = render_collection(Dataset(sources=[blog], entries=[tagged]), dialect)
        assert only(text)["keywords"] == "easy"
    assert only(render([tagged]))["keywords"] == "easy, LLMs, machine learning"


def test_seed_keywords_are_few(seed_dataset: Dataset) -> None:
    text = render_collection(seed_dataset)
    counts = [
        len(values["keywords"].split(", "))
        for _, values in parse_bib(text).values()
        if "keywords" in values
    ]
    assert counts and max(counts) <= 3


def test_a_name_that_is_also_the_venue_is_not_an_author() -> None:
    from awesomerge.outputs.csl_output import csl_item

    post = entry(
        url="https://dailynous.com/2020/07/30/philosophers-gpt-3/",
        title="Philosophers On GPT-3",
        authors=["Justin Weinberg", "Daily Nous"],
        venue="Daily Nous",
    )
    fields = only(render([post]))
    assert (fields["author"], fields["howpublished"]) == ("Justin Weinberg", "Daily Nous")
    item = csl_item(post, "k")
    assert item["author"] == [{"family": "Weinberg", "given": "Justin"}]
    assert item["container-title"] == "Daily Nous"


def test_a_blog_on_a_platform_is_credited_to_its_account_or_subdomain() -> None:
    posts = [
        entry(id="url:m1", url="https://medium.com/@jane/a-post-1", title="Post one"),
        entry(id="url:m2", url="https://jane.medium.com/post-two", title="Post two"),
        entry(id="url:m3", url="https://medium.com/tag/llm", title="Tag page"),
    ]
    credits = {values["title"]: values["author"] for _, values in parse_bib(render(posts)).values()}
    assert credits == {
        "Post one": "{@jane}",
        "Post two": "{jane.medium.com}",
        "Tag page": "{Medium}",
    }


def test_a_bare_url_is_no_title_where_a_better_one_can_be_had(tmp_path: Path) -> None:
    from awesomerge.testing import build_lists

    lists = {
        # A bullet list that names its links by their URLs, and a table that does the same.
        "bare.md": "# Bare\n\n- https://github.com/microsoft/guidance\n"
        "- [https://arxiv.org/abs/2305.10601](https://arxiv.org/abs/2305.10601)\n"
        "- <https://example.org/posts/capture-the-flag-with-gpt-4>\n"
        "- https://chatpdf.com/\n",
        "table.md": "# Table\n\n| Link | Note |\n|---|---|\n"
        "| [here](https://www.youtube.com/watch?v=kCc8FmEb1nY) | a talk |\n",
    }
    build = build_lists(tmp_path, lists)
    bib = build.read("bibliography.bib")
    titles = re.findall(r"^  title = \{(.*)\},$", bib, re.MULTILINE)
    shown = sorted(title.replace("{", "").replace("}", "") for title in titles)
    csl = [item["title"] for item in json.loads(build.read("bibliography.csl.json"))]
    # A homepage keeps its URL: its site's name is already printed as its maker.
    expected = [
        "Capture the flag with gpt 4",  # example.org is printed beside it
        "YouTube video kCc8FmEb1nY",
        "arXiv:2305.10601",
        "https://chatpdf.com/",
        "microsoft/guidance",
    ]
    assert shown == sorted(expected)
    assert sorted(re.sub(r"</?span[^>]*>", "", title) for title in csl) == sorted(expected)

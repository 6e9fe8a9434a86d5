"""Reading inputs: encodings, byte-order marks, binary and empty files, mojibake repair."""

from __future__ import annotations

import codecs
import os
import time
from pathlib import Path

import pytest

from awesomerge.errors import InputError
from awesomerge.reading import (
    InputFile,
    decode,
    display_path,
    find_inputs,
    read_document,
    repair_mojibake,
)

TEXT = "# Lists\n\n- [Café “quoted”](https://example.org/) - naïve\n"


def test_utf8_with_and_without_bom_read_the_same() -> None:
    plain = decode(TEXT.encode("utf-8"), "a.md")
    with_bom = decode(codecs.BOM_UTF8 + TEXT.encode("utf-8"), "a.md")
    assert plain == with_bom == TEXT


@pytest.mark.parametrize("codec", ["utf-16", "utf-32"])
def test_utf16_and_utf32_with_bom_are_decoded(codec: str) -> None:
    assert decode(TEXT.encode(codec), "a.md") == TEXT


def test_latin1_is_rejected_with_line_byte_and_remedy() -> None:
    raw = "# Title\n\nfine line\n- [Caf\xe9](https://example.org/)\n".encode("latin-1")
    with pytest.raises(InputError) as caught:
        decode(raw, "lists/old.md")
    error = caught.value
    assert error.path == "lists/old.md"
    assert error.line == 4
    assert "0xe9" in str(error)
    assert 'encoding = "' in str(error)  # says how to declare the encoding


def test_declared_encoding_decodes_a_latin1_file() -> None:
    raw = "- [Caf\xe9](https://example.org/)\n".encode("latin-1")
    assert decode(raw, "old.md", encoding="latin-1") == "- [Café](https://example.org/)\n"


def test_unknown_declared_encoding_is_an_input_error() -> None:
    with pytest.raises(InputError, match="cannot be decoded as klingon"):
        decode(b"- x\n", "a.md", encoding="klingon")


@pytest.mark.parametrize(
    "raw", [b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", bytes(range(1, 32)) * 20 + b"text"]
)
def test_binary_files_are_rejected(raw: bytes) -> None:
    with pytest.raises(InputError, match="binary file"):
        decode(raw, "image.md")


@pytest.mark.parametrize("raw", [b"", b"   \n\n", codecs.BOM_UTF8 + b"\n"])
def test_empty_files_are_rejected(raw: bytes) -> None:
    with pytest.raises(InputError, match="empty file"):
        decode(raw, "empty.md")


def test_windows_line_endings_are_normalised() -> None:
    assert decode(b"- a\r\n- b\r\n", "a.md") == "- a\n- b\n"


def test_mojibake_from_a_windows_code_page_is_repaired() -> None:
    broken = "🟢 = easy".encode().decode("cp1254")  # as the gist seed has it
    assert broken.startswith("ğŸŸ¢")
    text, repairs = repair_mojibake(f"* {broken}\n")
    assert text == "* 🟢 = easy\n"
    assert repairs == 1


def test_mojibake_from_mac_roman_is_repaired() -> None:
    broken = "Don’t Ban ChatGPT".encode().decode("mac_roman")
    assert broken == "Don‚Äôt Ban ChatGPT"
    text, repairs = repair_mojibake(broken)
    assert text == "Don’t Ban ChatGPT"  # the apostrophe stays curly
    assert repairs == 1


def test_legitimate_typography_is_left_alone() -> None:
    text = "“Attention is All You Need” — a ﬁne résumé, ＡＩ, 60% faster… naïve"
    assert repair_mojibake(text) == (text, 0)


def test_repairs_are_counted_per_broken_run() -> None:
    line = "Wu Dao 2.0: China’s answer".encode().decode("mac_roman")
    text, repairs = repair_mojibake(f"{line}\n{line}\nclean\n")
    assert text == "Wu Dao 2.0: China’s answer\n" * 2 + "clean\n"
    assert repairs == 2


def test_read_document_hashes_the_bytes_and_repairs(tmp_path: Path) -> None:
    path = tmp_path / "list.md"
    raw = "- [Don’t](https://example.org/)\n".encode().decode("mac_roman").encode()
    path.write_bytes(raw)
    document = read_document(InputFile(path, "list.md"))
    assert document.text == "- [Don’t](https://example.org/)\n"
    assert document.repairs == 1
    import hashlib

    assert document.sha256 == hashlib.sha256(raw).hexdigest()


def test_find_inputs_walks_folders_sorted_and_skips_hidden(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / ".hidden").mkdir()
    for name in ["b/z.md", "a.markdown", "c.txt", "d.rst", ".hidden/x.md", "b/.y.md"]:
        (tmp_path / name).write_text("- x\n")
    found = [file.path.relative_to(tmp_path).as_posix() for file in find_inputs([tmp_path])]
    assert found == ["a.markdown", "b/z.md", "c.txt"]


def test_find_inputs_names_a_missing_path() -> None:
    with pytest.raises(InputError, match="no/such/folder: no such file or folder"):
        find_inputs(["no/such/folder"])


def test_a_folder_that_cannot_be_listed_is_reported_and_the_rest_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a.md").write_text("- [A](https://a.example/)\n")
    (tmp_path / "private").mkdir()
    (tmp_path / "private" / "b.md").write_text("- [B](https://b.example/)\n")
    listing = os.scandir

    def refusing(path: str | os.PathLike[str]) -> object:
        if Path(path).name == "private":
            raise PermissionError(13, "Permission denied", str(path))
        return listing(path)

    monkeypatch.setattr(os, "scandir", refusing)
    found = {file.path.name: file for file in find_inputs([tmp_path])}
    assert sorted(found) == ["a.md", "private"]
    with pytest.raises(InputError, match="a folder that cannot be read"):
        read_document(found["private"])
    assert read_document(found["a.md"]).text.startswith("- [A]")


def test_a_file_name_that_is_not_utf8_is_shown_with_escapes() -> None:
    assert display_path(Path(os.fsdecode(b"lists/caf\xe9.md"))) == "lists/caf\\xe9.md"


@pytest.mark.skipif(os.name != "posix", reason="symbolic links and named pipes")
def test_links_are_followed_only_inside_the_folder_and_only_files_are_read(
    tmp_path: Path,
) -> None:
    root = tmp_path / "lists"
    (root / "sub").mkdir(parents=True)
    (root / "sub" / "real.md").write_text("- [R](https://r.example/)\n")
    (tmp_path / "secret.txt").write_text("- [S](https://s.example/)\n")
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "far.md").write_text("- [F](https://f.example/)\n")
    os.symlink("sub/real.md", root / "inside.md")
    os.symlink(tmp_path / "secret.txt", root / "outside.md")
    os.symlink("nowhere.md", root / "broken.md")
    os.symlink(tmp_path / "elsewhere", root / "far")
    os.symlink(".", root / "sub" / "again")
    os.mkfifo(root / "pipe.md")
    found = {file.display.removeprefix("lists/"): file for file in find_inputs([root])}
    assert sorted(found) == [
        "broken.md",
        "far",
        "inside.md",
        "outside.md",
        "pipe.md",
        "sub/real.md",
    ]
    assert read_document(found["inside.md"]).text.startswith("- [R]")
    for name, said in (
        ("outside.md", "outside"),
        ("broken.md", "loops or points to nothing"),
        ("far", "a link to a folder outside"),
        ("pipe.md", "a named pipe, not a regular file"),
    ):
        with pytest.raises(InputError, match=said):
            read_document(found[name])


def test_a_long_mojibake_line_is_repaired_in_linear_time() -> None:
    # 100 KB of mojibake on one line: the diff that counts the runs once took 99 s on 20 KB.
    line = "- [Caf\u00c3\u00a9](https://moji.example/) " + "d\u00c3\u00a9j\u00c3\u00a0 " * 14_000
    started = time.perf_counter()
    repaired, runs = repair_mojibake(line)
    assert time.perf_counter() - started < 1.0
    assert repaired == "- [Café](https://moji.example/) " + "déjà " * 14_000
    assert runs == 1 + 2 * 14_000
    unbroken = "Caf\u00c3\u00a9" * 20_000  # no space to cut at
    assert repair_mojibake(unbroken) == ("Café" * 20_000, 20_000)


# Files of other types, and files an earlier build wrote (issue 13: source plugins for other
# file types; `awesomerge build .` reading its own previous output).

README_MARK = "Generated by awesomerge: edit the lists, not this file."


def test_a_folder_is_searched_for_the_endings_it_is_given(tmp_path: Path) -> None:
    for name in ("a.md", "feeds.opml", "SHOUT.OPML", "links.csv", "notes.rst", "sub/b.opml"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x\n", encoding="utf-8")
    names = [file.path.relative_to(tmp_path).as_posix() for file in find_inputs([tmp_path])]
    assert names == ["a.md"]  # the Markdown endings unless told otherwise
    found = find_inputs([tmp_path], suffixes=(".md", ".OPML"))
    names = [file.path.relative_to(tmp_path).as_posix() for file in found]
    assert names == ["SHOUT.OPML", "a.md", "feeds.opml", "sub/b.opml"]


def _earlier_output(folder: Path) -> None:
    """What an earlier build wrote, copied where its manifest is not."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "README.md").write_text(
        f"# Merged\n\nIt holds 3. {README_MARK}\n\n- [A](https://a.example/)\n"
    )
    (folder / "review.md").write_text(
        "# Possible duplicates\n\nawesomerge left these pairs apart:\n"
    )
    (folder / "awesomerge.json").write_text('{\n  "schema_version": 1,\n  "sources": []\n}\n')
    (folder / "bibliography.bib").write_text("@misc{a, url = {https://a.example/}}\n")
    (folder / "bibliography.csl.json").write_text('[{"id": "a", "URL": "https://a.example/"}]\n')
    (folder / "index.html").write_text('<meta name="generator" content="awesomerge">\n')
    (folder / "awesomerge.toml").write_text("[outputs]\nwrite = []\n")  # settings, no list
    (folder / "awesomerge.lock").write_text("{}\n")


def test_files_an_earlier_build_wrote_are_not_read_from_a_folder(tmp_path: Path) -> None:
    _earlier_output(tmp_path / "old")
    # Lists that only share the names: a list's own README, a data file of the user's.
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "README.md").write_text("# Awesome Mine\n\n- [B](https://b.example/)\n")
    (tmp_path / "mine" / "review.md").write_text("# Reviews I like\n")
    (tmp_path / "mine" / "data.json").write_text('{"schema_version": 1}\n')
    suffixes = (".md", ".json", ".bib", ".html", ".toml", ".lock")
    found = [
        file.path.relative_to(tmp_path).as_posix()
        for file in find_inputs([tmp_path], suffixes=suffixes)
    ]
    assert found == ["mine/README.md", "mine/data.json", "mine/review.md"]


def test_a_generated_file_named_on_the_command_line_is_read(tmp_path: Path) -> None:
    _earlier_output(tmp_path)
    found = find_inputs([tmp_path / "README.md", tmp_path / "awesomerge.json"])
    assert [file.path.name for file in found] == ["README.md", "awesomerge.json"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_named_pipe_with_the_name_of_an_output_does_not_hang_the_search(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "README.md")  # opening it to look for the mark would block
    (found,) = find_inputs([tmp_path])
    with pytest.raises(InputError, match="a named pipe"):
        read_document(found)


def test_a_binary_read_gives_the_source_every_byte(tmp_path: Path) -> None:
    raw = bytes(range(256)) * 4 + b"\r\n\x00\xff"
    (tmp_path / "data.bin").write_bytes(raw)
    file = InputFile(tmp_path / "data.bin", "data.bin")
    with pytest.raises(InputError, match="binary file"):
        read_document(file)  # as text it is refused
    document = read_document(file, binary=True)
    assert document.text.encode("latin-1") == raw  # no byte lost, no line ending changed
    assert document.repairs == 0
    (tmp_path / "empty.bin").write_bytes(b"")
    with pytest.raises(InputError, match="empty file"):
        read_document(InputFile(tmp_path / "empty.bin", "empty.bin"), binary=True)

"""Reading inputs: finding the files, decoding their bytes and repairing mojibake.

Files are read as UTF-8, with or without a byte-order mark; UTF-16 and UTF-32 are read when a
byte-order mark says so. Any other encoding is rejected with a message that names the byte, the
line and the likely encoding, unless awesomerge.toml names the file's encoding: guessing between
Latin-1, Windows-1252 and Mac Roman goes wrong too often to do silently.
"""

from __future__ import annotations

import codecs
import difflib
import hashlib
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import charset_normalizer
import ftfy

from awesomerge.document import Document
from awesomerge.errors import InputError

#: What a folder given as input is searched for, recursively.
INPUT_SUFFIXES = (".md", ".markdown", ".txt")

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

#: Control characters that text does not hold: all below 32 but tab, newlines and form feeds.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f]")

# Fix text that was decoded with the wrong code page, and nothing else: curly quotes,
# ligatures, full-width characters and HTML entities are the author's and stay as written.
_REPAIR = ftfy.TextFixerConfig(
    unescape_html=False,
    remove_terminal_escapes=False,
    fix_encoding=True,
    fix_latin_ligatures=False,
    fix_character_width=False,
    uncurl_quotes=False,
    fix_line_breaks=False,
    remove_control_chars=False,
    normalization=None,
    explain=False,
)


@dataclass(frozen=True)
class InputFile:
    """A file to read, with the path under which it is reported and published."""

    path: Path
    display: str


def find_inputs(arguments: Iterable[str | Path]) -> list[InputFile]:
    """Expand files and folders into the input files, sorted by their displayed path.

    A folder is searched recursively for INPUT_SUFFIXES, skipping hidden files and folders.
    A path that does not exist raises InputError.
    """
    found: dict[str, InputFile] = {}
    for argument in arguments:
        root = Path(argument)
        if root.is_dir():
            for path in _walk(root):
                display = display_path(path, base=root.absolute().parent)
                found.setdefault(display, InputFile(path, display))
        elif root.is_file():
            display = display_path(root, base=root.absolute().parent)
            found.setdefault(display, InputFile(root, display))
        else:
            raise InputError(str(argument), "no such file or folder")
    return [found[key] for key in sorted(found)]


def _walk(root: Path) -> Iterator[Path]:
    for folder, subfolders, files in os.walk(root):
        subfolders[:] = sorted(name for name in subfolders if not name.startswith("."))
        for name in sorted(files):
            if not name.startswith(".") and name.lower().endswith(INPUT_SUFFIXES):
                yield Path(folder, name)


def display_path(path: Path, base: Path | None = None) -> str:
    """The path to publish, relative: to the working folder when the file lies below it,
    else to `base` (the folder the input was named in), else as given."""
    if path.is_absolute():
        for start in (Path.cwd(), base):
            if start is not None and path.is_relative_to(start):
                path = path.relative_to(start)
                break
        else:
            return path.as_posix()
    return Path(os.path.normpath(path)).as_posix()


def read_document(
    source: InputFile, *, encoding: str | None = None, base_url: str | None = None
) -> Document:
    """Read one input file into a Document, or raise InputError saying why it cannot be read."""
    try:
        raw = source.path.read_bytes()
    except OSError as error:
        raise InputError(source.display, f"cannot be read: {error.strerror}") from error
    text = decode(raw, source.display, encoding)
    text, repairs = repair_mojibake(text)
    return Document(
        path=source.display,
        text=text,
        sha256=hashlib.sha256(raw).hexdigest(),
        repairs=repairs,
        base_url=base_url,
    )


def decode(raw: bytes, path: str, encoding: str | None = None) -> str:
    """Decode an input's bytes, rejecting empty, binary and undeclared non-UTF-8 files."""
    if not raw.strip():
        raise InputError(path, "empty file: there is nothing to read")
    if encoding is not None:
        try:
            text = raw.decode(encoding)
        except (LookupError, UnicodeDecodeError) as error:
            raise InputError(path, f"cannot be decoded as {encoding}: {error}") from error
        return _text_or_binary(text.removeprefix("\ufeff"), path)
    for bom, codec in _BOMS:
        if raw.startswith(bom):
            try:
                return _text_or_binary(raw.decode(codec).removeprefix("\ufeff"), path)
            except UnicodeDecodeError as error:
                raise _not_decodable(raw, path, error, codec) from error
    if b"\x00" in raw[:8192]:
        raise InputError(path, "binary file (it contains NUL bytes): only text lists are read")
    try:
        return _text_or_binary(raw.decode("utf-8"), path)
    except UnicodeDecodeError as error:
        raise _not_decodable(raw, path, error, "utf-8") from error


def _text_or_binary(text: str, path: str) -> str:
    controls = len(_CONTROL.findall(text))
    if controls > max(8, len(text) // 100):
        raise InputError(path, "binary file (too many control characters): only text is read")
    if not text.strip():
        raise InputError(path, "empty file: there is nothing to read")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _not_decodable(raw: bytes, path: str, error: UnicodeDecodeError, codec: str) -> InputError:
    line = raw[: error.start].count(b"\n") + 1
    byte = raw[error.start]
    guess = charset_normalizer.from_bytes(raw).best()
    if guess is None:
        return InputError(path, "binary file (no text encoding fits it)", line)
    name = guess.encoding.replace("_", "-")
    file_name = Path(path).name
    return InputError(
        path,
        f"not valid {codec} (byte 0x{byte:02x}); it looks like {name}. Re-save it as UTF-8, "
        f'or declare it in awesomerge.toml: [files."{file_name}"] encoding = "{name}"',
        line,
    )


def _mac_roman_roundtrip(line: str) -> str:
    """UTF-8 read as Mac Roman, where ftfy left it: re-encoding gives valid UTF-8 back.

    Legitimate text almost never survives this round trip (its Mac Roman bytes are not valid
    UTF-8), so a line is changed only when every byte fits.
    """
    if line.isascii():
        return line
    try:
        return line.encode("mac_roman").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return line


def repair_mojibake(text: str) -> tuple[str, int]:
    """Repair text that was decoded with the wrong code page, line by line.

    Returns the text and the number of repaired runs. A line that mixes mojibake with
    legitimate typography keeps the typography: only the broken runs change.
    """
    lines = text.split("\n")
    repairs = 0
    for number, line in enumerate(lines):
        if line.isascii():
            continue
        fixed = _mac_roman_roundtrip(ftfy.fix_text(line, _REPAIR))
        if fixed != line:
            repairs += _changed_runs(line, fixed)
            lines[number] = fixed
    return "\n".join(lines), repairs


def _common_start(first: str, second: str) -> int:
    """The length of the start two strings share, found by halving: each test is one C-speed
    comparison of slices, where a loop would compare character by character in Python."""
    low, high = 0, min(len(first), len(second))
    while low < high:
        middle = (low + high + 1) // 2
        if first[:middle] == second[:middle]:
            low = middle
        else:
            high = middle - 1
    return low


def _changed_runs(before: str, after: str) -> int:
    """How many runs of a line a repair changed. The diff runs on what lies between the
    common start and end only: the same runs, found several times faster on long lines."""
    start = _common_start(before, after)
    end = _common_start(before[start:][::-1], after[start:][::-1])
    matcher = difflib.SequenceMatcher(
        None, before[start : len(before) - end], after[start : len(after) - end], autojunk=False
    )
    return sum(1 for tag, *_ in matcher.get_opcodes() if tag != "equal")

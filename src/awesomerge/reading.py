"""Reading inputs: finding the files, decoding their bytes and repairing mojibake.

Files are read as UTF-8, with or without a byte-order mark; UTF-16 and UTF-32 are read when a
byte-order mark says so. Any other encoding is rejected with a message that names the byte, the
line and the likely encoding, unless awesomerge.toml names the file's encoding: guessing between
Latin-1, Windows-1252 and Mac Roman goes wrong too often to do silently.

A source plugin for a format that is not text (`Source.binary`) gets its files undecoded: the
Document's text holds the bytes one character each, and no repair or line check applies.

Folder search looks for the file endings the loaded sources claim, and leaves out what an
awesomerge build wrote: output folders, and the files named in ``generated.toml``.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import re
import stat
import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import charset_normalizer
import ftfy
from rapidfuzz.distance import Indel

from awesomerge.document import Document
from awesomerge.errors import ConfigError, InputError
from awesomerge.limits import Limits, raise_hint

#: What a folder given as input is searched for, recursively, unless the loaded sources
#: claim other endings (`Plugins.input_suffixes`).
INPUT_SUFFIXES = (".md", ".markdown", ".txt")

#: How much of a file whose name an output uses is read to look for its mark.
_MARK_WINDOW = 65_536

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


#: A file in every output folder: a folder that holds it is never read as input.
OUTPUT_MARK = ".awesomerge-output.json"

_NOT_FILES = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


@dataclass(frozen=True)
class InputFile:
    """A file to read, with the path under which it is reported and published.

    `problem` says why a file found in a folder cannot be read at all (a symbolic link that
    loops or leaves the folder, a folder that cannot be listed): reading it raises InputError
    with it, so that it is reported as every unreadable input is.
    """

    path: Path
    display: str
    problem: str | None = None


def find_inputs(
    arguments: Iterable[str | Path],
    skip: Iterable[Path] = (),
    suffixes: Iterable[str] = INPUT_SUFFIXES,
) -> list[InputFile]:
    """Expand files and folders into the input files, sorted by their displayed path.

    A folder is searched recursively for files ending in `suffixes` (case-insensitively),
    skipping hidden files and folders, the folders in `skip` (the output folder), every folder
    that holds an awesomerge output, and the files an awesomerge build wrote (`generated.toml`).
    Symbolic links found there are followed only to files inside the folder.
    A path that does not exist raises InputError.
    """
    found: dict[str, InputFile] = {}
    skipped = {folder.resolve() for folder in skip}
    endings = tuple(sorted({suffix.lower() for suffix in suffixes}))
    for argument in arguments:
        root = Path(argument)
        if root.is_dir():
            for path, problem in _walk(root, skipped, endings):
                display = display_path(path, base=root.absolute().parent)
                found.setdefault(display, InputFile(path, display, problem))
        elif root.is_file():
            display = display_path(root, base=root.absolute().parent)
            found.setdefault(display, InputFile(root, display))
        else:
            raise InputError(str(argument), "no such file or folder")
    return [found[key] for key in sorted(found)]


def check_count(files: list[InputFile], limits: Limits) -> None:
    """Raise ConfigError when there are more input files than the limit."""
    if len(files) > limits.files:
        raise ConfigError(
            f"{len(files):,} input files, over the limit of {limits.files:,}; "
            "name fewer, or " + raise_hint("files")
        )


def _walk(
    root: Path, skipped: set[Path], endings: tuple[str, ...]
) -> Iterator[tuple[Path, str | None]]:
    """Every input file under `root`, with why it cannot be read where that is known."""
    inside = root.resolve()
    unlisted: list[OSError] = []
    for folder, subfolders, files in os.walk(root, onerror=unlisted.append):
        here = Path(folder)
        kept = []
        for name in sorted(subfolders):
            path = here / name
            if name.startswith(".") or _is_output(path, skipped):
                continue
            if path.is_symlink():
                # Not descended into: a link inside the folder is read where it points, and
                # one out of it would read files nobody named.
                target = _link_target(path)
                if target is not None and not target.is_relative_to(inside):
                    yield path, f"a link to a folder outside {root} ({target}); not followed"
                continue
            kept.append(name)
        subfolders[:] = kept
        for name in sorted(files):
            if not name.startswith(".") and name.lower().endswith(endings):
                path = here / name
                problem = _link_problem(path, root, inside) if path.is_symlink() else None
                if problem is None and is_generated(path):
                    continue
                yield path, problem
    for error in unlisted:
        yield Path(error.filename), f"a folder that cannot be read ({error.strerror}); skipped"


def _is_output(folder: Path, skipped: set[Path]) -> bool:
    return (folder / OUTPUT_MARK).is_file() or folder.resolve() in skipped


@cache
def _generated_files() -> dict[str, str | None]:
    """The names of the files a build writes, each with its mark or None (`generated.toml`)."""
    text = resources.files("awesomerge").joinpath("generated.toml").read_text(encoding="utf-8")
    return {rule["name"]: rule.get("mark") for rule in tomllib.loads(text)["file"]}


def is_generated(path: Path) -> bool:
    """Whether the file is one an awesomerge build wrote: its name is an output's, and its
    start holds the output's mark where it has one. A file that cannot be read is not."""
    rules = _generated_files()
    if path.name not in rules:
        return False
    mark = rules[path.name]
    if mark is None:
        return True
    if not path.is_file():  # a named pipe would block, a folder cannot be read
        return False
    try:
        with path.open("rb") as stream:
            start = stream.read(_MARK_WINDOW)
    except OSError:
        return False
    return mark.encode("utf-8") in start


def _link_target(path: Path) -> Path | None:
    """Where a symbolic link ends, or None when it loops or points nowhere."""
    try:
        return path.resolve(strict=True)
    except (OSError, RuntimeError):
        return None


def _link_problem(path: Path, root: Path, inside: Path) -> str | None:
    target = _link_target(path)
    if target is None:
        return "a symbolic link that loops or points to nothing; skipped"
    if not target.is_relative_to(inside):
        return (
            f"a symbolic link to {target}, outside {root}; not read "
            "(name the file on the command line to read it)"
        )
    return None


def display_path(path: Path, base: Path | None = None) -> str:
    """The path to publish, relative: to the working folder when the file lies below it,
    else to `base` (the folder the input was named in), else as given. Bytes of a file name
    that are not UTF-8 are shown as escapes (``caf\\xe9.md``), so that it can be printed and
    written."""
    if path.is_absolute():
        for start in (Path.cwd(), base):
            if start is not None and path.is_relative_to(start):
                path = path.relative_to(start)
                break
        else:
            return _printable(path.as_posix())
    return _printable(Path(os.path.normpath(path)).as_posix())


def _printable(name: str) -> str:
    return os.fsencode(name).decode("utf-8", errors="backslashreplace")


def read_document(
    source: InputFile,
    *,
    encoding: str | None = None,
    base_url: str | None = None,
    limits: Limits | None = None,
    binary: bool = False,
) -> Document:
    """Read one input file into a Document, or raise InputError saying why it cannot be read.

    With `binary` the bytes are not decoded: the text holds them one character each (Latin-1
    maps every byte to the character of the same number), for a `Source.binary` plugin.
    """
    limits = limits if limits is not None else Limits()
    raw = read_input(source, limits.file_size)
    if binary:
        if not raw:
            raise InputError(source.display, "empty file: there is nothing to read")
        return Document(
            path=source.display,
            text=raw.decode("latin-1"),
            sha256=hashlib.sha256(raw).hexdigest(),
            base_url=base_url,
            limits=limits,
        )
    text = decode(raw, source.display, encoding)
    _check_lines(text, source.display, limits.line_length)
    text, repairs = repair_mojibake(text)
    return Document(
        path=source.display,
        text=text,
        sha256=hashlib.sha256(raw).hexdigest(),
        repairs=repairs,
        base_url=base_url,
        limits=limits,
    )


def read_input(source: InputFile, limit: int) -> bytes:
    """The bytes of a regular file of at most `limit` bytes, or InputError saying why not.

    The file is opened without blocking and checked before it is read, so that a named pipe
    or a device is refused by name instead of hanging the build or filling the memory.
    """
    if source.problem is not None:
        raise InputError(source.display, source.problem)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        descriptor = os.open(source.path, flags)
    except OSError as error:
        raise InputError(source.display, f"cannot be read: {error.strerror}") from error
    with os.fdopen(descriptor, "rb") as handle:
        mode = os.fstat(descriptor).st_mode
        for test, kind in _NOT_FILES:
            if test(mode):
                raise InputError(source.display, f"{kind}, not a regular file: only files are read")
        try:
            raw = handle.read(limit + 1)
        except OSError as error:
            raise InputError(source.display, f"cannot be read: {error.strerror}") from error
    if len(raw) > limit:
        raise InputError(
            source.display, f"larger than the limit of {limit:,} bytes; " + raise_hint("file_size")
        )
    return raw


def _check_lines(text: str, path: str, limit: int) -> None:
    """Reject a text with a line longer than `limit` characters, naming the first."""
    if len(text) <= limit:
        return
    for number, line in enumerate(text.split("\n"), start=1):
        if len(line) > limit:
            raise InputError(
                path,
                f"a line of {len(line):,} characters, over the limit of {limit:,}; "
                + raise_hint("line_length"),
                number,
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
        wide = _utf16_without_bom(raw[:8192])
        if wide is not None:
            raise InputError(
                path,
                f"looks like {wide.upper()} without a byte-order mark. Re-save it as UTF-8, or "
                f'declare it in awesomerge.toml: [files."{Path(path).name}"] encoding = "{wide}"',
            )
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


def _utf16_without_bom(start: bytes) -> str | None:
    """ "utf-16-le" or "utf-16-be" when the NUL bytes of mostly-ASCII text fall on one side of
    each pair, as they do in UTF-16 without a byte-order mark; else None."""
    even, odd = start[0::2].count(0), start[1::2].count(0)
    pairs = len(start) // 2
    if pairs and odd > 0.3 * pairs and even < 0.05 * pairs:
        return "utf-16-le"
    if pairs and even > 0.3 * pairs and odd < 0.05 * pairs:
        return "utf-16-be"
    return None


#: The encoding shown beside a guess, as the other likely reading of the same bytes.
_ALTERNATIVE = {"cp1252": "latin-1", "latin-1": "cp1252"}


def _not_decodable(raw: bytes, path: str, error: UnicodeDecodeError, codec: str) -> InputError:
    line = raw[: error.start].count(b"\n") + 1
    byte = raw[error.start]
    guess = charset_normalizer.from_bytes(raw).best()
    if guess is None:
        return InputError(path, "binary file (no text encoding fits it)", line)
    name = codecs.lookup(guess.encoding).name.replace("_", "-")
    other = _ALTERNATIVE.get(name, "cp1252")
    start = raw.rfind(b"\n", 0, error.start) + 1
    end = raw.find(b"\n", error.start)
    text = raw[start : end if end >= 0 else len(raw)][:120]
    readings = "; ".join(
        f"as {encoding} it reads {text.decode(encoding, errors='replace').strip()!r}"
        for encoding in (name, other)
    )
    file_name = Path(path).name
    return InputError(
        path,
        f"not valid {codec} (byte 0x{byte:02x}). Its encoding may be {name}, a guess: "
        f"{readings}. Re-save it as UTF-8, or declare the right encoding in awesomerge.toml: "
        f'[files."{file_name}"] encoding = "{name}"',
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
        fixed, runs = _repair_line(line)
        if runs:
            repairs += runs
            lines[number] = fixed
    return "\n".join(lines), repairs


#: Lines longer than this are repaired in pieces of at most this many characters, cut at
#: spaces, so that the work stays linear in the line's length.
_PIECE = 4096


def _repair_line(line: str) -> tuple[str, int]:
    """A line repaired, and how many runs changed."""
    if len(line) <= _PIECE:
        fixed = _mac_roman_roundtrip(ftfy.fix_text(line, _REPAIR))
        return fixed, _changed_runs(line, fixed) if fixed != line else 0
    pieces = [_repair_line(piece) for piece in _pieces(line)]
    return "".join(fixed for fixed, _ in pieces), sum(runs for _, runs in pieces)


def _pieces(line: str) -> list[str]:
    """A long line cut into pieces of at most _PIECE characters, after a space where there is
    one, else after an ASCII character: mojibake is a run of characters beyond ASCII."""
    pieces = []
    start = 0
    while len(line) - start > _PIECE:
        cut = line.rfind(" ", start, start + _PIECE) + 1
        if cut <= start:
            cut = start + _PIECE
            while cut > start + _PIECE - 64 and not line[cut - 1].isascii():
                cut -= 1
        pieces.append(line[start:cut])
        start = cut
    pieces.append(line[start:])
    return pieces


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
    """How many runs of a line a repair changed: runs of edits with no unchanged character
    between them. The diff (rapidfuzz's, in time proportional to the product of the lengths
    over the machine word) runs on what lies between the common start and end only."""
    start = _common_start(before, after)
    end = _common_start(before[start:][::-1], after[start:][::-1])
    changed = before[start : len(before) - end], after[start : len(after) - end]
    runs, unchanged = 0, True
    for operation in Indel.opcodes(*changed):
        if operation.tag == "equal":
            unchanged = True
        elif unchanged:
            runs, unchanged = runs + 1, False
    return runs

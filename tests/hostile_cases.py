"""Hostile and unusual inputs, each placed next to the five seed lists.

A case writes its files into an input folder that already holds the seeds; the build must then
finish within its bounds, keep every URL the case names, write every seed occurrence, and say
what it did (the exit status and a message). `tests/test_hostile.py` runs every case, and
`benchmarks/bench_hostile.py` tables their time and memory.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from awesomerge.reading import OUTPUT_MARK


@dataclass(frozen=True)
class Case:
    name: str
    group: str
    make: Callable[[Path], None]
    keep: tuple[str, ...] = ()
    """URLs that must be in the dataset exactly as written."""
    absent: tuple[str, ...] = ()
    """URLs that must not be in the dataset."""
    exit: int = 0
    message: str | None = None
    """A regular expression that standard error must match."""
    seconds: float = 15.0
    """The bound on the build's wall time, seeds included (about 1.5 s alone)."""
    mib: int = 400
    """The bound on the build's peak RSS."""
    posix_only: bool = False


def _write(name: str, text: str) -> Callable[[Path], None]:
    def make(folder: Path) -> None:
        (folder / name).write_text(text, encoding="utf-8")

    return make


def _symlink_loop(folder: Path) -> None:
    os.symlink("b.md", folder / "a.md")
    os.symlink("a.md", folder / "b.md")


def _folder_loop(folder: Path) -> None:
    (folder / "sub").mkdir()
    (folder / "sub" / "deeper.md").write_text("- [Deeper](https://deeper.example/x)\n")
    os.symlink("..", folder / "sub" / "up")


def _to_dev_zero(folder: Path) -> None:
    os.symlink("/dev/zero", folder / "zero.md")


def _outside(folder: Path) -> None:
    secret = folder.parent / "secret.txt"
    secret.write_text("- [Secret](https://secret.example/token)\n")
    os.symlink(secret, folder / "notes.md")


def _fifo(folder: Path) -> None:
    os.mkfifo(folder / "pipe.md")


def _bad_name(folder: Path) -> None:
    name = os.fsdecode(b"caf\xe9.md")
    (folder / name).write_text("- [Coffee](https://coffee.example/)\n")


def _huge_file(folder: Path) -> None:
    with open(folder / "huge.md", "wb") as handle:
        handle.write(b"- [Huge](https://huge.example/)\n")
        handle.truncate(300 * 2**20)  # sparse: no disk used


def _unreadable_folder(folder: Path) -> None:
    hidden = folder / "private"
    hidden.mkdir()
    (hidden / "list.md").write_text("- [Private](https://private.example/)\n")
    hidden.chmod(0)


def _many_files(folder: Path) -> None:
    many = folder / "many"
    many.mkdir()
    for number in range(20_000):
        (many / f"list-{number:05}.md").write_text(
            f"# List {number}\n\n- [Item {number}](https://many.example/{number})\n"
        )


def _deep_toml(folder: Path) -> None:
    (folder / "awesomerge.toml").write_text("x = " + "{a = " * 10_000 + "1" + "}" * 10_000 + "\n")


def _bom_toml(folder: Path) -> None:
    (folder / "awesomerge.toml").write_bytes(
        b'\xef\xbb\xbf[files."special.md"]\nformat = "nested-list"\n'
    )
    (folder / "special.md").write_text("- [Special](https://special.example/)\n")


def _own_output(folder: Path) -> None:
    # A previous build's output left inside the input folder, as `awesomerge build .` leaves it.
    (folder / "output").mkdir()
    (folder / "output" / "README.md").write_text(
        "# Merged\n\n- [Copied](https://copied.example/)\n"
    )
    (folder / "output" / OUTPUT_MARK).write_text("{}\n")


def _utf16_no_bom(folder: Path) -> None:
    (folder / "wide.md").write_bytes(
        "# Wide\n\n- [Wide](https://wide.example/)\n".encode("utf-16-le")
    )


def _latin1(folder: Path) -> None:
    (folder / "latin.md").write_bytes(
        "# Liste\n\n- [Café crème](https://cafe.example/)\n".encode("latin-1")
    )


_FRONT = "---\n{}\n---\n\n# Post\n\n- [Kept](https://kept.example/post)\n"

CASES: tuple[Case, ...] = (
    # Crashes with a traceback.
    Case(
        "symlink loop",
        "crash",
        _symlink_loop,
        exit=1,
        message=r"a\.md.*(loop|cannot)",
        posix_only=True,
    ),
    Case(
        "folder symlink loop",
        "crash",
        _folder_loop,
        keep=("https://deeper.example/x",),
        posix_only=True,
    ),
    Case(
        "bad IPv6 URLs",
        "crash",
        _write(
            "ipv6.md",
            "# Hosts\n\n- [Broken](http://[::1)\n- [Zone](https://[fe80::1%eth0]:x/)\n"
            "- [Local](https://[::1]:8080/x)\n- [Good](https://good.example/)\n",
        ),
        keep=(
            "http://[::1",
            "https://[fe80::1%eth0]:x/",
            "https://[::1]:8080/x",
            "https://good.example/",
        ),
    ),
    Case(
        "file name not UTF-8",
        "crash",
        _bad_name,
        keep=("https://coffee.example/",),
        posix_only=True,
    ),
    Case(
        "symlink to /dev/zero", "crash", _to_dev_zero, exit=1, message=r"zero\.md", posix_only=True
    ),
    Case("a file of 300 MB", "crash", _huge_file, exit=1, message=r"huge\.md.*(MB|MiB|limit)"),
    Case(
        "awesomerge.toml nested 10k deep", "crash", _deep_toml, exit=2, message=r"awesomerge\.toml"
    ),
    Case(
        "front matter integer of 5,000 digits",
        "crash",
        _write("big.md", _FRONT.format("title: Big\nnumber: " + "9" * 5000)),
        keep=("https://kept.example/post",),
    ),
    # Hangs and runaway time.
    Case(
        "billion laughs in YAML",
        "hang",
        _write(
            "laughs.md",
            _FRONT.format(
                'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
                + "".join(
                    f"{chr(98 + n)}: &{chr(98 + n)} [{', '.join(['*' + chr(97 + n)] * 9)}]\n"
                    for n in range(8)
                )
            ),
        ),
        keep=("https://kept.example/post",),
        message=r"laughs\.md",
    ),
    Case("a named pipe", "hang", _fifo, exit=1, message=r"pipe\.md.*regular", posix_only=True),
    Case(
        "a single line of 50 MB",
        "hang",
        _write("line.md", "- " + "[x](https://line.example/a) " * (50 * 2**20 // 30) + "\n"),
        exit=1,
        message=r"line\.md",
        seconds=30,
        mib=1500,
    ),
    Case(
        "a title of 100 KB",
        "hang",
        _write("title.md", "- [" + "word " * 20_000 + "](https://title.example/)\n"),
        keep=("https://title.example/",),
    ),
    Case(
        "a long mojibake line",
        "hang",
        _write(
            "mojibake.md",
            "- [Caf\u00c3\u00a9](https://moji.example/) "
            + "d\u00c3\u00a9j\u00c3\u00a0 " * 4000
            + "\n",
        ),
        keep=("https://moji.example/",),
    ),
    Case(
        "an unclosed <a href",
        "hang",
        _write(
            "anchor.md",
            '# Anchors\n\n<a href="https://anchor.example/a">text ' + "x " * 50_000 + "\n",
        ),
        keep=("https://anchor.example/a",),
    ),
    Case(
        "an unclosed <!--",
        "hang",
        _write(
            "comment.md",
            "# Comment\n\n- [Before](https://before.example/)\n\n<!-- " + "x " * 50_000 + "\n",
        ),
        keep=("https://before.example/",),
    ),
    Case(
        "a bullet of many pipes",
        "hang",
        _write("pipes.md", "- [Pipes](https://pipes.example/) " + "| " * 50_000 + "\n"),
        keep=("https://pipes.example/",),
    ),
    Case(
        "a list nested 3,000 deep (9 MB of indentation)",
        "hang",
        _write(
            "deep.md",
            "".join(
                f"{'  ' * depth}- [Level {depth}](https://deep.example/{depth})\n"
                for depth in range(3_000)
            ),
        ),
        keep=tuple(f"https://deep.example/{depth}" for depth in (0, 9, 10, 100, 2_999)),
        mib=600,
    ),
    Case(
        "20,000 small files",
        "hang",
        _many_files,
        keep=("https://many.example/19999",),
        seconds=120,
        mib=1500,
    ),
    # Links lost silently.
    Case(
        "a list nested 10k deep on one line",
        "lost",
        _write("chain.md", "- " * 10_000 + "[Bottom](https://chain.example/bottom)\n"),
        keep=("https://chain.example/bottom",),
    ),
    Case(
        "a linked H1",
        "lost",
        _write(
            "linked.md",
            "# [Awesome Things](https://github.com/someone/awesome-things)\n\n- [One](https://one.example/)\n",
        ),
        keep=("https://github.com/someone/awesome-things", "https://one.example/"),
    ),
    Case(
        "blockquotes nested 30 deep",
        "lost",
        _write(
            "quotes.md",
            "".join(
                "> " * depth + f"[Q{depth}](https://quote.example/{depth})\n\n"
                for depth in range(1, 31)
            ),
        ),
        keep=tuple(f"https://quote.example/{depth}" for depth in (1, 17, 18, 30)),
    ),
    Case(
        "an unclosed anchor in an HTML block",
        "lost",
        _write("html.md", '# Links\n\n<div>\n<a href="https://open.example/">Open\n</div>\n'),
        keep=("https://open.example/",),
    ),
    Case(
        "table cells beyond the header",
        "lost",
        _write(
            "table.md",
            "| Name | Link |\n|---|---|\n"
            "| A | [A](https://a.example/) | [extra](https://extra.example/) |\n",
        ),
        keep=("https://a.example/", "https://extra.example/"),
    ),
    Case(
        "a definition and an iframe in HTML",
        "lost",
        _write(
            "defs.md",
            "# Media\n\n<div>\n\n[ref]: https://defined.example/\n\n</div>\n\n"
            '<div><iframe src="https://frame.example/embed"></iframe></div>\n',
        ),
        keep=("https://defined.example/", "https://frame.example/embed"),
    ),
    Case(
        "related links with the same key",
        "lost",
        _write(
            "related.md", "- [Main](https://x.example/main) ([mirror](http://x.example/main/))\n"
        ),
        keep=("https://x.example/main", "http://x.example/main/"),
    ),
    Case(
        "an unreadable subfolder",
        "lost",
        _unreadable_folder,
        exit=1,
        message=r"private",
        posix_only=True,
    ),
    Case(
        "YAML that refers to itself",
        "lost",
        _write("self.md", _FRONT.format("a: &a [*a]")),
        keep=("https://kept.example/post",),
        message=r"self\.md",
    ),
    # Leaks and data faults.
    Case(
        "a symlink out of the input folder",
        "leak",
        _outside,
        exit=1,
        message=r"notes\.md.*outside",
        posix_only=True,
    ),
    Case(
        "a previous output inside the inputs",
        "data",
        _own_output,
        absent=("https://copied.example/",),
    ),
    # Messages a person can act on.
    Case("UTF-16 without a BOM", "message", _utf16_no_bom, exit=1, message=r"wide\.md.*UTF-16"),
    Case("Latin-1", "message", _latin1, exit=1, message=r"latin\.md:3.*guess"),
    Case("awesomerge.toml with a BOM", "message", _bom_toml, keep=("https://special.example/",)),
)


def unreadable_folders(folder: Path) -> list[Path]:
    """Folders a case made unreadable, to give back their rights before they are removed."""
    return [
        path
        for path in folder.rglob("*")
        if not path.is_symlink() and path.is_dir() and not path.stat().st_mode & stat.S_IRUSR
    ]

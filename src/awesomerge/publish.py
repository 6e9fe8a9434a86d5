"""Putting a build's outputs in place as one set, whatever happens while it is done.

The outputs are written into a fresh folder beside the output folder (``.NAME.awesomerge-…``),
with a manifest, OUTPUT_MARK, that lists each file with its size and sha-256. Then:

* where the system can swap two folders in one step (Linux's ``renameat2`` with
  ``RENAME_EXCHANGE``), the fresh folder and the output folder are swapped, so that a reader,
  or a kill at any moment, finds the whole previous set or the whole new one. What awesomerge
  did not write there (a ``.git`` folder, a ``CNAME``) is then moved into the new folder;
* elsewhere, and when the output folder is the working folder or holds it, each file is
  renamed into place in turn and the manifest comes last: a set a kill left half renamed is
  told by its manifest, and is replaced whole by the next build.

A lock file (`lock_path`, in the user's cache folder) keeps two builds from writing into one
output folder at once: the second waits. The next build removes what a killed one left
behind, and moves back into the output folder any file of the user's that was on its way.
"""

from __future__ import annotations

import ctypes
import errno
import glob
import hashlib
import json
import os
import shutil
import stat
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from filelock import FileLock, Timeout

from awesomerge.interrupts import interrupts_held
from awesomerge.reading import OUTPUT_MARK

#: How long a build waits for another one writing into the same folder, in seconds.
LOCK_WAIT = 600.0


class PublishError(OSError):
    """The outputs cannot be put in place; nothing in the output folder was changed."""


def publish(
    out_dir: Path,
    names: Iterable[str],
    write: Callable[[Path], None],
    waiting: Callable[[], None] = lambda: None,
) -> list[Path]:
    """Write the files `names` with `write(folder)` into a fresh folder, and put them in place
    in `out_dir` as one set. `waiting` is called when another build holds the folder."""
    names = sorted(names)
    out_dir = out_dir.absolute()
    if out_dir.is_symlink():
        out_dir = out_dir.resolve()  # the folder the link names is the one replaced
    try:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise _cannot_write(out_dir, error) from error
    with _locked(out_dir, waiting):
        _check_targets(out_dir, names)
        try:
            _clean_up(out_dir, names)
            staging = Path(
                tempfile.mkdtemp(dir=out_dir.parent, prefix=f".{out_dir.name}.awesomerge-")
            )
            # mkdtemp makes a private folder: give it the mode the output folder has, or would get.
            mode = out_dir.stat().st_mode if out_dir.is_dir() else 0o777 & ~_umask()
            os.chmod(staging, stat.S_IMODE(mode))
        except OSError as error:
            raise _cannot_write(out_dir, error) from error
        try:
            write(staging)
            _write_manifest(staging, names)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        with interrupts_held():
            _put_in_place(staging, out_dir, names)
    return [out_dir / name for name in names]


def _cannot_write(out_dir: Path, error: OSError) -> PublishError:
    """The error to show when the output folder, or the folder beside it where the new set is
    written first, cannot be written: it names the output folder, not a temporary one."""
    from awesomerge.reading import display_path

    shown = display_path(out_dir)
    for folder in out_dir.parents:
        if folder.exists():
            if not folder.is_dir():
                return PublishError(
                    f"{shown}/: cannot be made, since {display_path(folder)} is a file, not a "
                    "folder; choose another output folder with -o"
                )
            break
    reason = (error.strerror or str(error)).lower()
    return PublishError(
        f"{shown}/: the outputs cannot be written there, nor beside it in "
        f"{display_path(out_dir.parent)}/ ({reason}); make that folder writable, or choose "
        "another output folder with -o"
    )


def lock_path(out_dir: Path) -> Path:
    """The lock file of an output folder: in the user's cache folder, named by a digest of the
    folder's path, so that no project is littered with it."""
    import platformdirs

    digest = hashlib.sha256(os.fsencode(out_dir)).hexdigest()[:32]
    return Path(platformdirs.user_cache_dir("awesomerge")) / "locks" / f"{digest}.lock"


@contextmanager
def _locked(out_dir: Path, waiting: Callable[[], None]) -> Iterator[None]:
    path = lock_path(out_dir)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError:  # no cache folder to write in: the system's temporary folder will do
        path = Path(tempfile.gettempdir(), "awesomerge-locks", path.name)
        path.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(path)
    try:
        lock.acquire(timeout=0)
    except Timeout:
        waiting()
        try:
            lock.acquire(timeout=LOCK_WAIT)
        except Timeout as error:
            raise PublishError(
                f"{out_dir}: another build has been writing into it for {LOCK_WAIT:.0f} s; "
                "wait for it, or choose another output folder with -o"
            ) from error
    try:
        yield
    finally:
        lock.release()


def _check_targets(out_dir: Path, names: list[str]) -> None:
    """Refuse, before anything is written, a set that could not be put in place whole."""
    if out_dir.exists() and not out_dir.is_dir():
        raise PublishError(f"{out_dir}: not a folder; choose another output folder with -o")
    for name in [*names, OUTPUT_MARK]:
        target = out_dir / name
        if target.is_dir() and not target.is_symlink():
            raise PublishError(f"{target}: a folder where an output goes; move it away")


def _clean_up(out_dir: Path, names: list[str]) -> None:
    """Remove what a killed build left: its fresh folders (moving back any file of the user's
    that was on its way) and the temporary files earlier versions wrote beside each output."""
    pattern = glob.escape(f".{out_dir.name}.awesomerge-") + "*"
    for leftover in sorted(out_dir.parent.glob(pattern)):
        if leftover.is_dir() and not leftover.is_symlink():
            if out_dir.is_dir():
                _move_foreign(leftover, out_dir, names)
            shutil.rmtree(leftover, ignore_errors=True)
    if out_dir.is_dir():
        for name in names:
            for temporary in out_dir.glob(glob.escape(f".{name}.") + "*.tmp"):
                temporary.unlink(missing_ok=True)


def _write_manifest(staging: Path, names: list[str]) -> None:
    from awesomerge import __version__

    files = {}
    for name in names:
        digest = hashlib.sha256()
        with open(staging / name, "rb") as handle:
            while block := handle.read(1 << 20):
                digest.update(block)
        files[name] = {"size": (staging / name).stat().st_size, "sha256": digest.hexdigest()}
    manifest = {"awesomerge": __version__, "files": files}
    with open(staging / OUTPUT_MARK, "w", encoding="utf-8", newline="\n") as stream:
        json.dump(manifest, stream, indent=2)
        stream.write("\n")
        stream.flush()
        os.fsync(stream.fileno())
    _sync(staging)


def _put_in_place(staging: Path, out_dir: Path, names: list[str]) -> None:
    if not out_dir.exists():
        os.rename(staging, out_dir)
        _sync(out_dir.parent)
        return
    if _can_swap(out_dir):
        _link_foreign(out_dir, staging, names)
        if _exchange(staging, out_dir):
            _sync(out_dir.parent)
            _move_foreign(staging, out_dir, names)  # the fresh folder now holds the previous set
            shutil.rmtree(staging, ignore_errors=True)
            return
    for name in [*names, OUTPUT_MARK]:
        os.replace(staging / name, out_dir / name)
    _sync(out_dir)
    shutil.rmtree(staging, ignore_errors=True)


def _link_foreign(out_dir: Path, staging: Path, names: list[str]) -> None:
    """Give the fresh folder a hard link to each file of the user's in the output folder, so
    that the swap keeps them in place; folders (a ``.git``) are moved after it."""
    ours = {*names, OUTPUT_MARK, *_listed(out_dir)}
    for entry in sorted(out_dir.iterdir()):
        if entry.name in ours or entry.is_symlink() or not entry.is_file():
            continue
        try:
            os.link(entry, staging / entry.name)
        except OSError:
            continue  # moved after the swap instead


def _move_foreign(folder: Path, out_dir: Path, names: list[str]) -> None:
    """Move into `out_dir` what `folder` holds that no build wrote and `out_dir` lacks."""
    ours = {*names, OUTPUT_MARK, *_listed(folder)}
    for entry in sorted(folder.iterdir()):
        if entry.name not in ours and not os.path.lexists(out_dir / entry.name):
            os.rename(entry, out_dir / entry.name)


def _listed(folder: Path) -> list[str]:
    """The files a folder's manifest says a build wrote there."""
    try:
        manifest = json.loads((folder / OUTPUT_MARK).read_text(encoding="utf-8"))
        return [str(name) for name in manifest["files"]]
    except (OSError, ValueError, KeyError, TypeError):
        return []


def _can_swap(out_dir: Path) -> bool:
    """Whether the output folder may be swapped for a new one: not while the working folder
    lies inside it, where the shell would be left in the old one, nor across mount points."""
    return not Path.cwd().is_relative_to(out_dir) and not os.path.ismount(out_dir)


@cache
def _renameat2() -> Callable[..., int] | None:
    # The standard library has no call that swaps two paths; glibc's renameat2 does, on the
    # file systems Linux's own support (ext4, xfs, btrfs, tmpfs and more).
    if not sys.platform.startswith("linux"):
        return None
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p]
    function.argtypes += [ctypes.c_uint]
    function.restype = ctypes.c_int
    return function


_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def _exchange(first: Path, second: Path) -> bool:
    """Swap two folders in one step; False where the system or the file system cannot."""
    function = _renameat2()
    if function is None:
        return False
    done = function(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE)
    if done == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EXDEV, errno.ENOTSUP, errno.EPERM):
        return False
    raise OSError(code, os.strerror(code), str(second))


def _sync(folder: Path) -> None:
    """Make a folder's renames durable (a no-op where folders cannot be opened)."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask

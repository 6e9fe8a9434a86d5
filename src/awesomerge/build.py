"""The pipeline: discover inputs → parse each (source plugins) → merge → write (output plugins).

Each input is parsed on its own (`awesomerge.parsing`), so one bad input is rejected by name
while every other input is still merged. Outputs are written into temporary files, in pieces,
and renamed into place only when every one is complete: a failed build leaves the previous
output as it was.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path, PurePosixPath
from typing import TextIO

from awesomerge.api import Collection, Output
from awesomerge.cache import ParseCache
from awesomerge.errors import PluginError
from awesomerge.keylock import KeyLock
from awesomerge.models import Dataset, ReviewPair
from awesomerge.normalize import ParsedSource, collector_frozen, collector_paused, merge
from awesomerge.parsing import Job, parse_input, parse_inputs
from awesomerge.pieces import Pieces
from awesomerge.plugins import Plugins
from awesomerge.progress import Stages
from awesomerge.publish import PublishError, publish
from awesomerge.reading import InputFile, find_inputs
from awesomerge.report import Report
from awesomerge.settings import Settings, input_roots, load_settings

__all__ = ["BuildResult", "ParsedSource", "build", "parse_input", "source_ids", "write_outputs"]

_NOT_SLUG = re.compile(r"[^a-z0-9]+")
#: The cache's subfolder for the outputs' texts (`Collection.each_entry`).
PIECES = "pieces"


@dataclass(frozen=True)
class BuildResult:
    dataset: Dataset
    report: Report
    review: tuple[ReviewPair, ...] = ()
    pieces: Pieces = field(default_factory=Pieces)
    """The outputs' texts kept between builds, in the cache folder when the build has one."""
    key_lock: KeyLock | None = None
    """awesomerge.lock beside the first input: the citation keys earlier builds gave."""

    @cached_property
    def collection(self) -> Collection:
        return Collection(self.dataset, self.review, self.pieces, key_lock=self.key_lock)


def build(
    inputs: Iterable[str],
    plugins: Plugins,
    *,
    explicit_format: str | None = None,
    settings: Settings | None = None,
    files: list[InputFile] | None = None,
    strict: bool = False,
    jobs: int = 1,
    cache: ParseCache | None = None,
    stages: Stages | None = None,
    key_lock: bool = True,
) -> BuildResult:
    """Read and merge the inputs. Raises only for usage errors; bad inputs go to the report.

    `jobs` processes parse the files, and `cache` keeps their results between builds; neither
    changes the result. With `strict`, a plugin that misbehaves on an input raises
    PluginInputError instead. Without `key_lock`, awesomerge.lock is neither read nor written:
    the citation keys are made afresh, as if no build had given any.
    """
    inputs = list(inputs)
    files = files if files is not None else find_inputs(inputs, suffixes=plugins.input_suffixes)
    if settings is None:
        settings = load_settings((file.path for file in files), input_roots(inputs))
    stages = stages if stages is not None else Stages()
    report = Report(plugin_failures=list(plugins.failures))
    ids = source_ids(file.display for file in files)
    job = Job(plugins, settings, explicit_format, strict)
    with collector_paused():
        parsed, rejected = parse_inputs(files, ids, job, jobs=jobs, cache=cache, stages=stages)
        for error in rejected:
            report.reject(error)
        records = sorted((source.record for source in parsed), key=lambda record: record.id)
        # Handed over, so that the merge can let each item go once its entry is built.
        merged = merge(_handed_over(parsed), settings.overrides(), plugins.canonical_url, stages)
    dataset = Dataset.model_construct(sources=records, entries=merged.entries)
    report.stale = stale_decisions(settings, merged.unknown)
    if cache is not None:
        report.cache_problems = list(cache.problems)
    report.count(dataset)
    report.review = len(merged.review)
    pieces = Pieces(cache.folder / PIECES if cache is not None else None)
    lock = KeyLock.beside(inputs) if key_lock else KeyLock(None)
    return BuildResult(dataset, report, tuple(merged.review), pieces, lock)


def _handed_over(parsed: list[ParsedSource]) -> Iterator[ParsedSource]:
    """The parsed sources, each dropped from the list as it is taken."""
    parsed.reverse()
    while parsed:
        yield parsed.pop()


def stale_decisions(settings: Settings, unknown: frozenset[str]) -> list[str]:
    """A warning for each curator's decision that names a URL no input lists any more."""
    found = []
    for loaded in settings.configs:
        decisions = loaded.config.merge
        for name, groups in (("same", decisions.same), ("distinct", decisions.distinct)):
            for group in groups:
                for url in group:
                    if url in unknown:
                        found.append(
                            f"{loaded.path}: [merge] {name} names {url}, which no input lists: "
                            "correct the URL, or remove the decision"
                        )
    return found


def source_ids(paths: Iterable[str]) -> dict[str, str]:
    """A slug for each input path: its file stem, with parent folders added where stems clash.

    Derived from the paths only, never from their order: the same inputs give the same ids.
    """
    paths = sorted(set(paths))
    depth = dict.fromkeys(paths, 1)
    while True:
        groups: dict[str, list[str]] = defaultdict(list)
        for path in paths:
            groups[_slug(path, depth[path])].append(path)
        clashes = [group for group in groups.values() if len(group) > 1]
        if not clashes:
            return {path: slug for slug, group in groups.items() for path in group}
        for group in clashes:
            for path in group:
                depth[path] += 1


def _slug(path: str, depth: int) -> str:
    pure = PurePosixPath(path)
    stem_parts = pure.with_suffix("").parts
    if depth <= len(stem_parts):
        words = stem_parts[-depth:]
    elif depth == len(stem_parts) + 1:
        words = pure.parts  # the suffix tells "a.md" from "a.txt"
    else:
        words = (*pure.parts, hashlib.sha256(path.encode()).hexdigest()[:8])
    return _NOT_SLUG.sub("-", "-".join(words).lower()).strip("-") or "source"


def write_outputs(
    collection: Collection,
    outputs: Mapping[str, Output],
    out_dir: Path,
    stages: Stages | None = None,
) -> list[Path]:
    """Write every output or none, and put them in place as one set (`awesomerge.publish`).
    Raises PluginError naming an output that failed, and OSError when a file cannot be written
    or put in place."""
    stages = stages if stages is not None else Stages()
    collection.pieces.scope = str(out_dir.resolve())
    names = [output.filename for output in outputs.values()]

    def write(folder: Path) -> None:
        _write_all(collection, outputs, folder, out_dir, stages)
        stages.start("putting in place", detail=str(out_dir))

    def waiting() -> None:
        stages.start("waiting", detail=f"for another build writing into {out_dir}")

    with collector_frozen():
        try:
            written = publish(out_dir, names, write, waiting)
        except BaseException:
            collection.pieces.discard()
            raise
        finally:
            stages.stop()
    collection.pieces.finish()
    _save_key_lock(collection)
    return written


def _save_key_lock(collection: Collection) -> None:
    """The citation keys this build gave, into awesomerge.lock, once every output is in place;
    a lock that cannot be written is a warning: the outputs are already there."""
    if collection.key_lock is None:
        return
    try:
        collection.key_lock.save()
    except OSError as error:
        reason = error.strerror or str(error)
        collection.pieces.problems.append(
            f"{collection.key_lock.path}: the citation keys cannot be kept ({reason}); "
            "the next build may give new keys"
        )


def _write_all(
    collection: Collection,
    outputs: Mapping[str, Output],
    folder: Path,
    out_dir: Path,
    stages: Stages,
) -> None:
    """Write each output into `folder`, a failure to write blamed on the file in `out_dir`."""
    for number, name in enumerate(sorted(outputs), start=1):
        output = outputs[name]
        stages.start(f"writing {output.filename}", detail=f"output {number} of {len(outputs)}")
        try:
            with open(folder / output.filename, "w", encoding="utf-8", newline="\n") as stream:
                _write_output(name, output, collection, stream)
                stream.flush()
                os.fsync(stream.fileno())
        except OSError as error:
            if isinstance(error, PublishError):
                raise
            target = out_dir / output.filename
            reason = error.strerror or str(error)
            raise PublishError(f"{target}: cannot be written ({reason})") from error
        collection.pieces.save()  # and let go of them: the next output has its own


def _write_output(name: str, output: Output, collection: Collection, stream: TextIO) -> None:
    """One output into its stream, a failure blamed on the output by name."""
    streams = type(output).write is not Output.write
    method = "write" if streams else "render"
    try:
        if streams:
            output.write(collection, stream)
            return
        text = output.render(collection)
    except OSError:
        raise
    except Exception as error:
        raise PluginError(name, f"{method}() raised {type(error).__name__}: {error}") from error
    if not isinstance(text, str):
        raise PluginError(name, f"render() returned {type(text).__name__}, not str")
    stream.write(text)

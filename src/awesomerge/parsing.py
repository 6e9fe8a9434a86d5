"""Parsing every input: each file on its own, spread over worker processes, through the cache.

`parse_input` reads one file, chooses its source plugin and parses it; it is a pure function of
the file, its settings and the plugins, which is what lets files be parsed in any process and
their results be kept in the cache (`awesomerge.cache`).

Every result, whether parsed here, in a worker or found in the cache, passes through the same
JSON form and is validated once, on its way in: so the dataset is the same, byte for byte,
whatever the number of workers, the order they finish in, or what the cache held. Results are
put back in the order of the files before anything else sees them.

Workers are forked from the build's process, so they share its loaded plugins, local plugin
files and options without pickling them. Where the platform cannot fork, files are parsed in the
build's own process. Workers also work out what the merge needs of each item's URL (its
`Address`: the clean URL, its keys and identifiers), so that it is done on every core, and kept
in the cache with the result.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from pydantic import BaseModel, ConfigDict

from awesomerge.cache import ParseCache, code_digest, environment, key_of, package_digest
from awesomerge.detect import choose_source, reads_bytes
from awesomerge.entries import Listing
from awesomerge.errors import AwesomergeError, InputError, PluginInputError
from awesomerge.interrupts import interrupts_held, worker_start
from awesomerge.models import Item, ParseResult, RelatedLink, SourceRecord, SourceWarning
from awesomerge.normalize import Address, Addresses, ParsedSource
from awesomerge.plugins import Plugins
from awesomerge.progress import Stages
from awesomerge.reading import InputFile, read_document, read_input
from awesomerge.settings import Settings
from awesomerge.urls import is_web_url, url_problem


class _Parsed(BaseModel):
    """One input's result as it travels between processes and lies in the cache."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    record: SourceRecord
    items: list[Item]
    addresses: list[Address]
    """The `Address` of each item's URL."""


@dataclass(frozen=True)
class Job:
    """What parsing needs besides the file: the same for every file of a build."""

    plugins: Plugins
    settings: Settings
    explicit_format: str | None = None
    strict: bool = False


def parse_input(
    file: InputFile,
    source_id: str,
    plugins: Plugins,
    settings: Settings,
    explicit_format: str | None = None,
    strict: bool = False,
) -> ParsedSource:
    """Read, choose a source for, and parse one input. Raises InputError when it cannot."""
    file_settings = settings.for_file(file.path)
    explicit = explicit_format or file_settings.format
    document = read_document(
        file,
        encoding=file_settings.encoding,
        base_url=file_settings.base_url,
        limits=settings.limits,
        binary=reads_bytes(file.display, plugins.sources, explicit),
    )
    choice = choose_source(document, plugins.sources, explicit)
    warnings = [SourceWarning(message=choice.warning)] if choice.warning else []
    for name, problem in choice.failures:
        provider = plugins.provider.get("source:" + name, name)
        if strict:
            raise PluginInputError(file.display, provider, f'(source "{name}"): {problem}')
        message = f'plugin "{provider}": source "{name}" {problem}; it was not considered'
        warnings.append(SourceWarning(message=message))
    source = plugins.sources[choice.source]
    provider = plugins.provider.get("source:" + choice.source, choice.source)
    try:
        result = source.parse(document)
    except AwesomergeError:
        raise
    except Exception as error:
        problem = f"failed while parsing it: {type(error).__name__}: {error}"
        raise PluginInputError(file.display, provider, problem) from error
    if not isinstance(result, ParseResult):
        problem = f"returned {type(result).__name__} from parse(), not a ParseResult"
        raise PluginInputError(file.display, provider, problem)
    warnings += result.warnings
    warnings += _unsplittable(result)
    record = SourceRecord(
        id=source_id,
        path=file.display,
        format=choice.source,
        title=result.title or PurePosixPath(file.display).stem,
        metadata=result.metadata,
        sha256=document.sha256,
        repairs=document.repairs,
        unlinked=result.unlinked,
        links=result.links,
        warnings=warnings,
    )
    return ParsedSource(record=record, items=list(result.items))


def _unsplittable(result: ParseResult) -> list[SourceWarning]:
    """A warning for each web URL of the items that cannot be split into its parts: it is kept
    as written, and matches only the same URL."""
    found = []
    for item in result.items:
        for url in (item.url, *(link.url for link in item.related)):
            problem = url_problem(url) if is_web_url(url) else None
            if problem is not None:
                message = (
                    f"the URL {url!r} is malformed ({problem}): it is kept as written, "
                    "and merged only with the same URL"
                )
                found.append(SourceWarning(message=message, line=item.line))
    return found


def parse_inputs(
    files: Sequence[InputFile],
    ids: dict[str, str],
    job: Job,
    *,
    jobs: int = 1,
    cache: ParseCache | None = None,
    stages: Stages | None = None,
) -> tuple[list[ParsedSource], list[InputError]]:
    """Parse every file: from the cache where it holds the result, else in `jobs` processes.

    Returns the parsed sources in the order of `files`, and the inputs that were rejected.
    With `job.strict`, a plugin that misbehaves raises PluginInputError instead.
    """
    stages = stages if stages is not None else Stages()
    stages.start("reading", len(files))
    keys = _keys(files, job) if cache is not None else [None] * len(files)
    results: list[ParsedSource | InputError | None] = [None] * len(files)
    waiting = []
    for index, key in enumerate(keys):
        if cache is not None and key is not None and (found := cache.load(key)) is not None:
            try:
                results[index] = _decoded(found, ids[files[index].display])
            except ValueError:  # whole, but not what this version writes: never trusted
                cache.problems.append(f"cache entry {cache.path(key)} cannot be read; parsed again")
            else:
                stages.advance(1, files[index].display)
                continue
        waiting.append(index)
    for index, outcome in _parse_all(files, waiting, job, jobs):
        key = keys[index]
        if isinstance(outcome, InputError):
            results[index] = outcome
        else:
            if cache is not None and key is not None:
                cache.store(key, outcome)
            results[index] = _decoded(outcome, ids[files[index].display])
        stages.advance(1, files[index].display)
    stages.stop()
    if cache is not None:
        cache.sweep()
    errors = [result for result in results if isinstance(result, InputError)]
    for error in errors:
        if job.strict and isinstance(error, PluginInputError):
            raise error
    return [result for result in results if isinstance(result, ParsedSource)], errors


def _decoded(payload: bytes, source_id: str) -> ParsedSource:
    """A result in its JSON form, validated, under the id the source has in this build."""
    result = _Parsed.model_validate_json(payload)
    items = [Listing.of(item) for item in result.items]
    for item in items:
        for link in item.related:
            _share_field_names(link, _LINK_FIELDS)
    record = result.record.model_copy(update={"id": source_id})
    if len(result.addresses) != len(items):
        raise ValueError("a parse result holds an address for each item")
    return ParsedSource(record=record, items=items, addresses=result.addresses)


# pydantic keeps, in each instance, the set of the names of the fields it was given. A payload
# always gives every field, so its related links can share one set; a link is never changed
# (the models are frozen), so neither is the set.
_LINK_FIELDS = set(RelatedLink.model_fields)


def _share_field_names(model: BaseModel, names: set[str]) -> None:
    if model.__pydantic_fields_set__ == names:
        object.__setattr__(model, "__pydantic_fields_set__", names)


def available_cores() -> int:
    """How many cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _keys(files: Sequence[InputFile], job: Job) -> list[str | None]:
    """Each file's cache key, or None for a file that cannot be read (it is parsed, to say why)."""
    from awesomerge import __version__

    plugins = job.plugins
    shared = [
        __version__,
        code_digest(Path(__file__).parent),
        *environment(),
        job.explicit_format or "",
        str(job.strict),
    ]
    for name in sorted(plugins.sources):
        source = plugins.sources[name]
        provider = plugins.provider.get("source:" + name, name)
        version = next((p.version for p in plugins.plugins if p.name == provider), None)
        shared += [name, provider, version or "", package_digest(type(source))]
        shared.append(source.options.model_dump_json())
    shared += plugins.url_rules()  # the addresses are worked out with them
    limits = job.settings.limits
    shared.append(limits.model_dump_json())
    keys: list[str | None] = []
    for file in files:
        try:
            raw = read_input(file, limits.file_size)
        except InputError:
            keys.append(None)
            continue
        settings = job.settings.for_file(file.path).model_dump_json()
        keys.append(key_of([*shared, file.display, settings, raw]))
    return keys


#: The job of the build that forked the workers, and the addresses worked out so far; a worker
#: reads it instead of unpickling it.
_JOB: tuple[Sequence[InputFile], Job, Addresses] | None = None


def _parse_one(index: int) -> bytes | InputError:
    """Parse the file at `index` of the current job into its JSON form, or the reason it cannot
    be read."""
    assert _JOB is not None, "the job is set before any file is parsed"
    files, job, addresses = _JOB
    file = files[index]
    try:
        parsed = parse_input(file, "", job.plugins, job.settings, job.explicit_format, job.strict)
    except InputError as error:
        return error
    found = [addresses.url(item.url) for item in parsed.items]
    result = _Parsed(record=parsed.record, items=parsed.items, addresses=found)
    return result.model_dump_json().encode()


def _parse_all(
    files: Sequence[InputFile], indices: list[int], job: Job, jobs: int
) -> Iterator[tuple[int, bytes | InputError]]:
    """(index, result) for each file at `indices`, in the order they finish."""
    global _JOB
    _JOB = (files, job, Addresses(job.plugins.canonical_url))
    try:
        jobs = min(jobs, len(indices))
        if jobs <= 1 or "fork" not in multiprocessing.get_all_start_methods():
            for index in indices:
                yield index, _parse_one(index)
            return
        context = multiprocessing.get_context("fork")
        # Starting the workers and stopping them are held against Ctrl-C (see interrupts).
        with interrupts_held():
            pool = ProcessPoolExecutor(jobs, mp_context=context, initializer=worker_start)
            futures: dict[Future[bytes | InputError], int] = {
                pool.submit(_parse_one, index): index for index in indices
            }
        try:
            for future in as_completed(futures):
                yield futures[future], future.result()
        finally:
            with interrupts_held():
                pool.shutdown(wait=True, cancel_futures=True)
    finally:
        _JOB = None

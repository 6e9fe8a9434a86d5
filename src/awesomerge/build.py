"""The pipeline: discover inputs → parse each (source plugins) → merge → write (output plugins).

Each input is parsed on its own by `parse_input`, a pure function of the file, so one bad input
is rejected by name while every other input is still merged. Outputs are all rendered before any
is written, and then written through temporary files and renamed into place: a failed build
leaves the previous output as it was.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from awesomerge.api import Collection, Output
from awesomerge.detect import choose_source
from awesomerge.errors import AwesomergeError, InputError, PluginError, PluginInputError
from awesomerge.models import Dataset, ParseResult, ReviewPair, SourceRecord, SourceWarning
from awesomerge.normalize import ParsedSource, merge
from awesomerge.plugins import Plugins
from awesomerge.reading import InputFile, find_inputs, read_document
from awesomerge.report import Report
from awesomerge.settings import Settings, input_roots, load_settings

_NOT_SLUG = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class BuildResult:
    dataset: Dataset
    report: Report
    review: tuple[ReviewPair, ...] = ()

    @property
    def collection(self) -> Collection:
        return Collection(self.dataset, self.review)


def build(
    inputs: Iterable[str],
    plugins: Plugins,
    *,
    explicit_format: str | None = None,
    settings: Settings | None = None,
    on_file: Callable[[InputFile], None] | None = None,
    files: list[InputFile] | None = None,
    strict: bool = False,
) -> BuildResult:
    """Read and merge the inputs. Raises only for usage errors; bad inputs go to the report.

    With `strict`, a plugin that misbehaves on an input raises PluginInputError instead.
    """
    inputs = list(inputs)
    files = files if files is not None else find_inputs(inputs)
    if settings is None:
        settings = load_settings((file.path for file in files), input_roots(inputs))
    report = Report(plugin_failures=list(plugins.failures))
    ids = source_ids(file.display for file in files)
    parsed: list[ParsedSource] = []
    for file in files:
        if on_file is not None:
            on_file(file)
        try:
            parsed.append(
                parse_input(file, ids[file.display], plugins, settings, explicit_format, strict)
            )
        except InputError as error:
            if strict and isinstance(error, PluginInputError):
                raise
            report.reject(error)
    merged = merge(parsed, settings.overrides(), plugins.canonical_url)
    dataset = Dataset(
        sources=sorted((source.record for source in parsed), key=lambda record: record.id),
        entries=merged.entries,
    )
    report.stale = stale_decisions(settings, merged.unknown)
    report.count(dataset)
    report.review = len(merged.review)
    return BuildResult(dataset, report, tuple(merged.review))


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
    document = read_document(file, encoding=file_settings.encoding, base_url=file_settings.base_url)
    choice = choose_source(document, plugins.sources, explicit_format or file_settings.format)
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


def render_outputs(collection: Collection, outputs: Mapping[str, Output]) -> dict[str, str]:
    """Render every output in memory; raises PluginError naming the output that failed."""
    rendered: dict[str, str] = {}
    for name in sorted(outputs):
        output = outputs[name]
        try:
            text = output.render(collection)
        except Exception as error:
            raise PluginError(name, f"render() raised {type(error).__name__}: {error}") from error
        if not isinstance(text, str):
            raise PluginError(name, f"render() returned {type(text).__name__}, not str")
        rendered[output.filename] = text
    return rendered


def write_outputs(files: Mapping[str, str], out_dir: Path) -> list[Path]:
    """Write every file or none: stage them all beside their targets, then rename into place."""
    out_dir.mkdir(parents=True, exist_ok=True)
    umask = os.umask(0)
    os.umask(umask)
    staged: list[tuple[str, Path]] = []
    try:
        for name in sorted(files):
            handle, temporary = tempfile.mkstemp(dir=out_dir, prefix=f".{name}.", suffix=".tmp")
            staged.append((temporary, out_dir / name))
            with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
                stream.write(files[name])
                stream.flush()
                os.fsync(stream.fileno())
            os.chmod(temporary, 0o666 & ~umask)  # mkstemp makes files private
    except BaseException:
        for temporary, _ in staged:
            Path(temporary).unlink(missing_ok=True)
        raise
    for temporary, target in staged:
        os.replace(temporary, target)
    return [target for _, target in staged]

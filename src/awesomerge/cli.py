"""The ``awesomerge`` command line.

Only click is imported to start: each command imports what it uses when it runs, so that
``--help`` and ``--version`` answer at once.
"""

from __future__ import annotations

import json
import signal
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

import click
from click.core import ParameterSource

if TYPE_CHECKING:
    from rich.console import Console

    from awesomerge.api import Source
    from awesomerge.plugin_flags import PluginFlag
    from awesomerge.plugins import Plugins
    from awesomerge.reading import InputFile
    from awesomerge.report import Report
    from awesomerge.settings import Settings

F = TypeVar("F", bound=Callable[..., Any])


def plugin_options(function: F) -> F:
    """--plugins-dir and --strict-plugins, shared by every command that loads plugins."""
    function = click.option(
        "--strict-plugins",
        is_flag=True,
        envvar="AWESOMERGE_STRICT_PLUGINS",
        help="Stop on the first plugin that fails to load, instead of leaving it out.",
    )(function)
    return click.option(
        "--plugins-dir",
        "plugins_dirs",
        multiple=True,
        type=click.Path(exists=True, file_okay=False, path_type=Path),
        help="Load drop-in plugins (*.py files) from this folder. Can be repeated.",
    )(function)


def _say(console: Console, level: str, message: str) -> None:
    """Print a message verbatim: file names and plugin errors may hold Rich markup."""
    from rich.text import Text

    style = "red" if level == "error" else "yellow"
    console.print(Text.assemble((f"{level}:", style), " ", message), soft_wrap=True)


def _check_format(plugins: Plugins, explicit_format: str | None) -> None:
    """A usage error for a --format no source plugin provides."""
    if explicit_format is not None and explicit_format not in plugins.sources:
        known = ", ".join(sorted(plugins.sources))
        raise click.BadParameter(
            f'unknown format "{explicit_format}" (known: {known})', param_hint="--format"
        )


def _load(plugins_dirs: tuple[Path, ...], strict: bool) -> Plugins:
    from awesomerge.errors import PluginError
    from awesomerge.plugins import load_plugins

    try:
        return load_plugins(plugins_dirs, strict=strict)
    except PluginError as error:
        raise click.ClickException(str(error)) from error


_HELP_NAMES = ["-h", "--help"]


@click.group(context_settings={"help_option_names": _HELP_NAMES})
@click.version_option(package_name="awesomerge", prog_name="awesomerge")
def cli() -> None:
    """Merge curated link lists (awesome-lists) of many shapes into one deduplicated dataset.

    Start with:  awesomerge build inputs/
    """


class _BuildCommand(click.Command):
    """`build`, with an option for each flag the loaded plugins declare.

    Which plugins exist depends on --plugins-dir, so the command line is read twice: once
    for --plugins-dir and --strict-plugins alone, to load the plugins, then whole, with their
    flags among the options (so `build --help` lists them and a typo gets "did you mean").
    """

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        from awesomerge.plugin_flags import plugin_flags, spell_booleans

        plugins = _load(*self._plugin_choices(args))
        flags, problems = plugin_flags(plugins, self.taken(ctx.help_option_names))
        ctx.meta[_PLUGINS] = plugins
        ctx.meta[_FLAGS] = flags
        ctx.meta[_FLAG_PROBLEMS] = problems
        return super().parse_args(ctx, spell_booleans(args, flags))

    def taken(self, help_names: Iterable[str]) -> list[str]:
        """The option names of build itself, which no plugin's flag may take."""
        own = [opt for param in self.params for opt in param.opts + param.secondary_opts]
        return [*own, *help_names]

    def get_params(self, ctx: click.Context) -> list[click.Parameter]:
        params = super().get_params(ctx)
        flags: list[PluginFlag] = ctx.meta.get(_FLAGS, [])
        help_options = [param for param in params if param not in self.params]
        return [*self.params, *flags, *help_options]

    def _plugin_choices(self, args: list[str]) -> tuple[tuple[Path, ...], bool]:
        """--plugins-dir and --strict-plugins, read on their own; the rest is left to the
        whole reading, which reports any mistake."""
        wanted = [param for param in self.params if param.name in _PLUGIN_PARAMETERS]
        probe = click.Command(
            self.name,
            params=wanted,
            add_help_option=False,
            context_settings={"ignore_unknown_options": True, "allow_extra_args": True},
        )
        with probe.make_context(self.name, list(args), resilient_parsing=True) as context:
            return tuple(context.params["plugins_dirs"] or ()), bool(
                context.params["strict_plugins"]
            )


_PLUGINS = "awesomerge.plugins"
_FLAGS = "awesomerge.plugin_flags"
_FLAG_PROBLEMS = "awesomerge.plugin_flag_problems"
_PLUGIN_PARAMETERS = ("plugins_dirs", "strict_plugins")


@cli.command("build", cls=_BuildCommand)
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=str))
@click.option(
    "-o",
    "--output",
    "output_dir",
    default="output",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write the outputs into.",
)
@click.option(
    "--format",
    "explicit_format",
    metavar="NAME",
    help="Read every input with this source format instead of detecting it.",
)
@click.option(
    "--write",
    "write",
    multiple=True,
    metavar="NAME",
    help="Write only this output (see 'awesomerge plugins'). Can be repeated.",
)
@click.option(
    "-O",
    "--option",
    "options",
    multiple=True,
    metavar="NAME.KEY=VALUE",
    help="Set an option of a source or output, e.g. -O bibtex.dialect=biblatex. Can be repeated.",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    metavar="N",
    help="Parse files in N processes at once.  [default: every core]",
)
@click.option(
    "--cache",
    "cache_dir",
    envvar="AWESOMERGE_CACHE",
    type=click.Path(file_okay=False, path_type=Path),
    metavar="DIR",
    help="Keep parse results and the outputs' texts in DIR, so unchanged files are not parsed "
    "again nor unchanged entries written anew. "
    "[default: the user's cache folder; env: AWESOMERGE_CACHE]",
)
@click.option("--no-cache", is_flag=True, help="Parse every file; neither read nor fill a cache.")
@click.option(
    "--no-key-lock",
    is_flag=True,
    help="Neither read nor write awesomerge.lock beside the inputs: make the citation keys "
    "afresh (for a folder you only read, not one whose bibliography others cite).",
)
@click.option("--timings", is_flag=True, help="Print how long each stage took, at the end.")
@click.option("-q", "--quiet", is_flag=True, help="Print errors only, no warnings or summary.")
@plugin_options
def build_command(
    inputs: tuple[str, ...],
    output_dir: Path,
    explicit_format: str | None,
    write: tuple[str, ...],
    options: tuple[str, ...],
    jobs: int | None,
    cache_dir: Path | None,
    no_cache: bool,
    no_key_lock: bool,
    timings: bool,
    quiet: bool,
    plugins_dirs: tuple[Path, ...],
    strict_plugins: bool,
    **flag_values: object,
) -> None:
    """Merge INPUT files and folders and write every output into the output folder.

    A folder is searched recursively for *.md, *.markdown and *.txt files, and the endings
    any loaded source plugin reads, and its awesomerge.toml, if any, is read. An input that
    cannot be read is reported by name and left out; the others are still merged and
    written, and the exit status is 1.

    Each file's parse result is cached, and so is each output's text of each entry: a rebuild
    parses only the files, plugins and options that changed, and writes anew only the entries
    that changed. The outputs are the same whatever --jobs and the cache.

    Plugins add options of their own, such as --bib-dialect biblatex: they are listed below,
    with the built-in plugins' and those of any --plugins-dir given before --help.

    Exit status: 0 success; 1 an input was rejected (the others are merged and written), or
    no input could be read; 2 a usage error (a wrong option, INPUT or awesomerge.toml); 3 the
    outputs could not be written (nothing was); 130 interrupted.
    """
    from rich.console import Console

    from awesomerge.build import build, write_outputs
    from awesomerge.cache import ParseCache, default_folder
    from awesomerge.configure import CommandLine, configure
    from awesomerge.errors import ConfigError, InputError, PluginError, PluginInputError
    from awesomerge.parsing import available_cores
    from awesomerge.progress import Stages
    from awesomerge.reading import check_count, display_path, find_inputs
    from awesomerge.report import EXIT_REJECTED, EXIT_UNWRITABLE
    from awesomerge.settings import input_roots, load_settings
    from awesomerge.terminal import ProgressBar

    started = time.perf_counter()
    console = Console(stderr=True, highlight=False)
    context = click.get_current_context()
    if no_cache and context.get_parameter_source("cache_dir") is ParameterSource.COMMANDLINE:
        raise click.UsageError("--cache and --no-cache contradict each other: give one")
    plugins: Plugins = context.meta[_PLUGINS]
    flags = tuple(
        (flag.target.plugin, flag.target.key, flag.value_of(flag_values[flag.name]))
        for flag in context.meta[_FLAGS]
        if flag.name is not None
        and context.get_parameter_source(flag.name) is ParameterSource.COMMANDLINE
    )
    for failure in plugins.failures:
        _say(console, "warning", f"{failure}")
    for problem in context.meta[_FLAG_PROBLEMS] if not quiet else ():
        _say(console, "warning", problem)
    _check_format(plugins, explicit_format)
    try:
        files = find_inputs(inputs, skip=[output_dir], suffixes=plugins.input_suffixes)
        settings = load_settings((file.path for file in files), input_roots(inputs))
        settings.check_formats(plugins.sources)
        check_count(files, settings.limits)
        plugins = configure(plugins, settings, CommandLine(tuple(write), tuple(options), flags))
    except (ConfigError, InputError) as error:
        raise click.UsageError(str(error)) from error
    except PluginError as error:
        raise click.ClickException(str(error)) from error
    if not inputs or not files:
        raise click.UsageError(f"no {_endings(plugins)} files in {', '.join(inputs)}")
    unmatched = settings.unmatched(file.path for file in files)
    for unmatched_table in unmatched if not quiet else ():
        _say(console, "warning", unmatched_table)
    cache = None if no_cache else ParseCache(cache_dir or default_folder())

    with _interrupt_leaves_output(console, output_dir):
        display = ProgressBar(console) if not quiet and console.is_terminal else None
        stages = Stages(display)
        try:
            result = build(
                inputs,
                plugins,
                explicit_format=explicit_format,
                settings=settings,
                files=files,
                strict=strict_plugins,
                jobs=jobs or available_cores(),
                cache=cache,
                stages=stages,
                key_lock=not no_key_lock,
            )
        except PluginInputError as error:
            stages.close()
            _say(
                console, "error", f"{error}; --strict-plugins stops the build, nothing was written"
            )
            sys.exit(EXIT_REJECTED)
        except BaseException:
            stages.close()
            raise
        report = result.report
        for unmatched_table in unmatched:
            report.configuration_warning(unmatched_table)
        for rejected in report.rejected:
            _say(console, "error", f"{rejected}")
        if not quiet:
            for source in result.dataset.sources:
                for warning in source.warnings:
                    where = f"{source.path}:{warning.line}" if warning.line else source.path
                    _say(console, "warning", f"{where}: {warning.message}")
            for problem in [*report.stale, *report.cache_problems]:
                _say(console, "warning", problem)
        if not result.dataset.sources:
            stages.close()
            _say(console, "error", f"no input could be read; nothing was written to {output_dir}/")
            sys.exit(EXIT_REJECTED)
        try:
            written = write_outputs(result.collection, plugins.outputs, output_dir, stages)
        except PluginError as error:
            _say(console, "error", f"{error}; nothing was written")
            sys.exit(EXIT_REJECTED)
        except OSError as error:
            _say(console, "error", _unwritable(error, output_dir))
            sys.exit(EXIT_UNWRITABLE)
        finally:
            stages.close()
        report.written = [display_path(path) for path in written]
        for problem in result.pieces.problems:
            report.cache_problem(problem)
            if not quiet:
                _say(console, "warning", problem)
        if not quiet:
            _print_summary(console, report, output_dir, time.perf_counter() - started)
        if timings:
            console.print("timings (wall-clock seconds):", soft_wrap=True)
            for line in stages.table():
                console.print(line, soft_wrap=True, markup=False)
        sys.exit(report.exit_code)


def _unwritable(error: OSError, output_dir: Path) -> str:
    """What to do when the outputs cannot be written, without the temporary names and errno
    numbers of the raw error (a PublishError already says it)."""
    from awesomerge.publish import PublishError
    from awesomerge.reading import display_path

    if isinstance(error, PublishError):
        return f"{error}; nothing was written"
    reason = (error.strerror or str(error)).lower()
    return (
        f"the outputs cannot be written to {display_path(output_dir)}/ ({reason}); nothing was "
        "written. Choose another output folder with -o, or make this one writable"
    )


@contextmanager
def _interrupt_leaves_output(console: Console, output_dir: Path) -> Iterator[None]:
    """Ctrl-C ends the build with a word on what it left: the outputs are put in place as one
    set at the end (`awesomerge.publish`), so either the previous set is untouched, or the new
    one is whole, which its manifest tells."""
    from awesomerge.reading import OUTPUT_MARK

    manifest = output_dir / OUTPUT_MARK
    before = manifest.read_bytes() if manifest.is_file() else None
    try:
        yield
    except KeyboardInterrupt:
        after = manifest.read_bytes() if manifest.is_file() else None
        if after is not None and after != before:
            _say(console, "error", f"interrupted once the new output was in {output_dir}/")
        else:
            _say(
                console,
                "error",
                "interrupted: nothing was written; the previous output is as it was",
            )
        sys.exit(130)


def _print_summary(console: Console, report: Report, output_dir: Path, seconds: float) -> None:
    from awesomerge.reading import display_path

    console.print(report.summary(), soft_wrap=True)
    count = len(report.written)
    console.print(
        f"wrote {count} file{'s' * (count != 1)} to {display_path(output_dir)}/ in {seconds:.1f} s",
        soft_wrap=True,
    )


@cli.command("plugins")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@plugin_options
def plugins_command(as_json: bool, plugins_dirs: tuple[Path, ...], strict_plugins: bool) -> None:
    """List every plugin: its name, version, origin, the sources and outputs it provides, and
    every plugin that failed to load, with why."""
    from awesomerge.plugin_flags import options_of, plugin_flags, provided

    plugins = _load(plugins_dirs, strict_plugins)
    build = cast(_BuildCommand, build_command)  # the decorator made it one (cls=_BuildCommand)
    _, flag_problems = plugin_flags(plugins, build.taken(_HELP_NAMES))
    if as_json:
        data = {
            "plugins": [
                {
                    "name": info.name,
                    "version": info.version,
                    "origin": info.origin,
                    "sources": list(info.sources),
                    "reads": {name: list(plugins.sources[name].suffixes) for name in info.sources},
                    "outputs": list(info.outputs),
                    "options": {
                        f"{kind}:{name}": options_of(plugin)
                        for kind, name, plugin in provided(plugins, info)
                        if options_of(plugin)
                    },
                }
                for info in plugins.plugins
            ],
            "failures": [
                {"name": failure.name, "origin": failure.origin, "reason": failure.reason}
                for failure in plugins.failures
            ],
            "flag_problems": flag_problems,
        }
        click.echo(json.dumps(data, indent=2))
        return
    for info in plugins.plugins:
        provides = [f"source {name}{_reads(plugins.sources[name])}" for name in info.sources]
        provides += [f"output {name}" for name in info.outputs]
        click.echo(f"{info.name} {info.version or ''}".rstrip())
        click.echo(f"    from: {info.origin}")
        click.echo(f"    provides: {', '.join(provides) or 'nothing'}")
        for _, name, plugin in provided(plugins, info):
            for key, option in options_of(plugin).items():
                flag = f", {option['flag']}" if option["flag"] else ""
                click.echo(
                    f"    option {name}.{key}: {option['type']}, "
                    f"default {json.dumps(option['default'])}{flag}"
                )
    for failure in plugins.failures:
        click.echo(f"FAILED {failure.name}")
        click.echo(f"    from: {failure.origin}")
        click.echo(f"    why: {failure.reason}")
    for problem in flag_problems:  # as build warns of them
        click.echo(f"warning: {problem}", err=True)


def _reads(source: Source) -> str:
    """ " (reads *.html, *.htm)" for a source of other file types than Markdown and text."""
    from awesomerge.reading import INPUT_SUFFIXES

    if tuple(source.suffixes) == INPUT_SUFFIXES:
        return ""
    return f" (reads {', '.join(f'*{suffix}' for suffix in source.suffixes)})"


@cli.command("explain")
@click.argument(
    "paths",
    metavar="PATH...",
    nargs=-1,
    required=True,
    type=click.Path(exists=True, path_type=Path),
)
@click.option("--format", "explicit_format", metavar="NAME", help="Pretend --format NAME.")
@plugin_options
def explain_command(
    paths: tuple[Path, ...],
    explicit_format: str | None,
    plugins_dirs: tuple[Path, ...],
    strict_plugins: bool,
) -> None:
    """Show which source format claims each file and why: every candidate's score and the choice.

    A PATH is a file or a folder; a folder is searched as build searches it, and every input
    file in it is explained, with the awesomerge.toml files build would apply. An unreadable
    file is reported and the others are still explained; the exit status is then 1.
    """
    from awesomerge.errors import ConfigError, InputError
    from awesomerge.reading import find_inputs
    from awesomerge.report import EXIT_REJECTED
    from awesomerge.settings import input_roots, load_settings

    plugins = _load(plugins_dirs, strict_plugins)
    _check_format(plugins, explicit_format)
    working = Path.cwd().resolve()
    failed = False
    for number, path in enumerate(paths):
        if path.is_dir():
            root = path
        else:
            root = working if path.resolve().is_relative_to(working) else path.parent
        try:
            files = find_inputs([path], suffixes=plugins.input_suffixes)
            settings = load_settings([file.path for file in files], input_roots([root]))
            settings.check_formats(plugins.sources)
            settings.check_plugins(plugins.sources, plugins.outputs)
        except (ConfigError, InputError) as error:
            raise click.UsageError(str(error)) from error
        if not files:
            raise click.UsageError(f"no {_endings(plugins)} files in {path}")
        for index, file in enumerate(files):
            if number or index:
                click.echo()
            try:
                _explain(file, plugins, settings, explicit_format)
            except (InputError, ConfigError) as error:
                click.echo(f"error: {error}", err=True)
                failed = True
    sys.exit(EXIT_REJECTED if failed else 0)


def _endings(plugins: Plugins) -> str:
    """The file endings a folder is searched for, as a reader writes them: "*.md or *.txt"."""
    patterns = [f"*{suffix}" for suffix in plugins.input_suffixes]
    return ", ".join(patterns[:-1]) + f" or {patterns[-1]}" if len(patterns) > 1 else patterns[0]


def _explain(
    file: InputFile, plugins: Plugins, settings: Settings, explicit_format: str | None
) -> None:
    """Print one file's scores and the format chosen for it."""
    from awesomerge.detect import THRESHOLD, choose_source, reads_bytes
    from awesomerge.reading import read_document

    file_settings = settings.for_file(file.path)
    binary = reads_bytes(file.display, plugins.sources, explicit_format or file_settings.format)
    document = read_document(
        file, encoding=file_settings.encoding, base_url=file_settings.base_url, binary=binary
    )
    choice = choose_source(document, plugins.sources, explicit_format or file_settings.format)
    click.echo(f"{file.display}")
    for name, score in sorted(choice.scores.items(), key=lambda pair: (-pair[1], pair[0])):
        mark = "*" if name == choice.source else " "
        click.echo(f"  {mark} {name:<20} {score:.2f}")
    click.echo(f"chosen: {choice.source} ({choice.reason}; threshold {THRESHOLD})")
    if choice.warning:
        click.echo(f"warning: {choice.warning}")


@cli.command("validate")
@click.argument("dataset", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def validate_command(dataset: Path) -> None:
    """Check a dataset file (awesomerge.json) against the published JSON Schema.

    Exit status 0 when it is valid, 1 when it is not.
    """
    from awesomerge.dataset_problems import dataset_problems
    from awesomerge.reading import display_path

    shown = display_path(dataset)
    try:
        data = json.loads(dataset.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        line = f":{error.lineno}" if isinstance(error, json.JSONDecodeError) else ""
        reason = error.msg if isinstance(error, json.JSONDecodeError) else str(error)
        click.echo(f"error: {shown}{line}: not valid JSON: {reason}", err=True)
        sys.exit(1)
    errors = list(dataset_problems(data))
    for message in errors[:_PROBLEMS_SHOWN]:
        click.echo(f"error: {shown}: {message}", err=True)
    if len(errors) > _PROBLEMS_SHOWN:
        click.echo(f"error: {shown}: ... and {len(errors) - _PROBLEMS_SHOWN} more", err=True)
    if errors:
        count = f"{len(errors)} error{'s' * (len(errors) != 1)}"
        click.echo(f"{shown}: invalid ({count})", err=True)
        sys.exit(1)
    assert isinstance(data, dict)
    entries = len(data.get("entries", []))
    sources = len(data.get("sources", []))
    click.echo(f"{shown}: valid ({sources} sources, {entries} entries)")


_PROBLEMS_SHOWN = 20
"""Problems printed by validate: a file of the wrong shape can have thousands."""


def _first_paragraph(text: str | None) -> str:
    paragraph = (text or "").strip().split("\n\n", 1)[0]
    return " ".join(paragraph.split())


# The list of commands in `awesomerge --help` shows each one's whole first paragraph, where
# click would cut it at 45 characters.
for _command in cli.commands.values():
    _command.short_help = _first_paragraph(_command.help)


def main() -> None:
    try:
        # standalone_mode=False: click would print "Aborted!" and exit 1 on Ctrl-C.
        status = cli.main(prog_name="awesomerge", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("error: interrupted", err=True)
        sys.exit(130)
    except click.ClickException as error:
        error.show()
        sys.exit(error.exit_code)
    except KeyboardInterrupt:
        click.echo("error: interrupted", err=True)
        sys.exit(130)
    finally:
        # The work is over, and its outputs are in place or were never touched. Ctrl-C while
        # Python shuts down (joining threads, freeing the dataset) ends the process at once,
        # rather than printing a traceback from the threading module.
        signal.signal(signal.SIGINT, signal.SIG_DFL)
    sys.exit(status if isinstance(status, int) else 0)

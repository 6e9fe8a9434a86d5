"""Finding, loading and registering plugins.

Plugins come from three places, loaded in this order and each one on its own, so that one that
fails is reported by name and the others keep working:

1. the built-in plugins in DEFAULT_PLUGINS, which use the same hooks as everyone else;
2. installed distributions that declare an entry point in the ``awesomerge`` group;
3. ``*.py`` files in a ``--plugins-dir`` folder, registered as ``local:<file stem>``.

`load_plugins` returns `Plugins`, a typed view of what loaded: the rest of awesomerge never
touches ``pm.hook`` and its untyped results.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.metadata
import importlib.util
import os
import sys
import traceback
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from types import ModuleType
from typing import Any

import pluggy

from awesomerge import hookspecs
from awesomerge.api import Output, Source
from awesomerge.cache import package_digest
from awesomerge.errors import PluginContractError, PluginError, PluginLoadError
from awesomerge.urls import clean_url

ENTRY_POINT_GROUP = "awesomerge"

DEFAULT_PLUGINS = (
    "awesomerge.sources.markdown_source",
    "awesomerge.sources.blog_post",
    "awesomerge.sources.gist",
    "awesomerge.sources.reference_list",
    "awesomerge.sources.readme_table",
    "awesomerge.sources.nested_list",
    "awesomerge.outputs.json_output",
    "awesomerge.outputs.review_output",
    "awesomerge.outputs.readme_output",
    "awesomerge.outputs.bibtex_output",
    "awesomerge.outputs.csl_output",
)


@dataclass(frozen=True)
class PluginInfo:
    """A plugin that loaded, and what it provides."""

    name: str
    version: str | None
    origin: str
    sources: tuple[str, ...] = ()
    outputs: tuple[str, ...] = ()


@dataclass(frozen=True)
class PluginFailure:
    """A plugin, or one thing it tried to register, that was left out, and why."""

    name: str
    origin: str
    reason: str

    def __str__(self) -> str:
        return f'plugin "{self.name}" ({self.origin}): {self.reason}'


@dataclass
class Plugins:
    """The loaded plugins: the sources and outputs they registered, and what failed."""

    sources: dict[str, Source] = field(default_factory=dict)
    outputs: dict[str, Output] = field(default_factory=dict)
    plugins: list[PluginInfo] = field(default_factory=list)
    failures: list[PluginFailure] = field(default_factory=list)
    provider: dict[str, str] = field(default_factory=dict)
    """Which plugin registered each source and output, by "source:NAME" or "output:NAME"."""
    manager: pluggy.PluginManager | None = None

    @property
    def input_suffixes(self) -> tuple[str, ...]:
        """The file endings a folder is searched for: every loaded source's, lower case."""
        found = {suffix.lower() for source in self.sources.values() for suffix in source.suffixes}
        return tuple(sorted(found))

    def url_rules(self) -> list[str]:
        """What the canonical URLs depend on besides the URL: each plugin that answers
        `canonical_url`, by name and the digest of its package's code."""
        hook = self.manager.hook.canonical_url if self.manager is not None else None
        rules = []
        for implementation in hook.get_hookimpls() if hook is not None else ():
            rules += [implementation.plugin_name, package_digest(implementation.function)]
        return rules

    def canonical_url(self, url: str) -> str:
        """The canonical URL: a plugin's answer for a site it knows, else awesomerge's own."""
        hook = self.manager.hook.canonical_url if self.manager is not None else None
        if hook is not None and hook.get_hookimpls():
            answer = hook(url=url)
            if isinstance(answer, str) and answer:
                return answer
        return clean_url(url)


@dataclass
class _Loaded:
    name: str
    version: str | None
    origin: str
    module: object


def load_plugins(
    plugins_dirs: Iterable[Path] = (),
    *,
    entry_points: bool = True,
    strict: bool = False,
    extra: Iterable[tuple[str, object]] = (),
) -> Plugins:
    """Load every plugin and collect what it registers.

    `extra` registers further plugin objects by name, for tests and embedding programs.
    With `strict`, the first failure raises PluginError instead of being recorded. Setting
    AWESOMERGE_DISABLE_PLUGIN_AUTOLOAD=1 leaves installed (entry-point) plugins out.
    """
    if os.environ.get("AWESOMERGE_DISABLE_PLUGIN_AUTOLOAD") == "1":
        entry_points = False
    from awesomerge import __version__

    manager = pluggy.PluginManager("awesomerge")
    manager.add_hookspecs(hookspecs)
    result = Plugins(manager=manager)
    loaded: list[_Loaded] = []

    def fail(name: str, origin: str, reason: str, error_type: type[PluginError]) -> None:
        if strict:
            raise error_type(name, reason)
        result.failures.append(PluginFailure(name, origin, reason))

    def attempt(name: str, origin: str, version: str | None, load: Callable[[], object]) -> None:
        taken = next((plugin for plugin in loaded if plugin.name == name), None)
        if taken is not None:
            reason = f'a plugin named "{name}" is already loaded ({taken.origin}); left out'
            fail(name, origin, reason, PluginContractError)
            return
        module: object = None
        try:
            module = load()
            manager.register(module, name=name)
        except (Exception, SystemExit) as error:
            if module is not None and manager.is_registered(module):
                manager.unregister(module)
            fail(name, origin, _describe(error), PluginLoadError)
            return
        loaded.append(_Loaded(name, version, origin, module))

    for module_name in DEFAULT_PLUGINS:
        attempt(module_name, "built-in", __version__, partial(importlib.import_module, module_name))
    for name, plugin in extra:
        attempt(name, "registered in process", None, partial(_identity, plugin))
    if entry_points:
        for entry_point in _entry_points():
            dist = entry_point.dist
            version = dist.version if dist is not None else None
            origin = f"entry point of {dist.name if dist is not None else '?'} {version or ''}"
            attempt(entry_point.name, origin.strip(), version, entry_point.load)
    for folder in plugins_dirs:
        # Files starting with "_" are helpers of the plugins, not plugins.
        for path in sorted(Path(folder).glob("[!_]*.py")):
            attempt(f"local:{path.stem}", f"plugins dir {path}", None, partial(load_drop_in, path))

    for _ in list(loaded):  # each pass drops one plugin that uses an unknown hook
        try:
            manager.check_pending()
        except pluggy.PluginValidationError as error:
            culprit = next((p for p in loaded if p.module is error.plugin), None)
            if culprit is None:
                raise
            manager.unregister(culprit.module)
            loaded.remove(culprit)
            fail(culprit.name, culprit.origin, str(error), PluginContractError)
        else:
            break

    _collect(manager, loaded, result, fail)
    return result


def _entry_points() -> list[importlib.metadata.EntryPoint]:
    found = importlib.metadata.entry_points(group=ENTRY_POINT_GROUP)
    return sorted(found, key=lambda ep: (ep.dist.name if ep.dist else "", ep.name))


def _identity(plugin: object) -> object:
    return plugin


def load_drop_in(path: Path) -> ModuleType:
    """Load a drop-in plugin file as a fresh module, without touching sys.path."""
    folder_hash = hashlib.sha256(str(path.resolve().parent).encode()).hexdigest()[:8]
    module_name = f"awesomerge_local_{path.stem}_{folder_hash}"
    spec = importlib.util.spec_from_file_location(module_name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[module_name]
        raise
    return module


def _describe(error: BaseException) -> str:
    """One line: the exception and where in the plugin's code it was raised."""
    frames = traceback.extract_tb(error.__traceback__)
    where = f" (at {frames[-1].filename}:{frames[-1].lineno})" if frames else ""
    return f"{type(error).__name__}: {error}{where}"


def _collect(
    manager: pluggy.PluginManager,
    loaded: list[_Loaded],
    result: Plugins,
    fail: Callable[[str, str, str, type[PluginError]], None],
) -> None:
    """Call each plugin's register hooks on their own, so a failure is blamed on its plugin."""
    hooks: list[tuple[str, str, type[Any], dict[str, Any]]] = [
        ("register_sources", "source", Source, result.sources),
        ("register_outputs", "output", Output, result.outputs),
    ]
    for plugin in loaded:
        others = [other.module for other in loaded if other is not plugin]
        provided: dict[str, list[str]] = {"source": [], "output": []}
        for hook_name, kind, base, registry in hooks:
            registered: list[type[Any]] = []
            try:
                returned = manager.subset_hook_caller(hook_name, remove_plugins=others)(
                    register=registered.append
                )
            except Exception as error:
                fail(plugin.name, plugin.origin, f"{hook_name}: {_describe(error)}", PluginError)
                continue
            if any(value is not None for value in returned):
                reason = f"{hook_name} returned a value; call register(cls) for each class instead"
                fail(plugin.name, plugin.origin, reason, PluginContractError)
            for cls in registered:
                problem = _check_class(cls, kind, base, registry, result)
                if problem:
                    fail(plugin.name, plugin.origin, problem, PluginContractError)
                    continue
                try:
                    instance = cls()
                except Exception as error:
                    reason = f"{cls.__name__}() raised {_describe(error)}"
                    fail(plugin.name, plugin.origin, reason, PluginError)
                    continue
                registry[cls.name] = instance
                result.provider[f"{kind}:{cls.name}"] = plugin.name
                provided[kind].append(cls.name)
        result.plugins.append(
            PluginInfo(
                name=plugin.name,
                version=plugin.version,
                origin=plugin.origin,
                sources=tuple(provided["source"]),
                outputs=tuple(provided["output"]),
            )
        )


def _check_class(
    cls: object, kind: str, base: type[Any], registry: Mapping[str, object], result: Plugins
) -> str | None:
    """Why a registered class cannot be used, or None when it can."""
    if not (isinstance(cls, type) and issubclass(cls, base)):
        return (
            f"registered {cls!r} as a {kind}, "
            f"but it is not a subclass of awesomerge.{base.__name__}"
        )
    name = getattr(cls, "name", None)
    if not isinstance(name, str) or not name:
        return f"{kind} class {cls.__name__} has no `name`"
    if name in registry:
        owner = result.provider.get(f"{kind}:{name}", "?")
        return f'{kind} "{name}" is already provided by plugin "{owner}"; this one was left out'
    if base is Source:
        return _suffix_problem(name, getattr(cls, "suffixes", None))
    if base is Output:
        filename = getattr(cls, "filename", None)
        if not isinstance(filename, str) or not filename:
            return f"output class {cls.__name__} has no `filename`"
        if Path(filename).name != filename or filename.startswith("."):
            return f'output "{name}" has filename "{filename}"; it must be a plain file name'
        for other_name, other in result.outputs.items():
            if other.filename == filename:
                owner = result.provider.get(f"output:{other_name}", "?")
                return (
                    f'output "{name}" writes {filename}, which output "{other_name}" of plugin '
                    f'"{owner}" already writes; this one was left out'
                )
    return None


def _suffix_problem(name: str, suffixes: object) -> str | None:
    """Why a source's `suffixes` cannot be used, or None when they can."""
    if not isinstance(suffixes, tuple) or not suffixes:
        return f'source "{name}" has suffixes {suffixes!r}; give a tuple such as (".opml",)'
    for suffix in suffixes:
        if not isinstance(suffix, str) or not suffix.startswith(".") or len(suffix) < 2:
            return f'source "{name}" has suffix {suffix!r}; a suffix starts with "." (".opml")'
        if "/" in suffix or "\\" in suffix or "*" in suffix:
            return f'source "{name}" has suffix {suffix!r}; a suffix is a file name ending'
    return None

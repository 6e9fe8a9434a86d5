"""Errors awesomerge reports to people.

Every message names the file, and the line where one is known, and says what to do::

    AwesomergeError
    ├── InputError             an input file cannot be read; the other inputs still merge
    │   └── PluginInputError   a plugin misbehaved on it (raised, returned the wrong type)
    ├── ConfigError            awesomerge.toml or a command-line choice is wrong
    └── PluginError            a plugin misbehaved; blamed on the plugin by name
        ├── PluginLoadError    it could not be imported or registered
        └── PluginContractError  it broke the plugin contract (duplicate name, wrong types)
"""

from __future__ import annotations


class AwesomergeError(Exception):
    """Base of every error awesomerge raises on purpose."""


class InputError(AwesomergeError):
    """An input file was rejected; the build goes on without it."""

    def __init__(self, path: str, message: str, line: int | None = None) -> None:
        self.path = path
        self.line = line
        self.reason = message
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {message}")

    def __reduce__(self) -> tuple[object, ...]:
        # Rebuilt from its own fields when it travels back from a worker process.
        return (type(self), (self.path, self.reason, self.line))


class PluginInputError(InputError):
    """A plugin misbehaved on one input: the input is rejected and the plugin is blamed.

    With --strict-plugins it stops the build instead.
    """

    def __init__(self, path: str, plugin: str, message: str) -> None:
        self.plugin = plugin
        self.problem = message
        super().__init__(path, f'plugin "{plugin}" {message}')

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.path, self.plugin, self.problem))


class ConfigError(AwesomergeError):
    """The configuration or the command line asks for something that cannot be done."""


class PluginError(AwesomergeError):
    """A plugin misbehaved."""

    def __init__(self, plugin: str, message: str) -> None:
        self.plugin = plugin
        self.reason = message
        super().__init__(f'plugin "{plugin}": {message}')


class PluginLoadError(PluginError):
    """A plugin could not be imported or registered."""


class PluginContractError(PluginError):
    """A plugin broke the contract: a duplicate name, a wrong type, an unknown hook."""

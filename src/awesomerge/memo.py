"""`cached`: a property computed on first access and kept in the instance, without a lock.

It does what `functools.cached_property` does. Until Python 3.12, that one takes a lock on
every first access, to guard against two threads computing a value at once; the merge makes
hundreds of thousands of first accesses (each title's words, key and parts), in one thread,
and the lock was a tenth of the title pass.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar, overload

_T = TypeVar("_T")


class cached(Generic[_T]):  # lower case: a decorator, like property
    """Decorates a method of one argument: its result becomes the attribute's value, kept in the
    instance's ``__dict__`` (so a frozen dataclass may use it, as with cached_property)."""

    def __init__(self, function: Callable[[Any], _T]) -> None:
        self.function = function
        self.name = function.__name__
        self.__doc__ = function.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, instance: None, owner: type | None = None) -> cached[_T]: ...
    @overload
    def __get__(self, instance: object, owner: type | None = None) -> _T: ...

    def __get__(self, instance: object | None, owner: type | None = None) -> _T | cached[_T]:
        if instance is None:
            return self
        # The instance's own attribute hides this descriptor from then on.
        value = instance.__dict__[self.name] = self.function(instance)
        return value

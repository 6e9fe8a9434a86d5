"""What a build tells while it runs: the stage it is in, how far along it is, how long each took.

The build calls `Stages`; a `Display` (the command line's progress bar, or nothing) shows it.
Timings are kept whatever the display, for ``awesomerge build --timings`` and the benchmarks.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Protocol


class Display(Protocol):
    """Something that shows a build's progress to a person."""

    def stage(self, name: str, total: int | None, detail: str) -> None:
        """A stage begins; `total` is how many steps it has, when that is known, and `detail`
        says what it works on."""

    def advance(self, steps: int, detail: str) -> None:
        """Steps of the current stage are done; `detail` names the last one."""

    def close(self) -> None:
        """The build is over: take the display away."""


@dataclass
class Stages:
    """The stages of one build, timed in wall-clock seconds, in the order they ran."""

    display: Display | None = None
    timings: dict[str, float] = field(default_factory=dict)
    _current: str | None = None
    _started: float = 0.0

    def start(self, name: str, total: int | None = None, detail: str = "") -> None:
        """Begin a stage, ending the one before; a stage run twice adds up its times."""
        self.stop()
        self._current, self._started = name, time.perf_counter()
        if self.display is not None:
            self.display.stage(name, total, detail)

    def advance(self, steps: int = 1, detail: str = "") -> None:
        if self.display is not None:
            self.display.advance(steps, detail)

    def stop(self) -> None:
        if self._current is not None:
            spent = time.perf_counter() - self._started
            self.timings[self._current] = self.timings.get(self._current, 0.0) + spent
            self._current = None

    def close(self) -> None:
        """The build is over: end the last stage and take the display away."""
        self.stop()
        if self.display is not None:
            self.display.close()

    def table(self) -> list[str]:
        """The timings as lines of text: each stage's seconds and share of the whole."""
        total = sum(self.timings.values()) or 1.0
        width = max((len(name) for name in self.timings), default=5)
        lines = [
            f"  {name:<{width}}  {seconds:7.2f} s  {100 * seconds / total:3.0f}%"
            for name, seconds in self.timings.items()
        ]
        return [*lines, f"  {'total':<{width}}  {sum(self.timings.values()):7.2f} s  100%"]

"""What a build shows on a terminal while it runs: a progress bar for each stage."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console


class ProgressBar:
    """The progress display on a terminal: the stage, a bar, the count and the last step.

    It appears once a stage has run for DELAY seconds, so a quick build prints nothing but
    its summary, and it is redrawn at most every REFRESH seconds, from the build's own thread.
    """

    DELAY = 0.3
    REFRESH = 0.1

    def __init__(self, console: Console) -> None:
        from rich.progress import BarColumn, Progress, TextColumn

        self.progress = Progress(
            TextColumn("{task.fields[stage]}"),
            BarColumn(),
            TextColumn("{task.fields[count]}"),
            TextColumn("{task.description}"),
            console=console,
            transient=True,
            auto_refresh=False,  # no drawing thread, so worker processes fork from one thread
        )
        self.task: Any = None
        self.began = time.monotonic()
        self.drawn = 0.0
        self.shown = False

    def stage(self, name: str, total: int | None, detail: str) -> None:
        # A new task for each stage: one without a total pulses instead of counting.
        if self.task is not None:
            self.progress.remove_task(self.task)
        count = f"0/{total}" if total else ""
        self.task = self.progress.add_task(detail, total=total, stage=name, count=count)
        self._draw()

    def advance(self, steps: int, detail: str) -> None:
        self.progress.update(self.task, advance=steps, description=detail)
        task = self.progress.tasks[-1]
        if task.total:
            self.progress.update(self.task, count=f"{int(task.completed)}/{int(task.total)}")
        self._draw()

    def _draw(self) -> None:
        now = time.monotonic()
        if now - self.drawn < self.REFRESH or now - self.began < self.DELAY:
            return
        if not self.shown:
            self.progress.start()
            self.shown = True
        self.progress.refresh()
        self.drawn = now

    def close(self) -> None:
        if self.shown:
            self.progress.stop()
            self.shown = False

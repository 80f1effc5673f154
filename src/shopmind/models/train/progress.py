"""Progress for long training runs: a rich bar with epoch, step and loss, or silence.

When stderr is not a terminal (CI logs, ``2> file``) a live bar would only appear at the end,
so a plain line is printed every tenth of the way instead.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Protocol

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)


class StepUpdate(Protocol):
    def __call__(
        self, *, advance: int = 1, description: str | None = None, loss: float | None = None
    ) -> None: ...


class Reporter:
    """Messages and step bars on stderr; ``enabled=False`` keeps tests and JSON output clean."""

    def __init__(self, console: Console | None = None, *, enabled: bool = True) -> None:
        self.console = console or Console(stderr=True)
        self.enabled = enabled

    def note(self, message: str) -> None:
        if self.enabled:
            self.console.print(f"[dim]{message}[/]", highlight=False)

    @contextmanager
    def steps(self, description: str, total: int) -> Iterator[StepUpdate]:
        """A bar of ``total`` steps; the yielded function advances it and shows the loss."""
        if not self.enabled:
            yield _ignore
        elif not self.console.is_terminal:
            with self._lines(description, total) as update:
                yield update
        else:
            with self._bar(description, total) as update:
                yield update

    @contextmanager
    def _bar(self, description: str, total: int) -> Iterator[StepUpdate]:
        columns = (
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[loss]}"),
            TimeElapsedColumn(),
            TextColumn("eta"),
            TimeRemainingColumn(),
        )
        with Progress(*columns, console=self.console, transient=False) as bar:
            task = bar.add_task(description, total=total, loss="")

            def update(
                *, advance: int = 1, description: str | None = None, loss: float | None = None
            ) -> None:
                if loss is None:
                    bar.update(task, advance=advance, description=description)
                else:
                    bar.update(
                        task, advance=advance, description=description, loss=f"loss {loss:.4f}"
                    )

            yield update

    @contextmanager
    def _lines(self, description: str, total: int) -> Iterator[StepUpdate]:
        every = max(1, total // 10)
        counts = {"done": 0, "next": every}
        label = [description]
        started = time.perf_counter()

        def update(
            *, advance: int = 1, description: str | None = None, loss: float | None = None
        ) -> None:
            counts["done"] += advance
            label[0] = description or label[0]
            if counts["done"] < counts["next"] and counts["done"] < total:
                return
            counts["next"] += every
            elapsed = time.perf_counter() - started
            shown = "" if loss is None else f" loss {loss:.4f}"
            self.note(f"{label[0]}: {counts['done']}/{total}{shown} ({elapsed:.0f} s)")

        yield update


def _ignore(*, advance: int = 1, description: str | None = None, loss: float | None = None) -> None:
    return None

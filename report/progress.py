"""What a long build is doing, on a terminal: the stage that runs and, while a report laid
out in parts is laid out, how many parts are done (rich's status line, on stderr). Nothing
when the output is not a terminal, so scripts and logs get the result line alone."""

from __future__ import annotations

import sys
from types import TracebackType
from typing import Any, TextIO

from report.timings import Timings


class Progress:
    def __init__(self, stream: TextIO | None = None) -> None:
        from rich.console import Console

        self.console = Console(file=stream or sys.stderr)
        self.status: Any = None
        self.stage = ""

    def __enter__(self) -> Progress:
        self.status = self.console.status("reading the project", spinner="line")
        self.status.start()
        return self

    def __call__(self, event: str, name: str, done: int, total: int) -> None:
        if event == "stage":
            self.stage = name
            self.status.update(name)
        elif event == "parts" and total:
            self.status.update(f"{self.stage or 'layout'}: {done} of {total} parts laid out")

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.status.stop()


def wanted(quiet: bool, stream: TextIO | None = None) -> bool:
    """A display only for a person: not with --quiet, and only on a terminal."""
    stream = stream or sys.stderr
    return not quiet and hasattr(stream, "isatty") and stream.isatty()


def stage_times(timings: Timings) -> str:
    """`-v`: the seconds of each stage, in the order they ran."""
    return "\n".join(f"  {name:<20}{seconds:7.2f} s" for name, seconds in
                     timings.stages.items())

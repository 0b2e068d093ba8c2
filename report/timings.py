"""Seconds spent in each stage of a build, for `report build -v` and `make bench`; and what
the build is doing now, for a progress display (`observer`)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

# told `("stage", name, 0, 0)` as a stage starts, `("parts", "", done, total)` as the chunks
# of a report laid out in parts are done
Observer = Callable[[str, str, int, int], None]


@dataclass
class Timings:
    stages: dict[str, float] = field(default_factory=dict)
    # a report laid out in parts: chunks in the last round, and chunks laid out (not cached)
    # over all rounds
    parts: dict[str, int] = field(default_factory=dict)
    observer: Observer | None = None

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        self.tell("stage", name)
        start = time.perf_counter()
        try:
            yield
        finally:
            self.stages[name] = self.stages.get(name, 0.0) + time.perf_counter() - start

    def tell(self, event: str, name: str = "", done: int = 0, total: int = 0) -> None:
        """Tell the observer, if any; a display's fault never stops a build."""
        if self.observer is not None:
            try:
                self.observer(event, name, done, total)
            except Exception:  # noqa: BLE001 (a progress display is never worth a build)
                self.observer = None

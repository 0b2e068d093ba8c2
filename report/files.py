"""Writing files so that a failed or interrupted build never leaves a half-written one: write
beside the target, then rename over it (atomic on one file system)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO


def write_atomically(target: Path, write: Callable[[BinaryIO], object]) -> None:
    """Call `write` with an open binary file; the target appears only if it succeeds."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp")
    try:
        with tmp.open("wb") as stream:
            write(stream)
        tmp.replace(target)
    finally:
        tmp.unlink(missing_ok=True)


def write_text(target: Path, text: str) -> None:
    write_atomically(target, lambda stream: stream.write(text.encode("utf-8")))

"""Writing files so that a failed or interrupted build never leaves a half-written one: write
beside the target, then rename over it (atomic on one file system)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path, PurePosixPath
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


class NotInProject(Exception):
    """A path a project names that a build may not read; `reason` says why: "outside" (an
    absolute path, `..`, a URL), "link" (a symbolic link leading out), "missing"."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def project_file(root: Path, name: str) -> Path:
    """The file `name` (a relative path, `/` or `\\` separated) inside the project at `root`,
    after following links; NotInProject otherwise."""
    parts = PurePosixPath(name.replace("\\", "/")).parts
    if not parts or name.startswith(("/", "\\")) or ".." in parts or re.match(r"\w+:", name):
        raise NotInProject("outside")
    root = root.resolve()
    path = root.joinpath(*parts).resolve()
    if not path.is_relative_to(root):
        raise NotInProject("link")
    if not path.is_file():
        raise NotInProject("missing")
    return path


def not_in_project(reason: str, name: str, what: str, example: str) -> tuple[str, str]:
    """The message and hint for a path a project names that NotInProject refused: `what` it
    is ("image"), and an `example` of a good path."""
    if reason == "outside":
        return (f"The {what} `{name}` is outside the report project; a build reads only files "
                "inside the project folder.",
                f"Copy the {what} into the project and give its path relative to the project "
                f"folder: {example}.")
    if reason == "link":
        return (f"The {what} `{name}` leads outside the report project.",
                f"Copy the {what} itself into the project instead of linking to it.")
    return (f"The {what} `{name}` does not exist.",
            f"Give the path relative to the project folder, e.g. {example}.")


class NotText(Exception):
    """Bytes that are not UTF-8 text; `line` and `column` (from 1) of the first bad byte."""

    def __init__(self, line: int, column: int) -> None:
        super().__init__(f"not UTF-8 text at line {line}, column {column}")
        self.line, self.column = line, column


def decode_text(raw: bytes) -> str:
    """UTF-8 text (a byte-order mark dropped); NotText at a NUL byte (a binary file) or at a
    byte that is not UTF-8."""
    try:
        if b"\x00" in raw:
            at = raw.index(b"\x00")
            raise UnicodeDecodeError("utf-8", raw, at, at + 1, "NUL byte")
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise NotText(line, error.start - raw.rfind(b"\n", 0, error.start)) from None

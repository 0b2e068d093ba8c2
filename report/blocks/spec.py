"""What a kind of block is: one `BlockSpec` per kind, registered in report/blocks/__init__.py.

A spec names the block's model, the texts it contributes (parsed for citations, linted,
checked for safe links), what its template shows, its template and its CSS, and the checks
that concern the block as a whole. Everything else (the JSON Schema, the walks over a
project, the document model, the HTML) follows from the specs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from markupsafe import Markup

from report.blocks.base import Block

HERE = Path(__file__).parent
Steps = tuple[str | int, ...]  # a path inside the block's YAML, e.g. ("quote", "text")


@dataclass(frozen=True)
class Finding:
    """Something wrong with one block, before it is given its file, line and column."""

    path: Steps
    code: str  # a lint rule's name: the block may waive it with `allow:`
    message: str
    hint: str
    severity: Literal["error", "warning"] = "warning"
    value: str = ""


@dataclass(frozen=True, eq=False)  # one per file read: hashed by identity
class DataFile:
    """A file of the project that holds some of a block's texts (a table's CSV), so that a
    message about one of them names that file, line and column."""

    path: Path  # the file, resolved
    name: str  # its path inside the project, as messages name it
    steps: Steps  # the texts it holds are those under these steps, e.g. ("table", "csv")
    places: dict[Steps, tuple[int, int]]  # (line, column) of each, by its steps after `steps`


def _nothing(block: Any) -> Iterator[Any]:
    return iter(())


@dataclass(frozen=True)
class BlockSpec:
    kind: str  # the key that starts the block in YAML
    model: type[Block]
    texts: Callable[[Any], Iterator[tuple[Steps, str]]]  # every text field, in reading order
    # what the template shows besides `anchor` and `kind`: given the block, and a function
    # that gives the HTML of one of its texts (by its steps)
    view: Callable[[Any, Callable[[Steps], Markup]], dict[str, Any]]
    template: str  # beside the spec's module: report/blocks/NAME.html.j2
    css: str | None = None  # beside it too: report/blocks/NAME.css
    # source keys the block names outside citations (checked against sources.yaml)
    keys: Callable[[Any], Iterator[tuple[Steps, str]]] = field(default=_nothing)
    findings: Callable[[Any], Iterator[Finding]] = field(default=_nothing)
    rules: tuple[str, ...] = ()  # the codes of its findings, for `allow:` and the README
    # blocks of the kind are numbered in document order, called by this word of the report's
    # language (a key of report/document/words.py): "table" gives
    # "Table 1", "Table 2"; their view gets `number`, and a cross-reference prints "Table 2, p. 5"
    numbered: str | None = None
    # reads the project's files the block names (a table's CSV), given the block and the
    # project's root folder: the walk (report/project/walk.py) calls it each time it meets the
    # block; the block reads them the first time (so once per build), keeps what it read, and
    # reports what went wrong through `findings`. Gives the files its texts are written in.
    read: Callable[[Any, Path], tuple[DataFile, ...]] | None = None

    @property
    def template_name(self) -> str:
        """The name templates include it by; styles/templates/blocks/... overrides it."""
        return f"blocks/{self.template}"

    @property
    def css_path(self) -> Path | None:
        return HERE / self.css if self.css else None

"""One walk over a project's content: every block, text and event, with where it is written.

Checks, lint, the document model, the chronology's export and the id rules all walk the
same way, through these functions, so a new kind of block (report/blocks/) is visited
everywhere by declaring its texts once.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from report.blocks import Block, BlockSpec, DataFile, spec_of
from report.blocks.base import Event
from report.problems import Location
from report.project.load import YamlFile
from report.project.schema import Section, Settings

Steps = tuple[Any, ...]


@dataclass(frozen=True)
class BlockAt:
    """A block, its section and its place in the file."""

    file: YamlFile
    section: Section
    number: int  # the section's number, from 1
    index: int  # the block's index in the section
    block: Block
    ordinal: int = 0  # numbered kinds (a table): its number among them, from 1; 0 for others
    files: tuple[DataFile, ...] = ()  # files of the project holding some of its texts (a CSV)

    @property
    def path(self) -> Steps:
        return ("blocks", self.index)

    @property
    def anchor(self) -> str:
        """The block's id in the HTML: its own id, or the section's and its number."""
        return self.block.id or f"{self.section.id}-{self.index + 1}"

    @property
    def spec(self) -> BlockSpec:
        return spec_of(self.block)

    def where(self, *steps: Any) -> Location:
        return self.file.where((*self.path, *steps))


@dataclass(frozen=True)
class TextAt:
    """A text field: its file, its path in the file, its source text and its block (None for
    the key facts of content/report.yaml)."""

    file: YamlFile
    path: Steps
    source: str
    block: BlockAt | None = None

    @property
    def waived(self) -> set[str]:
        return self.block.block.waived if self.block else set()


@dataclass(frozen=True)
class EventAt:
    block: BlockAt
    index: int
    event: Event

    @property
    def path(self) -> Steps:
        return (*self.block.path, "events", self.index)

    def where(self, *steps: Any) -> Location:
        return self.block.file.where((*self.path, *steps))


Sections = Iterable[tuple[YamlFile, Section]]


def blocks(sections: Sections) -> Iterator[BlockAt]:
    """Every block, in document order; blocks of a numbered kind (a table) numbered in it, and
    the files a block reads (a table's CSV) read the first time it is met."""
    counts: dict[str, int] = {}
    for number, (file, section) in enumerate(sections, start=1):
        for index, block in enumerate(section.blocks):
            spec = spec_of(block)
            ordinal = 0
            if spec.numbered:
                ordinal = counts[block.kind] = counts.get(block.kind, 0) + 1
            files = spec.read(block, project_root(file)) if spec.read else ()
            yield BlockAt(file, section, number, index, block, ordinal, files)


def project_root(file: YamlFile) -> Path:
    """The project's folder: a file's `name` is its path inside it (report/project/load.py)."""
    depth = len(PurePosixPath(file.name).parts)
    path = file.path.resolve()
    return path.parents[depth - 1] if 0 < depth <= len(path.parents) else path.parent


def text_place(at: BlockAt, steps: Steps) -> tuple[YamlFile, Steps]:
    """The file a text of the block is written in, and its path there: the block's YAML, or
    a file it reads (a CSV cell: that file, with its line and column)."""
    for data in at.files:
        if steps[:len(data.steps)] == data.steps:
            return _data_file(at.file.name, at.path, data), (at.file.name, *at.path, *steps)
    return at.file, (*at.path, *steps)


@functools.lru_cache(maxsize=64)
def _data_file(section: str, path: Steps, data: DataFile) -> YamlFile:
    # Paths begin with the section's file name: two tables may read the same CSV file.
    prefix = (section, *path, *data.steps)
    values = {(*prefix, *steps): place for steps, place in data.places.items()}
    return YamlFile(data.path, data.name, None, {prefix: (1, 1), **values})


def block_texts(at: BlockAt) -> Iterator[TextAt]:
    for steps, source in at.spec.texts(at.block):
        file, path = text_place(at, steps)
        yield TextAt(file, path, source, at)


def key_fact_texts(report: YamlFile, settings: Settings) -> Iterator[TextAt]:
    for i, fact in enumerate(settings.key_facts):
        if fact.text:
            yield TextAt(report, ("key-facts", i, "text"), fact.text)
        for j, figure in enumerate(fact.figures or []):
            if figure.cite:
                yield TextAt(report, ("key-facts", i, "figures", j, "cite"), figure.cite)


def events(sections: Sections) -> Iterator[EventAt]:
    """Every event, in document order."""
    for at in blocks(sections):
        for index, event in enumerate(at.block.events):
            yield EventAt(at, index, event)


def event_texts(at: EventAt) -> Iterator[TextAt]:
    yield TextAt(at.block.file, (*at.path, "text"), at.event.text, at.block)
    if at.event.cite:
        yield TextAt(at.block.file, (*at.path, "cite"), at.event.cite, at.block)

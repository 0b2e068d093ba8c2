"""Editions: one report, several PDFs (screen, archive, print). An edition adds CSS, options for
WeasyPrint's `write_pdf`, finishers run as the PDF is written, and steps run on the written
file. Modules that define an edition register it here with `register`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from report.layout.finishers import Finisher
from report.project.options import BuildContext


@dataclass(frozen=True)
class Edition:
    name: str
    description: str
    css: Callable[[BuildContext], str] = lambda ctx: ""
    pdf_options: Callable[[BuildContext], dict[str, Any]] = lambda ctx: {}
    finishers: Callable[[BuildContext], list[Finisher]] = lambda ctx: []
    # a second pass over the written file, in memory, before it replaces the previous output
    # (given the laid-out document and the bytes): the archive's metadata
    rewrite: Callable[[BuildContext, Any, bytes], bytes] | None = None
    after_write: Callable[[BuildContext], None] | None = None  # e.g. a manifest next to it
    default_output: str = "build/report.pdf"
    # laid out in parts, in parallel, with a cache (report/layout/parts.py); editions whose
    # finishers or PDF options need the whole document at once say False
    in_parts: bool = False


EDITIONS: dict[str, Edition] = {}


def register(edition: Edition) -> Edition:
    EDITIONS[edition.name] = edition
    return edition


STANDARD = register(Edition("standard", "the reading edition: A4 or Letter, for screens and "
                                        "office printers", in_parts=True))


def get(name: str) -> Edition:
    _load_all()
    return EDITIONS[name]


def names() -> list[str]:
    _load_all()
    return sorted(EDITIONS)


def _load_all() -> None:
    """Import the modules that register editions (kept lazy: start-up stays cheap)."""
    import importlib

    for module in ("report.editions.archive", "report.editions.printing"):
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as error:
            if error.name != module:
                raise

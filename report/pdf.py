"""Stage 6, PDF: WeasyPrint lays out the HTML; the layout is checked before anything is written.

WeasyPrint can print a footnote call and silently drop its body (upstream issue #2502), so
after layout every call is matched with its body, which must be on the call's page or the
next; a lost note fails the build with its text and page.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from weasyprint import HTML
from weasyprint.document import Document
from weasyprint.text.fonts import FontConfiguration

from report.postprocess import Finisher
from report.problems import Location, Problem

_FONT_CONFIG: FontConfiguration | None = None


def font_config() -> FontConfiguration:
    """One FontConfiguration per process: building it costs a fontconfig scan."""
    global _FONT_CONFIG
    if _FONT_CONFIG is None:
        _FONT_CONFIG = FontConfiguration()
    return _FONT_CONFIG


def layout(html: str, base: Path) -> Document:
    return HTML(string=html, base_url=str(base) + os.sep).render(font_config=font_config())


def _boxes(box: Any) -> Iterator[Any]:
    yield box
    for child in getattr(box, "children", ()):
        yield from _boxes(child)


@dataclass(frozen=True)
class NotePlacement:
    id: str
    call_page: int  # 1-based
    body_page: int | None
    text: str


def note_placements(document: Document) -> list[NotePlacement]:
    """Where each footnote call and body landed, from WeasyPrint's page boxes."""
    calls: dict[str, tuple[int, str]] = {}
    bodies: dict[str, int] = {}
    for number, page in enumerate(document.pages, start=1):
        root, *areas = page._page_box.children
        for box in _boxes(root):
            note = getattr(box, "footnote", None)
            if note is not None and note.element is not None:
                note_id = note.element.get("id") or ""
                calls.setdefault(note_id, (number, "".join(note.element.itertext())))
        for area in areas:
            for box in _boxes(area):
                element = getattr(box, "element", None)
                if element is not None and "footnote" in (element.get("class") or "").split():
                    bodies.setdefault(element.get("id") or "", number)
    return [NotePlacement(i, page, bodies.get(i), text) for i, (page, text) in calls.items()]


def check_notes(document: Document) -> list[Problem]:
    problems = []
    for note in note_placements(document):
        if note.body_page is None or not 0 <= note.body_page - note.call_page <= 1:
            where = f"page {note.body_page}" if note.body_page else "nowhere"
            problems.append(Problem(
                Location("build"), f"The footnote called on page {note.call_page} was printed "
                f"{where}: “{note.text[:120]}”.",
                "This is a WeasyPrint layout fault (issue #2502). Shorten the note or the "
                "paragraph around it, or report it with the content that triggers it.",
                code="lost-footnote"))
    return problems


def write(document: Document, output: Path, finisher: Finisher,
          options: dict[str, Any] | None = None) -> None:
    """Write the PDF next to `output`, then rename: a failed build leaves the old file intact."""
    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = output.with_name(f".{output.name}.tmp")
    try:
        document.write_pdf(tmp, finisher=finisher, **(options or {}))
        tmp.replace(output)
    finally:
        tmp.unlink(missing_ok=True)



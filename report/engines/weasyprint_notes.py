"""The footnote area's height, added up note by note instead of laid out again for every note.

WeasyPrint 70 lays the whole footnote area of a page out again each time a note is added to
it (`LayoutContext._update_footnote_area`), to learn its height: a page with n notes costs
n(n+1)/2 note layouts. In the chronology of a 500-page dossier (15 notes a page) that is 64%
of the layout time. When the notes are plain blocks without vertical margins stacked in an
area without a maximum height, which is what the theme sets, the area's height is the sum of
the notes' heights, and a note's height depends only on the area's width: so each note is laid
out once, alone, and its height kept. In any other case WeasyPrint's own method runs.
tests/engines/test_weasyprint_notes.py lays out documents both ways and compares every page as
pixels.

Written against WeasyPrint 70.0 (`VERSION`, checked by report/engines/__init__.py: `install`,
before `install` here replaces the method): it relies on `LayoutContext`'s
`_update_footnote_area`, `current_footnote_area`, `current_page_footnotes`, `in_column` and
`page_bottom`, on `FootnoteAreaBox.copy_with_children`, and on
`formatting_structure.build.create_anonymous_boxes` and `layout.block.block_level_layout`.
"""

from __future__ import annotations

from math import inf
from typing import Any

from weasyprint.formatting_structure import build
from weasyprint.layout import LayoutContext
from weasyprint.layout.block import block_level_layout

from report.engines.versions import PINNED

PACKAGE = "weasyprint"
VERSION = PINNED[PACKAGE]  # the version this module was written against

ORIGINAL = LayoutContext._update_footnote_area


def _zero(value: Any) -> bool:
    return getattr(value, "value", value) == 0


def _simple(area: Any, notes: list[Any]) -> bool:
    if area.max_height != inf or not _zero(area.min_height):
        return False
    return all(note.style["footnote_display"] == "block" and _zero(note.style["margin_top"])
               and _zero(note.style["margin_bottom"]) for note in notes)


def _height(context: Any, area: Any, note: Any) -> float:
    # per page (each page has its own area, and perhaps its own width)
    heights = context.__dict__.setdefault("_report_note_heights", {})
    key = (id(note), id(area))
    found = heights.get(key)
    if found is None or found[0] is not note or found[1] is not area:
        alone = area.copy_with_children([note]).deepcopy()  # layout changes what it lays
        laid = block_level_layout(context, build.create_anonymous_boxes(alone), -inf, None,
                                  area.page)[0]
        found = (note, area, laid.height)
        heights[key] = found
    return float(found[2])


def update_footnote_area(self: Any) -> bool:
    area = self.current_footnote_area
    notes = self.current_page_footnotes
    if self.in_column or not notes or not _simple(area, notes):
        return bool(ORIGINAL(self))
    if area.height != "auto":
        self.page_bottom += area.margin_height()
    area.children = notes
    area.height = sum(_height(self, area, note) for note in notes)
    self.page_bottom -= area.margin_height()
    return False  # no maximum height: the notes never overflow the area


def install() -> None:
    """Replace WeasyPrint's method (report/engines/__init__.py checks the version first)."""
    LayoutContext._update_footnote_area = update_footnote_area


def uninstall() -> None:
    LayoutContext._update_footnote_area = ORIGINAL

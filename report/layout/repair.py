"""Repairing what WeasyPrint 70 loses: a footnote body dropped after an earlier note was pushed
to the next page (upstream #2502; rare, about one document in forty here). Starting the block
that calls the lost note on a new page lets both notes sit together; tests/test_pdf_notes.py
holds documents that lose a note and are repaired this way.
"""

from __future__ import annotations

import re
from typing import Any

from report.layout.engine import NotePlacement, check_notes, layout, note_placements
from report.problems import ReportError

# Block-level elements with an id: where a page can be made to break. A block kind's template
# (report/blocks/) puts its anchor on its outer element, which is one of these.
BLOCK = re.compile(r'<(?:p|blockquote|figure|div|li|dd|aside|section|table|ul|ol|dl|pre)\b'
                   r'[^>]*\bid="([^"]+)"')


def lost(placements: list[NotePlacement]) -> list[NotePlacement]:
    return [n for n in placements
            if n.body_page is None or not 0 <= n.body_page - n.call_page <= 1]


def enclosing_block(html: str, note_id: str) -> str | None:
    """The id of the innermost block with an id that opens before the note's call."""
    at = html.find(f'id="{note_id}"')
    if at < 0:
        return None
    blocks = list(BLOCK.finditer(html, 0, at))
    return blocks[-1].group(1) if blocks else None


def with_breaks(html: str, notes: list[NotePlacement]) -> tuple[str, list[str]] | None:
    """The HTML with each lost note's block starting a page; None when a block is unknown."""
    ids = []
    for note in notes:
        block = enclosing_block(html, note.id)
        if block is None:
            return None
        ids.append(block)
    rules = "".join(f"#{block} {{ break-before: page; }}" for block in dict.fromkeys(ids))
    return html.replace("</style>", f"/* repair: WeasyPrint #2502 */ {rules}</style>", 1), ids


def layout_repaired(html: str, root: Any, strict: bool = True) -> tuple[Any, str, list[str],
                                                                        list[Any]]:
    """Lay out; where WeasyPrint lost a footnote body, start its block on a new page and lay
    out again (at most three times). Returns the document, its HTML, the blocks moved and the
    problems of notes still lost; with `strict`, ReportError for those instead."""
    document = layout(html, root)
    moved: list[str] = []
    for _ in range(3):
        lost_notes = lost(note_placements(document))
        fixed = with_breaks(html, lost_notes) if lost_notes else None
        if fixed is None:
            break
        html, blocks = fixed
        moved += blocks
        document = layout(html, root)
    problems = check_notes(document)
    if problems and strict:
        raise ReportError(problems)
    return document, html, moved, problems

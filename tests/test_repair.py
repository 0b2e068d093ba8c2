"""A footnote body lost by WeasyPrint (#2502) is repaired: its block starts a new page."""

from __future__ import annotations

import re
from pathlib import Path

from report.layout.engine import check_notes, layout
from report.layout.repair import enclosing_block
from report.layout.driver import _layout_notes
from report.problems import Problem
from tests.test_pdf_notes import losing_document


def with_ids(html: str) -> str:
    count = iter(range(1, 1000))
    return re.sub(r"<p>", lambda _: f'<p id="p{next(count)}">', html)


def test_lost_notes_are_repaired_with_a_warning(tmp_path: Path) -> None:
    repaired = 0
    for seed in (17, 72, 83):  # documents that lose a note, found by search
        html = with_ids(losing_document("padding-top: 6pt", seed=seed, paragraphs=4).html)
        assert check_notes(layout(html, tmp_path)), f"seed {seed} no longer loses a note"
        warnings: list[Problem] = []
        document, fixed = _layout_notes(html, tmp_path, warnings)
        assert check_notes(document) == []
        assert "break-before: page" in fixed
        assert [w.code for w in warnings] == ["repaired-footnote"]
        repaired += 1
    assert repaired == 3


def test_enclosing_block() -> None:
    html = ('<section id="s"><p id="a">x</p><blockquote id="q"><p>y<span class="footnote" '
            'id="note-c2">n</span></p></blockquote>')
    assert enclosing_block(html, "note-c2") == "q"
    assert enclosing_block(html, "note-c9") is None

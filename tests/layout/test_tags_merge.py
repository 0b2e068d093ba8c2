"""Stage 6: a report laid out in parts has one structure tree, joined from the parts' trees by
report/layout/merge.py (report/layout/tags_merge.py), the same as the whole report's; the folios
laid over the joined pages are pagination artifacts."""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pytest

from report.layout import merge
from report.layout.engine import layout, write
from tests.layout import tagged_pdf
from tests.layout.tagged_pdf import FONT, shape

pytestmark = pytest.mark.skipif(FONT is None, reason="Noto Serif is not installed (make setup)")

SECTIONS = [
    '<section id="one"><h1>One</h1><p>First<span class="footnote" id="note-1">A note.</span> '
    'section, <a href="#two">to the second</a>.</p></section>',
    '<section id="two" style="break-before: page"><h2>Two</h2><p>Second<span class="footnote" '
    'id="note-2">Another note.</span> section, <a href="#one">to the first</a>.</p>'
    "<ul><li>An item</li></ul></section>",
]


def html(body: str, css: str = "") -> str:
    assert FONT is not None
    return ('<!DOCTYPE html><html lang="en"><head><style>@font-face { font-family: "T"; '
            f'src: url("{FONT.resolve().as_uri()}"); }}'
            "@page { size: 120mm 90mm; margin: 15mm; @top-right { content: 'Head' } }"
            "body { font: 10pt/1.3 'T'; } .footnote { float: footnote; font-size: 7pt; }"
            + css + "</style></head><body>" + body + "</body></html>")


def written(tmp_path: Path, name: str, body: str, tagged: bool = True, notes: int = 0,
            stubs: frozenset[str] = frozenset()) -> Path:
    """`body` written as a PDF; `notes`: the footnotes before it (a part counts on from them,
    report/layout/parts.py); `stubs`: anchors in other parts, standing in on the first page so
    that the links to them are kept (report/layout/workers.py)."""
    out = tmp_path / name
    css = f"html {{ counter-reset: footnote {notes}; }}" if notes else ""
    document = layout(html(body, css), tmp_path)
    document.pages[0].anchors.update({stub: (0, 0, 0, 0) for stub in stubs})
    write(document, out, lambda document, pdf: None, tagged=tagged)
    return out


def folios(tmp_path: Path, pages: int) -> Path:
    """A folio pass: otherwise empty pages with their numbers (report/layout/folios.py)."""
    out = tmp_path / "folios.pdf"
    body = "".join(f'<div style="break-before: page">{i}</div>' for i in range(1, pages + 1))
    css = "@page { @top-right { content: none } }"
    write(layout(html(body, css), tmp_path), out, lambda document, pdf: None, tagged=False)
    return out


def test_the_parts_trees_join_into_the_whole_reports(tmp_path: Path) -> None:
    whole = tagged_pdf.read(written(tmp_path, "whole.pdf", "".join(SECTIONS)))
    stubs = [frozenset({"two"}), frozenset({"one"})]
    pieces = [merge.Piece(written(tmp_path, f"part{i}.pdf", body, notes=i, stubs=stubs[i]),
                          stubs[i]) for i, body in enumerate(SECTIONS)]
    joined_path = tmp_path / "joined.pdf"
    merge.merge(pieces, joined_path, overlay=folios(tmp_path, 2), body_start=0, language="en")
    joined = tagged_pdf.read(joined_path)
    assert shape(joined) == shape(whole)
    assert tagged_pdf.problems(joined) == []
    # one parent tree: the second part's keys (its page's, then its link's) follow the first's
    assert joined.parent_tree == {0: 7, 1: None, 2: 9, 3: None}
    assert [a.struct_parent for a in joined.annotations] == [1, 3]
    with pikepdf.open(joined_path) as pdf:
        assert [int(page.obj.StructParents) for page in pdf.pages] == [0, 2]
        tree = pdf.Root.StructTreeRoot
        assert int(tree.ParentTreeNextKey) == 4
        assert [str(name) for name in tree.IDTree.Names[::2]] == ["note-1", "note-2"]
        assert bool(pdf.Root.MarkInfo.Marked)
    # the folios drawn over the joined pages: pagination artifacts, not text to read
    assert [(run.page, run.text) for run in joined.runs if run.artifact == {
        "Type": "/Pagination"}] == [(0, "1"), (1, "2")]


def test_an_untagged_part_is_laid_out_whole(tmp_path: Path) -> None:
    """A part from an older build's cache, written untagged: the join refuses it, so that the
    build lays the report out whole rather than write a PDF without a tree."""
    pieces = [merge.Piece(written(tmp_path, "a.pdf", SECTIONS[0]), frozenset()),
              merge.Piece(written(tmp_path, "b.pdf", SECTIONS[1], tagged=False), frozenset())]
    with pytest.raises(merge.NoFolios):
        merge.merge(pieces, tmp_path / "out.pdf", overlay=None, body_start=0, language="en")
    assert not (tmp_path / "out.pdf").exists()
    merge.merge(pieces, tmp_path / "untagged.pdf", overlay=None, body_start=0, language="en",
                tagged=False)
    with pikepdf.open(tmp_path / "untagged.pdf") as pdf:
        assert "/StructTreeRoot" not in pdf.Root

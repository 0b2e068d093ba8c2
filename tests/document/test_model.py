"""Stage 4, the document model: notes numbered in reading order, citations inside notes,
cross-references, and the HTML the templates make of them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from report.cli import main
from report.pipeline import check, prepare
from tests.conftest import BASE, make

SECTION_ONE = """id: one
title: One
blocks:
  - paragraph: >-
      Text [@doe-2001]. More^[A note citing [@doe-2001, p. 4].] See [@sec:two] and
      [see @ref:key-event].
  - paragraph: Again [@doe-2001, p. 9].
"""
SECTION_TWO = """id: two
title: Two
blocks:
  - paragraph: Second [@doe-2001].
    events:
      - {id: key-event, date: 1990-01-02, text: Something., cite: "[@doe-2001]"}
"""
SOURCES = ("- id: doe-2001\n  type: book\n  title: A book\n  author: [{family: Doe, given: Jane}]\n"
           "  publisher: Pub\n  issued: {date-parts: [[2001]]}\n")


def project(tmp_path: Path, report: str = BASE["content/report.yaml"]) -> Path:
    return make(tmp_path, {"content/report.yaml": report, "sources.yaml": SOURCES,
                           "content/sections/01-one.yaml": SECTION_ONE,
                           "content/sections/02-two.yaml": SECTION_TWO})


def notes(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<span class="footnote" id="note-(\w+)">(.*?)</span>(?!</span>)', html)


def test_notes_are_numbered_in_reading_order_with_citations_inside_notes(tmp_path: Path) -> None:
    checked = check(project(tmp_path))
    assert [(c.id, c.note, c.in_note) for c, _ in checked.collected.clusters] == [
        ("c1", 1, False), ("c2", 2, True), ("c3", 3, False), ("c4", 4, False), ("c5", 5, False)]
    html = prepare(tmp_path).html
    found = notes(html)
    assert [i for i, _ in found] == ["c1", "n2", "c3", "c4", "c5"]
    assert found[0][1] == "Jane Doe, <i>A Book</i> (Pub, 2001)."
    # a citation inside a note is part of its sentence: no second full stop
    assert found[1][1] == "A note citing Doe, <i>A Book</i>, 4."
    assert found[2][1] == "Doe, <i>A Book</i>, 9."


def test_cross_references(tmp_path: Path) -> None:
    html = prepare(project(tmp_path)).html
    assert ('See <a class="xref" href="#two">section 2, <span class="xref-page" '
            'data-target="#two" data-page-of="two">p.\u00a0</span></a>') in html
    assert 'see <a class="xref" href="#two-1"><span class="xref-page"' in html


def test_unknown_cross_reference_is_an_error_with_its_place(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make(project(tmp_path), {"content/sections/02-two.yaml":
                             SECTION_TWO.replace("Second [@doe-2001]", "See [@sec:tow]")})
    assert main(["check", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert out.startswith("content/sections/02-two.yaml:4:20  error    The cross-reference "
                          "`sec:tow` points at nothing.")
    assert "Did you mean `sec:two`" in out


def test_footnotes_per_section_restart(tmp_path: Path) -> None:
    from pypdf import PdfReader

    report = BASE["content/report.yaml"] + "footnotes: per-section\n"
    root = project(tmp_path, report)
    assert main(["build", str(root)]) == 0
    text = PdfReader(root / "build" / "report.pdf").pages[2].extract_text()
    # section one has notes 1-3, section two starts again at 1
    assert re.findall(r"^(\d)\. ", text, re.M) == ["1", "2", "3", "1"]
    # the body is numbered from 1 (front matter: i, ii), as its page labels say
    assert "section 2, p.\u00a01" in text and "see p.\u00a01" in text


def test_chronology_export(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import csv
    import io
    import json

    root = project(tmp_path)
    assert main(["chronology", str(root), "--format", "json"]) == 0
    [event] = json.loads(capsys.readouterr().out)
    assert event == {"id": "key-event", "edtf": "1990-01-02", "label": "2 January 1990",
                     "start": "1990-01-02", "end": "1990-01-02", "text": "Something.",
                     "sources": ["doe-2001"], "section": "two", "anchor": "two-1",
                     "file": "content/sections/02-two.yaml", "line": 6}
    out = tmp_path / "events.csv"
    assert main(["chronology", str(root), "--format", "csv", "-o", str(out)]) == 0
    [row] = list(csv.DictReader(io.StringIO(out.read_text())))
    assert (row["edtf"], row["sources"], row["anchor"]) == ("1990-01-02", "doe-2001", "two-1")

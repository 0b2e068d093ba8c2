"""Stage 4, the document model: notes numbered in reading order, citations inside notes,
cross-references, and the HTML the templates make of them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from report.cite.engine import find_style
from report.cli import main
from report.pipeline import check, prepare
from report.problems import Location
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
    # a citation inside a note is part of its sentence: in parentheses, as Pandoc prints it,
    # without a second full stop
    assert found[1][1] == "A note citing (Doe, <i>A Book</i>, 4)."
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


# --- citations in the text, as each family of styles puts them -------------------------------

PLACED = """id: one
title: One
blocks:
  - paragraph: >-
      National identity [@doe-2001]. Written after it.[@doe-2001] A “quote” [@doe-2001, p. 4].
      *Emphasis*[@doe-2001] and U.S.[@doe-2001] end (see [@doe-2001]). Why?[@doe-2001]
    events:
      - {date: 1990-01-02, text: Something happened., cite: "[@doe-2001]"}
      - {date: 1990-01-03, text: 'A stray quote."', cite: "[@doe-2001]"}
  - quote:
      text: Quoted words.
      cite: "[@doe-2001]"
"""
FACTS = """key-facts:
  - label: Fatalities
    figures:
      - {value: "48", attribution: Human Rights Watch, cite: "[@doe-2001]"}
"""


def placed(tmp_path: Path, style: str, more: str = "") -> str:
    report = f"title: T\ndate: 2020-01-02\ncitation-style: {style}\n{more}{FACTS}"
    return prepare(make(tmp_path, {"content/report.yaml": report, "sources.yaml": SOURCES,
                                   "content/sections/01-one.yaml": PLACED})).html


def plain(html: str) -> str:
    """The text with each citation as [its text]."""
    html = re.sub(r'<span class="(?:citation|footnote)" id="[\w-]+">(.*?)</span>', r"[\1]", html)
    return re.sub(r"<(?!/?sup)[^>]+>", "", html)


def test_author_date_citation_before_the_punctuation_with_one_space(tmp_path: Path) -> None:
    text = plain(placed(tmp_path, "apa"))
    assert "National identity [(Doe, 2001)]. Written after it [(Doe, 2001)]." in text
    # in an in-text style the citation follows the quotation, before the sentence's period
    assert "A “quote” [(Doe, 2001, p. 4)]." in text
    assert "Emphasis [(Doe, 2001)] and U.S. [(Doe, 2001)] end" in text  # an abbreviation stays
    # no space after an opening bracket; a question keeps its mark
    assert "end (see [(Doe, 2001)]). Why? [(Doe, 2001)]" in text
    # the chronology's entry as the text would have it; a quotation's citation after its words
    assert "Something happened [(Doe, 2001)]." in text
    assert "A stray quote.&quot; [(Doe, 2001)]" in text  # an entity's semicolon stays
    assert "Quoted words. [(Doe, 2001)]" in text


def test_superscript_citation_without_a_space_where_the_writer_put_it(tmp_path: Path) -> None:
    text = plain(placed(tmp_path, "american-medical-association"))
    assert "National identity[<sup>1</sup>]. Written after it.[<sup>1</sup>]" in text
    assert "Something happened.[<sup>1</sup>]" in text
    assert "Quoted words.[<sup>1</sup>]" in text
    html = placed(tmp_path, "american-medical-association")
    # the number belongs to the figure, as a note call does
    assert re.search(r'<span class="figure">48 \(Human Rights Watch\)<span class="citation" '
                     r'id="cite-c1"><sup>1</sup></span></span>', html)


def test_note_style_calls_after_the_punctuation_as_before(tmp_path: Path) -> None:
    text = plain(placed(tmp_path, "chicago-notes-bibliography"))
    assert "National identity.[Doe, A Book.] Written after it.[Doe, A Book.] A" in text
    assert "A “quote.”[Doe, A Book, 4.]" in text  # en-US: the period inside the quotation
    assert "Something happened.[" in text and "Quoted words.[" in text


def test_key_facts_figure_keeps_its_attribution_and_lets_the_citation_wrap(
        tmp_path: Path) -> None:
    html = placed(tmp_path, "apa")
    assert ('<span class="figure">48 (Human Rights Watch)</span> <span class="citation" '
            'id="cite-c1">(Doe, 2001)</span>') in html
    # a note style's call stays in the figure (unchanged)
    html = placed(tmp_path / "notes", "chicago-notes-bibliography")
    assert re.search(r'<span class="figure">48 \(Human Rights Watch\)<span class="footnote" '
                     r'id="note-c1">', html)


def test_no_second_period_after_a_citation_that_ends_with_one(tmp_path: Path) -> None:
    xml = find_style("apa", tmp_path, Location("test")).xml
    citation = xml.index("<citation")
    xml = xml[:citation] + xml[citation:].replace(
        '<layout delimiter="; " prefix="(" suffix=")">', '<layout delimiter="; " suffix=".">', 1)
    (tmp_path / "styles").mkdir(parents=True)
    (tmp_path / "styles" / "dotted.csl").write_text(xml, encoding="utf-8")
    text = plain(placed(tmp_path, "styles/dotted.csl"))
    assert "National identity [Doe, 2001.] Written after it [Doe, 2001.] A" in text


@pytest.mark.parametrize(("style", "setting", "titles"), [
    ("chicago-notes-bibliography", "", ["Books and reports", "Testimonies and other sources"]),
    ("chicago-notes-bibliography", "bibliography: single\n", [""]),
    ("apa", "", [""]),
    ("ieee", "", [""]),
    ("apa", "bibliography: grouped\n", ["Books and reports", "Testimonies and other sources"]),
])
def test_publications_list_grouped_or_single(tmp_path: Path, style: str, setting: str,
                                             titles: list[str]) -> None:
    sources = SOURCES + ("- id: roe-1990\n  type: interview\n  title: Testimony\n"
                         "  author: [{family: Roe, given: Ann}]\n")
    section = PLACED.replace("Quoted words.", "Quoted words [@roe-1990].")
    report = f"title: T\ndate: 2020-01-02\ncitation-style: {style}\n{setting}"
    prepared = prepare(make(tmp_path, {"content/report.yaml": report, "sources.yaml": sources,
                                       "content/sections/01-one.yaml": section}))
    assert [g.title for g in prepared.doc.bibliography] == titles
    listed = prepared.html[prepared.html.index('id="publications"'):]
    assert listed.count("<h3>") == len([t for t in titles if t])
    assert [e.id for g in prepared.doc.bibliography for e in g.entries][0] == "doe-2001"

"""Stage 6: the structure tree of whole reports, the repository's own and examples/udhr, built as
`report build` builds them (the standard edition, in parts where it can be), walked with
pikepdf (tests/layout/tagged_pdf.py) for what validators do not check, and checked by the
independent validator the project uses (page-validation) for what it does."""

from __future__ import annotations

from pathlib import Path

import page
import pikepdf
import pytest
from lxml import html as lxml_html
from weasyprint.formatting_structure.boxes import MarginBox, TableBox, TextBox

from report.engines.weasyprint import root_and_areas
from report.layout.engine import boxes, layout
from report.pipeline import Prepared, build
from report.project.options import BuildOptions
from tests.conftest import ROOT, copy_project
from tests.layout import tagged_pdf
from tests.layout.tagged_pdf import Node, Tagged

pytestmark = pytest.mark.slow

@pytest.fixture(scope="module", params=["baku", "udhr"])
def report(request: pytest.FixtureRequest,
           tmp_path_factory: pytest.TempPathFactory) -> tuple[Prepared, Tagged, Path]:
    folder = tmp_path_factory.mktemp(request.param)
    if request.param == "baku":
        project = copy_project(folder / "project")
    else:
        project = ROOT / "examples" / "udhr"
    out = folder / "report.pdf"
    prepared = build(project, out)
    return prepared, tagged_pdf.read(out), out


def body(html: str) -> lxml_html.HtmlElement:
    found = lxml_html.document_fromstring(html).find("body")
    assert found is not None
    return found


def test_every_piece_of_content_is_tagged_once_or_an_artifact(
        report: tuple[Prepared, Tagged, Path]) -> None:
    _, tagged, _ = report
    assert tagged_pdf.problems(tagged) == []


def test_the_reading_order_is_the_htmls(report: tuple[Prepared, Tagged, Path]) -> None:
    prepared, tagged, _ = report
    tree = tagged_pdf.normalise(tagged_pdf.reading_text(tagged))
    text = tagged_pdf.normalise(tagged_pdf.html_text(prepared.html))
    assert tree == text, tagged_pdf.first_difference(tree, text)


def test_words_are_heard_apart_across_line_ends(report: tuple[Prepared, Tagged, Path]) -> None:
    """Wherever the HTML's text has a space between two words, the tree has one too (or an
    element's edge): WeasyPrint draws no space where a line breaks, and without the ActualText
    the tree gives a line's last word and the next line's first as one word."""
    prepared, tagged, _ = report
    tree = tagged_pdf.word_starts(tagged_pdf.reading_text(tagged, marked=True))
    html = tagged_pdf.word_starts(tagged_pdf.html_text(prepared.html))
    assert len(tree) == len(html)
    text = tagged_pdf.normalise(tagged_pdf.html_text(prepared.html))
    joined = [text[max(0, i - 15):i + 15] for i, (t, h) in enumerate(zip(tree, html, strict=True))
              if h and not t]
    assert joined == []


def test_every_footnote_is_a_note_at_its_call(report: tuple[Prepared, Tagged, Path]) -> None:
    prepared, tagged, _ = report
    footnotes = {e.get("id"): tagged_pdf.normalise(e.text_content())
                 for e in body(prepared.html).find_class("footnote")}
    notes = {}
    for node in tagged.root.walk():
        if node.role == "Note":
            assert node.parent is not None and node.parent.role not in ("Document", "Sect")
            label = node.kids[0]
            assert isinstance(label, Node) and label.role == "Lbl"  # the call, where it is
            notes[node.attrs["ID"]] = tagged_pdf.normalise(tagged_pdf.reading_text(tagged, node))
    assert footnotes and notes == footnotes
    assert not any(node.role == "NonStruct" for node in tagged.root.walk())


def test_every_change_of_language_is_carried(report: tuple[Prepared, Tagged, Path]) -> None:
    prepared, tagged, _ = report
    expected = []
    for element in body(prepared.html).iter():
        parent = element.getparent()
        lang = element.get("lang")
        if lang and parent is not None and lang != (parent.xpath("ancestor-or-self::*[@lang]"
                                                                 "[1]/@lang") or [""])[0]:
            expected.append((lang, tagged_pdf.normalise(element.text_content())))
    assert expected
    found = [(node.attrs["Lang"], tagged_pdf.normalise(tagged_pdf.reading_text(tagged, node)))
             for node in tagged.root.walk() if "Lang" in node.attrs]
    assert found == expected


def test_every_link_is_one_link_element(report: tuple[Prepared, Tagged, Path]) -> None:
    prepared, tagged, _ = report
    links = [node for node in tagged.root.walk() if node.role == "Link"]
    assert len(links) == len(body(prepared.html).xpath(".//a[@href]"))
    # problems() checks the rest: each with its annotations, none inside another, every
    # annotation in one Link, with Contents


def test_every_margin_box_is_a_pagination_artifact(report: tuple[Prepared, Tagged, Path]) -> None:
    """The running heads and folios of every page, and the header rows a table repeats on its
    later pages, from an independent layout of the same HTML, are the page's pagination
    artifacts, and none of them is text to read."""
    prepared, tagged, _ = report
    document = layout(prepared.html, prepared.context.root)
    assert len(document.pages) == tagged.pages
    tables: set[object] = set()
    for number, laid in enumerate(document.pages):
        root, areas = root_and_areas(laid)
        margins = [box.text for area in areas if isinstance(area, MarginBox)
                   for box in boxes(area) if isinstance(box, TextBox)]
        for table in (box for box in boxes(root) if isinstance(box, TableBox)):
            if table.element in tables:
                margins += [box.text for group in table.children
                            if group.is_header or group.is_footer
                            for box in boxes(group) if isinstance(box, TextBox)]
            tables.add(table.element)
        artifacts = tagged_pdf.normalise("".join(
            run.text for run in tagged.runs if run.page == number and run.artifact
            and run.artifact["Type"] == "/Pagination"))
        assert all(tagged_pdf.normalise(text) in artifacts for text in margins), number
        assert len(artifacts) == sum(len(tagged_pdf.normalise(text)) for text in margins)


def test_headings_tables_figures_and_entries(report: tuple[Prepared, Tagged, Path]) -> None:
    prepared, tagged, _ = report
    html = body(prepared.html)
    nodes = list(tagged.root.walk())
    headings = [node.role for node in nodes if node.role[:1] == "H" and node.role[1:].isdigit()]
    assert headings[0] == "H1"  # and none skipped: problems()
    assert len(headings) == len(html.xpath(".//h1|.//h2|.//h3|.//h4|.//h5|.//h6"))
    assert [n.attrs.get("Scope") for n in nodes if n.role == "TH"] == [
        "Column" if (e.get("scope") or "col") == "col" else "Row" for e in html.iter("th")]
    assert all(node.kids and isinstance(node.kids[0], Node) and node.kids[0].role == "Caption"
               for node in nodes if node.role == "Table")
    assert [n.attrs.get("Alt") for n in nodes if n.role == "Figure"] == [
        e.get("alt") for e in html.iter("img")]
    assert sum(node.role == "BibEntry" for node in nodes) == len(html.find_class("csl-entry"))
    assert sum(node.role == "TOCI" for node in nodes) == len(html.xpath(".//nav//li"))


@pytest.mark.parametrize("profile", ["PDF_UA_1", "PDF_A_3A"])
def test_the_standard_edition_is_what_it_claims(report: tuple[Prepared, Tagged, Path],
                                               profile: str) -> None:
    """Joined from its parts, the standard edition claims PDF/A-3a and PDF/UA-1 as the
    archive does (report/editions/claims.py), and the validator agrees."""
    _, _, out = report
    with pikepdf.open(out) as pdf:
        meta = pdf.open_metadata()
        assert (meta.pdfa_status, meta.get("pdfuaid:part")) == ("3A", "1")
    result = page.validate_pdf(str(out), profile=getattr(page.ValidationProfile, profile))
    assert [(f.rule_id, f.message) for f in result.failures] == []
    assert result.is_compliant and result.rules.total > 100


def test_laid_out_in_parts_or_whole_the_tree_is_the_same(
        tmp_path: Path, report: tuple[Prepared, Tagged, Path]) -> None:
    prepared, tagged, _ = report
    whole = tmp_path / "whole.pdf"
    build(prepared.context.root, whole, options=BuildOptions(layout="whole"))
    assert tagged_pdf.shape(tagged_pdf.read(whole)) == tagged_pdf.shape(tagged)

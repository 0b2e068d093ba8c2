"""Stage 6: the structure tree of the tagged PDF (report/layout/tags.py), on small documents
laid out and written as a build does (report/layout/engine.py), then read back with pikepdf
(tests/layout/tagged_pdf.py): one element per HTML element across pages, footnotes as Notes at
their call, margin boxes as artifacts, languages, links, lists, tables, figures."""

from __future__ import annotations

import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest

from report.engines import PINNED, weasyprint_tags
from report.layout.engine import layout, write
from tests.conftest import ROOT
from tests.layout import tagged_pdf
from tests.layout.tagged_pdf import ARMENIAN, FONT, Node, Tagged

pytestmark = pytest.mark.skipif(FONT is None, reason="Noto Serif is not installed (make setup)")

LONG = " ".join(["The committee reported that several witnesses described the events."] * 40)


def build(tmp_path: Path, body: str, css: str = "", *, tagged: bool = True) -> tuple[Tagged, str]:
    """`body` laid out on small pages with a running head and a folio, written tagged."""
    assert FONT is not None
    faces = f'@font-face {{ font-family: "T"; src: url("{FONT.resolve().as_uri()}"); }}'
    if ARMENIAN is not None:
        faces += (f'@font-face {{ font-family: "A"; src: url("{ARMENIAN.resolve().as_uri()}"); }}'
                  ':lang(hy) { font-family: "A", "T"; }')
    html = ('<!DOCTYPE html><html lang="en"><head><style>' + faces +
            "@page { size: 120mm 90mm; margin: 15mm; @top-right { content: 'Running head' }"
            " @bottom-center { content: 'Page ' counter(page) } }"
            "body { font: 10pt/1.3 'T'; } .footnote { float: footnote; font-size: 7pt; }"
            + css + "</style></head><body>" + body + "</body></html>")
    out = tmp_path / "tagged.pdf"
    write(layout(html, tmp_path), out, lambda document, pdf: None, tagged=tagged)
    return tagged_pdf.read(out), html


def roles(node: Node) -> list[str]:
    return [kid.role for kid in node.kids if isinstance(kid, Node)]


def only(tagged: Tagged, role: str) -> list[Node]:
    return [node for node in tagged.root.walk() if node.role == role]


def assert_sound(tagged: Tagged, html: str) -> None:
    assert tagged_pdf.problems(tagged) == []
    tree = tagged_pdf.normalise(tagged_pdf.reading_text(tagged))
    text = tagged_pdf.normalise(tagged_pdf.html_text(html))
    assert tree == text, tagged_pdf.first_difference(tree, text)


def test_a_paragraph_across_a_page_break_is_one_element(tmp_path: Path) -> None:
    tagged, html = build(tmp_path, f"<h1>Title</h1><p>{LONG}</p>")
    assert tagged.pages > 1
    [paragraph] = only(tagged, "P")
    assert {page for page, _ in paragraph.content()} == set(range(tagged.pages))
    [document] = [kid for kid in tagged.root.kids if isinstance(kid, Node)]
    assert roles(document) == ["H1", "P"]
    assert_sound(tagged, html)


def test_a_footnote_is_a_note_at_its_call(tmp_path: Path) -> None:
    tagged, html = build(tmp_path, '<p>Before the call<span class="footnote" id="note-a">The '
                                   "note’s text.</span> and after it.</p>")
    [paragraph] = only(tagged, "P")
    [note] = [kid for kid in paragraph.kids if isinstance(kid, Node)]
    assert (note.role, note.attrs["ID"]) == ("Note", "note-a")
    assert roles(note) == ["Lbl"]
    assert tagged.text_of(note) == "1The note’s text."  # its call, then its text
    assert tagged.text_of(paragraph) == "Before the call1The note’s text. and after it."
    # the note's number in the footnote area repeats the call: an artifact
    assert [run.text for run in tagged.runs if run.artifact == {}] == ["1. "]
    assert_sound(tagged, html)


def test_margin_boxes_are_pagination_artifacts(tmp_path: Path) -> None:
    tagged, html = build(tmp_path, f"<p>{LONG}</p>")
    for page in range(tagged.pages):
        assert sorted((run.artifact["Subtype"], run.text) for run in tagged.runs
                      if run.page == page and run.artifact
                      and run.artifact["Type"] == "/Pagination") == [
            ("/Footer", f"Page {page + 1}"), ("/Header", "Running head")]
    assert not any("Running head" in text for text in tagged.text.values())
    assert_sound(tagged, html)


def test_a_change_of_language_is_carried(tmp_path: Path) -> None:
    tagged, html = build(tmp_path, '<p>The pogrom (<span lang="hy">Բաքվի ջարդեր</span>, '
                                   '<i lang="ru">погром</i>, <span lang="en">same</span>).</p>'
                                   '<blockquote lang="fr"><p>Tous les êtres humains.</p>'
                                   "</blockquote>")
    langs = [(node.role, node.attrs.get("Lang"), tagged.text_of(node))
             for node in tagged.root.walk() if "Lang" in node.attrs]
    assert langs == [("Span", "hy", "Բաքվի ջարդեր"), ("Span", "ru", "погром"),
                     ("BlockQuote", "fr", "Tous les êtres humains.")]
    assert_sound(tagged, html)


def test_a_link_is_one_element_with_its_annotations(tmp_path: Path) -> None:
    tagged, html = build(tmp_path, '<p>See <a href="#end">the end</a>.</p>'
                                   '<p id="end">The end.</p>',
                         'a::after { content: " (p. 1)" }')
    [link] = only(tagged, "Link")
    annotations = [kid for kid in link.kids if isinstance(kid, tagged_pdf.Annotation)]
    assert len(annotations) == 2  # the link's box and its ::after's: one link to a reader
    assert {a.contents for a in annotations} == {"the end (p. 1)"}
    assert [(kid.role, kid.attrs) for kid in link.kids if isinstance(kid, Node)] == [
        ("Span", {})]  # generated text: part of the link, not a link of its own
    assert_sound(tagged, html)


def test_lists_are_items_of_a_label_and_a_body(tmp_path: Path) -> None:
    tagged, html = build(tmp_path, "<ul><li>One</li><li>Two<ul><li>Inner</li></ul></li></ul>"
                                   "<ol><li>First</li></ol><dl><dt>Term</dt><dd>Its meaning</dd>"
                                   "</dl>")
    lists = only(tagged, "L")
    assert [node.attrs.get("ListNumbering") for node in lists] == ["Disc", "Disc", "Decimal",
                                                                   None]
    inner = lists[1]
    assert inner.parent is not None and inner.parent.role == "LBody"
    for item in only(tagged, "LI"):
        assert roles(item) == ["Lbl", "LBody"]
    term = lists[3].kids[0]
    assert isinstance(term, Node)
    assert [tagged.text_of(kid) for kid in term.kids if isinstance(kid, Node)] == [
        "Term", "Its meaning"]
    assert_sound(tagged, html)


def test_a_list_in_a_nav_is_a_table_of_contents(tmp_path: Path) -> None:
    tagged, html = build(tmp_path, '<h1>Title</h1><nav><h2>Contents</h2><ol><li>'
                                   '<a href="#one">One</a></li></ol></nav><h2 id="one">One</h2>',
                         "nav ol { list-style: none } nav a::after { content: leader('.') '1' }")
    [toc] = only(tagged, "TOC")
    [item] = [kid for kid in toc.kids if isinstance(kid, Node)]
    assert roles(item) == ["Reference"]
    reference = item.kids[0]
    assert isinstance(reference, Node) and roles(reference) == ["Link"]
    assert any(run.artifact == {"Type": "/Layout"} and run.text == "." for run in tagged.runs)
    assert_sound(tagged, html)


def test_a_table_keeps_its_header_once_and_its_caption(tmp_path: Path) -> None:
    rows = "".join(f"<tr><td>Row {i}</td><td>{i}</td></tr>" for i in range(30))
    tagged, html = build(tmp_path, "<figure><figcaption>Table 1. Rows</figcaption><table>"
                                   '<thead><tr><th scope="col">Name</th><th>Value</th></tr>'
                                   f"</thead><tbody>{rows}</tbody></table></figure>")
    assert tagged.pages > 1
    [table] = only(tagged, "Table")
    assert roles(table) == ["Caption", "THead", "TBody"]
    assert [(tagged.text_of(th), th.attrs["Scope"]) for th in only(tagged, "TH")] == [
        ("Name", "Column"), ("Value", "Column")]
    assert len(only(tagged, "TD")) == 60
    repeated = [run.text for run in tagged.runs if run.page > 0 and run.artifact
                and run.artifact == {"Type": "/Pagination"}]
    assert repeated == ["Name", "Value"] * (tagged.pages - 1)
    assert_sound(tagged, html)


def test_an_image_is_a_figure_with_its_alt(tmp_path: Path) -> None:
    (tmp_path / "dot.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="20" '
                                      'height="20"><rect width="20" height="20"/></svg>')
    tagged, html = build(tmp_path, '<figure><img src="dot.svg" alt="A black square.">'
                                   '<figcaption>Figure 1.</figcaption></figure>'
                                   '<p><img src="dot.svg" alt=""> decorative</p>')
    [figure] = only(tagged, "Figure")
    assert figure.attrs["Alt"] == "A black square."
    assert figure.attrs["O"] == "Layout" and len(figure.attrs["BBox"]) == 4
    assert figure.parent is not None and roles(figure.parent) == ["Figure", "Caption"]
    # the decorative image is no Figure, and painted in an artifact (assert_sound: nothing is
    # untagged); no text is in an untyped artifact
    assert {run.image for run in tagged.runs if run.artifact == {}} == {True}
    assert_sound(tagged, html)


def test_a_hyphenated_line_reads_as_its_word(tmp_path: Path) -> None:
    tagged, html = build(tmp_path, f"<p>{LONG}</p>", "p { hyphens: auto; width: 30mm }")
    hyphenated = [run for run in tagged.runs if run.text.endswith("\u2010")]
    assert hyphenated
    assert all(run.actual == run.text[:-1] + "\u00ad" for run in hyphenated)  # a soft hyphen
    assert_sound(tagged, html)


def test_a_line_break_keeps_the_space_it_took(tmp_path: Path) -> None:
    """A line that ends where a space was reads with it (ActualText), so its last word and the
    next line's first are two words; not after a dash or inside a web address, where a line
    breaks without a space; not at a paragraph's end; and across a page break too."""
    url = 'https://example.org/<wbr>a/<wbr>long/<wbr>path/<wbr>to/<wbr>a/<wbr>page'
    tagged, html = build(tmp_path, f"<p>{LONG}</p><p>state-of-the-art—and more—and-so-on"
                         f'-and-so-forth <span class="url">{url}</span> end.</p>',
                         "p { width: 30mm }")
    assert tagged.pages > 1
    words = tagged_pdf.word_starts(tagged_pdf.reading_text(tagged, marked=True))
    html_words = tagged_pdf.word_starts(tagged_pdf.html_text(html))
    assert len(words) == len(html_words)
    assert [i for i, (t, h) in enumerate(zip(words, html_words, strict=True)) if h and not t] == []
    ends = [run.actual for run in tagged.runs if run.actual]
    assert len(ends) > 20 and all(end == text + " " for end, text in (
        (run.actual, run.text) for run in tagged.runs if run.actual))
    assert not any(end.rstrip().endswith(("-", "—", "/")) for end in ends)
    last = [run.text for run in tagged.runs if run.mcid is not None and run.text.strip()]
    assert "end." in last[-1] and not any(run.actual for run in tagged.runs
                                          if run.text == last[-1])


def test_an_untagged_write_has_no_tree(tmp_path: Path) -> None:
    tagged, _ = build(tmp_path, "<p>Text.</p>", tagged=False)
    assert tagged.root.kids == []
    assert {run.mcid for run in tagged.runs} == {None}


# --- the engine module (report/engines/weasyprint_tags.py) ----------------------------------

PROBE = """
import weasyprint.pdf
from weasyprint.pdf.stream import Stream
import report.cli, report.pipeline, report.layout.engine, report.layout.workers
print(weasyprint.pdf.add_tags.__module__, Stream.marked.__module__)
from pathlib import Path
report.layout.engine.layout("<p>x</p>", Path("."))
print(weasyprint.pdf.add_tags.__module__, Stream.marked.__module__)
"""


def test_importing_patches_nothing_laying_out_does() -> None:
    done = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True,
                          text=True, check=True, timeout=120)
    assert done.stdout.split() == [
        "weasyprint.pdf.tags", "weasyprint.pdf.stream",  # imported: WeasyPrint's own
        "report.engines.weasyprint_tags", "report.engines.weasyprint_tags"]  # laid out


def test_the_engine_module_states_its_pinned_version() -> None:
    assert weasyprint_tags.VERSION == PINNED["weasyprint"] == metadata.version("weasyprint")

"""`table:` numbered tables with header rows, aligned columns, cells from the YAML or a CSV file
of the project, a source line and notes; its mistakes located; in the PDF, its header on every
page it spans and nothing past the margin."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from report.blocks import table
from report.pipeline import build, prepare
from tests.conftest import check_json, make, pdftotext


def section(*blocks: str) -> dict[str, str]:
    body = "".join(blocks)
    return {"content/sections/01-one.yaml": f"id: one\ntitle: One\nblocks:\n{body}"}


CASUALTIES = """\
  - paragraph: As [@ref:casualties] shows, and [see @ref:from-file] [@doe-2001].
  - id: casualties
    table:
      caption: Deaths by district
      columns: [{label: District}, {label: Deaths, align: decimal}, {label: Note, align: center}]
      rows:
        - [Sabunchu, "12.5", a]
        - [Nasimi, "3 [@doe-2001, p. 4]", ""]
        - [Binagadi, "100.25", b]
      source: "Human Rights Watch [@doe-2001, p. 5]."
      notes: ["Figures for 13--20 January.", "*Provisional.*"]
"""
FROM_FILE = """\
  - id: from-file
    table:
      caption: Read from a file
      header-rows: 1
      columns: [{align: left}, {align: right}]
      csv: data/t.csv
"""
CSV = '\ufeffPlace,Count\nSumgait,"1,200"\n"Kirovabad, north",7 [@doe-2001]\n\nBaku,"30  (est.)"\n'


def problems(project: Path, capsys: pytest.CaptureFixture[str]) -> list[tuple]:
    return [(p["code"], p["file"], p["line"], p["column"]) for p in check_json(project, capsys)[1]]


# --- validation -------------------------------------------------------------------------------

def test_mistakes_in_the_shape_are_located(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    project = make(tmp_path, section(
        "  - paragraph: Text [@doe-2001].\n",
        "  - table:\n"
        "      caption: Bad\n"
        "      columns: [{label: A}, {label: B, align: decimals}]\n"  # line 7
        "      rows: [[a, b]]\n"
        "      colour: red\n",                                        # line 9
        "  - table:\n"
        "      caption: A float\n"
        "      columns: [{label: A}]\n"
        "      rows: [[1.50]]\n",                                     # line 13
        "  - table: {caption: Neither, columns: [{label: A}]}\n",     # line 14
        "  - table: {caption: No header, rows: [[a]]}\n"))            # line 15
    code, found = check_json(project, capsys)
    assert code == 1
    assert [(p["code"], p["line"], p["column"]) for p in found] == [
        ("schema-literal_error", 7, 47), ("schema-extra_forbidden", 9, 7),
        ("schema-value_error", 13, 15), ("schema-value_error", 14, 12),
        ("schema-value_error", 15, 12)]
    messages = [p["message"] + " " + p["hint"] for p in found]
    assert "`decimal`" in messages[0] and "Did you mean `columns`?" in messages[1]
    assert "quotes" in messages[2] and "either `rows` or `csv`" in messages[3]
    assert "header-rows" in messages[4]


def test_ragged_rows_are_errors_at_the_row(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    project = make(tmp_path, section(
        "  - paragraph: Text [@doe-2001].\n",
        "  - table:\n"
        "      caption: Ragged\n"
        "      columns: [{label: A}, {label: B}]\n"
        "      rows:\n"
        "        - [a, b]\n"
        "        - [c]\n"                                             # line 10
        "        - [d, e, f]\n"))                                     # line 11
    code, found = check_json(project, capsys)
    assert code == 1
    assert [(p["code"], p["line"], p["column"], p["message"]) for p in found] == [
        ("table-shape", 10, 11, "This row has 1 cell; the table has 2 columns."),
        ("table-shape", 11, 11, "This row has 3 cells; the table has 2 columns.")]


# --- CSV files --------------------------------------------------------------------------------

def test_a_csv_file_gives_the_rows_read_once(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    project = make(tmp_path, {**section(CASUALTIES, FROM_FILE), "data/t.csv": CSV})
    assert problems(project, capsys) == [  # a cell is linted where it is written: in the CSV
        ("double-space", "data/t.csv", 5, 7)]
    reads = []
    real = table.read_csv
    monkeypatch.setattr(table, "read_csv", lambda *a: reads.append(a) or real(*a))
    html = prepare(project).html
    assert len(reads) == 1  # once per build, however often the content is walked
    figure = html[html.index('id="from-file"'):]
    figure = figure[:figure.index("</figure>")]
    assert '<th scope="col" class="left">Place</th><th scope="col" class="right">Count</th>' in (
        figure)  # the BOM is not part of the first heading
    assert '<td class="left">Kirovabad, north</td><td class="right">7<span class="footnote"' in (
        figure)  # a citation in a CSV cell is a note
    assert '<td class="right">1,200</td>' in figure
    assert '<td class="right">30  (est.)</td>' in figure


def test_a_csv_row_of_the_wrong_length_names_its_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = make(tmp_path, {**section(CASUALTIES, FROM_FILE),
                              "data/t.csv": "Place,Count\nSumgait,3\nBaku,1,2\n"})
    code, found = check_json(project, capsys)
    assert code == 1
    assert [(p["code"], p["file"], p["line"], p["column"], p["value"]) for p in found] == [
        ("table-shape", "content/sections/01-one.yaml", 20, 12, "data/t.csv:3:1")]
    assert found[0]["message"] == ("The row on line 3 of `data/t.csv` has 3 cells; the table "
                                   "has 2 columns.")


@pytest.mark.parametrize("name, files, message", [
    ("data/none.csv", {}, "The file `data/none.csv` does not exist."),
    ("../outside.csv", {}, "The file `../outside.csv` is outside the report project; a build "
     "reads only files inside the project folder."),
    ("/etc/passwd", {}, "The file `/etc/passwd` is outside the report project; a build reads "
     "only files inside the project folder."),
    ("data/link.csv", {}, "The file `data/link.csv` leads outside the report project."),
    ("data/latin1.csv", {}, "The file `data/latin1.csv` is not UTF-8 text (line 2, column 4)."),
])
def test_a_csv_file_that_cannot_be_read_is_an_error_at_the_csv_key(
        name: str, files: dict, message: str, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "outside.csv").write_text("Place,Count\nBaku,1\n")
    project = make(tmp_path / "project", {**section(CASUALTIES, FROM_FILE.replace(
        "data/t.csv", name))})
    (project / "data").mkdir(exist_ok=True)
    (project / "data" / "link.csv").symlink_to(tmp_path / "outside.csv")
    (project / "data" / "latin1.csv").write_bytes("Place,Count\nBak\u00fc,1\n".encode("latin-1"))
    code, found = check_json(project, capsys)
    assert code == 1
    assert [(p["code"], p["file"], p["line"], p["column"], p["message"]) for p in found] == [
        ("table-csv", "content/sections/01-one.yaml", 20, 12, message)]
    assert found[0]["hint"]


# --- HTML -------------------------------------------------------------------------------------

def test_tables_are_numbered_aligned_and_cross_referenced(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = make(tmp_path, {**section(CASUALTIES, FROM_FILE), "data/t.csv": CSV})
    html = prepare(project).html
    assert ('<figcaption><span class="label">Table 1.</span> Deaths by district</figcaption>'
            in html)
    assert '<figcaption><span class="label">Table 2.</span> Read from a file</figcaption>' in html
    # a cross-reference names the table and its page (filled in by the layout)
    assert re.search(r'As <a class="xref" href="#casualties">Table 1, <span class="xref-page" '
                     r'[^>]*>p\.\u00a0</span></a> shows, and see <a class="xref" '
                     r'href="#from-file">Table 2, ', html)
    figure = html[html.index('id="casualties"'):]
    figure = figure[:figure.index("</figure>")]
    assert re.search(r"<thead>\s*<tr><th scope=\"col\" class=\"left\">District</th><th "
                     r"scope=\"col\" class=\"decimal\">Deaths</th><th scope=\"col\" "
                     r"class=\"center\">Note</th></tr>\s*</thead>", figure)
    assert re.search(r'<col class="left" style="width: [\d.]+%"><col class="decimal" '
                     r'style="width: [\d.]+%"><col class="center" style="width: [\d.]+%">',
                     figure)
    # figures padded to two decimals (figure spaces; a punctuation space for a missing point),
    # the pad before a note call
    assert '<td class="decimal">12.5<span class="pad">\u2007</span></td>' in figure
    assert ('<td class="decimal">3<span class="pad">\u2007\u2007\u2008</span>'
            '<span class="footnote"') in figure
    assert '<td class="decimal">100.25</td>' in figure
    assert '<td class="center"></td>' in figure  # an empty cell
    assert re.search(r'<p class="table-source"><span class="label">Source:</span> Human Rights '
                     r'Watch\.<span class="footnote"', figure)
    assert '<span class="label">Notes:</span> Figures for 13–20 January.</p>' in figure
    assert '<p class="table-note"><em>Provisional.</em></p>' in figure
    assert figure.count('class="footnote"') == 2  # the cell's citation and the source's


def test_a_table_without_an_id_has_no_cross_reference_label(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Sections and other blocks keep their labels: "section 1, p." and "p."."""
    project = make(tmp_path, section(
        "  - id: first\n    paragraph: See [@sec:one] and [@ref:first] [@doe-2001].\n",
        "  - table: {caption: C, columns: [{label: A}], rows: [[a]], width: full}\n"))
    html = prepare(project).html
    assert 'href="#one">section 1, <span' in html and 'href="#first"><span' in html
    assert '<span class="label">Table 1.</span> C' in html
    assert '<table style="width: 100.0%">' in html  # width: full


# --- PDF --------------------------------------------------------------------------------------

A4_WIDTH, RIGHT_MARGIN = 595.276, 22 / 25.4 * 72  # report/render/theme/report.css


@pytest.mark.slow
def test_a_long_table_repeats_its_header_and_keeps_within_the_margin(tmp_path: Path) -> None:
    rows = ["Row,Remark,Deaths,Place"]
    for i in range(1, 121):
        remark = "Averyveryverylongwordwithoutanybreakthatcannotfitinacolumnatall" if (
            i % 9 == 0) else "an ordinary remark"
        rows.append(f"Row{i},{remark},{i * 3.25:.2f}" if i % 2 else f"Row{i},{remark},{i}")
        rows[-1] += ",Somewhere in the outskirts of the city"
    project = make(tmp_path, {**section(
        "  - paragraph: As [@ref:long] shows [@doe-2001].\n",
        "  - id: long\n    table:\n      caption: A long table\n      header-rows: 1\n"
        "      columns: [{}, {}, {align: decimal}, {}]\n      csv: data/long.csv\n"),
        "data/long.csv": "\n".join(rows) + "\n"})
    pdf = tmp_path / "out.pdf"
    build(project, pdf)
    pages = int(re.search(r"Pages:\s+(\d+)", subprocess.run(
        ["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout)[1])
    spanned = [n for n in range(1, pages + 1) if re.search(r"^Row\d+ ", pdftotext(pdf, n, n),
                                                            re.M)]
    assert len(spanned) >= 3 and spanned == list(range(spanned[0], spanned[-1] + 1))
    for n in spanned:  # the header on every page the table spans
        assert re.search(r"^Row Remark Deaths Place$", pdftotext(pdf, n, n), re.M), n
    assert "Row1 " in pdftotext(pdf, spanned[0], spanned[0])
    assert "Row120 " in pdftotext(pdf, spanned[-1], spanned[-1])
    assert "As Table 1, p. 1 shows" in pdftotext(pdf)
    boxes = subprocess.run(["pdftotext", "-bbox", "-f", str(spanned[0]), "-l", str(spanned[-1]),
                            str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    words = [(float(x0), float(x1), word) for x0, x1, word in re.findall(
        r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>',
        boxes)]
    assert max(x1 for _, x1, _ in words) <= A4_WIDTH - RIGHT_MARGIN + 0.5
    # figures line up on the decimal point: integer parts end where the others' do
    deaths = {f"{i * 3.25:.2f}" if i % 2 else str(i) for i in range(1, 121)}
    figures = [(x0, x1, w) for x0, x1, w in words if w in deaths and float(w) > 10]
    point = 250 / 559  # the point's width in digits (Noto Sans: tabular digits, 559 units)

    def integer_end(x0: float, x1: float, word: str) -> float:
        if "." not in word:
            return x1
        digit = (x1 - x0) / (len(word) - 1 + point)
        return x1 - digit * (2 + point)

    points = {round(integer_end(*figure), 1) for figure in figures}
    assert max(points) - min(points) < 0.6, points


def wide_project(tmp_path: Path, sections: str) -> Path:
    """A table of twelve columns and seventy rows on landscape pages, between two sections."""
    from tests.conftest import BASE

    head = "[{label: Place}" + "".join(
        f", {{label: Column {c} heading, align: decimal}}" for c in range(1, 12)) + "]"
    rows = "".join(f"        - [Row{r}" + "".join(f', "{r * c}.{c}"' for c in range(1, 12))
                   + "]\n" for r in range(1, 71))
    return make(tmp_path, {
        "content/report.yaml": BASE["content/report.yaml"] + f"sections: {sections}\n",
        **section("  - paragraph: As [@ref:wide] shows [@doe-2001].\n",
                  f"  - id: wide\n    table:\n      caption: A wide table\n      fit: landscape\n"
                  f"      columns: {head}\n      rows:\n{rows}      source: Made up.\n",
                  "  - paragraph: After the table.\n"),
        "content/sections/02-two.yaml": "id: two\ntitle: Two\nblocks:\n"
                                        "  - paragraph: The second section [@doe-2001].\n"})


@pytest.mark.slow
@pytest.mark.parametrize("sections", ["run-on", "new-page"])  # laid out whole, and in parts
def test_a_wide_table_turns_landscape_and_the_folios_go_on(tmp_path: Path,
                                                           sections: str) -> None:
    from pypdf import PdfReader

    from tests.conftest import words_past_the_text_block

    pdf = tmp_path / "out.pdf"
    build(wide_project(tmp_path, sections), pdf)
    reader = PdfReader(pdf)
    turned = [n for n, page in enumerate(reader.pages, start=1)
              if page.mediabox.width > page.mediabox.height]
    texts = {n: " ".join(pdftotext(pdf, n, n).split()) for n in range(1, len(reader.pages) + 1)}
    spanned = [n for n, text in texts.items() if re.search(r"\bRow\d+ ", text)]
    assert len(turned) >= 2 and turned == spanned  # the table's pages, and only those
    assert turned == list(range(turned[0], turned[-1] + 1))
    for n in turned:  # the header on each, and the caption on the first
        assert "Place Column 1 heading" in texts[n], texts[n]
    assert "Table 1. A wide table" in texts[turned[0]] and "Row70 " in texts[turned[-1]]
    assert "After the table." in texts[turned[-1] + 1]  # the text goes on on a portrait page
    # the body's folios count on across the landscape pages: "Page 1 of N" ... "Page N of N"
    folios = [int(m[1]) for n in sorted(texts)
              if (m := re.search(r"Page (\d+) of (\d+)", texts[n]))]
    assert folios == list(range(1, len(folios) + 1)) and len(folios) >= len(turned) + 2
    first = re.search(r"Page (\d+) of", texts[turned[0]])
    assert first and f"As Table 1, p. {first[1]} shows" in " ".join(texts.values())
    assert words_past_the_text_block(pdf, 24, 22) == []


def test_shrink_and_landscape_give_a_wide_table_more_room() -> None:
    """Five columns of twenty characters need more than the text's width: wrapped, the table
    takes it all and its cells wrap; in smaller type or across a landscape page they fit."""
    columns = [(["Heading"], ["twenty characters ok"])] * 5
    wrapped = table._widths(columns, False)[1]
    shrunk = table._widths(columns, False, table.TEXT_EM * table.FIT_EM["shrink"])[1]
    turned = table._widths(columns, False, table.TEXT_EM * table.FIT_EM["landscape"])[1]
    assert wrapped == 100.0 > shrunk > turned


def test_a_heading_may_not_call_a_note(tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    """A heading is repeated on every page the table spans; its note would be printed once."""
    project = make(tmp_path, section(
        "  - paragraph: Text [@doe-2001].\n",
        "  - table:\n"
        "      caption: C\n"
        "      columns: [{label: \"A [@doe-2001]\"}, {label: \"B [@sec:one]\"}]\n"  # line 7
        "      rows: [[a, b]]\n"))
    assert problems(project, capsys) == [("table-shape", "content/sections/01-one.yaml", 7, 25)]


def test_two_tables_may_read_one_csv_file(tmp_path: Path) -> None:
    """Each has its own notes: a cell's text is keyed by the table that reads it."""
    block = "  - table: {caption: C, header-rows: 1, csv: data/t.csv}\n"
    project = make(tmp_path, {
        "content/sections/01-one.yaml": f"id: one\ntitle: One\nblocks:\n{block}",
        "content/sections/02-two.yaml": f"id: two\ntitle: Two\nblocks:\n{block}",
        "data/t.csv": "Place,Count\nBaku,7 [@doe-2001]\n"})
    html = prepare(project).html
    assert re.findall(r'<span class="label">(Table \d)\.</span>', html) == ["Table 1", "Table 2"]
    assert re.findall(r'<td class="left">7<span class="footnote" id="(note-c\d)"', html) == [
        "note-c1", "note-c2"]

"""The print edition, built from the shipped report and read back as a printer would see it:
page sizes and boxes, spreads (mirrored margins, heads and folios outside), parts on
right-hand pages, blank pages left blank, nothing near the edge, the watermark and crop marks."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from PIL import Image
from pydantic import ValidationError
from pypdf import PdfReader

from report.cli import main
from report.editions.printing import MARGINS, PrintOptions, resolve
from report.problems import ReportError
from report.project.options import BuildOptions
from report.project.schema import Settings
from report.tools.impose import impose
from tests.conftest import MM, ROOT, page_words

pytestmark = pytest.mark.slow  # builds whole reports (`-m 'not slow'` skips it)



@pytest.fixture(scope="session")
def printed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Three print editions: plain Letter; A5 with a watermark; A4 with bleed and watermark."""
    from report.pipeline import build

    out = tmp_path_factory.mktemp("printed")
    for name, options in (
            ("letter", BuildOptions("print", paper="letter")),
            ("a5", BuildOptions("print", paper="a5", watermark="DRAFT")),
            ("a4", BuildOptions("print", paper="a4", bleed="3mm", watermark="CONFIDENTIAL"))):
        build(ROOT, out / f"{name}.pdf", options=options)
    return {name: out / f"{name}.pdf" for name in ("letter", "a5", "a4")}


def render(pdf: Path, page: int, dpi: int) -> Image.Image:
    """One page as a grey image (the media box)."""
    done = subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-f", str(page), "-l",
                           str(page), str(pdf)], check=True, capture_output=True)
    from io import BytesIO

    return Image.open(BytesIO(done.stdout))


def test_paper_sizes_and_boxes(printed: dict[str, Path]) -> None:
    sizes = {"letter": (612, 792), "a5": (419.53, 595.28), "a4": (595.28, 841.89)}
    for name, pdf in printed.items():
        for page in PdfReader(pdf).pages:
            trim = page.trimbox
            assert (float(trim.width), float(trim.height)) == pytest.approx(sizes[name],
                                                                             abs=0.05)
    page = PdfReader(printed["a4"]).pages[0]
    assert [round(float(v), 1) for v in page.bleedbox] == [-8.5, -8.5, 603.8, 850.4]
    slug = (3 + 6) * MM  # the marks: from the bleed, 5 mm long, 1 mm to spare
    assert [round(float(v), 1) for v in page.mediabox] == [
        round(-slug, 1), round(-slug, 1), round(595.28 + slug, 1), round(841.89 + slug, 1)]


def test_parts_start_on_right_hand_pages_and_run_on_sections_do_not(
        printed: dict[str, Path]) -> None:
    """The front matter, the body and each appendix open on a right-hand page; the sections of
    a run-on report follow one another (they would leave half the pages blank)."""
    for pdf in printed.values():
        reader = PdfReader(pdf)
        tops = {item.title: reader.get_destination_page_number(item) + 1
                for item in reader.outline if not isinstance(item, list)}
        first = next(title for title in tops if title.startswith("1 "))
        parts = ["Contents", first, "Chronology", "Publications list", "Colophon"]
        assert all(tops[t] % 2 == 1 for t in parts), tops
        sections = sorted(page for title, page in tops.items() if title[0].isdigit())
        assert len(sections) >= 5
        assert any(page % 2 == 0 for page in sections), tops  # not every one forced right
        blanks = sum(not words for words in page_words(pdf))
        assert blanks <= len(parts), blanks  # at most one before each part
        assert blanks < len(sections)  # fewer than when every section opened a right page


@pytest.mark.slow
def test_chapters_start_on_right_hand_pages(tmp_path: Path) -> None:
    """With `sections: new-page`, each section opens on a right-hand page, as a book's
    chapters do."""
    from report.pipeline import build
    from tests.conftest import copy_project

    project = copy_project(tmp_path / "p")
    report = project / "content" / "report.yaml"
    report.write_text(report.read_text() + "sections: new-page\n")
    out = tmp_path / "chapters.pdf"
    build(project, out, options=BuildOptions("print", paper="a4"))
    reader = PdfReader(out)
    tops = [reader.get_destination_page_number(item) + 1
            for item in reader.outline if not isinstance(item, list)]
    assert len(tops) >= 8 and all(page % 2 == 1 for page in tops[1:]), tops


def test_blank_pages_are_left_blank(printed: dict[str, Path]) -> None:
    """Blank pages are versos before a part, with no head, no folio, nothing at all."""
    pages = page_words(printed["letter"])
    blanks = [i for i, words in enumerate(pages, start=1) if not words]
    assert blanks and all(i % 2 == 0 for i in blanks)
    for i in blanks[:3]:
        assert render(printed["letter"], i, 20).getextrema() == (255, 255)
    # with a watermark, a blank page shows the watermark and still no word
    a5 = page_words(printed["a5"])
    blank = next(i for i, words in enumerate(a5, start=1) if not words)
    assert render(printed["a5"], blank, 20).getextrema()[0] < 240


def test_heads_and_folios_are_on_the_outer_side(printed: dict[str, Path]) -> None:
    pdf = printed["letter"]
    width, m = 612.0, MARGINS["letter"]
    labels = PdfReader(pdf).page_labels  # the printed folio is the viewer's page number
    checked = {"left": 0, "right": 0}
    for number, words in enumerate(page_words(pdf), start=1):
        if number == 1 or not words:
            continue
        folio = max(words, key=lambda w: w[2])  # the lowest word on the page
        head = min(words, key=lambda w: w[2])
        assert folio[0] == labels[number - 1]
        if number % 2 == 0:  # a left-hand page: outer edge on the left
            assert folio[1] == pytest.approx(m.outer * MM, abs=1)
            assert head[1] == pytest.approx(m.outer * MM, abs=1), head
            checked["left"] += 1
        else:
            assert folio[3] == pytest.approx(width - m.outer * MM, abs=1)
            assert max(w[3] for w in words if w[2] == head[2]) == pytest.approx(
                width - m.outer * MM, abs=1)
            checked["right"] += 1
    assert checked["left"] >= 3 and checked["right"] >= 6


def test_margins_are_mirrored(printed: dict[str, Path]) -> None:
    """The text block is set off the spine: inner margin on the left of a right-hand page."""
    m = MARGINS["letter"]
    for number, words in enumerate(page_words(printed["letter"]), start=1):
        if number == 1 or not words:
            continue
        left = min(w[1] for w in words)
        expected = m.outer if number % 2 == 0 else m.inner
        assert left == pytest.approx(expected * MM, abs=1.5), number


@pytest.mark.parametrize("name", ["letter", "a5"])
def test_nothing_in_the_outer_10_mm(printed: dict[str, Path], name: str) -> None:
    dpi = 30
    band = round(10 / 25.4 * dpi)
    for number in range(1, len(PdfReader(printed[name]).pages) + 1):
        image = render(printed[name], number, dpi)
        w, h = image.size
        for box in ((0, 0, w, band), (0, h - band, w, h), (0, 0, band, h), (w - band, 0, w, h)):
            assert image.crop(box).getextrema() == (255, 255), (name, number, box)


def test_the_watermark_is_painted_but_never_read(printed: dict[str, Path]) -> None:
    for name, word in (("a5", "DRAFT"), ("a4", "CONFIDENTIAL")):
        text = subprocess.run(["pdftotext", str(printed[name]), "-"], check=True,
                              capture_output=True, text=True).stdout
        assert word.lower() not in text.lower()
        cover = render(printed[name], 1, 20)
        w, h = cover.size
        centre = cover.crop((w // 2 - 10, h // 2 - 10, w // 2 + 10, h // 2 + 10))
        low, high = centre.getextrema()
        assert 150 < low < 245  # light grey, not black, not white
    plain = render(printed["letter"], 2, 20)
    assert plain.getextrema() == (255, 255)


def test_crop_marks_are_outside_the_bleed(printed: dict[str, Path]) -> None:
    dpi = 144
    image = render(printed["a4"], 3, dpi)
    px = dpi / 72
    slug, bleed = (3 + 6) * MM, 3 * MM
    y = round(slug * px)  # the top edge of the trimmed page
    def darkest(x0: float, x1: float) -> int:
        return image.crop((round(x0 * px), y - 1, round(x1 * px), y + 2)).getextrema()[0]
    assert darkest(slug - bleed - 5 * MM + 1, slug - bleed - 1) < 160  # the mark
    assert darkest(slug - bleed + 0.5, slug - 0.5) == 255  # the bleed: nothing in it


@pytest.mark.parametrize("name", ["letter", "a5", "a4"])
@pytest.mark.parametrize("profile", ["PDF_A_3A", "PDF_UA_1"])
def test_every_print_edition_is_what_it_claims(printed: dict[str, Path], name: str,
                                              profile: str) -> None:
    """PDF/A-3a and PDF/UA-1 with a watermark, a bleed and crop marks in registration (a
    Separation /All over the output intent's profile, not DeviceCMYK)."""
    import page

    report = page.validate_pdf(printed[name], profile=getattr(page.ValidationProfile, profile))
    assert [(f.rule_id, f.message) for f in report.failures] == []
    assert report.is_compliant and report.rules.total > 100


def test_pdf_asks_for_duplex_at_actual_size(printed: dict[str, Path]) -> None:
    prefs = PdfReader(printed["letter"]).trailer["/Root"]["/ViewerPreferences"]
    assert prefs["/Duplex"] == "/DuplexFlipLongEdge" and prefs["/PrintScaling"] == "/None"


def test_a5_pocket_booklet_on_a4_sheets(printed: dict[str, Path], tmp_path: Path) -> None:
    made = impose(printed["a5"], tmp_path / "booklet.pdf", creep_mm=0.1)
    assert made.sheet_size == pytest.approx((841.89, 595.28), abs=0.1)
    assert made.padded % 4 == 0 and made.padded - made.pages < 4


def settings(**print_: str) -> Settings:
    return Settings.model_validate({"title": "T", "date": "2020-01-01", "print": print_})


def test_options_come_from_the_command_line_then_the_settings() -> None:
    s = settings(paper="a5", bleed="3mm", watermark="DRAFT", creep="0.1mm")
    assert resolve(s, BuildOptions()) == PrintOptions("a5", 3.0, "DRAFT", 0.1)
    assert resolve(s, BuildOptions(paper="letter", bleed="0.125in", watermark="CONFIDENTIAL")) == (
        PrintOptions("letter", 3.175, "CONFIDENTIAL", 0.1))
    plain = Settings.model_validate({"title": "T", "date": "2020-01-01", "paper": "letter"})
    assert resolve(plain, BuildOptions()) == PrintOptions("letter")
    with pytest.raises(ReportError, match="is not a length"):
        resolve(plain, BuildOptions(bleed="3"))
    with pytest.raises(ReportError, match="too long"):
        resolve(plain, BuildOptions(watermark="X" * 41))


def test_print_settings_are_checked() -> None:
    with pytest.raises(ValidationError, match="length with its unit"):
        settings(bleed="3")
    with pytest.raises(ValidationError, match="Extra inputs"):
        settings(colour="red")
    with pytest.raises(ValidationError):
        settings(paper="a3")
    with pytest.raises(ValidationError):  # A5 is for the print edition only
        Settings.model_validate({"title": "T", "date": "2020-01-01", "paper": "a5"})


def test_a5_needs_the_print_edition(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", str(ROOT), "--paper", "a5", "-o", "/tmp/never.pdf"]) == 2
    assert "--edition print" in capsys.readouterr().err


def test_make_targets() -> None:
    done = subprocess.run(["make", "-n", "-B", "print", "booklet"], cwd=ROOT, check=True,
                          capture_output=True, text=True).stdout
    assert "build . --edition print --paper a4 -o build/report-print-a4.pdf" in done
    assert "build . --edition print --paper letter -o build/report-print-letter.pdf" in done
    assert "booklet build/report-print-a4.pdf -o build/report-booklet.pdf" in done

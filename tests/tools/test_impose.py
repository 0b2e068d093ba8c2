"""Saddle-stitch imposition, read back from the imposed PDF: which page is on which sheet, side
and half; the reading order once the sheets are printed, folded and stapled; padding, sizes
and creep."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from report.cli import main
from report.tools.impose import impose, saddle_stitch
from tests.conftest import numbered_pdf

A4 = (595.276, 841.89)
MM = 72 / 25.4


def words(pdf: Path, page: int) -> list[tuple[str, float, float]]:
    """(word, xMin, yMin) of every word on a page (1-based), in points, from pdftotext."""
    html = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf),
                           "-"], check=True, capture_output=True, text=True).stdout
    return [(w, float(x), float(y)) for x, y, w in re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]*)</word>', html)]


def halves(pdf: Path) -> list[tuple[int | None, int | None]]:
    """Per sheet side, the page number set in its left and right half (None: nothing)."""
    reader = PdfReader(pdf)
    out = []
    for index, page in enumerate(reader.pages, start=1):
        middle = float(page.mediabox.width) / 2
        found: dict[str, int | None] = {"left": None, "right": None}
        ws = words(pdf, index)
        for (word, x, _), (number, _, _) in zip(ws, ws[1:], strict=False):
            if word == "PAGE":
                found["left" if x < middle else "right"] = int(number)
        assert len([w for w in ws if w[0] == "PAGE"]) == sum(v is not None
                                                             for v in found.values())
        out.append((found["left"], found["right"]))
    return out


def read_folded(sides: list[tuple[int | None, int | None]]) -> list[int | None]:
    """The pages in the order a reader meets them, once the sheets are printed two-sided with
    the flip on the short edge (so the left half of a back is behind the right half of its
    front), stacked in print order, folded and stapled."""
    fronts, backs = sides[0::2], sides[1::2]
    order: list[int | None] = []
    for k in range(len(fronts)):  # the first half: right half of a front, then its back
        order += [fronts[k][1], backs[k][0]]
    for k in reversed(range(len(fronts))):  # past the centre: out through the sheets again
        order += [backs[k][1], fronts[k][0]]
    return order


EXPECTED = {  # (left, right) of sheet 1 front, sheet 1 back, sheet 2 front, ...
    4: [(4, 1), (2, 3)],
    5: [(None, 1), (2, None), (None, 3), (4, 5)],
    8: [(8, 1), (2, 7), (6, 3), (4, 5)],
    13: [(None, 1), (2, None), (None, 3), (4, 13), (12, 5), (6, 11), (10, 7), (8, 9)],
}


@pytest.mark.parametrize("pages", [4, 5, 8, 13])
def test_each_page_is_on_its_sheet_side_and_half(tmp_path: Path, pages: int) -> None:
    source = numbered_pdf(tmp_path / "in.pdf", pages)
    made = impose(source, tmp_path / "out.pdf")
    sides = halves(tmp_path / "out.pdf")
    assert sides == EXPECTED[pages]
    padded = -(-pages // 4) * 4
    assert (made.pages, made.padded, made.sheets, made.blanks) == (
        pages, padded, padded // 4, padded - pages)
    assert len(sides) == padded // 2
    # printed, folded and stapled, it reads in order; the padding comes last
    assert read_folded(sides) == [*range(1, pages + 1), *[None] * (padded - pages)]


def test_the_print_order_is_the_saddle_stitch_formula() -> None:
    for pages in range(1, 41):
        sides = [(s.left, s.right) for s in saddle_stitch(pages)]
        padded = -(-pages // 4) * 4
        assert read_folded(sides) == [*range(1, pages + 1), *[None] * (padded - pages)]


def test_padding_halves_are_truly_blank(tmp_path: Path) -> None:
    """A padded half has nothing drawn at all: no text, no frame, no white rectangle."""
    impose(numbered_pdf(tmp_path / "in.pdf", 5), tmp_path / "out.pdf")
    raster = tmp_path / "sheet"
    subprocess.run(["pdftoppm", "-r", "20", "-gray", "-f", "1", "-l", "1", str(tmp_path /
                    "out.pdf"), str(raster)], check=True)
    from PIL import Image

    image = Image.open(next(tmp_path.glob("sheet*.pgm")))
    width, height = image.size
    left = image.crop((0, 0, width // 2 - 1, height))
    right = image.crop((width // 2 + 1, 0, width, height))
    assert left.getextrema() == (255, 255)  # page 8 of 8: padding
    assert right.getextrema()[0] < 128  # page 1: its frame and text


@pytest.mark.parametrize(("page", "sheet"), [
    ((595.276, 841.89), (1190.55, 841.89)),  # A4 on A3
    ((419.528, 595.276), (841.89, 595.28)),  # A5 on A4 (centred: 2 x 148 mm is 296)
    ((612, 792), (1224, 792)),  # Letter on Tabloid
])
def test_sheets_are_twice_the_page(tmp_path: Path, page: tuple[float, float],
                                   sheet: tuple[float, float]) -> None:
    made = impose(numbered_pdf(tmp_path / "in.pdf", 6, page), tmp_path / "out.pdf")
    for imposed in PdfReader(tmp_path / "out.pdf").pages:
        size = (float(imposed.mediabox.width), float(imposed.mediabox.height))
        assert size == pytest.approx(sheet, abs=0.1)
    assert made.sheet_size == pytest.approx(sheet, abs=0.1)


def test_pages_with_a_bleed_are_set_by_their_trim_box(tmp_path: Path) -> None:
    made = impose(numbered_pdf(tmp_path / "in.pdf", 4, bleed=3 * MM), tmp_path / "out.pdf")
    assert made.sheet_size == pytest.approx((1190.55, 841.89), abs=0.1)
    assert halves(tmp_path / "out.pdf") == EXPECTED[4]


def test_creep_moves_inner_sheets_toward_the_spine(tmp_path: Path) -> None:
    source = numbered_pdf(tmp_path / "in.pdf", 13)
    impose(source, tmp_path / "flat.pdf")
    impose(source, tmp_path / "creep.pdf", creep_mm=1.0)

    def x_of_pages(pdf: Path) -> dict[int, float]:
        out = {}
        for side in range(1, 9):
            ws = words(pdf, side)
            out.update({int(n): x for (w, x, _), (n, _, _) in zip(ws, ws[1:], strict=False)
                        if w == "PAGE"})
        return out

    flat, creep = x_of_pages(tmp_path / "flat.pdf"), x_of_pages(tmp_path / "creep.pdf")
    for side, (left, right) in enumerate(EXPECTED[13]):
        sheet = side // 2  # 0: outermost
        if left:  # the spine is to its right
            assert creep[left] - flat[left] == pytest.approx(sheet * MM, abs=0.05)
        if right:
            assert flat[right] - creep[right] == pytest.approx(sheet * MM, abs=0.05)


def test_creep_never_crosses_the_fold(tmp_path: Path) -> None:
    """10 mm a sheet pushes the inner sheet's frames 8 pt past the fold, unless clipped."""
    from PIL import Image

    impose(numbered_pdf(tmp_path / "in.pdf", 8), tmp_path / "out.pdf", creep_mm=10)
    subprocess.run(["pdftoppm", "-r", "72", "-gray", "-f", "3", "-l", "3",
                    str(tmp_path / "out.pdf"), str(tmp_path / "sheet")], check=True)
    image = Image.open(next(tmp_path.glob("sheet*.pgm")))
    fold, middle = image.size[0] // 2, image.size[1] // 2
    for x in (fold - 8, fold + 8):
        column = image.crop((x - 2, middle - 100, x + 3, middle + 100))
        assert column.getextrema()[0] > 200, x


def test_the_booklet_says_how_to_print_it(tmp_path: Path) -> None:
    impose(numbered_pdf(tmp_path / "in.pdf", 4), tmp_path / "out.pdf")
    reader = PdfReader(tmp_path / "out.pdf")
    prefs = reader.trailer["/Root"]["/ViewerPreferences"]
    assert prefs["/Duplex"] == "/DuplexFlipShortEdge" and prefs["/PrintScaling"] == "/None"
    assert reader.page_labels == ["1 front", "1 back"]


def test_booklet_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = numbered_pdf(tmp_path / "in.pdf", 5)
    out = tmp_path / "b.pdf"
    assert main(["booklet", str(source), "-o", str(out), "--creep", "0.1mm"]) == 0
    assert "2 sheet(s) for 5 pages (3 blank added)" in capsys.readouterr().out
    assert len(PdfReader(out).pages) == 4
    assert main(["booklet", str(source), "--creep", "0.1"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("--creep") and "“0.1” is not a length." in err
    assert main(["booklet", str(tmp_path / "missing.pdf")]) == 2
    assert main(["booklet", str(source)]) == 0
    assert (tmp_path / "in-booklet.pdf").is_file()


def test_the_creep_setting_of_the_pdfs_project(tmp_path: Path) -> None:
    from report.editions.printing import booklet_creep

    (tmp_path / "content").mkdir()
    (tmp_path / "build").mkdir()
    (tmp_path / "content" / "report.yaml").write_text(
        "title: T\ndate: 2020-01-01\nprint:\n  creep: 0.5mm\n")
    pdf = numbered_pdf(tmp_path / "build" / "r.pdf", 4)
    assert booklet_creep(pdf) == 0.5
    assert booklet_creep(numbered_pdf(tmp_path / "elsewhere.pdf", 4)) == 0.0

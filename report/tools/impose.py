"""Saddle-stitch imposition: a PDF of pages into a PDF of sheets to print, fold and staple.

A booklet of N pages (N padded with blank pages to a multiple of 4) is printed on N/4 sheets,
two pages side by side on each side of a sheet twice as wide as a page (A4 pages on A3, A5 on
A4, Letter on Tabloid). Sheet k from the outside carries, on its front, pages N-2k (left) and
2k+1 (right), and on its back pages 2k+2 (left) and N-2k-1 (right). Printed in sheet order
two-sided with the flip on the short edge, the back of every sheet is upright, page 2 behind
page 1; the stack folded in the middle and stapled reads 1, 2, 3, ... N.

Creep: the inner sheets of a folded stack wrap around the outer ones, so their pages stand out
at the fore-edge by about one paper thickness per sheet, and a trimmed booklet loses that much
of their outer margin. The allowance `creep` (about the paper's thickness) moves the content of
sheet k from the outside k * creep toward the spine, so that the text blocks line up after
folding and trimming; nothing crosses the fold, as each page is clipped at the spine.
"""

from __future__ import annotations

import io
import math
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

import pikepdf
from pypdf import PageObject, PdfReader, PdfWriter, Transformation
from pypdf.errors import DependencyError, DeprecationError, PyPdfError
from pypdf.generic import NameObject, RectangleObject

from report.editions.extract import open_untrusted
from report.files import write_atomically
from report.problems import Location, Problem, ReportError

MM = 72 / 25.4
# Landscape stock sizes, mm. Two A5 pages are 296 mm wide, A4 stock 297: a pair of pages up
# to 2 mm smaller than a stock size is centred on it, so the file prints at 100% on that stock.
STOCK_MM = ((420.0, 297.0), (297.0, 210.0), (210.0, 148.0), (431.8, 279.4), (279.4, 215.9))
# What pypdf raises on a damaged page that qpdf could still open and rewrite: the PDF's
# fault, not report's.
PYPDF_FAULTS = (PyPdfError, DependencyError, DeprecationError, NotImplementedError, ValueError,
                TypeError, KeyError, IndexError, AttributeError, RecursionError, AssertionError,
                StopIteration)


@dataclass(frozen=True)
class Side:
    """One side of one sheet: the 1-based page numbers set left and right (None: blank)."""

    sheet: int  # 0 is the outermost sheet
    front: bool
    left: int | None
    right: int | None


@dataclass(frozen=True)
class Booklet:
    pages: int  # pages of the source
    padded: int  # pages after padding to a multiple of 4
    sheets: int
    sheet_size: tuple[float, float]  # points
    creep_mm: float

    @property
    def blanks(self) -> int:
        return self.padded - self.pages


def saddle_stitch(pages: int) -> list[Side]:
    """The sides in print order (sheet 1 front, sheet 1 back, sheet 2 front, ...)."""
    padded = -(-max(pages, 1) // 4) * 4

    def real(number: int) -> int | None:
        return number if number <= pages else None

    sides = []
    for k in range(padded // 4):
        sides.append(Side(k, True, real(padded - 2 * k), real(2 * k + 1)))
        sides.append(Side(k, False, real(2 * k + 2), real(padded - 2 * k - 1)))
    return sides


def sheet_size(width: float, height: float) -> tuple[float, float]:
    """The sheet for two pages of this size (points): a stock size when one fits closely."""
    for w, h in STOCK_MM:
        if -0.5 <= w * MM - 2 * width <= 2 * MM and -0.5 <= h * MM - height <= 2 * MM:
            return w * MM, h * MM
    return 2 * width, height


def _trim(page: PageObject) -> RectangleObject:
    """The trimmed page: TrimBox when the PDF has a bleed, else the crop box."""
    return page.trimbox if "/TrimBox" in page else page.cropbox


def _place(sheet: PageObject, page: PageObject, slot: int, width: float, height: float,
           shift: float) -> None:
    """Set `page` in the left (slot 0) or right (slot 1) half, `shift` points toward the
    spine, clipped at the spine; a page of another size is scaled to fit and centred."""
    if page.rotation:  # a landscape page of a plain PDF: turn its content, not the sheet
        page.transfer_rotation_to_content()
    box = _trim(page)
    x0, y0 = float(box.left), float(box.bottom)
    w, h = float(box.width), float(box.height)
    scale = min(width / w, height / h)
    spine = float(sheet.mediabox.width) / 2
    dx = spine - width + (width - w * scale) / 2 + slot * width
    dy = (float(sheet.mediabox.height) - h * scale) / 2
    cut = shift / scale  # what moves past the spine, in the page's own units
    if slot == 0:  # the spine is the page's right edge
        page.cropbox = RectangleObject((x0, y0, x0 + w - cut, y0 + h))
        dx += shift
    else:  # the spine is the page's left edge
        page.cropbox = RectangleObject((x0 + cut, y0, x0 + w, y0 + h))
        dx -= shift
    if "/Annots" in page:  # links point at pages that are no longer where they were
        del page[NameObject("/Annots")]
    sheet.merge_transformed_page(
        page, Transformation().translate(-x0, -y0).scale(scale, scale).translate(dx, dy))


def _open(source: Path) -> PdfReader:
    """The PDF to impose, refused when it is not a sound, unencrypted PDF with pages that
    have an area; rewritten by qpdf first, so that pypdf reads a clean file."""
    where = Location(str(source))
    with open_untrusted(source, where, source.name) as pdf:
        data = io.BytesIO()
        try:
            pdf.save(data)
        except pikepdf.PikepdfError as error:  # qpdf reads the objects as it writes them
            raise _damaged(source, error) from None
    try:
        reader = PdfReader(data)
        count = len(reader.pages)
    except PYPDF_FAULTS as error:
        raise _damaged(source, error) from None
    if not count:
        raise ReportError([Problem(where, "This PDF has no pages.",
                                   "Impose a built report.", code="booklet-empty")])
    for number, page in enumerate(reader.pages, start=1):
        try:
            box = [float(v) for v in _trim(page)]
        except PYPDF_FAULTS as error:
            raise _damaged(source, error, number) from None
        if not all(math.isfinite(v) for v in box) or box[2] - box[0] <= 0 \
                or box[3] - box[1] <= 0:
            raise ReportError([Problem(where, f"Page {number} of {source.name} has no area "
                                       f"(its page box is {box}).", "Save the PDF again from "
                                       "the program that made it.", code="booklet-page-box")])
    return reader


def _damaged(source: Path, error: Exception, page: int = 0) -> ReportError:
    what = f"Page {page} of {source.name}" if page else source.name
    return ReportError([Problem(Location(str(source)), f"{what} is damaged and cannot be "
                                f"imposed ({error}).", "Save the PDF again from the program "
                                "that made it.", code="booklet-damaged")])


def impose(source: Path, output: Path, creep_mm: float = 0.0) -> Booklet:
    """Write the saddle-stitch booklet of `source` to `output` (via a temporary file); a
    PDF that cannot be imposed is refused before anything is written."""
    reader = _open(source)
    count = len(reader.pages)
    first = _trim(reader.pages[0])
    width, height = float(first.width), float(first.height)
    sides = saddle_stitch(count)
    size = sheet_size(width, height)
    writer = PdfWriter()
    for side in sides:
        sheet = writer.add_blank_page(*size)
        for slot, number in ((0, side.left), (1, side.right)):
            if number is None:
                continue
            try:
                _place(sheet, reader.pages[number - 1], slot, width, height,
                       side.sheet * creep_mm * MM)
            except PYPDF_FAULTS as error:
                raise _damaged(source, error, number) from None
    for index, side in enumerate(sides):
        writer.set_page_label(index, index, prefix=f"{side.sheet + 1} "
                              f"{'front' if side.front else 'back'}")
    with suppress(*PYPDF_FAULTS):  # a damaged information dictionary: the booklet goes without
        writer.add_metadata({k: v for k, v in (reader.metadata or {}).items()
                             if k in ("/Title", "/Author", "/Subject", "/CreationDate",
                                      "/ModDate", "/Creator", "/Producer")})
    # Preselect what the booklet needs in the print dialog: two-sided, flipped on the short
    # edge, printed at 100% (scaled to fit, the pages would no longer meet at the fold).
    prefs = writer.create_viewer_preferences()
    prefs[NameObject("/Duplex")] = NameObject("/DuplexFlipShortEdge")
    prefs[NameObject("/PrintScaling")] = NameObject("/None")
    try:
        write_atomically(output, writer.write)
    except PYPDF_FAULTS as error:
        raise _damaged(source, error) from None
    return Booklet(count, len(sides) * 2, len(sides) // 2, size, creep_mm)


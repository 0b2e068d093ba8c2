"""A watermark ("DRAFT", "CONFIDENTIAL") drawn as glyph outlines, not as text.

Text in the page background would be extracted by every tool that reads the PDF (search,
copy-and-paste, screen readers, `pdftotext`) and interleaved with the body text. The glyphs
are therefore turned into an SVG path with fontTools and used as the page's background image:
the mark is painted behind everything on every page, and no tool sees a word.
"""

from __future__ import annotations

import base64
import io
import math
from functools import lru_cache
from pathlib import Path

from fontTools.pens.svgPathPen import SVGPathPen
from fontTools.pens.transformPen import TransformPen
from fontTools.ttLib import TTFont

from report.problems import Location, Problem, ReportError
from report.render import fonts

# Faces tried in turn for each character: the bold sans, then the faces the report falls back to.
FACES = ("NotoSans-Bold.ttf", "NotoSerifArmenian-Bold.ttf", "NotoSansSymbols-Regular.ttf")
GREY = "#d4d4d4"  # light enough to read text over it; a solid tint, so no transparency in print
MARGIN_MM = 25.0  # the mark stays well inside the 10 mm a guillotine may take
TRACKING = 0.06  # em, between letters: capitals set wide read as a mark, not a word


@lru_cache(maxsize=8)
def _font(path: Path) -> TTFont:
    # read from memory: a cached font must hold no open file (a ResourceWarning at exit)
    return TTFont(io.BytesIO(path.read_bytes()), lazy=True)


def outline(text: str, root: Path) -> tuple[str, float, float]:
    """SVG path data of `text` on a baseline at y=0, y downwards, in units of 1/1000 em;
    with the advance width and the cap height, in the same units."""
    paths = fonts.find(root)
    faces = [_font(paths[name]) for name in FACES]
    cap = faces[0]["OS/2"].sCapHeight * 1000 / faces[0]["head"].unitsPerEm
    pen_x, parts = 0.0, []
    for char in text:
        font = next((f for f in faces if ord(char) in f.getBestCmap()), None)
        if font is None:
            raise ReportError([Problem(
                Location("watermark"), f"The watermark's character “{char}” is in none of the "
                "report's fonts.", "Use Latin, Cyrillic, Greek or Armenian letters.",
                code="watermark-glyph")])
        scale = 1000 / font["head"].unitsPerEm
        glyphs = font.getGlyphSet()
        name = font.getBestCmap()[ord(char)]
        pen = SVGPathPen(glyphs, ntos=lambda v: f"{v:.1f}")
        glyphs[name].draw(TransformPen(pen, (scale, 0, 0, -scale, pen_x, 0)))
        parts.append(pen.getCommands())
        pen_x += glyphs[name].width * scale + TRACKING * 1000
    return " ".join(p for p in parts if p), max(pen_x - TRACKING * 1000, 1.0), cap


def svg(text: str, root: Path, width_mm: float, height_mm: float) -> str:
    """An SVG the size of the page, with `text` centred on its rising diagonal."""
    path, advance, cap = outline(text.strip(), root)
    angle = math.atan2(height_mm, width_mm)
    cos, sin = math.cos(angle), math.sin(angle)
    # Scale (mm per unit) so that the rotated box of the text fits inside the margins, and so
    # that a short word is not set larger than about 40 mm cap height on A4.
    room_w, room_h = width_mm - 2 * MARGIN_MM, height_mm - 2 * MARGIN_MM
    k = min(room_w / (advance * cos + cap * sin), room_h / (advance * sin + cap * cos),
            0.2 * width_mm / cap)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width_mm}mm" '
            f'height="{height_mm}mm" viewBox="0 0 {width_mm} {height_mm}">'
            f'<path fill="{GREY}" transform="translate({width_mm / 2:.3f} {height_mm / 2:.3f}) '
            f"rotate({-math.degrees(angle):.4f}) scale({k:.6f}) "
            f'translate({-advance / 2:.1f} {cap / 2:.1f})" d="{path}"/></svg>')


def css(text: str, root: Path, width_mm: float, height_mm: float) -> str:
    """@page rule painting the watermark on every page, the size of the trimmed page.

    `fixed` makes the page box (margins included) the positioning area in WeasyPrint, so the
    mark is centred on the sheet, not on the text block, whatever the mirrored margins.
    """
    data = base64.b64encode(svg(text, root, width_mm, height_mm).encode()).decode("ascii")
    return (f'@page {{ background: url("data:image/svg+xml;base64,{data}") no-repeat '
            "center / 100% 100% fixed; }")

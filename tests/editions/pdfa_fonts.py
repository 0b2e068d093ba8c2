"""PDF/A-3 fonts (ISO 19005-3, 6.2.11) and content streams (6.1.10, 6.1.13, 6.2.2, 6.2.4.3,
6.2.6): every glyph drawn, found by reading the content streams, checked against the font
program embedded for it (fontTools). See tests/pdfa_syntax.py for the rule ids."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import Any

import pikepdf
from fontTools.ttLib import TTFont

RULES = {
    "6.1.10-1": "inline images: no LZW, Crypt or unknown filter",
    "6.1.13-8": "q/Q nested at most 28 deep",
    "6.1.13-10": "no CID above 65535",
    "6.2.2-1": "content streams use only operators of ISO 32000-1",
    "6.2.2-2": "content streams have their own Resources (not inherited)",
    "6.2.4.3-3": "no DeviceCMYK without a CMYK output intent (ours is sRGB)",
    "6.2.6-1": "rendering intents: the four of ISO 32000-1 only",
    "6.2.11.2-1": "font dictionaries: Type Font",
    "6.2.11.2-2": "font dictionaries: a standard Subtype",
    "6.2.11.2-3": "font dictionaries: a BaseFont",
    "6.2.11.2-4": "simple fonts: FirstChar",
    "6.2.11.2-5": "simple fonts: LastChar",
    "6.2.11.2-6": "simple fonts: Widths of LastChar - FirstChar + 1",
    "6.2.11.3-1": "Type 0 fonts: Identity-H/V, or compatible CIDSystemInfo",
    "6.2.11.3-2": "CIDFontType2: a CIDToGIDMap",
    "6.2.11.3-3": "CMaps: predefined or embedded",
    "6.2.11.4-1": "every font program embedded",
    "6.2.11.4-2": "every glyph drawn is in the embedded font program",
    "6.2.11.4-4": "a CIDSet, if any, lists every glyph of the font program",
    "6.2.11.5-1": "glyph widths in the font dictionary agree with the font program",
    "6.2.11.6-1": "non-symbolic (simple) TrueType fonts: a cmap",
    "6.2.11.8-1": "no text operator draws .notdef (glyph 0)",
}
OPERATORS = {'b', 'B', 'b*', 'B*', 'BDC', 'BI', 'BMC', 'BT', 'BX', 'c', 'cm', 'CS', 'cs', 'd',
             'd0', 'd1', 'Do', 'DP', 'EI', 'EMC', 'ET', 'EX', 'f', 'F', 'f*', 'G', 'g', 'gs',
             'h', 'i', 'ID', 'j', 'J', 'K', 'k', 'l', 'm', 'M', 'MP', 'n', 'q', 'Q', 're', 'RG',
             'rg', 'ri', 's', 'S', 'SC', 'sc', 'SCN', 'scn', 'sh', 'T*', 'Tc', 'Td', 'TD', 'Tf',
             'Tj', 'TJ', 'TL', 'Tm', 'Tr', 'Ts', 'Tw', 'Tz', 'v', 'w', 'W', 'W*', 'y', "'", '"',
             'INLINE IMAGE'}  # ISO 32000-1, Annex A
INTENTS = {"/RelativeColorimetric", "/AbsoluteColorimetric", "/Perceptual", "/Saturation"}
INLINE_FILTERS = {"/ASCIIHexDecode", "/ASCII85Decode", "/FlateDecode", "/RunLengthDecode",
                  "/CCITTFaxDecode", "/DCTDecode", "/AHx", "/A85", "/Fl", "/RL", "/CCF", "/DCT"}


def streams(pdf: pikepdf.Pdf) -> Iterator[tuple[str, Any, Any]]:
    """Every content stream: pages, form XObjects, tiling patterns, appearance streams;
    as (where, stream or page, its resources)."""
    seen: set[tuple[int, int]] = set()

    def forms(resources: Any, where: str) -> Iterator[tuple[str, Any, Any]]:
        for kind in ("/XObject", "/Pattern"):
            for name, obj in (resources.get(kind) or {}).items():
                if not isinstance(obj, pikepdf.Stream) or obj.objgen in seen:
                    continue
                seen.add(obj.objgen)
                if obj.get("/Subtype") == "/Form" or obj.get("/PatternType") == 1:
                    own = obj.get("/Resources")
                    yield f"{where} {name}", obj, own
                    if own is not None:
                        yield from forms(own, f"{where} {name}")

    for number, page in enumerate(pdf.pages, start=1):
        resources = page.obj.get("/Resources")
        yield f"page {number}", page, resources
        if resources is not None:
            yield from forms(resources, f"page {number}")
        for annot in page.obj.get("/Annots") or []:
            for appearance in (annot.get("/AP") or {}).values():
                if isinstance(appearance, pikepdf.Stream):
                    yield f"page {number} annotation", appearance, appearance.get("/Resources")


def glyphs(pdf: pikepdf.Pdf, fail: Any) -> Iterator[tuple[Any, int]]:
    """(font, CID) of every glyph a text operator shows; checks each content stream's
    operators on the way (6.1.10, 6.1.13-8, 6.2.2, 6.2.4.3-3, 6.2.6)."""
    for where, stream, resources in streams(pdf):
        if resources is None:
            fail("6.2.2-2", where)
            continue
        fonts, depth, stack, font = resources.get("/Font") or {}, 0, [], None
        for operands, operator in pikepdf.parse_content_stream(stream):
            op = str(operator)
            if op not in OPERATORS:
                fail("6.2.2-1", f"{where}: {op}")
            if op == "q":
                depth, stack = depth + 1, [*stack, font]
                if depth > 28:
                    fail("6.1.13-8", where)
            elif op == "Q":
                depth, font = depth - 1, stack.pop() if stack else None
            elif op == "Tf":
                font = fonts.get(str(operands[0]))
            elif op in ("k", "K") or op in ("cs", "CS") and str(operands[0]) == "/DeviceCMYK":
                fail("6.2.4.3-3", f"{where}: {op}")
            elif op == "ri" and str(operands[0]) not in INTENTS:
                fail("6.2.6-1", f"{where}: {operands[0]}")
            elif op == "INLINE IMAGE":
                _inline_image(operands, where, fail)
            elif op in ("Tj", "TJ", "'", '"') and font is not None:
                texts = operands[0] if op == "TJ" else operands[-1:]
                for text in texts:
                    if isinstance(text, pikepdf.String):
                        raw = bytes(text)
                        for i in range(0, len(raw) - 1, 2):
                            yield font, int.from_bytes(raw[i:i + 2], "big")


def _inline_image(operands: Any, where: str, fail: Any) -> None:
    image = operands[0]
    filters = image.obj.get("/F") or image.obj.get("/Filter")
    names = list(filters) if isinstance(filters, pikepdf.Array) else [filters] if filters else []
    for name in names:
        if str(name) not in INLINE_FILTERS:
            fail("6.1.10-1", f"{where}: {name}")


def _widths(descendant: Any) -> dict[int, float]:
    out: dict[int, float] = {}
    w = list(descendant.get("/W") or [])
    i = 0
    while i < len(w):
        if isinstance(w[i + 1], pikepdf.Array):
            out.update({int(w[i]) + j: float(x) for j, x in enumerate(w[i + 1])})
            i += 2
        else:
            out.update({c: float(w[i + 2]) for c in range(int(w[i]), int(w[i + 1]) + 1)})
            i += 3
    return out


def _unicode(font: Any) -> dict[int, str]:
    """CID → text, from the ToUnicode CMap (bfchar entries, as WeasyPrint writes them)."""
    data = font.ToUnicode.read_bytes().decode("latin-1") if "/ToUnicode" in font else ""
    return {int(c, 16): bytes.fromhex(u).decode("utf-16-be")
            for c, u in re.findall(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", data.split(
                "endcodespacerange")[-1])}


def check(pdf: pikepdf.Pdf) -> dict[str, list[str]]:
    failures: dict[str, list[str]] = {}

    def fail(rule: str, what: str) -> None:
        failures.setdefault(rule, []).append(what)

    used: dict[tuple[int, int], set[int]] = {}
    fonts: dict[tuple[int, int], Any] = {}
    for font, cid in glyphs(pdf, fail):
        used.setdefault(font.objgen, set()).add(cid)
        fonts[font.objgen] = font
    for key, font in fonts.items():
        _font(font, used[key], fail)
    return failures


def _font(font: Any, cids: set[int], fail: Any) -> None:
    name = str(font.get("/BaseFont"))
    subtype = str(font.get("/Subtype"))
    for f in [font, *(font.get("/DescendantFonts") or [])]:
        if f.get("/Type") != "/Font":
            fail("6.2.11.2-1", name)
        if str(f.get("/Subtype")) not in ("/Type1", "/MMType1", "/TrueType", "/Type3", "/Type0",
                                          "/CIDFontType0", "/CIDFontType2"):
            fail("6.2.11.2-2", name)
        if f.get("/Subtype") != "/Type3" and "/BaseFont" not in f:
            fail("6.2.11.2-3", name)
    if subtype != "/Type0":  # a simple font: the pipeline writes none; check all the same
        for rule, key in (("6.2.11.2-4", "/FirstChar"), ("6.2.11.2-5", "/LastChar")):
            if key not in font:
                fail(rule, name)
        if len(font.get("/Widths") or []) != int(font.get("/LastChar", 0)) - int(
                font.get("/FirstChar", 0)) + 1:
            fail("6.2.11.2-6", name)
        fail("6.2.11.6-1", f"{name}: a simple {subtype} font, not checked further")
        return
    if str(font.get("/Encoding")) not in ("/Identity-H", "/Identity-V"):
        fail("6.2.11.3-1", name)
        fail("6.2.11.3-3", f"{name}: CMap {font.get('/Encoding')}")
    cidfont = font.DescendantFonts[0]
    if cidfont.get("/Subtype") == "/CIDFontType2" and "/CIDToGIDMap" not in cidfont:
        fail("6.2.11.3-2", name)
    descriptor = cidfont.FontDescriptor
    program = next((descriptor[k] for k in ("/FontFile", "/FontFile2", "/FontFile3")
                    if k in descriptor), None)
    if program is None:
        fail("6.2.11.4-1", name)
        return
    ttf = TTFont(io.BytesIO(program.read_bytes()))
    order, scale = ttf.getGlyphOrder(), 1000 / ttf["head"].unitsPerEm
    widths, text = _widths(cidfont), _unicode(font)
    default = float(cidfont.get("/DW", 1000))
    for cid in sorted(cids):
        if cid == 0:
            fail("6.2.11.8-1", name)
        if cid > 65535:
            fail("6.1.13-10", f"{name}: {cid}")
        if cid >= len(order):
            fail("6.2.11.4-2", f"{name}: glyph {cid} is not in the font")
            continue
        glyph = ttf["glyf"][order[cid]]
        if glyph.numberOfContours == 0 and text.get(cid, " ").strip():
            fail("6.2.11.4-2", f"{name}: glyph {cid} ({text.get(cid)!r}) has no outline")
        advance = ttf["hmtx"][order[cid]][0] * scale
        if abs(widths.get(cid, default) - advance) > 1:
            fail("6.2.11.5-1", f"{name}: glyph {cid}: {widths.get(cid, default)} ≠ {advance}")
    if "/CIDSet" in descriptor:
        bits = descriptor.CIDSet.read_bytes()
        present = [g for g, glyph in enumerate(order) if ttf["glyf"][glyph].numberOfContours]
        if any(not bits[g // 8] & (0x80 >> g % 8) for g in present if g // 8 < len(bits)):
            fail("6.2.11.4-4", name)

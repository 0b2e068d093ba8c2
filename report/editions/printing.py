"""The print edition: a PDF for a duplex printer or a print shop.

Pages are set as spreads: mirrored margins (the wider one at the spine), running heads and
folios on the outer edge, the contents, every chapter and every appendix opening on a
right-hand page, and the blank left-hand pages this creates left without head or folio.
Nothing is printed in the outer 10 mm, which a trimmer or a printer's unprintable edge may
take. Options (`print:` in content/report.yaml, overridden on the command line): the paper,
a bleed with crop marks drawn outside it, and a watermark drawn as outlines (report/watermark).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pydyf

from report.editions import watermark
from report.editions.registry import Edition, register
from report.layout.finishers import Finisher
from report.problems import Location, Problem, ReportError
from report.project.load import read_yaml
from report.project.options import BuildContext, BuildOptions
from report.project.schema import Settings

PAPERS_MM = {"a4": (210.0, 297.0), "letter": (215.9, 279.4), "a5": (148.0, 210.0)}
MM = 72 / 25.4  # points per millimetre
SAFE_MM = 10.0  # nothing printed this close to the trimmed edge


@dataclass(frozen=True)
class Margins:
    """Page margins in mm; `head` and `foot` are the gaps between the text block and the
    running head or folio, which sit in the margin at least SAFE_MM from the edge."""

    top: float
    bottom: float
    inner: float
    outer: float
    head: float = 6.0
    foot: float = 7.0


MARGINS = {
    "a4": Margins(top=22, bottom=26, inner=27, outer=19),
    "letter": Margins(top=21, bottom=25, inner=27, outer=19),
    "a5": Margins(top=18, bottom=21, inner=19, outer=13, head=4.5, foot=5.5),
}
LINE_MM = 3.0  # the height of a running head's line (8.5pt, line-height 1)


@dataclass(frozen=True)
class PrintOptions:
    paper: str
    bleed_mm: float = 0.0
    watermark: str | None = None
    creep_mm: float = 0.0


def length_mm(text: str, where: Location) -> float:
    """`3mm`, `0.3cm`, `0.125in`, `9pt` in millimetres; ReportError saying where otherwise."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(mm|cm|in|pt)\s*", text)
    if not match:
        raise ReportError([Problem(where, f"“{text}” is not a length.",
                                   "Write a number and its unit: 3mm, 0.125in or 9pt.",
                                   code="bad-length")])
    value, unit = float(match[1]), match[2]
    return value * {"mm": 1.0, "cm": 10.0, "in": 25.4, "pt": 1 / MM}[unit]


def resolve(settings: Settings, options: BuildOptions) -> PrintOptions:
    """The command line over the `print:` settings over the report's own paper."""
    saved = settings.print
    paper = options.paper or (saved and saved.paper) or settings.paper
    bleed = options.bleed or (saved and saved.bleed)
    creep = options.creep or (saved and saved.creep)
    mark = options.watermark or (saved and saved.watermark) or None

    def where(name: str) -> Location:
        given = getattr(options, name)
        return Location(f"--{name}") if given else Location("content/report.yaml")

    if mark is not None and not mark.strip():
        mark = None
    if mark is not None and len(mark) > 40:
        raise ReportError([Problem(where("watermark"), "The watermark is too long for a page.",
                                   "Use a word or two, e.g. DRAFT or CONFIDENTIAL.",
                                   code="watermark-too-long")])
    bleed_mm = length_mm(bleed, where("bleed")) if bleed else 0.0
    if bleed_mm > 20:
        raise ReportError([Problem(where("bleed"), "A bleed of more than 20 mm is not a bleed.",
                                   "Print shops ask for 3 mm (0.125in in the US).",
                                   code="bad-bleed")])
    creep_mm = length_mm(creep, where("creep")) if creep else 0.0
    return PrintOptions(str(paper), bleed_mm, mark, creep_mm)


def _margin_box(side: str, content: str, style: str = "") -> str:
    return f"@{side} {{ content: {content}; {style} }}"


def page_css(o: PrintOptions) -> str:
    """@page rules: size, bleed, mirrored margins, heads and folios outside, blank blanks."""
    m = MARGINS[o.paper]
    width, height = PAPERS_MM[o.paper]
    head = (f"font: 8.5pt/1 var(--sans); color: #555; vertical-align: bottom; "
            f"padding-bottom: {m.head}mm;")
    foot = (f"font: 8.5pt/1 var(--sans); color: #333; vertical-align: top; "
            f"padding-top: {m.foot}mm; font-variant-numeric: lining-nums;")
    none = " ".join(_margin_box(box, "none") for box in (
        "top-left", "top-center", "top-right", "bottom-left", "bottom-center", "bottom-right"))
    bleed = f" bleed: {o.bleed_mm}mm;" if o.bleed_mm else ""
    return "\n".join([
        f"@page {{ size: {width}mm {height}mm;{bleed} margin: {m.top}mm {m.outer}mm "
        f"{m.bottom}mm {m.inner}mm; }}",
        f"@page :left {{ margin-left: {m.outer}mm; margin-right: {m.inner}mm; "
        + _margin_box("top-left", "string(running-title)", head + " text-align: left;")
        + _margin_box("top-right", "none")
        + _margin_box("bottom-left", "counter(page)", foot + " text-align: left;")
        + _margin_box("bottom-center", "none") + _margin_box("bottom-right", "none") + " }",
        f"@page :right {{ margin-left: {m.inner}mm; margin-right: {m.outer}mm; "
        + _margin_box("top-right", "string(chapter)", head + " font-style: italic; "
                      "text-align: right;")
        + _margin_box("top-left", "none")
        + _margin_box("bottom-right", "counter(page)", foot + " text-align: right;")
        + _margin_box("bottom-center", "none") + _margin_box("bottom-left", "none") + " }",
        # The theme's named pages outrank :left and :right: say again what they show. The
        # front matter is numbered in roman numerals, as the theme and the page labels do.
        "@page front:left { "
        + _margin_box("top-left", "string(running-title)", head + " text-align: left;")
        + _margin_box("bottom-left", "counter(page, lower-roman)", foot + " text-align: left;")
        + _margin_box("bottom-center", "none") + " }",
        "@page front:right { "
        + _margin_box("bottom-right", "counter(page, lower-roman)", foot + " text-align: right;")
        + _margin_box("bottom-center", "none") + " }",
        f"@page :first {{ {none} }}", f"@page cover {{ {none} }}",
        # :blank outranks :left and :right, and name:blank outranks name:left.
        f"@page :blank {{ {none} }}", f"@page front:blank {{ {none} }}",
        f"@page cover:blank {{ {none} }}",
    ])


def body_css(o: PrintOptions) -> str:
    """Every part (the front matter, the body, each appendix) on a right-hand page, and each
    section too when sections start a page (`sections: new-page`: chapters); the cover fits
    the page; smaller type in A5."""
    m = MARGINS[o.paper]
    cover = PAPERS_MM[o.paper][1] - m.top - m.bottom - 8
    rules = [
        ".contents { break-before: right; }",
        "main .chapter:first-child, main.sections-new-page > .chapter, .appendix "
        "{ break-before: right; }",
        f".cover {{ height: {cover:.1f}mm; }}",
        # A note called inside a `nowrap` key-facts figure inherits nowrap and runs off a
        # narrow page (A5); notes always wrap.
        ".footnote { white-space: normal; }",
    ]
    if o.paper == "a5":
        rules += [
            "html { font-size: 9.6pt; }",
            "h2 { font-size: 13pt; } .cover .title { font-size: 26pt; }",
            ".footnote { font-size: 7.6pt; } blockquote { font-size: 9pt; }",
            ".event .when { width: 26mm; } .event .what { margin-left: 28mm; }",
        ]
    return "\n".join(rules)


def css(ctx: BuildContext) -> str:
    o = resolve(ctx.settings, ctx.options)
    parts = [page_css(o), body_css(o)]
    if o.watermark:
        parts.append(watermark.css(o.watermark, ctx.root, *PAPERS_MM[o.paper]))
    return "\n".join(parts)


def _pages(pdf: pydyf.PDF) -> list[pydyf.Dictionary]:
    return [obj for obj in pdf.objects
            if isinstance(obj, pydyf.Dictionary) and obj.get("Type") == "/Page"]


def crop_marks(bleed_mm: float) -> Finisher:
    """Crop marks outside the bleed, in registration (100% of each ink), hairline.

    Registration is the Separation colour space /All, which a RIP prints on every plate; its
    alternate, for screens and proofs, is black in the output intent's RGB profile: a
    device-independent space, as PDF/A asks (ISO 19005-3, 6.2.4.4), where `1 1 1 1 K` in
    DeviceCMYK would need a CMYK output intent.

    WeasyPrint's own `marks: crop` draws 1.5 mm ticks inside a 3 mm bleed, where they would
    print over any artwork that bleeds; a print shop expects them offset by at least the bleed.
    The media box grows to hold them; TrimBox stays the page and BleedBox becomes the bleed.
    """
    offset = max(bleed_mm, 3.0) * MM
    length, slug = 5.0 * MM, (max(bleed_mm, 3.0) + 6.0) * MM
    bleed = bleed_mm * MM

    def finish(document: Any, pdf: pydyf.PDF) -> None:
        registration = _registration(pdf)
        for page in _pages(pdf):
            x0, y0, x1, y1 = (float(v) for v in page["TrimBox"])
            left, right = min(x0, x1), max(x0, x1)
            bottom, top = min(y0, y1), max(y0, y1)
            page["MediaBox"] = pydyf.Array([left - slug, bottom - slug, right + slug, top + slug])
            page["BleedBox"] = pydyf.Array([left - bleed, bottom - bleed, right + bleed,
                                            top + bleed])
            lines = []
            for x, y, sx, sy in ((left, bottom, -1, -1), (right, bottom, 1, -1),
                                 (left, top, -1, 1), (right, top, 1, 1)):
                lines.append(f"{x + sx * offset:.3f} {y:.3f} m "
                             f"{x + sx * (offset + length):.3f} {y:.3f} l S")
                lines.append(f"{x:.3f} {y + sy * offset:.3f} m "
                             f"{x:.3f} {y + sy * (offset + length):.3f} l S")
            before = pydyf.Stream([b"q"])
            # a printer's mark: an artifact (ISO 32000-1, 14.8.2.2), not content to read
            after = pydyf.Stream([b"Q /Artifact <</Type /Page>> BDC q 0.25 w 0 J "
                                  b"/ReportRegistration CS 1 SCN", *lines, b"Q EMC"])
            resources = _resolved(pdf, page["Resources"])  # shared by the pages, often
            if "ColorSpace" not in resources:
                resources["ColorSpace"] = pydyf.Dictionary()
            _resolved(pdf, resources["ColorSpace"])["ReportRegistration"] = registration
            pdf.add_object(before)
            pdf.add_object(after)
            page["Contents"] = pydyf.Array([before.reference, page["Contents"],
                                            after.reference])
    return finish


def _resolved(pdf: pydyf.PDF, value: Any) -> Any:
    """A pydyf value, or the object a reference (b"N 0 R") points to."""
    if isinstance(value, bytes | str):
        return pdf.objects[int(value.split()[0])]
    return value


def _registration(pdf: pydyf.PDF) -> Any:
    """The colour space /All, its alternate black in the output intent's profile."""
    intents = pdf.catalog.get("OutputIntents")
    if not intents:
        raise ValueError("crop marks need the output intent's profile")
    black = pydyf.Dictionary({"FunctionType": 2, "Domain": pydyf.Array([0, 1]),
                              "C0": pydyf.Array([1, 1, 1]), "C1": pydyf.Array([0, 0, 0]),
                              "N": 1})
    pdf.add_object(black)
    space = pydyf.Array(["/Separation", "/All",
                         pydyf.Array(["/ICCBased", intents[0]["DestOutputProfile"]]),
                         black.reference])
    pdf.add_object(space)
    return space.reference


def duplex_hints(document: Any, pdf: pydyf.PDF) -> None:
    """Tell the print dialog: two-sided, flipped on the long edge, at 100% (a shrunk page
    would move the margins the mirrored layout depends on)."""
    prefs = pdf.catalog.get("ViewerPreferences") or pydyf.Dictionary({})
    prefs["Duplex"] = "/DuplexFlipLongEdge"
    prefs["PrintScaling"] = "/None"
    pdf.catalog["ViewerPreferences"] = prefs


def finishers(ctx: BuildContext) -> list[Finisher]:
    o = resolve(ctx.settings, ctx.options)
    return [duplex_hints, *([crop_marks(o.bleed_mm)] if o.bleed_mm else [])]


def booklet_creep(pdf: Path) -> float:
    """The `print: creep:` setting of the project a PDF was built in (PROJECT/build/*.pdf),
    so that `report booklet` honours it without being told the project; 0 elsewhere."""
    build = pdf.resolve().parent
    report = build.parent / "content" / "report.yaml"
    if build.name != "build" or not report.is_file():
        return 0.0
    file = read_yaml(report, "content/report.yaml")
    saved = file.data.get("print") if isinstance(file.data, dict) else None
    creep = saved.get("creep") if isinstance(saved, dict) else None
    return length_mm(str(creep), file.where(("print", "creep"))) if creep else 0.0


PRINT = register(Edition(
    "print", "the print edition: duplex spreads, parts on right-hand pages, optional bleed "
             "with crop marks and a watermark", css=css, finishers=finishers,
    default_output="build/report-print.pdf"))

"""`figure:` a numbered image with its caption ("Figure 2. Districts of the city"), a credit line,
its alternative text, a width and a placement.

The image is a file inside the project: PNG, JPEG, GIF, WebP or SVG. It is read once, when the
walk (report/project/walk.py) first meets the block (`read`), so that `report check` and every
edition judge the same file; what is wrong with it (missing, outside the project, corrupt, an
SVG that would reach outside the report or set its text in a font the report does not pin) is
an error at the `image:` line naming the file, reported by `findings`. So is a figure without
`alt:` (a reader who cannot see the image is told what it shows): neither can be waived.

WeasyPrint 70 cannot draw a PDF as an image (it reads images with its SVG parser or Pillow,
which reads no PDF), and does not know `float: top`: a figure is placed `here` or on a `page`
of its own.

The caption and the credit are texts (Markdown, citations, notes, lint); `alt` is plain text,
escaped in the HTML.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Annotated, Any, Literal
from urllib.parse import quote
from xml.parsers import expat

from markupsafe import Markup
from PIL import Image, UnidentifiedImageError
from pydantic import Field, PrivateAttr, WithJsonSchema, field_validator

from report.blocks.base import Block, Model, Text
from report.blocks.spec import BlockSpec, Finding, Steps
from report.files import NotInProject, not_in_project, project_file

MAX_BYTES = 50_000_000  # an image file; an SVG (parsed whole) at most SVG_MAX_BYTES
SVG_MAX_BYTES = 5_000_000
RASTERS = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".gif": "GIF", ".webp": "WEBP"}
SUFFIXES = (*RASTERS, ".svg")
# The font families the report pins, as its @font-face rules name them (report/render/fonts.py's
# FACES; the blocks stage may not import the render stage, so tests/blocks/test_figure.py keeps
# this list equal to theirs). An SVG's text must name only these: any other family, a generic
# one (sans-serif) included, is chosen by fontconfig among the machine's fonts, which the
# archive edition refuses.
PINNED_FAMILIES = ("Report Serif", "Report Serif Armenian", "Report Sans", "Report Symbols")
FONT_HINT = ('Set the SVG\'s text in font-family="Report Sans" or "Report Serif" (the report\'s '
             'pinned Noto Sans and Noto Serif), or convert the text to paths in the drawing '
             'program.')
# A figure's width, as three patterns that the model and the JSON Schema (ECMAScript) read
# alike: its form, then more than 0% and at most 100%, then never zero. Compared as written, not
# as floats, which would round 100.0000000000000001% to 100%.
WIDTH = r"([0-9]+(\.[0-9]+)?)(%|mm|cm|in|pt|px)"
_POSITIVE = r"0*[1-9][0-9]*(\.[0-9]+)?|0+\.[0-9]*[1-9][0-9]*"
PERCENT = r"(0*[1-9][0-9]?(\.[0-9]+)?|0*100(\.0+)?|0+\.[0-9]*[1-9][0-9]*)%"
NOT_ZERO = rf"({_POSITIVE})(mm|cm|in|pt|px)"
WIDTH_SCHEMA = {"type": "string", "pattern": f"^({PERCENT}|{NOT_ZERO})$", "patternErrorMessage": (
    "A share of the text's width, more than 0% and at most 100% (60%), or a length in mm, cm, "
    "in, pt or px (80mm).")}
Placement = Literal["here", "page"]


class FigureBody(Model):
    """A figure: its image, what it shows for a reader who cannot see it, its caption."""

    image: Text = Field(description=(
        "The image file inside the project: PNG, JPEG, GIF, WebP or SVG."),
        examples=["images/vote.svg"])
    alt: str | None = Field(None, description=(
        "What the image shows, in plain text, for a reader who cannot see it (required: "
        "`report check` reports a figure without it)."), examples=[
        "A bar chart of the vote: 48 states in favour, none against, 8 abstentions."])
    caption: Text = Field(description="What the figure shows; printed as \"Figure N. Caption\".",
                          examples=["The vote on resolution 217 A (III), as bars"])
    credit: Text | None = Field(None, description=(
        "Who made the image, printed under the caption (Markdown, with citations)."),
        examples=["Drawn from the voting record [@unga-217a]."])
    width: Annotated[str, WithJsonSchema(WIDTH_SCHEMA)] = Field("100%", description=(
        "The image's width: a share of the text's width (60%) or a length (80mm, 3in, 200pt); "
        "never wider than the text."), examples=["60%", "80mm"])
    placement: Placement = Field("here", description=(
        "here: where it is written, never split from its caption; page: on a page of its own."),
        examples=["page"])

    @field_validator("width", mode="before")
    @classmethod
    def _width(cls, value: Any) -> Any:
        if isinstance(value, int | float) and not isinstance(value, bool):
            raise ValueError(f"Give the width a unit: {value}% of the text's width, or "
                             f"{value}mm.")
        if isinstance(value, str):
            if not re.fullmatch(WIDTH, value):
                raise ValueError("Write the width as a share of the text's width (60%) or a "
                                 "length in mm, cm, in, pt or px (80mm).")
            if value.endswith("%") and not re.fullmatch(PERCENT, value):
                raise ValueError("A figure's width is more than 0% and at most 100% of the "
                                 "text's width.")
            if not re.fullmatch(PERCENT, value) and not re.fullmatch(NOT_ZERO, value):
                raise ValueError("A figure's width cannot be 0.")
        return value


@dataclass(frozen=True)
class Read:
    """What reading a figure's image gave: its URL relative to the project, and what is wrong."""

    url: str = ""
    kind: str = ""  # "svg", or Pillow's format name ("PNG")
    size: tuple[int, int] | None = None  # raster images: pixels
    problems: tuple[Finding, ...] = ()


class Figure(Block):
    """A numbered image with its caption."""

    kind = "figure"
    figure: FigureBody = Field(description=(
        "The figure: its image, its alternative text, its caption and credit, its width."),
        examples=[{"image": "images/vote.svg", "alt": "A bar chart of the vote.",
                   "caption": "The vote on resolution 217 A (III), as bars", "width": "80%"}])
    _read: Read | None = PrivateAttr(None)


# --- reading the image --------------------------------------------------------------------------

def read(block: Figure, root: Path) -> tuple[()]:
    """Read and verify the block's image once; later calls keep what was read. The image holds
    no text of the block, so it gives no DataFile."""
    if block._read is None:
        block._read = read_image(root, block.figure.image)
    return ()


def _problem(message: str, hint: str, value: str = "") -> Read:
    return Read(problems=(Finding(("figure", "image"), "figure-image", message, hint, "error",
                                  value),))


def read_image(root: Path, name: str) -> Read:
    """The image `name` (a path inside the project at `root`), verified; or what is wrong."""
    try:
        path = project_file(root, name)
    except NotInProject as error:
        return _problem(*not_in_project(error.reason, name, "image", "image: images/map.png"),
                        name)
    parts = PurePosixPath(name.replace("\\", "/")).parts  # the name as messages give it
    suffix = PurePosixPath(name).suffix.lower()
    if suffix == ".pdf":
        return _problem(f"The image `{name}` is a PDF file, which the layout engine "
                        "(WeasyPrint) cannot draw as an image.",
                        "Export it as SVG (with its text in the report's fonts or as paths) "
                        "or as PNG at 300 dpi, e.g. with `pdftocairo -svg` or `pdftoppm -png "
                        "-r 300`.", name)
    if suffix not in SUFFIXES:
        return _problem(f"The image `{name}` is not a PNG, JPEG, GIF, WebP or SVG file.",
                        "Save the image in one of these formats, named with its suffix "
                        "(.png, .jpg, .gif, .webp, .svg).", name)
    size = path.stat().st_size
    most = SVG_MAX_BYTES if suffix == ".svg" else MAX_BYTES
    if size > most:
        return _problem(f"The image `{name}` is too large ({size:,} bytes).",
                        f"An image file holds at most {most:,} bytes: reduce it.", name)
    try:
        data = path.read_bytes()
    except OSError as error:
        return _problem(f"The image `{name}` cannot be read: {error.strerror or error}.",
                        "Check the file's permissions, or copy it into the project again.", name)
    url = quote(PurePosixPath(*parts).as_posix(), safe="/")
    if suffix == ".svg":
        problem = _svg(name, data)
        return Read(problems=(problem,)) if problem else Read(url, "svg")
    return _raster(name, data, url, RASTERS[suffix])


def _raster(name: str, data: bytes, url: str, expected: str) -> Read:
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()  # the file's structure and checksums
        with Image.open(io.BytesIO(data)) as image:  # verify() leaves it unusable: open again
            found, size, mode = image.format or "", image.size, image.mode
            image.load()  # its pixels: a truncated file fails here
    except UnidentifiedImageError:
        return _problem(f"The image `{name}` is not an image file I can read.",
                        "Open it in an image editor and save it again as PNG or JPEG.", name)
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
        return _problem(f"The image `{name}` is damaged: {error}.",
                        "Open it in an image editor and save it again, or export it anew.", name)
    if found not in RASTERS.values():
        return _problem(f"The image `{name}` is a {found} file, which the report does not "
                        "print.", "Save it as PNG or JPEG.", name)
    if mode == "CMYK":
        return _problem(f"The image `{name}` is in CMYK colours; the archive edition (PDF/A, "
                        "sRGB) may hold RGB images only.", "Convert it to RGB (sRGB) and save it "
                        "again.", name)
    if found != expected:
        suffix = PurePosixPath(name).suffix
        return _problem(f"The image `{name}` is a {found} file named {suffix}.",
                        f"Rename it with the suffix of its format (.{found.lower()}).", name)
    return Read(url, found, size)


# --- SVG ----------------------------------------------------------------------------------------

SVG_NS = "{http://www.w3.org/2000/svg}"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
TEXT_TAGS = {"text", "tspan", "textPath"}
URL = re.compile(r"url\(\s*(['\"]?)(.*?)\1\s*\)", re.I)
FAMILY = re.compile(r"(?:^|[;{\s])font-family\s*:\s*([^;}]+)", re.I)
FONT = re.compile(r"(?:^|[;{\s])font\s*:\s*([^;}]+)", re.I)


class _Refused(Exception):
    pass


def _svg(name: str, data: bytes) -> Finding | None:
    """What is wrong with an SVG file: not XML, a DOCTYPE (entities could expand without end or
    read other files), a reference to anything outside it, text in a font the report does not
    pin."""
    def problem(message: str, hint: str) -> Finding:
        return Finding(("figure", "image"), "figure-image", message, hint, "error", name)

    scanner = expat.ParserCreate()

    def refuse(*args: Any) -> Any:
        raise _Refused

    scanner.StartDoctypeDeclHandler = refuse
    scanner.EntityDeclHandler = refuse
    scanner.ExternalEntityRefHandler = refuse
    try:
        scanner.Parse(data, True)
        tree = ElementTree.fromstring(data)
    except _Refused:
        return problem(f"The SVG image `{name}` has a DOCTYPE or ENTITY declaration, which "
                       "could make the build read other files or expand without end.",
                       "Remove the <!DOCTYPE ...> declaration from the file (SVG needs none), "
                       "or export the drawing again as plain SVG.")
    except (expat.ExpatError, ElementTree.ParseError) as error:
        return problem(f"The SVG image `{name}` is not well-formed XML: {error}.",
                       "Export the drawing again as SVG, or correct the file at that line.")
    if tree.tag not in (f"{SVG_NS}svg", "svg"):
        return problem(f"The image `{name}` is not an SVG image: its root element is "
                       f"<{_local(tree.tag)}>.", "Export the drawing again as SVG.")
    for element in tree.iter():
        for key in ("href", XLINK_HREF):
            href = (element.get(key) or "").strip()
            if href and not _internal(href):
                return problem(f"The SVG image `{name}` refers to `{href[:80]}` (in "
                               f"<{_local(element.tag)}>), outside the image; a build reads "
                               "nothing but the project's files.",
                               "Embed what it refers to in the SVG, or refer only to its own "
                               "elements (href=\"#id\").")
        styles = [element.get("style") or ""]
        if _local(element.tag) == "style":
            styles.append("".join(element.itertext()))
        styles += [value for key, value in element.attrib.items() if "url(" in value.lower()]
        for css in styles:
            for match in URL.finditer(css):
                if not _internal(match.group(2).strip()):
                    return problem(f"The SVG image `{name}` refers to `{match.group(2)[:80]}` "
                                   "(in a url()), outside the image; a build reads nothing "
                                   "but the project's files.",
                                   "Embed what it refers to in the SVG, or refer only to its "
                                   "own elements (url(#id)).")
            if "@import" in css.lower():
                return problem(f"The SVG image `{name}` imports a style sheet.",
                               "Put the styles in the SVG itself.")
            if "@font-face" in css.lower():
                return problem(f"The SVG image `{name}` declares a font of its own "
                               "(@font-face), not one of the report's pinned fonts.", FONT_HINT)
    return _fonts(name, tree, problem)


def _internal(href: str) -> bool:
    return href.startswith("#") or href.lower().startswith("data:")


def _local(tag: Any) -> str:
    return str(tag).rpartition("}")[2]


def _families(value: str) -> list[str]:
    return [family.strip().strip("'\"").strip() for family in value.split(",") if family.strip()]


def _shorthand(value: str) -> list[str]:
    """The families of a `font:` shorthand as WeasyPrint 70 reads it: what follows its first
    word (`12px Report Sans`; `bold 12px Report Sans` gives the family `12px Report Sans`)."""
    parts = value.strip().split(maxsplit=1)
    return _families(parts[1]) if len(parts) == 2 else []


def _declared(element: ElementTree.Element) -> list[str] | None:
    """The families an element sets, or None (it inherits its parent's), in WeasyPrint 70's
    order: its attributes, overridden by its style=, then a `font` shorthand expanded."""
    values = {key: str(element.get(key)) for key in ("font-family", "font") if element.get(key)}
    for declaration in (element.get("style") or "").split(";"):
        key, colon, value = declaration.partition(":")
        if colon and key.strip().lower() in ("font-family", "font"):
            values[key.strip().lower()] = value
    families = _families(values["font-family"]) if "font-family" in values else None
    if "font" in values and _shorthand(values["font"]):
        families = _shorthand(values["font"])
    return None if families in (None, [], ["inherit"]) else families


def _fonts(name: str, tree: ElementTree.Element,
           problem: Callable[[str, str], Finding]) -> Finding | None:
    """Every text of the SVG in a pinned family (inherited from its parents; WeasyPrint's
    default is sans-serif), and every family its style sheets name pinned too."""
    named: list[str] = []
    for element in tree.iter():
        if _local(element.tag) == "style":
            css = "".join(element.itertext())
            for match in FAMILY.finditer(css):
                named += _families(match.group(1))
            for match in FONT.finditer(css):
                named += _shorthand(match.group(1))

    def walk(element: ElementTree.Element, inherited: list[str]) -> None:
        families = _declared(element) or inherited
        if _local(element.tag) in TEXT_TAGS and "".join(
                [element.text or "", *(child.tail or "" for child in element)]).strip():
            named.extend(families)
        for child in element:
            walk(child, families)

    walk(tree, ["sans-serif"])
    unpinned = [family for family in dict.fromkeys(named) if family not in PINNED_FAMILIES]
    if unpinned:
        return problem(f"The SVG image `{name}` sets text in `{unpinned[0]}`, not one of the "
                       "report's pinned fonts: the build would take a font of this machine "
                       "(which the archive edition refuses).", FONT_HINT)
    return None


# --- the block's texts, findings and view -------------------------------------------------------

def texts(block: Figure) -> Iterator[tuple[Steps, str]]:
    yield ("figure", "caption"), block.figure.caption
    if block.figure.credit:
        yield ("figure", "credit"), block.figure.credit


def findings(block: Figure) -> Iterator[Finding]:
    """What is wrong with the image, and a missing alternative text: errors, never waived."""
    if not (block.figure.alt or "").strip():
        yield Finding(("figure",), "figure-without-alt",
                      f"The figure `{block.figure.image}` has no alternative text.",
                      "Say in `alt:` what the image shows, in a sentence or two of plain text, "
                      "for a reader who cannot see it: alt: A map of the city's districts, ...",
                      "error", block.figure.image)
    if block._read is not None:
        yield from block._read.problems


def view(block: Figure, html: Callable[[Steps], Markup]) -> dict[str, Any]:
    body, found = block.figure, block._read
    return {"src": found.url if found else "", "alt": (body.alt or "").strip(),
            "caption": html(("figure", "caption")),
            "credit": html(("figure", "credit")) if body.credit else Markup(""),
            "width": body.width, "placement": body.placement}


SPEC = BlockSpec("figure", Figure, texts, view, "figure.html.j2", "figure.css",
                 findings=findings, numbered="figure", read=read)

"""`figure:` numbered images (PNG, JPEG, GIF, WebP, SVG) with a caption, a credit, alternative
text, a width and a placement; an image that is missing, outside the project, damaged or that
would reach outside the report (an SVG's links, its fonts) is an error naming the file, in
`check` and in every build; in the PDF, the image is drawn and the archive embeds its file."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from pypdf import PdfReader

from report.blocks import figure
from report.pipeline import build, prepare
from report.problems import ReportError
from report.project.options import BuildOptions
from report.render import fonts
from tests.conftest import check_json, make, pdftotext

SECTION = "content/sections/01-one.yaml"


def section(*blocks: str) -> dict[str, str]:
    return {SECTION: "id: one\ntitle: One\nblocks:\n" + "".join(blocks)}


def cmyk() -> bytes:
    out = io.BytesIO()
    Image.new("CMYK", (20, 20), (0, 80, 80, 0)).save(out, "JPEG")
    return out.getvalue()


def png(size: tuple[int, int] = (120, 80)) -> bytes:
    image = Image.new("RGB", size, "#cde")
    ImageDraw.Draw(image).ellipse((10, 10, size[0] - 10, size[1] - 10), fill="#a33")
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def svg(body: str, head: str = "") -> bytes:
    return (f'{head}<svg xmlns="http://www.w3.org/2000/svg" '
            f'xmlns:xlink="http://www.w3.org/1999/xlink" width="200" height="60" '
            f'viewBox="0 0 200 60">{body}</svg>').encode()


GOOD_SVG = svg('<rect x="2" y="2" width="196" height="56" fill="none" stroke="#333"/>'
               '<g font-family="Report Sans"><text x="10" y="38" font-size="20">Chart '
               '<tspan style="font-family: \'Report Serif\'">label</tspan></text>'
               '<text x="120" y="38" style="font: 14px Report Serif" font-family="inherit">'
               'more</text></g>')

MAP = """\
  - id: map
    figure:
      image: images/map.png
      alt: A red ellipse on a pale blue ground, <b>not bold</b>.
      caption: Districts of Baku
      credit: "Map by Jane Doe [@doe-2001]."
      width: 60%
"""
CHART = """\
  - id: chart
    figure:
      image: images/chart.svg
      alt: A frame around the words Chart label.
      caption: A chart
      width: 80mm
      placement: page
"""


def project_with(tmp_path: Path, files: dict[str, str], images: dict[str, bytes]) -> Path:
    project = make(tmp_path, files)
    for name, data in images.items():
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).write_bytes(data)
    return project


IMAGES = {"images/map.png": png(), "images/chart.svg": GOOD_SVG}


def problems(project: Path, capsys: pytest.CaptureFixture[str]) -> list[tuple]:
    return [(p["code"], p["file"], p["line"], p["column"]) for p in check_json(project, capsys)[1]]


def test_the_pinned_families_are_those_of_the_fonts() -> None:
    """report/blocks may not import report/render: its copy of the list is kept equal here."""
    assert set(figure.PINNED_FAMILIES) == {face.family for face in fonts.FACES}


# --- validation -------------------------------------------------------------------------------

def test_mistakes_in_the_shape_are_located(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    project = project_with(tmp_path, section(
        "  - paragraph: Text [@doe-2001].\n",
        "  - figure:\n"
        "      image: images/map.png\n"
        "      alt: A map.\n"
        "      caption: C\n"
        "      colour: red\n",                                                 # line 9
        "  - figure: {image: images/map.png, alt: A, caption: C, width: 60}\n",    # line 10
        "  - figure: {image: images/map.png, alt: A, caption: C, width: 150%}\n",  # line 11
        "  - figure: {image: images/map.png, alt: A, caption: C, width: wide}\n",  # line 12
        "  - figure: {image: images/map.png, alt: A, caption: C, placement: top}\n",  # 13
        "  - figure: {image: images/map.png, alt: A}\n"), IMAGES)                 # line 14
    code, found = check_json(project, capsys)
    assert code == 1
    assert [(p["code"], p["line"], p["column"]) for p in found] == [
        ("schema-extra_forbidden", 9, 7), ("schema-value_error", 10, 64),
        ("schema-value_error", 11, 64), ("schema-value_error", 12, 64),
        ("schema-literal_error", 13, 68), ("schema-missing", 14, 13)]
    messages = [p["message"] + " " + p["hint"] for p in found]
    assert "60%" in messages[1] and "60mm" in messages[1]
    assert "at most 100%" in messages[2]
    assert "80mm" in messages[3]
    assert "`here`" in messages[4] and "`page`" in messages[4]
    assert "caption" in messages[5]


def test_a_figure_without_alt_is_an_error_saying_what_to_write(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = project_with(tmp_path, section(
        "  - paragraph: Text [@doe-2001].\n",
        "  - figure:\n"
        "      image: images/map.png\n"                                     # line 6
        "      caption: C\n",
        "  - figure: {image: images/map.png, alt: '  ', caption: D}\n"), IMAGES)  # line 8
    code, found = check_json(project, capsys)
    assert code == 1
    assert [(p["code"], p["severity"], p["file"], p["line"], p["column"]) for p in found] == [
        ("figure-without-alt", "error", SECTION, 6, 7),
        ("figure-without-alt", "error", SECTION, 8, 13)]
    assert found[0]["message"] == "The figure `images/map.png` has no alternative text."
    assert "alt:" in found[0]["hint"]


def test_a_figure_without_alt_cannot_be_waived(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    project = project_with(tmp_path, section(
        "  - paragraph: Text [@doe-2001].\n",
        "  - figure: {image: images/map.png, caption: C}\n"
        "    allow: [{rule: figure-without-alt, reason: decorative}]\n"), IMAGES)
    code, found = check_json(project, capsys)
    assert code == 1  # the waiver names no rule a block may waive: an error of its own
    assert ("unknown-rule", 6) in [(p["code"], p["line"]) for p in found]


# --- the image file ---------------------------------------------------------------------------

BAD_IMAGES = {
    "images/truncated.png": png((300, 200))[:400],
    "images/text.png": b"not an image at all",
    "images/sans.svg": svg('<text x="1" y="20" font-family="sans-serif">Hi</text>'),
    "images/default.svg": svg('<text x="1" y="20">Hi</text>'),
    "images/styled.svg": svg('<g style="font-family: Report Sans; font: 12px Noto Sans">'
                             '<text x="1" y="20">Hi</text></g>'),
    "images/tail.svg": svg('<text x="1" y="20"><tspan font-family="Report Sans">Hi</tspan> '
                           'there</text>'),
    "images/sheet.svg": svg('<style>text { font-family: Arial }</style>'
                            '<text x="1" y="20" font-family="Report Sans">Hi</text>'),
    "images/face.svg": svg('<style>@font-face { font-family: Report Sans; src: url(data:,x) }'
                           '</style><text x="1" y="20" font-family="Report Sans">Hi</text>'),
    "images/href.svg": svg('<image href="https://example.org/x.png" width="5" height="5"/>'),
    "images/xlink.svg": svg('<use xlink:href="other.svg#a"/>'),
    "images/url.svg": svg('<rect width="5" height="5" fill="url(file:///etc/passwd)"/>'),
    "images/doctype.svg": svg(
        '<text font-family="Report Sans">&lol;</text>',
        '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY lol "lol">]>'),
    "images/broken.svg": svg("<g>")[:-6],
    "images/html.svg": b"<html><body>no</body></html>",
    "images/cmyk.jpg": cmyk(),
    "images/map.pdf": b"%PDF-1.4\n%%EOF\n",
    "images/map.tiff": png(),
    "images/png.jpg": png(),
}


@pytest.mark.parametrize("name, message", [
    ("images/none.png", "The image `images/none.png` does not exist."),
    ("../outside.png", "The image `../outside.png` is outside the report project"),
    ("/etc/hosts", "The image `/etc/hosts` is outside the report project"),
    ("images/link.png", "The image `images/link.png` leads outside the report project."),
    ("images/truncated.png", "The image `images/truncated.png` is damaged: "),
    ("images/text.png", "The image `images/text.png` is not an image file I can read."),
    ("images/sans.svg", "The SVG image `images/sans.svg` sets text in `sans-serif`, not one"),
    ("images/default.svg", "The SVG image `images/default.svg` sets text in `sans-serif`"),
    ("images/styled.svg", "The SVG image `images/styled.svg` sets text in `Noto Sans`"),
    ("images/tail.svg", "The SVG image `images/tail.svg` sets text in `sans-serif`"),
    ("images/sheet.svg", "The SVG image `images/sheet.svg` sets text in `Arial`"),
    ("images/face.svg", "The SVG image `images/face.svg` declares a font of its own"),
    ("images/cmyk.jpg", "The image `images/cmyk.jpg` is in CMYK colours"),
    ("images/href.svg", "The SVG image `images/href.svg` refers to `https://example.org/x.png`"),
    ("images/xlink.svg", "The SVG image `images/xlink.svg` refers to `other.svg#a`"),
    ("images/url.svg", "The SVG image `images/url.svg` refers to `file:///etc/passwd`"),
    ("images/doctype.svg", "The SVG image `images/doctype.svg` has a DOCTYPE or ENTITY"),
    ("images/broken.svg", "The SVG image `images/broken.svg` is not well-formed XML: "),
    ("images/html.svg", "The image `images/html.svg` is not an SVG image: its root element is "
     "<html>."),
    ("images/map.pdf", "The image `images/map.pdf` is a PDF file, which the layout engine"),
    ("images/map.tiff", "The image `images/map.tiff` is not a PNG, JPEG, GIF, WebP or SVG"),
    ("images/png.jpg", "The image `images/png.jpg` is a PNG file named .jpg."),
])
def test_an_image_that_cannot_be_used_is_an_error_at_the_image_key(
        name: str, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "outside.png").write_bytes(png())
    project = project_with(tmp_path / "project", section(
        "  - paragraph: Text [@doe-2001].\n",
        "  - figure:\n"
        "      caption: C\n"
        "      alt: A.\n"
        f"      image: {name}\n"), BAD_IMAGES)                                 # line 8
    (project / "images" / "link.png").symlink_to(tmp_path / "outside.png")
    code, found = check_json(project, capsys)
    assert code == 1
    assert [(p["code"], p["severity"], p["file"], p["line"], p["column"]) for p in found] == [
        ("figure-image", "error", SECTION, 8, 14)]
    assert found[0]["message"].startswith(message), found[0]["message"]
    assert found[0]["hint"] and found[0]["value"] == name
    if name.endswith("sans.svg"):
        assert "Report Sans" in found[0]["hint"] and "paths" in found[0]["hint"]


def test_an_unreadable_image_is_an_error_naming_it(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "secret.png").write_bytes(png())

    def denied(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", denied)  # as root, chmod 0 would not stop it
    found = figure.read_image(tmp_path, "images/secret.png")
    assert [(p.path, p.code, p.severity, p.message) for p in found.problems] == [
        (("figure", "image"), "figure-image", "error",
         "The image `images/secret.png` cannot be read: Permission denied.")]


def test_a_bad_image_stops_every_build(tmp_path: Path) -> None:
    """The same error as `check`, before any layout: whatever the edition."""
    project = project_with(tmp_path, section(
        "  - paragraph: Text [@doe-2001].\n",
        "  - figure: {image: images/sans.svg, alt: A, caption: C}\n"), BAD_IMAGES)
    for edition in ("standard", "print", "archive"):
        with pytest.raises(ReportError) as raised:
            prepare(project, options=BuildOptions(edition=edition))
        assert [(p.code, p.location.line) for p in raised.value.problems] == [
            ("figure-image", 5)]


def test_good_images_check_clean_and_are_read_once(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    jpeg = io.BytesIO()
    Image.new("RGB", (40, 30), "#369").save(jpeg, "JPEG")
    project = project_with(tmp_path, section(
        "  - paragraph: See [@ref:map] [@doe-2001].\n", MAP, CHART,
        "  - figure: {image: images/photo.jpeg, alt: A blue field., caption: Blue}\n"),
        {**IMAGES, "images/photo.jpeg": jpeg.getvalue()})
    assert problems(project, capsys) == []
    reads = []
    real = figure.read_image
    monkeypatch.setattr(figure, "read_image", lambda *a: reads.append(a) or real(*a))
    prepare(project)
    assert len(reads) == 3  # once per figure and build, however often the content is walked


# --- HTML -------------------------------------------------------------------------------------

def test_figures_are_numbered_apart_from_tables_and_cross_referenced(tmp_path: Path) -> None:
    project = project_with(tmp_path, section(
        "  - paragraph: See [@ref:map], [@ref:chart] and [@ref:deaths] [@doe-2001].\n", MAP,
        "  - id: deaths\n    table: {caption: Deaths, columns: [{label: A}], rows: [[a]]}\n",
        CHART), IMAGES)
    html = prepare(project).html
    assert re.findall(r'<span class="label">((?:Figure|Table) \d)\.</span>', html) == [
        "Figure 1", "Table 1", "Figure 2"]
    assert re.search(r'See <a class="xref" href="#map">Figure 1, <span class="xref-page" '
                     r'[^>]*>p\.\u00a0</span></a>, <a class="xref" href="#chart">Figure 2, '
                     r'<span class="xref-page" [^>]*>p\.\u00a0</span></a> and <a class="xref" '
                     r'href="#deaths">Table 1, ', html)
    block = html[html.index('<figure class="figure here" id="map">'):]
    block = block[:block.index("</figure>")]
    # the alternative text is plain text, escaped; the image's path is relative to the project
    assert ('<img src="images/map.png" alt="A red ellipse on a pale blue ground, '
            '&lt;b&gt;not bold&lt;/b&gt;." style="width: 60%">') in block
    assert '<span class="label">Figure 1.</span> Districts of Baku' in block
    assert re.search(r'<span class="figure-credit"><span class="label">Credit:</span> Map by '
                     r'Jane Doe\.<span class="footnote"', block)
    chart = html[html.index('<figure class="figure page" id="chart">'):]
    assert '<img src="images/chart.svg" alt="A frame around the words Chart label." ' \
           'style="width: 80mm">' in chart


def test_a_path_with_a_space_is_a_relative_url(tmp_path: Path) -> None:
    project = project_with(tmp_path, section(
        "  - paragraph: Text [@doe-2001].\n",
        "  - figure: {image: images/a map.png, alt: A, caption: C}\n"),
        {"images/a map.png": png()})
    assert '<img src="images/a%20map.png" alt="A" style="width: 100%">' in prepare(project).html


def test_a_german_report_says_abbildung(tmp_path: Path) -> None:
    project = project_with(tmp_path, {
        "content/report.yaml": "title: T\ndate: 2020-01-02\nlanguage: de\n",
        **section("  - paragraph: Siehe [@ref:map] [@doe-2001].\n", MAP)}, IMAGES)
    html = prepare(project).html
    assert '<span class="label">Abbildung 1.</span> Districts of Baku' in html
    assert 'href="#map">Abbildung 1, ' in html
    assert '<span class="label">Quelle:</span> Map by' in html


# --- PDF --------------------------------------------------------------------------------------

@pytest.mark.slow
def test_the_standard_and_archive_editions_draw_and_embed_the_images(tmp_path: Path) -> None:
    project = project_with(tmp_path / "project", section(
        "  - paragraph: See [@ref:map] and [@ref:chart] [@doe-2001].\n", MAP, CHART,
        "  - paragraph: After the figures.\n"), IMAGES)
    standard, archive = tmp_path / "report.pdf", tmp_path / "report-archive.pdf"
    build(project, standard)
    build(project, archive, options=BuildOptions(edition="archive"))
    for pdf in (standard, archive):
        text = pdftotext(pdf)
        assert "See Figure 1, p. 1 and Figure 2, p. 2" in text
        assert "Figure 1. Districts of Baku" in text and "Figure 2. A chart" in text
        assert "Credit: Map by Jane Doe." in text
        assert "Chart label" in text and "more" in text  # the SVG's text, drawn in the pinned fonts
        # the PNG is one image (pages share their resources); the SVG is drawn as vectors
        reader = PdfReader(pdf)
        images = {image.name: image for page in reader.pages for image in page.images}
        assert [image.image.size for image in images.values()] == [(120, 80)]
        # placement: page puts the chart on a page of its own, before "After the figures."
        pages = [pdftotext(pdf, n, n) for n in range(1, len(reader.pages) + 1)]
        chart = next(n for n, page in enumerate(pages) if "Figure 2. A chart" in page)
        assert "Districts of Baku" not in pages[chart] and "After" not in pages[chart]
        assert "After the figures." in pages[chart + 1]
    attached = PdfReader(archive).attachments
    assert {"images/map.png", "images/chart.svg"} <= set(attached)
    assert attached["images/map.png"][0] == IMAGES["images/map.png"]
    assert attached["images/chart.svg"][0] == IMAGES["images/chart.svg"]

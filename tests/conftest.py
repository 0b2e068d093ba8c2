"""Shared fixtures and helpers: the repository's own report built once per session, small
projects made from a few files, numbered PDFs, and reading PDFs the way a person would.

Test modules import helpers from here only, never from one another."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject, RectangleObject, StreamObject

from report.cli import main

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = ROOT.parent / "shared" / "article" / "baku-pogrom.txt"


# Tests that use these fixtures build whole reports: they are marked `slow`, so that
# `pytest -m "not slow"` runs the fast suite. `make test` runs everything.
BUILDING_FIXTURES = {"built", "archive", "printed", "packet"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if BUILDING_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite the golden files from the current output")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


def copy_project(dest: Path) -> Path:
    """A copy of the repository's report project (content, sources, styles, fonts)."""
    for name in ("content", "styles"):
        shutil.copytree(ROOT / name, dest / name)
    shutil.copy(ROOT / "sources.yaml", dest / "sources.yaml")
    if (ROOT / "fonts").is_dir():
        shutil.copytree(ROOT / "fonts", dest / "fonts")
    return dest


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The real report, built to PDF and HTML in a temporary folder."""
    from report.pipeline import build

    out = tmp_path_factory.mktemp("built")
    build(ROOT, out / "report.pdf")
    build(ROOT, out / "report.html")
    return {"pdf": out / "report.pdf", "html": out / "report.html"}


@pytest.fixture(scope="session")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real report's archive edition (report-archive.pdf, and .json beside it), built once."""
    from report.pipeline import build
    from report.project.options import BuildOptions

    out = tmp_path_factory.mktemp("archive") / "report-archive.pdf"
    build(ROOT, out, options=BuildOptions(edition="archive"))
    return out


# --- small projects ---------------------------------------------------------------------

BASE = {
    "content/report.yaml": "title: T\ndate: 2020-01-02\n",
    "content/sections/01-one.yaml": ("id: one\ntitle: One\nblocks:\n"
                                     "  - paragraph: Text [@doe-2001].\n"),
    "sources.yaml": "- id: doe-2001\n  type: book\n  title: A book\n"
                    "  author: [{family: Doe, given: Jane}]\n",
}


def make(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in {**BASE, **files}.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode())
    return tmp_path


def check_json(project: Path, capsys: pytest.CaptureFixture[str],
               *flags: str) -> tuple[int, list]:
    code = main(["check", str(project), "--format", "json", *flags])
    return code, json.loads(capsys.readouterr().out)


# --- PDFs -----------------------------------------------------------------------------------

A4 = (595.276, 841.89)  # points


def numbered_pdf(path: Path, pages: int, size: tuple[float, float] = A4,
                 bleed: float = 0.0) -> Path:
    """A PDF whose page i shows "PAGE i" and a frame 20 pt inside its edges (Helvetica, not
    embedded: enough for pdftotext). With `bleed`, the page has a TrimBox inside its media."""
    width, height = size
    writer = PdfWriter()
    font = writer._add_object(DictionaryObject({
        NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
        NameObject("/BaseFont"): NameObject("/Helvetica")}))
    for i in range(1, pages + 1):
        page = writer.add_blank_page(width + 2 * bleed, height + 2 * bleed)
        if bleed:
            page.trimbox = RectangleObject((bleed, bleed, bleed + width, bleed + height))
        page[NameObject("/Resources")] = DictionaryObject({
            NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})})
        stream = StreamObject()
        stream.set_data((f"4 w {bleed + 20} {bleed + 20} {width - 40} {height - 40} re S "
                         f"BT /F1 40 Tf {bleed + 100} {bleed + height / 2} Td (PAGE {i}) Tj "
                         "ET").encode())
        page[NameObject("/Contents")] = writer._add_object(stream)
    with path.open("wb") as out:
        writer.write(out)
    return path


def pdftotext(pdf: Path, first: int | None = None, last: int | None = None) -> str:
    args = ["pdftotext", "-raw", "-enc", "UTF-8"]
    if first:
        args += ["-f", str(first)]
    if last:
        args += ["-l", str(last)]
    return subprocess.run([*args, str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout


def words(text: str) -> list[str]:
    """Lower-case words; hyphenation across lines joined; bare numbers (note calls) dropped."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = re.sub(r"([^\W\d_])[-\u2010\u2011\u00ad]\s*([^\W\d_])", r"\1\2", text)
    out = []
    for word in re.findall(r"\w+", text):
        if word.isdigit():
            continue
        glued = re.fullmatch(r"([^\W\d]+)\d{1,3}", word)  # a note call glued to its word
        out.append(glued.group(1) if glued else word)
    return out


def found_in_order(unit: list[str], hay: str, max_gap: int = 250) -> bool:
    """`unit` occurs in `hay` whole, or cut once (a page break, notes) by at most max_gap words."""
    if not unit or f" {' '.join(unit)} " in hay:
        return True
    cuts = [(unit[:k], unit[k:]) for k in range(1, len(unit))]
    # a word hyphenated across a page break comes out in two pieces
    cuts += [(unit[:k] + [w[:j]], [w[j:]] + unit[k + 1:])
             for k, w in enumerate(unit) for j in range(2, len(w) - 1)]
    for head_words, tail_words in cuts:
        head, tail = f" {' '.join(head_words)} ", f" {' '.join(tail_words)} "
        start = hay.find(head)
        while start != -1:
            after = start + len(head)
            window = " ".join(hay[after:].split(" ")[: max_gap + len(unit)])
            if tail.strip() and f" {window} ".find(tail) != -1:
                return True
            start = hay.find(head, start + 1)
    return False


Word = tuple[str, float, float, float, float]  # text, xMin, yMin, xMax, yMax (points)
MM = 72 / 25.4


def page_words(pdf: Path) -> list[list[Word]]:
    """The words of every page, with their boxes, from `pdftotext -bbox`."""
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout
    pages = html.split("<page ")[1:]
    return [[(w, float(a), float(b), float(c), float(d)) for a, b, c, d, w in re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>',
        page)] for page in pages]


def words_past_the_text_block(pdf: Path, left_mm: float, right_mm: float,
                              width: float | None = None) -> list[tuple[int, Word]]:
    """Every word (on every page: notes, tables, heads and folios included) that reaches into
    the left or right margin of a page `width` points wide (by default each page's own width:
    a landscape page is wider)."""
    from pypdf import PdfReader

    widths = [float(page.mediabox.width) for page in PdfReader(pdf).pages]
    left = left_mm * MM - 0.5
    return [(number, word) for number, words in enumerate(page_words(pdf), start=1)
            for word in words if word[1] < left
            or word[3] > (width or widths[number - 1]) - right_mm * MM + 0.5]

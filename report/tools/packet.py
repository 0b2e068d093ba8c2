"""Briefing packets: several built reports (and plain PDFs) bound into one PDF.

A packet.yaml names the members; the packet gets a cover sheet (title, date, and a table of
contents giving the packet page where each member starts), optionally a separator sheet
before each member, each member's bookmarks nested under its title, and each member's own page
labels after its tab letter (A-i, A-1, A-2, ..., B-1, ...), so that a viewer shows the page
numbers printed on the pages. It is
ready for duplex: the cover and every member are padded with a blank page to an even length,
so every member starts on a right-hand page.

Links inside a member are rewritten from named destinations to explicit ones before merging:
two reports from this pipeline share anchor names (`chronology`, `colophon`), and merged named
destinations would send the second report's links into the first.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PyPdfError
from pypdf.generic import NameObject
from weasyprint import HTML

from report.files import write_atomically
from report.layout import catalog
from report.layout.catalog import LabelRange
from report.layout.engine import font_config
from report.problems import Problem, ReportError
from report.project.load import YamlFile, read_yaml
from report.project.schema import Model, Text
from report.project.validate import problems_of
from report.render import fonts
from report.render.html import PAPER, environment


class Member(Model):
    pdf: Text  # a path, relative to packet.yaml
    title: str | None = None  # default: the PDF's title, else its file name


class PacketSpec(Model):
    """packet.yaml."""

    title: Text
    subtitle: str | None = None
    kind: Text = "Briefing packet"
    date: dt.date
    prepared_for: str | None = None
    language: str = "en"
    paper: Literal["a4", "letter", "a5"] = "a4"  # the cover and separator sheets
    separators: bool = False
    members: list[Member] = Field(min_length=1)


@dataclass
class Planned:
    tab: str
    title: str
    reader: PdfReader
    pages: int
    start: int = 0  # packet page (1-based) of the member's first page
    end: int = 0

    @property
    def padded(self) -> int:
        return self.pages + self.pages % 2


def tab(index: int) -> str:
    """A, B, ... Z, AA, AB, ...: the letters of binder tabs."""
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def load(path: Path) -> tuple[PacketSpec, list[Planned]]:
    """The packet definition and its members opened; ReportError naming every problem."""
    file: YamlFile = read_yaml(path, path.name)
    if not isinstance(file.data, dict):
        raise ReportError([Problem(file.where(()), "This file does not have the expected shape.",
                                   "It should hold `title:`, `date:` and `members:`.",
                                   code="file-shape")])
    try:
        spec = PacketSpec.model_validate(file.data)
    except ValidationError as error:
        raise ReportError(problems_of(error, file, PacketSpec)) from None
    members, problems = [], []
    for i, member in enumerate(spec.members):
        where = file.where(("members", i, "pdf"))
        source = (path.parent / member.pdf).resolve()
        try:
            reader = PdfReader(source)
            count = len(reader.pages)
        except (OSError, PyPdfError) as error:
            problems.append(Problem(where, f"{member.pdf} cannot be read as a PDF ({error}).",
                                    "Build the report first, or correct the path (it is "
                                    "relative to the packet file).", code="packet-member"))
            continue
        meta = reader.metadata
        title = member.title or (meta.title if meta and meta.title else source.stem)
        members.append(Planned(tab(i), title, reader, count))
    if problems:
        raise ReportError(problems)
    return spec, members


def _plan(members: list[Planned], cover_pages: int, separators: bool) -> None:
    page = cover_pages + cover_pages % 2 + 1
    for m in members:
        page += 2 if separators else 0
        m.start, m.end = page, page + m.pages - 1
        page += m.padded


def _render(spec: PacketSpec, members: list[Planned], root: Path) -> tuple[PdfReader, int]:
    """The cover (and separators) as a PDF, and the number of cover pages."""
    template = environment(root).get_template("packet-cover.html.j2")
    html = template.render(packet=spec, members=members, separators=spec.separators,
                           css=fonts.font_face_css(root), size=PAPER[spec.paper],
                           date_label=f"{spec.date.day} {spec.date.strftime('%B %Y')}")
    document = HTML(string=html, base_url=str(root) + "/").render(font_config=font_config())
    cover = next((i for i, page in enumerate(document.pages)
                  if any(name.startswith("tab-") for name in page.anchors)),
                 len(document.pages))
    return PdfReader(io.BytesIO(document.write_pdf())), cover


def _explicit_links(reader: PdfReader) -> None:
    """Named destinations → explicit ones, and the names dropped (see the module's doc)."""
    names = reader.named_destinations
    for page in reader.pages:
        for ref in page.get("/Annots", []) or []:
            annot = ref.get_object()
            action = annot.get("/A")
            if "/Dest" in annot and str(annot["/Dest"]) in names:
                annot[NameObject("/Dest")] = names[str(annot["/Dest"])].dest_array
            elif action is not None and str(action.get("/D", "")) in names:
                action.get_object()[NameObject("/D")] = names[str(action["/D"])].dest_array
    catalog_names = reader.root_object.get("/Names")
    if catalog_names is not None and "/Dests" in catalog_names.get_object():
        del catalog_names.get_object()[NameObject("/Dests")]


def _own_labels(reader: PdfReader) -> list[LabelRange]:
    """The member's own page label ranges: a report's front matter in roman numerals stays
    roman. Decimal from 1 when it has none."""
    tree = reader.root_object.get("/PageLabels")
    nums = tree.get_object().get("/Nums") if tree is not None else None
    if not nums:  # none, or a /Kids tree (rare): number the pages as printed from 1
        return [(0, "D", "", 1)]
    out: list[LabelRange] = []
    for i in range(0, len(nums) - 1, 2):
        label = nums[i + 1].get_object()
        style = str(label["/S"])[1:] if "/S" in label else None
        out.append((int(nums[i]), style, str(label.get("/P", "")), int(label.get("/St", 1))))
    if not out or out[0][0] != 0:  # pages before the first range: numbered from 1
        out.insert(0, (0, "D", "", 1))
    return out


def _label(first: int, last: int, reader: PdfReader, tab: str) -> list[LabelRange]:
    """Pages first..last (the member and its padding) labelled with its own labels, after
    its tab: A-i, A-ii, A-1, ..."""
    ranges = _own_labels(reader)
    out = []
    for k, (start, style, prefix, number) in enumerate(ranges):
        end = first + ranges[k + 1][0] - 1 if k + 1 < len(ranges) else last
        if first + start <= end:
            out.append((first + start, style, f"{tab}-{prefix}", number))
    return out


def _blank_after(writer: PdfWriter) -> None:
    last = writer.pages[-1]
    writer.add_blank_page(float(last.mediabox.width), float(last.mediabox.height))


def assemble(path: Path, output: Path) -> list[Planned]:
    """Build the packet defined in `path` into `output`; the members as planned."""
    spec, members = load(path)
    root = path.parent.resolve()
    cover_pages = 1
    for _ in range(4):  # the contents' length moves the start pages, which may lengthen it
        _plan(members, cover_pages, spec.separators)
        cover, counted = _render(spec, members, root)
        if counted == cover_pages:
            break
        cover_pages = counted
    writer = PdfWriter()
    writer.append(cover, pages=list(range(cover_pages)), import_outline=False)
    writer.add_outline_item(title="Contents", page_number=0)
    if cover_pages % 2:
        _blank_after(writer)
    labels: list[LabelRange] = [(0, "r", "", 1)]
    for i, m in enumerate(members):
        if spec.separators:
            labels.append((len(writer.pages), None, m.tab, 1))
            writer.append(cover, pages=[cover_pages + i], import_outline=False)
            _blank_after(writer)
        first = len(writer.pages)
        _explicit_links(m.reader)
        writer.append(m.reader, outline_item=m.title)
        if m.pages % 2:
            _blank_after(writer)
        labels += _label(first, len(writer.pages) - 1, m.reader, m.tab)
    _finish(writer, spec, labels)
    write_atomically(output, writer.write)
    return members


def _finish(writer: PdfWriter, spec: PacketSpec, labels: list[LabelRange]) -> None:
    """Title, dates (the packet's, so builds are reproducible); the language, viewer settings
    (ready for duplex) and page labels, decided as for a report (report/layout/catalog.py)."""
    stamp = f"D:{spec.date.strftime('%Y%m%d')}000000Z"
    info: dict[str, Any] = {"/Title": spec.title, "/CreationDate": stamp, "/ModDate": stamp,
                            "/Producer": "report (pypdf)"}
    if spec.subtitle:
        info["/Subject"] = spec.subtitle
    writer.add_metadata(info)
    catalog.write_pypdf(writer, catalog.entries(spec.language, labels, duplex=True))

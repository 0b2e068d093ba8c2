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

A member may come from anywhere, and what a packet binds it vouches for: each member is
opened by qpdf (one encrypted without a user password is opened, one with a password is
refused), and everything in it that could act on the reader's machine is removed before
merging: JavaScript, launch and form actions, links to files or other documents, actions run
on opening or closing, attachments, media. Links to the web and inside the member stay.
"""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import pikepdf
from pydantic import Field, ValidationError
from pypdf import PdfReader, PdfWriter
from pypdf.errors import DependencyError, DeprecationError, PyPdfError
from pypdf.generic import NameObject

from report.editions.extract import open_untrusted
from report.files import write_atomically
from report.layout import catalog
from report.layout.catalog import LabelRange
from report.layout.engine import layout, refused_problems
from report.problems import Location, Problem, ReportError
from report.project.load import YamlFile, read_yaml
from report.project.schema import Model, Text
from report.project.validate import problems_of
from report.render import fonts
from report.render.html import PAPER, render_template
from report.tools.sanitize import strip_active


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
    source: str = ""  # as packet.yaml gives it
    where: Location | None = None  # where packet.yaml gives it
    removed: Counter[str] = field(default_factory=Counter)  # what could act, by kind

    @property
    def padded(self) -> int:
        return self.pages + self.pages % 2

    @property
    def removals(self) -> str:
        """What was removed, for the log: `1 JavaScript action, 2 file: links`."""
        return ", ".join(f"{n} {kind}{'s' if n > 1 else ''}" for kind, n in self.removed.items())


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
        if not source.is_file():
            problems.append(Problem(where, f"{member.pdf} cannot be read: there is no such file.",
                                    "Build the report first, or correct the path (it is "
                                    "relative to the packet file).", code="packet-member"))
            continue
        try:
            reader, removed = _member(source, where, member.pdf)
            count, meta = len(reader.pages), reader.metadata
        except ReportError as error:
            problems += error.problems
            continue
        except PYPDF_FAULTS as error:
            problems.append(Problem(where, f"{member.pdf} is damaged and cannot be read as a "
                                    f"PDF ({error}).", "Save it again from the program that "
                                    "made it.", code="packet-member"))
            continue
        if not count:
            problems.append(Problem(where, f"{member.pdf} has no pages.", "Give a PDF with "
                                    "pages.", code="packet-member"))
            continue
        title = member.title or (meta.title if meta and meta.title else source.stem)
        members.append(Planned(tab(i), title, reader, count, source=member.pdf, where=where,
                               removed=removed))
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
    # The template is the project's to override: it renders in the sandbox, sees the members
    # as plain values (not their open PDFs), and reads only the packet folder's files.
    views = [{"tab": m.tab, "title": m.title, "pages": m.pages, "start": m.start, "end": m.end}
             for m in members]
    html = render_template(root, "packet-cover.html.j2", packet=spec, members=views,
                           separators=spec.separators, css=fonts.font_face_css(root),
                           size=PAPER[spec.paper],
                           date_label=f"{spec.date.day} {spec.date.strftime('%B %Y')}")
    document = layout(html, root)
    cover = next((i for i, page in enumerate(document.pages)
                  if any(name.startswith("tab-") for name in page.anchors)),
                 len(document.pages))
    pdf = document.write_pdf()
    refused = refused_problems(document.url_fetcher)  # attachments are read as it writes
    if refused:
        raise ReportError(refused)
    return PdfReader(io.BytesIO(pdf)), cover


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


# What pypdf raises on a damaged member that qpdf could still open and rewrite: the member's
# fault, not report's.
PYPDF_FAULTS = (PyPdfError, DependencyError, DeprecationError, NotImplementedError, ValueError,
                TypeError, KeyError, IndexError, AttributeError, RecursionError, AssertionError,
                StopIteration)


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
        try:
            _explicit_links(m.reader)
            writer.append(m.reader, outline_item=m.title)
            if m.pages % 2:
                _blank_after(writer)
            labels += _label(first, len(writer.pages) - 1, m.reader, m.tab)
        except PYPDF_FAULTS as error:
            raise ReportError([Problem(m.where or Location(path.name), f"{m.source} is "
                                       f"damaged and cannot be bound ({error}).",
                                       "Save it again from the program that made it.",
                                       code="packet-member")]) from None
    _finish(writer, spec, labels)
    try:
        write_atomically(output, writer.write)
    except PYPDF_FAULTS as error:
        raise ReportError([Problem(Location(path.name), f"The packet cannot be written: a "
                                   f"member is damaged ({error}).", "Save each member again "
                                   "from the program that made it.",
                                   code="packet-member")]) from None
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


def _member(source: Path, where: Location, name: str) -> tuple[PdfReader, Counter[str]]:
    """A member opened, stripped, and rewritten by qpdf (decrypted) for pypdf to merge."""
    with open_untrusted(source, where, name) as pdf:
        data = io.BytesIO()
        try:
            removed = strip_active(pdf)
            pdf.save(data)
        except pikepdf.PikepdfError as error:  # qpdf reads the objects as they are needed
            raise ReportError([Problem(where, f"{name} is damaged and cannot be read as a PDF "
                                       f"({error}).", "Save it again from the program that "
                                       "made it.", code="packet-member")]) from None
    return PdfReader(data), removed

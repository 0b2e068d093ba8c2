"""The pipeline, stage by stage: load → validate → cite → document model → HTML → PDF.

`build` reads like the list of stages; each stage is a module of its own. Timings of every
stage are kept for `make bench`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import weasyprint
from markdown_it import MarkdownIt
from weasyprint.document import Document

from report import (
    __version__,
    backrefs,
    folios,
    fonts,
    merge,
    partlayout,
    parts,
    postprocess,
    repair,
    safety,
)
from report.check import check_project
from report.cite import Citations, Style, cite, find_style, unprinted_locators
from report.editions import STANDARD, BuildContext, Edition
from report.files import write_text
from report.html import fill_pages, render_html
from report.inline import make_parser
from report.load import load_project
from report.model import Collected, DocumentModel, assemble, collect
from report.pdf import write
from report.problems import Location, Problem, ReportError
from report.schema import csl_item
from report.validate import Valid, validate


@dataclass
class Timings:
    stages: dict[str, float] = field(default_factory=dict)
    # a report laid out in parts: chunks in the last round, and chunks laid out (not cached)
    # over all rounds
    parts: dict[str, int] = field(default_factory=dict)

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.stages[name] = self.stages.get(name, 0.0) + time.perf_counter() - start


@dataclass
class Prepared:
    valid: Valid
    doc: DocumentModel
    html: str
    warnings: list[Problem]
    context: BuildContext
    checked: Checked
    edition: Edition
    facts: backrefs.Facts | None = None  # the page facts this HTML was written with


def build_date(valid: Valid) -> dt.date:
    """SOURCE_DATE_EPOCH when set (reproducible builds), else the report's own date."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    return valid.settings.date


@dataclass
class Checked:
    """A project loaded, validated and checked: what `report check` and a build share."""

    valid: Valid
    style: Style
    md: MarkdownIt
    collected: Collected
    problems: list[Problem]
    citations: Citations | None  # None when there are errors: nothing to format


def check(root: Path, timings: Timings | None = None) -> Checked:
    """Load, validate, check and format the citations (cached); ReportError only when the
    files cannot be read as a report."""
    timings = timings or Timings()
    with timings.stage("load and validate"):
        safety.refuse_outside_links(root)
        valid = validate(load_project(root))
        style = find_style(valid.settings.citation_style, valid.project.root,
                           valid.project.report.where(("citation-style",)))
        md = make_parser(note_style=style.note)
        collected = collect(valid, md)
        problems = check_project(valid, collected) + safety.check(valid, collected)
    if any(p.severity == "error" for p in problems):
        return Checked(valid, style, md, collected, problems, None)
    with timings.stage("citations"):
        uncited = [s.id for s in valid.sources if s.further_reading]
        citations = cite(style, valid.settings.language, [csl_item(s) for s in valid.sources],
                         [c for c, _ in collected.clusters], uncited,
                         cache_dir=valid.project.root / "build" / ".cache")
        problems += unprinted_locators(collected, citations, style)
    return Checked(valid, style, md, collected, problems, citations)


def prepare(root: Path, timings: Timings | None = None, edition: Edition = STANDARD,
            options: dict[str, Any] | None = None, output: Path | None = None,
            facts: backrefs.Facts | None = None) -> Prepared:
    """Everything up to the HTML; raises ReportError with every problem found."""
    timings = timings or Timings()
    checked = check(root, timings)
    if checked.citations is None:
        raise ReportError(checked.problems)
    ctx = BuildContext(checked.valid.project.root, output or root / "build" / "report.pdf",
                       checked.valid.settings, options or {})
    with timings.stage("HTML"):
        return render(checked, edition, ctx, facts)


def render(checked: Checked, edition: Edition, ctx: BuildContext,
           facts: backrefs.Facts | None) -> Prepared:
    """The document model and its HTML; `facts` (from a layout) gives the pages citing each
    source and the last page's number."""
    valid = checked.valid
    assert checked.citations is not None
    date = build_date(valid)
    info = {
        "generator": f"report {__version__} (WeasyPrint {weasyprint.__version__})",
        "date": date.isoformat(),
        "date_label": f"{date.day} {date.strftime('%B %Y')}",
        "fonts": fonts.NAMES,
    }
    doc = assemble(valid, checked.md, checked.collected, checked.citations, info,
                   facts.cited if facts else None, facts.last_page if facts else "")
    html = render_html(doc, valid.project.root, edition.css(ctx), ctx.options.get("paper"))
    html = fill_pages(html, facts.anchors) if facts else html
    return Prepared(valid, doc, html, checked.problems, ctx, checked, edition, facts)


def build(root: Path, output: Path, timings: Timings | None = None,
          edition: Edition = STANDARD, options: dict[str, Any] | None = None) -> Prepared:
    """Build the PDF of an edition (or the HTML, when `output` ends in .html)."""
    timings = timings or Timings()
    root = root.resolve()
    if (edition.in_parts and (options or {}).get("layout") != "whole"
            and output.suffix.lower() == ".pdf"):
        partlayout.start()  # the workers' server imports WeasyPrint while we read the content
    pages_cache = backrefs.cache_file(root, output)
    prepared = prepare(root, timings, edition, options, output, backrefs.load(pages_cache))
    if output.suffix.lower() in (".html", ".htm"):
        write_text(output, prepared.html)
        return prepared
    with source_date_epoch(build_date(prepared.valid)):  # fontTools stamps subset fonts
        if edition.in_parts and prepared.context.options.get("layout") != "whole":
            in_parts = _build_in_parts(prepared, root, output, timings)
            if in_parts is not None:
                return in_parts
        with timings.stage("layout"):
            document, prepared = _layout(prepared, root, output, timings)
        ctx = prepared.context
        body = prepared.doc.sections[0].id if prepared.doc.sections else None
        with timings.stage("PDF writing"):
            finish = postprocess.chain(postprocess.language_and_view(ctx.settings.language),
                                       postprocess.page_labels(body), postprocess.safe_links,
                                       *edition.finishers(ctx))
            write(document, output, finish, edition.pdf_options(ctx))
    if edition.after_write:
        with timings.stage("post-processing"):
            edition.after_write(ctx)
    return prepared


def _build_in_parts(prepared: Prepared, root: Path, output: Path,
                    timings: Timings) -> Prepared | None:
    """Lay the report out in parts, in parallel, cached (report/parts.py), and join them;
    None when it cannot be split (one part, or styles the parts cannot follow)."""
    found_folios = folios.analyse(prepared.html)
    if found_folios is None:
        return None
    # The folio pass needs the pages' sequence, known after the layout: start it now, on the
    # sequence of the previous build, which an edit seldom changes; checked below.
    sequences = root / "build" / ".cache" / f"folio-sequence-{output.name}.json"
    early = _folio_pass(prepared.html, _read_sequence(sequences), found_folios, root)
    overlay: Any = None
    try:
        done = _lay_out_parts(prepared, root, output, timings, found_folios)
        if done is None:
            return None
        prepared, made, laid, start = done
        with timings.stage("PDF writing"):
            sequence = [(page.name, (index == 0 and not chunk.continues)
                         or (index > 0 and page.group == 0))
                        for chunk, item in zip(made, laid, strict=True)
                        for index, page in enumerate(item.pages)]
            write_text(sequences, json.dumps(sequence))
            overlay = _folio_pass(prepared.html, sequence, found_folios, root, early)
            folder = partlayout.cache_dir(root)
            try:
                merge.merge([merge.Piece(folder / f"{item.key}.pdf", frozenset(item.stubs))
                             for item in laid], output, overlay=overlay, body_start=start,
                            language=prepared.valid.settings.language)
            except merge.NoFolios:
                return None  # the folio pass did not give the pages back: lay out whole
        folio_path = overlay.path if isinstance(overlay, partlayout.FolioPass) else overlay
        partlayout.prune(root, {item.key for item in laid} | ({folio_path.stem} if folio_path
                                                               else set()))
        prepared.warnings.extend(repaired_warnings([b for item in laid for b in item.repaired]))
        return prepared
    finally:
        if isinstance(early, partlayout.FolioPass) and early is not overlay:
            early.cancel()  # not used: the pages moved, or the report is laid out whole


def _lay_out_parts(prepared: Prepared, root: Path, output: Path, timings: Timings,
                   found_folios: folios.Folios) -> tuple[
                       Prepared, list[parts.Chunk], list[partlayout.Laid], int] | None:
    """The chunks laid out until the page facts they were written with are the ones they
    give; returns the HTML it took, the chunks, their layouts and the body's first page, or
    None when the report must be laid out whole."""
    body = prepared.doc.sections[0].id if prepared.doc.sections else None
    joined = frozenset(prepared.facts.joined if prepared.facts else ())
    for _ in range(6):  # facts settle in two rounds, a boundary found unclean costs one more
        with timings.stage("layout"):
            made = parts.chunks(prepared.html, found_folios.part_css(), joined=joined)
            if made is None or len(made) < 2:
                timings.parts["whole"] = 1
                return None
            laid = partlayout.run(made, root)
        timings.parts = {"chunks": len(made), "laid": timings.parts.get("laid", 0)
                         + sum(not item.cached for item in laid), "joined": len(joined)}
        if any(page.blank for item in laid for page in item.pages):
            timings.parts["whole"] = 1  # blank pages: the folio pass cannot place them
            return None
        unclean = {chunk.next_part for chunk, item in zip(made, laid, strict=True)
                   if not item.forced}
        if unclean:  # lay those chunks out with the next ones, as the whole report would
            joined |= unclean
            continue
        found, start = _part_facts(laid, prepared, body)
        found = replace(found, joined=tuple(sorted(joined)))
        if found == prepared.facts:
            partlayout.raise_problems(laid)
            return prepared, made, laid, start
        backrefs.save(backrefs.cache_file(root, output), found)
        with timings.stage("HTML"):
            prepared = render(prepared.checked, prepared.edition, prepared.context, found)
    return None  # the page facts did not settle: lay out whole


def _part_facts(laid: list[partlayout.Laid], prepared: Prepared,
                body: str | None) -> tuple[backrefs.Facts, int]:
    """The page facts of the whole report from its parts' layouts; and the body's first page."""
    pages = [page for item in laid for page in item.pages]
    start = next((i for i, page in enumerate(pages) if body and body in page.anchors), 0)
    printed = postprocess.printed_labels(len(pages), start)
    places, offset = [], 0
    for item in laid:
        places += [(offset + page, element) for page, element in item.places]
        offset += len(item.pages)
    cited = backrefs.pages_citing(places, prepared.checked.collected, printed)
    anchors = backrefs.anchor_pages((page.anchors for page in pages),
                                    backrefs.referenced(prepared.html), printed)
    return backrefs.Facts(cited, printed[-1], anchors), start


def _read_sequence(path: Path) -> list[tuple[str, bool]] | None:
    try:
        return [(str(name), bool(new)) for name, new in json.loads(path.read_text("utf-8"))]
    except (OSError, ValueError, TypeError):
        return None


def _folio_pass(html: str, sequence: list[tuple[str, bool]] | None, found: folios.Folios,
                root: Path, running: Any = None) -> Path | partlayout.FolioPass | None:
    """The folios of every page, as a PDF of otherwise empty pages (report/folios.py): cached,
    or being laid out in a worker (`running`, when it is the same pass, or a new one); None
    when there are no folios or no sequence."""
    if not found.boxes or not sequence:
        return None
    split = parts.split(html)
    assert split is not None
    head, tail, _ = split
    document = folios.overlay_html(head, tail, sequence, found)
    key = hashlib.sha256(document.encode("utf-8")).hexdigest()[:32]
    path = partlayout.cache_dir(root) / f"folios-{key}.pdf"
    if isinstance(running, partlayout.FolioPass) and running.path == path:
        return running
    if path.is_file():
        return path
    return partlayout.folio_job(document, root, path, [name for name, _ in sequence])


def _layout(prepared: Prepared, root: Path, output: Path,
            timings: Timings) -> tuple[Document, Prepared]:
    """Lay out, with lost footnotes repaired and the publications list's page references right
    (see report/repair.py and report/backrefs.py)."""
    document, html = _layout_notes(prepared.html, root, prepared.warnings)
    body = prepared.doc.sections[0].id if prepared.doc.sections else None
    found = backrefs.facts(document, prepared.checked.collected, body, prepared.html)
    if found != prepared.facts:
        backrefs.save(backrefs.cache_file(root, output), found)
        prepared = render(prepared.checked, prepared.edition, prepared.context, found)
        del document  # free the first layout before the second: it halves the peak memory
        document, _ = _layout_notes(prepared.html, root, prepared.warnings)
    return document, prepared


def _layout_notes(html: str, root: Path, warnings: list[Problem]) -> tuple[Document, str]:
    """Lay out, with lost footnotes repaired (report/repair.py), each repair a warning."""
    document, html, blocks, _ = repair.layout_repaired(html, root)
    warnings += repaired_warnings(blocks)
    return document, html


def repaired_warnings(blocks: list[str]) -> list[Problem]:
    return [Problem(Location("build"), f"A footnote of block `{b}` was lost by the layout "
                    "engine; the block now starts a new page.",
                    "Nothing to do; rewording the passage may avoid the gap.",
                    severity="warning", code="repaired-footnote") for b in blocks]


def _epoch(date: dt.date) -> str:
    return str(int(dt.datetime(date.year, date.month, date.day, tzinfo=dt.UTC).timestamp()))


@contextmanager
def source_date_epoch(date: dt.date) -> Iterator[None]:
    """SOURCE_DATE_EPOCH for the length of one build: libraries that stamp the time (fontTools
    in subset fonts) stamp the build date. Restored afterwards, so that the next build in the
    same process (tests, a server) does not inherit this report's date."""
    before = os.environ.get("SOURCE_DATE_EPOCH")
    if before is None:
        os.environ["SOURCE_DATE_EPOCH"] = _epoch(date)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)

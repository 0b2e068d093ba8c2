"""The pipeline, stage by stage: load → validate → cite → document model → HTML → PDF.

`build` reads like the list of stages; each stage is a module of its own. Timings of every
stage are kept for `make bench`.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import weasyprint
from markdown_it import MarkdownIt
from weasyprint.document import Document

from report import __version__, backrefs, fonts, postprocess, repair, safety
from report.check import check_project
from report.cite import Citations, Style, cite, find_style, unprinted_locators
from report.editions import STANDARD, BuildContext, Edition
from report.files import write_text
from report.html import render_html
from report.inline import make_parser
from report.load import load_project
from report.model import Collected, DocumentModel, assemble, collect
from report.pdf import check_notes, layout, note_placements, write
from report.problems import Location, Problem, ReportError
from report.schema import csl_item
from report.validate import Valid, validate


@dataclass
class Timings:
    stages: dict[str, float] = field(default_factory=dict)

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
    return Prepared(valid, doc, html, checked.problems, ctx, checked, edition)


def build(root: Path, output: Path, timings: Timings | None = None,
          edition: Edition = STANDARD, options: dict[str, Any] | None = None) -> Prepared:
    """Build the PDF of an edition (or the HTML, when `output` ends in .html)."""
    timings = timings or Timings()
    root = root.resolve()
    pages_cache = backrefs.cache_file(root, output)
    prepared = prepare(root, timings, edition, options, output, backrefs.load(pages_cache))
    if output.suffix.lower() in (".html", ".htm"):
        write_text(output, prepared.html)
        return prepared
    with source_date_epoch(build_date(prepared.valid)):  # fontTools stamps subset fonts
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


def _layout(prepared: Prepared, root: Path, output: Path,
            timings: Timings) -> tuple[Document, Prepared]:
    """Lay out, with lost footnotes repaired and the publications list's page references right
    (see report/repair.py and report/backrefs.py)."""
    document, html = _layout_notes(prepared.html, root, prepared.warnings)
    body = prepared.doc.sections[0].id if prepared.doc.sections else None
    found = backrefs.facts(document, prepared.checked.collected, body)
    if (found.cited, found.last_page) != (prepared.doc.cited_pages, prepared.doc.last_page):
        backrefs.save(backrefs.cache_file(root, output), found)
        prepared = render(prepared.checked, prepared.edition, prepared.context, found)
        del document  # free the first layout before the second: it halves the peak memory
        document, _ = _layout_notes(prepared.html, root, prepared.warnings)
    return document, prepared


def _layout_notes(html: str, root: Path, warnings: list[Problem]) -> tuple[Document, str]:
    """Lay out; where WeasyPrint lost a footnote body, start its block on a new page and lay
    out again (at most three times); a note still lost fails the build with its text."""
    document = layout(html, root)
    for _ in range(3):
        lost = repair.lost(note_placements(document))
        fixed = repair.with_breaks(html, lost) if lost else None
        if fixed is None:
            break
        html, blocks = fixed
        warnings += [Problem(Location("build"), f"A footnote of block `{b}` was lost by the "
                             "layout engine; the block now starts a new page.",
                             "Nothing to do; rewording the passage may avoid the gap.",
                             severity="warning", code="repaired-footnote") for b in blocks]
        document = layout(html, root)
    problems = check_notes(document)
    if problems:
        raise ReportError(problems)
    return document, html


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

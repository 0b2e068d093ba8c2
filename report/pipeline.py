"""The pipeline, stage by stage: load → validate → check → cite → document → HTML → layout →
edition.

`check` runs the stages every command shares (what `report check` reports); `build` goes on to
the HTML and the PDF. Each stage is a package of its own (see the README's "Where things
are"); the time of every stage is kept for `make bench`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from importlib.metadata import version as _version
from pathlib import Path

from markdown_it import MarkdownIt

from report import __version__, files
from report.checks import safety
from report.checks.project import check_project
from report.cite.engine import (
    Citations,
    Style,
    cite,
    engine_warnings,
    find_style,
    punctuation_in_quote,
    unprinted_locators,
)
from report.document.inline import make_parser
from report.document.model import BuildInfo, Collected, DocumentModel, assemble, collect
from report.document.words import date_label, words_for
from report.editions import claims
from report.editions import registry as editions
from report.editions.registry import Edition
from report.engines import check as check_engines
from report.layout import backrefs, driver, workers
from report.layout import finishers as postprocess
from report.problems import Problem, ReportError
from report.project import walk
from report.project.options import BuildContext, BuildOptions, resolve
from report.project.read import load_project
from report.project.schema import csl_item
from report.project.validate import Valid, validate
from report.render import fonts
from report.render.html import render_html
from report.render.page_refs import fill_pages
from report.timings import Timings

__all__ = ["Checked", "Prepared", "Timings", "build", "check", "prepare"]


@dataclass
class Checked:
    """A project loaded, validated and checked: what `report check` and a build share."""

    valid: Valid
    style: Style
    md: MarkdownIt
    collected: Collected
    problems: list[Problem]
    citations: Citations | None  # None when there are errors: nothing to format


@dataclass
class Prepared:
    """A build up to its HTML; after `build`, the HTML the PDF was laid out from."""

    checked: Checked
    context: BuildContext
    edition: Edition
    doc: DocumentModel
    html: str
    warnings: list[Problem]
    facts: backrefs.Facts | None = None  # the page facts this HTML was written with

    @property
    def valid(self) -> Valid:
        return self.checked.valid


def check(root: Path, timings: Timings | None = None) -> Checked:
    """Load, validate, check and format the citations (cached); ReportError only when the
    files cannot be read as a report."""
    timings = timings or Timings()
    with timings.stage("load and validate"):
        safety.refuse_outside_links(root)
        valid = validate(load_project(root))
        style = find_style(valid.settings.citation_style, valid.project.root,
                           valid.project.report.where(("citation-style",)))
        inside = valid.settings.punctuation_in_quote
        if inside is None:
            inside = punctuation_in_quote(style, valid.settings.language)
        md = make_parser(note_style=style.note, inside_quotes=inside)
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
        sources = valid.project.sources
        problems += engine_warnings(
            citations, {s.id: sources.where((i, "id")) for i, s in enumerate(valid.sources)},
            valid.project.report.where(("citation-style",)))
    return Checked(valid, style, md, collected, problems, citations)


def prepare(root: Path, timings: Timings | None = None, options: BuildOptions | None = None,
            output: Path | None = None, facts: backrefs.Facts | None = None) -> Prepared:
    """Everything up to the HTML; raises ReportError with every problem found."""
    timings = timings or Timings()
    options = options or BuildOptions()
    edition = editions.get(options.edition)
    checked = check(root, timings)
    if checked.citations is None:
        raise ReportError(checked.problems)
    valid = checked.valid
    data_files = tuple(sorted({data.name for at in walk.blocks(valid.sections)
                               for data in at.files}))
    context = resolve(valid.project.root, output or root / edition.default_output,
                      valid.settings, options, data_files)
    with timings.stage("HTML"):
        return render(checked, context, edition, facts)


def render(checked: Checked, context: BuildContext, edition: Edition,
           facts: backrefs.Facts | None) -> Prepared:
    """The document model and its HTML; `facts` (from a layout) gives the pages citing each
    source, the pages of cross-references and the last page's number."""
    assert checked.citations is not None
    date, words = context.date, words_for(context.settings.language, context.settings.words)
    info = BuildInfo(f"report {__version__} (WeasyPrint {_version('weasyprint')})",
                     date.isoformat(), date_label(words, date.year, date.month, date.day),
                     fonts.NAMES)
    doc = assemble(checked.valid, checked.md, checked.collected, checked.citations, info,
                   facts.cited if facts else None, facts.last_page if facts else "")
    html = render_html(doc, context.root, claims.css(context) + edition.css(context),
                       context.paper)
    html = fill_pages(html, facts.anchors) if facts else html
    return Prepared(checked, context, edition, doc, html, list(checked.problems), facts)


def build(root: Path, output: Path, timings: Timings | None = None,
          options: BuildOptions | None = None) -> Prepared:
    """Build an edition's PDF (or the HTML, when `output` ends in .html). One build of an
    output at a time: a second one waits for the first (report/files.py)."""
    with files.output_lock(output):
        return _build(root.resolve(), output, timings or Timings(), options or BuildOptions())


def _build(root: Path, output: Path, timings: Timings, options: BuildOptions) -> Prepared:
    edition = editions.get(options.edition)
    html_only = output.suffix.lower() in (".html", ".htm")
    in_parts = edition.in_parts and options.layout != "whole" and not html_only
    if in_parts:
        workers.start()  # the workers' server imports WeasyPrint while we read the content
    # An edition with files beside its PDF (the archive's manifest) gets its PDF staged, for
    # `after_write` to install with them, and only if its sources are the ones the build
    # started from (the archive embeds them as they are when it writes the PDF).
    together = edition.after_write is not None and not html_only
    before = files.digests(root) if together else {}
    prepared = prepare(root, timings, options, output,
                       backrefs.load(backrefs.cache_file(root, output)))
    if html_only:
        files.write_text(output, prepared.html)
        return prepared
    check_engines()  # the pinned versions (the layout installs the patches)
    in_parts = in_parts and prepared.context.settings.tagged  # parts are joined as tagged
    target = files.staged(output) if together else output
    try:
        with driver.source_date_epoch(prepared.context.time):  # fontTools stamps subset fonts
            prepared = lay_out_and_write(prepared, in_parts, timings, target)
        if edition.after_write:
            _sources_unchanged(before, target, output)
            with timings.stage("post-processing"):
                edition.after_write(prepared.context)
            if target.is_file():  # not installed by the edition: the PDF alone
                files.install([output])
    finally:
        if together:
            target.unlink(missing_ok=True)
    return prepared


def _sources_unchanged(before: dict[str, str], pdf: Path, output: Path) -> None:
    """ReportError if a file the PDF embeds is not what it was when the build started."""
    from report.editions.manifest import changed, embedded  # pypdf: the archive's only
    problems = [changed(name, output) for name, data in sorted(embedded(pdf).items())
                if before.get(name) != files.sha256(data)]
    if problems:
        raise ReportError(problems)


def lay_out_and_write(prepared: Prepared, in_parts: bool, timings: Timings,
                      target: Path | None = None) -> Prepared:
    """The layout (in parts, or whole) and the PDF written (to `target`, default the
    output); returns the build as it was laid out (the HTML written again with the page facts
    the layout gave)."""
    ctx, edition = prepared.context, prepared.edition
    body = prepared.doc.sections[0].id if prepared.doc.sections else None
    latest = prepared

    def rewrite(facts: backrefs.Facts) -> driver.Draft:
        nonlocal latest
        latest = render(prepared.checked, ctx, edition, facts)
        return driver.Draft(latest.html, facts)

    request = driver.Request(ctx.root, ctx.output, body, prepared.checked.collected,
                             ctx.settings.language, rewrite, timings, target,
                             finish=lambda pdf: claims.finish(ctx, pdf))
    draft = driver.Draft(prepared.html, prepared.facts)
    warnings = prepared.warnings
    laid = driver.in_parts(request, draft, warnings) if in_parts else None
    if laid is None:
        with timings.stage("layout"):
            document, laid = driver.whole(request, draft, warnings)
        with timings.stage("PDF writing"):
            finish = postprocess.chain(postprocess.catalog(ctx.settings.language, body),
                                       postprocess.safe_links, *edition.finishers(ctx))
            second = edition.rewrite or claims.rewrite  # the record (XMP), the claims in it
            from report.layout.engine import write  # WeasyPrint: imported when it lays out

            write(document, target or ctx.output, finish,
                  {**claims.pdf_options(ctx), **edition.pdf_options(ctx)},
                  lambda doc, data: second(ctx, doc, data), tagged=ctx.settings.tagged)
    return replace(latest, html=laid.html, facts=laid.facts, warnings=warnings)

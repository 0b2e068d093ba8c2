"""The layout stage's driver: the HTML laid out into a PDF, whole or in parts.

Whole (`whole`): WeasyPrint lays the document out once; lost footnotes are repaired
(report/layout/repair.py); if the page facts the HTML was written with (cited pages, page
references, the last page's number) are not the ones the layout gives, the HTML is written
again with the new facts and laid out a second time. The caller writes the PDF.

In parts (`in_parts`): the HTML is split at its forced page breaks (report/layout/parts.py),
the chunks laid out in parallel and cached (report/layout/workers.py), rounds repeated until
the page facts settle, the folios drawn in one pass over all pages (report/layout/folios.py)
and everything joined (report/layout/merge.py). None when the report must be laid out whole.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from report import files
from report.document.model import Collected
from report.layout import backrefs, estimate, folios, merge, parts, workers
from report.layout import finishers as postprocess
from report.problems import Location, Problem
from report.timings import Timings

if TYPE_CHECKING:  # WeasyPrint is imported where a layout happens: see `_layout_notes`
    from weasyprint.document import Document


@dataclass(frozen=True)
class Draft:
    """HTML to lay out, and the page facts it was written with (None: not yet known)."""

    html: str
    facts: backrefs.Facts | None


@dataclass(frozen=True)
class Request:
    """What the layout needs to know besides the HTML."""

    root: Path
    output: Path
    body: str | None  # the first section's anchor: page 1 of the body
    collected: Collected  # where the citations are, for the pages citing each source
    language: str
    rewrite: Callable[[backrefs.Facts], Draft]  # the HTML again, with new page facts
    timings: Timings
    target: Path | None = None  # where the PDF is written, if not to `output` (staged)
    finish: Callable[[Any], None] | None = None  # the joined PDF (pikepdf), before it is saved


def whole(request: Request, draft: Draft,
          warnings: list[Problem]) -> tuple[Document, Draft]:
    """Lay out as one document, with lost footnotes repaired and the page facts right."""
    document, _ = _layout_notes(draft.html, request.root, warnings)
    found = backrefs.facts(document, request.collected, request.body, draft.html)
    if found != draft.facts:
        backrefs.save(backrefs.cache_file(request.root, request.output), found)
        draft = request.rewrite(found)
        del document  # free the first layout before the second: it halves the peak memory
        document, _ = _layout_notes(draft.html, request.root, warnings)
    return document, draft


def _layout_notes(html: str, root: Path, warnings: list[Problem]) -> tuple[Document, str]:
    from report.layout import repair  # WeasyPrint, in the process that lays out

    document, html, blocks, _ = repair.layout_repaired(html, root)
    warnings += repaired_warnings(blocks)
    return document, html


def repaired_warnings(blocks: list[str]) -> list[Problem]:
    return [Problem(Location("build"), f"A footnote of block `{b}` was lost by the layout "
                    "engine; the block now starts a new page.",
                    "Nothing to do; rewording the passage may avoid the gap.",
                    severity="warning", code="repaired-footnote") for b in blocks]


def in_parts(request: Request, draft: Draft, warnings: list[Problem]) -> Draft | None:
    """Lay the report out in parts, in parallel, cached, and write the joined PDF; None when
    it cannot be split (one part, or styles the parts cannot follow)."""
    found_folios = folios.analyse(draft.html)
    if found_folios is None:
        return None
    root, timings = request.root, request.timings
    # The folio pass needs the pages' sequence, known after the layout: start it now, on the
    # sequence of the previous build, which an edit seldom changes; and again after each
    # round that is not the last, on that round's sequence and the HTML of the next (a first
    # build's last round seldom moves a page); checked below.
    sequences = root / "build" / ".cache" / f"folio-sequence-{request.output.name}.json"
    with workers.using_cache(root) as alone:
        started = [_folio_pass(draft.html, _read_sequence(sequences), found_folios, root)]

        def next_round(html: str, sequence: list[tuple[str, folios.Levels]]) -> None:
            job = _folio_pass(html, sequence, found_folios, root, started[-1])
            if job is not started[-1] and isinstance(started[-1], workers.FolioPass):
                started[-1].cancel()  # another pass: that one's pages moved
            started.append(job)

        overlay: Any = None
        try:
            with workers.keeping_warm():  # a round's workers lay out the next round's chunks
                done = _lay_out_parts(request, draft, found_folios, next_round)
            if done is None:
                return None
            draft, made, laid, start = done
            with timings.stage("PDF writing"):
                sequence = _sequence(made, laid)
                files.write_cache(sequences, json.dumps(sequence).encode())
                overlay = _folio_pass(draft.html, sequence, found_folios, root, started[-1])
                folder = workers.cache_dir(root)
                try:
                    merge.merge([merge.Piece(folder / f"{item.key}.pdf", frozenset(item.stubs))
                                 for item in laid], request.target or request.output,
                                overlay=overlay, body_start=start, language=request.language,
                                finish=request.finish)
                except merge.NoFolios:  # the folio pass did not give the pages back, or a
                    timings.parts["whole"] = 1  # part has no tree to join: lay out whole
                    return None
            folio_path = overlay.path if isinstance(overlay, workers.FolioPass) else overlay
            if alone():  # no other build of the project is using the cache meanwhile
                workers.prune(root, {item.key for item in laid}
                              | ({folio_path.stem} if folio_path else set()))
            warnings.extend(repaired_warnings([b for item in laid for b in item.repaired]))
            return draft
        finally:  # a pass not used (the pages moved, the report laid out whole, a failure)
            for job in (*started, overlay):  # (cancelling a finished one does nothing)
                if isinstance(job, workers.FolioPass):
                    job.cancel()


def _lay_out_parts(request: Request, draft: Draft, found_folios: folios.Folios,
                   next_round: Callable[[str, list[tuple[str, folios.Levels]]], None]
                   ) -> tuple[Draft, list[parts.Chunk], list[workers.Laid], int] | None:
    """The chunks laid out until the page facts they were written with are the ones they
    give; returns the HTML it took, the chunks, their layouts and the body's first page, or
    None when the report must be laid out whole."""
    timings = request.timings
    joined = frozenset(draft.facts.joined if draft.facts else ())
    if draft.facts is None:  # a first build: numbers of about the right length meanwhile
        with timings.stage("HTML"):
            draft = request.rewrite(estimate.estimate(draft.html, request.collected,
                                                      request.body))
    for _ in range(6):  # facts settle in two rounds, a boundary found unclean costs one more
        with timings.stage("layout"):
            made = parts.chunks(draft.html, found_folios.part_css(), joined=joined)
            if made is None or len(made) < 2:
                timings.parts["whole"] = 1
                return None
            # no page facts yet (a first build): this round finds them, and every chunk
            # printing page facts changes with them
            laid = workers.run(made, request.root, progress=lambda done, total:
                               timings.tell("parts", "", done, total),
                               provisional=draft.facts is None or draft.facts.estimated)
        timings.parts = {"chunks": len(made), "laid": timings.parts.get("laid", 0)
                         + sum(not item.cached for item in laid), "joined": len(joined),
                         "rounds": timings.parts.get("rounds", 0) + 1}
        if any(page.blank for item in laid for page in item.pages):
            timings.parts["whole"] = 1  # blank pages: the folio pass cannot place them
            return None
        unclean = {chunk.next_part for chunk, item in zip(made, laid, strict=True)
                   if not item.forced}
        if unclean:  # lay those chunks out with the next ones, as the whole report would
            joined |= unclean
            continue
        found, start = _part_facts(laid, request, draft.html)
        found = replace(found, joined=tuple(sorted(joined)))
        if found == draft.facts:
            workers.raise_problems(laid)
            return draft, made, laid, start
        backrefs.save(backrefs.cache_file(request.root, request.output), found)
        with timings.stage("HTML"):
            draft = request.rewrite(found)
        next_round(draft.html, _sequence(made, laid))
    return None  # the page facts did not settle: lay out whole


def _part_facts(laid: list[workers.Laid], request: Request,
                html: str) -> tuple[backrefs.Facts, int]:
    """The page facts of the whole report from its parts' layouts; and the body's first page."""
    pages = [page for item in laid for page in item.pages]
    body = request.body
    start = next((i for i, page in enumerate(pages) if body and body in page.anchors), 0)
    printed = postprocess.printed_labels(len(pages), start)
    places, offset = [], 0
    for item in laid:
        places += [(offset + page, element) for page, element in item.places]
        offset += len(item.pages)
    cited = backrefs.pages_citing(places, request.collected, printed)
    anchors = backrefs.anchor_pages((page.anchors for page in pages),
                                    backrefs.referenced(html), printed)
    return backrefs.Facts(cited, printed[-1], anchors), start


def _sequence(made: list[parts.Chunk], laid: list[workers.Laid]
              ) -> list[tuple[str, folios.Levels]]:
    """Each page's name and page groups, in order: what the folio pass lays out."""
    return [(page.name, _levels(page, index == 0, chunk.continues))
            for chunk, item in zip(made, laid, strict=True)
            for index, page in enumerate(item.pages)]


def _levels(page: workers.PageFacts, first: bool, continues: bool) -> folios.Levels:
    """The page groups a page of a chunk is in, and whether each begins on it: on a chunk's
    first page every group begins, but the outermost (<main>'s) when the chunk continues it."""
    return [(str(name), (not (continues and depth == 0)) if first else index == 0)
            for depth, (name, index) in enumerate(page.groups)]


def _read_sequence(path: Path) -> list[tuple[str, folios.Levels]] | None:
    raw = files.read_cache(path, workers.AGAIN)
    try:
        return [(str(name), [(str(group), bool(new)) for group, new in levels])
                for name, levels in json.loads(raw)] if raw is not None else None
    except (ValueError, TypeError):
        return None


def _folio_pass(html: str, sequence: list[tuple[str, folios.Levels]] | None,
                found: folios.Folios, root: Path,
                running: Any = None) -> Path | workers.FolioPass | None:
    """The folios of every page, as a PDF of otherwise empty pages (report/layout/folios.py):
    cached, or being laid out in a worker (`running`, when it is the same pass, or a new one);
    None when there are no folios or no sequence."""
    if not found.boxes or not sequence:
        return None
    split = parts.split(html)
    assert split is not None
    head, tail, _ = split
    document = folios.overlay_html(head, tail, sequence, found)
    key = hashlib.sha256(document.encode("utf-8")).hexdigest()[:32]
    path = workers.cache_dir(root) / f"folios-{key}.pdf"
    if isinstance(running, workers.FolioPass) and running.path == path:
        return running
    if workers.cached_folios(path):
        return path
    return workers.folio_job(document, root, path, [name for name, _ in sequence])


@contextmanager
def source_date_epoch(when: dt.datetime) -> Iterator[None]:
    """SOURCE_DATE_EPOCH for the length of one build: libraries that stamp the time (fontTools
    in subset fonts) stamp the build date. Restored afterwards, so that the next build in the
    same process (tests, a server) does not inherit this report's date."""
    before = os.environ.get("SOURCE_DATE_EPOCH")
    if before is None:
        os.environ["SOURCE_DATE_EPOCH"] = str(int(when.timestamp()))
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)

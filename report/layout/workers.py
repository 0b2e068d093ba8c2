"""Laying out the chunks of a report (report/layout/parts.py) in worker processes, with a cache.

Each chunk is laid out by WeasyPrint in a worker process, on every core, the longest first.
The workers are forked from a small server started as the build begins (`start`), which
imports WeasyPrint meanwhile, on the other core, while the build reads the content: so a
worker holds WeasyPrint and its chunks, not the whole report's data. A worker lays out one
chunk after another, warm, through the rounds of a build (`keeping_warm`), until it has grown
past KEEP_BELOW_MB. A laid-out chunk is kept
in build/.cache/parts/ as its PDF and a record of what the layout told (its pages, anchors,
footnote placements, citations' pages): the key is a hash of the chunk's whole HTML
document (styles, page facts, footnote start included) and the files it read (images) are
checked by their hashes, so an edit re-lays only the chunks whose HTML changed. The record
is sealed with its own SHA-256 and holds the PDF's (report/files.py): a damaged entry is laid
out again, never joined.

A worker imports this package, never a folder of the working directory that has its name
(`_safe_path`), and leaves no temporary file behind (`_worker_process`).
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import json
import multiprocessing
import multiprocessing.connection
import multiprocessing.forkserver
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from report import __version__, files
from report.engines.weasyprint import page_type, page_type_name, root_and_areas
from report.files import write_atomically
from report.layout import finishers as postprocess
from report.layout.backrefs import citation_places, depends_on_pages
from report.layout.parts import Chunk
from report.problems import Location, Problem, ReportError

FORCED = {"page", "left", "right", "recto", "verso"}


PACKAGE = Path(__file__).resolve().parent.parent


def code_digest(package: Path = PACKAGE) -> str:
    """A digest of this package's source: parts laid out, tagged or drawn by other code (an
    upgrade, an edit) are laid out again, without anyone having to remember to say so."""
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


CACHE_VERSION = f"{__version__}-{code_digest()}"
AGAIN = "laid out again"  # what a build does with a damaged cache entry


@dataclass
class PageFacts:
    name: str
    group: int  # index of the page in its innermost page group (-1: none)
    blank: bool
    anchors: list[str]
    # the page groups the page is in, outermost first: [page name, index of the page in it]
    groups: list[list[Any]] = field(default_factory=list)


@dataclass
class Laid:
    """A chunk laid out: what the rest of the build needs to know of it."""

    key: str
    pages: list[PageFacts]
    places: list[tuple[int, str]]  # (1-based page in the chunk, note or citation id)
    stubs: list[str]  # link targets in other chunks
    repaired: list[str]  # blocks moved to a new page to save a footnote (report/layout/repair.py)
    reads: dict[str, str]  # project files read (images) -> sha256
    forced: bool  # the next chunk starts where the CSS forces a page break (the probe says)
    problems: list[dict[str, Any]] = field(default_factory=list)  # lost footnotes
    cached: bool = False
    pdf: str = ""  # the SHA-256 of the chunk's PDF in the cache


def cache_dir(root: Path) -> Path:
    return root / "build" / ".cache" / "parts"


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _forced(box: Any) -> bool:
    """Whether the box, or its first descendants, begin with a forced page break."""
    while box is not None:
        if box.style["break_before"] in FORCED:
            return True
        children = [c for c in getattr(box, "children", ()) if getattr(c, "element", None)
                    is not None]
        box = children[0] if children else None
    return False


def _probe(document: Any) -> tuple[int | None, bool]:
    """The page where the probe (the next chunk's start, report/layout/parts.py) begins, and whether
    the next chunk may start there: a forced break before it, nothing else on its page (no
    text before it, no footnotes carried over from earlier pages)."""
    from report.layout.engine import boxes

    for index, page in enumerate(document.pages):
        root, areas = root_and_areas(page)
        text_before = False
        for box in boxes(root):
            element = getattr(box, "element", None)
            if element is not None and element.get("data-report-probe") is not None:
                notes = any(getattr(b, "element", None) is not None for area in areas
                            for b in boxes(area) if b is not area)
                return index, _forced(box) and not text_before and not notes
            if not getattr(box, "children", None) and bool(getattr(box, "text", None)):
                text_before = True
    return None, False


def lay_out(chunk: Chunk, root: Path, pdf_path: Path, write: bool = True) -> Laid:
    """Lay one chunk out and write its pages (lead pages dropped) to `pdf_path`; not
    `write`: only its page facts (a round whose layout is only for them, see `run`)."""
    from report.layout import repair  # WeasyPrint: preloaded in the workers' server (`start`)
    from report.layout.engine import refused_problems

    try:
        document, _, repaired, lost = repair.layout_repaired(chunk.html, root, strict=False)
    except ReportError as error:  # a refused file: told to the main process
        return Laid(chunk.key, [], [], [], [], {}, False, [asdict(p) for p in error.problems])
    end, forced = (_probe(document) if chunk.probed else (len(document.pages), True))
    pages = document.pages[chunk.lead:end]
    facts = []
    for page in pages:
        kind = page_type(page)
        facts.append(PageFacts(kind.name, kind.group, kind.blank, list(page.anchors),
                               [list(group) for group in kind.groups]))
    places = [(page - chunk.lead, element) for page, element in citation_places(document)
              if 0 < page - chunk.lead <= len(pages)]
    # WeasyPrint drops links to anchors it cannot find: the other chunks' anchors stand in
    # here, on the first page, and the join points them at the real places.
    present = {anchor for page in pages for anchor in page.anchors}
    stubs = sorted({target for page in pages for kind, target, _, _ in page.links
                    if kind == "internal" and target not in present})
    if stubs and pages:
        pages[0].anchors.update({name: (0, 0, 0, 0) for name in stubs})
    if lost:  # facts, so that a next round (other page numbers) may lay it out right
        return Laid(chunk.key, facts, places, stubs, repaired, {}, forced,
                    [asdict(p) for p in lost])
    if not write:
        return Laid(chunk.key, facts, places, stubs, repaired, {}, forced)
    part = document.copy(pages)
    try:  # attachments are read as it writes; the link guard runs as it writes
        write_atomically(pdf_path, lambda stream: part.write_pdf(
            stream, finisher=postprocess.safe_links, pdf_tags=True))  # joined: layout/tags_merge.py
        refused = refused_problems(document.url_fetcher)
        if refused:
            raise ReportError(refused)
    except ReportError as error:
        pdf_path.unlink(missing_ok=True)
        return Laid(chunk.key, [], [], [], [], {}, False, [asdict(p) for p in error.problems])
    fetcher = document.url_fetcher
    reads = {name: _sha(root / name) for name in getattr(fetcher, "read", [])}
    return Laid(chunk.key, facts, places, stubs, repaired, reads, forced)


def _record(path: Path) -> Laid | None:
    raw = files.read_cache(path, AGAIN)
    if raw is None:
        return None
    try:
        data = json.loads(raw)
        if data.pop("version") != CACHE_VERSION:
            return None
        data["pages"] = [PageFacts(**p) for p in data["pages"]]
        data["places"] = [tuple(p) for p in data["places"]]
        return Laid(**data)
    except (ValueError, KeyError, TypeError):
        return None


def cached(chunk: Chunk, root: Path) -> Laid | None:
    """The chunk's earlier layout, if its HTML and the files it read are unchanged and its
    PDF is the one laid out (a damaged one is dropped, said, and laid out again)."""
    folder = cache_dir(root)
    laid = _record(folder / f"{chunk.key}.json")
    if laid is None:
        return None
    if not files.verified(folder / f"{chunk.key}.pdf", laid.pdf, AGAIN):
        (folder / f"{chunk.key}.json").unlink(missing_ok=True)
        return None
    for name, digest in laid.reads.items():
        try:
            if _sha(root / name) != digest:
                return None
        except OSError:
            return None
    laid.cached = True
    return laid


def _work(chunk: Chunk, root: Path, write: bool = True) -> Laid:
    folder = cache_dir(root)
    pdf = folder / f"{chunk.key}.pdf"
    laid = lay_out(chunk, root, pdf, write)
    if write and not laid.problems:  # the PDF first, then the record that vouches for it
        laid.pdf = files.sha256(pdf.read_bytes())
        record = asdict(laid) | {"version": CACHE_VERSION}
        record.pop("cached")
        files.write_cache(folder / f"{chunk.key}.json", json.dumps(record).encode())
    return laid


# A worker that has grown past this is not given another chunk (`_serve_chunks`): the body's
# chunks of the theme take about 150 MB, a 90-page chronology 370.
KEEP_BELOW_MB = 250


@contextlib.contextmanager
def _worker_process(epoch: str | None) -> Iterator[None]:
    """What a worker process is given first, and cleans up last. Its temporary files
    (WeasyPrint writes a layout's fonts to a folder it removes only when the process ends
    normally, which a worker does not) go to a folder of its own, removed before it ends."""
    # As the console script does (report/cli.py): the imports are never garbage, and a
    # layout allocates millions of small objects that live as long as the process.
    gc.freeze()
    gc.set_threshold(50_000, 20, 50)
    # the server was started before the build set it: fontTools stamps subset fonts with it
    if epoch is not None:
        os.environ["SOURCE_DATE_EPOCH"] = epoch
    own = tempfile.tempdir = tempfile.mkdtemp(prefix="report-worker-")
    try:
        yield
    finally:
        shutil.rmtree(own, ignore_errors=True)


def _serve(conn: Any, epoch: str | None, function: Any, *args: Any) -> None:
    """In a worker: run `function` and send its result (or its exception) to the parent."""
    try:
        with _worker_process(epoch):
            conn.send(function(*args))
    except BaseException as error:  # noqa: BLE001 - told to the parent, which reports it
        conn.send(error if isinstance(error, Exception) else RuntimeError(repr(error)))
    finally:
        conn.close()
        os._exit(0)  # no clean-up of the forked interpreter: the parent owns it all


def _serve_chunks(conn: Any, epoch: str | None) -> None:
    """In a worker: lay out the chunks the parent sends, one after another, warm (WeasyPrint's
    fonts, hyphenation dictionaries and C declarations stay loaded: 0.2-0.5 s of a fresh
    worker's first chunk), until told to stop or until it has grown past KEEP_BELOW_MB."""
    try:
        with _worker_process(epoch):
            while (job := conn.recv()) is not None:
                *args, keep_below = job
                try:
                    result: Any = _work(*args)
                except Exception as error:  # noqa: BLE001 - told to the parent, which reports it
                    result = error
                keep = _high_water_mb() < keep_below and not isinstance(result, Exception)
                conn.send((result, keep))
                if not keep:
                    break
    except BaseException as error:  # noqa: BLE001 - an interrupt: told, and the worker ends
        conn.send((RuntimeError(repr(error)), False))
    finally:
        conn.close()
        os._exit(0)


def _high_water_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("inf")  # not known (no /proc): not kept


@dataclass
class Worker:
    """A worker process laying out chunks one after another (`_serve_chunks`)."""

    process: Any
    conn: Any


# The workers of the build under way (`keeping_warm`), idle between its rounds; None: each
# round starts its own and stops them.
_idle: list[Worker] | None = None


@contextlib.contextmanager
def keeping_warm() -> Iterator[None]:
    """Workers kept from one round of a build to the next, and stopped at its end."""
    global _idle
    before, _idle = _idle, []
    try:
        yield
    finally:
        idle, _idle = _idle, before
        _stop(idle)


def _stop(workers: list[Worker]) -> None:
    for worker in workers:
        with contextlib.suppress(OSError):  # a worker that ended already
            worker.conn.send(None)
        worker.conn.close()
        worker.process.join(timeout=5)
        if worker.process.is_alive():
            worker.process.kill()
            worker.process.join()


def _start_worker() -> Worker:
    context = _context()
    here, there = context.Pipe(duplex=True)
    process = context.Process(target=_serve_chunks, daemon=True, args=(
        there, os.environ.get("SOURCE_DATE_EPOCH")))
    with _safe_path():
        process.start()
    there.close()
    return Worker(process, here)


@dataclass
class Job:
    """A function running in a worker process."""

    process: Any
    conn: Any
    what: str  # for the message if the process dies

    def result(self) -> Any:
        try:
            result = self.conn.recv()
        except EOFError:
            result = RuntimeError(f"{self.what} ended without a result (out of memory?)")
        self.process.join()
        if isinstance(result, Exception):
            raise result
        return result


def _spawn(what: str, function: Any, *args: Any) -> Job:
    context = _context()
    receive, send = context.Pipe(duplex=False)
    process = context.Process(target=_serve, daemon=True, args=(
        send, os.environ.get("SOURCE_DATE_EPOCH"), function, *args))
    with _safe_path():
        process.start()
    send.close()
    return Job(process, receive, what)


def _folios(document: str, root: Path, path: Path, names: list[str]) -> bool:
    """The folio pass (report/layout/folios.py): written to `path` if it gave the pages back."""
    from report.layout.engine import layout

    laid = layout(document, root)
    if [page_type_name(page) for page in laid.pages] != names:
        return False
    digest = write_atomically(path, lambda stream: laid.write_pdf(stream))
    files.write_cache(path.with_suffix(".json"),
                      json.dumps({"pdf": digest, "version": CACHE_VERSION}).encode())
    return True


def cached_folios(path: Path) -> bool:
    """Whether the folio pass's PDF is in the cache, whole (a damaged one is dropped)."""
    raw = files.read_cache(path.with_suffix(".json"), AGAIN)
    try:
        record = json.loads(raw) if raw is not None else {}
        digest = record["pdf"] if record.get("version") == CACHE_VERSION else None
    except (ValueError, KeyError, TypeError, AttributeError):
        digest = None
    if isinstance(digest, str) and files.verified(path, digest, AGAIN):
        return True
    path.with_suffix(".json").unlink(missing_ok=True)
    return False


@dataclass
class FolioPass:
    """The folio pass running in a worker while the parts are laid out or joined."""

    job: Job
    path: Path

    def result(self) -> Path | None:
        return self.path if self.job.result() else None

    def cancel(self) -> None:
        self.job.process.kill()
        self.job.process.join()  # gone before the build's temporary folder is


def folio_job(document: str, root: Path, path: Path, names: list[str]) -> FolioPass:
    return FolioPass(_spawn("the folio pass", _folios, document, root, path, names), path)


def _context() -> Any:
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


@contextlib.contextmanager
def _safe_path() -> Iterator[None]:
    """New interpreters started meanwhile (the fork server, spawned workers) without the
    working folder first on sys.path (PYTHONSAFEPATH, Python 3.11): a folder there named
    `report` would be imported instead of this package. (Python 3.11's fork server starts
    with `python -c` and imports its preloaded modules before it takes the parent's path.)"""
    before = os.environ.get("PYTHONSAFEPATH")
    os.environ["PYTHONSAFEPATH"] = "1"
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("PYTHONSAFEPATH", None)
        else:
            os.environ["PYTHONSAFEPATH"] = before


def start() -> None:
    """Start the server the workers are forked from, importing WeasyPrint (and this module)
    in it now, while the build does its other work."""
    context = _context()
    # WeasyPrint and the layout, imported once in the server, not in each worker nor in the
    # build's own process, which lays nothing out when every part has a process of its own
    context.set_forkserver_preload([__name__, "report.layout.repair"])
    if context.get_start_method() == "forkserver":
        with _safe_path():
            multiprocessing.forkserver.ensure_running()


def _in_processes(todo: list[Chunk], root: Path, workers: int,
                  done: Callable[[], None] = lambda: None,
                  write: Callable[[Chunk], bool] = lambda chunk: True) -> dict[int, Laid]:
    """The chunks laid out by `workers` worker processes at a time, each laying out one
    chunk after another, warm. A worker stops once it has grown past KEEP_BELOW_MB (a Python
    process keeps its high-water memory): one that laid out a big chunk is not kept."""
    pending = list(todo)
    idle = _idle if _idle is not None else []
    running: dict[Any, tuple[Worker, Chunk]] = {}
    results: dict[int, Laid] = {}
    try:
        while pending or running:
            while pending and len(running) < workers:
                chunk = pending.pop(0)
                job = (chunk, root, write(chunk), KEEP_BELOW_MB)
                worker = idle.pop() if idle else _start_worker()
                try:
                    worker.conn.send(job)
                except OSError:  # it ended while idle (killed): another one
                    worker = _start_worker()
                    worker.conn.send(job)
                running[worker.conn] = (worker, chunk)
            for ready in multiprocessing.connection.wait(list(running)):
                worker, chunk = running.pop(ready)
                try:
                    result, keep = worker.conn.recv()
                except (EOFError, OSError):
                    result, keep = RuntimeError(f"the process laying out part {chunk.index + 1}"
                                                " ended without a result (out of memory?)"), False
                if keep:
                    idle.append(worker)
                else:
                    worker.conn.close()
                    worker.process.join()
                if isinstance(result, Exception):
                    raise result
                results[chunk.index] = result
                done()
    finally:
        for worker, _ in running.values():
            worker.process.kill()
            worker.process.join()
        if _idle is None:
            _stop(idle)
    return results


def run(chunks: list[Chunk], root: Path, workers: int | None = None,
        progress: Callable[[int, int], None] | None = None,
        provisional: bool = False) -> list[Laid]:
    """Every chunk laid out: from the cache, or in worker processes, the longest first;
    `progress(done, total)` is told as each is done (a cached one is done at once).
    `provisional`: a round laid out for its page facts (a first build's first round, whose
    page references are unknown): a chunk that prints page facts changes with them and is
    laid out again, so its PDF is neither written nor cached (a quarter of a chunk's time);
    the others are written, and the next round takes them from the cache."""

    def write(chunk: Chunk) -> bool:
        return not provisional or not depends_on_pages(chunk.html)

    results: dict[int, Laid] = {}
    todo = []
    for chunk in chunks:
        found = cached(chunk, root)
        if found is None:
            todo.append(chunk)
        else:
            results[chunk.index] = found
    todo.sort(key=lambda c: -c.size)
    count = [len(results)]

    def one_more() -> None:
        count[0] += 1
        if progress:
            progress(count[0], len(chunks))

    if progress:
        progress(count[0], len(chunks))
    workers = max(1, min(len(todo), workers or os.cpu_count() or 1))
    # One at a time: in this process if it has WeasyPrint already (`report watch`, warm from
    # its last build); else in a worker, forked from the server that has, rather than import
    # it here for one chunk (0.5 s) and hold that chunk's layout until the join (+180 MB for
    # a 500-page report's publications list).
    if workers == 1 and "weasyprint" in sys.modules:
        for chunk in todo:
            results[chunk.index] = _work(chunk, root, write(chunk))
            one_more()
    elif todo:
        results |= _in_processes(todo, root, workers, one_more, write)
    laid = [results[chunk.index] for chunk in chunks]
    if any(item.problems and not item.pages for item in laid):
        raise_problems(laid)  # nothing laid out (a file refused): no point in another round
    return laid


def raise_problems(laid: list[Laid]) -> None:
    """ReportError with the chunks' problems (footnotes lost for good), if any."""
    problems = [Problem(**(p | {"location": Location(**p["location"])}))
                for item in laid for p in item.problems]
    if problems:
        raise ReportError(problems)


def prune(root: Path, keep: set[str]) -> None:
    """Forget the chunks of earlier builds that this build did not use. Called with the
    cache to itself (`using_cache`): another build's chunks may be among the others."""
    folder = cache_dir(root)
    if not folder.is_dir():
        return
    for path in folder.iterdir():  # hidden: the lock, files being written
        if path.stem not in keep and not path.name.startswith("."):
            path.unlink(missing_ok=True)


@contextlib.contextmanager
def using_cache(root: Path) -> Iterator[Callable[[], bool]]:
    """The parts' cache, shared with other builds of the project running at once; gives a
    function telling whether this build has it to itself now (and may prune)."""
    with files.locked(cache_dir(root) / ".lock", shared=True) as handle:
        yield lambda: files.alone(handle)

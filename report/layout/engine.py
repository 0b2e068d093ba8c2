"""Stage 6, PDF: WeasyPrint lays out the HTML; the layout is checked before anything is written.

WeasyPrint can print a footnote call and silently drop its body (upstream issue #2502), so
after layout every call is matched with its body, which must be on the call's page or the
next; a lost note fails the build with its text and page.

WeasyPrint reads everything (styles' imports, images, fonts, attachments) through one
fetcher, ProjectFetcher: the project's files, the pinned fonts and data: URIs, nothing else.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from weasyprint import HTML
from weasyprint.document import Document
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from report import engines
from report.engines import weasyprint_tags
from report.engines.weasyprint import root_and_areas
from report.files import write_atomically
from report.layout import tags_write
from report.layout.finishers import Finisher
from report.layout.mime import mime_type
from report.problems import Location, Problem, ReportError
from report.render import fonts

# The base URL of every build: a virtual folder that the fetcher maps onto the project. Nothing
# the PDF holds (image names derive from URLs) then depends on where the project sits on disk.
PROJECT_URL = "file:///report-project/"

_FONT_CONFIG: FontConfiguration | None = None



def font_config() -> FontConfiguration:
    """One FontConfiguration per process: building it costs a fontconfig scan."""
    global _FONT_CONFIG
    if _FONT_CONFIG is None:
        _FONT_CONFIG = FontConfiguration()
    return _FONT_CONFIG


class ProjectFetcher(URLFetcher):  # type: ignore[misc]
    """WeasyPrint's only way to read anything: files inside the project (through the virtual
    PROJECT_URL), the report's pinned font files and data: URIs. Everything else (http:,
    ftp:, other files, a symbolic link leading out of the project) is refused and recorded,
    so that content, styles and templates cannot make a build read or send anything."""

    def __init__(self, root: Path) -> None:
        super().__init__(timeout=1, allowed_protocols={"file", "data"}, allow_redirects=False)
        self.root = root.resolve()
        self.refused: list[str] = []
        self.read: list[str] = []  # project files read (fonts aside): relative POSIX paths
        try:
            found = list(fonts.find(self.root).values())
        except ReportError:  # no fonts: nothing to allow; the CSS stage reports it
            found = []
        self.allowed_fonts = frozenset(path.resolve() for path in found)

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        scheme = url.partition(":")[0].lower()
        if scheme == "data" and ":" in url:
            return super().fetch(url, headers)
        path = self._local(url) if scheme == "file" else None
        if path is None or not path.is_file():
            if url not in self.refused:
                self.refused.append(url)
            raise ValueError(f"refused: {url} is not a file of the report project")
        if path not in self.allowed_fonts:
            relative = path.relative_to(self.root).as_posix()
            if relative not in self.read:
                self.read.append(relative)
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mime_type(path.name)})

    def _local(self, url: str) -> Path | None:
        """The file a file: URL names, if a build may read it."""
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            return None
        if url.startswith(PROJECT_URL):
            relative = PurePosixPath(unquote(parts.path)).relative_to("/report-project")
            if ".." in relative.parts:
                return None
            path = (self.root / relative).resolve()
        else:
            path = Path(url2pathname(parts.path)).resolve()
            if path in self.allowed_fonts:
                return path
            return None
        return path if path.is_relative_to(self.root) else None


def refused_problems(fetcher: Any) -> list[Problem]:
    """What a build tried to read outside the project, as errors."""
    return [Problem(Location("build"), f"The build tried to read `{url}`, which is outside "
                    "the report project; it was refused.",
                    "A build reads only files inside the project folder, never the network. "
                    "Copy the file into the project and refer to it by a relative path.",
                    code="outside-project", value=url)
            for url in getattr(fetcher, "refused", [])]


def layout(html: str, base: Path) -> Document:
    """Lay out the HTML; ReportError if it tried to read anything outside the project."""
    engines.install()  # explicit and idempotent: every process that lays out (workers too)
    weasyprint_tags.install(tags_write.build)  # the structure tree of a tagged PDF (`pdf_tags`)
    fetcher = ProjectFetcher(base)
    document = HTML(string=html, base_url=PROJECT_URL, url_fetcher=fetcher).render(
        font_config=font_config())
    problems = refused_problems(fetcher)
    if problems:
        raise ReportError(problems)
    return document


def boxes(box: Any) -> Iterator[Any]:
    """The box and all boxes inside it, in document order."""
    yield box
    for child in getattr(box, "children", ()):
        yield from boxes(child)


@dataclass(frozen=True)
class NotePlacement:
    id: str
    call_page: int  # 1-based
    body_page: int | None
    text: str


def note_placements(document: Document) -> list[NotePlacement]:
    """Where each footnote call and body landed, from WeasyPrint's page boxes."""
    calls: dict[str, tuple[int, str]] = {}
    bodies: dict[str, int] = {}
    for number, page in enumerate(document.pages, start=1):
        root, areas = root_and_areas(page)
        for box in boxes(root):
            note = getattr(box, "footnote", None)
            if note is not None and note.element is not None:
                note_id = note.element.get("id") or ""
                calls.setdefault(note_id, (number, "".join(note.element.itertext())))
        for area in areas:
            for box in boxes(area):
                element = getattr(box, "element", None)
                if element is not None and "footnote" in (element.get("class") or "").split():
                    bodies.setdefault(element.get("id") or "", number)
    return [NotePlacement(i, page, bodies.get(i), text) for i, (page, text) in calls.items()]


def check_notes(document: Document) -> list[Problem]:
    problems = []
    for note in note_placements(document):
        if note.body_page is None or not 0 <= note.body_page - note.call_page <= 1:
            where = f"page {note.body_page}" if note.body_page else "nowhere"
            problems.append(Problem(
                Location("build"), f"The footnote called on page {note.call_page} was printed "
                f"{where}: “{note.text[:120]}”.",
                "This is a WeasyPrint layout fault (issue #2502). Shorten the note or the "
                "paragraph around it, or report it with the content that triggers it.",
                code="lost-footnote"))
    return problems


Rewrite = Callable[[Document, bytes], bytes]


def write(document: Document, output: Path, finisher: Finisher,
          options: dict[str, Any] | None = None, rewrite: Rewrite | None = None,
          tagged: bool = True) -> None:
    """Write the PDF atomically: a failed build leaves the old file intact. `rewrite`, if
    given, is a second pass over the whole written file (the archive's metadata), done in
    memory before anything replaces the previous output. `tagged`: with its structure tree
    (report/layout/tags.py)."""
    options = {"pdf_tags": tagged, **(options or {})}

    def write_pdf(stream: BinaryIO) -> None:
        if rewrite is None:
            document.write_pdf(stream, finisher=finisher, **options)
        else:
            written = io.BytesIO()
            document.write_pdf(written, finisher=finisher, **options)
        problems = refused_problems(document.url_fetcher)  # attachments are read as it writes
        if problems:
            raise ReportError(problems)
        if rewrite is not None:
            stream.write(rewrite(document, written.getvalue()))

    write_atomically(output, write_pdf)



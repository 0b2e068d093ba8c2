"""Stage 7, post-process: what WeasyPrint does not write itself, added as it writes the PDF.

Finishers run on WeasyPrint's PDF object just before it is serialised (`write_pdf(finisher=)`),
so there is no second read-and-rewrite of the file. Every edition gets the language, the viewer
settings and the page labels (decided in report/layout/catalog.py) and the link check below;
editions (archive, print) add their own finishers.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pydyf

from report.layout import catalog as catalog_entries
from report.numerals import roman
from report.problems import Location, Problem, ReportError

Finisher = Callable[[Any, pydyf.PDF], None]


def catalog(language: str, body: str | None) -> Finisher:
    """The catalog's language, viewer settings and page labels (report/layout/catalog.py), the
    body numbered from its first section's page on."""
    def finish(document: Any, pdf: pydyf.PDF) -> None:
        ranges = catalog_entries.body_ranges(body_start(document, body) or 0)
        catalog_entries.write_pydyf(pdf.catalog, catalog_entries.entries(language, ranges))
    return finish


def chain(*finishers: Finisher) -> Finisher:
    def finish(document: Any, pdf: pydyf.PDF) -> None:
        for finisher in finishers:
            finisher(document, pdf)
    return finish


def body_start(document: Any, anchor: str | None) -> int | None:
    """The index of the page where the body begins: the one holding the first section's anchor
    (the theme restarts the page counter there, with `@page :nth(1 of body)`)."""
    return next((i for i, page in enumerate(document.pages) if anchor and anchor in page.anchors),
                None)


def printed_labels(count: int, start: int) -> list[str]:
    """The printed number of each of `count` pages when the body begins on page index
    `start`: i, ii, ... before it, then 1, 2, ... on."""
    return [roman(i + 1, lower=True) if i < start else str(i - start + 1)
            for i in range(count)]


def labels(document: Any, anchor: str | None) -> list[str]:
    """The printed number of every page of a laid-out document."""
    return printed_labels(len(document.pages), body_start(document, anchor) or 0)


SAFE_URI = re.compile(r"^(https?|mailto):", re.I)
ACTIONS = {"/URI", "/GoTo", "/GoToR", "/GoToE", "/Launch", "/Thread", "/Sound", "/Movie",
           "/Hide", "/Named", "/SubmitForm", "/ResetForm", "/ImportData", "/JavaScript",
           "/SetOCGState", "/Rendition", "/Trans", "/GoTo3DView"}


def _dictionaries(value: Any) -> Any:
    """Every dictionary in `value`, nested direct objects included (a link's action is one)."""
    if isinstance(value, dict):
        yield value
        for item in value.values():
            yield from _dictionaries(item)
    elif isinstance(value, list):
        for item in value:
            yield from _dictionaries(item)


def safe_links(document: Any, pdf: pydyf.PDF) -> None:
    """The last guard: the PDF may only link within itself or to https:, http: and mailto:
    addresses; no other action (JavaScript, Launch, a remote file) and no file attachment
    annotation. Content cannot produce one (report/checks/safety.py refuses it with its
    place), but a template could: fail the build rather than write it."""
    problems = []
    for obj in pdf.objects:
        for entry in _dictionaries(obj):
            action = entry.get("S")
            uri = entry.get("URI")
            text = uri.string if isinstance(uri, pydyf.String) else str(uri or "")
            if action in ACTIONS and (action != "/URI" or not SAFE_URI.match(text)):
                if action != "/GoTo":
                    problems.append(f"a {action[1:]} action {text}".strip())
            elif entry.get("Subtype") == "/FileAttachment":
                problems.append("a file attachment annotation")
    if problems:
        raise ReportError([Problem(Location("build"), f"The PDF would contain {what}; refused.",
                                   "Links may use https:, http: and mailto: only; check the "
                                   "project's templates (styles/templates/).",
                                   code="unsafe-link") for what in problems])

"""Stage 7, post-process: what WeasyPrint does not write itself, added as it writes the PDF.

Finishers run on WeasyPrint's PDF object just before it is serialised (`write_pdf(finisher=)`),
so there is no second read-and-rewrite of the file. Later editions (archive, print) add their
own finishers to the table.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pydyf

Finisher = Callable[[Any, pydyf.PDF], None]


def language_and_view(language: str) -> Finisher:
    def finish(document: Any, pdf: pydyf.PDF) -> None:
        pdf.catalog["Lang"] = pydyf.String(language)
        pdf.catalog["PageMode"] = "/UseOutlines"
        pdf.catalog["ViewerPreferences"] = pydyf.Dictionary({"DisplayDocTitle": "true"})
    return finish


def chain(*finishers: Finisher) -> Finisher:
    def finish(document: Any, pdf: pydyf.PDF) -> None:
        for finisher in finishers:
            finisher(document, pdf)
    return finish

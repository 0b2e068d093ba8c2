"""What the citation stage is given: citation clusters, as the text's parser found them.

A cluster is one bracketed citation (`[see @a, 14; also @b]`); its items carry what CSL needs
for each source cited. The parser (report/document/inline.py) makes them; citeproc-js
(report/cite/engine.py) formats them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class CiteItem:
    key: str
    prefix: str = ""
    suffix: str = ""
    locator: str = ""
    label: str = ""
    suppress_author: bool = False

    def csl(self) -> dict[str, Any]:
        item: dict[str, Any] = {"id": self.key}
        if self.locator:
            item["locator"], item["label"] = self.locator, self.label or "page"
        if self.prefix:
            item["prefix"] = self.prefix + " "
        if self.suffix:
            item["suffix"] = self.suffix if self.suffix[0] in ",;. " else " " + self.suffix
        if self.suppress_author:
            item["suppress-author"] = True
        return item


@dataclass
class Cluster:
    """One bracketed citation: one footnote in a note style, unless it sits in a note."""

    items: list[CiteItem]
    source: str
    id: str = ""
    note: int = 0  # the footnote it belongs to (set when the whole document is known)
    in_note: bool = False  # inside an inline note: printed in the note's text

"""Back-references from the publications list to the pages that cite each source.

The pages are known only after layout. The list sits at the end of the report, so what it
says cannot move any page that cites: a build lays the report out with the pages of the
previous build (kept in build/.cache) and lays it out again only when they turned out wrong.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from report.files import write_text
from report.model import Collected
from report.pdf import note_placements
from report.postprocess import labels

# source id -> [(printed page number, id of the first note there)], in page order
Pages = dict[str, list[tuple[str, str]]]


def note_sources(collected: Collected) -> dict[str, list[str]]:
    """Element id -> the sources it cites: a footnote (a cluster, or an inline note's
    clusters), or an in-text citation of an author-date style (`cite-` + the cluster's id)."""
    out: dict[str, list[str]] = {}
    for cluster, _ in collected.clusters:
        element = f"note-n{cluster.note}" if cluster.in_note else f"note-{cluster.id}"
        for name in (element, f"cite-{cluster.id}"):
            keys = out.setdefault(name, [])
            keys += [item.key for item in cluster.items if item.key not in keys]
    return out


def cited_pages(document: Any, collected: Collected, body: str | None = None) -> Pages:
    """The pages citing each source, as printed: roman in the front matter, arabic from the
    page of `body` (the first section's anchor) on, as report/postprocess.labels says."""
    sources = note_sources(collected)
    printed = labels(document, body)
    # where each citation is: a footnote's call, or, in author-date styles, the citation itself
    places = [(note.call_page, note.id) for note in note_placements(document)]
    places += [(number, anchor) for number, page in enumerate(document.pages, start=1)
               for anchor in page.anchors if anchor.startswith("cite-")]
    pages: dict[str, list[tuple[int, str]]] = {}
    for page_number, element in sorted(places):
        for key in sources.get(element, []):
            listed = pages.setdefault(key, [])
            if all(page != page_number for page, _ in listed):
                listed.append((page_number, element))
    return {key: [(printed[page - 1], note) for page, note in sorted(value)]
            for key, value in sorted(pages.items())}


@dataclass(frozen=True)
class Facts:
    """What only a layout knows and the text shows: the pages citing each source, and the
    number printed on the last page (the "of N" of the folios)."""

    cited: Pages
    last_page: str


def facts(document: Any, collected: Collected, body: str | None) -> Facts:
    return Facts(cited_pages(document, collected, body), labels(document, body)[-1])


def cache_file(root: Path, output: Path) -> Path:
    return root / "build" / ".cache" / f"cited-pages-{output.name}.json"


def load(path: Path) -> Facts | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        cited = {key: [(str(p), str(n)) for p, n in value] for key, value in data["cited"].items()}
        return Facts(cited, str(data["last_page"]))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None  # no cache, or one from an older version: lay out twice


def save(path: Path, found: Facts) -> None:
    write_text(path, json.dumps({"cited": found.cited, "last_page": found.last_page}))

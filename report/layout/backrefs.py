"""Page facts: what only a layout knows and the text prints.

The pages citing each source (the publications list's "Cited on pp."), the number printed on
the last page (the "of N" of the folios) and the page of every anchor that the text refers to
by page (the contents, the chronology's "→ p. N", cross-references: `data-page-of` in the
HTML). A build lays the report out with the facts of the previous build (kept in build/.cache)
and lays it out again only when they turned out wrong.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from report.files import read_cache, write_cache
from report.layout.finishers import labels
from report.render.page_refs import PAGE_OF

if TYPE_CHECKING:  # not imported by the layout workers, which only pass it on
    from report.document.model import Collected

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


def pages_citing(places: Iterable[tuple[int, str]], collected: Collected,
                 printed: list[str]) -> Pages:
    """The pages citing each source, from where each citation is: (1-based page, element id)
    of every footnote call, and, in author-date styles, of every in-text citation."""
    sources = note_sources(collected)
    pages: dict[str, list[tuple[int, str]]] = {}
    for page_number, element in sorted(places):
        for key in sources.get(element, []):
            listed = pages.setdefault(key, [])
            if all(page != page_number for page, _ in listed):
                listed.append((page_number, element))
    return {key: [(printed[page - 1], note) for page, note in sorted(value)]
            for key, value in sorted(pages.items())}


def citation_places(document: Any) -> list[tuple[int, str]]:
    from report.layout.engine import note_placements  # WeasyPrint: only where it laid out

    places = [(note.call_page, note.id) for note in note_placements(document)]
    places += [(number, anchor) for number, page in enumerate(document.pages, start=1)
               for anchor in page.anchors if anchor.startswith("cite-")]
    return places


def cited_pages(document: Any, collected: Collected, body: str | None = None) -> Pages:
    """The pages citing each source, as printed: roman in the front matter, arabic from the
    page of `body` (the first section's anchor) on, as report/postprocess.labels says."""
    return pages_citing(citation_places(document), collected, labels(document, body))


# What a layout's page facts change in a part's HTML: page references, and the publications
# list ("cited on pp."). Only a guess at which parts a first build lays out twice (see
# report/layout/workers.py `run`): a part guessed wrong is laid out again all the same,
# because the cache keys on the HTML.
PAGE_DEPENDENT = re.compile(r'\bdata-page-of="|class="[^"]*\bcsl-bib-body\b')


def depends_on_pages(html: str) -> bool:
    return PAGE_DEPENDENT.search(html) is not None


def referenced(html: str) -> set[str]:
    """The anchors the text refers to by page: `data-page-of` in the HTML."""
    return set(PAGE_OF.findall(html))


@dataclass(frozen=True)
class Facts:
    cited: Pages
    last_page: str
    anchors: dict[str, str] = field(default_factory=dict)  # anchor -> printed page
    # parts that cannot start a chunk (report/layout/parts.py), found by an earlier layout
    joined: tuple[str, ...] = ()
    estimated: bool = False  # guessed from the HTML (report/layout/estimate.py), never saved


def anchor_pages(page_anchors: Iterable[Iterable[str]], wanted: set[str],
                 printed: list[str]) -> dict[str, str]:
    """The printed page of each wanted anchor (its first occurrence)."""
    out: dict[str, str] = {}
    for index, anchors in enumerate(page_anchors):
        for anchor in anchors:
            if anchor in wanted and anchor not in out:
                out[anchor] = printed[index]
    return dict(sorted(out.items()))


def facts(document: Any, collected: Collected, body: str | None, html: str = "") -> Facts:
    printed = labels(document, body)
    return Facts(cited_pages(document, collected, body), printed[-1],
                 anchor_pages((page.anchors for page in document.pages), referenced(html),
                              printed))


def cache_file(root: Path, output: Path) -> Path:
    return root / "build" / ".cache" / f"cited-pages-{output.name}.json"


def load(path: Path) -> Facts | None:
    raw = read_cache(path, "laid out again")
    if raw is None:
        return None
    try:
        data = json.loads(raw)
        cited = {key: [(str(p), str(n)) for p, n in value] for key, value in data["cited"].items()}
        anchors = {str(key): str(value) for key, value in data["anchors"].items()}
        return Facts(cited, str(data["last_page"]), anchors,
                     tuple(str(j) for j in data.get("joined", [])))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None  # no cache, or one from an older version: lay out twice


def save(path: Path, found: Facts) -> None:
    write_cache(path, json.dumps({"cited": found.cited, "last_page": found.last_page,
                                  "anchors": found.anchors, "joined": found.joined}).encode())

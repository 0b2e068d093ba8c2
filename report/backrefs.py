"""Back-references from the publications list to the pages that cite each source.

The pages are known only after layout. The list sits at the end of the report, so what it
says cannot move any page that cites: a build lays the report out with the pages of the
previous build (kept in build/.cache) and lays it out again only when they turned out wrong.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from report.model import Collected
from report.pdf import note_placements
from report.postprocess import labels

# source id -> [(printed page number, id of the first note there)], in page order
Pages = dict[str, list[tuple[str, str]]]


def note_sources(collected: Collected) -> dict[str, list[str]]:
    """Footnote element id -> the sources it cites (a cluster, or an inline note's clusters)."""
    out: dict[str, list[str]] = {}
    for cluster, _ in collected.clusters:
        element = f"note-n{cluster.note}" if cluster.in_note else f"note-{cluster.id}"
        keys = out.setdefault(element, [])
        keys += [item.key for item in cluster.items if item.key not in keys]
    return out


def cited_pages(document: Any, collected: Collected, body: str | None = None) -> Pages:
    """The pages citing each source, as printed: roman in the front matter, arabic from the
    page of `body` (the first section's anchor) on, as report/postprocess.labels says."""
    sources = note_sources(collected)
    printed = labels(document, body)
    pages: dict[str, list[tuple[int, str]]] = {}
    for note in note_placements(document):
        for key in sources.get(note.id, []):
            listed = pages.setdefault(key, [])
            if all(page != note.call_page for page, _ in listed):
                listed.append((note.call_page, note.id))
    return {key: [(printed[page - 1], note) for page, note in sorted(value)]
            for key, value in sorted(pages.items())}


def cache_file(root: Path, output: Path) -> Path:
    return root / "build" / ".cache" / f"cited-pages-{output.name}.json"


def load(path: Path) -> Pages | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return {key: [(str(p), str(n)) for p, n in value] for key, value in data.items()}


def save(path: Path, pages: Pages) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(pages), encoding="utf-8")
    tmp.replace(path)

"""The chronology for other tools: CSV for spreadsheets, JSON for timeline tools."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from report.checks.lint import CITATION
from report.cite.clusters import CiteItem
from report.document import chronology
from report.document.inline import parse_cluster
from report.project import walk
from report.project.validate import Valid


def events(valid: Valid) -> list[dict[str, Any]]:
    """Every event, in chronology order, as plain data."""
    rows: list[dict[str, Any]] = []
    for order, at in enumerate(walk.events(valid.sections)):
        event = at.event
        when = chronology.parse(event.date)
        keys: list[str] = []
        for text in (event.text, event.cite or ""):
            for match in CITATION.finditer(text):
                items: list[CiteItem] = parse_cluster(match.group(0)[1:-1]) or []
                keys += [i.key for i in items if i.key not in keys]
        rows.append({
            "id": event.id or "", "edtf": when.edtf, "label": when.label,
            "start": when.start.isoformat(), "end": when.end.isoformat(),
            "text": CITATION.sub("", event.text).strip(), "sources": keys,
            "section": at.block.section.id, "anchor": at.block.anchor,
            "file": at.block.file.name, "line": at.where().line,
            "_order": chronology.sort_key(when, order),
        })
    rows.sort(key=lambda row: row["_order"])
    for row in rows:
        del row["_order"]
    return rows


def to_json(rows: list[dict[str, Any]]) -> str:
    return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"


def to_csv(rows: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    fields = ["edtf", "label", "start", "end", "text", "sources", "id", "section", "anchor",
              "file", "line"]
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({**row, "sources": "; ".join(row["sources"])})
    return out.getvalue()

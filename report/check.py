"""Checks across files that the schema alone cannot make: citation keys, list-item sources,
event dates, sources never cited. Returns problems as data; the caller decides what fails.
"""

from __future__ import annotations

import difflib

from report import chronology
from report.cite import check_keys
from report.model import Collected
from report.problems import Problem
from report.schema import List
from report.validate import Valid


def check_project(valid: Valid, collected: Collected) -> list[Problem]:
    known = {s.id for s in valid.sources}
    problems = check_keys(collected.clusters, known)
    for file, section in valid.sections:
        for b, block in enumerate(section.blocks):
            for e, event in enumerate(block.events):
                try:
                    chronology.parse(event.date)
                except ValueError as error:
                    problems.append(Problem(file.where(("blocks", b, "events", e, "date")),
                                            str(error), code="bad-date", value=event.date))
            if isinstance(block, List):
                for i, item in enumerate(block.list.items):
                    if item.source and item.source not in known:
                        near = difflib.get_close_matches(item.source, sorted(known), n=1)
                        problems.append(Problem(
                            file.where(("blocks", b, "list", "items", i, "source")),
                            f"The source `{item.source}` is not in sources.yaml.",
                            f"Did you mean `{near[0]}`?" if near else "Add it to sources.yaml.",
                            code="unknown-key", value=item.source))
    cited = {item.key for cluster, _ in collected.clusters for item in cluster.items}
    for i, source in enumerate(valid.sources):
        if source.id not in cited and not source.further_reading:
            problems.append(Problem(valid.project.sources.where((i, "id")),
                                    f"The source `{source.id}` is never cited.",
                                    "Cite it, mark it `further-reading: true`, or remove it.",
                                    severity="warning", code="uncited-source", value=source.id))
    return problems

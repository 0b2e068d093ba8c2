"""Checks across files that the schema alone cannot make: citation keys, list-item sources,
event dates, sources never cited. Returns problems as data; the caller decides what fails.
"""

from __future__ import annotations

import difflib

from report import chronology, lint
from report.cite import check_keys
from report.model import Collected, targets
from report.problems import Problem
from report.schema import List
from report.validate import Valid


def check_project(valid: Valid, collected: Collected) -> list[Problem]:
    known = {s.id for s in valid.sources}
    problems = check_keys(collected.clusters, known)
    period = _period(valid, problems)
    for file, section in valid.sections:
        for b, block in enumerate(section.blocks):
            for a, allow in enumerate(block.allow):
                if allow.rule not in lint.RULES:
                    near = difflib.get_close_matches(allow.rule, lint.RULES, n=1)
                    problems.append(Problem(
                        file.where(("blocks", b, "allow", a, "rule")),
                        f"There is no lint rule `{allow.rule}`.",
                        f"Did you mean `{near[0]}`?" if near else
                        "Rules: " + ", ".join(lint.RULES) + ".", code="unknown-rule"))
            for e, event in enumerate(block.events):
                where = file.where(("blocks", b, "events", e, "date"))
                try:
                    when = chronology.parse(event.date)
                except chronology.DateError as error:
                    problems.append(Problem(where, str(error), error.hint, code="bad-date",
                                            value=event.date))
                    continue
                if period and not (period.start <= when.start and when.end <= period.end):
                    problems.append(Problem(
                        where, f"The date {when.label} is outside the report's period "
                        f"({period.label}).", "Check the date, or widen `period` in "
                        "content/report.yaml.", severity="warning", code="date-outside-period",
                        value=event.date))
            if isinstance(block, List):
                for i, item in enumerate(block.list.items):
                    if item.source and item.source not in known:
                        near = difflib.get_close_matches(item.source, sorted(known), n=1)
                        problems.append(Problem(
                            file.where(("blocks", b, "list", "items", i, "source")),
                            f"The source `{item.source}` is not in sources.yaml.",
                            f"Did you mean `{near[0]}`?" if near else "Add it to sources.yaml.",
                            code="unknown-key", value=item.source))
    known_targets = targets(valid)
    for key, where in collected.xrefs:
        if key not in known_targets:
            near = difflib.get_close_matches(key, sorted(known_targets), n=3, cutoff=0.6)
            problems.append(Problem(where, f"The cross-reference `{key}` points at nothing.",
                                    ("Did you mean " + ", ".join(f"`{n}`" for n in near) + "?")
                                    if near else "Use `sec:` and a section's id, or `ref:` "
                                    "and the id of a block or event.", code="unknown-xref",
                                    value=key))
    problems += lint.lint(valid, collected)
    cited = {item.key for cluster, _ in collected.clusters for item in cluster.items}
    for i, source in enumerate(valid.sources):
        if source.id not in cited and not source.further_reading:
            problems.append(Problem(valid.project.sources.where((i, "id")),
                                    f"The source `{source.id}` is never cited.",
                                    "Cite it, mark it `further-reading: true`, or remove it.",
                                    severity="warning", code="uncited-source", value=source.id))
    return problems


def _period(valid: Valid, problems: list[Problem]) -> chronology.When | None:
    if not valid.settings.period:
        return None
    try:
        return chronology.parse(valid.settings.period)
    except chronology.DateError as error:
        problems.append(Problem(valid.project.report.where(("period",)), str(error), error.hint,
                                code="bad-date", value=valid.settings.period))
        return None

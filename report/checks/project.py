"""Checks across files that the schema alone cannot make: citation keys, list-item sources,
event dates, sources never cited. Returns problems as data; the caller decides what fails.
"""

from __future__ import annotations

import difflib
import re

from report.checks import lint, templates
from report.cite.engine import check_keys
from report.document import chronology, words
from report.document.inline import nesting_problem
from report.document.model import Collected, targets
from report.problems import Problem
from report.project import walk
from report.project.validate import Valid


def check_project(valid: Valid, collected: Collected) -> list[Problem]:
    known = {s.id for s in valid.sources}
    problems = check_keys(collected.clusters, known)
    period = _period(valid, problems)
    for at in walk.blocks(valid.sections):
        for a, allow in enumerate(at.block.allow):
            if allow.rule in lint.RULES and allow.rule not in lint.WAIVABLE:
                problems.append(Problem(
                    at.where("allow", a, "rule"), f"The rule `{allow.rule}` concerns the key "
                    "facts of content/report.yaml, not a block: there is nothing to waive here.",
                    "Remove this waiver; give the figure an `attribution:` instead.",
                    code="unknown-rule", value=allow.rule))
            elif allow.rule not in lint.RULES:
                near = difflib.get_close_matches(allow.rule, lint.WAIVABLE, n=1)
                problems.append(Problem(
                    at.where("allow", a, "rule"), f"There is no lint rule `{allow.rule}`.",
                    f"Did you mean `{near[0]}`?" if near else
                    "Rules: " + ", ".join(lint.WAIVABLE) + ".", code="unknown-rule"))
        for steps, key in at.spec.keys(at.block):
            if key not in known:
                near = difflib.get_close_matches(key, sorted(known), n=1)
                problems.append(Problem(
                    at.where(*steps), f"The source `{key}` is not in the bibliography.",
                    f"Did you mean `{near[0]}`?" if near else "Add it to the bibliography "
                    "(sources.yaml, or the files `sources:` lists).",
                    code="unknown-key", value=key))
    for event in walk.events(valid.sections):
        where = event.where("date")
        try:
            when = chronology.parse(event.event.date)
        except chronology.DateError as error:
            problems.append(Problem(where, str(error), error.hint, code="bad-date",
                                    value=event.event.date))
            continue
        # an open or unknown end is not outside the period: only known ends are compared
        inside = period is None or (
            (when.open_start or period.start <= when.start)
            and (when.open_end or when.end <= period.end))
        if period and not inside and "date-outside-period" not in event.block.block.waived:
            problems.append(Problem(
                where, f"The date {when.label} is outside the report's period "
                f"({period.label}).", "Check the date, widen `period` in content/report.yaml, "
                "or waive the rule for this block (`allow:`).", severity="warning",
                code="date-outside-period", value=event.event.date))
    problems += _words(valid)
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
    problems += [p for text in collected.texts.values()
                 if (p := nesting_problem(text.inline, text.where))]
    problems += templates.check(valid.project.root)
    cited = {item.key for cluster, _ in collected.clusters for item in cluster.items}
    for i, source in enumerate(valid.sources):
        if source.id not in cited and not source.further_reading:
            problems.append(Problem(valid.project.sources.where((i, "id")),
                                    f"The source `{source.id}` is never cited.",
                                    "Cite it, mark it `further-reading: true`, or remove it.",
                                    severity="warning", code="uncited-source", value=source.id))
    return problems


def _words(valid: Valid) -> list[Problem]:
    """The `words:` of content/report.yaml: known keys, and placeholders the theme fills."""
    problems = []
    report = valid.project.report
    for key, text in valid.settings.words.items():
        if key not in words.KEYS:
            near = difflib.get_close_matches(key, words.KEYS, n=1)
            problems.append(Problem(report.where(("words", key), key=True),
                                    f"The theme has no word `{key}`.",
                                    f"Did you mean `{near[0]}`?" if near else
                                    "The keys are listed in report/document/words.py.",
                                    code="unknown-word", value=key))
            continue
        wanted = set(re.findall(r"\{(\w+)\}", words.EN[key]))
        unknown = sorted(set(re.findall(r"\{(\w+)\}", text)) - wanted)
        if unknown:
            problems.append(Problem(report.where(("words", key)),
                                    f"`{{{unknown[0]}}}` is not filled in for `{key}`.",
                                    "Use only: " + (", ".join(f"`{{{w}}}`" for w in sorted(wanted))
                                                    or "no placeholders") + ".",
                                    code="unknown-placeholder", value=text))
    if not words.has_language(valid.settings.language):
        problems.append(Problem(report.where(("language",)),
                                f"The theme has no words for the language "
                                f"`{valid.settings.language}`: English is used.",
                                "Give the words in `words:` (the keys are in "
                                "report/document/words.py).", severity="warning",
                                code="no-words-for-language",
                                value=valid.settings.language))
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
